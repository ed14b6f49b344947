"""keras.random: shapes, dtypes, Keras 3 seeding rules, statistics and errors."""

import math

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork._backend.device import current_device

N = 200_000


@pytest.fixture(autouse=True)
def _clear_global_seed():
    yield
    tf.random.set_seed(None)


def np_(t):
    return t.detach().cpu().numpy()


def _all_ops(seed):
    """One draw of every op with `seed` (an int, a SeedGenerator or None)."""
    r = keras.random
    return [
        r.normal((3,), seed=seed),
        r.uniform((3,), seed=seed),
        r.randint((3,), 0, 100, seed=seed),
        r.truncated_normal((3,), seed=seed),
        r.categorical([[0.0, 0.0, 0.0, 0.0]], 4, seed=seed),
        r.dropout(torch.ones(8), 0.5, seed=seed),
        r.shuffle(torch.arange(8), seed=seed),
        r.gamma((3,), 2.0, seed=seed),
        r.binomial((3,), 100, 0.5, seed=seed),
        r.beta((3,), 2.0, 3.0, seed=seed),
    ]


# ---------------------------------------------------------------- shapes, dtypes, device


def test_shapes_dtypes_and_device():
    r = keras.random
    dev = current_device().type
    cases = [
        (r.normal((2, 3)), (2, 3), torch.float32),
        (r.uniform([4]), (4,), torch.float32),
        (r.randint((2, 2), 0, 5), (2, 2), torch.int32),
        (r.randint((2,), 0, 5, dtype="int64"), (2,), torch.int64),
        (r.truncated_normal(tf.TensorShape([5])), (5,), torch.float32),
        (r.categorical([[0.0, 1.0]], 7), (1, 7), torch.int32),
        (r.categorical([[0.0, 1.0]], 7, dtype="int64"), (1, 7), torch.int64),
        (r.gamma((3,), 1.0), (3,), torch.float32),
        (r.binomial((3,), 5, 0.5), (3,), torch.float32),
        (r.beta((3,), 1.0, 1.0), (3,), torch.float32),
        (r.normal((2,), dtype="float64"), (2,), torch.float64),
        (r.gamma((2,), 2.0, dtype="float16"), (2,), torch.float16),
        (r.beta((2,), 2.0, 2.0, dtype="bfloat16"), (2,), torch.bfloat16),
        (r.normal(()), (), torch.float32),
        (r.uniform((0, 3)), (0, 3), torch.float32),
    ]
    for x, shape, dtype in cases:
        assert tuple(x.shape) == shape and x.dtype == dtype
        assert x.device.type == dev
    assert r.dropout(torch.ones(2, 3, dtype=torch.float64), 0.5).dtype == torch.float64
    assert r.shuffle(np.arange(6).reshape(2, 3), axis=1).shape == (2, 3)


def test_dtype_none_means_floatx():
    before = keras.backend.floatx()
    keras.backend.set_floatx("float64")
    try:
        for x in (
            keras.random.normal((2,)),
            keras.random.uniform((2,)),
            keras.random.truncated_normal((2,)),
            keras.random.gamma((2,), 1.0),
            keras.random.binomial((2,), 3, 0.5),
            keras.random.beta((2,), 1.0, 2.0),
        ):
            assert x.dtype == torch.float64
    finally:
        keras.backend.set_floatx(before)


# ---------------------------------------------------------------- seeds


def test_int_seed_gives_the_same_values_every_call():
    first = _all_ops(42)
    second = _all_ops(42)
    for a, b in zip(first, second):
        assert torch.equal(a, b)
    other = _all_ops(43)
    assert not torch.equal(first[0], other[0])
    assert not torch.equal(first[1], other[1])


def test_int_seed_ignores_the_global_seed():
    tf.random.set_seed(1)
    a = keras.random.normal((4,), seed=5)
    tf.random.set_seed(2)
    assert torch.equal(a, keras.random.normal((4,), seed=5))


def test_seed_generator_advances_and_replays():
    gen = keras.random.SeedGenerator(1337)
    first = _all_ops(gen)
    assert gen.state.tolist() == [1337, len(first)]
    second = _all_ops(gen)
    assert not torch.equal(first[0], second[0])
    assert not torch.equal(first[1], second[1])
    replay = keras.random.SeedGenerator(1337)
    for a, b in zip(first + second, _all_ops(replay) + _all_ops(replay)):
        assert torch.equal(a, b)
    # As in Keras, an int seed s is the seed state [s, 0]: a SeedGenerator(s)'s first draw.
    assert torch.equal(
        keras.random.normal((5,), seed=keras.random.SeedGenerator(9)),
        keras.random.normal((5,), seed=9),
    )


