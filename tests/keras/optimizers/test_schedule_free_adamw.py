"""ScheduleFreeAdamW: numbers, variable layout and config against TF 2.21 (Keras 3.15)."""

import numpy as np
import pytest

import tork as tf
from tork.keras.optimizers import ScheduleFreeAdamW


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
SF_DEFAULT = {
    "dense/kernel": [
        -0.0032964789,
        0.96319371,
        0.51662666,
        -0.68205535,
        -0.87913358,
        0.21728846,
        0.99759507,
        0.31310594,
        -0.83300591,
        -0.76523167,
        0.41989952,
        0.98789549,
    ],
    "tall/kernel": [
        0.84728128,
        0.75031286,
        -0.43999213,
        -0.98320204,
        -0.089136198,
        0.9326387,
        0.58137786,
        -0.62593073,
    ],
    "dense/bias": [0.90887064, -0.15883459, -0.99920583],
    "emb/embeddings": [
        0.13697451,
        -0.91808987,
        -0.63024521,
        0.58439487,
        0.94578928,
        -0.072070427,
        -0.98098558,
        -0.45076072,
    ],
    "conv/kernel": [
        -0.75078601,
        -0.82700866,
        0.31490949,
        0.99945176,
        0.22176318,
        -0.88543278,
        -0.69791913,
        0.50639766,
    ],
}
SF_DEFAULT_SLOTS = [
    "iteration",
    "learning_rate",
    "dense_kernel_momentum",
    "dense_kernel_velocity",
    "tall_kernel_momentum",
    "tall_kernel_velocity",
    "dense_bias_momentum",
    "dense_bias_velocity",
    "emb_embeddings_momentum",
    "emb_embeddings_velocity",
    "conv_kernel_momentum",
    "conv_kernel_velocity",
]
SF_CUSTOM = {
    "dense/kernel": [
        -0.0081787938,
        0.96612501,
        0.52444875,
        -0.66926956,
        -0.87030596,
        0.21859312,
        0.988783,
        0.29985321,
        -0.84269339,
        -0.76920813,
        0.42366472,
        0.9952414,
    ],
    "tall/kernel": [
        0.85883433,
        0.7583707,
        -0.43695539,
        -0.98944336,
        -0.10214793,
        0.92064339,
        0.57518679,
        -0.62289971,
    ],
    "dense/bias": [0.90169919, -0.16690724, -1.009728],
    "emb/embeddings": [
        0.12941489,
        -0.9179619,
        -0.62158346,
        0.59664011,
        0.95500314,
        -0.067755505,
        -0.98513955,
        -0.45861316,
    ],
    "conv/kernel": [
        -0.73702443,
        -0.81542486,
        0.31969392,
        0.99499619,
        0.21319863,
        -0.89672959,
        -0.70538914,
        0.50408435,
    ],
}
SF_CUSTOM_SLOTS = [
    "iteration",
    "learning_rate",
    "dense_kernel_momentum",
    "dense_kernel_velocity",
    "tall_kernel_momentum",
    "tall_kernel_velocity",
    "dense_bias_momentum",
    "dense_bias_velocity",
    "emb_embeddings_momentum",
    "emb_embeddings_velocity",
    "conv_kernel_momentum",
    "conv_kernel_velocity",
]


# keras.optimizers.ScheduleFreeAdamW().get_config() in Keras 3.15.
KERAS_DEFAULT_CONFIG = {
    "name": "schedule_free_adam_w",
    "learning_rate": 0.0024999999441206455,
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
    "beta_1": 0.9,
    "beta_2": 0.999,
    "epsilon": 1e-08,
    "warmup_steps": 0,
}


def test_default_matches_keras():
    optimizer = ScheduleFreeAdamW()
    _assert_matches(_run(optimizer), SF_DEFAULT)
    assert _slot_names(optimizer) == SF_DEFAULT_SLOTS


def test_custom_matches_keras():
    optimizer = ScheduleFreeAdamW(
        learning_rate=0.01, weight_decay=0.1, warmup_steps=2, beta_2=0.99, epsilon=1e-6
    )
    _assert_matches(_run(optimizer), SF_CUSTOM)
    assert _slot_names(optimizer) == SF_CUSTOM_SLOTS


