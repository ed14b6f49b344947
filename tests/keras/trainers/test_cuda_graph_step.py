"""On a GPU, the compiled training step replays as a CUDA graph (skipped without CUDA).

Checked against the eager step of a twin model: the same losses per batch (the logs of each
batch keep their values after later replays), the same weights and optimizer slots after
several epochs, fresh dropout masks on every replay, and a new recording when the weights
move to new storage.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.keras.trainers import compiled_step

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")


def _model(dropout=0.0):
    layers = [keras.Input((6,)), keras.layers.Dense(16, activation="relu")]
    if dropout:
        layers.append(keras.layers.Dropout(dropout))
    layers.append(keras.layers.Dense(3))
    return keras.Sequential(layers)


def _twins(dropout=0.0):
    models = []
    for jit in (False, True):
        tf.keras.utils.set_random_seed(3)
        model = _model(dropout)
        model.compile(
            optimizer=keras.optimizers.Adam(0.01),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
            jit_compile=jit,
        )
        models.append(model)
    models[1].set_weights(models[0].get_weights())
    return models


def _data(n=96, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 6)).astype("float32")
    y = (x[:, :3] @ rng.normal(size=(3, 3))).argmax(-1).astype("int64")
    return x, y


class _BatchLosses(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.logs = []

    def on_train_batch_end(self, batch, logs=None):
        self.logs.append(dict(logs))  # the values, read after the whole epoch


def _graph_steps(model):
    step = model.__dict__["_tork_train_fn"]
    assert isinstance(step, compiled_step.CompiledTrainStep)
    return [g for g in step._graphs.values() if type(g) is compiled_step._CudaGraphStep], step


def test_replayed_steps_match_eager_steps_and_keep_each_batchs_logs():
    eager, jit = _twins()
    x, y = _data()
    seen = []
    for model in (eager, jit):
        record = _BatchLosses()
        model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0, callbacks=[record])
        seen.append([float(logs["loss"]) for logs in record.logs])
    np.testing.assert_allclose(seen[1], seen[0], rtol=2e-4, atol=1e-6)
    assert len(set(np.round(seen[1], 6))) > len(seen[1]) // 2  # not one overwritten value
    for a, b in zip(eager.weights, jit.weights):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-4, atol=1e-6)
    for a, b in zip(eager.optimizer.variables, jit.optimizer.variables):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-4, atol=1e-6)
    graphs, step = _graph_steps(jit)
    assert step.reason is None and step.cuda_graph_error is None and graphs


def test_dropout_draws_new_masks_on_every_replay():
    _, jit = _twins(dropout=0.5)
    x, y = _data()
    x16, y16 = x[:16], y[:16]
    jit.optimizer.learning_rate.assign(0.0)  # the weights stay: only the masks can differ
    losses = [
        float(jit.train_on_batch(x16, y16, reset_metrics=True, return_dict=True)["loss"])
        for _ in range(6)
    ]
    assert _graph_steps(jit)[0]
    assert len(set(np.round(losses[1:], 6))) >= 4


def test_weights_on_new_storage_are_recorded_again():
    eager, jit = _twins()
    x, y = _data()
    for model in (eager, jit):
        model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    # New storage for every weight (what a move between devices does).
    for model in (eager, jit):
        for variable in model.weights:
            variable.data = variable.data.clone()
    for model in (eager, jit):
        model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    for a, b in zip(eager.weights, jit.weights):
        np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-4, atol=1e-6)