def test_seed_generator_is_a_keras_object_with_a_state_variable():
    gen = keras.random.SeedGenerator(7, name="my_seed")
    assert gen.name == "my_seed"
    assert isinstance(gen.state, tf.Variable)
    assert gen.state.dtype == torch.int64 and tuple(gen.state.shape) == (2,)
    assert not gen.state.trainable
    assert gen.next().tolist() == [7, 0]
    assert gen.state.tolist() == [7, 1]
    # Keras 3.15: SeedGenerator(3).get_config() == {'seed': 3, 'name': 'seed_generator'}.
    assert gen.get_config() == {"seed": 7, "name": "my_seed"}
    clone = keras.random.SeedGenerator.from_config(gen.get_config())
    assert clone.state.tolist() == [7, 0]
    assert clone.name == "my_seed"
    assert keras.random.SeedGenerator(1).name.startswith("seed_generator")
    assert keras.random.SeedGenerator(1, backend="torch").state.tolist() == [1, 0]


def test_none_seed_follows_set_random_seed():
    keras.utils.set_random_seed(3)
    first = _all_ops(None)
    unseeded = keras.random.SeedGenerator()
    from_gen = keras.random.normal((3,), seed=unseeded)
    keras.utils.set_random_seed(3)
    second = _all_ops(None)
    for a, b in zip(first, second):
        assert torch.equal(a, b)
    assert torch.equal(from_gen, keras.random.normal((3,), seed=keras.random.SeedGenerator()))
    assert not torch.equal(first[0], keras.random.normal((3,)))


# ---------------------------------------------------------------- statistics


def test_normal_and_uniform_statistics():
    x = np_(keras.random.normal((N,), mean=3.0, stddev=2.0, seed=1)).astype(np.float64)
    assert abs(x.mean() - 3.0) < 0.03 and abs(x.std() - 2.0) < 0.03
    u = np_(keras.random.uniform((N,), minval=-2.0, maxval=6.0, seed=2)).astype(np.float64)
    assert u.min() >= -2.0 and u.max() < 6.0
    assert abs(u.mean() - 2.0) < 0.05 and abs(u.var() - 64 / 12) < 0.1


def test_randint_bounds_and_frequencies():
    d = np_(keras.random.randint((N,), 3, 8, seed=3))
    assert d.min() == 3 and d.max() == 7
    np.testing.assert_allclose(np.bincount(d - 3) / N, np.full(5, 0.2), atol=0.01)
    neg = np_(keras.random.randint((1000,), -4, -1, dtype="int64", seed=4))
    assert set(neg.tolist()) == {-4, -3, -2}


def test_truncated_normal_is_cut_at_two_stddev():
    x = np_(keras.random.truncated_normal((N,), mean=1.0, stddev=5.0, seed=5)).astype(np.float64)
    assert np.abs(x - 1.0).max() <= 10.0
    assert np.abs(x - 1.0).max() > 9.0
    # Std of a standard normal cut at +-2: sqrt(1 - 2*2*phi(2) / (2*Phi(2) - 1)).
    phi2 = math.exp(-2.0) / math.sqrt(2 * math.pi)
    ratio = math.sqrt(1 - 4 * phi2 / math.erf(2 / math.sqrt(2)))
    assert abs(x.std() / 5.0 - ratio) < 0.01
    assert abs(x.mean() - 1.0) < 0.05


def test_categorical_frequencies_match_softmax():
    logits = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], dtype=np.float32)
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    draws = np_(keras.random.categorical(logits, 60_000, seed=6))
    assert draws.shape == (2, 60_000)
    for row in range(2):
        freq = np.bincount(draws[row], minlength=3) / draws.shape[1]
        np.testing.assert_allclose(freq, expected[row], atol=0.01)
    masked = keras.random.categorical([[0.0, -np.inf, 0.0]], 1000, seed=7)
    assert not bool((masked == 1).any())
    assert keras.random.categorical([[0.0, 1.0]], 0).shape == (1, 0)


def test_dropout_zero_fraction_and_scaling():
    x = np.linspace(1.0, 2.0, N).astype(np.float32)
    y = np_(keras.random.dropout(x, 0.3, seed=8))
    dropped = y == 0
    assert abs(dropped.mean() - 0.3) < 0.01
    np.testing.assert_allclose(y[~dropped], x[~dropped] / 0.7, rtol=1e-6)
    assert abs(y.mean() - x.mean()) < 0.01
    unseeded = np_(keras.random.dropout(x, 0.6))
    assert abs((unseeded == 0).mean() - 0.6) < 0.01
    np.testing.assert_allclose(unseeded[unseeded != 0], x[unseeded != 0] / 0.4, rtol=1e-6)
    assert torch.equal(keras.random.dropout(torch.ones(3), 0.0), torch.ones(3))


