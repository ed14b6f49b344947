"""Tests for DepthwiseConv1D/2D and SeparableConv1D/2D against NumPy loops."""

import numpy as np
import pytest
import torch

from tork.keras.layers.convolutional import (
    DepthwiseConv1D,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution2D,
)

RNG = np.random.default_rng(5)


def _np(t):
    return t.detach().cpu().numpy()


def _tf_pads(n, k, s, d, padding):
    span = d * (k - 1) + 1
    if padding == "valid":
        return (0, 0)
    if padding == "causal":
        return (span - 1, 0)
    out = -(-n // s)
    total = max((out - 1) * s + span - n, 0)
    return (total // 2, total - total // 2)


def np_depthwise(x, w, strides, padding, dilation):
    """Channels-last depthwise conv; `w` is (k..., in, mult); channel c*mult + m (loops)."""
    rank = x.ndim - 2
    ksize = w.shape[:rank]
    cin, mult = w.shape[rank], w.shape[rank + 1]
    pads = [
        _tf_pads(x.shape[1 + i], ksize[i], strides[i], dilation[i], padding) for i in range(rank)
    ]
    xp = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    spans = [dilation[i] * (ksize[i] - 1) + 1 for i in range(rank)]
    out_sp = [(xp.shape[1 + i] - spans[i]) // strides[i] + 1 for i in range(rank)]
    y = np.zeros((x.shape[0], *out_sp, cin * mult))
    for n in range(x.shape[0]):
        for pos in np.ndindex(*out_sp):
            for c in range(cin):
                for m in range(mult):
                    acc = 0.0
                    for kpos in np.ndindex(*ksize):
                        idx = tuple(
                            pos[i] * strides[i] + kpos[i] * dilation[i] for i in range(rank)
                        )
                        acc += xp[(n, *idx, c)] * w[(*kpos, c, m)]
                    y[(n, *pos, c * mult + m)] = acc
    return y


def _run(layer, x_shape, data_format="channels_last"):
    x = RNG.normal(size=x_shape).astype(np.float32)
    out = layer(torch.tensor(x))
    x_cl = x if data_format == "channels_last" else np.moveaxis(x, 1, -1)
    return x_cl, out


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(padding="same", depth_multiplier=2),
        dict(padding="same", strides=2, kernel_size=2),
        dict(padding="valid", dilation_rate=2, depth_multiplier=3),
        dict(padding="same", strides=(2, 3), data_format="channels_first"),
    ],
)
def test_depthwise_conv2d_matches_numpy(kwargs):
    kwargs = dict(kwargs)
    kernel = kwargs.pop("kernel_size", 3)
    data_format = kwargs.get("data_format", "channels_last")
    layer = DepthwiseConv2D(kernel, bias_initializer="random_normal", **kwargs)
    shape = (2, 3, 7, 6) if data_format == "channels_first" else (2, 7, 6, 3)
    x, out = _run(layer, shape, data_format)
    w, b = layer.get_weights()
    ref = np_depthwise(x, w, layer.strides, layer.padding, layer.dilation_rate) + b
    if data_format == "channels_first":
        ref = np.moveaxis(ref, -1, 1)
    np.testing.assert_allclose(_np(out), ref, rtol=1e-4, atol=1e-5)
    assert layer.compute_output_shape(shape) == tuple(out.shape)


@pytest.mark.parametrize("padding", ["valid", "same", "causal"])
def test_depthwise_conv1d_matches_numpy(padding):
    layer = DepthwiseConv1D(3, padding=padding, depth_multiplier=2, bias_initializer="ones")
    x, out = _run(layer, (2, 8, 3))
    w, b = layer.get_weights()
    ref = np_depthwise(x, w, layer.strides, padding, layer.dilation_rate) + b
    np.testing.assert_allclose(_np(out), ref, rtol=1e-4, atol=1e-5)
    assert layer.compute_output_shape((None, 8, 3)) == (None, *out.shape[1:])


def test_depthwise_weight_names_and_channel_order():
    layer = DepthwiseConv2D(1, depth_multiplier=2, use_bias=False, name="dw")
    layer(torch.zeros(1, 2, 2, 3))
    assert [w.path for w in layer.weights] == ["dw/depthwise_kernel"]
    assert tuple(layer.depthwise_kernel.shape) == (1, 1, 3, 2)
    assert layer.kernel is layer.depthwise_kernel
    w = np.arange(6, dtype=np.float32).reshape(1, 1, 3, 2) + 1.0
    layer.set_weights([w])
    x = np.array([1.0, 10.0, 100.0], np.float32).reshape(1, 1, 1, 3)
    out = _np(layer(torch.tensor(x)))[0, 0, 0]
    # Output channel c * mult + m = x[c] * w[c, m].
    np.testing.assert_allclose(out, [1, 2, 30, 40, 500, 600])


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(padding="same", depth_multiplier=2),
        dict(padding="same", strides=2),
        dict(padding="valid", dilation_rate=2, data_format="channels_first"),
    ],
)
def test_separable_conv2d_matches_numpy(kwargs):
    data_format = kwargs.get("data_format", "channels_last")
    layer = SeparableConv2D(4, 3, bias_initializer="random_normal", **kwargs)
    shape = (2, 3, 7, 6) if data_format == "channels_first" else (2, 7, 6, 3)
    x, out = _run(layer, shape, data_format)
    dw, pw, b = layer.get_weights()
    assert dw.shape == (3, 3, 3, layer.depth_multiplier)
    assert pw.shape == (1, 1, 3 * layer.depth_multiplier, 4) and b.shape == (4,)
    mid = np_depthwise(x, dw, layer.strides, layer.padding, layer.dilation_rate)
    ref = mid @ pw[0, 0] + b
    if data_format == "channels_first":
        ref = np.moveaxis(ref, -1, 1)
    np.testing.assert_allclose(_np(out), ref, rtol=1e-4, atol=1e-5)
    assert layer.compute_output_shape(shape) == tuple(out.shape)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_separable_conv1d_matches_numpy(data_format):
    layer = SeparableConv1D(
        5, 2, padding="same", depth_multiplier=2, data_format=data_format, name="sep"
    )
    shape = (2, 3, 9) if data_format == "channels_first" else (2, 9, 3)
    x, out = _run(layer, shape, data_format)
    dw, pw, b = layer.get_weights()
    assert [w.path for w in layer.weights] == [
        "sep/depthwise_kernel",
        "sep/pointwise_kernel",
        "sep/bias",
    ]
    ref = np_depthwise(x, dw, layer.strides, "same", layer.dilation_rate) @ pw[0] + b
    if data_format == "channels_first":
        ref = np.moveaxis(ref, -1, 1)
    np.testing.assert_allclose(_np(out), ref, rtol=1e-4, atol=1e-5)


