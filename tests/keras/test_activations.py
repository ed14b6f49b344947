"""Tests for tork.keras.activations against NumPy formulas and finite differences."""

import math

import numpy as np
import pytest
import torch

from tork import keras
from tork.keras import activations
from tork.keras.saving import object_registration
from tork.keras.saving.object_registration import (
    custom_object_scope,
    get_custom_objects,
    register_keras_serializable,
)

X = np.concatenate([np.linspace(-7.0, 7.0, 57), [-0.3, 0.0, 0.2, 2.9, 3.1]])
_erf = np.vectorize(math.erf)
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x):
    return np.log1p(np.exp(x))


REFERENCES = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "relu6": lambda x: np.clip(x, 0.0, 6.0),
    "sigmoid": _sigmoid,
    "hard_sigmoid": lambda x: np.clip(0.2 * x + 0.5, 0.0, 1.0),
    "hard_silu": lambda x: x * np.clip(x + 3.0, 0.0, 6.0) / 6.0,
    "hard_swish": lambda x: x * np.clip(x + 3.0, 0.0, 6.0) / 6.0,
    "tanh": np.tanh,
    "gelu": lambda x: 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0))),
    "elu": lambda x: np.where(x > 0, x, np.exp(x) - 1.0),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * (np.exp(x) - 1.0)),
    "softplus": _softplus,
    "softsign": lambda x: x / (1.0 + np.abs(x)),
    "swish": lambda x: x * _sigmoid(x),
    "silu": lambda x: x * _sigmoid(x),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.2 * x),
    "exponential": np.exp,
    "mish": lambda x: x * np.tanh(_softplus(x)),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_elementwise_matches_numpy(name):
    fn = getattr(activations, name)
    out = fn(torch.tensor(X, dtype=torch.float64))
    assert out.dtype == torch.float64
    np.testing.assert_allclose(out.numpy(), REFERENCES[name](X), rtol=1e-7, atol=1e-7)
    out32 = fn(torch.tensor(X, dtype=torch.float32))
    assert out32.dtype == torch.float32
    np.testing.assert_allclose(out32.numpy(), REFERENCES[name](X), rtol=1e-5, atol=1e-5)


def test_numpy_and_python_inputs_are_converted():
    out = activations.relu(np.array([-1.0, 2.0], dtype=np.float32))
    assert isinstance(out, torch.Tensor)
    np.testing.assert_array_equal(out.cpu().numpy(), [0.0, 2.0])
    assert activations.sigmoid([0.0]).dtype == torch.float32


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, [0.0, 0.0, 0.0, 5.0, 10.0]),
        ({"negative_slope": 0.5}, [-5.0, -2.5, 0.0, 5.0, 10.0]),
        ({"max_value": 5.0}, [0.0, 0.0, 0.0, 5.0, 5.0]),
        ({"max_value": 6.0}, [0.0, 0.0, 0.0, 5.0, 6.0]),
        ({"threshold": 5.0}, [0.0, 0.0, 0.0, 0.0, 10.0]),
        ({"negative_slope": 0.5, "threshold": 5.0}, [-7.5, -5.0, -2.5, 0.0, 10.0]),
        ({"negative_slope": 0.5, "max_value": 6.0}, [-5.0, -2.5, 0.0, 5.0, 6.0]),
        ({"negative_slope": 0.1, "max_value": 7.0, "threshold": 1.0}, [-1.1, -0.6, -0.1, 5.0, 7.0]),
    ],
)
def test_relu_options(kwargs, expected):
    x = torch.tensor([-10.0, -5.0, 0.0, 5.0, 10.0])
    np.testing.assert_allclose(activations.relu(x, **kwargs).numpy(), expected, rtol=1e-6)


def test_relu_accepts_tf_keras_2_alpha_name():
    x = torch.tensor([-2.0, 3.0])
    np.testing.assert_allclose(activations.relu(x, alpha=0.5).numpy(), [-1.0, 3.0])


