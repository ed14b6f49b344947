"""String tensors: tf.constant / convert_to_tensor of strings."""

import numpy as np
import pytest
import torch

import tork as tf


def test_constant_of_strings():
    t = tf.constant(["héllo", b"world"])
    assert t.dtype == tf.string and tf.string == "string"
    assert t.shape == (2,) and len(t) == 2
    values = t.numpy()
    assert type(values) is np.ndarray and values.tolist() == ["héllo".encode(), b"world"]
    assert t[1].numpy() == b"world" and t[1].shape == ()
    # TF 2.21's print()/str() and repr() texts.
    assert str(t) == "tf.Tensor([b'h\\xc3\\xa9llo' b'world'], shape=(2,), dtype=string)"
    assert str(tf.constant("a")) == "tf.Tensor(b'a', shape=(), dtype=string)"
    assert repr(tf.constant("a")) == "<tf.Tensor: shape=(), dtype=string, numpy=b'a'>"
    assert tf.constant("a").numpy() == b"a"
    assert [x.numpy() for x in tf.constant(["a", "b"])] == [b"a", b"b"]
    assert tf.constant([["a", "b"], ["c", "d"]]).shape == (2, 2)
    assert tf.expand_dims(t, -1).shape == (2, 1)
    assert tf.constant(["a", "b"]).get_shape().as_list() == [2]


def test_convert_numpy_and_nested():
    for value in (
        np.array(["x", "y"]),
        np.array([b"x", b"y"]),
        np.array(["x", b"y"], dtype=object),
    ):
        assert tf.convert_to_tensor(value).numpy().tolist() == [b"x", b"y"]
    nested = tf.convert_to_tensor([tf.constant("a"), "b"])
    assert nested.numpy().tolist() == [b"a", b"b"]
    assert tf.convert_to_tensor("a", dtype=tf.string).numpy() == b"a"
    assert tf.dtypes.as_dtype("string") is tf.string
    assert tf.dtypes.as_dtype(np.dtype("U3")) is tf.string


def test_equality_is_elementwise():
    t = tf.constant(["a", "b", "a"])
    assert torch.equal(t == "a", torch.tensor([True, False, True]))
    assert torch.equal(t != ["a", "a", "a"], torch.tensor([False, True, False]))


def test_errors():
    with pytest.raises(TypeError, match="holds only str or bytes values, got 1 \\(int\\)"):
        tf.constant(["a", 1])
    with pytest.raises(TypeError, match="does not cast strings to numbers"):
        tf.constant("a", dtype=tf.float32)
    with pytest.raises(TypeError, match="got 1.0 \\(float\\)"):
        tf.convert_to_tensor(1.0, dtype=tf.string)
    with pytest.raises(TypeError, match="tf.strings.as_string"):
        tf.convert_to_tensor(torch.ones(2), dtype=tf.string)
    with pytest.raises(ValueError, match=r"must be rectangular.*tf\.ragged\.constant"):
        tf.constant([["a"], ["b", "c"]])


def test_plus_concatenates_strings_elementwise_as_tensorflow():
    a = tf.constant("a")
    assert (a + a).numpy() == b"aa"
    assert ("x" + a).numpy() == b"xa"
    assert (a + b"z").numpy() == b"az"
    both = tf.constant(["p", "q"]) + a
    assert both.dtype == tf.string
    assert both.numpy().tolist() == [b"pa", b"qa"]


def test_plus_refuses_numbers_and_unbroadcastable_shapes():
    with pytest.raises(TypeError):
        tf.constant("a") + tf.constant(1)
    with pytest.raises(ValueError, match=r"shapes \(2,\) and \(3,\): the shapes do not broadcast"):
        tf.constant(["a", "b"]) + tf.constant(["a", "b", "c"])
