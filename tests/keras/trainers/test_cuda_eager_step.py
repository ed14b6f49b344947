"""On a GPU, an eager `fit` step never waits for the device (skipped without CUDA).

A small model's step on a GPU is bound by the host: a sync per step (reading a value) stops
the host from queueing the next step's kernels. `fit` on arrays reads the range of integer
inputs and of the targets once, so the embedding's index check and the sparse loss's label
guard need no sync (and no guard kernels) per batch; the loss tracker's result is one
division. Bad indices and labels still give clear errors, not device-side asserts.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.keras.trainers import data_adapters

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")


def _model():
    tf.keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.layers.Embedding(50, 8),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(4),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def _data(n=64, high=50, classes=4):
    rng = np.random.default_rng(0)
    return rng.integers(0, high, size=(n, 7)), rng.integers(0, classes, size=n)


def test_train_steps_on_array_batches_do_not_sync():
    model = _model()
    x, y = _data()
    model.fit(x, y, batch_size=16, epochs=1, verbose=0)  # builds everything
    adapter = data_adapters.get_adapter(
        x, y, batch_size=16, shuffle=True, device=model._tork_device()
    )
    batches = list(adapter.epoch())
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        for batch in batches:
            logs = model.train_step(batch)
    finally:
        torch.cuda.set_sync_debug_mode(0)
    # The logged loss is the size-weighted mean of the batch losses (hand-computed).
    assert np.isfinite(float(logs["loss"]))


def test_bad_labels_and_indices_still_raise_clear_errors():
    x, y = _data()
    y[5] = 4  # 4 classes: labels 0..3
    with pytest.raises(ValueError, match=r"SparseCategoricalCrossentropy.*4"):
        _model().fit(x, y, batch_size=16, epochs=1, verbose=0)
    x, y = _data()
    x[3, 2] = 50  # input_dim=50: indices 0..49
    with pytest.raises(ValueError, match=r"received index 50, but input_dim=50"):
        _model().fit(x, y, batch_size=16, epochs=1, verbose=0)
