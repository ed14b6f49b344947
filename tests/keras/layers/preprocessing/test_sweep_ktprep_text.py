"""TextVectorization and lookup encodings as Keras 2 (sweep of tf_keras's own tests).

Expected values were computed with real tf_keras 2.21 (TF_USE_LEGACY_KERAS=1).
"""

import numpy as np

import tork as tf
from tork import keras

L = keras.layers
VOCAB = ["earth", "wind", "and", "fire"]
TEXTS = np.array([["earth", "wind", "and", "earth"], ["ohio", "and", "earth", "michigan"]])


def test_text_vectorization_sparse_output_in_a_functional_model():
    inp = keras.Input(shape=(None,), dtype="string")
    layer = L.TextVectorization(
        max_tokens=6,
        standardize=None,
        split=None,
        output_mode="multi_hot",
        pad_to_max_tokens=True,
        sparse=True,
    )
    layer.set_vocabulary(VOCAB)
    out = layer(inp)
    assert tuple(out.shape) == (None, 6)
    result = keras.Model(inp, out).predict(TEXTS, verbose=0)
    assert isinstance(result, tf.SparseTensor)
    assert result.indices.tolist() == [[0, 1], [0, 2], [0, 3], [1, 0], [1, 1], [1, 3]]
    assert result.dense_shape.tolist() == [2, 6]


def test_text_vectorization_config_keeps_sparse():
    layer = L.TextVectorization(output_mode="tf_idf", sparse=True)
    assert layer.get_config()["sparse"] is True
    clone = L.TextVectorization.from_config(layer.get_config())
    assert clone.get_config()["sparse"] is True


def test_tf_idf_sparse_output_values():
    layer = L.TextVectorization(
        max_tokens=10,
        standardize=None,
        split=None,
        output_mode="tf_idf",
        sparse=True,
        vocabulary=VOCAB,
        idf_weights=[0.4, 0.25, 0.75, 0.6],
    )
    data = np.array([["earth", "wind", "and", "earth"], ["ohio", "fire", "earth", "michigan"]])
    dense = tf.sparse.to_dense(layer(data)).numpy()
    # OOV weight: the mean of the given weights, 0.5; "earth" twice: 2 * 0.4.
    np.testing.assert_allclose(dense, [[0, 0.8, 0.25, 0.75, 0], [1.0, 0.4, 0, 0, 0.6]], atol=1e-6)


def test_one_hot_of_a_scalar_is_a_vector():
    layer = L.StringLookup(
        vocabulary=VOCAB, num_oov_indices=0, mask_token="", output_mode="one_hot"
    )
    np.testing.assert_array_equal(layer("earth").numpy(), [1.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(layer(tf.constant("fire")).numpy(), [0.0, 0.0, 0.0, 1.0])


def test_text_vectorization_ragged_string_input():
    layer = L.TextVectorization(vocabulary=["a", "b", "c", "d", "e", "f"], ragged=True)
    data = tf.ragged.constant(
        [[["0 a b"], [""]], [], [["e a"], ["b c d"]], [["f"]]], inner_shape=(1,)
    )
    assert layer(data).to_list() == [[[1, 2, 3], []], [], [[6, 2], [3, 4, 5]], [[7]]]
    unsplit = L.TextVectorization(standardize=None, split=None)
    unsplit.set_vocabulary(["a", "b", "c", "d"])
    out = unsplit(tf.ragged.constant([["0", "a", "b", "c", "d"], ["e", "a", "b", "c", "d"], ["f"]]))
    np.testing.assert_array_equal(out.numpy(), [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1, 0, 0, 0, 0]])
    dense = L.TextVectorization(standardize=None, split="whitespace")
    dense.set_vocabulary(["a", "b", "c", "d"])
    data = tf.ragged.constant(
        [[["0 a b"], ["c d"]], [["e a"], ["b c d"]], [["f"]]], inner_shape=(1,)
    )
    np.testing.assert_array_equal(
        dense(data).numpy(),
        [[[1, 2, 3], [4, 5, 0]], [[1, 2, 0], [3, 4, 5]], [[1, 0, 0], [0, 0, 0]]],
    )


def test_text_vectorization_output_mode_none_returns_strings():
    inp = keras.Input(shape=(1,), dtype="string")
    layer = L.TextVectorization(
        standardize="lower_and_strip_punctuation", split="whitespace", ngrams=2, output_mode=None
    )
    model = keras.Model(inp, layer(inp))
    out = model.predict(
        np.array([["earth wInD and firE"], ["\tfire\tand\nearth!!    michig@n  "]]), verbose=0
    )
    assert out.to_list() == [
        [b"earth", b"wind", b"and", b"fire", b"earth wind", b"wind and", b"and fire"],
        [b"fire", b"and", b"earth", b"michign", b"fire and", b"and earth", b"earth michign"],
    ]
    grams = L.TextVectorization(standardize=None, split=None, ngrams=(2, 3), output_mode=None)
    data = np.array([["earth", "wind", "and", "fire"], ["fire", "and", "earth", "michigan"]])
    assert grams(data).numpy().tolist() == [
        [b"earth wind", b"wind and", b"and fire", b"earth wind and", b"wind and fire"],
        [b"fire and", b"and earth", b"earth michigan", b"fire and earth", b"and earth michigan"],
    ]
    lower = L.TextVectorization(standardize="lower", split=None, output_mode=None)
    assert lower(np.array([["Earth", "{EARTH}"]])).numpy().tolist() == [[b"earth", b"{earth}"]]
