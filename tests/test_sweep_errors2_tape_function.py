"""Errors for user mistakes found by the second errors sweep: GradientTape, tf.function."""

import pytest

import tork as tf


def test_gradient_of_a_string_target_is_none_as_in_tf():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.strings.as_string(v)
    assert tape.gradient(y, v) is None


def test_input_signature_must_be_a_list():
    # TF: "input_signature must be either a tuple or a list, got <class '...TensorSpec'>".
    with pytest.raises(TypeError, match=r"input_signature must be either a tuple or a list"):

        @tf.function(input_signature=tf.TensorSpec([None], tf.float32))
        def g(x):
            return x * 2


def test_input_signature_dtype_mismatch_uses_tf_dtype_names():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def g(x):
        return x * 2

    with pytest.raises(TypeError) as info:
        g(tf.constant([1, 2]))
    text = str(info.value)
    assert "has dtype int32, but the signature expects float32" in text
    assert "tf.cast(x, tf.float32)" in text
    assert "torch." not in text


def test_get_concrete_function_without_needed_arguments():
    # TF 2.21: TypeError "Binding inputs to tf.function failed due to `missing a required
    # argument: 'x'`"; before, tork returned a ConcreteFunction that failed only when called.
    @tf.function
    def g(x):
        return x * 2

    with pytest.raises(TypeError, match=r"missing a required argument: 'x'.*tf\.TensorSpec"):
        g.get_concrete_function()


def test_get_concrete_function_without_parameters_and_on_methods():
    @tf.function
    def h():
        return tf.constant(1.0)

    assert float(h.get_concrete_function()()) == 1.0

    class M(tf.Module):
        @tf.function
        def f(self):
            return tf.constant(2.0)

        @tf.function
        def k(self, x):
            return x

    m = M()
    assert float(m.f.get_concrete_function()()) == 2.0
    with pytest.raises(TypeError, match="missing a required argument: 'x'"):
        m.k.get_concrete_function()
