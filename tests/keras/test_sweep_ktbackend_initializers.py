"""Sweep of tf_keras's initializers tests: partitioned calls and integer RandomUniform.

Reference behaviour from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) in the reference env.
"""

import math

import numpy as np
import pytest
import torch

import tork as tf

init = tf.keras.initializers

PARTITIONED = [
    (init.Zeros, {}),
    (init.Ones, {}),
    (init.Constant, {}),
    (init.RandomUniform, {}),
    (init.RandomNormal, {"seed": 123}),
    (init.RandomUniform, {"seed": 123}),
    (init.TruncatedNormal, {"seed": 123}),
    (init.LecunUniform, {"seed": 123}),
    (init.GlorotUniform, {"seed": 123}),
    (init.HeUniform, {"seed": 123}),
]


@pytest.mark.parametrize(("cls", "kwargs"), PARTITIONED)
def test_partition_shape_gives_the_shard(cls, kwargs):
    # tf_keras returns a (2, 2) shard; tork ignored the keywords and returned (4, 2).
    initializer = cls(**kwargs)
    shard = initializer(shape=(4, 2), partition_shape=(2, 2), partition_offset=(0, 0))
    assert tuple(shard.shape) == (2, 2)
    if "seed" in kwargs:
        # Different offsets draw different values; the same offset the same ones.
        other = initializer(shape=(4, 2), partition_shape=(2, 2), partition_offset=(1, 0))
        again = initializer(shape=(4, 2), partition_shape=(2, 2), partition_offset=(1, 0))
        assert not np.allclose(np.asarray(shard), np.asarray(other))
        np.testing.assert_array_equal(np.asarray(other), np.asarray(again))


def test_partition_fans_come_from_the_shard():
    # tf_keras: GlorotUniform(seed=3)((40, 20), partition_shape=(20, 20)) reaches
    # |w| = 0.387 > sqrt(6 / 60): the limit is sqrt(6 / (20 + 20)).
    shard = np.asarray(
        init.GlorotUniform(seed=3)((40, 20), partition_shape=(20, 20), partition_offset=(0, 0))
    )
    limit = math.sqrt(6.0 / 40.0)
    assert np.abs(shard).max() <= limit
    assert np.abs(shard).max() > math.sqrt(6.0 / 60.0)


@pytest.mark.parametrize("cls", [init.Orthogonal, init.Identity])
def test_partition_unsupported(cls):
    with pytest.raises(ValueError, match="doesn't support partition-related arguments"):
        cls()(shape=(4, 2), partition_shape=(2, 2), partition_offset=(0, 0))


def test_no_partition_unchanged():
    a = np.asarray(init.GlorotUniform(seed=5)((3, 4)))
    b = np.asarray(init.GlorotUniform(seed=5)((3, 4)))
    np.testing.assert_array_equal(a, b)


def test_random_uniform_integer_dtype():
    # tf_keras: RandomUniform(0, 10, seed=1)((1000,), dtype="int32") -> int32 in [0, 10).
    values = init.RandomUniform(0, 10, seed=1)((1000,), dtype="int32")
    assert values.dtype == torch.int32
    array = np.asarray(values)
    assert array.min() == 0 and array.max() == 9
    again = init.RandomUniform(0, 10, seed=1)((1000,), dtype="int32")
    np.testing.assert_array_equal(array, np.asarray(again))


def test_random_uniform_integer_dtype_empty_range():
    with pytest.raises(ValueError, match=r"RandomUniform with integer dtype .* is empty"):
        init.RandomUniform()((3,), dtype="int32")


def test_tf_random_normal_initializer_partition():
    # TF's own initializer class shares the partition handling.
    seeded = tf.random_normal_initializer(seed=4)
    shard = seeded((4, 2), partition_shape=(2, 2), partition_offset=(0, 0))
    assert tuple(shard.shape) == (2, 2)
