"""tf.type_spec_from_value (proposed by fuzzdata3); reprs printed by TF 2.21."""

import numpy as np

import tork as tf


def test_type_spec_from_value_matches_tf():
    cases = [
        (tf.constant([1.0]), "TensorSpec(shape=(1,), dtype=tf.float32, name=None)"),
        (
            tf.ragged.constant([[1], []]),
            "RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)",
        ),
        (tf.sparse.from_dense([[1, 0]]), "SparseTensorSpec(TensorShape([1, 2]), tf.int32)"),
        (np.zeros((2, 3), np.float64), "TensorSpec(shape=(2, 3), dtype=tf.float64, name=None)"),
        ([1, 2], "TensorSpec(shape=(2,), dtype=tf.int32, name=None)"),
        (3.0, "TensorSpec(shape=(), dtype=tf.float32, name=None)"),
        ("ab", "TensorSpec(shape=(), dtype=tf.string, name=None)"),
        (
            tf.data.Dataset.range(3).batch(2),
            "DatasetSpec(TensorSpec(shape=(None,), dtype=tf.int64, name=None), TensorShape([]))",
        ),
    ]
    for value, expected in cases:
        assert repr(tf.type_spec_from_value(value)) == expected


def test_variable_gives_a_tensor_spec():
    # TF gives VariableSpec(shape=(2,), dtype=tf.float32, trainable=True, alias_id=None);
    # tork has no VariableSpec: the shape and dtype are the same.
    spec = tf.type_spec_from_value(tf.Variable([1.0, 2.0]))
    assert spec.shape.as_list() == [2] and spec.dtype == tf.float32
