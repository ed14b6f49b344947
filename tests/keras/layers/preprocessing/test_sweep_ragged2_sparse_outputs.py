"""`sparse=True` in CategoryEncoding, StringLookup, IntegerLookup and Hashing.

Every expected (indices, values, dense_shape) below was printed by tf_keras 2.21: a
tf.SparseTensor of the non-zero entries of the dense encoding, int64 indices in row-major
order, float32 values.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

_IDS = np.array([[0, 1, 1], [2, 3, 0]])
_WORDS = np.array([["a", "b", "b"], ["c", "z", "a"]])
_VOCAB = ["a", "b", "c"]


def _parts(sp):
    assert isinstance(sp, tf.SparseTensor)
    assert sp.indices.dtype == tf.int64
    assert sp.values.dtype == tf.float32
    return (
        np.asarray(sp.indices).tolist(),
        np.asarray(sp.values).tolist(),
        np.asarray(sp.dense_shape).tolist(),
    )


@pytest.mark.parametrize(
    "mode, inputs, expected",
    [
        ("one_hot", _IDS[:, 0], ([[0, 0], [1, 2]], [1.0, 1.0], [2, 4])),
        (
            "multi_hot",
            _IDS,
            ([[0, 0], [0, 1], [1, 0], [1, 2], [1, 3]], [1.0] * 5, [2, 4]),
        ),
        (
            "count",
            _IDS,
            ([[0, 0], [0, 1], [1, 0], [1, 2], [1, 3]], [1.0, 2.0, 1.0, 1.0, 1.0], [2, 4]),
        ),
        ("multi_hot", np.array([0, 1, 1]), ([[0], [1]], [1.0, 1.0], [4])),
    ],
)
def test_category_encoding(mode, inputs, expected):
    layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode=mode, sparse=True)
    assert _parts(layer(inputs)) == expected


def test_category_encoding_count_weights():
    layer = keras.layers.CategoryEncoding(num_tokens=4, output_mode="count", sparse=True)
    weights = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert _parts(layer(_IDS, count_weights=weights)) == (
        [[0, 0], [0, 1], [1, 0], [1, 2], [1, 3]],
        [1.0, 5.0, 6.0, 4.0, 5.0],
        [2, 4],
    )
    config = layer.get_config()
    assert config["sparse"] is True
    assert keras.layers.CategoryEncoding.from_config(config).sparse is True


@pytest.mark.parametrize(
    "mode, inputs, extra, expected",
    [
        ("one_hot", np.array([["a"], ["c"], ["z"]]), {}, ([[0, 1], [1, 3], [2, 0]], [1.0] * 3)),
        ("multi_hot", _WORDS, {}, ([[0, 1], [0, 2], [1, 0], [1, 1], [1, 3]], [1.0] * 5)),
        (
            "count",
            _WORDS,
            {},
            ([[0, 1], [0, 2], [1, 0], [1, 1], [1, 3]], [1.0, 2.0, 1.0, 1.0, 1.0]),
        ),
        (
            "tf_idf",
            _WORDS,
            {"idf_weights": [0.5, 1.0, 2.0]},
            ([[0, 1], [0, 2], [1, 0], [1, 1], [1, 3]], [0.5, 2.0, 1.1666666, 0.5, 2.0]),
        ),
    ],
)
def test_string_lookup(mode, inputs, extra, expected):
    layer = keras.layers.StringLookup(vocabulary=_VOCAB, output_mode=mode, sparse=True, **extra)
    indices, values, shape = _parts(layer(inputs))
    assert indices == expected[0]
    np.testing.assert_allclose(values, expected[1], rtol=1e-6)
    assert shape == [len(inputs), 4]


def test_string_lookup_ragged_input():
    layer = keras.layers.StringLookup(vocabulary=_VOCAB, output_mode="multi_hot", sparse=True)
    out = layer(tf.ragged.constant([["a", "b"], ["c"], ["z", "a", "a"]]))
    assert _parts(out) == ([[0, 1], [0, 2], [1, 3], [2, 0], [2, 1]], [1.0] * 5, [3, 4])


def test_integer_lookup():
    layer = keras.layers.IntegerLookup(vocabulary=[5, 6, 7], output_mode="multi_hot", sparse=True)
    assert _parts(layer(np.array([[5, 6, 9]]))) == ([[0, 0], [0, 1], [0, 2]], [1.0] * 3, [1, 4])


@pytest.mark.parametrize(
    "mode, inputs, expected",
    [
        ("one_hot", np.array([["a"], ["c"], ["z"]]), ([[0, 3], [1, 0], [2, 1]], [1.0] * 3, [3, 4])),
        ("multi_hot", _WORDS, ([[0, 2], [0, 3], [1, 0], [1, 1], [1, 3]], [1.0] * 5, [2, 4])),
        (
            "count",
            _WORDS,
            ([[0, 2], [0, 3], [1, 0], [1, 1], [1, 3]], [2.0, 1.0, 1.0, 1.0, 1.0], [2, 4]),
        ),
    ],
)
def test_hashing(mode, inputs, expected):
    layer = keras.layers.Hashing(num_bins=4, output_mode=mode, sparse=True)
    assert _parts(layer(inputs)) == expected


def test_int_mode_refuses_sparse():
    with pytest.raises(ValueError) as info:
        keras.layers.StringLookup(vocabulary=_VOCAB, sparse=True)
    assert str(info.value) == (
        "`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'`, `'count'` "
        "or `'tf_idf'`. Received: sparse=True and output_mode=int"
    )
    with pytest.raises(ValueError) as info:
        keras.layers.Hashing(num_bins=4, sparse=True)
    assert str(info.value) == (
        '`sparse` may only be true if `output_mode` is `"one_hot"`, `"multi_hot"`, or '
        '`"count"`. Received: sparse=True and output_mode=int'
    )


def test_functional_model_with_dense_after_sparse():
    # tf_keras: a SparseKerasTensor of shape (None, 4); Dense(2, ones) gives the row sums.
    inp = keras.Input(shape=(3,), dtype="int64")
    encoded = keras.layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot", sparse=True)(inp)
    assert type(encoded).__name__ == "SparseKerasTensor"
    assert tuple(encoded.shape) == (None, 4)
    out = keras.layers.Dense(2, kernel_initializer="ones")(encoded)
    assert np.asarray(keras.Model(inp, out)(_IDS)).tolist() == [[2.0, 2.0], [3.0, 3.0]]

    inp = keras.Input(shape=(3,), dtype="string")
    encoded = keras.layers.StringLookup(vocabulary=_VOCAB, output_mode="count", sparse=True)(inp)
    assert tuple(encoded.shape) == (None, 4)
    out = keras.layers.Dense(2, kernel_initializer="ones")(encoded)
    assert np.asarray(keras.Model(inp, out)(_WORDS)).tolist() == [[3.0, 3.0], [3.0, 3.0]]


def test_fit_through_sparse_encoding():
    # tf_keras 2.21 losses for this program: [4.755, 1.565, 0.9928].
    inp = keras.Input(shape=(3,), dtype="int64")
    encoded = keras.layers.CategoryEncoding(num_tokens=4, output_mode="count", sparse=True)(inp)
    model = keras.Model(inp, keras.layers.Dense(1, kernel_initializer="zeros")(encoded))
    model.compile(keras.optimizers.SGD(0.1), "mse")
    x = np.array([[0, 1, 1], [2, 3, 0], [1, 1, 1], [3, 3, 2]])
    y = np.array([[1.0], [2.0], [3.0], [4.0]])
    history = model.fit(x, y, epochs=3, batch_size=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], [4.755, 1.565, 0.9928], atol=1e-4)
    clone = keras.Model.from_config(model.get_config())
    assert clone.layers[1].sparse is True


def test_text_vectorization():
    layer = keras.layers.TextVectorization(vocabulary=_VOCAB, output_mode="count", sparse=True)
    out = layer(np.array(["a b b", "c z"]))
    assert _parts(out) == ([[0, 1], [0, 2], [1, 0], [1, 3]], [1.0, 2.0, 1.0, 1.0], [2, 4])
