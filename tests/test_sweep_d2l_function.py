"""tf.function around a callable object (d2l: `net = tf.function(net)` on a Keras model)."""

import pytest

import tork as tf


class _Scale:
    def __call__(self, x):
        return x * 2


def test_function_of_model_runs_and_has_a_repr():
    net = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,))])
    fn = tf.function(net)
    out = fn(tf.ones((1, 4)))
    assert tuple(out.shape) == (1, 2)
    assert repr(fn) == "<tork.function.Function Sequential>"


def test_signature_error_names_the_callable_class():
    fn = tf.function(_Scale(), input_signature=[tf.TensorSpec([None], tf.float32)])
    assert float(fn(tf.constant([3.0]))[0]) == 6.0
    # Before: AttributeError ('Function' object has no attribute '__name__').
    with pytest.raises(ValueError, match="input_signature of `_Scale`"):
        fn(tf.ones((2, 2)))


def test_saved_model_save_of_function_object_gives_clear_error(tmp_path):
    net = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,))])
    fn = tf.function(net)
    fn(tf.ones((1, 4)))
    # TensorFlow refuses this export too; tork must say why, not fail inside repr().
    with pytest.raises(ValueError, match="Expected an object of type `Trackable`"):
        tf.saved_model.save(fn, str(tmp_path / "my_mlp"))


def test_plain_function_keeps_its_name():
    def double(x):
        return x * 2

    fn = tf.function(double)
    assert fn.__name__ == "double" and repr(fn).endswith(".double>")
