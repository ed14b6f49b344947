"""Muon: numbers, variable layout and config against TF 2.21 (Keras 3.15)."""

import numpy as np
import pytest
import torch

import tork as tf
from tork.keras.optimizers import Muon
from tork.keras.optimizers.muon import _newton_schulz


def _data():
    """Five variables (Muon sends only the non-embedding 2-D ones to Newton-Schulz) and
    three steps of gradients, as the TF 2.21 / Keras 3.15 reference run built them."""
    shapes = {
        "dense/kernel": (3, 4),
        "tall/kernel": (4, 2),
        "dense/bias": (3,),
        "emb/embeddings": (4, 2),
        "conv/kernel": (2, 2, 2),
    }
    init, grads = {}, [{}, {}, {}]
    for i, (name, shape) in enumerate(shapes.items()):
        k = int(np.prod(shape))
        init[name] = np.sin(np.arange(k) * 1.3 + i).reshape(shape).astype("float32")
        for t in range(3):
            wave = np.cos(np.arange(k) * 0.7 + 2 * i + t) * (t + 1) * 0.5
            grads[t][name] = wave.reshape(shape).astype("float32")
    return shapes, init, grads


def _run(optimizer):
    shapes, init, grads = _data()
    variables = [tf.Variable(init[name], name=name) for name in shapes]
    for step in grads:
        optimizer.apply_gradients(zip([tf.constant(step[n]) for n in shapes], variables))
    return {name: v.numpy().ravel() for name, v in zip(shapes, variables)}


def _slot_names(optimizer):
    # tork names variables Keras-2 style ("...:0"); Keras 3 paths lack the suffix.
    return [v.name.split("/", 1)[1].removesuffix(":0") for v in optimizer.variables]


def _assert_matches(result, expected):
    for name, values in expected.items():
        np.testing.assert_allclose(result[name], values, rtol=1e-5, atol=1e-6, err_msg=name)


# Keras 3.15 (TF 2.21) values after the three steps.
MUON_DEFAULT = {
    "dense/kernel": [
        -7.8307596e-05,
        0.96379387,
        0.51595169,
        -0.68730682,
        -0.88316864,
        0.21523313,
        0.99843282,
        0.31882811,
        -0.82825738,
        -0.76243985,
        0.41989103,
        0.98681098,
    ],
    "tall/kernel": [
        0.84176809,
        0.74606824,
        -0.44195187,
        -0.98295265,
        -0.083204038,
        0.93744272,
        0.58430761,
        -0.62473691,
    ],
    "dense/bias": [0.90969664, -0.15832618, -0.99652934],
    "emb/embeddings": [
        0.13854085,
        -0.9177056,
        -0.63112056,
        0.58115357,
        0.94355118,
        -0.073083483,
        -0.98027623,
        -0.45016634,
    ],
    "conv/kernel": [
        -0.75412041,
        -0.82940555,
        0.31375262,
        0.99987441,
        0.22244415,
        -0.8824991,
        -0.69618553,
        0.50696701,
    ],
}
MUON_DEFAULT_SLOTS = [
    "iteration",
    "learning_rate",
    "dense_kernel_momentum",
    "tall_kernel_momentum",
    "dense_bias_momentum",
    "dense_bias_velocity",
    "emb_embeddings_momentum",
    "emb_embeddings_velocity",
    "conv_kernel_momentum",
    "conv_kernel_velocity",
]
MUON_CUSTOM = {
    "dense/kernel": [
        -0.0055781407,
        0.96936536,
        0.53570181,
        -0.65960252,
        -0.8640309,
        0.22092305,
        0.98927772,
        0.3050693,
        -0.84392536,
        -0.78236079,
        0.40055677,
        0.97965419,
    ],
    "tall/kernel": [
        0.86683279,
        0.77079254,
        -0.42320904,
        -0.97792035,
        -0.10923078,
        0.90666389,
        0.56017309,
        -0.63425964,
    ],
    "dense/bias": [0.91065383, -0.16310905, -1.0191867],
    "emb/embeddings": [
        0.11041326,
        -0.90634191,
        -0.63725334,
        0.60754585,
        0.96163911,
        -0.067967586,
        -0.95627326,
        -0.47723579,
    ],
    "conv/kernel": [
        -0.72783196,
        -0.8012833,
        0.33272803,
        1.0053736,
        0.21777768,
        -0.90516919,
        -0.71810538,
        0.49028265,
    ],
}
MUON_CUSTOM_SLOTS = [
    "iteration",
    "learning_rate",
    "dense_kernel_momentum",
    "tall_kernel_momentum",
    "tall_kernel_velocity",
    "dense_bias_momentum",
    "dense_bias_velocity",
    "emb_embeddings_momentum",
    "conv_kernel_momentum",
    "conv_kernel_velocity",
]

