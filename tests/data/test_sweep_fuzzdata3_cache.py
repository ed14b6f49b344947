"""Dataset.cache(filename): an existing cache file is read instead of the input.

Expected values come from TensorFlow 2.21 (/tmp/fuzzdata3/p_cache.py run with real TF):
tf.data reads whatever a cache file with that name holds, whichever dataset wrote it,
including in-memory sources (range, from_tensor_slices) and pipelines ending in batch.
"""

import numpy as np

import tork as tf


def _values(ds):
    return [np.asarray(v).tolist() for v in ds.as_numpy_iterator()]


def test_cache_file_written_by_a_map_pipeline_is_read_by_other_sources(tmp_path):
    prefix = str(tmp_path / "c")
    first = tf.data.Dataset.range(5).map(lambda x: x * 3).cache(prefix)
    assert _values(first) == [0, 3, 6, 9, 12]
    # TF: every later dataset cached under the same name replays [0, 3, 6, 9, 12].
    other_map = tf.data.Dataset.range(5).map(lambda x: x * 100).cache(prefix)
    assert _values(other_map) == [0, 3, 6, 9, 12]
    other_range = tf.data.Dataset.range(100, 103).cache(prefix)
    assert _values(other_range) == [0, 3, 6, 9, 12]
    slices = tf.data.Dataset.from_tensor_slices(np.arange(3) * 7).cache(prefix)
    assert _values(slices) == [0, 3, 6, 9, 12]


def test_cache_file_of_batches_is_replayed(tmp_path):
    prefix = str(tmp_path / "b")
    ds = tf.data.Dataset.range(5).map(lambda x: x * 100).batch(2).cache(prefix)
    assert _values(ds) == [[0, 100], [200, 300], [400]]
    again = tf.data.Dataset.range(5).map(lambda x: x * 1000).batch(2).cache(prefix)
    assert _values(again) == [[0, 100], [200, 300], [400]]


def test_cache_of_equal_size_batches_is_not_recomputed(tmp_path):
    calls = []

    def count(x):
        calls.append(1)
        return x

    ds = tf.data.Dataset.range(4).batch(2).map(lambda b: tf.py_function(count, [b], tf.int64))
    ds = ds.cache(str(tmp_path / "e"))
    assert _values(ds) == [[0, 1], [2, 3]]
    first_pass_calls = len(calls)
    assert _values(ds) == [[0, 1], [2, 3]]
    assert len(calls) == first_pass_calls  # the second pass replays the cache


def test_partial_iteration_then_full_pass(tmp_path):
    ds = tf.data.Dataset.range(5).map(lambda x: x * 100).cache(str(tmp_path / "p"))
    it = iter(ds)
    next(it)
    del it
    assert _values(ds) == [0, 100, 200, 300, 400]
