"""Tests for UpSampling*, ZeroPadding* and Cropping* against NumPy."""

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras.layers.reshaping_spatial import (
    Cropping1D,
    Cropping2D,
    Cropping3D,
    UpSampling1D,
    UpSampling2D,
    UpSampling3D,
    ZeroPadding1D,
    ZeroPadding2D,
    ZeroPadding3D,
)

RNG = np.random.default_rng(9)


def _np(t):
    return t.detach().cpu().numpy()


def _round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    return config


def _check_shapes(layer, shape, out):
    assert layer.compute_output_shape(shape) == tuple(out.shape)
    assert layer.compute_output_shape((None, *shape[1:])) == (None, *out.shape[1:])


# -- UpSampling ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls, shape, size, axes",
    [
        (UpSampling1D, (2, 4, 3), 3, (1,)),
        (UpSampling2D, (2, 3, 4, 2), (2, 3), (1, 2)),
        (UpSampling3D, (1, 2, 3, 2, 2), (2, 1, 3), (1, 2, 3)),
    ],
)
def test_nearest_upsampling_repeats_cells(cls, shape, size, axes):
    x = RNG.normal(size=shape).astype(np.float32)
    layer = cls(size)
    out = layer(torch.tensor(x))
    sizes = (size,) if isinstance(size, int) else size
    ref = x
    for axis, factor in zip(axes, sizes):
        ref = np.repeat(ref, factor, axis=axis)
    np.testing.assert_array_equal(_np(out), ref)
    _check_shapes(layer, shape, out)
    _round_trip(layer)


def test_upsampling_channels_first():
    x = RNG.normal(size=(2, 3, 2, 4)).astype(np.float32)
    out = UpSampling2D((3, 2), data_format="channels_first")(torch.tensor(x))
    np.testing.assert_array_equal(_np(out), np.repeat(np.repeat(x, 3, axis=2), 2, axis=3))
    x3 = RNG.normal(size=(1, 2, 2, 2, 2)).astype(np.float32)
    out = UpSampling3D(2, data_format="channels_first")(torch.tensor(x3))
    ref = np.repeat(np.repeat(np.repeat(x3, 2, 2), 2, 3), 2, 4)
    np.testing.assert_array_equal(_np(out), ref)


def _np_bilinear_axis(x, factor, axis):
    """TensorFlow's half-pixel-centers linear interpolation along one axis."""
    n = x.shape[axis]
    out = []
    for o in range(n * factor):
        src = (o + 0.5) / factor - 0.5
        lower, upper = max(int(np.floor(src)), 0), min(int(np.ceil(src)), n - 1)
        frac = src - np.floor(src)
        a, b = np.take(x, lower, axis=axis), np.take(x, upper, axis=axis)
        out.append(a + (b - a) * frac)
    return np.stack(out, axis=axis)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_bilinear_upsampling_matches_half_pixel_rule(data_format):
    x = RNG.normal(size=(2, 3, 4, 2)).astype(np.float32)
    xin = x if data_format == "channels_last" else np.moveaxis(x, -1, 1)
    layer = UpSampling2D((2, 3), data_format=data_format, interpolation="bilinear")
    out = _np(layer(torch.tensor(xin)))
    ref = _np_bilinear_axis(_np_bilinear_axis(x, 2, 1), 3, 2)
    if data_format == "channels_first":
        ref = np.moveaxis(ref, -1, 1)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)
    assert _round_trip(layer)["interpolation"] == "bilinear"


def test_bilinear_hand_computed():
    x = torch.tensor([[0.0, 1.0]]).reshape(1, 1, 2, 1)
    out = UpSampling2D((1, 2), interpolation="bilinear")(x)
    np.testing.assert_allclose(_np(out)[0, 0, :, 0], [0.0, 0.25, 0.75, 1.0])


