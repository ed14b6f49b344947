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
    assert out["tokens"].tolist() == [4, 5, 6]
    assert out["none"].shape == (0,)


def test_parse_example_batch_pads_var_len():
    batch = [
        _serialized(v=tf.train.FloatList(value=[1.0]), k=tf.train.Int64List(value=[1])),
        _serialized(v=tf.train.FloatList(value=[2.0, 3.0, 4.0]), k=tf.train.Int64List(value=[2])),
        _serialized(k=tf.train.Int64List(value=[3])),
    ]
    out = tf.io.parse_example(
        batch,
        {"v": tf.io.VarLenFeature(tf.float32), "k": tf.io.FixedLenFeature([1], tf.int64)},
    )
    np.testing.assert_array_equal(out["v"].numpy(), [[1, 0, 0], [2, 3, 4], [0, 0, 0]])
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
