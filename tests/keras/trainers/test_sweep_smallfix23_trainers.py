"""A layer put into a built model before compile trains under compile(jit_compile=True) too.

tf_keras 2.21 (reference env) on the same script with jit_compile=True, SGD 0.1, batch 2:
losses [2.12, 6.9217753, 0.4677207] over 3 epochs, 4 trainable weights, new head's kernel
entries 0.19328862.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class _Model(keras.Model):
    def __init__(self):
        super().__init__()
        self.a = keras.layers.Dense(3, kernel_initializer="ones")
        self.head = keras.layers.Dense(2, kernel_initializer="ones")

    def call(self, x):
        return self.head(self.a(x))


# jit_compile=True compiles the step with torch.compile (about 15 s): slow.
@pytest.mark.parametrize("jit_compile", [pytest.param(True, marks=pytest.mark.slow), False])
def test_new_head_trains_under_jit_compile(jit_compile):
    model = _Model()
    model.build((None, 3))
    model.head = keras.layers.Dense(2, kernel_initializer="zeros")  # BiT's `model._head = ...`
    model.compile(keras.optimizers.SGD(0.1), "mse", jit_compile=jit_compile)
    x = np.ones((4, 3), "float32")
    y = np.ones((4, 2), "float32")
    history = model.fit(x, y, epochs=3, verbose=0, batch_size=2)
    np.testing.assert_allclose(history.history["loss"], [2.12, 6.9217753, 0.4677207], rtol=1e-5)
    assert len(model.trainable_weights) == 4
    np.testing.assert_allclose(
        np.asarray(model.head.kernel), np.full((3, 2), 0.19328862), rtol=1e-5
    )
