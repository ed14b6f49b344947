"""tork.ops.random: shapes, dtypes, statistics and TF seeding rules."""

import math

import numpy as np
import pytest
import torch

import tork as tf
from tork._backend.errors import InvalidArgumentError
from tork.ops import random as random_ops


@pytest.fixture(autouse=True)
def _clear_global_seed():
    yield
    tf.random.set_seed(None)
    random_ops._global_generator = None
    random_ops._global_generator_from_user = False


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
    # tork has every tf.random name of TF 2.21; a name TF lacks still names itself.
    with pytest.raises(NotImplementedError, match=r"`tf\.random\.no_such_op`"):
        tf.random.no_such_op  # noqa: B018
    with pytest.raises(NotImplementedError, match=r"`tf\.random\.experimental\.no_such_op`"):
        tf.random.experimental.no_such_op  # noqa: B018


def test_shape_errors():
    with pytest.raises(ValueError, match=r"tf\.random\.normal: shape \(3, -2\) has a negative"):
        tf.random.normal([3, -2])
    with pytest.raises(ValueError, match=r"tf\.random\.uniform: shape must hold ints"):
        tf.random.uniform([2.5])
    with pytest.raises(ValueError, match="1-D list of ints, got a 1-D tensor of dtype"):
        tf.random.normal(tf.constant([2.0, 3.0]))


# ---------------------------------------------------------------- tf.random.Generator


def _gen_draws(g):
    return [
        g.normal([4]),
        g.uniform([4]),
        g.uniform([4], 0, 50, dtype=tf.int64),
        g.uniform_full_int([4], tf.int64),
        g.truncated_normal([4]),
        g.binomial([4], 30, 0.5),
        g.make_seeds(2),
    ]


def test_generator_same_seed_same_stream():
    first = _gen_draws(tf.random.Generator.from_seed(1234))
    second = _gen_draws(tf.random.Generator.from_seed(1234))
    for a, b in zip(first, second):
        assert torch.equal(a, b)
    other = _gen_draws(tf.random.Generator.from_seed(1235))
    assert not torch.equal(first[0], other[0])
    g = tf.random.Generator.from_seed(1234)
    assert not torch.equal(g.normal([4]), g.normal([4]))
    # The stream does not depend on the global seed (as TF).
    tf.random.set_seed(5)
    assert torch.equal(tf.random.Generator.from_seed(1234).normal([4]), first[0])
    # Each algorithm is its own stream.
    threefry = tf.random.Generator.from_seed(1234, alg="threefry")
    assert not torch.equal(threefry.normal([4]), first[0])


def test_generator_state_variable_and_algorithm():
    g = tf.random.Generator.from_seed(1234)
    assert isinstance(g.state, tf.Variable) and not g.state.trainable
    assert g.state.dtype == torch.int64 and tuple(g.state.shape) == (3,)
    assert g.algorithm == tf.random.Algorithm.PHILOX.value == 1
    assert g.state.tolist() == [0, 0, 1234] and int(g.key) == 1234
    g.normal([10])
    assert g.state.tolist() == [10, 0, 1234]
    t = tf.random.Generator.from_seed(7, alg=tf.random.Algorithm.THREEFRY)
    assert t.algorithm == 2 and tuple(t.state.shape) == (2,)
    assert tf.random.Generator.from_seed(7, alg="auto_select").algorithm == 3
    assert tf.random.create_rng_state(7, "threefry").tolist() == [0, 7]
    assert tf.random.create_rng_state([7, 0], "philox").tolist() == [0, 0, 7]
    big = tf.random.Generator.from_seed(2**70 + 3)
    assert big.state.tolist()[:2] == [0, 0] and big.state.tolist()[2] != 3
    assert "philox" in repr(g)


def test_generator_from_state_copy_and_reset():
    g = tf.random.Generator.from_seed(99)
    g.normal([5])
    h = tf.random.Generator.from_state(g.state, g.algorithm)
    c = tf.random.Generator(copy_from=g)
    a = g.normal([6])
    assert torch.equal(a, h.normal([6]))
    assert torch.equal(a, c.normal([6]))
    g.reset_from_seed(99)
    fresh = tf.random.Generator.from_seed(99)
    assert torch.equal(g.uniform([3]), fresh.uniform([3]))
    g.reset(h.state)
    assert torch.equal(g.normal([2]), h.normal([2]))
    k = tf.random.Generator.from_key_counter(99, [0, 0], "philox")
    assert torch.equal(k.normal([3]), tf.random.Generator.from_seed(99).normal([3]))
    k.reset_from_key_counter(4, [8, 0])
    assert k.state.tolist() == [8, 0, 4]


