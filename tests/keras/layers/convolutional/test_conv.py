"""Tests for Conv1D/2D/3D against a direct NumPy cross-correlation (explicit loops)."""

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras import constraints, initializers, regularizers
from tork.keras.layers.convolutional import (
    Conv1D,
    Conv2D,
    Conv3D,
    Convolution2D,
)
from tork.keras.layers.layer import Layer

RNG = np.random.default_rng(7)


def _np(t):
    return t.detach().cpu().numpy()


def _tf_pads(n, k, s, d, padding):
    """TensorFlow's padding of one axis, from its documented rule."""
    span = d * (k - 1) + 1
    if padding == "valid":
        return (0, 0)
    if padding == "causal":
        return (span - 1, 0)
    out = -(-n // s)
    total = max((out - 1) * s + span - n, 0)
    return (total // 2, total - total // 2)


def np_conv(x, w, b, strides, padding, dilation, groups=1):
    """Direct cross-correlation of channels-last `x` with a Keras-layout kernel (loops)."""
    rank = x.ndim - 2
    ksize = w.shape[:rank]
    pads = [
        _tf_pads(x.shape[1 + i], ksize[i], strides[i], dilation[i], padding) for i in range(rank)
    ]
    xp = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    cin_g, filters = w.shape[rank], w.shape[rank + 1]
    per_group = filters // groups
    spans = [dilation[i] * (ksize[i] - 1) + 1 for i in range(rank)]
    out_sp = [(xp.shape[1 + i] - spans[i]) // strides[i] + 1 for i in range(rank)]
    y = np.zeros((x.shape[0], *out_sp, filters))
    for n in range(x.shape[0]):
        for pos in np.ndindex(*out_sp):
            for o in range(filters):
                g = o // per_group
                acc = 0.0
                for kpos in np.ndindex(*ksize):
                    idx = tuple(pos[i] * strides[i] + kpos[i] * dilation[i] for i in range(rank))
                    acc += np.dot(xp[(n, *idx)][g * cin_g : (g + 1) * cin_g], w[kpos][:, o])
                y[(n, *pos, o)] = acc + (b[o] if b is not None else 0.0)
    return y


def _check_layer(cls, rank, x_shape, filters, kernel, **kwargs):
    """Runs the layer and compares with np_conv; returns the layer and output."""
    data_format = kwargs.get("data_format", "channels_last")
    layer = cls(filters, kernel, bias_initializer="random_normal", **kwargs)
    x = RNG.normal(size=x_shape).astype(np.float32)
    out = layer(torch.tensor(x))
    w, b = layer.get_weights()
    strides = layer.strides
    x_cl = x if data_format == "channels_last" else np.moveaxis(x, 1, -1)
    ref = np_conv(x_cl, w, b, strides, layer.padding, layer.dilation_rate, layer.groups)
    if data_format == "channels_first":
        ref = np.moveaxis(ref, -1, 1)
    assert tuple(out.shape) == ref.shape
    np.testing.assert_allclose(_np(out), ref, rtol=1e-4, atol=1e-5)
    assert layer.compute_output_shape(x_shape) == tuple(out.shape)
    none_batch = (None,) + tuple(x_shape[1:])
    assert layer.compute_output_shape(none_batch) == (None,) + tuple(out.shape[1:])
    return layer, out


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(padding="valid"),
        dict(padding="same"),
        dict(padding="same", strides=2),
        dict(padding="same", strides=3),
        dict(padding="valid", strides=2),
        dict(padding="valid", strides=3),
        dict(padding="same", dilation_rate=2),
        dict(padding="valid", dilation_rate=(2, 1)),
        dict(padding="same", groups=2),
        dict(padding="same", strides=2, data_format="channels_first"),
    ],
)
@pytest.mark.parametrize("kernel", [3, 2, (2, 3), 4])
def test_conv2d_matches_numpy(kernel, kwargs):
    shape = (2, 4, 7, 6) if kwargs.get("data_format") == "channels_first" else (2, 7, 6, 4)
    _check_layer(Conv2D, 2, shape, 4, kernel, **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(padding="valid"),
        dict(padding="same"),
        dict(padding="same", strides=2),
        dict(padding="same", strides=3),
        dict(padding="causal"),
        dict(padding="causal", dilation_rate=2),
        dict(padding="causal", strides=2),
        dict(padding="valid", dilation_rate=3),
        dict(padding="same", groups=3),
        dict(padding="causal", data_format="channels_first"),
    ],
)
@pytest.mark.parametrize("kernel", [3, 2])
def test_conv1d_matches_numpy(kernel, kwargs):
    shape = (2, 6, 11) if kwargs.get("data_format") == "channels_first" else (2, 11, 6)
    _check_layer(Conv1D, 1, shape, 3, kernel, **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(padding="valid"),
        dict(padding="same", strides=2),
        dict(padding="same", strides=(1, 2, 3), data_format="channels_first"),
        dict(padding="same", dilation_rate=2, groups=2),
    ],
)
def test_conv3d_matches_numpy(kwargs):
    shape = (1, 2, 5, 4, 6) if kwargs.get("data_format") == "channels_first" else (1, 5, 4, 6, 2)
    _check_layer(Conv3D, 3, shape, 2, (2, 3, 2), **kwargs)


