"""A pass-through `compute_loss(*args, **kwargs)` with a Keras 2 style train_step.

HF transformers' TFPreTrainedModel overrides both: its train_step calls
`self.compiled_loss(...)` and returns `{m.name: m.result() for m in self.metrics}`. The
logged loss was 0.0 in tork (a tracker of its own, never fed, stood first in metrics).
"""

import numpy as np

import tork as tf
from tork import keras


class _PassThrough(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)

    def call(self, x):
        return self.d(x)

    def compute_loss(self, *args, **kwargs):
        return super().compute_loss(*args, **kwargs)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            p = self(x, training=True)
            loss = self.compiled_loss(y, p, None, regularization_losses=self.losses)
        self.optimizer.minimize(loss, self.trainable_variables, tape=tape)
        return {m.name: m.result() for m in self.metrics}


_X = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 1.0], [2.0, 0.0]], "float32")
_Y = np.array([[1.0], [2.0], [3.0], [4.0]], "float32")


def test_history_logs_the_compiled_loss():
    model = _PassThrough()
    model.compile(keras.optimizers.SGD(0.01), "mse")
    history = model.fit(_X, _Y, batch_size=2, epochs=2, shuffle=False, verbose=0)
    # tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), same script: [9.873300552368164, 7.053694248199463].
    np.testing.assert_allclose(history.history["loss"], [9.8733006, 7.0536942], rtol=1e-5)
    assert [m.name for m in model.metrics] == ["loss"]


def test_first_batch_loss_by_hand():
    model = _PassThrough()
    model.compile(keras.optimizers.SGD(0.0), "mse")
    history = model.fit(_X[:2], _Y[:2], batch_size=2, epochs=1, verbose=0)
    # kernel ones: predictions 3 and 7 for labels 1 and 2 -> mse (4 + 25) / 2.
    np.testing.assert_allclose(history.history["loss"], [14.5], rtol=1e-6)