def test_leaky_relu_slope_and_elu_alpha():
    x = torch.tensor([-2.0, 3.0])
    np.testing.assert_allclose(activations.leaky_relu(x, negative_slope=0.1).numpy(), [-0.2, 3.0])
    np.testing.assert_allclose(
        activations.elu(x, alpha=0.5).numpy(), [0.5 * (math.exp(-2.0) - 1.0), 3.0], rtol=1e-6
    )


def test_gelu_approximate_matches_tanh_formula():
    ref = 0.5 * X * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (X + 0.044715 * X**3)))
    out = activations.gelu(torch.tensor(X), approximate=True)
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-7, atol=1e-7)


def test_hard_sigmoid_uses_tf_keras_2_slope():
    out = activations.hard_sigmoid(torch.tensor([-3.0, -2.5, 0.0, 1.0, 2.5, 3.0]))
    np.testing.assert_allclose(out.numpy(), [0.0, 0.0, 0.5, 0.7, 1.0, 1.0], rtol=1e-6)


def _np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("axis", [-1, 0, 1, (1, 2)])
def test_softmax_and_log_softmax(axis):
    x = np.random.default_rng(0).normal(size=(3, 4, 5)) * 3
    ref = _np_softmax(x, axis)
    out = activations.softmax(torch.tensor(x), axis=axis)
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-10)
    log_out = activations.log_softmax(torch.tensor(x), axis=axis)
    np.testing.assert_allclose(log_out.numpy(), np.log(ref), rtol=1e-10, atol=1e-12)


