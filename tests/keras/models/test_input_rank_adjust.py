"""Models declared for a trailing axis of size 1 take inputs without it, and vice versa.

As Keras's functional models do (TensorFlow's regression tutorial fits a model with
`input_shape=[1]` on a 1-D column).
"""

import numpy as np
import pytest

from tork import keras


def _weights(model):
    kernel, bias = (w.numpy() for w in model.layers[-1].weights)
    return kernel, bias


@pytest.mark.parametrize("kind", ["functional", "sequential_input", "sequential_input_shape"])
def test_one_dimensional_inputs_get_their_trailing_axis(kind):
    if kind == "functional":
        inputs = keras.Input((1,))
        model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    elif kind == "sequential_input":
        model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(2)])
    else:
        model = keras.Sequential([keras.layers.Dense(2, input_shape=[1])])
    x = np.linspace(-1, 1, 8).astype("float32")
    kernel, bias = _weights(model)
    np.testing.assert_allclose(model.predict(x, verbose=0), x[:, None] @ kernel + bias, rtol=1e-6)
    model.compile("sgd", "mse")
    history = model.fit(x, np.stack([2 * x, -x], axis=1), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_an_extra_trailing_axis_of_size_one_is_dropped():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    x = np.arange(6, dtype="float32").reshape(2, 3)
    kernel, bias = _weights(model)
    np.testing.assert_allclose(model(x[..., None]).numpy(), x @ kernel + bias, rtol=1e-6)


def test_other_rank_mismatches_still_name_the_shapes():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    with pytest.raises(ValueError, match=r"expects shape \(None, 3\).*received shape \(3,\)"):
        model(np.zeros(3, dtype="float32"))
