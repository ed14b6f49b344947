"""`tf.ragged.constant` of NumPy object arrays (keras.io "Large-scale multi-label text
classification": `tf.ragged.constant(train_df["terms"].values)`, a pandas column of
lists). Expected values from TF 2.21 (/tmp/tfenv)."""

import numpy as np
import pytest

import tork as tf


def _object_array(*items):
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = item
    return out


def test_object_array_of_string_lists():
    r = tf.ragged.constant(_object_array(["cs.LG", "cs.CV"], ["cs.CL"], ["x", "y", "z"]))
    # TF 2.21: shape (3, None), dtype string, row lengths [2, 1, 3].
    assert r.shape.as_list() == [3, None]
    assert r.dtype == tf.string
    assert r.row_lengths().numpy().tolist() == [2, 1, 3]
    assert r.flat_values.numpy().tolist() == [b"cs.LG", b"cs.CV", b"cs.CL", b"x", b"y", b"z"]


def test_object_array_of_int_lists_and_of_arrays():
    r = tf.ragged.constant(_object_array([1, 2], [3]))
    assert r.dtype == tf.int32  # TF 2.21: int32
    assert r.row_lengths().numpy().tolist() == [2, 1]
    r = tf.ragged.constant(_object_array(np.array(["a", "b"]), np.array(["c"])))
    assert r.dtype == tf.string
    assert r.row_lengths().numpy().tolist() == [2, 1]
    assert r.flat_values.numpy().tolist() == [b"a", b"b", b"c"]


def test_object_array_of_strings_is_dense():
    # TF 2.21: a flat object array of strings gives a dense string tensor.
    t = tf.ragged.constant(np.array(["p", "q"], dtype=object))
    assert not isinstance(t, tf.RaggedTensor)
    assert t.numpy().tolist() == [b"p", b"q"]


def test_multi_hot_lookup_of_pandas_style_labels():
    # The keras.io pipeline: adapt a multi-hot StringLookup on the ragged labels.
    terms = tf.ragged.constant(_object_array(["cs.LG", "cs.CV"], ["cs.CL"], ["cs.CV"]))
    lookup = tf.keras.layers.StringLookup(output_mode="multi_hot")
    lookup.adapt(terms)
    # TF 2.21 / tf_keras: vocabulary by frequency, then multi-hot float rows.
    assert lookup.get_vocabulary() == ["[UNK]", "cs.CV", "cs.LG", "cs.CL"]
    np.testing.assert_array_equal(
        np.asarray(lookup(terms)), [[0, 1, 1, 0], [0, 0, 0, 1], [0, 1, 0, 0]]
    )


def test_uneven_depth_still_raises():
    with pytest.raises(ValueError, match="same nesting depth"):
        tf.ragged.constant(_object_array([1, 2], [[3]]))