# tf_keras 2.21 UpSampling2D((2, 2), interpolation=m) of arange(6).reshape(1, 2, 3, 1) ** 1.5
# (tf.image.resize's kernels), rounded to 4 decimals.
_TF_RESIZE_UPSAMPLING = {
    "bicubic": [
        [-0.5327, -0.3363, 0.0788, 0.8185, 1.7855, 2.2423],
        [0.9551, 1.2909, 2.0011, 3.0111, 4.1884, 4.7445],
        [3.9054, 4.5175, 5.8128, 7.359, 8.9531, 9.7062],
        [5.3932, 6.1447, 7.735, 9.5517, 11.356, 12.2084],
    ],
    "area": [
        [0.0, 0.0, 1.0, 1.0, 2.8284, 2.8284],
        [0.0, 0.0, 1.0, 1.0, 2.8284, 2.8284],
        [5.1962, 5.1962, 8.0, 8.0, 11.1803, 11.1803],
        [5.1962, 5.1962, 8.0, 8.0, 11.1803, 11.1803],
    ],
    "lanczos3": [
        [-0.9404, -0.8839, -0.6139, 0.2785, 1.1105, 1.5447],
        [1.1062, 1.3401, 1.9795, 3.3774, 4.4644, 4.9992],
        [3.784, 4.2499, 5.3724, 7.4318, 8.8525, 9.5189],
        [5.8306, 6.474, 7.9657, 10.5307, 12.2064, 12.9734],
    ],
    "lanczos5": [
        [-1.0829, -1.1914, -0.9573, -0.0175, 0.7815, 1.1082],
        [1.2894, 1.3052, 1.9584, 3.5444, 4.6347, 4.9872],
        [3.9058, 4.0586, 5.174, 7.4727, 8.8843, 9.2653],
        [6.2781, 6.5552, 8.0897, 11.0346, 12.7375, 13.1443],
    ],
    "gaussian": [
        [0.2979, 0.5384, 1.1167, 1.785, 2.7155, 3.1348],
        [1.4679, 1.7969, 2.5742, 3.3993, 4.4851, 4.9706],
        [3.9087, 4.4223, 5.6146, 6.7669, 8.1766, 8.8006],
        [5.0786, 5.6808, 7.0721, 8.3812, 9.9462, 10.6365],
    ],
    "mitchellcubic": [
        [-0.1897, 0.0364, 0.5042, 1.2564, 2.1627, 2.6256],
        [1.237, 1.5912, 2.312, 3.3055, 4.3995, 4.9553],
        [3.8416, 4.4297, 5.6124, 7.0463, 8.483, 9.2082],
        [5.2683, 5.9845, 7.4202, 9.0954, 10.7198, 11.5379],
    ],
}


@pytest.mark.parametrize("method", sorted(_TF_RESIZE_UPSAMPLING))
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_upsampling2d_resize_methods_match_tf(method, data_format):
    x = np.arange(6, dtype=np.float32).reshape(1, 2, 3, 1) ** 1.5
    xin = x if data_format == "channels_last" else np.moveaxis(x, -1, 1)
    layer = UpSampling2D((2, 2), data_format=data_format, interpolation=method.upper())
    out = _np(layer(torch.tensor(xin)))
    assert out.dtype == np.float32
    out = out[0, :, :, 0] if data_format == "channels_last" else out[0, 0]
    np.testing.assert_allclose(out, _TF_RESIZE_UPSAMPLING[method], atol=1e-4)
    assert _round_trip(layer)["interpolation"] == method


def test_upsampling_errors():
    with pytest.raises(
        ValueError, match=r"interpolation=\.\.\.\) must be one of 'nearest', 'bilinear'"
    ):
        UpSampling2D(interpolation="cubic")
    with pytest.raises(ValueError, match=r"UpSampling2D layer 'up': expects 4D input"):
        UpSampling2D(name="up")(torch.zeros(2, 4, 4))


# -- ZeroPadding --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls, shape, padding, np_pad",
    [
        (ZeroPadding1D, (2, 4, 3), 2, [(0, 0), (2, 2), (0, 0)]),
        (ZeroPadding1D, (2, 4, 3), (1, 3), [(0, 0), (1, 3), (0, 0)]),
        (ZeroPadding2D, (2, 3, 4, 2), 1, [(0, 0), (1, 1), (1, 1), (0, 0)]),
        (ZeroPadding2D, (2, 3, 4, 2), (2, 1), [(0, 0), (2, 2), (1, 1), (0, 0)]),
        (ZeroPadding2D, (2, 3, 4, 2), ((1, 0), (0, 2)), [(0, 0), (1, 0), (0, 2), (0, 0)]),
        (
            ZeroPadding3D,
            (1, 2, 3, 2, 2),
            ((1, 2), (0, 1), (2, 0)),
            [(0, 0), (1, 2), (0, 1), (2, 0), (0, 0)],
        ),
    ],
)
def test_zero_padding_matches_numpy(cls, shape, padding, np_pad):
    x = RNG.normal(size=shape).astype(np.float32)
    layer = cls(padding)
    out = layer(torch.tensor(x))
    np.testing.assert_array_equal(_np(out), np.pad(x, np_pad))
    _check_shapes(layer, shape, out)
    _round_trip(layer)


def test_zero_padding_channels_first():
    x = RNG.normal(size=(2, 3, 4, 5)).astype(np.float32)
    out = ZeroPadding2D(((1, 2), (3, 0)), data_format="channels_first")(torch.tensor(x))
    np.testing.assert_array_equal(_np(out), np.pad(x, [(0, 0), (0, 0), (1, 2), (3, 0)]))


def test_zero_padding_errors():
    with pytest.raises(
        ValueError, match=r"ZeroPadding2D\(padding=\.\.\.\) must be an int, a tuple of 2"
    ):
        ZeroPadding2D((1, 2, 3))
    with pytest.raises(ValueError, match=r"ZeroPadding1D\(padding=\.\.\.\) must be non-negative"):
        ZeroPadding1D(-1)
    with pytest.raises(ValueError, match=r"ZeroPadding3D layer 'zp': expects 5D input"):
        ZeroPadding3D(name="zp")(torch.zeros(2, 4, 4, 4))


