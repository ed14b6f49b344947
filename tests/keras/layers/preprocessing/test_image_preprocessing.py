"""Tests for Resizing, CenterCrop and Rescaling against NumPy / PIL references."""

import numpy as np
import pytest
import torch

from tork.keras.layers.preprocessing import CenterCrop, RandomZoom, Rescaling, Resizing

RNG = np.random.default_rng(3)


def _np(t):
    return t.detach().cpu().numpy()


def _linear_matrix(n_in, n_out):
    """Half-pixel-center linear interpolation weights (TF's bilinear), written out directly."""
    m = np.zeros((n_out, n_in))
    for i in range(n_out):
        src = (i + 0.5) * n_in / n_out - 0.5
        src = min(max(src, 0.0), n_in - 1.0)
        lo = int(np.floor(src))
        hi = min(lo + 1, n_in - 1)
        frac = src - lo
        m[i, lo] += 1 - frac
        m[i, hi] += frac
    return m


def _nearest_index(n_in, n_out):
    return np.minimum(np.floor((np.arange(n_out) + 0.5) * n_in / n_out).astype(int), n_in - 1)


@pytest.mark.parametrize("size", [(7, 5), (3, 2), (4, 9)])
def test_bilinear_matches_half_pixel_formula(size):
    images = RNG.random((2, 4, 6, 3)).astype(np.float32)
    out = Resizing(*size)(images)
    assert tuple(out.shape) == (2, *size, 3)
    mh, mw = _linear_matrix(4, size[0]), _linear_matrix(6, size[1])
    expected = np.einsum("oh,bhwc,pw->bopc", mh, images, mw)
    np.testing.assert_allclose(_np(out), expected, rtol=1e-5, atol=1e-6)


def test_nearest():
    images = RNG.random((1, 5, 4, 2)).astype(np.float32)
    out = Resizing(8, 3, interpolation="nearest")(images)
    expected = images[:, _nearest_index(5, 8)][:, :, _nearest_index(4, 3)]
    np.testing.assert_array_equal(_np(out), expected)


def test_bicubic_upsampling_matches_pil():
    image_module = pytest.importorskip("PIL.Image")
    image = RNG.random((5, 6)).astype(np.float32)
    out = _np(Resizing(13, 11, interpolation="bicubic")(image[None, :, :, None]))[0, :, :, 0]
    # PIL's bicubic (a = -0.5, out-of-image taps dropped and renormalized) is TF's kernel;
    # TF reads it from a 1024-entry table, hence the tolerance.
    reference = np.asarray(
        image_module.fromarray(image, mode="F").resize((11, 13), image_module.BICUBIC)
    )
    np.testing.assert_allclose(out, reference, atol=2e-3)


def test_crop_and_pad_to_aspect_ratio():
    image = np.arange(4 * 8, dtype=np.float32).reshape(1, 4, 8, 1)
    out = _np(Resizing(2, 2, crop_to_aspect_ratio=True)(image))[0, :, :, 0]
    center = image[0, :, 2:6, 0]
    # 4 -> 2 with half-pixel centers samples at 0.5 and 2.5: means of 2x2 blocks.
    expected = center.reshape(2, 2, 2, 2).mean(axis=(1, 3))
    np.testing.assert_allclose(out, expected)
    padded = _np(Resizing(4, 4, pad_to_aspect_ratio=True, fill_value=-1.0)(image[:, :2, :4]))
    np.testing.assert_array_equal(padded[0, [0, 3], :, 0], -1.0)
    np.testing.assert_array_equal(padded[0, 1:3, :, 0], image[0, :2, :4, 0])


def test_layouts_and_dtypes():
    images = RNG.integers(0, 255, size=(2, 3, 6, 6)).astype(np.uint8)  # channels first
    out = Resizing(3, 3, data_format="channels_first")(images)
    assert tuple(out.shape) == (2, 3, 3, 3) and out.dtype == torch.float32
    channels_last = Resizing(3, 3)(np.transpose(images, (0, 2, 3, 1)))
    np.testing.assert_allclose(_np(out), np.transpose(_np(channels_last), (0, 3, 1, 2)))
    unbatched = Resizing(3, 3)(np.transpose(images[0], (1, 2, 0)))
    np.testing.assert_allclose(_np(unbatched), _np(channels_last)[0])
    assert Resizing(3, 4).compute_output_shape((None, 8, 8, 3)) == (None, 3, 4, 3)


def test_center_crop():
    image = np.arange(2 * 5 * 6 * 1, dtype=np.float32).reshape(2, 5, 6, 1)
    out = _np(CenterCrop(2, 3)(image))
    np.testing.assert_array_equal(out, image[:, 1:3, 1:4])
    # Smaller than the target: largest centered window of the target aspect, resized.
    small = CenterCrop(8, 4)(image)
    expected = Resizing(8, 4, crop_to_aspect_ratio=True)(image)
    np.testing.assert_allclose(_np(small), _np(expected))
    assert CenterCrop(2, 3).compute_output_shape((None, 5, 6, 1)) == (None, 2, 3, 1)


def test_rescaling():
    x = np.array([[0, 128, 255]], dtype=np.uint8)
    out = Rescaling(1 / 127.5, offset=-1)(x)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(_np(out), x / 127.5 - 1, rtol=1e-6, atol=1e-6)
    per_channel = Rescaling([1.0, 2.0], offset=[0.5, 0.0])(np.ones((2, 2), np.float32))
    np.testing.assert_allclose(_np(per_channel), [[1.5, 2.0], [1.5, 2.0]])
    config = Rescaling([1.0, 2.0], offset=0.5).get_config()
    assert config["scale"] == [1.0, 2.0] and config["offset"] == 0.5


