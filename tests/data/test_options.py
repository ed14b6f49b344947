"""Tests for tf.data.Options and Dataset.with_options."""

import pytest

import tork as tf

Dataset = tf.data.Dataset


def values(ds):
    return [v.tolist() for v in ds]


def test_prefetch_and_with_options_are_transparent():
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    options.deterministic = False
    ds = Dataset.range(4).prefetch(tf.data.AUTOTUNE).with_options(options).batch(2)
    assert values(ds) == [[0, 1], [2, 3]]
    merged = ds.options()
    assert merged.experimental_distribute.auto_shard_policy == (
        tf.data.experimental.AutoShardPolicy.DATA
    )
    assert merged.deterministic is False and merged.experimental_deterministic is False
    with pytest.raises(TypeError, match="expects tf.data.Options"):
        Dataset.range(3).with_options({"deterministic": False})


def test_options_merge_keeps_later_values():
    a = tf.data.Options()
    a.deterministic = True
    a.threading.private_threadpool_size = 4
    b = tf.data.Options()
    b.deterministic = False
    merged = a.merge(b)
    assert merged.deterministic is False
    assert merged.threading.private_threadpool_size == 4
    assert a.deterministic is True  # merge returns new options
    with pytest.raises(TypeError, match="expects tf.data.Options"):
        a.merge({"deterministic": False})


def test_unknown_options_are_refused_as_tf():
    # TF raises on a misspelt option rather than ignoring it.
    options = tf.data.Options()
    with pytest.raises(AttributeError, match="Cannot set the property foo on Options") as info:
        options.foo = 1
    assert "deterministic" in str(info.value) and "threading" in str(info.value)
    with pytest.raises(AttributeError, match="property foo on ThreadingOptions"):
        options.threading.foo = 1
    # TF 2.21's newer names, and TF 2.0-2.5 names that tork accepts without effect.
    options.dataset_name = "train"
    options.autotune.min_parallelism = 2
    options.experimental_optimization.seq_interleave_prefetch = True
    options.experimental_optimization.map_vectorization = True
    options.experimental_threading.private_threadpool_size = 3
    assert options.threading.private_threadpool_size == 3
    merged = options.merge(tf.data.Options())
    assert merged.dataset_name == "train" and merged.autotune.min_parallelism == 2
