"""Tests for Conv1DTranspose/2D/3D against a NumPy scatter-add reference."""

import numpy as np
import pytest
import torch

from tork.keras.layers.convolutional import (
    Conv1DTranspose,
    Conv2DTranspose,
    Conv3DTranspose,
    Convolution2DTranspose,
)

RNG = np.random.default_rng(11)


def _np(t):
    return t.detach().cpu().numpy()


def _keras_length(n, k, s, d, padding, output_padding):
    """Output length of a Keras transposed convolution (documented rule)."""
    span = d * (k - 1) + 1
    if output_padding is None:
        return n * s + max(span - s, 0) if padding == "valid" else n * s
    if padding == "valid":
        return (n - 1) * s + span + output_padding
    return (n - 1) * s + span % 2 + output_padding


def np_conv_transpose(x, w, b, strides, padding, output_padding, dilation):
    """Channels-last transposed convolution: scatter `x[i] * w` into the full result, then crop.

    `w` has Keras's layout (k..., filters, in).
    """
    rank = x.ndim - 2
    ksize = w.shape[:rank]
    filters = w.shape[rank]
    spans = [dilation[i] * (ksize[i] - 1) + 1 for i in range(rank)]
    full_sp = [(x.shape[1 + i] - 1) * strides[i] + spans[i] for i in range(rank)]
    full = np.zeros((x.shape[0], *full_sp, filters))
    for n in range(x.shape[0]):
        for pos in np.ndindex(*x.shape[1 : 1 + rank]):
            for kpos in np.ndindex(*ksize):
                idx = tuple(pos[i] * strides[i] + kpos[i] * dilation[i] for i in range(rank))
                full[(n, *idx)] += w[kpos] @ x[(n, *pos)]
    ops = output_padding or (None,) * rank
    out_sp = [
        _keras_length(x.shape[1 + i], ksize[i], strides[i], dilation[i], padding, ops[i])
        for i in range(rank)
    ]
    result = np.zeros((x.shape[0], *out_sp, filters))
    src, dst = [slice(None)], [slice(None)]
    for i in range(rank):
        if out_sp[i] <= full_sp[i]:
            left = (full_sp[i] - out_sp[i]) // 2
            src.append(slice(left, left + out_sp[i]))
            dst.append(slice(None))
        else:  # zero-fill on the right
            src.append(slice(None))
            dst.append(slice(0, full_sp[i]))
    result[tuple(dst)] = full[tuple(src)]
    return result + b


def _check(cls, x_shape, filters, kernel, **kwargs):
    data_format = kwargs.get("data_format", "channels_last")
    layer = cls(filters, kernel, bias_initializer="random_normal", **kwargs)
    x = RNG.normal(size=x_shape).astype(np.float32)
    out = layer(torch.tensor(x))
    w, b = layer.get_weights()
    x_cl = x if data_format == "channels_last" else np.moveaxis(x, 1, -1)
    ref = np_conv_transpose(
        x_cl, w, b, layer.strides, layer.padding, layer.output_padding, layer.dilation_rate
    )
    if data_format == "channels_first":
        ref = np.moveaxis(ref, -1, 1)
    assert tuple(out.shape) == ref.shape
    np.testing.assert_allclose(_np(out), ref, rtol=1e-4, atol=1e-5)
    assert layer.compute_output_shape(x_shape) == tuple(out.shape)
    assert layer.compute_output_shape((None,) + tuple(x_shape[1:]))[1:] == tuple(out.shape[1:])
    return layer, out


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize(
    "kernel, strides, output_padding, dilation",
    [
        (3, 1, None, 1),
        (3, 2, None, 1),
        (2, 2, None, 1),
        (4, 2, None, 1),
        (2, 3, None, 1),
        (1, 3, None, 1),
        (3, 2, 1, 1),
        (4, 3, 2, 1),
        (1, 2, 1, 1),
        (3, 1, None, 2),
        ((3, 2), (2, 3), (0, 1), 1),
    ],
)
def test_conv2d_transpose_matches_scatter_add(padding, kernel, strides, output_padding, dilation):
    _check(
        Conv2DTranspose,
        (2, 3, 4, 3),
        2,
        kernel,
        strides=strides,
        padding=padding,
        output_padding=output_padding,
        dilation_rate=dilation,
    )


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("kernel, strides, output_padding", [(3, 2, None), (4, 2, 1), (5, 3, None)])
def test_conv1d_transpose_matches_scatter_add(padding, kernel, strides, output_padding):
    _check(
        Conv1DTranspose,
        (2, 5, 3),
        4,
        kernel,
        strides=strides,
        padding=padding,
        output_padding=output_padding,
    )


def test_channels_first_and_3d():
    _check(
        Conv2DTranspose, (2, 3, 4, 5), 2, 3, strides=2, padding="same", data_format="channels_first"
    )
    _check(Conv3DTranspose, (1, 2, 3, 2, 2), 2, (2, 3, 2), strides=(2, 1, 2), padding="same")
    _check(Conv3DTranspose, (1, 2, 2, 3, 2), 3, 2, strides=2, data_format="channels_first")


