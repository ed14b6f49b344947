"""Dataset.map functions that write `img /= 255.0` (TF tensors are immutable)."""

import functools

import numpy as np

import tork as tf


def _first_values(ds):
    return [float(np.asarray(e[0]).reshape(-1)[0]) for e in ds]


def test_cast_then_divide_does_not_change_the_dataset():
    # The Coursera labs: `image = tf.cast(image, tf.float32); image /= 255.0` on float images.
    x = np.full((4, 3, 3, 1), 51.0, np.float32)

    def fmt(img, label):
        img = tf.cast(img, tf.float32)
        img /= 255.0
        return img, label

    ds = tf.data.Dataset.from_tensor_slices((x, np.arange(4))).map(fmt).batch(2)
    for _ in range(3):  # every epoch sees 51 / 255, as in TF 2.21
        np.testing.assert_allclose(_first_values(ds), [0.2, 0.2], rtol=1e-6)
    assert x[0, 0, 0, 0] == 51.0


def test_same_size_resize_then_divide_in_tf_function():
    @tf.function
    def map_fn(img, label):
        img = tf.image.resize(img, (3, 3))
        img /= 255.0
        return img, label

    t = tf.constant(np.full((2, 3, 3, 3), 51.0, np.float32))
    ds = tf.data.Dataset.from_tensor_slices((t, [0, 1])).map(map_fn)
    for _ in range(2):
        np.testing.assert_allclose(_first_values(ds), [0.2, 0.2], rtol=1e-6)
    assert float(t[0, 0, 0, 0]) == 51.0


def test_subtract_in_partial_and_dict_elements():
    def shift(features, amount):
        image = tf.cast(features["image"], tf.float32)
        image -= amount
        return image

    t = tf.constant(np.full((2, 2), 5.0, np.float32))
    ds = tf.data.Dataset.from_tensor_slices({"image": t}).map(functools.partial(shift, amount=1.0))
    for _ in range(2):
        np.testing.assert_allclose([float(e[0]) for e in ds], [4.0, 4.0])
    assert float(t[0, 0]) == 5.0


def _normalize(input_image, input_mask):
    input_image = tf.cast(input_image, tf.float32) / 255.0
    input_mask -= 1
    return input_image, input_mask


def test_in_place_write_inside_a_called_helper():
    # The U-Net lab: the map function calls `normalize`, which writes `input_mask -= 1`.
    @tf.function
    def load_image_test(datapoint):
        input_image = tf.image.resize(datapoint["image"], (4, 4), method="nearest")
        input_mask = tf.image.resize(datapoint["mask"], (4, 4), method="nearest")
        return _normalize(input_image, input_mask)

    masks = np.full((3, 4, 4, 1), 2, np.uint8)
    images = np.zeros((3, 4, 4, 3), np.uint8)
    ds = tf.data.Dataset.from_tensor_slices({"image": images, "mask": masks})
    ds = ds.map(load_image_test)
    for _ in range(3):  # TF 2.21: the mask is 1 in every epoch
        assert [int(tf.reduce_sum(tf.cast(m, tf.int32))) for _, m in ds] == [16, 16, 16]