def test_hand_computed_steps():
    # g = 1, 1, 2 with beta_2 = 0.5 and epsilon = 0: the bias-corrected second moment
    # is 1, 1, then (0.5 * 0.75 + 0.5 * 4) / 0.875 = 19 / 7; z takes the steps, and the
    # variable is the running mean of the z iterates (the values Keras 3.15 prints).
    variable = tf.Variable(np.array([1.0], "float32"), name="v")
    optimizer = ScheduleFreeAdamW(learning_rate=0.1, beta_2=0.5, epsilon=0.0)
    z_values = []
    for grad in (1.0, 1.0, 2.0):
        optimizer.apply_gradients([(tf.constant([grad]), variable)])
        z_values.append(float(optimizer.get_slot(variable, "momentum").numpy()[0]))
    z3 = 0.8 - 0.1 * 2.0 / np.sqrt(19.0 / 7.0)
    np.testing.assert_allclose(z_values, [0.9, 0.8, z3], rtol=1e-6)
    np.testing.assert_allclose(variable.numpy(), [(0.9 + 0.8 + z3) / 3], rtol=1e-6)


def test_warmup_and_beta_1():
    # Warmup scales the step by t / warmup_steps; as in Keras 3.15, beta_1 does not
    # change the update (Keras 3.15 prints y = 0.9666666, 0.9333333, 0.8888888).
    results = []
    for beta_1 in (0.5, 0.9):
        variable = tf.Variable(np.array([1.0], "float32"), name="v")
        optimizer = ScheduleFreeAdamW(
            learning_rate=0.1, beta_1=beta_1, beta_2=0.5, epsilon=0.0, warmup_steps=3
        )
        values = []
        for _ in range(3):
            optimizer.apply_gradients([(tf.constant([1.0]), variable)])
            values.append(float(variable.numpy()[0]))
        results.append(values)
    np.testing.assert_allclose(results[0], [0.9666666, 0.9333333, 0.8888888], rtol=1e-6)
    np.testing.assert_allclose(results[1], results[0], rtol=1e-7)


def test_momentum_starts_at_the_variable():
    variable = tf.Variable(np.array([1.0, 2.0], "float32"), name="v")
    optimizer = ScheduleFreeAdamW()
    optimizer.build([variable])
    np.testing.assert_array_equal(optimizer.get_slot(variable, "momentum").numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(optimizer.get_slot(variable, "velocity").numpy(), [0.0, 0.0])


def test_config_matches_keras():
    config = ScheduleFreeAdamW(name="schedule_free_adam_w").get_config()
    assert list(config) == list(KERAS_DEFAULT_CONFIG)
    assert config == pytest.approx(KERAS_DEFAULT_CONFIG)
    restored = ScheduleFreeAdamW.from_config(ScheduleFreeAdamW(warmup_steps=7).get_config())
    assert restored.warmup_steps == 7


def test_registry():
    assert isinstance(tf.keras.optimizers.get("schedulefreeadamw"), ScheduleFreeAdamW)
    assert isinstance(tf.keras.optimizers.get("ScheduleFreeAdamW"), ScheduleFreeAdamW)
    config = tf.keras.optimizers.serialize(ScheduleFreeAdamW(beta_2=0.9))
    assert config["class_name"] == "ScheduleFreeAdamW" and config["registered_name"] is None
    assert tf.keras.optimizers.deserialize(config).beta_2 == 0.9


@pytest.mark.parametrize("jit_compile", [False, True])
def test_fit_and_keras_file_round_trip(tmp_path, jit_compile):
    rng = np.random.RandomState(0)
    x = rng.randn(64, 6).astype("float32")
    y = (x @ rng.randn(6, 2)).astype("float32")
    model = tf.keras.Sequential(
        [
            tf.keras.Input((6,)),
            tf.keras.layers.Dense(8, activation="relu", name="hidden"),
            tf.keras.layers.Dense(2, name="out"),
        ]
    )
    optimizer = ScheduleFreeAdamW(learning_rate=0.01)
    model.compile(optimizer=optimizer, loss="mse", jit_compile=jit_compile)
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert len(optimizer.variables) == 2 + 2 * 4
    path = str(tmp_path / "sf.keras")
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    assert isinstance(loaded.optimizer, ScheduleFreeAdamW)
    assert loaded.optimizer.get_config() == optimizer.get_config()
    assert int(loaded.optimizer.iterations.numpy()) == 20
    for saved, restored in zip(optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_allclose(restored.numpy(), saved.numpy())