def test_same_padding_puts_the_odd_cell_right_and_bottom():
    # Hand-computed: kernel of ones, size 2, 'same' -> the one padded zero goes at the end.
    layer = Conv1D(1, 2, padding="same", kernel_initializer="ones", use_bias=False)
    out = layer(torch.tensor([[[1.0], [2.0], [3.0], [4.0]]]))
    np.testing.assert_allclose(_np(out)[0, :, 0], [3.0, 5.0, 7.0, 4.0])
    # Stride 2, kernel 3 on 4 cells: total pad 1, all of it at the bottom/right.
    layer = Conv2D(1, 3, strides=2, padding="same", kernel_initializer="ones", use_bias=False)
    x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    out = _np(layer(torch.tensor(x)))[0, :, :, 0]
    expected = [
        [x[0, 0:3, 0:3].sum(), x[0, 0:3, 2:4].sum()],
        [x[0, 2:4, 0:3].sum(), x[0, 2:4, 2:4].sum()],
    ]
    np.testing.assert_allclose(out, expected)


def test_causal_conv_never_sees_the_future():
    layer = Conv1D(1, 3, padding="causal", dilation_rate=2, kernel_initializer="ones")
    x = np.zeros((1, 9, 1), np.float32)
    x[0, 5, 0] = 1.0
    out = _np(layer(torch.tensor(x)))[0, :, 0]
    # out[t] = x[t] + x[t - 2] + x[t - 4]: the impulse at 5 reaches steps 5 and 7 only.
    np.testing.assert_allclose(out, [0, 0, 0, 0, 0, 1, 0, 1, 0])


def test_conv_weights_layout_names_and_fans():
    layer = Conv2D(8, (3, 5), groups=2, name="c")
    layer(torch.zeros(1, 9, 9, 6))
    kernel, bias = layer.weights
    assert tuple(kernel.shape) == (3, 5, 3, 8) and tuple(bias.shape) == (8,)
    assert kernel.path == "c/kernel" and bias.path == "c/bias"
    # glorot_uniform with fans (K * in/g, K * out) = (45, 120).
    limit = np.sqrt(6.0 / (45 + 120))
    values = _np(kernel)
    assert np.all(np.abs(values) <= limit) and np.abs(values).max() > 0.8 * limit
    np.testing.assert_array_equal(_np(bias), np.zeros(8))
    assert layer.count_params() == 3 * 5 * 3 * 8 + 8


