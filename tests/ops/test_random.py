"""tork.ops.random: shapes, dtypes, statistics and TF seeding rules."""

import math

import numpy as np
import pytest
import torch

import tork as tf
from tork.ops import random as random_ops


@pytest.fixture(autouse=True)
def _clear_global_seed():
    yield
    tf.random.set_seed(None)


def np_(t):
    return t.detach().cpu().numpy()


# ---------------------------------------------------------------- shapes and dtypes


def test_shapes_and_dtypes():
    assert tf.random.normal([2, 3]).dtype == torch.float32
    assert tf.random.normal((2, 3)).shape == (2, 3)
    assert tf.random.normal(tf.constant([4])).shape == (4,)
    assert tf.random.normal([2], dtype=tf.float64).dtype == torch.float64
    assert tf.random.normal([2], dtype="float16").dtype == torch.float16
    assert tf.random.uniform([5]).dtype == torch.float32
    assert tf.random.uniform([5], 0, 10, dtype=tf.int32).dtype == torch.int32
    assert tf.random.uniform([5], 0, 10, dtype=tf.int64).dtype == torch.int64
    assert tf.random.truncated_normal([3, 2], dtype=tf.bfloat16).dtype == torch.bfloat16
    assert tf.random.normal(tf.TensorShape([2, 2])).shape == (2, 2)


def test_bad_arguments():
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype int32"):
        tf.random.uniform([3], dtype=tf.int32)
    with pytest.raises(ValueError, match="dtype int32 is not a float type"):
        tf.random.normal([3], dtype=tf.int32)
    with pytest.raises(ValueError, match=r"minval < maxval, got \[5, 5\)"):
        tf.random.uniform([3], 5, 5, dtype=tf.int32)
    with pytest.raises(ValueError, match=r"2-D logits.*\(3,\)"):
        tf.random.categorical([0.0, 1.0, 2.0], 4)
    with pytest.raises(TypeError, match="seed must be an int"):
        tf.random.set_seed(1.5)


# ---------------------------------------------------------------- statistics

N = 200_000


def test_normal_statistics():
    x = np_(tf.random.normal([N], mean=3.0, stddev=2.0)).astype(np.float64)
    assert abs(x.mean() - 3.0) < 0.03
    assert abs(x.std() - 2.0) < 0.03
    per_row = np_(tf.random.normal([N, 2], mean=tf.constant([0.0, 10.0]), stddev=[1.0, 0.1]))
    np.testing.assert_allclose(per_row.mean(0), [0.0, 10.0], atol=0.02)
    np.testing.assert_allclose(per_row.std(0), [1.0, 0.1], rtol=0.02)


def test_uniform_statistics():
    x = np_(tf.random.uniform([N], -2.0, 6.0)).astype(np.float64)
    assert x.min() >= -2.0 and x.max() < 6.0
    assert abs(x.mean() - 2.0) < 0.05
    assert abs(x.var() - 64 / 12) < 0.1
    d = np_(tf.random.uniform([N], 3, 8, dtype=tf.int32))
    assert d.min() == 3 and d.max() == 7
    freq = np.bincount(d - 3) / N
    np.testing.assert_allclose(freq, np.full(5, 0.2), atol=0.01)
    u = np_(tf.random.uniform([N]))
    assert u.min() >= 0.0 and u.max() < 1.0


def test_truncated_normal_is_cut_at_two_stddev():
    x = np_(tf.random.truncated_normal([N], mean=1.0, stddev=5.0)).astype(np.float64)
    assert x.min() >= 1.0 - 10.0 and x.max() <= 1.0 + 10.0
    # The cut is at 2 stddev, not at absolute 2 (torch.nn.init.trunc_normal_).
    assert np.abs(x - 1.0).max() > 9.0
    phi2 = math.exp(-2.0) / math.sqrt(2 * math.pi)
    std_ratio = math.sqrt(1 - 4 * phi2 / math.erf(2 / math.sqrt(2)))
    assert abs(std_ratio - 0.8796) < 1e-3
    assert abs(x.std() / 5.0 - std_ratio) < 0.01
    assert abs(x.mean() - 1.0) < 0.05


