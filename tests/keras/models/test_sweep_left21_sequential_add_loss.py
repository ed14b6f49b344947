"""`seq.add_loss(tensor)` / `seq.add_metric(tensor)` on a built Sequential's tensors.

A Keras 2 Sequential with a known input shape is a functional model, so a loss computed
from `seq.output` (or a layer's output) is added as a branch of its graph. Reference
numbers: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), same weights, data and steps.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], "float32")
Y = np.array([[1.0], [0.0], [2.0]], "float32")


def _set(layer, kernel, bias):
    layer.set_weights([np.array(kernel, "float32"), np.array(bias, "float32")])


@pytest.mark.parametrize("how", ["input", "input_shape", "add"])
def test_symbolic_add_loss_on_the_output(how):
    if how == "input":
        seq = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    elif how == "input_shape":
        seq = keras.Sequential([keras.layers.Dense(1, input_shape=(2,))])
    else:
        seq = keras.Sequential()
        seq.add(keras.Input((2,)))
        seq.add(keras.layers.Dense(1))
    _set(seq.layers[-1], [[0.5], [-0.25]], [0.1])
    seq.add_loss(tf.reduce_mean(seq.output))
    seq.add_loss(lambda: 0.5 * tf.reduce_mean(tf.abs(seq.layers[0].kernel)))
    assert len(seq.losses) == 2
    seq.compile("sgd", "mse")
    np.testing.assert_allclose(seq.evaluate(X, Y, verbose=0), 3.37354, rtol=1e-5)
    seq(X)
    np.testing.assert_allclose([float(v) for v in seq.losses], [0.1875, 0.725], rtol=1e-5)
    seq(X)
    assert len(seq.losses) == 2  # each call replaces the branch's loss
    seq.fit(X, Y, epochs=1, batch_size=3, verbose=0)
    np.testing.assert_allclose(
        seq.layers[0].get_weights()[0].ravel(), [0.45742, -0.22225], rtol=1e-5
    )


def test_add_loss_on_a_hidden_layer_and_add_metric():
    x4 = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [2.0, 0.0]], "float32")
    y4 = np.array([[1.0], [0.0], [2.0], [1.0]], "float32")
    seq = keras.Sequential([keras.layers.Dense(3, input_shape=(2,)), keras.layers.Dense(1)])
    _set(seq.layers[0], [[0.5, -0.2, 0.1], [0.3, 0.4, -0.6]], [0, 0, 0])
    _set(seq.layers[1], [[0.2], [-0.7], [0.5]], [0.05])
    seq.add_loss(0.1 * tf.reduce_mean(tf.square(seq.layers[0].output)))
    seq.add_metric(tf.reduce_max(seq.output), name="max_out")
    seq.compile("sgd", "mse")
    history = seq.fit(x4, y4, epochs=2, batch_size=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], [2.38894, 2.10432], rtol=1e-5)
    np.testing.assert_allclose(history.history["max_out"], [1.00911, 0.99298], rtol=1e-5)
    np.testing.assert_allclose(seq.evaluate(x4, y4, verbose=0), [1.88469, 1.32624], rtol=1e-5)


def test_add_loss_after_build():
    seq = keras.Sequential([keras.layers.Dense(1)])
    seq.build((None, 2))
    seq.add_loss(tf.reduce_mean(seq.output))
    _set(seq.layers[0], [[0.5], [-0.25]], [0.1])
    seq(np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [2.0, 0.0]], "float32"))
    np.testing.assert_allclose([float(v) for v in seq.losses], [0.81875], rtol=1e-5)


def test_add_loss_of_another_input_is_refused():
    seq = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match=r"add_loss\(\) on Sequential model .*Graph disconnected"):
        seq.add_loss(tf.reduce_mean(keras.Input((2,))))


def test_unbuilt_sequential_has_no_output():
    seq = keras.Sequential([keras.layers.Dense(1)])
    with pytest.raises(AttributeError, match=r"has not been built yet, so it has no output"):
        seq.add_loss(tf.reduce_mean(seq.output))
