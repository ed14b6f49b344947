"""tf.io.parse_single_example / parse_example and the feature configurations."""

import numpy as np
import pytest
import torch

import tork as tf


def _serialized(**features):
    feature = {}
    for name, value in features.items():
        if isinstance(value, tf.train.FloatList):
            feature[name] = tf.train.Feature(float_list=value)
        elif isinstance(value, tf.train.Int64List):
            feature[name] = tf.train.Feature(int64_list=value)
        else:
            feature[name] = tf.train.Feature(bytes_list=value)
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


def test_fixed_len_shapes_and_dtypes():
    data = _serialized(
        img=tf.train.FloatList(value=np.arange(6, dtype=np.float32)),
        label=tf.train.Int64List(value=[7]),
        text=tf.train.BytesList(value=[b"a", b"b"]),
    )
    out = tf.io.parse_single_example(
        data,
        {
            "img": tf.io.FixedLenFeature([2, 3], tf.float32),
            "label": tf.io.FixedLenFeature([], tf.int64),
            "text": tf.io.FixedLenFeature([2], tf.string),
        },
    )
    assert out["img"].dtype == torch.float32
    np.testing.assert_array_equal(out["img"].numpy(), np.arange(6).reshape(2, 3))
    assert out["label"].dtype == torch.int64 and out["label"].shape == () and int(out["label"]) == 7
    assert out["text"].dtype == tf.string
    assert out["text"].numpy().tolist() == [b"a", b"b"]


def test_defaults_and_var_len():
    data = _serialized(tokens=tf.train.Int64List(value=[4, 5, 6]))
    out = tf.io.parse_single_example(
        tf.constant(data),
        {
            "missing": tf.io.FixedLenFeature([2], tf.float32, default_value=[1.0, 2.0]),
            "scalar": tf.io.FixedLenFeature([], tf.int64, default_value=-1),
            "tokens": tf.io.VarLenFeature(tf.int64),
            "none": tf.io.VarLenFeature(tf.string),
        },
    )
    np.testing.assert_array_equal(out["missing"].numpy(), [1.0, 2.0])
    assert int(out["scalar"]) == -1
    # TF 2.21: VarLenFeature parses to a SparseTensor of dense shape (length,).
    tokens = out["tokens"]
    assert isinstance(tokens, tf.SparseTensor)
    assert tokens.indices.tolist() == [[0], [1], [2]]
    assert tokens.values.tolist() == [4, 5, 6]
    assert tokens.values.dtype == tf.int64
    assert tokens.dense_shape.tolist() == [3]
    none = out["none"]
    assert none.indices.shape == (0, 1)
    assert none.dense_shape.tolist() == [0]
    assert none.dtype == tf.string


def test_parse_example_batch_var_len_is_sparse():
    batch = [
        _serialized(v=tf.train.FloatList(value=[1.0]), k=tf.train.Int64List(value=[1])),
        _serialized(v=tf.train.FloatList(value=[2.0, 3.0, 4.0]), k=tf.train.Int64List(value=[2])),
        _serialized(k=tf.train.Int64List(value=[3])),
    ]
    out = tf.io.parse_example(
        batch,
        {"v": tf.io.VarLenFeature(tf.float32), "k": tf.io.FixedLenFeature([1], tf.int64)},
    )
    # TF 2.21: a SparseTensor of dense shape (batch, longest length).
    v = out["v"]
    assert isinstance(v, tf.SparseTensor)
    assert v.indices.tolist() == [[0, 0], [1, 0], [1, 1], [1, 2]]
    assert v.values.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert v.dense_shape.tolist() == [3, 3]
    np.testing.assert_array_equal(tf.sparse.to_dense(v).numpy(), [[1, 0, 0], [2, 3, 4], [0, 0, 0]])
    np.testing.assert_array_equal(out["k"].numpy(), [[1], [2], [3]])


def test_fixed_len_sequence_feature():
    batch = [
        _serialized(p=tf.train.Int64List(value=[1, 2, 3, 4])),
        _serialized(p=tf.train.Int64List(value=[5, 6])),
    ]
    spec = {"p": tf.io.FixedLenSequenceFeature([2], tf.int64, allow_missing=True)}
    out = tf.io.parse_example(batch, spec)
    np.testing.assert_array_equal(out["p"].numpy(), [[[1, 2], [3, 4]], [[5, 6], [0, 0]]])
    single = tf.io.parse_single_example(batch[0], spec)
    np.testing.assert_array_equal(single["p"].numpy(), [[1, 2], [3, 4]])


