"""Symbolic shapes of ops whose output sizes depend on values.

Expected shapes come from tf_keras 2.21 / TF 2.21 (reference env) on keras.Input tensors.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras


def _inputs():
    return keras.Input((5, 3)), keras.Input((5,), dtype="bool"), keras.Input((3,))


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda x, m, y: tf.boolean_mask(x, m), (None, 3)),
        (
            lambda x, m, y: tf.reshape(tf.boolean_mask(x, m), [tf.shape(x)[0], -1, 3]),
            (None, None, 3),
        ),
        (lambda x, m, y: tf.reshape(tf.boolean_mask(x, m), [-1, 6]), (None, 6)),
        (lambda x, m, y: tf.reshape(tf.where(m), [tf.shape(m)[0], -1]), (None, None)),
        (lambda x, m, y: tf.where(m), (None, 2)),
        (lambda x, m, y: tf.unique(tf.reshape(y, [-1]))[0], (None,)),
        (lambda x, m, y: tf.gather_nd(x, tf.where(m)) * tf.boolean_mask(x, m), (None, 3)),
        (lambda x, m, y: tf.boolean_mask(x, m[0], axis=1), (None, None, 3)),
        (lambda x, m, y: tf.boolean_mask(x, m) + tf.reduce_mean(y, 0), (None, 3)),
        (lambda x, m, y: tf.concat([tf.boolean_mask(x, m), y], 0), (None, 3)),
        (lambda x, m, y: keras.layers.Dense(4)(tf.boolean_mask(x, m)), (None, 4)),
        (lambda x, m, y: tf.reduce_sum(tf.boolean_mask(x, m), 0), (3,)),
        (lambda x, m, y: tf.boolean_mask(y, tf.reduce_any(m, 1)), (None, 3)),
        (
            lambda x, m, y: tf.image.non_max_suppression(tf.tile(y, [1, 2])[:, :4], y[:, 0], 3),
            (None,),
        ),
    ],
)
def test_value_dependent_sizes_are_unknown(make, expected):
    assert tuple(make(*_inputs()).shape) == expected


def test_reshaped_boolean_mask_model_values():
    # tf_keras: predict gives shape (2, 3, 3), sum 261.
    x, m, _ = _inputs()
    out = tf.reshape(tf.boolean_mask(x, m), [tf.shape(x)[0], -1, 3])
    model = keras.Model([x, m], out)
    xv = np.arange(30, dtype="float32").reshape(2, 5, 3)
    mv = np.array([[1, 0, 1, 1, 0], [0, 1, 1, 0, 1]], bool)
    result = model.predict([xv, mv], verbose=0)
    assert result.shape == (2, 3, 3)
    assert result.sum() == 261.0