# keras.optimizers.Muon().get_config() in Keras 3.15.
KERAS_DEFAULT_CONFIG = {
    "name": "muon",
    "learning_rate": 0.0010000000474974513,
    "weight_decay": 0.004,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
    "adam_beta_1": 0.9,
    "adam_beta_2": 0.999,
    "epsilon": 1e-07,
    "exclude_layers": [],
    "muon_a": 3.4445,
    "muon_b": -4.775,
    "muon_c": 2.0315,
    "adam_lr_ratio": 1,
    "momentum": 0.95,
    "ns_steps": 5,
    "nesterov": True,
    "exclude_embeddings": True,
    "adam_weight_decay": 0.004,
    "rms_rate": 0.2,
}


def test_default_matches_keras():
    optimizer = Muon()
    _assert_matches(_run(optimizer), MUON_DEFAULT)
    assert _slot_names(optimizer) == MUON_DEFAULT_SLOTS


def test_custom_matches_keras():
    optimizer = Muon(
        learning_rate=0.02,
        weight_decay=0.1,
        adam_weight_decay=0.05,
        adam_lr_ratio=0.5,
        momentum=0.9,
        ns_steps=3,
        nesterov=False,
        rms_rate=None,
        exclude_embeddings=False,
        exclude_layers=["tall"],
    )
    _assert_matches(_run(optimizer), MUON_CUSTOM)
    # The excluded "tall" kernel gets a velocity; the embedding (no longer excluded) none.
    assert _slot_names(optimizer) == MUON_CUSTOM_SLOTS


def test_config_matches_keras():
    config = Muon(name="muon").get_config()
    assert list(config) == list(KERAS_DEFAULT_CONFIG)
    assert config == pytest.approx(KERAS_DEFAULT_CONFIG)
    restored = Muon.from_config(Muon(exclude_layers=["out"], ns_steps=3).get_config())
    assert restored.exclude_layers == ["out"] and restored.ns_steps == 3


def test_registry():
    assert isinstance(tf.keras.optimizers.get("muon"), Muon)
    assert isinstance(tf.keras.optimizers.get("Muon"), Muon)
    config = tf.keras.optimizers.serialize(Muon(momentum=0.5))
    assert config["class_name"] == "Muon" and config["registered_name"] is None
    assert tf.keras.optimizers.deserialize(config).momentum == 0.5


def test_which_variables_take_the_muon_step():
    optimizer = Muon(exclude_layers=["out"])
    variables = {
        "dense/kernel": tf.Variable(np.ones((3, 4), "float32"), name="dense/kernel"),
        "out/kernel": tf.Variable(np.ones((3, 4), "float32"), name="out/kernel"),
        "Embedding/w": tf.Variable(np.ones((3, 4), "float32"), name="Embedding/w"),
        "bias": tf.Variable(np.ones((4,), "float32"), name="bias"),
        "conv4d": tf.Variable(np.ones((2, 2, 3, 4), "float32"), name="conv4d"),
    }
    optimizer.build(list(variables.values()))
    assert optimizer.get_slot(variables["bias"], "momentum").shape == (4,)
    with_velocity = [n for n, v in variables.items() if n != "dense/kernel"]
    for name in with_velocity:
        assert optimizer.get_slot(variables[name], "velocity").shape == variables[name].shape
    with pytest.raises(KeyError, match="takes the Muon step: it has no 'velocity' slot"):
        optimizer.get_slot(variables["dense/kernel"], "velocity")
    assert len(optimizer.variables) == 2 + len(variables) + len(with_velocity)


