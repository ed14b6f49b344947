"""Tests for keras.layers.GRU / GRUCell against NumPy gate equations (Keras order z, r, h)."""

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras.layers.recurrent import GRU, GRUCell
from tork.keras.layers.recurrent.rnn import RNN

RNG = np.random.default_rng(11)
ATOL = 1e-5


def _np(t):
    return t.detach().cpu().numpy()


def _randomize(layer, scale=0.5):
    weights = [RNG.normal(scale=scale, size=w.shape).astype("float32") for w in layer.weights]
    layer.set_weights(weights)
    return [w.astype(np.float64) for w in layer.get_weights()]


@pytest.mark.parametrize("reset_after", [True, False])
@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_gru_matches_numpy(ref, reset_after, fused, go_backwards):
    x = RNG.normal(size=(3, 6, 4)).astype("float32")
    h0 = RNG.normal(size=(3, 5)).astype("float32")
    layer = GRU(
        5,
        reset_after=reset_after,
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
    )
    layer(x)
    kernel, recurrent, bias = _randomize(layer)
    layer._tork_use_fused = fused
    seq, h = layer(x, initial_state=[torch.tensor(h0)])
    e_seq, _, (e_h,) = ref.run(
        ref.gru_step(kernel, recurrent, bias, reset_after), x, [h0], go_backwards=go_backwards
    )
    np.testing.assert_allclose(_np(seq), e_seq, atol=ATOL)
    np.testing.assert_allclose(_np(h), e_h, atol=ATOL)


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_without_bias(ref, reset_after):
    x = RNG.normal(size=(2, 4, 3)).astype("float32")
    layer = GRU(4, use_bias=False, reset_after=reset_after)
    layer(x)
    kernel, recurrent = _randomize(layer)
    _, e_last, _ = ref.run(
        ref.gru_step(kernel, recurrent, None, reset_after), x, [np.zeros((2, 4))]
    )
    np.testing.assert_allclose(_np(layer(x)), e_last, atol=ATOL)


def test_gru_weight_shapes_and_names():
    layer = GRU(5, name="gru")
    layer(torch.zeros(2, 3, 4))
    assert [tuple(w.shape) for w in layer.get_weights()] == [(4, 15), (5, 15), (2, 15)]
    assert [w.path for w in layer.weights] == [
        "gru/gru_cell/kernel",
        "gru/gru_cell/recurrent_kernel",
        "gru/gru_cell/bias",
    ]
    np.testing.assert_array_equal(layer.get_weights()[2], np.zeros((2, 15)))
    old = GRU(5, reset_after=False)
    old(torch.zeros(2, 3, 4))
    assert [tuple(w.shape) for w in old.get_weights()] == [(4, 15), (5, 15), (15,)]


def test_gru_cell_single_step(ref):
    cell = GRUCell(3, reset_after=False)
    x = RNG.normal(size=(2, 4)).astype("float32")
    h0 = RNG.normal(size=(2, 3)).astype("float32")
    cell(torch.tensor(x), [torch.tensor(h0)])
    kernel, recurrent, bias = _randomize(cell)
    out, (h,) = cell(torch.tensor(x), [torch.tensor(h0)])
    e_out, _ = ref.gru_step(kernel, recurrent, bias, False)(x, [h0])
    np.testing.assert_allclose(_np(out), e_out, atol=ATOL)
    # A bare tensor state comes back as a bare tensor (Keras 3 cell API).
    out2, h2 = cell(torch.tensor(x), torch.tensor(h0))
    assert isinstance(h2, torch.Tensor)
    np.testing.assert_allclose(_np(out2), e_out, atol=ATOL)


@pytest.mark.parametrize("go_backwards", [False, True])
def test_gru_right_padded_mask_fused_and_step_agree_with_numpy(ref, go_backwards):
    x = RNG.normal(size=(3, 5, 2)).astype("float32")
    mask = np.arange(5)[None, :] < np.array([[5], [2], [4]])
    layer = GRU(3, return_sequences=True, return_state=True, go_backwards=go_backwards)
    layer(x)
    kernel, recurrent, bias = _randomize(layer)
    e_seq, _, (e_h,) = ref.run(
        ref.gru_step(kernel, recurrent, bias), x, [np.zeros((3, 3))], mask, go_backwards
    )
    results = []
    for fused in (True, False):
        layer._tork_use_fused = fused
        inputs = torch.tensor(x, requires_grad=True)
        fed = inputs * 1.0
        fed._keras_mask = torch.tensor(mask)
        seq, h = layer(fed)
        np.testing.assert_allclose(_np(seq), e_seq, atol=ATOL)
        np.testing.assert_allclose(_np(h), e_h, atol=ATOL)
        probe = torch.linspace(-1, 1, 45, device=current_device()).reshape(3, 5, 3)
        loss = (seq * probe).sum() + (h**2).sum()
        results.append([_np(g) for g in torch.autograd.grad(loss, [inputs, *layer.weights])])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, atol=ATOL)


def test_gru_fused_path_only_for_reset_after(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("step loop used")

    monkeypatch.setattr(RNN, "_tork_run_loop", forbidden)
    GRU(3)(torch.randn(2, 4, 3))
    with pytest.raises(AssertionError, match="step loop"):
        GRU(3, reset_after=False)(torch.randn(2, 4, 3))


def test_gru_config_round_trip():
    layer = GRU(4, reset_after=False, return_state=True, recurrent_dropout=0.1)
    config = layer.get_config()
    assert config["reset_after"] is False and config["recurrent_dropout"] == 0.1
    assert GRU.from_config(config).get_config() == config
    assert layer.compute_output_shape((None, 6, 2)) == [(None, 4), (None, 4)]


def test_numpy_initial_state_and_cell_states_are_one_state_each(ref):
    # A single NumPy (batch, units) array is one state, as in Keras: `list(array)` used to
    # split it into `batch` states ("initial_state has 3 tensor(s)").
    x = RNG.normal(size=(3, 5, 4)).astype("float32")
    h0 = RNG.normal(size=(3, 2)).astype("float32")
    layer = GRU(2, return_sequences=True)
    layer(x)
    kernel, recurrent, bias = _randomize(layer)
    expected, _, _ = ref.run(ref.gru_step(kernel, recurrent, bias), x, [h0])
    np.testing.assert_allclose(_np(layer(x, initial_state=h0)), expected, atol=ATOL)
    np.testing.assert_allclose(_np(layer(x, initial_state=[h0])), expected, atol=ATOL)
    # A cell called by hand with NumPy states.
    cell = GRUCell(2)
    cell(x[:, 0], [h0])
    kernel, recurrent, bias = _randomize(cell)
    e_out, _ = ref.gru_step(kernel, recurrent, bias)(x[:, 0], [h0])
    out, (h,) = cell(x[:, 0], [h0])
    np.testing.assert_allclose(_np(out), e_out, atol=ATOL)
    out, h = cell(x[:, 0], h0)
    assert isinstance(h, torch.Tensor)
    np.testing.assert_allclose(_np(h), e_out, atol=ATOL)
