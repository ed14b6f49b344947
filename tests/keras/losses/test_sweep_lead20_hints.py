"""Shape-mismatch hints of the losses (Stack Overflow questions, sofq sweep)."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def test_fractional_labels_are_not_called_class_indices():
    y_true = np.array([0.5, 1.2, 3.3, 0.1], "float32")
    with pytest.raises(ValueError, match=r"labels of shape \(4,\) do not match") as info:
        keras.losses.mean_squared_error(y_true, tf.constant(np.zeros((4, 3), "float32")))
    assert "class indices" not in str(info.value)


def test_whole_number_labels_still_get_the_class_index_hint():
    y_true = np.array([0.0, 1.0, 2.0, 1.0], "float32")
    with pytest.raises(ValueError, match="look like integer class indices for 3 classes"):
        keras.losses.mean_squared_error(y_true, tf.constant(np.zeros((4, 3), "float32")))


def test_cnn_without_flatten_names_the_missing_layer():
    model = keras.Sequential(
        [keras.Input((6, 6, 1)), keras.layers.Conv2D(3, 3), keras.layers.Dense(2)]
    )
    model.compile("sgd", "mse")
    with pytest.raises(
        ValueError, match=r"\(4, 2\) do not match predictions of shape \(4, 4, 4, 2\)"
    ) as info:
        model.fit(np.ones((4, 6, 6, 1), "float32"), np.ones((4, 2), "float32"), verbose=0)
    assert "add a Flatten or GlobalAveragePooling layer" in str(info.value)
