"""Hashing and CategoryEncoding on RaggedTensors (tf_keras 2.21 numbers)."""

import pytest

import tork as tf

keras = tf.keras


def _strings():
    return tf.ragged.constant([["a", "b"], ["c"], []])


def _ids():
    return tf.ragged.constant([[1, 2, 2], [4], []])


def test_hashing_ragged_int_mode_keeps_the_rows():
    assert keras.layers.Hashing(5)(_strings()).to_list() == [[4, 2], [2], []]
    assert keras.layers.Hashing(5)(_ids()).to_list() == [[4, 4, 4], [3], []]
    assert keras.layers.Hashing(5, salt=7)(_strings()).to_list() == [[1, 3], [3], []]
    assert keras.layers.Hashing(5, mask_value="a")(_strings()).to_list() == [[0, 3], [1], []]


def test_hashing_ragged_multi_hot_and_count_encode_each_row():
    expected = [[0.0, 0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0, 0.0], [0.0] * 5]
    for mode in ("multi_hot", "count"):
        out = keras.layers.Hashing(5, output_mode=mode)(_strings())
        assert out.tolist() == expected


def test_hashing_in_a_functional_model_on_ragged_strings():
    inp = keras.Input(shape=(None,), dtype="string", ragged=True)
    out = keras.layers.Hashing(5)(inp)
    assert isinstance(out, keras.KerasTensor) and out.ragged
    assert keras.Model(inp, out)(_strings()).to_list() == [[4, 2], [2], []]


def test_category_encoding_of_ragged_rows():
    multi = keras.layers.CategoryEncoding(5, output_mode="multi_hot")(_ids())
    assert multi.tolist() == [[0.0, 1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0], [0.0] * 5]
    count = keras.layers.CategoryEncoding(5, output_mode="count")(_ids())
    assert count.tolist() == [[0.0, 1.0, 2.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0], [0.0] * 5]
    weights = tf.ragged.constant([[0.5, 1.0, 2.0], [3.0], []])
    weighted = keras.layers.CategoryEncoding(5, output_mode="count")(_ids(), count_weights=weights)
    assert weighted.tolist() == [[0.0, 0.5, 3.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 3.0], [0.0] * 5]
    sparse = keras.layers.CategoryEncoding(5, output_mode="count", sparse=True)(_ids())
    assert tf.sparse.to_dense(sparse).tolist() == count.tolist()


def test_category_encoding_functional_model_on_ragged_input():
    inp = keras.Input(shape=(None,), dtype="int64", ragged=True)
    out = keras.layers.CategoryEncoding(5, output_mode="multi_hot")(inp)
    assert tuple(out.shape) == (None, 5)  # tf_keras 2.21
    got = keras.Model(inp, out)(_ids()).tolist()
    assert got == [[0.0, 1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0], [0.0] * 5]


def test_ragged_one_hot_and_bad_ids_are_refused():
    with pytest.raises(ValueError, match="output_mode='one_hot' encodes each value on its own"):
        keras.layers.CategoryEncoding(5, output_mode="one_hot")(_ids())
    with pytest.raises(ValueError, match="output_mode='one_hot' encodes each value on its own"):
        keras.layers.Hashing(5, output_mode="one_hot")(_strings())
    with pytest.raises(ValueError, match=r"in the range 0 <= value < 3"):
        keras.layers.CategoryEncoding(3, output_mode="count")(_ids())
    with pytest.raises(ValueError, match="`count_weights` must be a RaggedTensor with the row"):
        keras.layers.CategoryEncoding(5, output_mode="count")(
            _ids(), count_weights=tf.ragged.constant([[1.0], [1.0]])
        )
    nested = tf.RaggedTensor.from_nested_row_lengths([1, 2, 3], [[1, 1], [2, 1]])
    with pytest.raises(ValueError, match=r"must have shape \(batch, None\)"):
        keras.layers.CategoryEncoding(5, output_mode="count")(nested)
