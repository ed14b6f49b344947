"""tf.io.parse_sequence_example (batched) and RaggedFeature feature lists (fuzzdata4).

Expected values come from TensorFlow 2.21 (/tmp/fuzzdata4/p_pseq4.py run with real TF):
tork raised "does not implement tf.io.parse_sequence_example" and refused RaggedFeature
in parse_single_sequence_example's sequence_features.
"""

import numpy as np
import pytest

import tork as tf

F = tf.train.Feature


def _i64(*a):
    return F(int64_list=tf.train.Int64List(value=list(a)))


def _fl(*a):
    return F(float_list=tf.train.FloatList(value=list(a)))


def _by(*a):
    return F(bytes_list=tf.train.BytesList(value=list(a)))


def _seqex(i, with_s=True):
    ctx = {"id": _i64(i), "tags": _by(*[b"t%d" % j for j in range(i)])}
    lists = {
        "tok": tf.train.FeatureList(feature=[_i64(j, j + 1) for j in range(i + 1)]),
        "w": tf.train.FeatureList(feature=[_fl(*([0.5 * j] * j)) for j in range(i + 1)]),
    }
    if with_s:
        lists["s"] = tf.train.FeatureList(feature=[_by(b"a%d" % j) for j in range(i)])
    return tf.train.SequenceExample(
        context=tf.train.Features(feature=ctx),
        feature_lists=tf.train.FeatureLists(feature_list=lists),
    ).SerializeToString()


BATCH = [_seqex(0), _seqex(2, False), _seqex(1)]
CONTEXT = {"id": tf.io.FixedLenFeature([], tf.int64), "tags": tf.io.VarLenFeature(tf.string)}
LISTS = {
    "tok": tf.io.FixedLenSequenceFeature([2], tf.int64),
    "w": tf.io.VarLenFeature(tf.float32),
    "s": tf.io.FixedLenSequenceFeature([], tf.string, allow_missing=True),
}


def _sparse(x):
    return x.indices.numpy().tolist(), x.values.numpy().tolist(), x.dense_shape.numpy().tolist()


def test_batch_of_fixed_varlen_and_context():
    context, lists, lengths = tf.io.parse_sequence_example(BATCH, CONTEXT, LISTS)
    assert context["id"].numpy().tolist() == [0, 2, 1]
    assert _sparse(context["tags"]) == ([[1, 0], [1, 1], [2, 0]], [b"t0", b"t1", b"t0"], [3, 2])
    # FixedLenSequenceFeature lists padded with 0 / b"" to the longest example.
    assert lists["tok"].numpy().tolist() == [
        [[0, 1], [0, 0], [0, 0]],
        [[0, 1], [1, 2], [2, 3]],
        [[0, 1], [1, 2], [0, 0]],
    ]
    assert lists["s"].numpy().tolist() == [[b""], [b""], [b"a0"]]
    # VarLenFeature lists: (batch, longest list, longest step) SparseTensor.
    assert _sparse(lists["w"]) == (
        [[1, 1, 0], [1, 2, 0], [1, 2, 1], [2, 1, 0]],
        [0.5, 1.0, 1.0, 0.5],
        [3, 3, 2],
    )
    assert sorted(lengths) == ["s", "tok"]
    assert lengths["tok"].numpy().tolist() == [1, 3, 2]
    assert lengths["s"].numpy().tolist() == [0, 0, 1]
    assert lengths["tok"].dtype == tf.int64


def test_batch_of_ragged_lists():
    _, lists, lengths = tf.io.parse_sequence_example(
        tf.constant(BATCH),
        sequence_features={
            "tok": tf.io.RaggedFeature(tf.int64),
            "w": tf.io.RaggedFeature(tf.float32, row_splits_dtype=tf.int64),
            "t2": tf.io.RaggedFeature(tf.int64, value_key="tok"),
        },
    )
    expected_tok = [[[0, 1]], [[0, 1], [1, 2], [2, 3]], [[0, 1], [1, 2]]]
    assert lists["tok"].to_list() == expected_tok
    assert lists["t2"].to_list() == expected_tok
    assert lists["tok"].row_splits.dtype == tf.int32
    assert lists["w"].to_list() == [[[]], [[], [0.5], [1.0, 1.0]], [[], [0.5]]]
    assert lists["w"].row_splits.dtype == tf.int64
    assert lengths == {}


