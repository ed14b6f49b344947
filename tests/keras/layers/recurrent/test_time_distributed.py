"""Tests for keras.layers.TimeDistributed against NumPy per-step computations."""

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras.layers.core.dense import Dense
from tork.keras.layers.recurrent import TimeDistributed

RNG = np.random.default_rng(23)


def _np(t):
    return t.detach().cpu().numpy()


def test_time_distributed_dense_matches_numpy():
    x = RNG.normal(size=(4, 6, 3)).astype("float32")
    layer = TimeDistributed(Dense(5, activation="relu"), name="time_distributed")
    out = layer(x)
    kernel, bias = layer.get_weights()
    expected = np.maximum(x @ kernel + bias, 0.0)
    assert tuple(out.shape) == (4, 6, 5)
    np.testing.assert_allclose(_np(out), expected, atol=1e-5)
    # tf_keras 2.21 builds the wrapped layer in the wrapper's scope (no inner layer name).
    assert [w.path for w in layer.weights] == [
        "time_distributed/kernel",
        "time_distributed/bias",
    ]
    assert layer.compute_output_shape((None, 6, 3)) == (None, 6, 5)


def test_time_distributed_rank_4_and_config():
    x = RNG.normal(size=(2, 3, 4, 5)).astype("float32")
    layer = TimeDistributed(Dense(2))
    out = layer(x)
    kernel, bias = layer.get_weights()
    np.testing.assert_allclose(_np(out), x @ kernel + bias, atol=1e-5)
    config = layer.get_config()
    assert config["layer"]["class_name"] == "Dense"
    clone = TimeDistributed.from_config(config)
    assert isinstance(clone.layer, Dense) and clone.layer.units == 2


def test_time_distributed_keeps_the_mask():
    x = torch.ones(2, 3, 4, device=current_device())
    x._keras_mask = torch.tensor([[True, True, False], [True, False, False]], device=x.device)
    out = TimeDistributed(Dense(2))(x)
    assert torch.equal(out._keras_mask, x._keras_mask)


def test_error_time_distributed_needs_a_time_axis():
    with pytest.raises(ValueError, match=r"expects an input of rank 3 or more.*\(8, 4\)"):
        TimeDistributed(Dense(2))(torch.zeros(8, 4))
