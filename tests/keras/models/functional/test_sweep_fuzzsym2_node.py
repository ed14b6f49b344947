"""KerasTensors a layer's `call` uses without receiving them (helper fuzzsym2).

musikalkemist's VAE samples in a Lambda with `K.random_normal(shape=K.shape(self.mu))`,
`self.mu` being a KerasTensor that is not among the Lambda's inputs. tork used to build
the Lambda with a stand-in size as its static shape, (61, 2) instead of (None, 2), and only
failed in training. tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) raises a TypeError when such a
layer is called (checked for each case below); the layer works when the tensor is passed
as an input, with output shape (None, 2).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
K = keras.backend


def _heads():
    inputs = keras.Input((8,), name="inp")
    hidden = keras.layers.Dense(4, name="hidden")(inputs)
    mu = keras.layers.Dense(2, name="mu")(hidden)
    log_var = keras.layers.Dense(2, name="log_var")(hidden)
    return inputs, mu, log_var


def test_vae_sampling_lambda_closing_over_mu_names_layer_tensor_and_fix():
    _, mu, log_var = _heads()

    def sample(args):
        m, lv = args
        epsilon = K.random_normal(shape=K.shape(mu), mean=0.0, stddev=1.0)
        return m + K.exp(lv / 2) * epsilon

    with pytest.raises(TypeError) as info:
        keras.layers.Lambda(sample, name="z")([mu, log_var])
    message = str(info.value)
    # mu is one of the Lambda's inputs, but the function reads the outer variable.
    assert "Layer 'z' (Lambda) reads the output of layer 'mu' of shape (None, 2)" in message
    assert "from outside its arguments" in message
    assert "Use the argument the layer receives" in message
    assert "`K.shape(mu)`" in message


def test_sampling_lambda_closing_over_a_tensor_it_is_not_given():
    _, mu, log_var = _heads()

    def sample(lv):
        return mu + K.exp(lv / 2) * K.random_normal(shape=K.shape(mu))

    with pytest.raises(TypeError) as info:
        keras.layers.Lambda(sample, name="z")(log_var)
    message = str(info.value)
    assert "Layer 'z' (Lambda) uses the output of layer 'mu' of shape (None, 2)" in message
    assert "not one of its inputs" in message
    assert "Lambda(f)([x, mu])" in message


def test_lambda_given_the_tensor_as_input_builds_with_unknown_batch():
    inputs, mu, log_var = _heads()

    def sample(args):
        m, lv = args
        return m + K.exp(lv / 2) * K.random_normal(shape=K.shape(m))

    z = keras.layers.Lambda(sample, name="z")([mu, log_var])
    assert tuple(z.shape) == (None, 2)  # tf_keras: (None, 2)
    model = keras.Model(inputs, z)
    assert model.output_shape == (None, 2)
    assert model.predict(np.ones((3, 8), "float32"), verbose=0).shape == (3, 2)


@pytest.mark.parametrize(
    "function",
    [
        lambda x, mu: x + mu,
        lambda x, mu: x * tf.cast(tf.shape(mu)[0], "float32"),
        lambda x, mu: mu * 2.0,  # the output comes from the captured tensor alone
    ],
    ids=["operator", "shape_of_captured", "output_from_captured"],
)
def test_lambda_closures_over_a_keras_tensor_raise(function):
    _, mu, log_var = _heads()
    with pytest.raises(TypeError, match="Layer 'lam' \\(Lambda\\) uses the output of layer 'mu'"):
        keras.layers.Lambda(lambda x: function(x, mu), name="lam")(log_var)


def test_lambda_may_read_a_captured_tensors_static_shape():
    # tf_keras builds `x * mu.shape[-1]`: a Python number, not a tensor. Output (None, 2).
    inputs, mu, log_var = _heads()
    out = keras.layers.Lambda(lambda x: x * mu.shape[-1], name="lam")(log_var)
    assert tuple(out.shape) == (None, 2)


def test_subclassed_layer_closing_over_a_keras_tensor_raises():
    _, mu, log_var = _heads()

    class AddCaptured(keras.layers.Layer):
        def call(self, x):
            return x + mu

    with pytest.raises(TypeError, match="Layer 'add_captured' \\(AddCaptured\\) uses the output"):
        AddCaptured(name="add_captured")(log_var)


def test_declared_output_shape_does_not_hide_the_capture():
    # Even with output_shape given, the layer cannot run: tf_keras raises at the call.
    inputs, _, log_var = _heads()
    with pytest.raises(TypeError, match="Layer 'lam' \\(Lambda\\) uses the keras.Input 'inp'"):
        keras.layers.Lambda(
            lambda x: x + tf.reduce_sum(inputs, axis=-1, keepdims=True),
            output_shape=(2,),
            name="lam",
        )(log_var)


def test_captured_op_output_example_is_a_python_name():
    # google-research TFT's ScaledDotProductAttention divides by a `temper` computed from
    # the outer `k` inside a Lambda; tf_keras 2.21 fails with "Could not build a TypeSpec
    # for KerasTensor". The example in tork's message must be valid Python.
    k = keras.Input(shape=(6, 4))
    temper = tf.sqrt(tf.cast(tf.shape(k)[-1], dtype="float32"))
    with pytest.raises(TypeError, match=r"def f\(args\): x, sqrt = args") as info:
        keras.layers.Lambda(lambda x: x / temper)(k)
    assert "layer 'tf.math.sqrt'" in str(info.value)


def test_captured_input_keeps_its_name():
    x = keras.Input(shape=(3,), name="scale_in")
    y = keras.Input(shape=(3,))
    with pytest.raises(TypeError, match=r"def f\(args\): x, scale_in = args"):
        keras.layers.Lambda(lambda t: t * x)(y)
