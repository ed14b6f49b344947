"""`compile(optimizer, loss, [])`: Keras 2's third positional argument is `metrics`.

An empty list there means "no metrics" (tf-keras's premade model tests compile this way);
taken as Keras 3's `loss_weights=[]` it left the loss without any weight. Expected loss
values come from tf_keras 2.21 in the reference env with the same weights and data.
"""

import numpy as np

import tork as tf

keras = tf.keras


def _model():
    inp = keras.Input(shape=(2,))
    out = keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")(inp)
    return keras.Model(inp, out)


def test_empty_third_positional_is_no_metrics():
    x = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-2.0, 1.0]], "float32")
    y = np.array([[1.0], [0.0], [2.0], [-1.0]], "float32")
    for empty in ([], (), {}):
        model = _model()
        model.compile(keras.optimizers.SGD(0.1), "mse", empty)
        history = model.fit(x, y, epochs=2, batch_size=4, verbose=0, shuffle=False)
        assert set(history.history) == {"loss"}
        # numpy: mean((x @ [1, 1] - y) ** 2) = (4 + 4 + 1 + 0) / 4 = 2.25 before the first step
        np.testing.assert_allclose(history.history["loss"][0], 2.25, rtol=1e-5)
        # tf_keras, same code: loss [2.25, 1.1404685]
        np.testing.assert_allclose(history.history["loss"][1], 1.1404685, rtol=1e-5)
