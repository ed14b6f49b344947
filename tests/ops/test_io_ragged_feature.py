"""`tf.io.RaggedFeature` in parse_example / parse_single_example (values from TF 2.21)."""

import pytest
import torch

import tork as tf
from tork._backend.errors import InvalidArgumentError

RF = tf.io.RaggedFeature


def _example(**features):
    feature = {}
    for name, value in features.items():
        if isinstance(value[0], bytes):
            feature[name] = tf.train.Feature(bytes_list=tf.train.BytesList(value=value))
        elif isinstance(value[0], float):
            feature[name] = tf.train.Feature(float_list=tf.train.FloatList(value=value))
        else:
            feature[name] = tf.train.Feature(int64_list=tf.train.Int64List(value=value))
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


E1 = _example(v=[1, 2, 3], lens=[2, 1], w=[b"a", b"b"], s=[0, 2, 3], ids=[0, 0, 1])
E2 = _example(v=[4], lens=[0, 1], w=[b"c"], s=[0, 0, 1], ids=[1])


def test_repr_and_defaults_as_tf():
    assert repr(RF(tf.int64)) == (
        "RaggedFeature(dtype=tf.int64, value_key=None, partitions=(), "
        "row_splits_dtype=tf.int32, validate=False)"
    )
    spec = RF(tf.string, partitions=[RF.RowLengths("l"), RF.UniformRowLength(2)])
    assert "partitions=(RowLengths(key='l'), UniformRowLength(length=2))" in repr(spec)


def test_rows_of_values():
    out = tf.io.parse_example([E1, E2], {"v": RF(tf.int64)})["v"]
    assert isinstance(out, tf.RaggedTensor) and out.to_list() == [[1, 2, 3], [4]]
    assert out.row_splits.dtype == torch.int32  # TF's default row_splits_dtype
    out = tf.io.parse_example([E1, E2], {"v": RF(tf.int64, row_splits_dtype=tf.int64)})["v"]
    assert out.row_splits.dtype == torch.int64
    strings = tf.io.parse_example([E1, E2], {"x": RF(tf.string, value_key="w")})["x"]
    assert strings.to_list() == [[b"a", b"b"], [b"c"]]
    floats = tf.io.parse_example(
        [_example(f=[1.5, 2.5]), _example(f=[3.0])], {"f": RF(tf.float32)}
    )["f"]
    assert floats.to_list() == [[1.5, 2.5], [3.0]]
    missing = tf.io.parse_example([E1, _example(q=[1])], {"v": RF(tf.int64)})["v"]
    assert missing.to_list() == [[1, 2, 3], []]
    single = tf.io.parse_single_example(E1, {"v": RF(tf.int64)})["v"]
    assert isinstance(single, torch.Tensor) and single.tolist() == [1, 2, 3]


@pytest.mark.parametrize(
    "partition", [RF.RowLengths("lens"), RF.RowSplits("s"), RF.ValueRowIds("ids")]
)
def test_partitions(partition):
    out = tf.io.parse_example([E1, E2], {"v": RF(tf.int64, partitions=[partition])})["v"]
    assert out.to_list() == [[[1, 2], [3]], [[], [4]]]
    single = tf.io.parse_single_example(E1, {"v": RF(tf.int64, partitions=[partition])})["v"]
    assert single.to_list() == [[1, 2], [3]]


def test_row_starts_limits_and_uniform_length():
    starts = tf.io.parse_example([E1], {"v": RF(tf.int64, partitions=[RF.RowStarts("s")])})
    assert starts["v"].to_list() == [[[1, 2], [3], []]]
    limits = tf.io.parse_example(
        [_example(v=[1, 2, 3], lim=[1, 3])], {"v": RF(tf.int64, partitions=[RF.RowLimits("lim")])}
    )
    assert limits["v"].to_list() == [[[1], [2, 3]]]
    uniform = tf.io.parse_example(
        [_example(v=[1, 2, 3, 4]), _example(v=[5, 6])],
        {"v": RF(tf.int64, partitions=[RF.UniformRowLength(2)])},
    )
    assert uniform["v"].to_list() == [[[1, 2], [3, 4]], [[5, 6]]]


def test_invalid_partition_is_an_error():
    # TensorFlow (validate=False) returns a truncated tensor; tork reports the mismatch.
    with pytest.raises(InvalidArgumentError, match="must equal the number of values"):
        tf.io.parse_example(
            [_example(v=[1, 2], lens=[3])], {"v": RF(tf.int64, partitions=[RF.RowLengths("lens")])}
        )
    with pytest.raises(TypeError, match="partitions must be RaggedFeature.RowSplits"):
        tf.io.parse_example([E1], {"v": RF(tf.int64, partitions=["lens"])})