def test_errors_name_the_feature():
    data = _serialized(x=tf.train.FloatList(value=[1.0, 2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="feature 'y' .* is required"):
        tf.io.parse_single_example(data, {"y": tf.io.FixedLenFeature([], tf.int64)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="'x' of example 0 has 2 values"):
        tf.io.parse_single_example(data, {"x": tf.io.FixedLenFeature([3], tf.float32)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="'x' of example 0 holds float"):
        tf.io.parse_single_example(data, {"x": tf.io.FixedLenFeature([2], tf.int64)})
    with pytest.raises(ValueError, match="dtype must be tf.float32, tf.int64 or tf.string"):
        tf.io.parse_single_example(data, {"x": tf.io.FixedLenFeature([2], tf.float64)})
    with pytest.raises(ValueError, match="must be a scalar"):
        tf.io.parse_single_example([data, data], {"x": tf.io.FixedLenFeature([2], tf.float32)})
    with pytest.raises(ValueError, match="1-D batch"):
        tf.io.parse_example(data, {"x": tf.io.FixedLenFeature([2], tf.float32)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="could not parse example 0"):
        tf.io.parse_single_example(b"\x0a\x09abc", {"x": tf.io.FixedLenFeature([2], tf.float32)})
    with pytest.raises(ValueError, match="default_value of feature 'x'"):
        tf.io.parse_single_example(
            _serialized(), {"x": tf.io.FixedLenFeature([3], tf.float32, default_value=[1.0, 2.0])}
        )
    with pytest.raises(TypeError, match="must be a tf.io.FixedLenFeature"):
        tf.io.parse_single_example(data, {"x": tf.float32})
    with pytest.raises(tf.errors.InvalidArgumentError, match="allow_missing=True"):
        tf.io.parse_example([_serialized()], {"p": tf.io.FixedLenSequenceFeature([], tf.int64)})


def test_sparse_feature_matches_tf():
    # tf.io.SparseFeature (tork/ops/io.py does not export it yet: taken from its module).
    from tork.ops._parse_example import SparseFeature

    batch = [
        _serialized(ix=tf.train.Int64List(value=[3, 1]), v=tf.train.FloatList(value=[1.0, 2.0])),
        _serialized(ix=tf.train.Int64List(value=[0]), v=tf.train.FloatList(value=[5.0])),
    ]
    spec = {"s": SparseFeature("ix", "v", tf.float32, 4)}
    # TF 2.21 outputs
    out = tf.io.parse_example(batch, spec)["s"]
    assert out.indices.tolist() == [[0, 1], [0, 3], [1, 0]]
    assert out.values.tolist() == [2.0, 1.0, 5.0]
    assert out.dense_shape.tolist() == [2, 4]
    one = tf.io.parse_single_example(batch[0], spec)["s"]
    assert one.indices.tolist() == [[1], [3]] and one.values.tolist() == [2.0, 1.0]
    assert one.dense_shape.tolist() == [4]
    unsorted = SparseFeature("ix", "v", tf.float32, 4, already_sorted=True)
    assert tf.io.parse_single_example(batch[0], {"s": unsorted})["s"].indices.tolist() == [[3], [1]]
    two_d = SparseFeature(["ix", "ix"], "v", tf.float32, [4, 4])
    two = tf.io.parse_single_example(batch[0], {"s": two_d})["s"]
    assert two.indices.tolist() == [[1, 1], [3, 3]] and two.dense_shape.tolist() == [4, 4]
    bad = _serialized(ix=tf.train.Int64List(value=[3, 1]), v=tf.train.FloatList(value=[1.0]))
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="index feature 'ix' has 2 values but value feature 'v' has 1",
    ):
        tf.io.parse_single_example(bad, spec)
    with pytest.raises(ValueError, match="has 2 index keys but size"):
        tf.io.parse_single_example(batch[0], {"s": SparseFeature(["ix", "ix"], "v", tf.float32, 4)})


def test_feature_reprs_spell_dtypes_as_tf():
    # TF 2.21's reprs, character for character.
    assert repr(tf.io.FixedLenFeature([], tf.float32)) == (
        "FixedLenFeature(shape=[], dtype=tf.float32, default_value=None)"
    )
    assert repr(tf.io.VarLenFeature(tf.string)) == "VarLenFeature(dtype=tf.string)"
    assert repr(tf.io.FixedLenSequenceFeature([2], tf.int64, allow_missing=True)) == (
        "FixedLenSequenceFeature(shape=[2], dtype=tf.int64, allow_missing=True, default_value=None)"
    )
    assert repr(tf.io.SparseFeature(["a"], "v", tf.float32, [3])) == (
        "SparseFeature(index_key=['a'], value_key='v', dtype=tf.float32, size=[3], "
        "already_sorted=False)"
    )
