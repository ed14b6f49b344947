"""tf.io.parse_example / parse_single_example return their keys in TF's order (hocv sweep).

TF lists the VarLenFeatures, then the dense features (FixedLen, FixedLenSequence),
then the SparseFeatures and RaggedFeatures, each group sorted by name; printing or
iterating over a parsed example shows that order. Expected lists from TF 2.21.
"""

import tork as tf


def _spec():
    return {
        "z": tf.io.FixedLenFeature([], tf.int64, default_value=0),
        "b": tf.io.FixedLenFeature([], tf.int64),
        "y": tf.io.RaggedFeature(tf.int64, value_key="r"),
        "c": tf.io.RaggedFeature(tf.int64, value_key="r"),
        "v": tf.io.VarLenFeature(tf.int64),
        "aa": tf.io.SparseFeature("idx", "val", tf.int64, 3),
        "a": tf.io.VarLenFeature(tf.float32),
        "q": tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True),
        "m": tf.io.FixedLenFeature([], tf.int64, default_value=3),
    }


def _example() -> bytes:
    def ints(values):
        return tf.train.Feature(int64_list=tf.train.Int64List(value=values))

    feature = {"b": ints([1]), "idx": ints([0]), "val": ints([5]), "r": ints([1, 2])}
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


EXPECTED = ["a", "v", "b", "m", "q", "z", "aa", "c", "y"]


def test_parse_single_example_key_order():
    parsed = tf.io.parse_single_example(_example(), _spec())
    assert list(parsed) == EXPECTED
    assert int(parsed["m"]) == 3 and parsed["y"].numpy().tolist() == [1, 2]


def test_parse_example_key_order():
    assert list(tf.io.parse_example([_example()], _spec())) == EXPECTED


def test_dataset_map_element_spec_key_order():
    spec = {
        "z": tf.io.FixedLenFeature([], tf.int64, default_value=0),
        "b": tf.io.FixedLenFeature([], tf.int64),
        "v": tf.io.VarLenFeature(tf.int64),
    }
    ds = tf.data.Dataset.from_tensors(_example()).map(lambda s: tf.io.parse_single_example(s, spec))
    assert list(ds.element_spec) == ["v", "b", "z"]
    assert list(next(iter(ds))) == ["v", "b", "z"]
