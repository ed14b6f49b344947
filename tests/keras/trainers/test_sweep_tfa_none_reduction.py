"""A compiled loss object with `reduction=NONE` (TF Addons' TripletSemiHardLoss and
SigmoidFocalCrossEntropy default to it): tf_keras logs the mean of the per-sample values
and differentiates their sum. Expected numbers: tf_keras 2.21 on the same script.
"""

import numpy as np
import pytest

import tork as tf


class _PerSample(tf.keras.losses.Loss):
    def __init__(self, **kwargs):
        super().__init__(reduction=tf.keras.losses.Reduction.NONE, **kwargs)

    def call(self, y_true, y_pred):
        return tf.reduce_sum(tf.square(y_true - y_pred), axis=-1)


def _model(jit_compile=False):
    inputs = tf.keras.Input((4,))
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(3)(inputs))
    kernel = np.linspace(-1, 1, 12).reshape(4, 3).astype("float32")
    model.set_weights([kernel, np.zeros(3, "float32")])
    model.compile(tf.keras.optimizers.legacy.SGD(0.01), loss=_PerSample(), jit_compile=jit_compile)
    return model


@pytest.mark.parametrize("jit_compile", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_fit_with_per_sample_loss_object_matches_tf(jit_compile):
    rng = np.random.RandomState(0)
    x = rng.randn(12, 4).astype("float32")
    y = rng.rand(12, 3).astype("float32")
    model = _model(jit_compile)
    history = model.fit(x, y, epochs=3, batch_size=6, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], [5.669593, 2.4203393, 1.428272], rtol=1e-5)
    np.testing.assert_allclose(
        model.get_weights()[0][0], [-0.1691749, -0.18766657, -0.13061881], rtol=1e-5
    )
    assert model.evaluate(x, y, verbose=0) == pytest.approx(1.02638, rel=1e-5)