def test_dropout_noise_shape_shares_the_mask():
    x = torch.ones(64, 5, 16)
    y = np_(keras.random.dropout(x, 0.5, noise_shape=(None, 1, 16), seed=9))
    # The mask is one draw per (batch, feature): equal along the timestep axis.
    assert (y == y[:, :1, :]).all()
    assert set(np.unique(y).tolist()) == {0.0, 2.0}
    assert abs((y[:, 0, :] == 0).mean() - 0.5) < 0.1


def test_shuffle_permutes_along_an_axis():
    a = np.arange(24).reshape(4, 6)
    s = np_(keras.random.shuffle(a, axis=1, seed=10))
    np.testing.assert_array_equal(np.sort(s, axis=1), a)
    # Whole columns move together: every row gets the same permutation.
    np.testing.assert_array_equal(s - s[:1], a - a[:1])
    s0 = np_(keras.random.shuffle(a, axis=-2, seed=10))
    assert sorted(map(tuple, s0)) == sorted(map(tuple, a))
    gen = keras.random.SeedGenerator(11)
    firsts = [int(keras.random.shuffle(torch.arange(4), seed=gen)[0]) for _ in range(2000)]
    np.testing.assert_allclose(np.bincount(firsts, minlength=4) / 2000, np.full(4, 0.25), atol=0.05)


@pytest.mark.parametrize("alpha", [0.5, 1.0, 4.0])
def test_gamma_mean_and_variance(alpha):
    x = np_(keras.random.gamma((N,), alpha, seed=12)).astype(np.float64)
    assert x.min() > 0.0
    # Gamma(alpha, scale 1): mean alpha, variance alpha.
    assert abs(x.mean() - alpha) < 0.02 * max(alpha, 1.0)
    assert abs(x.var() - alpha) < 0.05 * max(alpha, 1.0)


