"""Tests for keras.layers.Bidirectional against NumPy forward/backward LSTM and GRU runs."""

import numpy as np
import pytest
import torch

from tork._backend.device import current_device
from tork.keras.layers.core.dense import Dense
from tork.keras.layers.recurrent import GRU, LSTM, Bidirectional

RNG = np.random.default_rng(17)
ATOL = 1e-5


def _np(t):
    return t.detach().cpu().numpy()


def _randomize(layer, scale=0.5):
    weights = [RNG.normal(scale=scale, size=w.shape).astype("float32") for w in layer.weights]
    layer.set_weights(weights)
    return [w.astype(np.float64) for w in layer.get_weights()]


def _expected(ref, x, weights, units, mask=None, sequences=True):
    forward = ref.lstm_step(*weights[:3])
    backward = ref.lstm_step(*weights[3:])
    zeros = [np.zeros((x.shape[0], units))] * 2
    zero_output = sequences  # Bidirectional zeroes masked outputs when returning sequences
    fw_seq, fw_last, fw_states = ref.run(forward, x, zeros, mask, zero_output=zero_output)
    bw_seq, bw_last, bw_states = ref.run(backward, x, zeros, mask, True, zero_output=zero_output)
    if sequences:
        return fw_seq, bw_seq[:, ::-1], fw_states, bw_states
    return fw_last, bw_last, fw_states, bw_states


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional_merge_modes(ref, merge_mode):
    x = RNG.normal(size=(2, 5, 3)).astype("float32")
    layer = Bidirectional(LSTM(4, return_sequences=True), merge_mode=merge_mode)
    layer(x)
    weights = _randomize(layer)
    fw, bw, _, _ = _expected(ref, x, weights, 4)
    expected = {
        "concat": np.concatenate([fw, bw], -1),
        "sum": fw + bw,
        "mul": fw * bw,
        "ave": (fw + bw) / 2,
    }
    out = layer(x)
    if merge_mode is None:
        assert isinstance(out, list) and len(out) == 2
        np.testing.assert_allclose(_np(out[0]), fw, atol=ATOL)
        np.testing.assert_allclose(_np(out[1]), bw, atol=ATOL)
    else:
        np.testing.assert_allclose(_np(out), expected[merge_mode], atol=ATOL)


def test_bidirectional_names_weight_order_and_states(ref):
    x = RNG.normal(size=(3, 4, 2)).astype("float32")
    layer = Bidirectional(LSTM(3, return_state=True, name="enc"), name="bidirectional")
    layer(x)
    assert layer.forward_layer.name == "forward_enc" and layer.backward_layer.name == "backward_enc"
    assert layer.backward_layer.go_backwards and not layer.forward_layer.go_backwards
    assert [w.path for w in layer.weights] == [
        "bidirectional/forward_enc/lstm_cell/kernel",
        "bidirectional/forward_enc/lstm_cell/recurrent_kernel",
        "bidirectional/forward_enc/lstm_cell/bias",
        "bidirectional/backward_enc/lstm_cell/kernel",
        "bidirectional/backward_enc/lstm_cell/recurrent_kernel",
        "bidirectional/backward_enc/lstm_cell/bias",
    ]
    weights = _randomize(layer)
    out, fw_h, fw_c, bw_h, bw_c = layer(x)
    fw, bw, (e_fw_h, e_fw_c), (e_bw_h, e_bw_c) = _expected(ref, x, weights, 3, sequences=False)
    np.testing.assert_allclose(_np(out), np.concatenate([fw, bw], -1), atol=ATOL)
    for got, want in [(fw_h, e_fw_h), (fw_c, e_fw_c), (bw_h, e_bw_h), (bw_c, e_bw_c)]:
        np.testing.assert_allclose(_np(got), want, atol=ATOL)
    assert layer.compute_output_shape((None, 4, 2)) == [(None, 6)] + [(None, 3)] * 4


@pytest.mark.parametrize("fused", [True, False])
def test_bidirectional_with_right_padded_mask(ref, fused):
    x = RNG.normal(size=(3, 5, 2)).astype("float32")
    mask = np.arange(5)[None, :] < np.array([[5], [3], [1]])
    layer = Bidirectional(LSTM(3, return_sequences=True))
    layer(x)
    weights = _randomize(layer)
    layer.forward_layer._tork_use_fused = fused
    layer.backward_layer._tork_use_fused = fused
    inputs = torch.tensor(x)
    inputs._keras_mask = torch.tensor(mask)
    out = layer(inputs)
    fw, bw, _, _ = _expected(ref, x, weights, 3, mask)
    np.testing.assert_allclose(_np(out), np.concatenate([fw, bw], -1), atol=ATOL)
    assert torch.equal(out._keras_mask, torch.tensor(mask, device=current_device()))
    # Padded steps output zeros in both directions.
    np.testing.assert_array_equal(_np(out)[2, 1:], 0.0)


def test_bidirectional_initial_state_and_config():
    x = torch.randn(2, 4, 3)
    layer = Bidirectional(GRU(5), merge_mode="sum")
    states = [torch.randn(2, 5), torch.randn(2, 5)]
    out = layer(x, initial_state=states)
    fw = layer.forward_layer(x, initial_state=states[:1])
    bw = layer.backward_layer(x, initial_state=states[1:])
    np.testing.assert_allclose(_np(out), _np(fw + bw), atol=1e-6)
    config = layer.get_config()
    assert config["merge_mode"] == "sum" and config["layer"]["class_name"] == "GRU"
    clone = Bidirectional.from_config(config)
    assert clone.merge_mode == "sum" and isinstance(clone.forward_layer, GRU)
    assert clone.forward_layer.units == 5


def test_bidirectional_custom_backward_layer():
    layer = Bidirectional(LSTM(2), backward_layer=GRU(3, go_backwards=True))
    assert tuple(layer(torch.zeros(1, 3, 4)).shape) == (1, 5)
    with pytest.raises(ValueError, match="should have different `go_backwards` value"):
        Bidirectional(LSTM(2), backward_layer=LSTM(2))


def test_bidirectional_with_a_custom_activation_function():
    def scaled_tanh(v):
        return 0.5 * torch.tanh(v)

    layer = Bidirectional(LSTM(2, activation=scaled_tanh, return_sequences=True))
    assert layer.backward_layer.cell.activation is scaled_tanh
    assert layer.backward_layer.go_backwards and layer.backward_layer.name.startswith("backward_")
    assert tuple(layer(torch.ones(1, 3, 2)).shape) == (1, 3, 4)


def test_error_bidirectional_of_a_non_rnn_layer():
    with pytest.raises(ValueError, match=r"wraps a recurrent layer.*Dense layer 'dense_x'"):
        Bidirectional(Dense(3, name="dense_x"))
    with pytest.raises(ValueError, match="Invalid merge_mode 'max'"):
        Bidirectional(LSTM(2), merge_mode="max")
