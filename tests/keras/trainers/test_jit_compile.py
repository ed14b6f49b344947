"""`compile(jit_compile=True)` end to end: which step `fit` runs, and that it matches eager.

The whole-step graph itself is tested in test_compiled_step.py; here the wiring: `fit` uses
it when the setup allows, otherwise compiles the forward pass and loss with torch.compile,
one private dynamo cache per model, with the first (building) step run eagerly.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.keras.trainers import compiled_step
from tork.keras.trainers.compiled_step import CompiledTrainStep


def _data(n=40, features=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    teacher = rng.normal(size=(features, classes))
    return x, (x @ teacher).argmax(1)


def _twins(make, optimizer, jit_first_call=True):
    """An eager model and a jit_compile=True model with the same initial weights."""
    models = []
    for jit in (False, True):
        tf.keras.utils.set_random_seed(3)
        model = make()
        model.compile(
            optimizer=optimizer(),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
            jit_compile=jit,
        )
        models.append(model)
    return models


def _mlp():
    return keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3)])


def _assert_same_weights(a, b):
    for u, v in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(v, u, rtol=1e-4, atol=1e-6)


def test_fit_runs_the_whole_step_graph_and_matches_eager(monkeypatch):
    monkeypatch.setattr(compiled_step, "_COMPILER", "aten")
    x, y = _data()
    eager, jit = _twins(_mlp, lambda: keras.optimizers.Adam(0.01))
    h_eager = eager.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    h_jit = jit.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    step = jit._tork_train_fn
    assert isinstance(step, CompiledTrainStep)
    assert step.reason is None and step.compile_count == 1
    _assert_same_weights(eager, jit)
    np.testing.assert_allclose(h_jit.history["loss"], h_eager.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(h_jit.history["accuracy"], h_eager.history["accuracy"])


def test_run_eagerly_wins_over_jit_compile():
    model = _mlp()
    model.compile("adam", "sparse_categorical_crossentropy", jit_compile=True, run_eagerly=True)
    x, y = _data()
    model.fit(x, y, epochs=1, verbose=0)
    assert not isinstance(model._tork_train_fn, CompiledTrainStep)
    assert model._tork_forward is None


@pytest.mark.slow
def test_forward_compiled_models_keep_their_own_graphs():
    # Nadam has no in-graph update: these models compile the forward pass and loss only.
    # Two different models in one process used to share one dynamo cache and fail.
    x, y = _data()
    rng = np.random.default_rng(1)
    images = rng.normal(size=(40, 6, 6, 1)).astype("float32")

    def cnn():
        return keras.Sequential(
            [
                keras.Input((6, 6, 1)),
                keras.layers.Conv2D(4, 3, activation="relu"),
                keras.layers.Flatten(),
                keras.layers.Dense(3),
            ]
        )

    runs = [(_mlp, x), (cnn, images)]
    for make, inputs in runs:
        eager, jit = _twins(make, lambda: keras.optimizers.Nadam(0.01))
        for model in (eager, jit):
            model.fit(inputs, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
        assert jit._tork_forward is not None
        _assert_same_weights(eager, jit)
    # Once warm, another epoch (full and partial batches) compiles nothing new.
    from torch._dynamo.utils import counters

    before = sum(counters["stats"].values())
    jit.fit(images, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    assert sum(counters["stats"].values()) == before


def test_unbuilt_sequential_builds_eagerly_before_compiling(monkeypatch):
    monkeypatch.setattr(compiled_step, "_COMPILER", "aten")
    x, y = _data()
    eager, jit = _twins(_mlp, lambda: keras.optimizers.SGD(0.1))
    assert not jit.built
    for model in (eager, jit):
        model.fit(x, y, batch_size=20, epochs=2, shuffle=False, verbose=0)
    assert jit.built and isinstance(jit._tork_train_fn, CompiledTrainStep)
    _assert_same_weights(eager, jit)


def test_jit_step_trains_a_linear_regression_to_the_closed_form(monkeypatch):
    # Independent reference: least squares by numpy.
    monkeypatch.setattr(compiled_step, "_COMPILER", "aten")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = (x @ np.array([[1.5], [-2.0], [0.5]]) + 0.25).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), "mse", jit_compile=True)
    model.fit(x, y, batch_size=16, epochs=60, verbose=0)
    kernel, bias = model.get_weights()
    design = np.hstack([x, np.ones((64, 1), "float32")])
    solution = np.linalg.lstsq(design, y, rcond=None)[0]
    np.testing.assert_allclose(kernel[:, 0], solution[:3, 0], atol=1e-3)
    np.testing.assert_allclose(bias, solution[3], atol=1e-3)
    assert torch.is_tensor(model.optimizer.iterations)


def _numpy_forward(model, x):
    """The MLP's forward pass in float64 NumPy from its weights (independent reference)."""
    k1, b1, k2, b2 = (w.astype("float64") for w in model.get_weights())
    return np.maximum(x @ k1 + b1, 0) @ k2 + b2


@pytest.mark.slow
def test_predict_is_compiled_and_matches_numpy():
    x, y = _data(n=50)
    model = _mlp()
    model.compile("adam", "sparse_categorical_crossentropy", jit_compile=True)
    out = model.predict(x, batch_size=16, verbose=0)  # builds eagerly, then compiles
    np.testing.assert_allclose(out, _numpy_forward(model, x), rtol=1e-5, atol=1e-5)
    assert model._tork_predict_fn is not model.predict_step
    from torch._dynamo.utils import counters

    # Weights changed by training are read by the compiled graph (not baked in).
    model.fit(x, y, epochs=1, verbose=0)
    before = sum(counters["stats"].values())
    out = model.predict(x, batch_size=16, verbose=0)
    np.testing.assert_allclose(out, _numpy_forward(model, x), rtol=1e-5, atol=1e-5)
    assert sum(counters["stats"].values()) == before  # both batch shapes compiled already


def test_predict_with_a_custom_predict_step_is_not_compiled():
    class Doubling(keras.Sequential):
        def predict_step(self, data):
            return 2 * super().predict_step(data)

    x, _ = _data(n=8)
    model = Doubling([keras.layers.Dense(3)])
    model.compile("adam", "mse", jit_compile=True)
    out = model.predict(x, verbose=0)
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(out, 2 * (x @ kernel + bias), rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_recurrent_models_keep_the_fused_kernel_under_jit():
    # A whole-step graph would unroll the LSTM into per-step cells (minutes of compilation):
    # recurrent models compile the forward pass only, with the fused kernel left outside.
    rng = np.random.default_rng(0)
    x = rng.integers(0, 20, size=(32, 7))
    y = rng.integers(0, 2, size=32)

    def make():
        return keras.Sequential(
            [
                keras.Input((7,)),
                keras.layers.Embedding(20, 4),
                keras.layers.LSTM(5),
                keras.layers.Dense(2),
            ]
        )

    eager, jit = _twins(make, lambda: keras.optimizers.Adam(0.01))
    for model in (eager, jit):
        model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert not isinstance(jit._tork_train_fn, CompiledTrainStep)
    assert jit._tork_forward is not None
    _assert_same_weights(eager, jit)
