"""tf.io / tf.image extract_jpeg_shape and decode_and_crop_jpeg (TF 2.21's results)."""

import numpy as np
import pytest

import tork as tf


def _jpeg(height=6, width=8, channels=3):
    pixels = np.random.default_rng(0).integers(0, 255, (height, width, channels))
    return tf.io.encode_jpeg(pixels.astype(np.uint8), quality=100)


def test_extract_jpeg_shape_reads_height_width_channels():
    assert tf.io.extract_jpeg_shape(_jpeg()).tolist() == [6, 8, 3]
    assert tf.io.extract_jpeg_shape(_jpeg()).dtype == tf.int32
    gray = tf.image.extract_jpeg_shape(_jpeg(5, 7, 1), output_type=tf.int64)
    assert gray.tolist() == [5, 7, 1] and gray.dtype == tf.int64


def test_decode_and_crop_jpeg_equals_decode_then_slice():
    data = _jpeg(16, 16)
    full = tf.io.decode_jpeg(data).numpy()
    crop = tf.io.decode_and_crop_jpeg(data, [1, 2, 3, 4])
    assert crop.dtype == tf.uint8
    np.testing.assert_array_equal(crop.numpy(), full[1:4, 2:6])
    gray = tf.image.decode_and_crop_jpeg(data, tf.constant([0, 0, 16, 16]), channels=1)
    assert tuple(gray.shape) == (16, 16, 1)


def test_decode_and_crop_jpeg_window_is_in_downscaled_pixels():
    data = _jpeg(16, 16)
    half = tf.io.decode_jpeg(data, ratio=2).numpy()
    crop = tf.io.decode_and_crop_jpeg(data, [4, 4, 4, 4], ratio=2)
    np.testing.assert_array_equal(crop.numpy(), half[4:8, 4:8])
    with pytest.raises(tf.errors.InvalidArgumentError, match="8x8 decoded image"):
        tf.io.decode_and_crop_jpeg(data, [0, 0, 16, 16], ratio=2)


@pytest.mark.parametrize("window", [[5, 0, 3, 4], [0, 0, 0, 4], [0, 0, -1, 2], [0, 7, 2, 2]])
def test_decode_and_crop_jpeg_refuses_windows_outside_the_image(window):
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"does not lie inside the 6x8"):
        tf.io.decode_and_crop_jpeg(_jpeg(), window)


def test_decode_and_crop_jpeg_needs_four_window_elements():
    with pytest.raises(tf.errors.InvalidArgumentError, match="must have four elements"):
        tf.io.decode_and_crop_jpeg(_jpeg(), [0, 0, 2])


def test_jpeg_only_ops_name_the_format_they_got():
    png = tf.io.encode_png(np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(tf.errors.InvalidArgumentError, match="JPEG only, but detected PNG"):
        tf.io.extract_jpeg_shape(png)
    with pytest.raises(tf.errors.InvalidArgumentError, match="detected PNG.*decode_image"):
        tf.io.decode_and_crop_jpeg(png, [0, 0, 2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="invalid JPEG data, size 7"):
        tf.io.extract_jpeg_shape(b"notjpeg")
    with pytest.raises(ValueError, match="output_type must be tf.int32 or tf.int64"):
        tf.io.extract_jpeg_shape(_jpeg(), output_type=tf.float32)
