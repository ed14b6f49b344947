"""Muon and ScheduleFreeAdamW in the compiled training steps (`compile(jit_compile=True)`
and `tf.function(jit_compile=True)`): one graph whose update matches the eager step.

The eager steps are the reference (tests/keras/optimizers checks them against NumPy).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.keras.trainers import compiled_step
from tork.keras.trainers.compiled_step import make_compiled_train_step

OPTIMIZERS = {
    "muon": lambda: keras.optimizers.Muon(0.01),
    "muon_excluded_output": lambda: keras.optimizers.Muon(0.01, exclude_layers=["output_dense"]),
    "muon_decays_plain": lambda: keras.optimizers.Muon(
        0.01,
        weight_decay=0.1,
        adam_weight_decay=0.05,
        nesterov=False,
        rms_rate=None,
        adam_lr_ratio=0.5,
    ),
    "muon_no_decay_clipnorm": lambda: keras.optimizers.Muon(
        0.01, weight_decay=None, adam_weight_decay=None, clipnorm=0.5
    ),
    "schedule_free_adamw": lambda: keras.optimizers.ScheduleFreeAdamW(0.01),
    "schedule_free_adamw_warmup_decay": lambda: keras.optimizers.ScheduleFreeAdamW(
        0.01, warmup_steps=3, weight_decay=0.1
    ),
}


@pytest.fixture
def aten(monkeypatch):
    monkeypatch.setattr(compiled_step, "_COMPILER", "aten")


def _model():
    inputs = keras.Input((5,))
    hidden = keras.layers.Dense(8, activation="tanh")(inputs)
    return keras.Model(inputs, keras.layers.Dense(3, name="output_dense")(hidden))


def _pair(make_optimizer):
    models = []
    for _ in range(2):
        tf.keras.utils.set_random_seed(1)
        model = _model()
        model.compile(optimizer=make_optimizer(), loss="mse")
        models.append(model)
    models[1].set_weights(models[0].get_weights())
    return models


def _batches():
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.normal(size=(48, 5)).astype("float32"))
    y = torch.from_numpy(rng.normal(size=(48, 3)).astype("float32"))
    return [(x[i : i + 16], y[i : i + 16]) for i in range(0, 48, 16)]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_compiled_step_matches_eager_steps(aten, name):
    eager, compiled = _pair(OPTIMIZERS[name])
    step = make_compiled_train_step(compiled)
    assert step is not None  # these optimizers used to have no in-graph rule
    for batch in _batches() * 2:
        logs_eager = eager.train_step(batch)
        logs_compiled = step(batch)
    assert step.reason is None
    assert len(step._graphs) == 1
    assert int(compiled.optimizer.iterations) == 6
    np.testing.assert_allclose(float(logs_compiled["loss"]), float(logs_eager["loss"]), rtol=1e-5)
    for a, b in zip(eager.weights, compiled.weights):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-5, atol=1e-6)
    for a, b in zip(eager.optimizer.variables, compiled.optimizer.variables):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["muon_decays_plain", "schedule_free_adamw_warmup_decay"])
def test_fit_with_jit_compile_runs_one_graph_matching_eager_fit(name):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 5)).astype("float32")
    y = rng.normal(size=(64, 3)).astype("float32")
    histories, weights = [], []
    for jit in (False, True):
        tf.keras.utils.set_random_seed(1)
        model = _model()
        model.compile(optimizer=OPTIMIZERS[name](), loss="mse", jit_compile=jit)
        history = model.fit(x, y, batch_size=16, epochs=2, verbose=0, shuffle=False)
        histories.append(history.history["loss"])
        weights.append(model.get_weights())
    step = model.__dict__["_tork_train_fn"]
    assert type(step).__name__ == "CompiledTrainStep" and step.reason is None
    np.testing.assert_allclose(histories[1], histories[0], rtol=1e-5)
    for a, b in zip(*weights):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["muon_decays_plain", "schedule_free_adamw_warmup_decay"])
def test_tf_function_jit_compile_traces_the_update(name):
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(16, 5)).astype("float32"))
    y = tf.constant(rng.normal(size=(16, 3)).astype("float32"))
    results = []
    for jit in (False, True):
        tf.keras.utils.set_random_seed(1)
        model = _model()
        optimizer = OPTIMIZERS[name]()

        def step(x, y, model=model, optimizer=optimizer):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        fn = tf.function(step, jit_compile=True) if jit else step
        with warnings.catch_warnings():
            # No "has no in-graph update rule" warning: the update is traced.
            warnings.simplefilter("error", RuntimeWarning)
            losses = [float(fn(x, y)) for _ in range(5)]
        results.append((losses, model.get_weights()))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-5)
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
