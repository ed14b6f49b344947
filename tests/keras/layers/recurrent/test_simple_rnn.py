"""Tests for keras.layers.SimpleRNN / SimpleRNNCell against NumPy: h' = act(xW + hU + b)."""

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras.layers.recurrent import SimpleRNN, SimpleRNNCell

RNG = np.random.default_rng(5)
ATOL = 1e-5
# Fused and step paths agree to float32 rounding. cuDNN's fused kernels (CUDA) sum the
# gradients over time and batch in another order than the step loop: there they differ
# by a few 1e-5 (test_lstm.py checks CUDA against the step loop at 1e-4 too).
FUSED_ATOL = 1e-4 if current_device().type == "cuda" else ATOL


def _np(t):
    return t.detach().cpu().numpy()


def _randomize(layer, scale=0.5):
    weights = [RNG.normal(scale=scale, size=w.shape).astype("float32") for w in layer.weights]
    layer.set_weights(weights)
    return [w.astype(np.float64) for w in layer.get_weights()]


@pytest.mark.parametrize(
    "activation, np_activation",
    [("tanh", np.tanh), ("relu", lambda v: np.maximum(v, 0.0)), ("sigmoid", None)],
)
@pytest.mark.parametrize("fused", [True, False])
def test_simple_rnn_matches_numpy(ref, activation, np_activation, fused):
    if np_activation is None:
        np_activation = lambda v: 1.0 / (1.0 + np.exp(-v))  # noqa: E731
    x = RNG.normal(size=(3, 5, 4)).astype("float32")
    layer = SimpleRNN(6, activation=activation, return_sequences=True, return_state=True)
    layer(x)
    kernel, recurrent, bias = _randomize(layer)
    layer._tork_use_fused = fused
    seq, h = layer(x)
    e_seq, _, (e_h,) = ref.run(
        ref.simple_step(kernel, recurrent, bias, np_activation), x, [np.zeros((3, 6))]
    )
    np.testing.assert_allclose(_np(seq), e_seq, atol=ATOL)
    np.testing.assert_allclose(_np(h), e_h, atol=ATOL)


def test_simple_rnn_fused_and_step_gradients_agree():
    x = RNG.normal(size=(2, 6, 3)).astype("float32")
    layer = SimpleRNN(4, go_backwards=True, return_sequences=True)
    layer(x)
    _randomize(layer)
    grads = []
    for fused in (True, False):
        layer._tork_use_fused = fused
        inputs = torch.tensor(x, requires_grad=True)
        probe = torch.linspace(-1, 1, 48, device=current_device()).reshape(2, 6, 4)
        loss = (layer(inputs) * probe).sum()
        grads.append([_np(g) for g in torch.autograd.grad(loss, [inputs, *layer.weights])])
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, atol=FUSED_ATOL)


def test_simple_rnn_weights_and_cell():
    layer = SimpleRNN(3, name="simple_rnn")
    layer(torch.zeros(1, 2, 5))
    assert [tuple(w.shape) for w in layer.get_weights()] == [(5, 3), (3, 3), (3,)]
    assert layer.weights[1].path == "simple_rnn/simple_rnn_cell/recurrent_kernel"
    recurrent = layer.get_weights()[1]
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(3), atol=1e-5)
    cell = SimpleRNNCell(2)
    out, states = cell(torch.ones(4, 3), [torch.zeros(4, 2)])
    assert tuple(out.shape) == (4, 2) and torch.equal(out, states[0])


def test_simple_rnn_config_round_trip():
    layer = SimpleRNN(4, activation="relu", use_bias=False, stateful=True)
    config = layer.get_config()
    assert config["activation"] == "relu" and config["stateful"] is True
    assert SimpleRNN.from_config(config).get_config() == config
