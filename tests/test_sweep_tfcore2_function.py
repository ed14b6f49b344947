"""Concrete functions check their arguments' dtypes, as TF 2.21 (tfcore2 sweep)."""

import pytest

import tork as tf


@tf.function
def double(a):
    return a + a


def test_concrete_function_refuses_another_dtype():
    # TF 2.21: InvalidArgumentError "cannot compute __inference_double_5 as input
    # #0(zero-based) was expected to be a string tensor but is a int32 tensor".
    strings = double.get_concrete_function(tf.TensorSpec(shape=None, dtype=tf.string))
    assert strings(tf.constant("a")).numpy() == b"aa"
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"input #0\(zero-based\) was expected to be a string tensor but is a int32 tensor",
    ):
        strings(tf.constant(1))
    floats = double.get_concrete_function(tf.TensorSpec(shape=[2], dtype=tf.float32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="float32 tensor but is a float64"):
        floats(tf.constant([1.0, 2.0], dtype=tf.float64))
    ints = double.get_concrete_function(tf.constant(1))
    with pytest.raises(tf.errors.InvalidArgumentError, match="int32 tensor but is a float32"):
        ints(tf.constant(1.0))


def test_concrete_function_accepts_what_tf_accepts():
    floats = double.get_concrete_function(tf.TensorSpec(shape=[2], dtype=tf.float32))
    # TF does not check a tensor's shape, and converts lists to the traced dtype.
    assert floats(tf.constant([1.0, 2.0, 3.0])).numpy().tolist() == [2.0, 4.0, 6.0]
    result = floats([1, 2])
    assert result.dtype == tf.float32 and result.numpy().tolist() == [2.0, 4.0]
    ints = double.get_concrete_function(tf.constant(1))
    assert int(ints(tf.constant(5))) == 10 and int(ints(5)) == 10
    vectors = double.get_concrete_function(tf.TensorSpec([None], tf.int32))
    assert vectors(a=tf.constant([1])).numpy().tolist() == [2]


def test_concrete_function_of_a_method():
    class M(tf.Module):
        @tf.function
        def f(self, x, y=2.0):
            return x * y

    m = M()
    cf = m.f.get_concrete_function(tf.TensorSpec([None], tf.float32))
    assert cf(tf.constant([1.0, 2.0])).numpy().tolist() == [2.0, 4.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="float32 tensor but is a int32"):
        cf(tf.constant([1, 2]))
