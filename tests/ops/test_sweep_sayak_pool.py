"""Dilated `tf.nn.pool` refuses what TensorFlow refuses (sayakpaul/Revisiting-Pooling sweep).

TensorFlow 2.21 raises ValueError for dilations > 1 with 'SAME' padding or with strides > 1;
tork used to return a result TensorFlow never defines.
"""

import numpy as np
import pytest

import tork as tf


def test_dilated_pool_with_same_padding_raises():
    x = tf.ones((1, 6, 6, 1))
    with pytest.raises(ValueError, match=r"pool: 'SAME' padding is not implemented for dilations"):
        tf.nn.pool(x, [2, 2], "MAX", padding="SAME", dilations=[2, 1])


def test_dilated_pool_with_strides_raises():
    x = tf.ones((1, 6, 6, 1))
    with pytest.raises(ValueError, match=r"strides > 1 are not supported together with dilations"):
        tf.nn.pool(x, [2, 2], "MAX", padding="VALID", strides=[2, 2], dilations=2)


def test_allowed_combinations_still_pool():
    x = np.arange(36, dtype="float32").reshape(1, 6, 6, 1)
    # Dilation 2 with a 2x2 window: the max of x[i, j], x[i, j+2], x[i+2, j], x[i+2, j+2].
    got = tf.nn.pool(x, [2, 2], "MAX", padding="VALID", dilations=[2, 2]).numpy()[0, :, :, 0]
    want = np.maximum.reduce(
        [x[0, 2:, 2:, 0], x[0, 2:, :-2, 0], x[0, :-2, 2:, 0], x[0, :-2, :-2, 0]]
    )
    np.testing.assert_array_equal(got, want)
    # Dilations of 1 keep SAME padding and strides working.
    pooled = tf.nn.pool(x, [2, 2], "AVG", strides=[2, 2], padding="SAME", dilations=1)
    assert tuple(pooled.shape) == (1, 3, 3, 1)
