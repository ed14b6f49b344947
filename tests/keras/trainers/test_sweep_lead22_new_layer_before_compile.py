"""A layer put into a built model before compile trains from the first step (BiT's
`model._head = Dense(...)` then compile and fit; usersweep22b's finding).

tf_keras 2.21 on the same script: losses [1.0, 3.24, 8.57881] over 3 epochs (SGD 0.1 on
ones, the new head starting at zeros), 4 trainable weights. tork trained nothing before
(the trainable list was taken at compile, before the new head had weights).
"""

import numpy as np

import tork as tf

keras = tf.keras


class _Model(keras.Model):
    def __init__(self):
        super().__init__()
        self.a = keras.layers.Dense(3, kernel_initializer="ones")
        self.head = keras.layers.Dense(2, kernel_initializer="ones")

    def call(self, x):
        return self.head(self.a(x))


def test_a_head_replaced_after_build_trains_from_the_first_step():
    model = _Model()
    model.build((None, 3))
    model.head = keras.layers.Dense(2, kernel_initializer="zeros")
    model.compile(keras.optimizers.SGD(0.1), "mse")
    x = np.ones((4, 3), "float32")
    y = np.ones((4, 2), "float32")
    history = model.fit(x, y, epochs=3, verbose=0, batch_size=4)
    np.testing.assert_allclose(history.history["loss"], [1.0, 3.24, 8.57881], rtol=1e-5)
    assert len(model.trainable_weights) == 4
