"""tf.lookup.KeyValueTensorInitializer and StaticHashTable, against TF 2.21's outputs."""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras


def _table():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], [1, 2, 3])
    return tf.lookup.StaticHashTable(init, default_value=-1)


def test_string_keys_any_shape():
    table = _table()
    out = table.lookup(tf.constant(["a", "z", "c"]))
    assert out.dtype == torch.int32
    assert out.tolist() == [1, -1, 3]
    assert table.lookup(tf.constant([["a", "z"], ["c", "b"]])).tolist() == [[1, -1], [3, 2]]
    scalar = table.lookup(tf.constant("b"))
    assert scalar.shape == () and int(scalar) == 2
    assert table[tf.constant(["b"])].tolist() == [2]


def test_attributes_size_export():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], [1, 2, 3])
    assert init.key_dtype == tf.string and init.value_dtype == tf.int32
    table = tf.lookup.StaticHashTable(init, -1)
    assert table.key_dtype == tf.string and table.value_dtype == tf.int32
    assert table.default_value.dtype == tf.int32 and int(table.default_value) == -1
    size = table.size()
    assert size.dtype == tf.int64 and int(size) == 3
    keys, values = table.export()
    # TF's export order is the hash order; compare as a mapping.
    assert dict(zip(keys.numpy().tolist(), values.tolist())) == {b"a": 1, b"b": 2, b"c": 3}


def test_integer_keys_and_float_values():
    init = tf.lookup.KeyValueTensorInitializer([1, 2, 3], [0.5, 1.5, 2.5])
    assert init.key_dtype == tf.int32 and init.value_dtype == tf.float32
    table = tf.lookup.StaticHashTable(init, -1.0)
    np.testing.assert_array_equal(table.lookup(tf.constant([1, 5])).numpy(), [0.5, -1.0])
    init64 = tf.lookup.KeyValueTensorInitializer(
        [1, 2], [7, 8], key_dtype=tf.int64, value_dtype=tf.int64
    )
    table64 = tf.lookup.StaticHashTable(init64, -1)
    assert table64.lookup(tf.constant([2, 3], tf.int64)).tolist() == [8, -1]
    assert table64.default_value.dtype == tf.int64


def test_large_integer_keys():
    keys = torch.tensor([-(2**40), 0, 7, 2**62], dtype=torch.int64)
    table = tf.lookup.StaticHashTable(
        tf.lookup.KeyValueTensorInitializer(keys, tf.constant([1, 2, 3, 4], tf.int64)), 0
    )
    query = torch.tensor([[2**62, 8], [-(2**40), 0]], dtype=torch.int64)
    assert table.lookup(query).tolist() == [[4, 0], [1, 2]]


def test_string_values():
    init = tf.lookup.KeyValueTensorInitializer(["x", "y"], ["X", "Y"])
    table = tf.lookup.StaticHashTable(init, "?")
    out = table.lookup(tf.constant(["y", "q"]))
    assert out.dtype == tf.string
    assert out.numpy().tolist() == [b"Y", b"?"]
    assert table.default_value.numpy() == b"?"


def test_wrong_key_dtype_errors_as_tf():
    table = _table()
    with pytest.raises(
        TypeError,
        match=r"Dtype of argument `keys` must be <dtype: 'string'>, received: <dtype: 'int32'>",
    ):
        table.lookup(tf.constant([1, 2]))
    init = tf.lookup.KeyValueTensorInitializer(
        [1, 2], [7, 8], key_dtype=tf.int64, value_dtype=tf.int64
    )
    with pytest.raises(TypeError, match=r"must be <dtype: 'int64'>, received: <dtype: 'int32'>"):
        tf.lookup.StaticHashTable(init, -1).lookup(tf.constant([2, 3]))


def test_bad_default_and_duplicates():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2])
    with pytest.raises(TypeError, match="Cannot convert -1.5 to EagerTensor of dtype int32"):
        tf.lookup.StaticHashTable(init, -1.5)
    dup = tf.lookup.KeyValueTensorInitializer(["a", "a"], [1, 2])
    with pytest.raises(
        tf.errors.FailedPreconditionError,
        match="HashTable has different value for same key. Key a has 1 and trying to add value 2",
    ):
        tf.lookup.StaticHashTable(dup, -1)
    same = tf.lookup.KeyValueTensorInitializer(["a", "a", "b"], [1, 1, 2])
    assert int(tf.lookup.StaticHashTable(same, -1).size()) == 2
    short = tf.lookup.KeyValueTensorInitializer(["a", "b"], [1])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"Expected shape \[2\] for value, got \[1\]"
    ):
        tf.lookup.StaticHashTable(short, -1)
    empty = tf.lookup.KeyValueTensorInitializer(
        tf.constant([], tf.int64), tf.constant([], tf.int64)
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="keys and values cannot be empty tensors."
    ):
        tf.lookup.StaticHashTable(empty, -1)


def test_unsupported_key_dtype_and_default_shape_messages():
    floats = tf.lookup.KeyValueTensorInitializer([1.0, 2.0], [1, 2])
    with pytest.raises(TypeError, match="keys of dtype float32 are not supported"):
        tf.lookup.StaticHashTable(floats, -1)
    init = tf.lookup.KeyValueTensorInitializer(["a"], [1])
    with pytest.raises(ValueError, match=r"`default_value` must be a scalar, got shape \(2,\)"):
        tf.lookup.StaticHashTable(init, [-1, -2])


def test_ragged_and_sparse_keys():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], tf.constant([1, 2, 3], tf.int64))
    table = tf.lookup.StaticHashTable(init, -1)
    assert table.lookup(tf.ragged.constant([["a", "z"], ["c"]])).to_list() == [[1, -1], [3]]
    sparse = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=["b", "q"], dense_shape=[2, 3])
    assert table.lookup(sparse).values.tolist() == [2, -1]


def test_in_dataset_map():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], tf.constant([1, 2, 3], tf.int64))
    table = tf.lookup.StaticHashTable(init, -1)
    ds = tf.data.Dataset.from_tensor_slices(["a", "b", "zz", "c"]).map(table.lookup).batch(2)
    assert [b.numpy().tolist() for b in ds] == [[1, 2], [-1, 3]]
    ds = tf.data.Dataset.from_tensor_slices(["a", "b", "zz", "c"]).batch(2).map(lambda s: table[s])
    assert [b.numpy().tolist() for b in ds] == [[1, 2], [-1, 3]]


def test_in_functional_model_through_a_layer():
    init = tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], tf.constant([1, 2, 3], tf.int64))
    table = tf.lookup.StaticHashTable(init, -1)
    inputs = keras.Input(shape=(), dtype=tf.string)
    ids = keras.layers.Lambda(table.lookup)(inputs)
    assert tuple(ids.shape) == (None,) and ids.dtype == tf.int64
    model = keras.Model(inputs, ids)
    assert model(tf.constant(["a", "q"])).tolist() == [1, -1]


def test_symbolic_keys_directly_refused():
    # TensorFlow refuses too (a TypeError in tf_keras, an AttributeError in Keras 3).
    table = _table()
    with pytest.raises(
        TypeError, match=r"cannot take a symbolic Keras tensor .* Call the lookup inside a layer"
    ):
        table.lookup(keras.Input(shape=(), dtype=tf.string))