def test_softmax_on_1d_input():
    out = activations.softmax(torch.tensor([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(out.numpy(), _np_softmax(np.array([1.0, 2.0, 3.0]), -1), rtol=1e-6)


def test_sigmoid_and_softmax_keep_their_logits():
    x = torch.tensor([[40.0, -1.0]])
    s = activations.sigmoid(x)
    assert s._keras_logits is x
    p = activations.softmax(x)
    assert p._keras_logits is x
    assert not hasattr(activations.relu(x), "_keras_logits")


def test_logits_survive_autograd():
    x = torch.tensor([0.5, -1.0], requires_grad=True)
    out = activations.sigmoid(x)
    assert out._keras_logits is x
    out.sum().backward()
    s = _sigmoid(np.array([0.5, -1.0]))
    np.testing.assert_allclose(x.grad.numpy(), s * (1 - s), rtol=1e-6)


@pytest.mark.parametrize(
    "name", ["gelu", "elu", "selu", "softplus", "softsign", "swish", "mish", "sigmoid", "tanh"]
)
def test_gradient_matches_finite_differences(name):
    points = np.array([-2.3, -0.7, 0.4, 1.9])
    x = torch.tensor(points, dtype=torch.float64, requires_grad=True)
    getattr(activations, name)(x).sum().backward()
    h = 1e-6
    ref = REFERENCES[name]
    numeric = (ref(points + h) - ref(points - h)) / (2 * h)
    np.testing.assert_allclose(x.grad.numpy(), numeric, rtol=1e-6, atol=1e-8)


def test_softmax_gradient_matches_finite_differences():
    points = np.array([[0.3, -1.2, 2.0]])
    weights = np.array([[1.0, 2.0, -3.0]])
    x = torch.tensor(points, requires_grad=True)
    (activations.softmax(x) * torch.tensor(weights)).sum().backward()
    h = 1e-6
    numeric = np.zeros_like(points)
    for j in range(3):
        d = np.zeros_like(points)
        d[0, j] = h
        plus = (_np_softmax(points + d, -1) * weights).sum()
        minus = (_np_softmax(points - d, -1) * weights).sum()
        numeric[0, j] = (plus - minus) / (2 * h)
    np.testing.assert_allclose(x.grad.numpy(), numeric, rtol=1e-6)


NAMES = [
    "elu", "exponential", "gelu", "hard_sigmoid", "hard_silu", "hard_swish", "leaky_relu",
    "linear", "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid", "silu", "softmax",
    "softplus", "softsign", "swish", "tanh", "celu", "glu", "hard_tanh", "log_sigmoid",
    "sparsemax", "squareplus", "tanh_shrink", "threshold", "hard_shrink", "soft_shrink",
    "sparse_plus", "sparse_sigmoid",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_get_serialize_deserialize_round_trip(name):
    fn = activations.get(name)
    assert fn is getattr(activations, name)
    saved = activations.serialize(fn)
    assert isinstance(saved, str)
    assert activations.deserialize(saved) is fn
    assert activations.get(saved) is fn
    assert activations.deserialize({"class_name": "function", "config": saved}) is fn


def test_aliases_serialize_to_keras_2_names():
    # tf_keras 2.21: serialize(silu) and Dense(activation="silu") configs give "swish";
    # hard_silu/hard_swish exist only in Keras 3, which names them "hard_silu".
    assert activations.serialize(activations.swish) == "swish"
    assert activations.serialize(activations.silu) == "swish"
    assert keras.layers.Dense(2, activation="silu").get_config()["activation"] == "swish"
    assert activations.serialize(activations.hard_swish) == "hard_silu"
    assert activations.serialize(activations.relu) == "relu"


def test_get_none_callable_and_dicts():
    assert activations.get(None) is activations.linear

    def custom(x):
        return x * 2

    assert activations.get(custom) is custom
    assert activations.get({"class_name": "relu", "config": {}}) is activations.relu
    keras3 = {
        "module": "keras.activations",
        "class_name": "function",
        "config": "softmax",
        "registered_name": "softmax",
    }
    assert activations.get(keras3) is activations.softmax
    assert activations.serialize(custom) == "custom"
    assert activations.deserialize("custom", custom_objects={"custom": custom}) is custom
    assert (
        activations.deserialize(
            {"class_name": "function", "config": "custom"}, custom_objects={"custom": custom}
        )
        is custom
    )


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"Unknown activation 'rleu'\. Valid names: .*relu.*"):
        activations.get("rleu")
    with pytest.raises(ValueError, match=r"Did you mean 'relu'\?"):
        activations.deserialize("rleu")
    with pytest.raises(ValueError, match=r"Unknown activation 'ReLUx'"):
        activations.deserialize({"class_name": "ReLUx", "config": {}})


def test_uninterpretable_identifier():
    with pytest.raises(ValueError, match="Could not interpret activation function identifier: 3"):
        activations.get(3)


def test_missing_keras_activation_names_itself():
    # Keras 3.15 has no activation tork lacks: a name no Keras has shows the message.
    with pytest.raises(NotImplementedError, match="tf.keras.activations.no_such_activation"):
        activations.no_such_activation  # noqa: B018


def test_custom_classes_registry_and_scopes():
    class Scaled:
        def __init__(self, factor=1.0):
            self.factor = factor

        def __call__(self, x):
            return x * self.factor

        def get_config(self):
            return {"factor": self.factor}

        @classmethod
        def from_config(cls, config):
            return cls(**config)

    # By name the class itself comes back (activations are not instantiated); by config an
    # instance.
    assert activations.deserialize("Scaled", custom_objects={"Scaled": Scaled}) is Scaled
    config = activations.serialize(Scaled(3.0))
    assert config == {"class_name": "Scaled", "config": {"factor": 3.0}}
    made = activations.deserialize(config, custom_objects={"Scaled": Scaled})
    assert isinstance(made, Scaled) and made.factor == 3.0

    def twice(x):
        return 2 * x

    with custom_object_scope({"twice": twice}):
        assert activations.get("twice") is twice
        assert activations.get({"class_name": "function", "config": "twice"}) is twice
    with pytest.raises(ValueError, match=r"Unknown activation 'twice'"):
        activations.get("twice")
    try:
        register_keras_serializable(package="ActivationTest")(twice)
        assert activations.get("ActivationTest>twice") is twice
        keras3 = {
            "class_name": "function",
            "config": None,
            "registered_name": "ActivationTest>twice",
        }
        assert activations.get(keras3) is twice
    finally:
        get_custom_objects().pop("ActivationTest>twice", None)
        object_registration._GLOBAL_CUSTOM_NAMES.pop(twice, None)


def test_bad_config_dict():
    with pytest.raises(
        ValueError,
        match=r"Cannot deserialize activation config \{'config': \{\}\}: expected a "
        r"'class_name' naming an activation\.",
    ):
        activations.deserialize({"config": {}})


# ---------------------------------------------------------------- Keras 3 activations

KERAS3_X = np.array([[-3.0, -1.0, -0.2, 0.0, 0.3, 1.5, 4.0, 0.7]], np.float32)
# keras.activations.get(name)(KERAS3_X) in Keras 3.15 (TF 2.21), rounded to 6 places.
KERAS3_OUT = {
    "celu": [-0.950213, -0.632121, -0.181269, 0.0, 0.3, 1.5, 4.0, 0.7],
    "glu": [-1.723328, -0.817574, -0.196403, 0.0],
    "hard_tanh": [-1.0, -1.0, -0.2, 0.0, 0.3, 1.0, 1.0, 0.7],
    "log_sigmoid": [
        -3.048587,
        -1.313262,
        -0.798139,
        -0.693147,
        -0.554355,
        -0.201413,
        -0.01815,
        -0.403186,
    ],
    "sparsemax": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0],
    "squareplus": [0.302776, 0.618034, 0.904988, 1.0, 1.161187, 2.0, 4.236068, 1.409481],
    "tanh_shrink": [-2.004945, -0.238406, -0.002625, 0.0, 0.008687, 0.594852, 3.000671, 0.095632],
    "hard_shrink": [-3.0, -1.0, 0.0, 0.0, 0.0, 1.5, 4.0, 0.7],
    "soft_shrink": [-2.5, -0.5, 0.0, 0.0, 0.0, 1.0, 3.5, 0.2],
    "sparse_plus": [0.0, 0.0, 0.16, 0.25, 0.4225, 1.5, 4.0, 0.7225],
    "sparse_sigmoid": [0.0, 0.0, 0.4, 0.5, 0.65, 1.0, 1.0, 0.85],
}


@pytest.mark.parametrize("name", sorted(KERAS3_OUT))
def test_keras3_activations_match_keras(name):
    out = activations.get(name)(KERAS3_X)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [KERAS3_OUT[name]], atol=2e-6)


def test_keras3_activation_arguments():
    x = torch.tensor(KERAS3_X)
    np.testing.assert_allclose(
        activations.celu(x, alpha=2.0).numpy(),
        [[-1.55374, -0.786939, -0.190325, 0.0, 0.3, 1.5, 4.0, 0.7]],
        atol=2e-6,
    )
    np.testing.assert_allclose(
        activations.squareplus(x, b=1).numpy(),
        [[0.081139, 0.207107, 0.409902, 0.5, 0.672015, 1.651388, 4.061553, 0.960328]],
        atol=2e-6,
    )
    out = activations.threshold(x, 0.5, -2.0)
    assert out.tolist() == [[-2.0, -2.0, -2.0, -2.0, -2.0, 1.5, 4.0, pytest.approx(0.7)]]
    ints = activations.threshold(np.array([1, 2, 3]), 2, 0)
    assert ints.dtype == torch.int64 and ints.tolist() == [0, 0, 3]
    np.testing.assert_allclose(
        activations.glu(torch.tensor([[1.0, 2.0], [0.0, 3.0]]), axis=0),
        [[1 / (1 + math.exp(0)), 2 / (1 + math.exp(-3.0))]],
        rtol=1e-6,
    )
    with pytest.raises(ValueError, match=r"axis -1 of shape \(2, 3\) has odd size 3"):
        activations.glu(torch.ones(2, 3))


def _np_sparsemax(z):
    """The simplex projection by bisection on tau (independent of the sort formula)."""
    lo, hi = z.max() - 1.0, z.max()
    for _ in range(200):
        tau = (lo + hi) / 2
        if np.maximum(z - tau, 0).sum() > 1:
            lo = tau
        else:
            hi = tau
    return np.maximum(z - (lo + hi) / 2, 0)


def test_sparsemax_is_the_simplex_projection():
    rng = np.random.default_rng(0)
    z = rng.standard_normal((5, 7))
    out = activations.sparsemax(torch.tensor(z)).numpy()
    np.testing.assert_allclose(out, np.stack([_np_sparsemax(r) for r in z]), atol=1e-10)
    np.testing.assert_allclose(out.sum(-1), 1.0, atol=1e-12)
    # Along axis 0. Keras 3.15's TF backend gets this example wrong (its first column is
    # [0, 0.45], which does not sum to 1); the projection is [0.05, 0.95].
    col = activations.sparsemax(torch.tensor([[0.1, 0.2, 5.0], [1.0, 1.0, 1.0]]), axis=0)
    np.testing.assert_allclose(col.numpy(), [[0.05, 0.1, 1.0], [0.95, 0.9, 0.0]], atol=1e-6)
    assert activations.sparsemax([1.0, 2.0, 2.5]).tolist() == [0.0, 0.25, 0.75]


@pytest.mark.parametrize(
    "name", ["celu", "glu", "log_sigmoid", "sparsemax", "squareplus", "tanh_shrink"]
)
def test_keras3_activation_gradients(name):
    x = torch.tensor(
        [[-1.3, -0.2, 0.4, 1.1], [0.3, 2.0, -0.7, 0.05]], dtype=torch.float64, requires_grad=True
    )
    assert torch.autograd.gradcheck(activations.get(name), (x,))


def test_keras3_activations_in_layers_and_ops():
    from tork import keras

    layer = keras.layers.Dense(3, activation="sparsemax")
    assert layer.get_config()["activation"] == "sparsemax"
    assert keras.layers.Dense(3, activation="celu").activation is activations.celu
    np.testing.assert_allclose(keras.ops.sparsemax([1.0, 2.0, 2.5]).numpy(), [0.0, 0.25, 0.75])
    assert keras.ops.threshold([1.0, 2.0], 1.5, 0).tolist() == [0.0, 2.0]


def test_shrink_and_sparse_activations_follow_their_formulas():
    x = np.linspace(-3.0, 3.0, 61)
    t = torch.tensor(x)
    np.testing.assert_allclose(activations.hard_shrink(t).numpy(), np.where(abs(x) > 0.5, x, 0))
    np.testing.assert_allclose(
        activations.soft_shrink(t, threshold=1.2).numpy(),
        np.sign(x) * np.maximum(abs(x) - 1.2, 0),
        atol=1e-12,
    )
    np.testing.assert_allclose(
        activations.sparse_plus(t).numpy(),
        np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
        atol=1e-12,
    )
    np.testing.assert_allclose(
        activations.sparse_sigmoid(t).numpy(), np.clip((x + 1) / 2, 0, 1), atol=1e-12
    )


def test_shrink_thresholds_match_keras():
    # keras.activations.{hard,soft}_shrink(KERAS3_X, threshold=1.0) in Keras 3.15 (TF 2.21).
    x = torch.tensor(KERAS3_X)
    assert activations.hard_shrink(x, threshold=1.0).tolist() == [
        [-3.0, 0.0, 0.0, 0.0, 0.0, 1.5, 4.0, 0.0]
    ]
    assert activations.soft_shrink(x, threshold=1.0).tolist() == [
        [-2.0, 0.0, 0.0, 0.0, 0.0, 0.5, 3.0, 0.0]
    ]
    half = activations.sparse_sigmoid(x.half())
    assert half.dtype == torch.float16


def test_shrink_and_sparse_activations_in_layers():
    from tork import keras

    layer = keras.layers.Activation("soft_shrink")
    assert layer.get_config()["activation"] == "soft_shrink"
    assert keras.layers.Dense(2, activation="sparse_plus").activation is activations.sparse_plus
    out = layer(np.array([[-1.0, 0.25, 2.0]], np.float32))
    np.testing.assert_allclose(out.numpy(), [[-0.5, 0.0, 1.5]])
