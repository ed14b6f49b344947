"""Negative and zero `clipnorm` / `clipvalue` / `global_clipnorm` (tf_keras 2.21).

Keras 2's legacy optimizers (OptimizerV2) refuse negative values with "Expected clipnorm
>= 0, received: -1.0" and both norms with "Cannot accept both `clipnorm` and
`global_clipnorm`"; a zero clip zeroes the gradients. The new optimizers accept any
value and ignore one that is not positive. Reference: one SGD(1.0) step from [1, 2] with
gradient [3, -4] (and a second variable with a zero gradient), run with tf_keras.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.optimizers.legacy


@pytest.mark.parametrize("cls", [L.SGD, L.Adam, L.RMSprop, L.Nadam])
@pytest.mark.parametrize("key", ["clipnorm", "clipvalue", "global_clipnorm"])
def test_legacy_refuses_negative_clip(cls, key):
    with pytest.raises(ValueError, match=rf"Expected {key} >= 0, received: -1\.0"):
        cls(0.1, **{key: -1.0})


def test_legacy_refuses_clipnorm_with_global_clipnorm():
    with pytest.raises(
        ValueError,
        match=r"Cannot accept both `clipnorm` and `global_clipnorm`\. Received: "
        r"`clipnorm`=1\.0, `global_clipnorm`=1\.0\.",
    ):
        L.SGD(0.1, clipnorm=1.0, global_clipnorm=1.0)


def _step(optimizer):
    v = tf.Variable([1.0, 2.0])
    w = tf.Variable([0.0, 0.0])
    optimizer.apply_gradients([(tf.constant([3.0, -4.0]), v), (tf.constant([0.0, 0.0]), w)])
    return v.numpy(), w.numpy()


@pytest.mark.parametrize(
    "kwargs,expected_v,expected_w",
    [
        # tf_keras: a zero norm scales each gradient by 0 / max(norm, 0): the zero
        # gradient gives 0 / 0 = NaN.
        ({"clipnorm": 0.0}, [1.0, 2.0], [np.nan, np.nan]),
        ({"clipvalue": 0.0}, [1.0, 2.0], [0.0, 0.0]),
        ({"global_clipnorm": 0.0}, [1.0, 2.0], [0.0, 0.0]),
    ],
)
def test_legacy_zero_clip_matches_tf_keras(kwargs, expected_v, expected_w):
    v, w = _step(L.SGD(1.0, **kwargs))
    np.testing.assert_allclose(v, expected_v)
    np.testing.assert_allclose(w, expected_w)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"clipnorm": -1.0},
        {"clipnorm": 0.0},
        {"clipvalue": -1.0},
        {"clipvalue": 0.0},
        {"global_clipnorm": -1.0},
        {"global_clipnorm": 0.0},
    ],
)
def test_new_optimizers_ignore_non_positive_clips(kwargs):
    # tf_keras 2.21: [1, 2] - [3, -4] = [-2, 6], unclipped.
    v, w = _step(keras.optimizers.SGD(1.0, **kwargs))
    np.testing.assert_allclose(v, [-2.0, 6.0])
    np.testing.assert_allclose(w, [0.0, 0.0])