def test_shuffle():
    a = np.arange(20).reshape(10, 2)
    s = np_(tf.random.shuffle(a))
    assert sorted(map(tuple, s)) == sorted(map(tuple, a))
    tf.random.set_seed(3)
    first = tf.random.shuffle(a, seed=1)
    tf.random.set_seed(3)
    assert torch.equal(first, tf.random.shuffle(a, seed=1))


def test_categorical_frequencies():
    probs = np.array([0.1, 0.6, 0.3])
    logits = np.log(probs)[None, :].astype(np.float32)
    draws = tf.random.categorical(np.repeat(logits, 2, 0), 50_000)
    assert draws.shape == (2, 50_000) and draws.dtype == torch.int64
    freq = np.bincount(np_(draws).reshape(-1), minlength=3) / draws.numel()
    np.testing.assert_allclose(freq, probs, atol=0.01)
    masked = tf.random.categorical([[0.0, -np.inf, 0.0]], 1000, dtype=tf.int32)
    assert masked.dtype == torch.int32 and not bool((masked == 1).any())


# ---------------------------------------------------------------- seeding


def _draw_all():
    return [
        tf.random.normal([3]),
        tf.random.uniform([3]),
        tf.random.uniform([3], 0, 100, dtype=tf.int64),
        tf.random.truncated_normal([3]),
        tf.random.shuffle(tf.range(6)),
        tf.random.categorical([[0.0, 0.0, 0.0]], 4),
        tf.nn.dropout(tf.ones(8), 0.5),
    ]


def test_set_seed_reproduces_the_sequence():
    tf.random.set_seed(1234)
    first = _draw_all()
    tf.random.set_seed(1234)
    second = _draw_all()
    for a, b in zip(first, second):
        assert torch.equal(a, b)
    tf.random.set_seed(4321)
    third = _draw_all()
    assert not torch.equal(first[0], third[0])
    # Successive draws differ (a sequence, not one repeated value).
    assert not torch.equal(first[0], tf.random.normal([3]))


def test_op_seed_gives_a_fixed_sequence():
    tf.random.set_seed(1)
    a1 = tf.random.uniform([2], seed=7)
    a2 = tf.random.uniform([2], seed=7)
    assert not torch.equal(a1, a2)
    tf.random.set_seed(1)
    assert torch.equal(a1, tf.random.uniform([2], seed=7))
    assert torch.equal(a2, tf.random.uniform([2], seed=7))
    tf.random.set_seed(2)
    assert not torch.equal(a1, tf.random.uniform([2], seed=7))


def test_op_seed_without_global_seed_is_deterministic():
    tf.random.set_seed(None)
    b1 = tf.random.normal([3], seed=11)
    tf.random.set_seed(None)
    assert torch.equal(b1, tf.random.normal([3], seed=11))


def test_private_helpers_for_initializers():
    assert random_ops._generator_for(None) is None
    g1 = random_ops._fresh_generator(5)
    g2 = random_ops._fresh_generator(5)
    assert torch.equal(
        torch.rand(4, generator=g1, device=g1.device), torch.rand(4, generator=g2, device=g2.device)
    )
    assert random_ops._generator_for(5) is random_ops._generator_for(5)
    tf.random.set_seed(9)
    s1 = random_ops._draw_seed()
    tf.random.set_seed(9)
    assert random_ops._draw_seed() == s1
    assert isinstance(s1, int)


def test_stateless_ops():
    a = tf.random.stateless_normal([4], seed=[1, 2])
    assert torch.equal(a, tf.random.stateless_normal([4], seed=[1, 2]))
    assert not torch.equal(a, tf.random.stateless_normal([4], seed=[2, 1]))
    u = tf.random.stateless_uniform([4], seed=[3, 4], minval=2, maxval=5, dtype=tf.int32)
    assert u.dtype == torch.int32 and bool(((u >= 2) & (u < 5)).all())
    assert torch.equal(
        u, tf.random.stateless_uniform([4], seed=[3, 4], minval=2, maxval=5, dtype=tf.int32)
    )


def test_unknown_name():
    with pytest.raises(NotImplementedError, match=r"`tf\.random\.Generator`"):
        tf.random.Generator  # noqa: B018
