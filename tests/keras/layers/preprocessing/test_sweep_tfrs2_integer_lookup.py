"""IntegerLookup as TF Recommenders' DCN tutorial uses it.

The tutorial writes `IntegerLookup(vocabulary=vocabulary, mask_value=None)` (a TF 2.3
argument name tf_keras still takes) over MovieLens's float32 `bucketized_user_age` and
bool `user_gender`. Expected values from TF 2.21 + tf_keras (TF_USE_LEGACY_KERAS=1) and
Keras 3.
"""

import numpy as np
import pytest

import tork as tf


def test_float_and_bool_inputs_and_vocabulary_are_cast_to_int64():
    ages = tf.keras.layers.IntegerLookup(
        vocabulary=np.array([18.0, 25.0, 35.0], dtype="float32"), mask_token=None
    )
    # tf_keras: [-1, 18, 25, 35]; [1 2 3 0] (25.7 truncates to 25); [[1], [3]].
    assert ages.get_vocabulary() == [-1, 18, 25, 35]
    np.testing.assert_array_equal(ages(tf.constant([18.0, 25.7, 35.0, 40.0])), [1, 2, 3, 0])
    np.testing.assert_array_equal(ages(np.array([[18.0], [35.0]])), [[1], [3]])
    genders = tf.keras.layers.IntegerLookup(vocabulary=np.array([False, True]), mask_token=None)
    # tf_keras: [-1, 0, 1] [2 1 2]
    assert genders.get_vocabulary() == [-1, 0, 1]
    np.testing.assert_array_equal(genders(tf.constant([True, False, True])), [2, 1, 2])
    adapted = tf.keras.layers.IntegerLookup(mask_token=None)
    adapted.adapt(np.array([3.0, 3.0, 5.0]))
    assert adapted.get_vocabulary() == [-1, 3, 5]


def test_deprecated_argument_names_warn_and_apply():
    with pytest.warns(UserWarning) as caught:
        layer = tf.keras.layers.IntegerLookup(vocabulary=[3, 5, 7], mask_value=0, oov_value=-7)
    assert [str(w.message) for w in caught] == [
        "mask_value is deprecated, use mask_token instead.",
        "oov_value is deprecated, use oov_token instead.",
    ]
    # tf_keras: [0, -7, 3, 5, 7] [0, 3, 1] 0 -7
    assert layer.get_vocabulary() == [0, -7, 3, 5, 7]
    np.testing.assert_array_equal(layer(tf.constant([0, 5, 9])), [0, 3, 1])
    assert (layer.mask_token, layer.oov_token) == (0, -7)
    with pytest.warns(UserWarning, match="max_values is deprecated, use max_tokens instead"):
        capped = tf.keras.layers.IntegerLookup(max_values=4, mask_token=None)
    capped.adapt(np.array([1, 1, 2, 2, 2, 3, 4]))
    # tf_keras: [-1, 2, 1, 4]
    assert capped.get_vocabulary() == [-1, 2, 1, 4]


def test_strings_still_raise():
    with pytest.raises(ValueError, match="expected integer inputs, got dtype string"):
        tf.keras.layers.IntegerLookup(vocabulary=[1, 2])(tf.constant(["1"]))