def test_conv_gradients_match_finite_differences():
    layer = Conv2D(2, 2, strides=2, padding="same", dtype="float64", activation="tanh")
    x = torch.tensor(RNG.normal(size=(1, 5, 4, 3)), device=current_device(), requires_grad=True)
    weights = torch.tensor(RNG.normal(size=(1, 3, 2, 2)), device=current_device())
    out = layer(x)
    (out * weights).sum().backward()

    def loss():
        with torch.no_grad():
            return float((layer(x) * weights).sum())

    eps = 1e-6
    kernel = layer.kernel
    numeric = np.zeros(tuple(kernel.shape))
    for idx in np.ndindex(*kernel.shape):
        with torch.no_grad():
            kernel[idx] += eps
            plus = loss()
            kernel[idx] -= 2 * eps
            minus = loss()
            kernel[idx] += eps
        numeric[idx] = (plus - minus) / (2 * eps)
    np.testing.assert_allclose(_np(kernel.grad), numeric, rtol=1e-5, atol=1e-7)
    numeric_x = np.zeros(tuple(x.shape))
    for idx in np.ndindex(*x.shape):
        with torch.no_grad():
            x[idx] += eps
            plus = loss()
            x[idx] -= 2 * eps
            minus = loss()
            x[idx] += eps
        numeric_x[idx] = (plus - minus) / (2 * eps)
    np.testing.assert_allclose(_np(x.grad), numeric_x, rtol=1e-5, atol=1e-7)


def test_channels_last_path_makes_no_input_or_output_copy():
    # torch receives the NHWC input as a permuted view, which is torch's channels_last
    # memory format, and returns channels_last output whose NHWC permutation is contiguous.
    layer = Conv2D(32, 3)
    # On the weights' device, so that the layer has no reason to move (copy) it.
    x = torch.randn(4, 12, 12, 16, device=current_device())
    layer(x)
    seen = {}
    conv = layer._conv

    def recording_conv(inputs, *args):
        seen["shares_memory"] = inputs.data_ptr() == x.data_ptr()
        seen["channels_last"] = inputs.is_contiguous(memory_format=torch.channels_last)
        out = conv(inputs, *args)
        seen["out_channels_last"] = out.is_contiguous(memory_format=torch.channels_last)
        return out

    layer._conv = recording_conv
    out = layer(x)
    assert seen == {"shares_memory": True, "channels_last": True, "out_channels_last": True}
    assert out.is_contiguous()  # NHWC, as Keras returns it, without a copy
    assert tuple(out.shape) == (4, 10, 10, 32)


def test_integer_and_float64_inputs():
    out = Conv2D(2, 1)(np.ones((1, 2, 2, 1), dtype=np.int64))
    assert out.dtype == torch.float32
    layer = Conv1D(2, 3, dtype="float64")
    assert layer(torch.ones(1, 5, 2, dtype=torch.float64)).dtype == torch.float64


class SkipConnectionModel(Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, inputs):
        return self.inner(inputs)


def test_wrong_rank_suggests_channel_axis():
    with pytest.raises(
        ValueError,
        match=r"Conv2D layer 'conv_a': expects 4D input \(batch, height, width, channels\), but "
        r"got input of shape \(32, 28, 28\) \(3D\)\. .*add a channel axis, e\.g\. x\[\.\.\., "
        r"None\] or a Reshape\(\(28, 28, 1\)\) layer",
    ):
        Conv2D(8, 3, name="conv_a")(torch.zeros(32, 28, 28))
    with pytest.raises(ValueError, match=r"\(batch, channels, steps\).*x\[:, None\]"):
        Conv1D(8, 3, data_format="channels_first")(torch.zeros(4, 10))
    layer = Conv2D(4, 3)
    layer(torch.zeros(1, 5, 5, 1))
    with pytest.raises(ValueError, match=r"expects 4D input.*shape \(5, 5, 1\)"):
        layer(torch.zeros(5, 5, 1))


def test_channel_count_changed_after_build():
    layer = Conv2D(4, 3, name="conv_b")
    SkipConnectionModel(layer)(torch.zeros(1, 6, 6, 3))
    with pytest.raises(
        ValueError,
        match=r"Conv2D layer 'conv_b' in SkipConnectionModel\.call: the layer was built for "
        r"inputs with 3 channels, but got input of shape \(1, 6, 6, 5\) with 5 channels",
    ):
        SkipConnectionModel(layer)(torch.zeros(1, 6, 6, 5))


