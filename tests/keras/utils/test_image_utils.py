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
