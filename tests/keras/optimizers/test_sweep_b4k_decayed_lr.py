"""A subclass overriding OptimizerV2's `_decayed_lr` sets the built-in optimizers' rate.

bert4keras's `extend_with_piecewise_linear_lr_v2(BaseOptimizer)` (and similar warmup
factories) override `_decayed_lr(var_dtype)`; Keras 2's legacy optimizers read each step's
rate from it (`_prepare_local`), so the override changes training.
"""

import numpy as np

import tork as tf

K = tf.keras.backend

# From tf_keras 2.21 (TF_USE_LEGACY_KERAS=1): the weights after `_fit` with the ramped Adam.
TF_ADAM = np.array([0.44010866, -0.44004846], "float32")


def _ramp(base):
    class Ramp(base):
        # Step t (0-based) trains with learning_rate * (t + 1).
        def _decayed_lr(self, var_dtype):
            scale = K.cast(self.iterations + 1, var_dtype)
            return super()._decayed_lr(var_dtype) * scale

    return Ramp


def _fit(optimizer):
    x = np.array([[1.0, 2.0], [3.0, -1.0]], "float32")
    y = np.array([[1.0], [0.0]], "float32")
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, use_bias=False, input_shape=(2,))])
    model.set_weights([np.array([[0.5], [-0.5]], "float32")])
    model.compile(optimizer, "mse")
    model.fit(x, y, batch_size=2, epochs=3, verbose=0, shuffle=False)
    return model.get_weights()[0][:, 0], x, y


def test_overridden_decayed_lr_scales_legacy_sgd_steps():
    weights, x, y = _fit(_ramp(tf.keras.optimizers.legacy.SGD)(learning_rate=0.1))
    # numpy reference: plain gradient descent on the mse with rate 0.1 * (t + 1).
    w = np.array([0.5, -0.5])
    for t in range(3):
        grad = 2 * x.T @ (x @ w - y[:, 0]) / len(x)
        w = w - 0.1 * (t + 1) * grad
    np.testing.assert_allclose(weights, w, rtol=1e-5)


def test_overridden_decayed_lr_scales_legacy_adam_steps():
    weights, _, _ = _fit(_ramp(tf.keras.optimizers.legacy.Adam)(learning_rate=0.01))
    np.testing.assert_allclose(weights, TF_ADAM, rtol=1e-5)
