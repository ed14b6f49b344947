"""Keras 2 behaviour of the categorical preprocessing layers (sweep of tf_keras's own tests).

Expected values were computed with real tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) on the same
inputs, unless a comment gives a hand computation.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

L = keras.layers
NAMES = ["omar", "stringer", "marlo", "wire", "skywalker"]
IDX = [[0, 0], [1, 0], [1, 1], [2, 0], [2, 1]]


def _sparse_model(layer, dtype, data, batch_size=None):
    inp = keras.Input(shape=(None,), dtype=dtype, sparse=True)
    return keras.Model(inp, layer(inp)).predict(data, verbose=0, batch_size=batch_size)


# -- Hashing ---------------------------------------------------------------------------------
def test_hashing_tuple_input_matches_list():
    out = L.Hashing(num_bins=3)((0, 1, 2, 3, 4))
    assert out.tolist() == [1, 0, 1, 0, 2]


@pytest.mark.parametrize(
    "kwargs, values, expected",
    [
        ({"num_bins": 2}, NAMES, [0, 0, 1, 0, 0]),
        ({"num_bins": 3, "mask_value": "omar"}, NAMES, [0, 1, 2, 1, 1]),
        ({"num_bins": 3}, [0, 1, 2, 3, 4], [1, 0, 1, 0, 2]),
        ({"num_bins": 2, "salt": [133, 137]}, NAMES, [0, 1, 0, 1, 0]),
        ({"num_bins": 3, "salt": [133, 137]}, [0, 1, 2, 3, 4], [1, 1, 2, 0, 1]),
    ],
)
def test_hashing_sparse_input_keeps_indices(kwargs, values, expected):
    sp = tf.SparseTensor(indices=IDX, values=values, dense_shape=[3, 2])
    out = L.Hashing(**kwargs)(sp)
    assert isinstance(out, tf.SparseTensor)
    assert out.indices.tolist() == IDX
    assert out.values.tolist() == expected
    assert out.dense_shape.tolist() == [3, 2]


def test_hashing_sparse_input_multi_hot_encodes_rows():
    sp = tf.SparseTensor([[0, 0], [0, 1], [1, 1]], ["omar", "marlo", "wire"], [2, 2])
    out = L.Hashing(num_bins=3, output_mode="multi_hot")(sp)
    np.testing.assert_array_equal(out.numpy(), [[1, 0, 1], [0, 1, 0]])


def test_hashing_integer_dtype_is_the_output_dtype():
    inp = keras.Input(batch_size=16, shape=(4,), dtype="string")
    assert L.Hashing(num_bins=3, dtype="int32")(inp).dtype == tf.int32
    assert L.Hashing(num_bins=3, dtype="float32")(inp).dtype == tf.int64  # legacy: int64
    assert L.Hashing(num_bins=3)(np.array([["a", "b"]])).dtype == tf.int64
    assert L.Hashing(num_bins=3, dtype="int32")(np.array([["a", "b"]])).dtype == tf.int32
    assert L.Hashing(num_bins=3).get_config()["dtype"] == "int64"
    assert L.Hashing(num_bins=3, output_mode="one_hot").get_config()["dtype"] == "float32"


# -- CategoryEncoding --------------------------------------------------------------------------
def test_category_encoding_sparse_input_multi_hot():
    sp = tf.sparse.from_dense(np.array([[1, 2, 3, 0], [0, 3, 1, 0]], dtype=np.int64))
    expected = [[0, 1, 1, 1, 0, 0], [0, 1, 0, 1, 0, 0]]
    layer = L.CategoryEncoding(num_tokens=6, output_mode="multi_hot")
    np.testing.assert_array_equal(layer(sp).numpy(), expected)
    np.testing.assert_array_equal(_sparse_model(layer, "int64", sp), expected)


def test_category_encoding_sparse_input_and_weights_sparse_output():
    sp = tf.SparseTensor(indices=IDX[:1] + [[1, 1], [2, 0], [2, 1], [3, 1]],
                         values=[0, 2, 1, 1, 0], dense_shape=[4, 2])  # fmt: skip
    sw = tf.SparseTensor(sp.indices, [0.1, 0.2, 0.4, 0.3, 0.2], [4, 2])
    inp = keras.Input(shape=(None,), dtype="int64", sparse=True)
    winp = keras.Input(shape=(None,), dtype="float32", sparse=True)
    layer = L.CategoryEncoding(num_tokens=6, output_mode="count", sparse=True)
    out = keras.Model([inp, winp], layer(inp, count_weights=winp)).predict([sp, sw], verbose=0)
    assert isinstance(out, tf.SparseTensor)
    assert out.indices.tolist() == [[0, 0], [1, 2], [2, 1], [3, 0]]
    np.testing.assert_allclose(out.values.numpy(), [0.1, 0.2, 0.7, 0.2], rtol=1e-6)


def test_predict_joins_sparse_outputs_into_one_sparse_tensor():
    inp = keras.Input(shape=(None,), dtype="int32")
    out = L.CategoryEncoding(num_tokens=6, output_mode="count", sparse=True)(inp)
    model = keras.Model(inp, out)
    result = model.predict(np.array([[1, 2, 3], [3, 3, 0], [5, 5, 5]]), batch_size=2, verbose=0)
    assert isinstance(result, tf.SparseTensor)
    assert result.indices.tolist() == [[0, 1], [0, 2], [0, 3], [1, 0], [1, 3], [2, 5]]
    assert result.values.tolist() == [1.0, 1.0, 1.0, 1.0, 2.0, 3.0]
    assert result.dense_shape.tolist() == [3, 6]


# -- StringLookup / IntegerLookup ---------------------------------------------------------------
def test_integer_lookup_sparse_input_keeps_indices():
    sp = tf.SparseTensor([[0, 0], [1, 2]], np.array([13, 133], dtype=np.int64), [3, 4])
    layer = L.IntegerLookup(num_oov_indices=2, mask_token=0, oov_token=-1)
    layer.set_vocabulary(np.array([10, 11, 12, 13], dtype=np.int64))
    for out in (layer(sp), _sparse_model(layer, "int64", sp)):
        assert isinstance(out, tf.SparseTensor)
        assert out.indices.tolist() == [[0, 0], [1, 2]]
        assert out.values.tolist() == [6, 2]
        assert out.dense_shape.tolist() == [3, 4]


def test_string_lookup_sparse_input_encodings_and_invert():
    sp = tf.SparseTensor([[0, 0], [0, 2], [2, 1]], ["a", "c", "zz"], [3, 4])
    layer = L.StringLookup(vocabulary=["a", "b", "c"], output_mode="multi_hot")
    expected = [[0, 1, 0, 1], [0, 0, 0, 0], [1, 0, 0, 0]]
    np.testing.assert_array_equal(layer(sp).numpy(), expected)
    np.testing.assert_array_equal(_sparse_model(layer, "string", sp), expected)
    masked = tf.SparseTensor([[0, 0], [0, 2], [2, 1], [2, 3]], ["a", "", "zz", "a"], [3, 4])
    counts = L.StringLookup(vocabulary=["a", "b", "c"], output_mode="count", mask_token="")
    np.testing.assert_array_equal(
        counts(masked).numpy(), [[0, 1, 0, 0], [0, 0, 0, 0], [1, 1, 0, 0]]
    )
    ids = tf.SparseTensor([[0, 0], [1, 1]], tf.constant([1, 5], tf.int64), [2, 2])
    words = L.StringLookup(vocabulary=["a", "b"], invert=True)(ids)
    assert words.values.numpy().tolist() == [b"a", b"[UNK]"]


def test_integer_lookup_sparse_input_tf_idf():
    layer = L.IntegerLookup(vocabulary=[7, 8], output_mode="tf_idf", idf_weights=[0.5, 0.25])
    sp = tf.SparseTensor([[0, 0], [0, 2], [1, 1]], [7, 7, 9], [2, 3])
    # OOV weight: the mean idf 0.375; 7 twice: 2 * 0.5.
    np.testing.assert_allclose(layer(sp).numpy(), [[0.0, 1.0, 0.0], [0.375, 0.0, 0.0]])


def test_lookup_adapt_on_sparse_and_ragged_data():
    sp = tf.SparseTensor([[0, 0], [0, 1], [1, 2]], [203, 1729, 203], [3, 4])
    layer = L.IntegerLookup()
    layer.adapt(tf.data.Dataset.from_tensors(sp))
    assert layer.get_vocabulary() == [-1, 203, 1729]
    words = L.StringLookup()
    words.adapt(tf.SparseTensor([[0, 0], [0, 1], [1, 2]], ["a", "b", "a"], [3, 4]))
    assert words.get_vocabulary() == ["[UNK]", "a", "b"]


@pytest.mark.parametrize("cls", [L.StringLookup, L.IntegerLookup])
def test_lookup_encoding_without_vocabulary_raises(cls):
    with pytest.raises(RuntimeError, match="you must set the layer's vocabulary"):
        cls(output_mode="binary")([["a"]] if cls is L.StringLookup else [[1]])
    dtype = "string" if cls is L.StringLookup else "int64"
    with pytest.raises(RuntimeError, match="you must set the layer's vocabulary"):
        cls(output_mode="multi_hot")(keras.Input(shape=(None,), dtype=dtype))


def test_text_vectorization_multi_hot_without_vocabulary_raises():
    with pytest.raises(RuntimeError, match="you must set the layer's vocabulary"):
        L.TextVectorization(output_mode="multi_hot")(["a b"])


def test_lookup_config_vocabulary_size_gives_encoding_width_before_vocabulary():
    # A Keras file's config: the vocabulary comes later from its assets.
    layer = L.StringLookup(output_mode="multi_hot", vocabulary_size=5)
    assert tuple(layer(keras.Input(shape=(None,), dtype="string")).shape) == (None, 5)


@pytest.mark.parametrize(
    "data, words, expected",
    [
        # A 1-D input is ONE document: idf = log(1 + 1 / 2).
        (["a", "b", "a"], [["a", "b"]], [[0.0, 0.4055, 0.4055]]),
        # Rows are documents: a in 2 of 3, b in 1 of 3.
        ([["a"], ["b"], ["a"]], [["a", "b"]], [[0.0, 0.6931, 0.9163]]),
    ],
)
def test_tf_idf_adapt_counts_documents_as_keras(data, words, expected):
    layer = L.StringLookup(output_mode="tf_idf")
    layer.adapt(data)
    np.testing.assert_allclose(layer(words).numpy(), expected, atol=1e-4)


def test_tf_idf_adapt_dataset_batch_of_scalars_is_one_document():
    layer = L.StringLookup(output_mode="tf_idf")
    layer.adapt(tf.data.Dataset.from_tensor_slices(["a", "b", "a", "c"]).batch(2))
    np.testing.assert_allclose(
        layer([["a", "b", "c"]]).numpy(), [[0.0, 0.5108, 0.6931, 0.6931]], atol=1e-4
    )
    ints = L.IntegerLookup(output_mode="tf_idf")
    ints.adapt([1, 2, 1])
    np.testing.assert_allclose(ints([[1, 2]]).numpy(), [[0.0, 0.4055, 0.4055]], atol=1e-4)


def test_integer_lookup_oov_token_none_and_numpy_vocabulary():
    layer = L.IntegerLookup(max_tokens=10, num_oov_indices=0, mask_token=None, oov_token=None)
    layer.adapt(np.array([3, 1, 3, 2, 3, 1]))
    vocabulary = layer.get_vocabulary()
    assert vocabulary == [3, 1, 2]
    assert all(isinstance(v, np.int64) for v in vocabulary)
    assert layer(np.array([[3, 2]])).tolist() == [[0, 2]]


def test_lookup_integer_dtype_is_the_output_dtype():
    assert L.StringLookup(vocabulary=["a", "b"], dtype="int32")([["a", "c"]]).dtype == tf.int32
    out = L.IntegerLookup(vocabulary=[5, 6], dtype="int32")(np.array([[5, 7]]))
    assert out.dtype == tf.int32 and out.tolist() == [[1, 0]]
    assert L.StringLookup().get_config()["dtype"] == "int64"
    # tf_keras refuses a float dtype here; tork reads it as int64 (the dtype configs from
    # older tork versions hold), as tf_keras does for Hashing and Discretization.
    old_config = L.StringLookup(vocabulary=["a"], dtype="float32")
    assert old_config([["a", "b"]]).dtype == tf.int64
    assert old_config.get_config()["dtype"] == "int64"


# -- Discretization -------------------------------------------------------------------------------
def test_discretization_sparse_and_ragged_inputs():
    layer = L.Discretization(bin_boundaries=[-0.5, 0.5, 1.5])
    sp = tf.SparseTensor([[0, 1], [0, 2], [1, 1]], [-1.5, 1.0, 3.4], [2, 3])
    for out in (layer(sp), _sparse_model(layer, "float32", sp)):
        assert out.indices.tolist() == [[0, 1], [0, 2], [1, 1]]
        assert out.values.tolist() == [0, 2, 3]
    ragged = tf.ragged.constant([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3]])
    inp = keras.Input(shape=(None,), ragged=True)
    buckets = L.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    out = keras.Model(inp, buckets(inp)).predict(ragged, verbose=0)
    assert out.to_list() == [[0, 2, 3, 1], [1, 3, 2]]
    counts = L.Discretization(bin_boundaries=[0.0, 1.0], output_mode="count")
    np.testing.assert_array_equal(
        counts(tf.ragged.constant([[-1.0, 0.5, 0.7], [2.0]])).numpy(), [[1, 2, 0], [0, 0, 1]]
    )


def test_discretization_dtype_bins_alias_and_sparse_output():
    inp = keras.Input(batch_size=16, shape=(4,))
    assert L.Discretization(bin_boundaries=[0.5], dtype="int32")(inp).dtype == tf.int32
    assert L.Discretization(bin_boundaries=[0.5], dtype="float32")(inp).dtype == tf.int64
    assert L.Discretization(bins=[0.0, 1.0]).bin_boundaries == [0.0, 1.0]
    with pytest.raises(ValueError, match="`num_bins` and `bin_boundaries` should not be set"):
        L.Discretization(num_bins=5, bins=[1, 2])
    out = L.Discretization(bin_boundaries=[1.0], output_mode="count", sparse=True)(
        np.array([[0.0, 2.0, 3.0]])
    )
    assert isinstance(out, tf.SparseTensor)
    assert out.indices.tolist() == [[0, 0], [0, 1]] and out.values.tolist() == [1.0, 2.0]


# -- HashedCrossing ---------------------------------------------------------------------------
def test_hashed_crossing_sparse_one_hot_and_dtypes():
    feats = (tf.constant([["A"], ["B"], ["A"], ["B"], ["A"]]), tf.constant([[101], [101], [101], [102], [102]]))  # fmt: skip
    out = L.HashedCrossing(num_bins=5, output_mode="one_hot", sparse=True)(feats)
    assert isinstance(out, tf.SparseTensor)
    assert out.indices.tolist() == [[0, 1], [1, 4], [2, 1], [3, 1], [4, 3]]
    assert out.dense_shape.tolist() == [5, 5]
    assert L.HashedCrossing(num_bins=2, dtype="int32")(([1], [1])).dtype == tf.int32
    assert L.HashedCrossing(num_bins=2)(([1], [1])).dtype == tf.int64
    assert L.HashedCrossing(num_bins=2, dtype="float32")(([1], [1])).dtype == tf.int64
    sp = tf.sparse.from_dense(tf.constant([1]))
    with pytest.raises(ValueError, match="inputs should be dense tensors"):
        L.HashedCrossing(num_bins=10)((sp, sp))


def test_discretization_model_built_before_adapt():
    inp = keras.Input(shape=(2,))
    layer = L.Discretization(num_bins=3)
    out = layer(inp)
    layer.adapt(np.array([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]]))
    model = keras.Model(inp, out)
    assert model.predict(np.array([[1.5, 5.5]]), verbose=0).tolist() == [[0, 2]]
    with pytest.raises(ValueError, match="call `adapt"):
        L.Discretization(num_bins=3)(np.array([[1.0]]))