def test_missing_lists_and_scalar_input():
    _, lists, lengths = tf.io.parse_sequence_example(
        BATCH, None, {"zz": tf.io.FixedLenSequenceFeature([2], tf.float32, allow_missing=True)}
    )
    assert tuple(lists["zz"].shape) == (3, 0, 2)
    assert lengths["zz"].numpy().tolist() == [0, 0, 0]
    _, lists, _ = tf.io.parse_sequence_example(BATCH, None, {"zz": tf.io.VarLenFeature(tf.int64)})
    assert _sparse(lists["zz"]) == ([], [], [3, 0, 0])
    context, lists, lengths = tf.io.parse_sequence_example(BATCH[0], CONTEXT, LISTS)
    assert int(context["id"]) == 0
    assert lists["tok"].numpy().tolist() == [[0, 1]]
    assert _sparse(lists["w"]) == ([], [], [1, 0])
    assert int(lengths["tok"]) == 1 and int(lengths["s"]) == 0


def test_in_dataset_map():
    ds = tf.data.Dataset.from_tensor_slices(BATCH).batch(2)
    ds = ds.map(lambda s: tf.io.parse_sequence_example(s, CONTEXT, LISTS))
    spec = ds.element_spec
    assert spec[1]["tok"].shape.as_list() == [None, None, 2]
    assert spec[2]["tok"].shape.as_list() == [None]
    out = list(ds)
    assert out[0][1]["tok"].numpy().tolist() == [[[0, 1], [0, 0], [0, 0]], [[0, 1], [1, 2], [2, 3]]]
    assert out[1][2]["s"].numpy().tolist() == [1]


def test_single_sequence_example_ragged_lists():
    _, lists = tf.io.parse_single_sequence_example(
        BATCH[1],
        sequence_features={
            "tok": tf.io.RaggedFeature(tf.int64),
            "w": tf.io.RaggedFeature(tf.float32, row_splits_dtype=tf.int64),
            "zz": tf.io.RaggedFeature(tf.string),
        },
    )
    assert lists["tok"].to_list() == [[0, 1], [1, 2], [2, 3]]
    assert lists["w"].to_list() == [[], [0.5], [1.0, 1.0]]
    assert lists["w"].row_splits.dtype == tf.int64
    assert lists["zz"].to_list() == []
    _, lists = tf.io.parse_single_sequence_example(
        BATCH[1],
        sequence_features={
            "tok": tf.io.RaggedFeature(
                tf.int64, partitions=[tf.io.RaggedFeature.UniformRowLength(2)]
            )
        },
    )
    assert lists["tok"].to_list() == [[[0, 1]], [[1, 2]], [[2, 3]]]


def test_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="feature list 's' is required"):
        tf.io.parse_sequence_example(
            BATCH, None, {"s": tf.io.FixedLenSequenceFeature([], tf.string)}
        )
    with pytest.raises(ValueError, match="requires default_value=None"):
        tf.io.parse_sequence_example(
            BATCH, None, {"s": tf.io.FixedLenSequenceFeature([], tf.string, default_value="P")}
        )
    with pytest.raises(TypeError, match="must be a tf.io.VarLenFeature, FixedLenSequenceFeature"):
        tf.io.parse_sequence_example(BATCH, None, {"tok": tf.io.FixedLenFeature([2], tf.int64)})
    with pytest.raises(NotImplementedError, match="only RaggedFeature.UniformRowLength"):
        tf.io.parse_single_sequence_example(
            BATCH[1],
            sequence_features={
                "tok": tf.io.RaggedFeature(
                    tf.int64, partitions=[tf.io.RaggedFeature.RowLengths("x")]
                )
            },
        )
    with pytest.raises(ValueError, match="1-D batch"):
        tf.io.parse_sequence_example(np.array([BATCH[:2]], dtype=object), None, {})