def test_hand_computed_same_stride_two():
    # x = [1, 2], kernel of ones (3), stride 2, 'same' -> full [1, 1, 3, 2, 2] cut to 4 cells.
    layer = Conv1DTranspose(1, 3, strides=2, padding="same", kernel_initializer="ones")
    out = layer(torch.tensor([[[1.0], [2.0]]]))
    np.testing.assert_allclose(_np(out)[0, :, 0], [1.0, 1.0, 3.0, 2.0])


def test_kernel_layout_and_fans():
    layer = Conv2DTranspose(6, 3, name="up")
    layer(torch.zeros(1, 4, 4, 2))
    kernel, bias = layer.weights
    assert tuple(kernel.shape) == (3, 3, 6, 2) and tuple(bias.shape) == (6,)
    assert kernel.path == "up/kernel"
    # (k, k, out, in): fan_in = 9 * 6, fan_out = 9 * 2.
    assert np.abs(_np(kernel)).max() <= np.sqrt(6.0 / (54 + 18))


def test_output_padding_must_be_smaller_than_stride():
    with pytest.raises(
        ValueError, match=r"output_padding must be smaller than the stride.*\(2, 2\)"
    ):
        Conv2DTranspose(2, 3, strides=2, output_padding=2)


def test_errors():
    with pytest.raises(ValueError, match=r"expects 4D input \(batch, height, width, channels\)"):
        Conv2DTranspose(2, 3)(torch.zeros(4, 5, 5))
    layer = Conv2DTranspose(2, 3, name="tr")
    layer(torch.zeros(1, 4, 4, 3))
    with pytest.raises(ValueError, match=r"'tr': the layer was built for inputs with 3 channels"):
        layer(torch.zeros(1, 4, 4, 2))
    with pytest.raises(ValueError, match=r"padding=\.\.\.\) must be one of 'valid', 'same'"):
        Conv1DTranspose(2, 3, padding="causal")


def test_config_round_trip_and_alias():
    layer = Conv2DTranspose(4, 3, strides=2, padding="same", output_padding=1, activation="relu")
    config = layer.get_config()
    assert config["output_padding"] == (1, 1) and config["filters"] == 4
    # tf.keras 2 writes its Conv base's `groups` here too; it is read, not written (Keras 3
    # refuses it, and Keras 2 reads the default).
    assert "groups" not in config
    assert Conv2DTranspose.from_config(config).get_config() == config
    assert Convolution2DTranspose is Conv2DTranspose


def test_in_sequential_decoder():
    from tork.keras.models.sequential import Sequential

    model = Sequential(
        [
            Conv2DTranspose(4, 3, strides=2, padding="same", activation="relu"),
            Conv2DTranspose(1, 3, strides=2, padding="same"),
        ]
    )
    out = model(torch.zeros(2, 7, 7, 8))
    assert tuple(out.shape) == (2, 28, 28, 1)


def test_keras2_config_with_groups_loads():
    # tf.keras 2.21's Conv2DTranspose config (its Conv base adds `groups`).
    config = {
        "name": "conv2d_transpose_3",
        "trainable": True,
        "dtype": "float32",
        "filters": 4,
        "kernel_size": [3, 3],
        "strides": [2, 2],
        "padding": "same",
        "data_format": "channels_last",
        "dilation_rate": [1, 1],
        "groups": 1,
        "activation": "linear",
        "use_bias": True,
        "kernel_initializer": {
            "module": "keras.initializers",
            "class_name": "GlorotUniform",
            "config": {"seed": None},
            "registered_name": None,
        },
        "bias_initializer": {
            "module": "keras.initializers",
            "class_name": "Zeros",
            "config": {},
            "registered_name": None,
        },
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
        "output_padding": [0, 1],
    }
    layer = Conv2DTranspose.from_config(config)
    # Keras 2.21 gives (2, 7, 10, 4) for a (2, 4, 5, 3) input with this config.
    assert tuple(layer(torch.zeros(2, 4, 5, 3)).shape) == (2, 7, 10, 4)
    assert "groups" not in layer.get_config()


def test_groups_is_ignored_with_a_warning_as_in_keras2():
    # tf.keras 2.21: Conv2DTranspose(4, 3, groups=2) on 6 channels gives (1, 7, 7, 4) with an
    # ungrouped (3, 3, 4, 6) kernel.
    with pytest.warns(UserWarning, match=r"Conv2DTranspose ignores groups=2"):
        layer = Conv2DTranspose(4, 3, groups=2)
    assert tuple(layer(torch.zeros(1, 5, 5, 6)).shape) == (1, 7, 7, 4)
    assert [w.shape for w in layer.get_weights()] == [(3, 3, 4, 6), (4,)]
