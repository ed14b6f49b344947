"""A BatchNormalization subclass that overrides `call` works under mixed precision.

google/automl's EfficientDet wraps BatchNormalization
(`class BatchNormalization(tf.keras.layers.BatchNormalization)` whose `call` calls
`super().call(inputs, training)`). Under 'mixed_float16' tork cast the subclass's
trainable weights (gamma, beta) to float16 for its `call`, and torch's batch norm then
failed on the float32 inputs. Keras creates gamma and beta with
`experimental_autocast=False`, so they stay float32. Reference values: TF 2.21 /
tf_keras in the reference env (the same script, printed outputs).
"""

import numpy as np
import pytest

import tork as tf


class _BN(tf.keras.layers.BatchNormalization):
    def call(self, inputs, training=None):
        return super().call(inputs, training)


@pytest.fixture
def mixed():
    tf.keras.mixed_precision.set_global_policy("mixed_float16")
    yield
    tf.keras.mixed_precision.set_global_policy("float32")


X = np.linspace(-2, 2, 2 * 3 * 3 * 4).reshape(2, 3, 3, 4).astype("float32")


@pytest.mark.parametrize("cls", [tf.keras.layers.BatchNormalization, _BN])
def test_inference_under_mixed_float16(mixed, cls):
    layer = cls()
    y = layer(X, training=False)
    assert y.dtype == tf.float16
    # TF: [-1.9990234375, -1.9423828125, -1.88671875, -1.830078125]
    np.testing.assert_allclose(
        np.asarray(y, "float32")[0, 0, 0], [-1.9990234375, -1.9423828125, -1.88671875, -1.830078125]
    )
    assert layer.gamma.dtype == tf.float32


@pytest.mark.parametrize("cls", [tf.keras.layers.BatchNormalization, _BN])
def test_training_under_mixed_float16(mixed, cls):
    layer = cls()
    with tf.GradientTape() as tape:
        y = layer(X, training=True)
        loss = tf.reduce_sum(tf.cast(y, tf.float32) * tf.constant([1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_allclose(np.asarray(y, "float32")[0, 0, 0], [-1.6376953125] * 4)
    assert layer.moving_mean.dtype == tf.float32
    np.testing.assert_allclose(
        np.asarray(layer.moving_mean),
        [
            -0.0008450148161500692,
            -0.000281541608273983,
            0.000281541608273983,
            0.0008450148161500692,
        ],
        rtol=1e-5,
    )
    grads = tape.gradient(loss, [layer.gamma, layer.beta])
    assert all(g is not None and g.dtype == tf.float32 for g in grads)
    # d loss / d beta = the weight per channel times the 18 positions.
    np.testing.assert_allclose(np.asarray(grads[1]), [18.0, 36.0, 54.0, 72.0], rtol=1e-3)
