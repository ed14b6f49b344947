"""`K.function` fed nested Python lists, as TF1-era Keras (feed_dict) took them.

Hvass-Labs TensorFlow tutorial #03-C reads a conv layer's output with
`K.function(inputs=[layer_input.input], outputs=[layer_conv1.output])([[image1]])`:
the outer list holds one value per input, the inner list `[image1]` is a batch of one.
"""

import numpy as np

from tork import keras
from tork.keras import backend as K


def _dense_model():
    inp = keras.Input(shape=(4,))
    out = keras.layers.Dense(2, name="d")(inp)
    model = keras.Model(inp, out)
    kernel = np.arange(8, dtype=np.float32).reshape(4, 2) / 10
    bias = np.array([1.0, -1.0], np.float32)
    model.get_layer("d").set_weights([kernel, bias])
    return model, kernel, bias


def test_nested_list_feed_is_a_batch():
    model, kernel, bias = _dense_model()
    f = K.function(inputs=[model.input], outputs=[model.get_layer("d").output])
    image1 = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
    (out,) = f([[image1]])
    assert out.shape == (1, 2)
    np.testing.assert_allclose(out, image1[None] @ kernel + bias, rtol=1e-6)
    # A list of two rows is a batch of two; plain Python numbers work as well.
    rows = [[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
    (out2,) = f([rows])
    np.testing.assert_allclose(out2, np.array(rows) @ kernel + bias, rtol=1e-6)


def test_nested_list_feed_with_two_inputs():
    a = keras.Input(shape=(2,))
    b = keras.Input(shape=(2,))
    total = keras.layers.Add()([a, b])
    f = K.function([a, b], [total])
    (out,) = f([[[1.0, 2.0]], np.array([[10.0, 20.0]], np.float32)])
    np.testing.assert_allclose(out, [[11.0, 22.0]])


def test_nested_list_feed_with_learning_phase_slot():
    model, kernel, bias = _dense_model()
    f = K.function([model.input, K.learning_phase()], [model.output])
    image1 = np.array([0.5, 0.0, -1.0, 2.0], np.float32)
    (out,) = f([[image1], 0])
    assert out.shape == (1, 2)
    np.testing.assert_allclose(out, image1[None] @ kernel + bias, rtol=1e-6)
