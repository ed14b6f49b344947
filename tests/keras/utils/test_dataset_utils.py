"""keras.utils.split_dataset: split sizes, order, shuffling and Keras's validation errors."""

import random

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras

split = keras.utils.split_dataset


def _rows(ds):
    return [tuple(np.asarray(t).tolist() for t in e) if isinstance(e, tuple) else e for e in ds]


def _array(ds):
    return np.stack([np.asarray(e) for e in ds])


def test_fractions_of_an_array():
    data = np.arange(40, dtype=np.float32).reshape(10, 4)
    left, right = split(data, left_size=0.8)
    assert isinstance(left, tf.data.Dataset) and isinstance(right, tf.data.Dataset)
    assert int(left.cardinality()) == 8 and int(right.cardinality()) == 2
    np.testing.assert_array_equal(_array(left), data[:8])
    np.testing.assert_array_equal(_array(right), data[8:])
    left, right = split(data, right_size=0.25)  # round(2.5) == 2, as Python rounds
    assert int(left.cardinality()) == 8 and int(right.cardinality()) == 2


def test_counts_take_from_both_ends():
    data = np.arange(10)
    left, right = split(data, left_size=3, right_size=4)
    np.testing.assert_array_equal(_array(left), [0, 1, 2])
    np.testing.assert_array_equal(_array(right), [6, 7, 8, 9])
    left, right = split(data, left_size=0.2, right_size=0.3)
    np.testing.assert_array_equal(_array(left), [0, 1])
    np.testing.assert_array_equal(_array(right), [7, 8, 9])


def test_tuples_and_lists_of_arrays_keep_pairs_together():
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10, dtype=np.int64) * 10
    for dataset in ((x, y), [x, y]):
        left, right = split(dataset, left_size=6, shuffle=True, seed=3)
        elements = list(left) + list(right)
        assert all(isinstance(e, tuple) and len(e) == 2 for e in elements)
        pairs = [(np.asarray(a).tolist(), int(b)) for a, b in elements]
        assert sorted(p[1] for p in pairs) == list(y)
        for features, label in pairs:
            assert features == x[label // 10].tolist()
    left, _ = split({"a": x, "b": y}, left_size=2)
    first = next(iter(left))
    assert sorted(first) == ["a", "b"] and int(first["b"]) == 0


def test_shuffle_gives_the_same_split_as_keras():
    # Samples picked by tf_keras 2.21 and Keras 3.15 (both shuffle with Python's
    # `random`) for these seeds.
    data = np.arange(10)
    left, right = split(data, left_size=0.6, shuffle=True, seed=3)
    assert _array(left).tolist() == [1, 5, 6, 0, 9, 4]
    assert _array(right).tolist() == [7, 2, 8, 3]
    left, right = split(data, left_size=0.6, shuffle=True, seed=42)
    assert _array(left).tolist() == [7, 3, 2, 8, 5, 6]
    assert _array(right).tolist() == [9, 4, 0, 1]
    left, _ = split((data, data + 10.0), left_size=0.6, shuffle=True, seed=3)
    assert [(int(a), float(b)) for a, b in left] == [
        (1, 11.0),
        (5, 15.0),
        (6, 16.0),
        (0, 10.0),
        (9, 19.0),
        (4, 14.0),
    ]
    # Without a seed, one is drawn from Python's global `random` state.
    random.seed(5)
    left, _ = split(data, left_size=0.6, shuffle=True)
    assert _array(left).tolist() == [9, 2, 8, 3, 1, 5]


def test_tf_data_datasets_batched_or_not():
    x = np.arange(16, dtype=np.float32).reshape(8, 2)
    y = np.arange(8)
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    # As in Keras: a batched dataset is split by samples and both halves are batched
    # again with its batch size.
    left, right = split(ds.batch(3), left_size=0.75)
    assert int(left.cardinality()) == 2 and int(right.cardinality()) == 1
    assert [np.asarray(b).tolist() for _, b in left] == [[0, 1, 2], [3, 4, 5]]
    assert [np.asarray(b).tolist() for _, b in right] == [[6, 7]]
    np.testing.assert_array_equal(np.concatenate([np.asarray(a) for a, _ in left]), x[:6])
    left, right = split(tf.data.Dataset.range(5), right_size=2)
    np.testing.assert_array_equal(_array(left), [0, 1, 2])
    # The halves batch and feed fit like any dataset.
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    train, _ = split(ds.map(lambda a, b: (a, tf.cast(b, tf.float32))), left_size=6)
    model.fit(train.batch(2), epochs=1, verbose=0)


def test_torch_dataset_and_tensors():
    tds = torch.utils.data.TensorDataset(torch.arange(6.0), torch.arange(6) * 2)
    left, right = split(tds, left_size=4)
    assert [int(b) for _, b in right] == [8, 10]
    left, right = split(torch.arange(6), left_size=0.5)
    np.testing.assert_array_equal(_array(right), [3, 4, 5])


def test_validation_errors():
    data = np.arange(10)
    with pytest.raises(ValueError, match="At least one of `left_size` or `right_size`"):
        split(data)
    with pytest.raises(ValueError, match="Both `left_size` and `right_size` are zero"):
        split(data, left_size=0, right_size=0)
    with pytest.raises(ValueError, match=r"`left_size` should be .*smaller than 10.*left_size=10"):
        split(data, left_size=10)
    with pytest.raises(ValueError, match=r"`right_size` should be .*range \(0, 1\).*=1.5"):
        split(data, right_size=1.5)
    with pytest.raises(ValueError, match=r"sum of `left_size` and `right_size` is greater than 1"):
        split(data, left_size=0.6, right_size=0.6)
    with pytest.raises(ValueError, match="should not exceed 10.*= 12"):
        split(data, left_size=6, right_size=6)
    with pytest.raises(ValueError, match="the right split would be empty"):
        split(data, left_size=0.99)
    with pytest.raises(TypeError, match=r"Invalid `left_size` type.*str"):
        split(data, left_size="half")
    with pytest.raises(TypeError, match="must be a `tf.data.Dataset`.*Received: dataset of type"):
        split("not data", left_size=0.5)
    with pytest.raises(ValueError, match=r"array 0 has 10 samples .* array 1 has 9"):
        split((data, np.arange(9)), left_size=0.5)
    with pytest.raises(ValueError, match="received an element of type list"):
        split([[1, 2, 3], [4, 5, 6]], left_size=0.5)
    with pytest.raises(ValueError, match="empty dataset"):
        split(tf.data.Dataset.range(0), left_size=0.5)
    with pytest.raises(ValueError, match="cannot split an infinite dataset"):
        split(tf.data.Dataset.range(3).repeat(), left_size=0.5)
