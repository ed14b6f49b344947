"""A list of several arrays given to a one-input Sequential (sentdex's `predict([img, ...])`).

tf_keras 2.21 raises ValueError: 'Layer "sequential"
expects 1 input(s), but it received 2 input tensors.'; tork raised AttributeError
("'list' object has no attribute 'ndim'") from inside Conv2D.
"""

import numpy as np
import pytest

import tork as tf


def _model():
    return tf.keras.Sequential(
        [
            tf.keras.layers.Conv2D(2, 3, input_shape=(8, 8, 1)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(1),
        ],
        name="seq",
    )


def test_two_arrays_for_one_input_raise_keras_error():
    model = _model()
    a = np.zeros((1, 8, 8, 1), "float32")
    with pytest.raises(ValueError, match=r'Layer "seq" expects 1 input\(s\), but it received 2'):
        model.predict([a, a], verbose=0)
    # A one-element list is the input itself, as in Keras.
    assert model.predict([a], verbose=0).shape == (1, 1)


def test_first_layer_taking_lists_keeps_its_own_errors():
    # No declared input: the list goes to Concatenate, whose own shape error stays.
    model = tf.keras.Sequential([tf.keras.layers.Concatenate(axis=1), tf.keras.layers.Dense(1)])
    good = model([np.ones((2, 3), "float32"), np.ones((2, 2), "float32")])
    assert tuple(good.shape) == (2, 1)
    with pytest.raises(ValueError) as info:
        model([np.ones((2, 3), "float32"), np.ones((4, 2), "float32")])
    assert "expects 1 input(s)" not in str(info.value)