def test_config_round_trips():
    for layer in (
        Resizing(3, 4, interpolation="nearest", crop_to_aspect_ratio=True),
        CenterCrop(2, 3, data_format="channels_first"),
        Rescaling(0.5, offset=1.0),
    ):
        config = layer.get_config()
        assert type(layer).from_config(config).get_config() == config


def test_errors():
    with pytest.raises(ValueError, match="invalid interpolation 'cubic'"):
        Resizing(2, 2, interpolation="cubic")
    # The affine layers have only bilinear and nearest (as in Keras).
    with pytest.raises(NotImplementedError, match="lanczos3"):
        RandomZoom(0.1, interpolation="lanczos3")
    with pytest.raises(ValueError, match=r"height=...\) must be a positive integer"):
        Resizing(0, 2)
    with pytest.raises(ValueError, match=r"rank 3 .* or 4 .*got shape \(4, 4\)"):
        Resizing(2, 2)(np.zeros((4, 4), np.float32))
    with pytest.raises(ValueError, match="data_format"):
        CenterCrop(2, 2, data_format="nhwc")


def _area_matrix(n_in, n_out):
    # Box filter: each output cell averages the input cells it covers, by overlap.
    scale = n_in / n_out
    m = np.zeros((n_out, n_in))
    for i in range(n_out):
        for j in range(n_in):
            m[i, j] = max(0.0, min((i + 1) * scale, j + 1) - max(i * scale, j))
    return m / scale


@pytest.mark.parametrize("size", [(6, 7, 4, 3), (3, 5, 5, 8), (5, 5, 2, 2)])
def test_resizing_area_matches_box_filter(size):
    h, w, oh, ow = size
    images = np.random.default_rng(0).random((2, h, w, 3)).astype(np.float32)
    expected = np.einsum("ih,bhwc,jw->bijc", _area_matrix(h, oh), images, _area_matrix(w, ow))
    out = Resizing(oh, ow, interpolation="area")(images)
    np.testing.assert_allclose(_np(out), expected, rtol=1e-5, atol=1e-5)


# Values printed by TensorFlow 2.21 `keras.layers.Resizing` on x = arange(20)^1.5, (1, 4, 5, 1).
@pytest.mark.parametrize(
    "interpolation, antialias, size, expected",
    [
        ("lanczos3", False, (3, 2), [[1.4780, 7.4242], [22.1813, 34.6498], [59.5765, 75.7442]]),
        ("bilinear", True, (2, 3), [[10.4363, 15.1732, 20.8278], [42.2402, 50.5479, 59.3361]]),
        ("bicubic", True, (3, 2), [[3.0325, 8.6078], [24.5316, 35.0674], [57.6533, 71.3898]]),
    ],
)
def test_resizing_other_kernels_match_tensorflow(interpolation, antialias, size, expected):
    images = np.arange(20, dtype=np.float32).reshape(1, 4, 5, 1) ** 1.5
    layer = Resizing(*size, interpolation=interpolation, antialias=antialias)
    np.testing.assert_allclose(_np(layer(images))[0, :, :, 0], expected, atol=2e-3)


@pytest.mark.parametrize(
    "fill_mode, interpolation, dx, expected",
    [
        # tf.raw_ops.ImageProjectiveTransformV3 on a 1x6 ramp shifted by dx (TF 2.21).
        ("wrap", "bilinear", -0.5, [5.0, 0.5, 1.5, 2.5, 3.5, 4.5]),
        ("wrap", "bilinear", -5.5, [5.0, 1.5, 2.5, 3.5, 4.5, 5.0]),
        ("wrap", "bilinear", 7.25, [1.25, 2.25, 3.25, 0.0, 0.0, 0.25]),
        ("wrap", "bilinear", -12.3, [5.0, 5.0, 5.0, 2.7, 3.7, 4.7]),
        ("wrap", "nearest", -6.5, [5.0, 5.0, 2.0, 3.0, 4.0, 5.0]),
        ("reflect", "nearest", 5.5, [5.0, 5.0, 4.0, 3.0, 2.0, 1.0]),
        ("reflect", "bilinear", -12.3, [0.0, 0.7, 1.7, 2.7, 3.7, 4.7]),
    ],
)
def test_affine_transform_maps_coordinates_as_tensorflow(fill_mode, interpolation, dx, expected):
    from tork.keras.layers.preprocessing._image import affine_transform

    image = torch.arange(6, dtype=torch.float32).reshape(1, 1, 6, 1)
    transform = torch.tensor([[1.0, 0.0, dx, 0.0, 1.0, 0.0, 0.0, 0.0]])
    out = affine_transform(image, transform, interpolation, fill_mode, 9.0)
    np.testing.assert_allclose(out[0, 0, :, 0].numpy(), expected, atol=1e-5)


def test_random_translation_wraps_as_tensorflow():
    image = np.arange(6, dtype="float32").reshape(1, 1, 6, 1)
    from tork.keras.layers import RandomTranslation

    layer = RandomTranslation(0, (0.25, 0.25), fill_mode="wrap")
    out = layer(image, training=True).numpy()[0, 0, :, 0]
    np.testing.assert_allclose(out, [4.5, 5.0, 0.5, 1.5, 2.5, 3.5], atol=1e-5)
