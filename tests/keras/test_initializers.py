"""Tests for tork.keras.initializers: closed-form statistics, fans, seeding, configs."""

import math

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork._backend.device import device as tf_device
from tork._backend.tensor_shape import TensorShape
from tork.keras import initializers

TRUNC = 0.87962566103423978
BIG = (300, 200)  # fan_in 300, fan_out 200


def _np(t):
    return t.detach().cpu().double().numpy()


# (initializer, closed-form bound or None, closed-form std) for shape BIG.
UNIFORM_CASES = {
    "glorot_uniform": math.sqrt(6 / 500),
    "he_uniform": math.sqrt(6 / 300),
    "lecun_uniform": math.sqrt(3 / 300),
    "random_uniform": 0.05,
    "uniform": 0.05,
}
NORMAL_CASES = {  # name -> (std of the values, truncation bound or None)
    "glorot_normal": (math.sqrt(2 / 500), 2 * math.sqrt(2 / 500) / TRUNC),
    "he_normal": (math.sqrt(2 / 300), 2 * math.sqrt(2 / 300) / TRUNC),
    "lecun_normal": (math.sqrt(1 / 300), 2 * math.sqrt(1 / 300) / TRUNC),
    "random_normal": (0.05, None),
    "normal": (0.05, None),
    "truncated_normal": (0.05 * TRUNC, 0.1),
}


@pytest.mark.parametrize("name", sorted(UNIFORM_CASES))
def test_uniform_bounds_and_std(name):
    limit = UNIFORM_CASES[name]
    w = initializers.get(name)(BIG)
    assert w.shape == BIG and w.dtype == torch.float32 and w.device == current_device()
    v = _np(w)
    assert np.abs(v).max() <= limit
    assert np.abs(v).max() > 0.999 * limit
    np.testing.assert_allclose(v.std(), limit / math.sqrt(3), rtol=0.02)
    assert abs(v.mean()) < 0.02 * limit


@pytest.mark.parametrize("name", sorted(NORMAL_CASES))
def test_normal_std_and_truncation(name):
    std, bound = NORMAL_CASES[name]
    v = _np(initializers.get(name)(BIG))
    np.testing.assert_allclose(v.std(), std, rtol=0.02)
    assert abs(v.mean()) < 0.02 * std
    if bound is None:
        assert np.abs(v).max() > 3 * std  # untruncated tails exist
    else:
        assert np.abs(v).max() <= bound
        assert np.abs(v).max() > 0.98 * bound


def test_variance_scaling_distributions():
    s = 3.0 / 250.0  # scale 3, fan_avg of (300, 200)
    trunc = _np(initializers.VarianceScaling(3.0, "fan_avg", "truncated_normal", seed=1)(BIG))
    np.testing.assert_allclose(trunc.std(), math.sqrt(s), rtol=0.02)
    assert np.abs(trunc).max() <= 2 * math.sqrt(s) / TRUNC
    untrunc = _np(initializers.VarianceScaling(3.0, "fan_avg", "untruncated_normal", seed=1)(BIG))
    np.testing.assert_allclose(untrunc.std(), math.sqrt(s), rtol=0.02)
    assert np.abs(untrunc).max() > 2 * math.sqrt(s) / TRUNC
    uni = _np(initializers.VarianceScaling(3.0, "fan_out", "uniform", seed=1)(BIG))
    assert np.abs(uni).max() <= math.sqrt(3 * 3.0 / 200)
    assert np.abs(uni).max() > 0.999 * math.sqrt(3 * 3.0 / 200)
    # 'normal' is the truncated distribution.
    assert initializers.VarianceScaling(distribution="normal").distribution == "truncated_normal"


def test_truncated_normal_redraws_relative_to_stddev():
    # torch.nn.init.trunc_normal_ would cut at absolute +-2; Keras cuts at +-2 stddev.
    v = _np(initializers.TruncatedNormal(mean=1.0, stddev=0.05, seed=3)((400, 250)))
    assert v.min() >= 0.9 and v.max() <= 1.1
    assert v.min() < 0.905 and v.max() > 1.095
    z = (v - 1.0) / 0.05
    # Redrawing (not clipping) keeps the normal shape: P(|z|<1 | |z|<=2) = 0.6827 / 0.9545.
    np.testing.assert_allclose(np.mean(np.abs(z) < 1), 0.682689 / 0.954500, rtol=0.01)
    assert np.mean(np.abs(z) > 1.99) < 0.005