def test_kernel_larger_than_valid_input():
    with pytest.raises(
        ValueError,
        match=r"Conv2D layer 'conv_c': the input's spatial size \(2, 4\) is smaller than the "
        r"kernel with padding='valid' \(kernel_size is \(3, 3\).*padding='same'",
    ):
        Conv2D(4, 3, name="conv_c")(torch.zeros(1, 2, 4, 1))
    layer = Conv1D(2, 2, dilation_rate=3, name="conv_d")
    layer(torch.zeros(1, 9, 1))
    with pytest.raises(ValueError, match=r"spatial size \(3,\).*dilated kernel spans \(4,\)"):
        layer(torch.zeros(1, 3, 1))


@pytest.mark.parametrize(
    "cls, padding, valid",
    [
        (Conv2D, "full", "'valid', 'same'"),
        (Conv2D, "causal", "'valid', 'same'"),
        (Conv1D, "x", "'valid', 'same', 'causal'"),
    ],
)
def test_invalid_padding_lists_valid_ones(cls, padding, valid):
    with pytest.raises(
        ValueError,
        match=rf"{cls.__name__}\(padding=\.\.\.\) must be one of {valid}, got '{padding}'",
    ):
        cls(4, 3, padding=padding)


def test_groups_errors():
    with pytest.raises(ValueError, match=r"filters=6 must be divisible by groups=4"):
        Conv2D(6, 3, groups=4)
    with pytest.raises(
        ValueError,
        match=r"Conv2D layer 'conv_g': groups=2 must divide the number of input channels, but "
        r"the input has 3 channels.*groups=\[1, 3\]",
    ):
        Conv2D(4, 3, groups=2, name="conv_g")(torch.zeros(1, 5, 5, 3))


def test_argument_errors():
    with pytest.raises(
        ValueError, match=r"Conv2D\(kernel_size=\.\.\.\) must be an integer or a tuple of 2"
    ):
        Conv2D(4, "3")
    with pytest.raises(ValueError, match=r"Conv2D\(strides=\.\.\.\) must be positive integers"):
        Conv2D(4, 3, strides=0)
    with pytest.raises(ValueError, match=r"Conv3D\(kernel_size=\.\.\.\).*\(2 values\)"):
        Conv3D(4, (3, 3))
    with pytest.raises(ValueError, match=r"Conv2D\(filters=\.\.\.\) must be a positive integer"):
        Conv2D(0, 3)
    with pytest.raises(ValueError, match=r"data_format=\.\.\.\) must be 'channels_last' or"):
        Conv2D(4, 3, data_format="NHWC")


def test_regularizers_and_constraints():
    layer = Conv1D(
        2,
        2,
        kernel_regularizer=regularizers.L2(0.5),
        bias_regularizer=regularizers.L1(0.25),
        bias_initializer="ones",
        kernel_constraint=constraints.NonNeg(),
    )
    layer(torch.zeros(1, 4, 3))
    w, b = layer.get_weights()
    penalties = sorted(float(p.detach()) for p in layer.losses)
    np.testing.assert_allclose(
        penalties, sorted([0.5 * np.sum(w**2), 0.25 * np.sum(np.abs(b))]), rtol=1e-5
    )
    assert layer.kernel.constraint is not None


@pytest.mark.parametrize("cls, args", [(Conv1D, (3, 2)), (Conv2D, (4, (2, 3))), (Conv3D, (2, 2))])
def test_config_round_trip(cls, args):
    layer = cls(
        *args,
        strides=2,
        padding="same",
        activation="relu",
        use_bias=False,
        kernel_initializer=initializers.HeNormal(seed=3),
        kernel_regularizer=regularizers.L2(0.1),
        name="conv_cfg",
    )
    config = layer.get_config()
    assert config["filters"] == args[0] and config["padding"] == "same"
    assert config["kernel_size"] == layer.kernel_size and config["strides"] == layer.strides
    assert config["activation"] == "relu" and config["use_bias"] is False
    assert config["data_format"] == "channels_last" and config["groups"] == 1
    assert config["kernel_initializer"]["class_name"] == "HeNormal"
    clone = cls.from_config(config)
    assert clone.get_config() == config


