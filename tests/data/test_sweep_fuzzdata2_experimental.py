"""tf.data.experimental.from_list / at / pad_to_cardinality, prefetch and Optional checks
(fuzzdata2 sweep).

Expected specs, values and messages come from TensorFlow 2.21 (/tmp/tfenv). The three
experimental functions were missing in tork (not implemented); prefetch(-5) was accepted
silently; Optional.from_value(5) said int64 where TF has an int32 tensor.
"""

import numpy as np
import pytest

import tork as tf

E = tf.data.experimental
R = tf.data.Dataset.range


def test_from_list_keeps_each_item_whole():
    ds = E.from_list([(1, "a"), (2, "b")])
    # TF: (TensorSpec((), int32), TensorSpec((), string)), cardinality 2
    assert ds.element_spec == (tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.string))
    assert int(ds.cardinality()) == 2
    assert [(int(a), b) for a, b in ds.as_numpy_iterator()] == [(1, b"a"), (2, b"b")]
    dicts = E.from_list([{"x": [1, 2], "y": 1.5}, {"x": [3, 4], "y": 2.5}])
    # TF: {'x': TensorSpec((2,), int32), 'y': TensorSpec((), float32)}
    assert dicts.element_spec == {
        "x": tf.TensorSpec([2], tf.int32),
        "y": tf.TensorSpec([], tf.float32),
    }
    assert [e["x"].tolist() for e in dicts.as_numpy_iterator()] == [[1, 2], [3, 4]]


def test_from_list_relaxes_differing_dims_and_checks_items():
    ds = E.from_list([[1, 2], [3]])
    # TF: TensorSpec(shape=(None,), dtype=tf.int32); [[1, 2], [3]]
    assert ds.element_spec == tf.TensorSpec([None], tf.int32)
    assert [v.tolist() for v in ds.as_numpy_iterator()] == [[1, 2], [3]]
    # TF: ValueError: Invalid `elements`. `elements` should not be empty. ...
    with pytest.raises(ValueError, match="`elements` should not be empty"):
        E.from_list([])
    with pytest.raises(ValueError, match="must have the same structure and dtypes"):
        E.from_list([(1, 2), 3])


def test_at():
    # TF: 6; {'a': 0}
    assert int(E.at(R(10).map(lambda x: x * 2), 3)) == 6
    assert int(E.at(R(10).map(lambda x: {"a": x}), 0)["a"]) == 0
    assert E.at(R(3).batch(2), 1).tolist() == [2]  # TF: tf.Tensor([2])
    # TF: OutOfRangeError (Index out of range [0, 3):5), also for -1
    with pytest.raises(tf.errors.OutOfRangeError, match=r"index 5 is out of range \[0, 3\)"):
        E.at(R(3), 5)
    with pytest.raises(tf.errors.OutOfRangeError, match="index -1"):
        E.at(R(3), -1)


def test_pad_to_cardinality():
    ds = R(3).map(
        lambda x: {"a": x, "s": tf.strings.as_string(x), "v": tf.fill([2], tf.cast(x, tf.float32))}
    )
    padded = ds.apply(E.pad_to_cardinality(5))
    spec = padded.element_spec
    # TF: a int64, s string, v (2,) float32, valid bool; cardinality 5
    assert spec["valid"] == tf.TensorSpec([], tf.bool)
    assert spec["v"] == tf.TensorSpec([2], tf.float32)
    assert int(padded.cardinality()) == 5
    rows = list(padded.as_numpy_iterator())
    assert [bool(r["valid"]) for r in rows] == [True, True, True, False, False]
    assert [int(r["a"]) for r in rows] == [0, 1, 2, 0, 0]
    assert [r["s"] for r in rows] == [b"0", b"1", b"2", b"", b""]
    np.testing.assert_array_equal(rows[4]["v"], [0.0, 0.0])
    same = R(3).map(lambda x: {"a": x}).apply(E.pad_to_cardinality(3, mask_key="m"))
    assert [bool(r["m"]) for r in same.as_numpy_iterator()] == [True] * 3


def test_pad_to_cardinality_errors():
    # TF's messages (its spelling "cardinalty" included)
    with pytest.raises(ValueError, match="requires its input dataset to be a dictionary"):
        R(3).apply(E.pad_to_cardinality(5))
    with pytest.raises(ValueError, match=r"less than the target cardinality \(5\), but has car"):
        R(6).map(lambda x: {"a": x}).apply(E.pad_to_cardinality(5))
    unknown = R(6).map(lambda x: {"a": x}).filter(lambda d: True)
    with pytest.raises(ValueError, match="must have a known cardinalty, but has cardinality -2"):
        unknown.apply(E.pad_to_cardinality(8))
    ragged = R(3).map(lambda x: {"a": tf.fill([x], x)})
    with pytest.raises(ValueError, match="needs a fully known shape: component 'a'"):
        ragged.apply(E.pad_to_cardinality(5))


def test_prefetch_rejects_negative_buffer_sizes():
    # TF: InvalidArgumentError: buffer_size must be >= 0 or set buffer_size to be -1 ...
    with pytest.raises(tf.errors.InvalidArgumentError, match="buffer_size must be >= 0"):
        R(3).prefetch(-5)
    assert list(R(3).prefetch(tf.data.AUTOTUNE).as_numpy_iterator()) == [0, 1, 2]
    assert list(R(3).prefetch(0).as_numpy_iterator()) == [0, 1, 2]


def test_optional_from_python_values():
    # TF: TensorSpec(shape=(), dtype=tf.int32)
    optional = tf.experimental.Optional.from_value(5)
    assert optional.element_spec == tf.TensorSpec([], tf.int32)
    assert int(optional.get_value()) == 5
    pair = tf.experimental.Optional.from_value((1, np.zeros(2, "float32")))
    assert pair.element_spec == (tf.TensorSpec([], tf.int32), tf.TensorSpec([2], tf.float32))