@pytest.mark.parametrize(
    "shape, fans",
    [
        ((), (1, 1)),
        ((7,), (7, 7)),
        ((5, 9), (5, 9)),
        ((3, 3, 16, 32), (144, 288)),  # Conv2D kernel (kh, kw, in, out)
        ((5, 8, 4), (40, 20)),  # Conv1D kernel
        ((3, 3, 32, 16), (288, 144)),  # Conv2DTranspose (kh, kw, out, in): fan_in = K * filters
        ((64, 8, 16), (512, 1024)),  # K2 rule for an MHA kernel (d, H, kd)
    ],
)
def test_fans(shape, fans):
    assert initializers._compute_fans(shape) == fans


@pytest.mark.parametrize(
    "shape, fan_in, fan_out",
    [((1000,), 1000, 1000), ((3, 3, 64, 32), 576, 288), ((4, 60, 50), 240, 200)],
)
def test_fans_seen_through_glorot_and_he_limits(shape, fan_in, fan_out):
    glorot = _np(initializers.GlorotUniform(seed=0)(shape))
    limit = math.sqrt(6 / (fan_in + fan_out))
    assert glorot.shape == shape
    assert np.abs(glorot).max() <= limit and np.abs(glorot).max() > 0.99 * limit
    he = _np(initializers.HeUniform(seed=0)(shape))
    limit = math.sqrt(6 / fan_in)
    assert np.abs(he).max() <= limit and np.abs(he).max() > 0.99 * limit


def test_scalar_shape_uses_fans_of_one():
    w = initializers.VarianceScaling(1.0, "fan_in", "uniform", seed=0)(())
    assert w.shape == () and abs(float(w)) <= math.sqrt(3)


def test_shape_forms_are_accepted():
    init = initializers.Zeros()
    assert init(3).shape == (3,)
    assert init([2, 3]).shape == (2, 3)
    assert init(TensorShape([2, 3])).shape == (2, 3)
    assert init(torch.Size([4])).shape == (4,)
    with pytest.raises(ValueError, match=r"unknown \(None\) dimension"):
        init(TensorShape([None, 3]))


def test_dtypes():
    assert initializers.GlorotUniform()((2, 2), dtype="float64").dtype == torch.float64
    assert initializers.RandomNormal()((2, 2), dtype=torch.float16).dtype == torch.float16
    assert initializers.Zeros()((2,), dtype="int32").dtype == torch.int32
    assert initializers.Ones()((2,), dtype=torch.int64).tolist() == [1, 1]
    with pytest.raises(ValueError, match="GlorotUniform draws floating-point values.*int32"):
        initializers.GlorotUniform()((2, 2), dtype="int32")


def test_device_scope():
    with tf_device("/CPU:0"):
        assert initializers.HeNormal()((2, 2)).device.type == "cpu"
        assert initializers.Ones()((2, 2)).device.type == "cpu"


def test_constant_zeros_ones_identity():
    assert _np(initializers.Zeros()((2, 3))).tolist() == [[0.0] * 3] * 2
    assert _np(initializers.Ones()((2,))).tolist() == [1.0, 1.0]
    assert _np(initializers.Constant(2.5)((2, 2))).tolist() == [[2.5, 2.5], [2.5, 2.5]]
    assert _np(initializers.Constant([1.0, 2.0])((2, 2))).tolist() == [[1, 2], [1, 2]]
    assert _np(initializers.Constant([1, 2, 3, 4])((2, 2))).tolist() == [[1, 2], [3, 4]]
    assert _np(initializers.Constant(np.array(3.0))((1,))).tolist() == [3.0]
    with pytest.raises(ValueError, match=r"value of shape \(3,\) neither broadcasts.*\(2, 2\)"):
        initializers.Constant([1.0, 2.0, 3.0])((2, 2))
    np.testing.assert_array_equal(_np(initializers.Identity()((3, 3))), np.eye(3))
    np.testing.assert_array_equal(_np(initializers.Identity(gain=2.0)((2, 4))), 2 * np.eye(2, 4))


def test_identity_rejects_non_matrices():
    with pytest.raises(ValueError, match=r"2-D shapes only; got shape \(3, 3, 3\) \(rank 3\)"):
        initializers.Identity()((3, 3, 3))


def _reference_orthogonal(shape, seed, gain=1.0):
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    g = torch.Generator().manual_seed(seed)
    a = torch.randn(max(rows, cols), min(rows, cols), generator=g).double().numpy()
    q, r = np.linalg.qr(a)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return gain * q.reshape(shape)


