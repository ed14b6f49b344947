"""BatchNormalization with a float16/bfloat16 dtype keeps float32 weights (tf_keras).

Found by differential layer testing against tf_keras (helper fuzzl3): tf_keras 2 raises the
parameters of a float16/bfloat16 BatchNormalization to float32 (its `_param_dtype`); tork
made them float16, so gamma/beta and the moving statistics lost precision. Expected values
printed by TensorFlow 2.21 with tf_keras 2.21 (CPU) running the same code.
"""

import numpy as np
import pytest
import torch

import tork as tf

L = tf.keras.layers
X = np.array([[1.0, -2.0, 3.0], [2.0, 0.0, -1.0], [0.5, 1.5, 2.5], [-1.0, 4.0, 0.0]], "float32")


@pytest.mark.parametrize(
    "dtype,out_dtype", [("float16", torch.float16), ("mixed_float16", torch.float16)]
)
def test_float16_batch_normalization_has_float32_weights(dtype, out_dtype):
    bn = L.BatchNormalization(momentum=0.5, dtype=dtype)
    y = bn(X, training=True)
    assert y.dtype == out_dtype
    assert [w.dtype for w in bn.weights] == [torch.float32] * 4
    assert [w.dtype for w in bn.get_weights()] == [np.float32] * 4
    np.testing.assert_allclose(
        np.asarray(y, "float32"),
        [
            [0.34619140625, -1.3125, 1.12109375],
            [1.26953125, -0.3994140625, -1.2705078125],
            [-0.11541748046875, 0.285400390625, 0.822265625],
            [-1.5, 1.4267578125, -0.67236328125],
        ],
        atol=2e-3,
    )
    np.testing.assert_allclose(bn.moving_mean, [0.3125, 0.4375, 0.5625], rtol=1e-6)
    np.testing.assert_allclose(bn.moving_variance, [1.0859375, 2.8984375, 1.8984375], rtol=1e-6)
    y2 = bn(X[:2], training=False)
    assert y2.dtype == out_dtype
    np.testing.assert_allclose(
        np.asarray(y2, "float32"),
        [[0.65966796875, -1.431640625, 1.7685546875], [1.6181640625, -0.2568359375, -1.1337890625]],
        atol=2e-3,
    )


def test_bfloat16_and_renorm_weights_are_float32_float64_stays_float64():
    bn = L.BatchNormalization(momentum=0.5, dtype="bfloat16")
    y = bn(X, training=True)
    assert y.dtype == torch.bfloat16
    assert [w.dtype for w in bn.weights] == [torch.float32] * 4
    np.testing.assert_allclose(bn.moving_variance, [1.0859375, 2.8984375, 1.8984375], rtol=1e-6)
    renorm = L.BatchNormalization(renorm=True, dtype="float16")
    renorm(X)
    assert [w.dtype for w in renorm.weights] == [torch.float32] * 7
    f64 = L.BatchNormalization(dtype="float64")
    f64(X.astype("float64"))
    assert [w.dtype for w in f64.weights] == [torch.float64] * 4
