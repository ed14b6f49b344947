"""A string tensor's `.shape` has TF's TensorShape methods, as other tensors' do (OpenNMT-tf's
`WordNoiser`: `rank = tokens.shape.ndims`). Expected values from TF 2.21."""

import numpy as np

import tork as tf


def test_string_shape_has_tensorshape_methods():
    t = tf.constant(["a", "b"])
    assert t.shape.ndims == 1 and t.shape.rank == 1
    assert t.shape.as_list() == [2]
    assert t.shape == (2,)
    assert t[:1].shape.ndims == 1
    assert tf.constant("x").shape.ndims == 0
    assert tf.constant([["a"]]).shape.as_list() == [1, 1]


def test_string_shape_still_works_with_numpy_and_reshape():
    m = tf.constant([["a", "b"], ["c", "d"]])
    assert tuple(tf.reshape(m, [-1]).shape) == (4,)
    assert np.reshape(m, (4,)).shape == (4,)
    assert m.T.shape.as_list() == [2, 2]
    flat = tf.reshape(m, [-1])
    assert flat.numpy().tolist() == [b"a", b"b", b"c", b"d"]