def test_alias():
    assert Convolution2D is Conv2D


@pytest.mark.parametrize(
    "layer, shape",
    [
        (Conv1D(4, 3, padding="causal"), (10, 3)),
        (Conv2D(4, 3, strides=2, padding="same"), (9, 9, 3)),
        (Conv3D(2, 2), (4, 4, 4, 1)),
    ],
)
def test_conv_in_sequential(layer, shape):
    from tork.keras.models.sequential import Sequential

    model = Sequential([layer])
    x = torch.tensor(RNG.normal(size=(2, *shape)).astype(np.float32))
    out = model(x)
    assert tuple(out.shape) == layer.compute_output_shape((2, *shape))


def test_tiny_cnn_learns_bright_quadrant():
    from tork.keras.layers.convolutional import Conv2D as C2
    from tork.keras.layers.core.dense import Dense
    from tork.keras.layers.pooling import MaxPooling2D
    from tork.keras.layers.reshaping.flatten import Flatten
    from tork.keras.models.sequential import Sequential

    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    n = 512
    x = rng.uniform(0.0, 0.3, size=(n, 8, 8, 1)).astype(np.float32)
    y = rng.integers(0, 4, size=n)
    for i, q in enumerate(y):
        r, c = divmod(int(q), 2)
        x[i, 4 * r : 4 * r + 4, 4 * c : 4 * c + 4, 0] += 0.7
    model = Sequential(
        [
            C2(8, 3, padding="same", activation="relu", input_shape=(8, 8, 1)),
            MaxPooling2D(2),
            C2(8, 3, padding="same", activation="relu"),
            Flatten(),
            Dense(4, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=6, batch_size=32, verbose=0)
    assert history.history["accuracy"][-1] > 0.9


def _every_conv_layer():
    from tork.keras.layers import convolutional as c

    return [
        (c.Conv1D(4, 3, padding="causal", dilation_rate=2), (9, 3)),
        (c.Conv2D(6, (2, 3), strides=(2, 1), padding="same", groups=3), (7, 6, 3)),
        (c.Conv3D(2, 2, data_format="channels_first"), (3, 4, 4, 4)),
        (c.Conv1DTranspose(4, 3, strides=2, padding="same"), (5, 3)),
        (c.Conv2DTranspose(4, 3, strides=2, output_padding=1), (4, 5, 3)),
        (c.Conv3DTranspose(2, 2, strides=(1, 2, 2), padding="same"), (2, 3, 3, 3)),
        (c.DepthwiseConv1D(3, depth_multiplier=2, padding="same"), (7, 3)),
        (c.DepthwiseConv2D(3, strides=2, data_format="channels_first"), (3, 7, 7)),
        (c.SeparableConv1D(4, 3, strides=2, padding="same"), (9, 3)),
        (c.SeparableConv2D(4, 3, depth_multiplier=2), (6, 6, 3)),
    ]


@pytest.mark.parametrize("index", range(10))
def test_every_conv_layer_in_sequential_with_config_round_trip(index):
    from tork.keras.models.sequential import Sequential

    layer, sample_shape = _every_conv_layer()[index]
    model = Sequential([layer])
    x = torch.tensor(RNG.normal(size=(2, *sample_shape)).astype(np.float32))
    out = model(x)
    assert layer.compute_output_shape((2, *sample_shape)) == tuple(out.shape)
    assert layer.compute_output_shape((None, *sample_shape)) == (None, *out.shape[1:])
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(_np(clone(x)), _np(out), rtol=1e-6)
