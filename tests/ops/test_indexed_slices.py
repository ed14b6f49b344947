"""tf.IndexedSlices: expected values are TF 2.21 outputs (written in as constants)."""

import warnings

import pytest

import tork as tf
from tork._backend import indexed_slices


def make():
    return tf.IndexedSlices(
        tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([2, 0]), tf.constant([4, 2])
    )


def test_properties_and_str():
    s = make()
    assert s.shape == tf.TensorShape([4, 2])
    assert s.dtype == tf.float32 and s.indices.dtype == tf.int32
    assert s.dense_shape.tolist() == [4, 2]
    assert s.name is None
    # TF 2.21's str(), character for character.
    assert str(s) == (
        "IndexedSlices(indices=tf.Tensor([2 0], shape=(2,), dtype=int32), values=tf.Tensor(\n"
        "[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32), "
        "dense_shape=tf.Tensor([4 2], shape=(2,), dtype=int32))"
    )
    unknown = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([0]))
    assert unknown.dense_shape is None and str(unknown.shape) == "<unknown>"


def test_densifies_in_tf_ops():
    s = make()
    dense = [[3.0, 4.0], [0.0, 0.0], [1.0, 2.0], [0.0, 0.0]]
    assert tf.convert_to_tensor(s).tolist() == dense
    assert tf.add(s, 1.0).tolist() == [[4.0, 5.0], [1.0, 1.0], [2.0, 3.0], [1.0, 1.0]]
    assert float(tf.reduce_sum(s)) == 10.0
    assert tf.matmul(s, tf.ones([2, 2])).tolist() == [
        [7.0, 7.0],
        [0.0, 0.0],
        [3.0, 3.0],
        [0.0, 0.0],
    ]
    # repeated indices add up (TF 2.21: [[0], [3], [0]])
    dup = tf.IndexedSlices(tf.constant([[1.0], [2.0]]), tf.constant([1, 1]), tf.constant([3, 1]))
    assert tf.convert_to_tensor(dup).tolist() == [[0.0], [3.0], [0.0]]
    assert tf.convert_to_tensor(s, dtype=tf.float64).dtype == tf.float64
    negated = -s
    assert isinstance(negated, tf.IndexedSlices) and negated.values.tolist() == [
        [-1.0, -2.0],
        [-3.0, -4.0],
    ]


def test_python_operators_raise_as_tf():
    s = make()
    with pytest.raises(TypeError, match="unsupported operand"):
        s * 2
    with pytest.raises(TypeError, match="unsupported operand"):
        s + 1


def test_conversion_errors_and_warning(monkeypatch):
    unknown = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([0]))
    with pytest.raises(
        ValueError, match="Tensor conversion requested for IndexedSlices without dense_shape"
    ):
        tf.convert_to_tensor(unknown)
    monkeypatch.setattr(indexed_slices, "_LARGE_DENSE_ELEMENTS", 4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tf.convert_to_tensor(make())
    assert any("to a dense Tensor with 8 elements" in str(w.message) for w in caught)


def test_variable_scatter_takes_indexed_slices():
    v = tf.Variable(tf.zeros([4, 2]))
    v.scatter_update(make())
    assert v.numpy().tolist() == [[3.0, 4.0], [0.0, 0.0], [1.0, 2.0], [0.0, 0.0]]
