"""A list of inputs holding a RaggedTensor: predict/evaluate slice it as a structure."""

import numpy as np

import tork as tf
from tork import keras


def _model():
    a = keras.Input((3,))
    r = keras.Input((None,), ragged=True)
    out = keras.layers.Dense(1, kernel_initializer="ones")(a) + tf.reduce_sum(
        r, axis=1, keepdims=True
    )
    model = keras.Model([a, r], out)
    model.compile("sgd", "mse")
    return model


def test_predict_and_evaluate_on_a_list_with_a_ragged_tensor():
    model = _model()
    x = [np.ones((2, 3), "float32"), tf.ragged.constant([[1.0, 2.0], [3.0]])]
    # Row sums 3 of the ones plus the ragged rows' sums 3 and 3.
    np.testing.assert_allclose(model.predict(x, verbose=0).ravel(), [6.0, 6.0])
    y = np.array([[6.0], [7.0]], "float32")
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), 0.5)