def test_generator_skip_equals_drawing():
    g, h = tf.random.Generator.from_seed(3), tf.random.Generator.from_seed(3)
    g.normal([17])
    h.skip(17)
    assert g.state.tolist() == h.state.tolist()
    assert torch.equal(g.uniform([4]), h.uniform([4]))
    h.skip(-4)
    h.skip(4)
    assert h.state.tolist() == g.state.tolist()


def test_generator_split_is_independent_and_reproducible():
    parent = tf.random.Generator.from_seed(11)
    children = parent.split(3)
    assert len(children) == 3 and all(c.algorithm == parent.algorithm for c in children)
    draws = [np_(c.normal([N // 10])) for c in children] + [np_(parent.normal([N // 10]))]
    for i in range(len(draws)):
        for j in range(i + 1, len(draws)):
            assert not np.array_equal(draws[i], draws[j])
            # Independent streams: sample correlation ~ N(0, 1/sqrt(n)) = 0.007.
            assert abs(np.corrcoef(draws[i], draws[j])[0, 1]) < 0.02
    again = tf.random.Generator.from_seed(11).split(3)
    for c, d in zip(again, draws[:3]):
        np.testing.assert_array_equal(np_(c.normal([N // 10])), d)
    assert parent.split(0) == []


def test_generator_make_seeds_feed_stateless_ops():
    seeds = tf.random.Generator.from_seed(5).make_seeds(4)
    assert tuple(seeds.shape) == (2, 4) and seeds.dtype == torch.int64
    assert seeds.device.type == tf.random.normal([1]).device.type
    assert len({tuple(col) for col in np_(seeds).T.tolist()}) == 4
    a = tf.random.stateless_normal([3], seed=seeds[:, 0])
    assert torch.equal(a, tf.random.stateless_normal([3], seed=seeds[:, 0]))
    assert not torch.equal(a, tf.random.stateless_normal([3], seed=seeds[:, 1]))


def test_generator_statistics():
    g = tf.random.Generator.from_seed(2024)
    x = np_(g.normal([N], mean=-1.0, stddev=3.0)).astype(np.float64)
    assert abs(x.mean() + 1.0) < 0.05 and abs(x.std() - 3.0) < 0.05
    u = np_(g.uniform([N], minval=2.0, maxval=4.0, dtype=tf.float64))
    assert u.min() >= 2.0 and u.max() < 4.0 and abs(u.mean() - 3.0) < 0.01
    assert abs(u.var() - 4 / 12) < 0.01
    d = np_(g.uniform([N], 5, 9, dtype=tf.int32))
    assert d.min() == 5 and d.max() == 8
    np.testing.assert_allclose(np.bincount(d - 5) / N, np.full(4, 0.25), atol=0.01)
    t = np_(g.truncated_normal([N], mean=2.0, stddev=0.5)).astype(np.float64)
    assert np.abs(t - 2.0).max() <= 1.0 and np.abs(t - 2.0).max() > 0.9
    phi2 = math.exp(-2.0) / math.sqrt(2 * math.pi)
    assert abs(t.std() / 0.5 - math.sqrt(1 - 4 * phi2 / math.erf(math.sqrt(2)))) < 0.01
    b = np_(g.binomial([N], counts=12, probs=0.25))
    assert b.dtype == np.int32 and b.min() >= 0 and b.max() <= 12
    assert abs(b.mean() - 3.0) < 0.03 and abs(b.var() - 12 * 0.25 * 0.75) < 0.06
    per_col = np_(g.binomial([N // 4, 2], counts=[4.0, 100.0], probs=[0.5, 0.9]))
    np.testing.assert_allclose(per_col.mean(axis=0), [2.0, 90.0], rtol=0.01)


def test_generator_full_range_integers():
    g = tf.random.Generator.from_seed(8)
    for dtype, lo, hi in [
        (tf.int32, -(2**31), 2**31),
        (tf.int64, -(2**63), 2**63),
        (tf.uint32, 0, 2**32),
        (tf.uint64, 0, 2**64),
    ]:
        x = g.uniform_full_int([20_000], dtype)
        assert x.dtype == dtype
        values = [
            int(v)
            for v in x.cpu().view(torch.int64 if x.element_size() == 8 else torch.int32).tolist()
        ]
        if dtype in (tf.uint32, tf.uint64):
            values = [v % (hi - lo) for v in values]
        # Spread over the whole range: each quarter of it holds about a quarter of the draws.
        quarters = np.bincount([(v - lo) * 4 // (hi - lo) for v in values], minlength=4)
        np.testing.assert_allclose(quarters / len(values), np.full(4, 0.25), atol=0.02)
    assert g.uniform([3], None, None, dtype=tf.int64).dtype == torch.int64
    assert g.uniform_full_int([2]).dtype == torch.uint64


def test_global_generator():
    tf.random.set_seed(21)
    a = tf.random.get_global_generator().normal([4])
    tf.random.set_seed(21)
    assert torch.equal(a, tf.random.get_global_generator().normal([4]))
    g = tf.random.Generator.from_seed(1)
    try:
        tf.random.set_global_generator(g)
        assert tf.random.get_global_generator() is g
        tf.random.set_seed(3)
        assert tf.random.get_global_generator() is g
        assert tf.random.experimental.get_global_generator() is g
    finally:
        random_ops._global_generator = None
        random_ops._global_generator_from_user = False
    assert tf.random.experimental.Generator is tf.random.Generator
    assert tf.random.experimental.set_global_generator is tf.random.set_global_generator
    assert tf.random.experimental.Algorithm is tf.random.Algorithm
    tf.random.set_seed(None)
    n1 = tf.random.Generator.from_non_deterministic_state()
    n2 = tf.random.Generator.from_non_deterministic_state()
    assert n1.state.tolist() != n2.state.tolist()


def test_generator_checkpoint_round_trip(tmp_path):
    g = tf.random.Generator.from_seed(77)
    g.normal([3])
    path = tf.train.Checkpoint(generator=g).save(str(tmp_path / "ckpt"))
    expected = g.normal([5])
    restored = tf.random.Generator.from_seed(0)
    tf.train.Checkpoint(generator=restored).restore(path)
    assert torch.equal(restored.normal([5]), expected)


def test_generator_errors():
    g = tf.random.Generator.from_seed(1)
    with pytest.raises(
        ValueError, match=r"Must specify maxval for integer dtype int32 in tf\.random\.Generator"
    ):
        g.uniform([3], dtype=tf.int32)
    with pytest.raises(ValueError, match="minval and maxval must be both None"):
        g.uniform([3], minval=None, maxval=5, dtype=tf.int32)
    with pytest.raises(ValueError, match=r"minval < maxval, got \[4, 2\)"):
        g.uniform([3], 4, 2, dtype=tf.int32)
    with pytest.raises(ValueError, match="dtype int32 is not a float type"):
        g.normal([3], dtype=tf.int32)
    with pytest.raises(
        ValueError, match="int32, int64, uint32 or uint64 values, got dtype float32"
    ):
        g.uniform_full_int([3], tf.float32)
    with pytest.raises(ValueError, match=r"shape \(2, -1\) has a negative dimension"):
        g.truncated_normal([2, -1])
    with pytest.raises(ValueError, match=r"probabilities must be in \[0\.0, 1\.0\], got 2\.0"):
        g.binomial([3], 5, 2.0)
    with pytest.raises(
        ValueError, match=r"counts of shape \(2,\) does not broadcast to shape \(3,\)"
    ):
        g.binomial([3], [1.0, 2.0], 0.5)
    with pytest.raises(ValueError, match="split: count must be >= 0, got -1"):
        g.split(-1)
    # Failed calls leave the stream where it was.
    assert g.state.tolist() == [0, 0, 1]
    with pytest.raises(ValueError, match=r"philox generator state holds 3 int64 words.*\(2,\)"):
        tf.random.Generator.from_state([1, 2], "philox")
    with pytest.raises(ValueError, match=r"threefry generator counter holds 1 int64 word"):
        tf.random.Generator.from_key_counter(1, [0, 0], "threefry")
    with pytest.raises(ValueError, match=r"Unknown random-number algorithm 'mersenne'"):
        tf.random.Generator.from_seed(1, alg="mersenne")
    with pytest.raises(ValueError, match=r"use tf\.random\.Generator\.from_seed\(seed\)"):
        tf.random.Generator()
    with pytest.raises(ValueError, match="either `copy_from` or `state`/`alg`, not both"):
        tf.random.Generator(copy_from=g, alg="philox")
    with pytest.raises(TypeError, match="seed must be an int, got 1.5"):
        tf.random.Generator.from_seed(1.5)
    with pytest.raises(TypeError, match="needs a tf.random.Generator, got int"):
        tf.random.set_global_generator(3)


def test_gamma_shapes_moments_and_seeds():
    # Shape is shape + broadcast(alpha, beta).shape; mean alpha/beta, variance alpha/beta**2.
    x = tf.random.gamma([20000], alpha=[0.5, 3.0], beta=2.0, seed=3)
    assert x.shape == (20000, 2) and x.dtype == torch.float32
    np.testing.assert_allclose(x.numpy().mean(0), [0.25, 1.5], rtol=0.05)
    np.testing.assert_allclose(x.numpy().var(0), [0.125, 0.75], rtol=0.1)
    assert tf.random.gamma([3], [[1.0], [2.0]], beta=[1.0, 2.0]).shape == (3, 2, 2)
    assert tf.random.gamma([2], 1.0, dtype=tf.float64).dtype == torch.float64
    tf.random.set_seed(5)
    a = tf.random.gamma([4], 2.0, seed=1)
    tf.random.set_seed(5)
    assert torch.equal(a, tf.random.gamma([4], 2.0, seed=1))


def test_poisson_shapes_moments_and_dtypes():
    x = tf.random.poisson([20000], [0.5, 4.0], seed=2)
    assert x.shape == (20000, 2) and x.dtype == torch.float32
    np.testing.assert_allclose(x.numpy().mean(0), [0.5, 4.0], rtol=0.05)
    assert np.all(x.numpy() == np.round(x.numpy())) and np.all(x.numpy() >= 0)
    assert tf.random.poisson([2], 3.0, dtype=tf.int32).dtype == torch.int32
    with pytest.raises(TypeError, match="dtype must be a float dtype, int32 or int64"):
        tf.random.poisson([2], 3.0, dtype=tf.bool)


# ---------------------------------------------------------------- candidate samplers
# Expected-count constants were printed by TensorFlow 2.21.

_SAMPLERS = [
    ("LogUniformCandidateSampler", tf.random.log_uniform_candidate_sampler),
    ("UniformCandidateSampler", tf.random.uniform_candidate_sampler),
    ("LearnedUnigramCandidateSampler", tf.random.learned_unigram_candidate_sampler),
]
_TRUE = [[1, 2], [3, 4]]


def _log_uniform_p(c, range_max):
    c = np.asarray(c, dtype=np.float64)
    return (np.log(c + 2) - np.log(c + 1)) / np.log(range_max + 1)


@pytest.mark.parametrize("kind,sampler", _SAMPLERS)
def test_candidate_sampler_structure(kind, sampler):
    tc = tf.constant(_TRUE, tf.int64)
    for unique in (True, False):
        r = sampler(tc, 2, 5, unique, 10, seed=1)
        assert type(r).__name__ == kind
        assert r._fields == ("sampled_candidates", "true_expected_count", "sampled_expected_count")
        sampled, true_count, sampled_count = r
        assert sampled.shape == (5,) and sampled.dtype == torch.int64
        assert true_count.shape == (2, 2) and true_count.dtype == torch.float32
        assert sampled_count.shape == (5,) and sampled_count.dtype == torch.float32
        assert ((sampled >= 0) & (sampled < 10)).all()
    # Lists of ints, NumPy arrays (cast, as TF does) and 0-D tensor arguments are accepted.
    assert sampler([[1, 2]], 2, 2, True, 10).true_expected_count.shape == (1, 2)
    assert sampler(np.array([[1, 2]], np.int32), 2, 2, True, 10).sampled_candidates.shape == (2,)
    r = sampler(tc, 2, tf.constant(3), True, tf.constant(10))
    assert r.sampled_candidates.shape == (3,)
    assert sampler(tf.zeros((0, 2), tf.int64), 2, 2, False, 10).true_expected_count.shape == (0, 2)


def test_candidate_sampler_aliases():
    # TF 2 has only these three under tf.nn; log-uniform and uniform live in tf.random alone.
    assert not hasattr(tf.random, "LogUniformCandidateSampler")


def test_candidate_sampler_expected_counts_without_rejection():
    tc = tf.constant(_TRUE, tf.int64)
    r = tf.random.log_uniform_candidate_sampler(tc, 2, 10, False, 10, seed=1)
    tf_values = [[1.6909208297729492, 1.1997274160385132], [0.9305808544158936, 0.7603399753570557]]
    np.testing.assert_array_equal(np_(r.true_expected_count), np.float32(tf_values))
    np.testing.assert_allclose(
        np_(r.true_expected_count), 10 * _log_uniform_p(_TRUE, 10), rtol=1e-6
    )
    np.testing.assert_allclose(
        np_(r.sampled_expected_count),
        10 * _log_uniform_p(np_(r.sampled_candidates), 10),
        rtol=1e-6,
    )
    r = tf.random.uniform_candidate_sampler(tc, 2, 3, False, 7, seed=1)
    np.testing.assert_array_equal(np_(r.true_expected_count), np.full((2, 2), 0.4285714626312256))
    np.testing.assert_array_equal(np_(r.sampled_expected_count), np.full(3, 0.4285714626312256))
    # unique=True with a single draw never rejects: the count is p * num_sampled = p.
    r = tf.random.log_uniform_candidate_sampler([[1]], 1, 1, True, 1000000, seed=3)
    np.testing.assert_allclose(np_(r.true_expected_count), [[0.05869708210229874 / 2]], rtol=1e-6)


def test_candidate_sampler_expected_counts_with_rejection():
    # TF: range_max=10, num_sampled=10, unique=True took 59 draws; its counts for classes 0..9.
    tf_values = [
        1.0,
        0.9999820590019226,
        0.9994688034057617,
        0.9968581199645996,
        0.9905875325202942,
        0.9801642298698425,
        0.9659713506698608,
        0.9487805366516113,
        0.9294239282608032,
        0.9086427092552185,
    ]
    p = random_ops._log_uniform_prob(np.arange(10), 10)
    np.testing.assert_array_equal(np_(random_ops._expected_count(p, 59, 10)), np.float32(tf_values))
    # A real draw: every count is 1 - (1 - p) ** k for one number of tries k >= num_sampled.
    r = tf.random.log_uniform_candidate_sampler(
        tf.constant([list(range(10))], tf.int64), 10, 10, True, 10, seed=5
    )
    assert sorted(np_(r.sampled_candidates).tolist()) == list(range(10))
    p = _log_uniform_p(np_(r.sampled_candidates), 10)
    counts = np_(r.sampled_expected_count)
    tries = [k for k in range(10, 100_000) if np.allclose(1 - (1 - p) ** k, counts, rtol=1e-5)]
    assert tries, counts
    np.testing.assert_allclose(
        np_(r.true_expected_count)[0],
        1 - (1 - _log_uniform_p(np.arange(10), 10)) ** tries[0],
        rtol=1e-5,
    )
    r = tf.random.uniform_candidate_sampler([[0]], 1, 5, True, 10, seed=1)
    k = np.log1p(-float(r.true_expected_count[0, 0])) / np.log1p(-0.1)
    assert abs(k - round(k)) < 1e-3 and round(k) >= 5
    np.testing.assert_allclose(np_(r.sampled_expected_count), 1 - 0.9 ** round(k), rtol=1e-6)


@pytest.mark.parametrize("kind,sampler", _SAMPLERS[:2])
def test_candidate_sampler_unique(kind, sampler):
    for seed in range(20):
        s = np_(sampler([[0]], 1, 30, True, 40, seed=seed).sampled_candidates)
        assert len(set(s.tolist())) == 30 and s.min() >= 0 and s.max() < 40


def _chi_square(samples, probs):
    observed = np.bincount(samples, minlength=len(probs))
    expected = len(samples) * np.asarray(probs)
    return float(((observed - expected) ** 2 / expected).sum())


def test_candidate_sampler_distributions():
    # 19 degrees of freedom: P(chi2 > 43.8) = 0.001. Fixed seeds keep the test stable.
    n = 200_000
    tf.random.set_seed(11)
    s = np_(tf.random.log_uniform_candidate_sampler([[0]], 1, n, False, 20, seed=1)[0])
    assert s.min() >= 0 and s.max() < 20
    assert _chi_square(s, _log_uniform_p(np.arange(20), 20)) < 43.8
    s = np_(tf.random.uniform_candidate_sampler([[0]], 1, n, False, 20, seed=1)[0])
    assert _chi_square(s, np.full(20, 0.05)) < 43.8
    # The learned sampler draws in proportion to 1 + the number of times a class was seen.
    seen = [[3] * 5 + [7] * 10]
    tf.random.learned_unigram_candidate_sampler(seen, 15, n, False, 20, seed=2)
    s = np_(tf.random.learned_unigram_candidate_sampler(seen, 15, n, False, 20, seed=2)[0])
    weights = np.ones(20)
    weights[3] += 5
    weights[7] += 10
    assert _chi_square(s, weights / weights.sum()) < 43.8


def test_candidate_sampler_seeds():
    tc = tf.constant(_TRUE, tf.int64)
    sampler = tf.random.log_uniform_candidate_sampler
    tf.random.set_seed(3)
    a = np_(sampler(tc, 2, 8, True, 1000, seed=1)[0])
    b = np_(sampler(tc, 2, 8, True, 1000, seed=1)[0])
    c = np_(sampler(tc, 2, 8, False, 1000)[0])
    tf.random.set_seed(3)
    np.testing.assert_array_equal(np_(sampler(tc, 2, 8, True, 1000, seed=1)[0]), a)
    np.testing.assert_array_equal(np_(sampler(tc, 2, 8, True, 1000, seed=1)[0]), b)
    np.testing.assert_array_equal(np_(sampler(tc, 2, 8, False, 1000)[0]), c)
    assert not np.array_equal(a, b)  # an op seed gives a sequence, not one repeated value


def test_learned_unigram_keeps_counts_like_tf_eager():
    sampler = tf.random.learned_unigram_candidate_sampler
    tc = tf.constant(_TRUE, tf.int64)
    ones = tf.constant([[1, 1], [1, 1]], tf.int64)
    # Counts start at 1 per class and learn from true_classes after each draw.
    assert np_(sampler(tc, 2, 3, False, 10, seed=7)[1]).tolist() == [[0.30000001192092896] * 2] * 2
    r = sampler(ones, 2, 3, False, 10, seed=7)
    np.testing.assert_array_equal(np_(r[1]), np.full((2, 2), 0.4285714626312256, np.float32))
    expect = np.where(np.isin(np_(r[0]), [1, 2, 3, 4]), 0.4285714626312256, 0.2142857313156128)
    np.testing.assert_array_equal(np_(r[2]), expect.astype(np.float32))
    np.testing.assert_array_equal(np_(sampler(ones, 2, 3, False, 10, seed=7)[1]), np.ones((2, 2)))
    # Other arguments: a sampler of its own, starting afresh.
    assert np_(sampler([[1]], 1, 3, False, 10, seed=7)[1]).tolist() == [[0.30000001192092896]]
    # No op seed and no global seed: one shared sampler (TF: 0.5454545617103577 = 3 * 2/11).
    sampler([[1]], 1, 3, False, 10)
    assert np_(sampler([[1]], 1, 3, False, 10)[1]).tolist() == [[0.5454545617103577]]
    # set_seed starts every sampler afresh; with a global seed, unseeded calls never share.
    tf.random.set_seed(1)
    assert (
        np_(sampler(ones, 2, 3, False, 10, seed=7)[1]).tolist() == [[0.30000001192092896] * 2] * 2
    )
    sampler([[1]], 1, 3, False, 10)
    assert np_(sampler([[1]], 1, 3, False, 10)[1]).tolist() == [[0.30000001192092896]]


@pytest.mark.parametrize("kind,sampler", _SAMPLERS)
def test_candidate_sampler_errors(kind, sampler):
    tc = tf.constant(_TRUE, tf.int64)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=rf"cannot compute {kind} as input #0\(zero-based\) was expected to be a int64 "
        "tensor but is a int32 tensor",
    ):
        sampler(tf.constant([[1, 2]]), 2, 2, True, 10)
    with pytest.raises(TypeError, match=r"Cannot convert \[\[1.0, 2.0\]\] to EagerTensor"):
        sampler([[1.0, 2.0]], 2, 2, True, 10)
    with pytest.raises(tf.errors.InvalidArgumentError, match="true_classes must be a matrix"):
        sampler(tf.constant([1, 2], tf.int64), 2, 2, True, 10)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="true_classes must have num_true columns, expected: 2 was: 3",
    ):
        sampler(tc, 3, 2, True, 10)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Sampler's range is too small."):
        sampler(tc, 2, 11, True, 10)
    assert sampler(tc, 2, 11, False, 10)[0].shape == (11,)
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"`true_candidate` out of range \[0, 10\), received 10",
    ):
        sampler(tf.constant([[0, 9, 10, -1]], tf.int64), 4, 2, False, 10)
    with pytest.raises(tf.errors.InvalidArgumentError, match="received -1"):
        sampler(tf.constant([[-1]], tf.int64), 1, 2, False, 10)
    for args, attr, value in [
        ((2, 0, True, 10), "num_sampled", 0),
        ((2, 1, True, 0), "range_max", 0),
        ((0, 1, True, 10), "num_true", 0),
    ]:
        with pytest.raises(
            tf.errors.InvalidArgumentError,
            match=f"Value for attr '{attr}' of {value} must be at least minimum 1",
        ):
            sampler(tf.zeros((2, args[0]), tf.int64), *args)
    with pytest.raises(TypeError, match="Expected bool for argument 'unique' not 1."):
        sampler(tc, 2, 2, 1, 10)
    with pytest.raises(TypeError, match="Expected int for argument 'num_true' not '2'."):
        sampler(tc, "2", 2, True, 10)


# ---------------------------------------------------------------- stateless ops, seeds


def test_stateless_categorical():
    logits = [[0.0, 1.0, -np.inf], [5.0, -np.inf, -np.inf]]
    a = tf.random.stateless_categorical(logits, 200, seed=[1, 2])
    assert a.shape == (2, 200) and a.dtype == torch.int64
    assert torch.equal(a, tf.random.stateless_categorical(logits, 200, seed=[1, 2]))
    assert not torch.equal(a, tf.random.stateless_categorical(logits, 200, seed=[2, 1]))
    assert set(a[0].tolist()) <= {0, 1} and a[1].tolist() == [0] * 200
    # P(1) = e / (1 + e) = 0.731 in row 0.
    big = tf.random.stateless_categorical([[0.0, 1.0]], 20000, seed=[3, 4])
    assert abs(big.double().mean().item() - np.e / (1 + np.e)) < 0.02
    b = tf.random.stateless_categorical(logits, 3, seed=[1, 2], dtype=tf.int32)
    assert b.dtype == torch.int32
    assert tf.random.stateless_categorical(logits, 0, seed=[1, 2]).shape == (2, 0)


def test_stateless_categorical_errors():
    sc = tf.random.stateless_categorical
    with pytest.raises(ValueError, match=r"Accepted dtypes are \(tf.int32, tf.int64\)"):
        sc([[0.0, 1.0]], 3, seed=[1, 2], dtype=tf.float32)
    with pytest.raises(InvalidArgumentError, match=r"logits should be a matrix, got shape \[2\]"):
        sc([0.0, 1.0], 3, seed=[1, 2])
    with pytest.raises(InvalidArgumentError, match=r"seed must have shape \[2\], not \[3\]"):
        sc([[0.0, 1.0]], 3, seed=[1, 2, 3])
    with pytest.raises(InvalidArgumentError, match="num_samples should be non-negative, got -1"):
        sc([[0.0, 1.0]], -1, seed=[1, 2])
    with pytest.raises(InvalidArgumentError, match="attr 'Tseed' of float is not in the list"):
        sc([[0.0, 1.0]], 3, seed=[1.0, 2.0])


def test_stateless_truncated_normal():
    x = tf.random.stateless_truncated_normal([20000], seed=[1, 2])
    assert x.dtype == torch.float32
    assert torch.equal(x, tf.random.stateless_truncated_normal([20000], seed=[1, 2]))
    assert bool((x.abs() <= 2).all())
    # Normal truncated at +-2: variance 1 - 2 * 2 * phi(2) / (2 * Phi(2) - 1) = 0.7737.
    assert abs(x.var().item() - 0.7737) < 0.02 and abs(x.mean().item()) < 0.02
    y = tf.random.stateless_truncated_normal(
        [2, 3], seed=[1, 2], mean=3, stddev=2, dtype=tf.float64
    )
    assert y.dtype == torch.float64 and y.shape == (2, 3)
    assert bool(((y >= -1) & (y <= 7)).all())
    with pytest.raises(InvalidArgumentError, match=r"seed must have shape \[2\], not \[1\]"):
        tf.random.stateless_truncated_normal([2], seed=[1])
    with pytest.raises(ValueError, match="dtype int32 is not a float type"):
        tf.random.stateless_truncated_normal([2], seed=[1, 2], dtype=tf.int32)


def test_fold_in_and_split():
    s = tf.random.fold_in([1, 2], 3)
    assert s.dtype == torch.int32 and s.shape == (2,) and int(s[1]) == 3
    assert torch.equal(s, tf.random.fold_in([1, 2], 3))
    t = tf.random.fold_in([1, 2], 4)
    # As in TF: the first word depends on the seed only, the second is the data.
    assert int(t[0]) == int(s[0]) and int(t[1]) == 4
    assert not torch.equal(
        tf.random.stateless_normal([4], seed=s), tf.random.stateless_normal([4], seed=t)
    )
    s64 = tf.random.fold_in([1, 2], tf.constant(3, tf.int64))
    assert s64.dtype == torch.int64 and int(s64[1]) == 3
    assert torch.equal(tf.random.experimental.stateless_fold_in([1, 2], 3), s)
    with pytest.raises(InvalidArgumentError, match=r"seed must have shape \[2\], not \[3\]"):
        tf.random.fold_in([1, 2, 3], 3)
    seeds = tf.random.split([1, 2])
    assert seeds.shape == (2, 2) and seeds.dtype == torch.int32
    three = tf.random.split([1, 2], 3)
    assert torch.equal(three[:2], seeds)
    assert len({tuple(r) for r in three.tolist()}) == 3
    assert tf.random.split(tf.constant([1, 2], tf.int64), 1).dtype == torch.int64
    assert tf.random.split([1, 2], 0).shape == (0, 2)
    assert torch.equal(tf.random.experimental.stateless_split([1, 2], 2), seeds)
    with pytest.raises(InvalidArgumentError, match="num must be non-negative, got -1"):
        tf.random.split([1, 2], -1)


def test_all_candidate_sampler():
    tc = tf.constant([[1, 2], [0, 3]], tf.int64)
    r = tf.random.all_candidate_sampler(tc, 2, 5, True)
    assert r.sampled_candidates.tolist() == [0, 1, 2, 3, 4]
    assert r.sampled_candidates.dtype == torch.int64
    assert r.true_expected_count.tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert r.sampled_expected_count.tolist() == [1.0] * 5
    with pytest.raises(InvalidArgumentError, match="num_true columns, expected: 2 was: 3"):
        tf.random.all_candidate_sampler(tc, 3, 5, True)


def test_fixed_unigram_candidate_sampler_expected_counts():
    tc = tf.constant([[1, 2], [0, 3]], tf.int64)
    fu = tf.random.fixed_unigram_candidate_sampler
    r = fu(tc, 2, 3, False, 5, unigrams=[1, 2, 3, 4, 5], seed=1)
    # TF 2.21: p(c) = (c + 1) / 15, expected count 3 p(c).
    np.testing.assert_allclose(
        r.true_expected_count.numpy(), [[0.40000004, 0.6], [0.20000002, 0.8000001]], rtol=1e-7
    )
    np.testing.assert_allclose(
        r.sampled_expected_count.numpy(), (r.sampled_candidates.numpy() + 1) / 5, rtol=1e-6
    )
    r = fu(tc, 2, 3, False, 5, unigrams=[1, 2, 3, 4, 5], distortion=0.5, seed=1)
    np.testing.assert_allclose(
        r.true_expected_count.numpy(), [[0.5061408, 0.6198933], [0.3578956, 0.7157912]], rtol=1e-6
    )
    r = fu(tc, 2, 3, False, 7, unigrams=[1, 2, 3, 4, 5], num_reserved_ids=2, seed=1)
    np.testing.assert_allclose(
        r.true_expected_count.numpy(), [[0.0, 0.20000002], [0.0, 0.40000004]], rtol=1e-7
    )
    assert bool((r.sampled_candidates >= 2).all())


def test_fixed_unigram_candidate_sampler_distribution(tmp_path):
    tc = tf.constant([[0]], tf.int64)
    path = tmp_path / "vocab.txt"
    path.write_text("a,3\nb,1\nc,6\nd,2\ne,8\n")
    r = tf.random.fixed_unigram_candidate_sampler(
        tc, 1, 20000, False, 5, vocab_file=str(path), seed=3
    )
    freq = np.bincount(r.sampled_candidates.numpy(), minlength=5) / 20000
    np.testing.assert_allclose(freq, np.array([3, 1, 6, 2, 8]) / 20, atol=0.015)
    np.testing.assert_allclose(r.true_expected_count.numpy(), [[0.15 * 20000]], rtol=1e-5)
    u = tf.random.fixed_unigram_candidate_sampler(tc, 1, 4, True, 5, vocab_file=str(path), seed=3)
    assert len(set(u.sampled_candidates.tolist())) == 4
    plain = tmp_path / "counts.txt"
    plain.write_text("3\n1\n")
    r = tf.random.fixed_unigram_candidate_sampler(tc, 1, 2, False, 2, vocab_file=str(plain), seed=1)
    np.testing.assert_allclose(r.true_expected_count.numpy(), [[1.5]])


def test_fixed_unigram_candidate_sampler_errors(tmp_path):
    tc = tf.constant([[1, 2], [0, 3]], tf.int64)
    fu = tf.random.fixed_unigram_candidate_sampler
    with pytest.raises(InvalidArgumentError, match="range is 5 must be equal to weights size  7"):
        fu(tc, 2, 3, False, 5, unigrams=[1, 2, 3, 4, 5], num_reserved_ids=2)
    with pytest.raises(InvalidArgumentError, match="Must provide either vocab_file or unigrams."):
        fu(tc, 2, 3, False, 5)
    with pytest.raises(
        InvalidArgumentError, match="Must only provide one of vocab_file and unigrams."
    ):
        fu(tc, 2, 3, False, 5, unigrams=[1, 2, 3, 4, 5], vocab_file="/tmp/x.txt")
    with pytest.raises(InvalidArgumentError, match="Sampler's range is too small."):
        fu(tc, 2, 6, True, 5, unigrams=[1, 2, 3, 4, 5])
    with pytest.raises(
        InvalidArgumentError, match=r"`true_candidate` out of range \[0, 2\), received 2"
    ):
        fu(tc, 2, 1, False, 2, unigrams=[3, 1])
    with pytest.raises(InvalidArgumentError, match=r"shard 2 must be in \[0, num_shards=2\)"):
        fu(tc, 2, 3, False, 5, unigrams=[1, 2, 3, 4, 5], num_shards=2, shard=2)
    missing = tmp_path / "none.txt"
    with pytest.raises(tf.errors.NotFoundError, match="none.txt; No such file or directory"):
        fu(tc, 2, 3, False, 5, vocab_file=str(missing))
    bad = tmp_path / "bad.txt"
    bad.write_text("a,3\nb,x\n")
    with pytest.raises(InvalidArgumentError, match="Wrong vocabulary format at line: 2"):
        fu(tc, 2, 3, False, 2, vocab_file=str(bad))