def test_gamma_with_a_tensor_alpha_broadcasts():
    alphas = np.array([0.5, 2.0, 8.0], dtype=np.float32)
    x = np_(keras.random.gamma((N // 4, 3), alphas, seed=13)).astype(np.float64)
    np.testing.assert_allclose(x.mean(axis=0), alphas, rtol=0.03)


def test_beta_mean_and_variance():
    a, b = 2.0, 5.0
    x = np_(keras.random.beta((N,), a, b, seed=14)).astype(np.float64)
    assert x.min() >= 0.0 and x.max() <= 1.0
    assert abs(x.mean() - a / (a + b)) < 0.005
    assert abs(x.var() - a * b / ((a + b) ** 2 * (a + b + 1))) < 0.002


def test_binomial_mean_and_variance():
    n, p = 20, 0.3
    x = np_(keras.random.binomial((N,), n, p, seed=15)).astype(np.float64)
    assert x.min() >= 0 and x.max() <= n and (x == np.round(x)).all()
    assert abs(x.mean() - n * p) < 0.05
    assert abs(x.var() - n * p * (1 - p)) < 0.1
    per_col = np_(keras.random.binomial((N // 4, 2), [10.0, 40.0], [0.5, 0.1], seed=16))
    np.testing.assert_allclose(per_col.mean(axis=0), [5.0, 4.0], atol=0.05)


# ---------------------------------------------------------------- errors


def test_bad_shapes():
    with pytest.raises(ValueError, match=r"keras\.random\.normal: shape \(2, -1\) has a negative"):
        keras.random.normal((2, -1))
    with pytest.raises(ValueError, match=r"shape must hold ints, got \(2, 1\.5\)"):
        keras.random.uniform((2, 1.5))
    with pytest.raises(ValueError, match=r"unknown \(None\) dimension"):
        keras.random.randint((None, 2), 0, 3)
    with pytest.raises(ValueError, match="shape must be a list or tuple of ints"):
        keras.random.gamma(object(), 1.0)


def test_bad_dtypes():
    with pytest.raises(ValueError, match=r"keras\.random\.normal draws floats; dtype int32"):
        keras.random.normal((2,), dtype="int32")
    with pytest.raises(ValueError, match="Use keras.random.randint for integers"):
        keras.random.uniform((2,), dtype="int64")
    with pytest.raises(ValueError, match="dtype float32 is not an integer type"):
        keras.random.randint((2,), 0, 3, dtype="float32")
    with pytest.raises(ValueError, match="dtype must be an integer type, got float32"):
        keras.random.categorical([[0.0, 1.0]], 2, dtype="float32")


def test_bad_bounds_and_parameters():
    with pytest.raises(ValueError, match=r"minval < maxval, got \[3, 3\)"):
        keras.random.randint((2,), 3, 3)
    with pytest.raises(ValueError, match=r"2-D logits.*\(3,\)"):
        keras.random.categorical([0.0, 1.0, 2.0], 2)
    with pytest.raises(ValueError, match="num_samples must be >= 0, got -1"):
        keras.random.categorical([[0.0, 1.0]], -1)
    with pytest.raises(ValueError, match=r"keras\.random\.gamma: alpha must be > 0, got 0\.0"):
        keras.random.gamma((2,), 0.0)
    with pytest.raises(ValueError, match=r"keras\.random\.beta: beta must be > 0, got -1\.0"):
        keras.random.beta((2,), 1.0, -1.0)
    with pytest.raises(ValueError, match=r"probabilities must be in \[0\.0, 1\.0\], got 1\.5"):
        keras.random.binomial((2,), 3, 1.5)
    with pytest.raises(ValueError, match="counts must be >= 0, got -2"):
        keras.random.binomial((2,), -2, 0.5)
    with pytest.raises(
        ValueError, match=r"counts of shape \(3,\) does not broadcast to shape \(2,\)"
    ):
        keras.random.binomial((2,), [1.0, 2.0, 3.0], 0.5)
    with pytest.raises(ValueError, match=r"alpha of shape \(4,\) does not broadcast"):
        keras.random.gamma((5, 3), np.ones(4, np.float32))


@pytest.mark.parametrize("rate", [1.0, -0.1, 1.5, "half"])
def test_dropout_rate_outside_range(rate):
    with pytest.raises(ValueError, match=r"rate must be a number in \[0, 1\)"):
        keras.random.dropout(torch.ones(3), rate)


def test_dropout_bad_noise_shape():
    with pytest.raises(ValueError, match=r"noise_shape \(4,\) needs one entry per dimension"):
        keras.random.dropout(torch.ones(4, 4), 0.5, noise_shape=(4,))
    with pytest.raises(ValueError, match=r"noise_shape \(4, 3\) does not broadcast.*\(4, 4\)"):
        keras.random.dropout(torch.ones(4, 4), 0.5, noise_shape=(4, 3))


def test_shuffle_errors():
    with pytest.raises(ValueError, match=r"axis 2 is out of range.*\(2, 3\)"):
        keras.random.shuffle(torch.ones(2, 3), axis=2)
    with pytest.raises(ValueError, match="rank >= 1, got a scalar"):
        keras.random.shuffle(torch.tensor(1.0))


def test_bad_seeds():
    with pytest.raises(ValueError, match=r"`seed` must be an int, a keras\.random\.SeedGenerator"):
        keras.random.normal((2,), seed=1.5)
    with pytest.raises(ValueError, match=r"SeedGenerator: `seed` must be an int or None, got 'a'"):
        keras.random.SeedGenerator("a")
    with pytest.raises(ValueError, match=r"unrecognized keyword arguments: \['foo'\]"):
        keras.random.SeedGenerator(1, foo=2)


def test_unknown_name():
    with pytest.raises(NotImplementedError, match=r"`keras\.random\.poisson`"):
        keras.random.poisson  # noqa: B018


def test_seed_generator_state_path_and_layer_lookup():
    from tork.keras.random import _seed_generator_states

    # Keras 3.15: path "<generator name>/seed_generator_state", int64, shape (2,).
    gen = keras.random.SeedGenerator(5, name="my_gen")
    assert gen.state.path == "my_gen/seed_generator_state"
    assert gen.state.dtype == torch.int64 and not gen.state.trainable
    with keras.name_scope("block"):
        nested = keras.random.SeedGenerator(1, name="g")
    assert nested.state.path == "block/g/seed_generator_state"

    class Noisy(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.seed_generator = keras.random.SeedGenerator(1337)
            self.extra = [keras.random.SeedGenerator(1)]

        def call(self, x):
            return x + keras.random.normal(tuple(x.shape), seed=self.seed_generator)

    layer = Noisy()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), layer])
    states = _seed_generator_states(model)
    assert [id(s) for s in states] == [id(layer.seed_generator.state), id(layer.extra[0].state)]
    # Keras 2 layers hold no generator: nothing is added for them.
    assert _seed_generator_states(keras.layers.Dropout(0.5)) == []
