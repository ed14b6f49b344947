"""keras.utils.load_img / img_to_array / array_to_img / save_img (TF's image tutorial)."""

import numpy as np
import pytest

import tork as tf
from tork import keras

Image = pytest.importorskip("PIL.Image")


def test_round_trip_through_a_png_file(tmp_path):
    rng = np.random.default_rng(0)
    array = rng.integers(0, 256, size=(5, 7, 3)).astype("float32")
    path = str(tmp_path / "x.png")
    keras.utils.save_img(path, array, scale=False)
    img = keras.utils.load_img(path)
    assert img.size == (7, 5)
    back = keras.utils.img_to_array(img)
    assert back.shape == (5, 7, 3) and back.dtype == np.float32
    np.testing.assert_array_equal(back, array)
    gray = keras.utils.img_to_array(keras.utils.load_img(path, color_mode="grayscale"))
    assert gray.shape == (5, 7, 1)
    first = keras.utils.img_to_array(img, data_format="channels_first")
    np.testing.assert_array_equal(first, array.transpose(2, 0, 1))


def test_target_size_and_the_tutorial_prediction_idiom(tmp_path):
    path = str(tmp_path / "flat.png")
    Image.fromarray(np.full((10, 20, 3), 40, np.uint8)).save(path)
    img = keras.utils.load_img(path, target_size=(4, 6))
    img_array = keras.utils.img_to_array(img)
    assert img_array.shape == (4, 6, 3)
    np.testing.assert_array_equal(img_array, 40.0)
    batch = tf.expand_dims(img_array, 0)
    assert tuple(batch.shape) == (1, 4, 6, 3)
    square = keras.utils.load_img(path, target_size=(3, 3), keep_aspect_ratio=True)
    assert square.size == (3, 3)


def test_array_to_img_scales_to_the_full_range():
    img = keras.utils.array_to_img(np.array([[[0.0], [0.5]], [[1.0], [0.25]]]))
    np.testing.assert_array_equal(np.asarray(img), [[0, 127], [255, 63]])


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="color_mode must be"):
        keras.utils.load_img(str(tmp_path / "x.png"), color_mode="cmyk")
    with pytest.raises(ValueError, match="rank 3"):
        keras.utils.array_to_img(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="unsupported number of channels 2"):
        keras.utils.array_to_img(np.zeros((4, 4, 2)))


def _gradient_png(path):
    # 4x6 RGB, red channel 0, 15, 30, ... (values from TF below were computed on it).
    array = (np.arange(4 * 6 * 3).reshape(4, 6, 3) * 5 % 256).astype(np.uint8)
    Image.fromarray(array).save(path)
    return array


def test_keep_aspect_ratio_resizes_the_centred_box_as_keras(tmp_path):
    path = str(tmp_path / "g.png")
    _gradient_png(path)
    img = keras.utils.load_img(
        path, target_size=(2, 2), keep_aspect_ratio=True, interpolation="bilinear"
    )
    # tf_keras 2.21: the 4x4 box at column 1 is resized, the filter also reading the
    # columns beside it (cropping first gives other values).
    np.testing.assert_array_equal(keras.utils.img_to_array(img)[..., 0], [[87, 117], [119, 149]])
    img = keras.utils.load_img(
        path, target_size=(3, 2), keep_aspect_ratio=True, interpolation="nearest"
    )
    # The box width is floor(4 * 2 / 3) = 2 (rounding would give 3), at column 2.
    np.testing.assert_array_equal(
        keras.utils.img_to_array(img)[..., 0], [[30, 45], [210, 225], [44, 59]]
    )


def test_load_img_sources_grayscale_flag_and_16_bit_grayscale(tmp_path):
    import io
    import pathlib

    path = tmp_path / "g.png"
    array = _gradient_png(str(path))
    from_bytes = keras.utils.load_img(io.BytesIO(path.read_bytes()))
    np.testing.assert_array_equal(keras.utils.img_to_array(from_bytes), array)
    assert keras.utils.load_img(pathlib.Path(path)).size == (6, 4)
    with pytest.warns(UserWarning, match="grayscale is deprecated"):
        assert keras.utils.load_img(str(path), grayscale=True).mode == "L"
    with pytest.raises(TypeError, match="path should be path-like or io.BytesIO"):
        keras.utils.load_img(123)
    # As Keras, the interpolation name is only checked when the image is resized.
    assert keras.utils.load_img(str(path), interpolation="cubic").size == (6, 4)
    with pytest.raises(ValueError, match="interpolation must be one of"):
        keras.utils.load_img(str(path), target_size=(2, 2), interpolation="cubic")
    deep = np.array([[0, 300, 65535], [1000, 256, 7]], dtype=np.uint16)
    Image.fromarray(deep).save(tmp_path / "deep.png")
    img = keras.utils.load_img(str(tmp_path / "deep.png"), color_mode="grayscale")
    # 16-bit grayscale keeps its values (no clipping to 255).
    np.testing.assert_array_equal(keras.utils.img_to_array(img)[..., 0], deep)


def test_img_to_array_follows_floatx_and_array_to_img_keeps_deep_grayscale():
    img = Image.fromarray(np.full((2, 3), 9, np.uint8))
    keras.backend.set_floatx("float64")
    try:
        assert keras.utils.img_to_array(img).dtype == np.float64
    finally:
        keras.backend.set_floatx("float32")
    assert keras.utils.img_to_array(img, data_format="channels_first").shape == (1, 2, 3)
    with pytest.raises(ValueError, match="data_format must be 'channels_last' or"):
        keras.utils.img_to_array(img, data_format="nhwc")
    values = np.array([[[0.0], [300.0]], [[1000.0], [70000.0]]])
    deep = keras.utils.array_to_img(values, scale=False)
    assert deep.mode == "I"
    np.testing.assert_array_equal(np.asarray(deep), values[..., 0])
    assert keras.utils.array_to_img(values / 1000, scale=False).mode == "L"


def test_save_img_warns_when_dropping_alpha_for_jpeg(tmp_path):
    with pytest.warns(UserWarning, match="JPG format does not support RGBA"):
        keras.utils.save_img(str(tmp_path / "a.jpg"), np.ones((4, 4, 4)), file_format="jpeg")
    assert Image.open(tmp_path / "a.jpg").mode == "RGB"


def test_smart_resize_matches_keras():
    smart_resize = keras.preprocessing.image.smart_resize
    x = np.arange(5 * 7, dtype="float32").reshape(5, 7, 1)
    # tf_keras 2.21: the 5x5 centred crop (columns 1-5), resized bilinearly.
    out = smart_resize(x, (3, 3))
    assert isinstance(out, np.ndarray) and out.shape == (3, 3, 1)
    np.testing.assert_allclose(
        out[..., 0],
        [[3.6666665, 5.333333, 7.0], [15.333333, 17.0, 18.666666], [27.0, 28.666666, 30.333332]],
        atol=1e-5,
    )
    # A 2x4 target: the crop is 3 rows (floor(7 * 2 / 4)) starting at row 1.
    np.testing.assert_array_equal(
        smart_resize(x, (2, 4), interpolation="nearest")[..., 0],
        [[7, 9, 11, 13], [21, 23, 25, 27]],
    )
    batch = smart_resize(tf.constant(np.stack([x, x])), (3, 3))
    assert not isinstance(batch, np.ndarray) and tuple(batch.shape) == (2, 3, 3, 1)
    with pytest.raises(ValueError, match="Expected `size` to be a tuple of 2 integers"):
        smart_resize(x, (3,))
    with pytest.raises(ValueError, match="incorrect rank"):
        smart_resize(x[..., 0], (3, 3))