@pytest.mark.parametrize("shape", [(30, 20), (20, 30), (4, 5, 6), (8, 8)])
def test_orthogonal(shape):
    w = _np(initializers.Orthogonal(gain=1.5, seed=7)(shape))
    assert w.shape == shape
    np.testing.assert_allclose(w, _reference_orthogonal(shape, 7, 1.5), atol=1e-5)
    flat = w.reshape(-1, shape[-1]) / 1.5
    if flat.shape[0] >= flat.shape[1]:
        np.testing.assert_allclose(flat.T @ flat, np.eye(flat.shape[1]), atol=1e-5)
    else:
        np.testing.assert_allclose(flat @ flat.T, np.eye(flat.shape[0]), atol=1e-5)


def test_orthogonal_rejects_vectors():
    with pytest.raises(ValueError, match=r"rank 2 or more; got shape \(5,\)"):
        initializers.Orthogonal()((5,))


ALL_RANDOM = [
    "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform",
    "lecun_normal", "random_normal", "random_uniform", "truncated_normal", "variance_scaling",
    "orthogonal",
]  # fmt: skip


@pytest.mark.parametrize("name", ALL_RANDOM)
def test_same_instance_gives_same_values(name):
    init = initializers.get(name)
    first = init((6, 5))
    with pytest.warns(UserWarning, match="unseeded and being called multiple times"):
        assert torch.equal(first, init((6, 5)))  # Keras 2 warns of the repeat
    seeded = initializers.deserialize({"class_name": name, "config": {"seed": 11}})
    assert torch.equal(seeded((6, 5)), seeded((6, 5)))
    again = initializers.deserialize({"class_name": name, "config": {"seed": 11}})
    assert torch.equal(seeded((6, 5)), again((6, 5)))
    other = initializers.deserialize({"class_name": name, "config": {"seed": 12}})
    assert not torch.equal(seeded((6, 5)), other((6, 5)))


@pytest.mark.parametrize("name", ALL_RANDOM)
def test_string_specs_give_fresh_instances(name):
    a, b = initializers.get(name), initializers.get(name)
    assert a is not b
    assert not torch.equal(a((6, 5)), b((6, 5)))


def test_global_seed_makes_unseeded_instances_reproducible():
    torch.manual_seed(123)
    first = [initializers.get("glorot_uniform")((4, 4)) for _ in range(2)]
    torch.manual_seed(123)
    second = [initializers.get("glorot_uniform")((4, 4)) for _ in range(2)]
    assert all(torch.equal(a, b) for a, b in zip(first, second))
    assert not torch.equal(first[0], first[1])


def test_instance_passthrough_and_class_instantiation():
    init = initializers.HeNormal(seed=1)
    assert initializers.get(init) is init
    assert isinstance(initializers.get(initializers.Ones), initializers.Ones)
    assert initializers.get(None) is None

    def custom(shape, dtype=None):
        return torch.full(shape, 7.0)

    assert initializers.get(custom) is custom


def test_lowercase_aliases_are_the_classes():
    assert initializers.glorot_uniform is initializers.GlorotUniform
    assert isinstance(initializers.he_normal(seed=1), initializers.HeNormal)
    assert initializers.OrthogonalInitializer is initializers.Orthogonal
    assert initializers.identity is initializers.Identity


EXPECTED_CLASS = {
    "zeros": "Zeros", "zero": "Zeros", "Zeros": "Zeros", "ones": "Ones", "one": "Ones",
    "Ones": "Ones", "constant": "Constant", "Constant": "Constant",
    "random_normal": "RandomNormal", "normal": "RandomNormal", "RandomNormal": "RandomNormal",
    "random_uniform": "RandomUniform", "uniform": "RandomUniform",
    "RandomUniform": "RandomUniform", "truncated_normal": "TruncatedNormal",
    "TruncatedNormal": "TruncatedNormal", "variance_scaling": "VarianceScaling",
    "VarianceScaling": "VarianceScaling", "glorot_uniform": "GlorotUniform",
    "GlorotUniform": "GlorotUniform", "glorot_normal": "GlorotNormal",
    "GlorotNormal": "GlorotNormal", "he_uniform": "HeUniform", "HeUniform": "HeUniform",
    "he_normal": "HeNormal", "HeNormal": "HeNormal", "lecun_uniform": "LecunUniform",
    "LecunUniform": "LecunUniform", "lecun_normal": "LecunNormal",
    "LecunNormal": "LecunNormal", "orthogonal": "Orthogonal", "Orthogonal": "Orthogonal",
    "OrthogonalInitializer": "Orthogonal", "identity": "Identity", "Identity": "Identity",
    "IdentityInitializer": "Identity",
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED_CLASS))
def test_names_resolve_and_round_trip(name):
    init = initializers.get(name)
    assert type(init).__name__ == EXPECTED_CLASS[name]
    config = initializers.serialize(init)
    assert config["module"] == "keras.initializers"
    assert config["class_name"] == EXPECTED_CLASS[name]
    assert config["registered_name"] is None
    restored = initializers.deserialize(config)
    assert type(restored) is type(init) and restored.get_config() == init.get_config()
    keras2 = {"class_name": config["class_name"], "config": config["config"]}
    assert initializers.get(keras2).get_config() == init.get_config()


