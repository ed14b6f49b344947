"""Sweep of Geron's "Hands-On ML" (2nd ed.), ch. 13: tf.io.parse_single_sequence_example."""

import numpy as np
import pytest

import tork as tf

T = tf.train


def _words(words):
    return T.Feature(bytes_list=T.BytesList(value=[w.encode() for w in words]))


def _book_example() -> bytes:
    context = T.Features(
        feature={
            "author_id": T.Feature(int64_list=T.Int64List(value=[123])),
            "title": T.Feature(bytes_list=T.BytesList(value=[b"A", b"desert", b"place", b"."])),
            "pub_date": T.Feature(int64_list=T.Int64List(value=[1623, 12, 25])),
        }
    )
    content = [["When", "shall", "we"], ["In", "thunder", ",", "or"]]
    lists = T.FeatureLists(
        feature_list={
            "content": T.FeatureList(feature=[_words(s) for s in content]),
            "f": T.FeatureList(
                feature=[
                    T.Feature(float_list=T.FloatList(value=[1.0, 2.0])),
                    T.Feature(float_list=T.FloatList(value=[3.0, 4.0])),
                ]
            ),
            "v": T.FeatureList(
                feature=[
                    T.Feature(int64_list=T.Int64List(value=[1])),
                    T.Feature(),
                    T.Feature(int64_list=T.Int64List(value=[2, 3, 4])),
                ]
            ),
        }
    )
    return T.SequenceExample(context=context, feature_lists=lists).SerializeToString()


def test_context_and_feature_lists_as_tf():
    context, lists = tf.io.parse_single_sequence_example(
        _book_example(),
        {
            "author_id": tf.io.FixedLenFeature([], tf.int64, default_value=0),
            "title": tf.io.VarLenFeature(tf.string),
            "pub_date": tf.io.FixedLenFeature([3], tf.int64, default_value=[0, 0, 0]),
        },
        {
            "content": tf.io.VarLenFeature(tf.string),
            "f": tf.io.FixedLenSequenceFeature([2], tf.float32),
            "v": tf.io.VarLenFeature(tf.int64),
        },
    )
    assert int(context["author_id"]) == 123
    np.testing.assert_array_equal(context["pub_date"].numpy(), [1623, 12, 25])
    assert list(context["title"].values.numpy()) == [b"A", b"desert", b"place", b"."]
    ragged = tf.RaggedTensor.from_sparse(lists["content"])
    assert ragged.to_list() == [[b"When", b"shall", b"we"], [b"In", b"thunder", b",", b"or"]]
    assert list(np.asarray(lists["content"].dense_shape)) == [2, 4]
    np.testing.assert_array_equal(lists["f"].numpy(), [[1.0, 2.0], [3.0, 4.0]])
    # TF 2.21: an empty step keeps its row; the dense shape is (steps, longest step).
    v = lists["v"]
    np.testing.assert_array_equal(np.asarray(v.indices), [[0, 0], [2, 0], [2, 1], [2, 2]])
    np.testing.assert_array_equal(np.asarray(v.values), [1, 2, 3, 4])
    assert list(np.asarray(v.dense_shape)) == [3, 3]


def test_missing_lists_and_errors():
    data = _book_example()
    _, lists = tf.io.parse_single_sequence_example(
        data,
        sequence_features={
            "gone": tf.io.VarLenFeature(tf.string),
            "none": tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True),
        },
    )
    assert list(np.asarray(lists["gone"].dense_shape)) == [0, 0]
    assert tuple(lists["none"].shape) == (0,)
    with pytest.raises(tf.errors.InvalidArgumentError, match="'gone' is required"):
        tf.io.parse_single_sequence_example(
            data, sequence_features={"gone": tf.io.FixedLenSequenceFeature([], tf.int64)}
        )
    with pytest.raises(tf.errors.InvalidArgumentError, match="has 2 values but its"):
        tf.io.parse_single_sequence_example(
            data, sequence_features={"f": tf.io.FixedLenSequenceFeature([3], tf.float32)}
        )
    with pytest.raises(tf.errors.InvalidArgumentError, match="asks for int64"):
        tf.io.parse_single_sequence_example(
            data, sequence_features={"f": tf.io.VarLenFeature(tf.int64)}
        )