def test_errors():
    with pytest.raises(ValueError, match=r"DepthwiseConv2D layer 'dw_e': expects 4D input"):
        DepthwiseConv2D(3, name="dw_e")(torch.zeros(2, 8, 8))
    layer = SeparableConv2D(4, 3, name="sep_e")
    layer(torch.zeros(1, 5, 5, 3))
    with pytest.raises(
        ValueError, match=r"'sep_e': the layer was built for inputs with 3 channels"
    ):
        layer(torch.zeros(1, 5, 5, 4))
    with pytest.raises(ValueError, match=r"DepthwiseConv2D\(padding=\.\.\.\) must be one of"):
        DepthwiseConv2D(3, padding="causal")
    with pytest.raises(ValueError, match=r"depth_multiplier=\.\.\.\) must be a positive integer"):
        DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match=r"spatial size \(2, 2\) is smaller than the kernel"):
        SeparableConv2D(4, 3)(torch.zeros(1, 2, 2, 3))


def test_configs_round_trip():
    for layer in (
        DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2, activation="relu"),
        DepthwiseConv1D(5, padding="causal"),
        SeparableConv2D(8, 3, depth_multiplier=2, pointwise_initializer="he_normal"),
        SeparableConv1D(4, 3, strides=2),
    ):
        config = layer.get_config()
        assert config["kernel_size"] == layer.kernel_size
        clone = type(layer).from_config(config)
        assert clone.get_config() == config
    assert SeparableConvolution2D is SeparableConv2D


