"""Keras 2 backend behaviour met in Deep Learning with Python (1st edition) programs."""

import numpy as np
import pytest

import tork as tf
from tork import keras
from tork.keras import backend as K
from tork.keras import layers


def _model_parts():
    inp = keras.Input((3,))
    dense = layers.Dense(2)
    h = dense(inp)
    dense.set_weights([np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "float32"), np.zeros(2)])
    return inp, h


def test_function_scalar_outputs_are_python_numbers():
    # tf_keras 2.21: K.function(...)([x]) -> [float, ndarray] (sync_to_numpy_or_python_type).
    inp, h = _model_parts()
    x = np.ones((2, 3), "float32")
    loss_value, h_value = K.function([inp], [K.mean(h), h])([x])
    assert type(loss_value) is float
    assert loss_value == pytest.approx(10.5)  # mean of rows [9, 12]
    assert isinstance(h_value, np.ndarray)
    np.testing.assert_allclose(h_value, [[9.0, 12.0], [9.0, 12.0]])
    single = K.function([inp], K.sum(h))([x])
    assert type(single) is float and single == pytest.approx(42.0)
    index = K.function([inp], [K.argmax(h, axis=1)[0]])([x])[0]
    assert type(index) is int and index == 1


def test_function_dict_outputs():
    inp, h = _model_parts()
    out = K.function(inp, {"a": K.mean(h), "b": h})(np.ones((1, 3), "float32"))
    assert sorted(out) == ["a", "b"]
    assert type(out["a"]) is float and out["a"] == pytest.approx(10.5)
    np.testing.assert_allclose(out["b"], [[9.0, 12.0]])


def test_gradients_visualisation_with_function():
    # Keras 2.0's filter visualisation: K.gradients of a layer's activation w.r.t. the
    # model's input, iterated with K.function. Numbers: tf_keras in TF 1 graph mode
    # (tf.compat.v1.disable_eager_execution()), TF 2.21.
    inp = keras.Input((3,))
    h = layers.Dense(2, activation="tanh", name="h")(inp)
    model = keras.Model(inp, layers.Dense(1)(h))
    kernel = np.array([[0.5, -0.2], [0.3, 0.1], [-0.4, 0.6]], "float32")
    model.set_weights([kernel, np.zeros(2, "float32"), np.ones((2, 1), "float32"), np.zeros(1)])
    loss = K.mean(model.get_layer("h").output[:, 1])
    grads = K.gradients(loss, model.input)[0]
    grads = grads / (K.sqrt(K.mean(K.square(grads))) + 1e-5)
    iterate = K.function([model.input], [loss, grads])
    x = np.array([[0.1, 0.2, 0.3]], "float32")
    for _ in range(3):
        value, g = iterate([x])
        x = x + g
    assert value == pytest.approx(0.9836087, abs=1e-6)
    np.testing.assert_allclose(g, [[-0.540552, 0.270276, 1.6216562]], atol=1e-6)
    np.testing.assert_allclose(x, [[-1.5224847, 1.0112424, 5.1674542]], atol=1e-6)


def test_gradients_eager_names_gradient_tape():
    # tf_keras refuses K.gradients eagerly ("Use tf.GradientTape instead"); tork too when
    # nothing recorded xs.
    with pytest.raises(RuntimeError, match=r"use tf\.GradientTape instead"):
        K.gradients(tf.constant(1.0), tf.constant(2.0))
    with pytest.raises(AttributeError, match="does not implement `tf.keras.backend.zzz`"):
        K.zzz  # noqa: B018


def test_function_learning_phase_input():
    # Keras 2.0 FAQ idiom: K.function([model.input, K.learning_phase()], [h])([x, phase]).
    model = keras.Sequential(
        [
            layers.Dense(4, input_shape=(3,), use_bias=False),
            layers.Dropout(0.5),
            layers.Dense(1, use_bias=False),
        ]
    )
    model.set_weights([np.ones((3, 4), "float32"), np.ones((4, 1), "float32")])
    x = np.ones((1000, 3), "float32")
    hidden = K.function([model.input, K.learning_phase()], [model.layers[1].output])
    inference = hidden([x, 0])[0]
    np.testing.assert_allclose(inference, np.full((1000, 4), 3.0))
    training = hidden([x, 1])[0]
    # Dropout(0.5) in training mode: each value is 0 or 3 / 0.5 = 6.
    assert set(np.unique(training)) == {0.0, 6.0}
    assert 0.4 < np.mean(training == 0.0) < 0.6
    two_inputs = keras.Input((3,))
    both = layers.Concatenate()([model.input, two_inputs])
    f = K.function([model.input, K.learning_phase(), two_inputs], both)
    np.testing.assert_allclose(f([x[:1], 0, 2 * x[:1]]), [[1, 1, 1, 2, 2, 2]])