def test_configs():
    assert initializers.serialize(initializers.GlorotUniform(seed=3)) == {
        "module": "keras.initializers",
        "class_name": "GlorotUniform",
        "config": {"seed": 3},
        "registered_name": None,
    }
    assert initializers.VarianceScaling(2.0, "fan_out", "uniform").get_config() == {
        "scale": 2.0,
        "mode": "fan_out",
        "distribution": "uniform",
        "seed": None,
    }
    assert initializers.RandomNormal(1.0, 2.0, 5).get_config() == {
        "mean": 1.0,
        "stddev": 2.0,
        "seed": 5,
    }
    assert initializers.RandomUniform().get_config() == {
        "minval": -0.05,
        "maxval": 0.05,
        "seed": None,
    }
    assert initializers.Orthogonal(2.0).get_config() == {"gain": 2.0, "seed": None}
    assert initializers.Identity(3.0).get_config() == {"gain": 3.0}
    assert initializers.Constant(4).get_config() == {"value": 4}
    # A seeded config restores identical values.
    init = initializers.LecunNormal(seed=9)
    assert torch.equal(initializers.deserialize(initializers.serialize(init))((3, 3)), init((3, 3)))
    # TF1-era configs carried a dtype.
    old = {"class_name": "GlorotUniform", "config": {"seed": None, "dtype": "float32"}}
    assert isinstance(initializers.deserialize(old), initializers.GlorotUniform)


def test_custom_objects_and_functions():
    class Halves(initializers.Initializer):
        def __call__(self, shape, dtype=None, **kwargs):
            return torch.full(shape, 0.5)

    config = initializers.serialize(Halves())
    assert config["class_name"] == "Halves" and config["registered_name"] == "Halves"
    restored = initializers.deserialize(config, custom_objects={"Halves": Halves})
    assert isinstance(restored, Halves)

    def my_init(shape, dtype=None):
        return torch.zeros(shape)

    fn_config = initializers.serialize(my_init)
    assert fn_config["class_name"] == "function" and fn_config["config"] == "my_init"
    assert initializers.deserialize(fn_config, custom_objects={"my_init": my_init}) is my_init


def test_unknown_names_and_bad_arguments():
    with pytest.raises(
        ValueError,
        match=r"Unknown initializer 'glorot_unifrom'\. Valid names: .*he_normal.*"
        r"Did you mean 'glorot_uniform'\?",
    ):
        initializers.get("glorot_unifrom")
    with pytest.raises(ValueError, match=r"Unknown initializer 'Nope'"):
        initializers.deserialize({"class_name": "Nope", "config": {}})
    with pytest.raises(ValueError, match="Could not interpret initializer identifier: 5"):
        initializers.get(5)
    with pytest.raises(ValueError, match=r"`scale` must be a positive float; got scale=-1"):
        initializers.VarianceScaling(scale=-1)
    with pytest.raises(ValueError, match=r"invalid mode='fan'\. Valid modes: fan_in, fan_out"):
        initializers.VarianceScaling(mode="fan")
    with pytest.raises(ValueError, match=r"invalid distribution='gauss'.*untruncated_normal"):
        initializers.VarianceScaling(distribution="gauss")
    with pytest.raises(ValueError, match=r"`seed` must be an int or None; got 'x'"):
        initializers.GlorotUniform(seed="x")


def test_tf2_top_level_initializer_aliases():
    import tork as tf

    init = tf.random_normal_initializer(0.0, 0.02, seed=1)
    assert isinstance(init, tf.keras.initializers.RandomNormal)
    values = init((4000,), dtype=tf.float32)
    assert abs(float(values.std()) - 0.02) < 0.002 and abs(float(values.mean())) < 0.002
    assert tf.constant_initializer(3.0)((2,)).tolist() == [3.0, 3.0]
    assert tf.zeros_initializer()((2,)).tolist() == [0.0, 0.0]
    assert tf.ones_initializer()((2,)).tolist() == [1.0, 1.0]
    uniform = tf.random_uniform_initializer(-1.0, 1.0)((1000,))
    assert float(uniform.min()) >= -1.0 and float(uniform.max()) <= 1.0