# -- Cropping -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cls, shape, cropping, index",
    [
        (Cropping1D, (2, 6, 3), (1, 2), np.s_[:, 1:4, :]),
        (Cropping1D, (2, 6, 3), 2, np.s_[:, 2:4, :]),
        (Cropping2D, (2, 5, 6, 2), 1, np.s_[:, 1:4, 1:5, :]),
        (Cropping2D, (2, 5, 6, 2), ((0, 2), (3, 0)), np.s_[:, 0:3, 3:6, :]),
        (Cropping2D, (2, 5, 6, 2), (2, 1), np.s_[:, 2:3, 1:5, :]),
        (Cropping3D, (1, 4, 5, 6, 2), ((1, 1), (0, 2), (2, 3)), np.s_[:, 1:3, 0:3, 2:3, :]),
    ],
)
def test_cropping_matches_numpy(cls, shape, cropping, index):
    x = RNG.normal(size=shape).astype(np.float32)
    layer = cls(cropping)
    # On the current device, so that the layer has no reason to move (copy) it.
    tx = torch.tensor(x, device=current_device())
    out = layer(tx)
    np.testing.assert_array_equal(_np(out), x[index])
    assert out.data_ptr() >= tx.data_ptr() and out._base is tx  # a view, no copy
    _check_shapes(layer, shape, out)
    _round_trip(layer)


def test_cropping_channels_first_and_defaults():
    x = RNG.normal(size=(1, 2, 5, 6)).astype(np.float32)
    out = Cropping2D(((1, 2), (0, 1)), data_format="channels_first")(torch.tensor(x))
    np.testing.assert_array_equal(_np(out), x[:, :, 1:3, 0:5])
    assert Cropping2D().cropping == ((0, 0), (0, 0))
    assert Cropping3D().cropping == ((1, 1), (1, 1), (1, 1))
    assert Cropping1D().cropping == (1, 1)


def test_cropping_errors():
    with pytest.raises(
        ValueError,
        match=r"Cropping2D layer 'crop': cannot crop 2 \+ 2 cells from axis 1 of size 4 \(input "
        r"shape \(1, 4, 6, 1\)\)",
    ):
        Cropping2D(2, name="crop")(torch.zeros(1, 4, 6, 1))
    layer = Cropping1D((1, 1), name="crop1")
    layer(torch.zeros(1, 5, 2))
    with pytest.raises(
        ValueError, match=r"'crop1': cannot crop 1 \+ 1 cells from axis 1 of size 2"
    ):
        layer(torch.zeros(1, 2, 2))
    with pytest.raises(
        ValueError, match=r"Cropping1D\(cropping=\.\.\.\) must be an int or a tuple of 2"
    ):
        Cropping1D((1, 2, 3))


def test_in_sequential():
    from tork.keras.models.sequential import Sequential

    model = Sequential([ZeroPadding2D(2), Cropping2D(1), UpSampling2D(2)])
    out = model(torch.ones(2, 4, 4, 3))
    assert tuple(out.shape) == (2, 12, 12, 3)
    model1d = Sequential([ZeroPadding1D(1), UpSampling1D(2), Cropping1D((0, 1))])
    assert tuple(model1d(torch.ones(2, 4, 3)).shape) == (2, 11, 3)
    model3d = Sequential([ZeroPadding3D(1), UpSampling3D(2), Cropping3D(1)])
    assert tuple(model3d(torch.ones(1, 2, 2, 2, 1)).shape) == (1, 6, 6, 6, 1)


@pytest.mark.parametrize(
    "layer, sample_shape",
    [
        (UpSampling1D(3), (4, 2)),
        (UpSampling2D((2, 1), interpolation="bilinear"), (3, 3, 2)),
        (UpSampling3D(2, data_format="channels_first"), (2, 2, 2, 2)),
        (ZeroPadding1D((0, 2)), (4, 2)),
        (ZeroPadding2D(((1, 0), (2, 1)), data_format="channels_first"), (2, 3, 3)),
        (ZeroPadding3D(1), (2, 2, 2, 2)),
        (Cropping1D((1, 0)), (4, 2)),
        (Cropping2D(((1, 0), (0, 1))), (3, 3, 2)),
        (Cropping3D(((0, 1), (1, 0), (0, 0)), data_format="channels_first"), (2, 3, 3, 3)),
    ],
)
def test_every_layer_in_sequential_with_config_round_trip(layer, sample_shape):
    from tork.keras.models.sequential import Sequential

    x = torch.tensor(RNG.normal(size=(2, *sample_shape)).astype(np.float32))
    out = Sequential([layer])(x)
    _check_shapes(layer, (2, *sample_shape), out)
    clone = type(layer).from_config(_round_trip(layer))
    np.testing.assert_array_equal(_np(clone(x)), _np(out))


def test_zero_padding1d_config_keys_as_keras2():
    # tf.keras 2's ZeroPadding1D has no `data_format`: it is written only when not the default.
    assert "data_format" not in ZeroPadding1D((1, 2)).get_config()
    config = ZeroPadding1D(1, data_format="channels_first").get_config()
    assert config["data_format"] == "channels_first"
    assert ZeroPadding1D.from_config(config).data_format == "channels_first"
    assert ZeroPadding2D(1).get_config()["data_format"] == "channels_last"
