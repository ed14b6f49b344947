"""Dataset.random: infinite int64 scalars (TF 2.21's spec, cardinality and repr)."""

import pytest

import tork as tf


def test_spec_cardinality_repr():
    ds = tf.data.Dataset.random(seed=4)
    assert (
        repr(ds) == "<_RandomDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>"
    )
    assert ds.element_spec == tf.TensorSpec((), tf.int64)
    assert int(ds.cardinality()) == tf.data.INFINITE_CARDINALITY


def test_seeded_streams_repeat_and_rerandomize():
    first = [int(x) for x in tf.data.Dataset.random(seed=4).take(2000)]
    assert first == [int(x) for x in tf.data.Dataset.random(seed=4).take(2000)]
    assert first != [int(x) for x in tf.data.Dataset.random(seed=5).take(2000)]
    assert all(0 <= v < 2**32 for v in first)
    assert len(set(first)) > 1990  # uniform over 2**32 values: few repeats
    ds = tf.data.Dataset.random(seed=4)
    assert [int(x) for x in ds.take(5)] == [int(x) for x in ds.take(5)]
    ds = tf.data.Dataset.random(seed=4, rerandomize_each_iteration=True)
    assert [int(x) for x in ds.take(5)] != [int(x) for x in ds.take(5)]


def test_global_seed_makes_unseeded_stream_reproducible():
    tf.random.set_seed(7)
    a = [int(x) for x in tf.data.Dataset.random().take(5)]
    tf.random.set_seed(7)
    assert a == [int(x) for x in tf.data.Dataset.random().take(5)]


def test_bad_seed():
    with pytest.raises(TypeError, match="Dataset.random: `seed` must be an integer, got 1.5"):
        tf.data.Dataset.random(seed=1.5)