def test_weight_decay_rates():
    # A zero gradient leaves only the decay: Muon variables decay by weight_decay * lr,
    # AdamW variables by adam_weight_decay * lr (the base rate, not lr * adam_lr_ratio).
    kernel = tf.Variable(np.ones((2, 2), "float32"), name="kernel")
    bias = tf.Variable(np.ones((2,), "float32"), name="bias")
    optimizer = Muon(learning_rate=0.1, weight_decay=0.1, adam_weight_decay=0.2, adam_lr_ratio=0.5)
    optimizer.apply_gradients([(tf.zeros((2, 2)), kernel), (tf.zeros((2,)), bias)])
    np.testing.assert_allclose(kernel.numpy(), np.full((2, 2), 0.99), rtol=1e-6)
    np.testing.assert_allclose(bias.numpy(), np.full((2,), 0.98), rtol=1e-6)
    optimizer = Muon(learning_rate=0.1, weight_decay=0.1, adam_weight_decay=0.2)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    optimizer.apply_gradients([(tf.zeros((2, 2)), kernel), (tf.zeros((2,)), bias)])
    np.testing.assert_allclose(kernel.numpy(), np.full((2, 2), 0.99**2), rtol=1e-6)
    np.testing.assert_allclose(bias.numpy(), np.full((2,), 0.98), rtol=1e-6)


@pytest.mark.parametrize("shape", [(4, 6), (6, 4), (5, 5)])
def test_newton_schulz_orthogonalises(shape):
    matrix = torch.tensor(np.random.RandomState(0).randn(*shape), dtype=torch.float32)
    result = _newton_schulz(matrix, 3.4445, -4.775, 2.0315, 5)
    assert result.shape == shape
    # Five quintic steps put every singular value near 1 (roughly in [0.7, 1.2]) and keep
    # the singular vectors: the result is close to U @ V^T of the SVD.
    singular = np.linalg.svd(result.numpy(), compute_uv=False)
    assert singular.min() > 0.6 and singular.max() < 1.3
    u, _, vt = np.linalg.svd(matrix.numpy(), full_matrices=False)
    assert np.abs(result.numpy() - u @ vt).max() < 0.35
    zero = _newton_schulz(torch.zeros(shape), 3.4445, -4.775, 2.0315, 5)
    assert torch.count_nonzero(zero) == 0


@pytest.mark.parametrize("jit_compile", [False, True])
def test_fit_and_keras_file_round_trip(tmp_path, jit_compile):
    rng = np.random.RandomState(0)
    x = rng.randn(64, 6).astype("float32")
    y = (x @ rng.randn(6, 2)).astype("float32")
    model = tf.keras.Sequential(
        [
            tf.keras.Input((6,)),
            tf.keras.layers.Dense(8, activation="relu", name="hidden"),
            tf.keras.layers.Dense(2, name="output_dense"),
        ]
    )
    optimizer = Muon(learning_rate=0.01, exclude_layers=["output_dense"])
    model.compile(optimizer=optimizer, loss="mse", jit_compile=jit_compile)
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    # Keras 3.15 layout: iteration, learning_rate, then per variable its momentum and,
    # for AdamW variables (the bias and the excluded output layer), its velocity. (Keras 3
    # prefixes the paths with "sequential_"; tork's variable paths have no model prefix.)
    assert _slot_names(optimizer) == [
        "iteration",
        "learning_rate",
        "hidden_kernel_momentum",
        "hidden_bias_momentum",
        "hidden_bias_velocity",
        "output_dense_kernel_momentum",
        "output_dense_kernel_velocity",
        "output_dense_bias_momentum",
        "output_dense_bias_velocity",
    ]
    path = str(tmp_path / "muon.keras")
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    assert isinstance(loaded.optimizer, Muon)
    assert loaded.optimizer.get_config() == optimizer.get_config()
    assert int(loaded.optimizer.iterations.numpy()) == 20
    for saved, restored in zip(optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_allclose(restored.numpy(), saved.numpy())
