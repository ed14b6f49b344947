"""Dataset.save/load shard order and tf.data.experimental.RandomDataset (fuzzdata2 sweep).

Expected orders come from TensorFlow 2.21 (/tmp/tfenv) on a 2-CPU machine: TF's
default `reader_func` interleaves the shards (by shard index), `os.cpu_count()` at a
time, one element each; tork read the shards one after the other.
"""

import os

import pytest

import tork as tf


@pytest.fixture
def two_cpus(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)


@pytest.mark.parametrize(
    ("shard_func", "expected"),
    [
        # TF (2 CPUs): shards 0 and 1 interleaved, then shard 2
        (lambda x: x % 3, [0, 1, 3, 4, 6, 7, 9, 10, 12, 13, 2, 5, 8, 11]),
        # shards ordered by index, not by first element; a finished shard's place is
        # taken by the next shard after the cycle moves on
        (lambda x: 2 - x % 3, [2, 1, 5, 4, 8, 7, 11, 10, 13, 0, 3, 6, 9, 12]),
        (lambda x: x % 9, [0, 1, 9, 10, 2, 3, 11, 12, 4, 5, 13, 6, 7, 8]),
    ],
)
def test_load_interleaves_shards_as_tf(tmp_path, two_cpus, shard_func, expected):
    tf.data.Dataset.range(14).save(str(tmp_path / "saved"), shard_func=shard_func)
    loaded = tf.data.Dataset.load(str(tmp_path / "saved"))
    assert [int(v) for v in loaded] == expected
    assert int(loaded.cardinality()) == 14


def test_load_with_reader_func_keeps_its_order(tmp_path, two_cpus):
    tf.data.Dataset.range(6).save(str(tmp_path / "saved"), shard_func=lambda x: x % 2)
    loaded = tf.data.Dataset.load(
        str(tmp_path / "saved"), reader_func=lambda shards: shards.flat_map(lambda d: d)
    )
    # TF: [0, 2, 4, 1, 3, 5]
    assert [int(v) for v in loaded] == [0, 2, 4, 1, 3, 5]


def test_random_dataset_is_dataset_random():
    ds = tf.data.experimental.RandomDataset(seed=3).take(4)
    # TF: TensorSpec(shape=(), dtype=tf.int64); the same stream on each pass
    assert ds.element_spec == tf.TensorSpec([], tf.int64)
    first = [int(v) for v in ds]
    assert first == [int(v) for v in ds]
    assert first == [int(v) for v in tf.data.Dataset.random(seed=3).take(4)]
    assert all(0 <= v < 2**32 for v in first)
    assert int(tf.data.experimental.RandomDataset().cardinality()) == tf.data.INFINITE_CARDINALITY


def _as_lists(value):
    if isinstance(value, tf.RaggedTensor):
        return ("ragged", value.to_list())
    if isinstance(value, tuple):
        return tuple(_as_lists(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_lists(v) for k, v in value.items()}
    return value.numpy().tolist()


def _round_trip(dataset, path):
    dataset.save(str(path))
    loaded = tf.data.Dataset.load(str(path))
    return loaded.element_spec, [_as_lists(e) for e in loaded]


def test_save_and_load_ragged_elements(tmp_path):
    # Before: TypeError "cannot save elements described by RaggedTensorSpec".
    ragged = tf.ragged.constant([[1], [2, 3], []])
    spec, values = _round_trip(tf.data.Dataset.from_tensor_slices(ragged).batch(2), tmp_path / "a")
    # TF: RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)
    assert (spec.shape.as_list(), spec.dtype, spec.ragged_rank) == ([None, None], tf.int32, 1)
    assert spec.row_splits_dtype == tf.int64
    assert values == [("ragged", [[1], [2, 3]]), ("ragged", [[]])]
    # Slices of a ragged tensor (ragged_rank 0): TF keeps the spec, values are tensors.
    spec, values = _round_trip(tf.data.Dataset.from_tensor_slices(ragged), tmp_path / "b")
    assert (spec.shape.as_list(), spec.ragged_rank) == ([None], 0)
    assert values == [[1], [2, 3], []]


def test_save_and_load_nested_ragged_with_strings(tmp_path):
    rt = tf.ragged.constant([[[1.5]], [[2.0], [3.0, 4.0]]])
    ds = tf.data.Dataset.from_tensor_slices((rt, ["a", "b"])).batch(2)
    (spec, names), values = _round_trip(ds, tmp_path / "c")
    # TF: (RaggedTensorSpec([None, None, None], float32, 2), TensorSpec([None], string))
    assert (spec.shape.as_list(), spec.ragged_rank) == ([None, None, None], 2)
    assert names.shape.as_list() == [None]
    assert values == [(("ragged", [[[1.5]], [[2.0], [3.0, 4.0]]]), [b"a", b"b"])]
    rows = tf.ragged.constant([[1], [2, 3]], row_splits_dtype=tf.int32)
    spec, values = _round_trip(tf.data.Dataset.from_tensor_slices(rows).batch(2), tmp_path / "d")
    # TF keeps the int32 row splits
    assert spec.row_splits_dtype == tf.int32
    assert values == [("ragged", [[1], [2, 3]])]


def test_save_of_sparse_elements_says_what_can_be_saved(tmp_path):
    ds = tf.data.Dataset.from_tensors(tf.sparse.SparseTensor([[0]], [1], [3]))
    with pytest.raises(TypeError, match="SparseTensorSpec.*tork saves tensors, string tensors, Ra"):
        ds.save(str(tmp_path / "s"))