def test_in_sequential():
    from tork.keras.models.sequential import Sequential

    model = Sequential(
        [
            DepthwiseConv2D(3, padding="same", depth_multiplier=2),
            SeparableConv2D(4, 3, strides=2, padding="same"),
        ]
    )
    out = model(torch.zeros(2, 8, 8, 3))
    assert tuple(out.shape) == (2, 4, 4, 4)
    out.sum().backward()
    assert all(w.grad is not None for w in model.trainable_weights)


def _k2_initializer(class_name, config=None):
    return {
        "module": "keras.initializers",
        "class_name": class_name,
        "config": config or {},
        "registered_name": None,
    }


# The configs tf.keras 2.21 writes for these layers: its Conv base class adds `groups` (and,
# for SeparableConv, the unused `kernel_*` arguments), which the layers must accept.
K2_SEPARABLE_CONV2D = {
    "name": "separable_conv2d",
    "trainable": True,
    "dtype": "float32",
    "filters": 5,
    "kernel_size": [3, 3],
    "strides": [1, 1],
    "padding": "valid",
    "data_format": "channels_last",
    "dilation_rate": [1, 1],
    "groups": 1,
    "activation": "linear",
    "use_bias": True,
    "kernel_initializer": _k2_initializer("GlorotUniform", {"seed": None}),
    "bias_initializer": _k2_initializer("Zeros"),
    "kernel_regularizer": None,
    "bias_regularizer": None,
    "activity_regularizer": None,
    "kernel_constraint": None,
    "bias_constraint": None,
    "depth_multiplier": 2,
    "depthwise_initializer": _k2_initializer("GlorotUniform", {"seed": None}),
    "pointwise_initializer": _k2_initializer("GlorotUniform", {"seed": None}),
    "depthwise_regularizer": None,
    "pointwise_regularizer": None,
    "depthwise_constraint": None,
    "pointwise_constraint": None,
}
K2_DEPTHWISE_CONV2D = {
    "name": "depthwise_conv2d",
    "trainable": True,
    "dtype": "float32",
    "kernel_size": [3, 3],
    "strides": [1, 1],
    "padding": "valid",
    "data_format": "channels_last",
    "dilation_rate": [1, 1],
    "groups": 1,
    "activation": "linear",
    "use_bias": True,
    "bias_initializer": _k2_initializer("Zeros"),
    "bias_regularizer": None,
    "activity_regularizer": None,
    "bias_constraint": None,
    "depth_multiplier": 2,
    "depthwise_initializer": _k2_initializer("GlorotUniform", {"seed": None}),
    "depthwise_regularizer": None,
    "depthwise_constraint": None,
}


@pytest.mark.parametrize(
    "cls, config, weight_shapes",
    [
        (SeparableConv2D, K2_SEPARABLE_CONV2D, [(3, 3, 3, 2), (1, 1, 6, 5), (5,)]),
        (DepthwiseConv2D, K2_DEPTHWISE_CONV2D, [(3, 3, 3, 2), (6,)]),
    ],
)
def test_keras2_configs_load_and_round_trip(cls, config, weight_shapes):
    layer = cls.from_config(dict(config))
    out = layer(torch.zeros(1, 6, 6, 3))
    assert tuple(out.shape) == (1, 4, 4, weight_shapes[-1][0])
    assert [w.shape for w in layer.get_weights()] == weight_shapes
    # The unused Keras 2 keys are read, not written: Keras 3 refuses them, and Keras 2
    # reads their defaults.
    unused = {"groups", "kernel_initializer", "kernel_regularizer", "kernel_constraint"}
    again = layer.get_config()
    assert not unused & set(again)
    assert set(config) - unused <= set(again)


def test_groups_other_than_1_is_ignored_with_a_warning_as_in_keras2():
    # tf.keras 2.21: DepthwiseConv2D(3, groups=3) on 6 channels builds the usual
    # (3, 3, 6, 1) kernel and runs ungrouped.
    with pytest.warns(UserWarning, match=r"DepthwiseConv2D ignores groups=3, as Keras 2 does"):
        layer = DepthwiseConv2D(3, groups=3)
    assert tuple(layer(torch.zeros(1, 5, 5, 6)).shape) == (1, 3, 3, 6)
    assert [w.shape for w in layer.get_weights()] == [(3, 3, 6, 1), (6,)]
    assert "groups" not in layer.get_config()
