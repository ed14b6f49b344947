"""AveragePooling3D under a 16-bit policy (fifth differential layer sweep, fuzzl5).

torch's CPU avg_pool3d has no float16/bfloat16 kernel; tf_keras pools bfloat16 on the CPU.
Expected numbers: tf_keras 2.21 under mixed_bfloat16 (/tmp/fuzzl5/probes/ref_fuzzl5.py).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


@pytest.fixture
def bf16_policy():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    yield
    keras.mixed_precision.set_global_policy("float32")


X = np.arange(2 * 3 * 3 * 3 * 2, dtype="float32").reshape(2, 3, 3, 3, 2) / 10

SAME_2 = [1.296875, 1.3984375, 1.6015625, 1.703125, 2.203125, 2.296875, 2.5, 2.59375, 4.0, 4.09375,
          4.3125, 4.375, 4.90625, 5.0, 5.1875, 5.3125, 6.6875, 6.8125, 7.0, 7.09375, 7.59375, 7.6875,
          7.90625, 8.0, 9.375, 9.5, 9.6875, 9.8125, 10.25, 10.375, 10.625, 10.6875]  # fmt: skip
VALID_123 = [0.5, 0.6015625, 2.296875, 2.40625, 4.09375, 4.1875, 5.90625, 6.0, 7.6875, 7.8125, 9.5,
             9.625]  # fmt: skip


@pytest.mark.parametrize(
    "kwargs, shape, expected",
    [
        (dict(pool_size=2, padding="same"), (2, 2, 2, 2, 2), SAME_2),
        (dict(pool_size=(1, 2, 3), padding="valid"), (2, 3, 1, 1, 2), VALID_123),
    ],
)
def test_average_pooling3d_mixed_bfloat16(bf16_policy, kwargs, shape, expected):
    out = keras.layers.AveragePooling3D(**kwargs)(X)
    assert out.dtype == tf.bfloat16
    assert tuple(out.shape) == shape
    np.testing.assert_allclose(
        np.asarray(tf.cast(out, "float32")).ravel(), expected, rtol=0, atol=0.02
    )


def test_average_pooling3d_stride1_same_bfloat16(bf16_policy):
    # Stride 1 with an even window pads explicitly and divides by the real cell count.
    out = keras.layers.AveragePooling3D(2, strides=1, padding="same")(X)
    assert out.dtype == tf.bfloat16 and tuple(out.shape) == (2, 3, 3, 3, 2)
    first = np.asarray(tf.cast(out, "float32")).ravel()[:6]
    np.testing.assert_allclose(
        first, [1.296875, 1.3984375, 1.5, 1.6015625, 1.6015625, 1.703125], atol=0.02
    )


def test_average_pooling3d_float16_input_in_model():
    # A float16 layer (TF's CPU has no float16 kernel either); the mean of a window in float16.
    layer = keras.layers.AveragePooling3D(2, dtype="float16")
    out = layer(X)
    assert out.dtype == tf.float16
    np.testing.assert_allclose(
        np.asarray(tf.cast(out, "float32")).ravel()[:2], [1.3, 1.4], atol=0.01
    )
