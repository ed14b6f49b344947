"""Sizes given by the largest value of a symbolic input stay unknown (tf_keras's None).

See `_real_outputs` in tork/keras/models/functional/node.py. Expected shapes printed by tf_keras 2.21
(TF_USE_LEGACY_KERAS=1) for the same code. Before the patch tork gave (None, 1), (2,) and
(None, 2): the twins of ones agreed on the largest value.
"""

import numpy as np

import tork as tf

keras = tf.keras


def test_sequence_mask_without_maxlen_has_an_unknown_length():
    lengths = keras.Input((), dtype="int32")
    mask = tf.sequence_mask(lengths)
    assert tuple(mask.shape) == (None, None)  # tf_keras: (None, None)
    model = keras.Model(lengths, tf.cast(mask, "float32"))
    out = model.predict(np.array([1, 3], "int32"), verbose=0)
    np.testing.assert_allclose(out, [[1, 0, 0], [1, 1, 1]])


def test_bincount_has_an_unknown_length():
    ids = keras.Input((), dtype="int32")
    rows = keras.Input((5,), dtype="int32")
    assert tuple(tf.math.bincount(ids).shape) == (None,)  # tf_keras: (None,)
    assert tuple(tf.math.bincount(rows, axis=-1).shape) == (None, None)  # tf_keras
    model = keras.Model(ids, tf.math.bincount(ids))
    np.testing.assert_array_equal(
        model.predict(np.array([0, 3, 3], "int32"), verbose=0), [1, 0, 0, 2]
    )


def test_value_independent_sizes_stay_known():
    ids = keras.Input((5,), dtype="int32")
    # A gather from a 2-row table cannot take a 2: inferred as before, (None, 5).
    assert tuple(tf.gather(tf.constant([1.0, 2.0]), tf.minimum(ids, 1)).shape) == (None, 5)
    assert tuple(tf.sequence_mask(ids, 4).shape) == (None, 5, 4)
