"""Tests for keras.layers.LSTM / LSTMCell against NumPy gate equations (Keras order i, f, c, o)."""

import time

import numpy as np
import pytest
import torch

from tork import keras
from tork._backend.device import current_device
from tork.keras import regularizers
from tork.keras.layers.core.dense import Dense
from tork.keras.layers.recurrent import LSTM, LSTMCell
from tork.keras.layers.recurrent.rnn import RNN

RNG = np.random.default_rng(7)
ATOL = 1e-5
# On CPU the fused kernel and the step loop agree to float32 rounding. cuDNN's fused
# kernels (CUDA) sum over time and batch in another order: there outputs differ by a few
# 1e-6 and gradients by a few 1e-5 (the CUDA-only test below allows 1e-4 too).
FUSED_ATOL = 1e-4 if current_device().type == "cuda" else ATOL
FUSED_OUT_ATOL = ATOL if current_device().type == "cuda" else 1e-6


def _np(t):
    return t.detach().cpu().numpy()


def _randomize(layer, scale=0.5):
    """Gives every weight random values (so biases matter) and returns them as NumPy."""
    weights = [RNG.normal(scale=scale, size=w.shape).astype("float32") for w in layer.weights]
    layer.set_weights(weights)
    return [w.astype(np.float64) for w in layer.get_weights()]


def _zeros(batch, units):
    return np.zeros((batch, units))


def _right_padded(lengths, steps):
    return np.arange(steps)[None, :] < np.asarray(lengths)[:, None]


@pytest.mark.parametrize("fused", [True, False])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_lstm_matches_numpy(ref, fused, go_backwards):
    x = RNG.normal(size=(3, 6, 4)).astype("float32")
    layer = LSTM(5, return_sequences=True, return_state=True, go_backwards=go_backwards)
    layer(x)
    kernel, recurrent, bias = _randomize(layer)
    layer._tork_use_fused = fused
    seq, h, c = layer(x)
    e_seq, e_last, (e_h, e_c) = ref.run(
        ref.lstm_step(kernel, recurrent, bias),
        x,
        [_zeros(3, 5), _zeros(3, 5)],
        go_backwards=go_backwards,
    )
    np.testing.assert_allclose(_np(seq), e_seq, atol=ATOL)
    np.testing.assert_allclose(_np(h), e_h, atol=ATOL)
    np.testing.assert_allclose(_np(c), e_c, atol=ATOL)
    # Without return_sequences/return_state the output is the last output alone.
    layer.return_sequences, layer.return_state = False, False
    np.testing.assert_allclose(_np(layer(x)), e_last, atol=ATOL)


def test_lstm_without_bias_and_with_initial_state(ref):
    x = RNG.normal(size=(2, 5, 3)).astype("float32")
    h0 = RNG.normal(size=(2, 4)).astype("float32")
    c0 = RNG.normal(size=(2, 4)).astype("float32")
    layer = LSTM(4, use_bias=False, return_state=True)
    layer(x)
    kernel, recurrent = _randomize(layer)
    for fused in (True, False):
        layer._tork_use_fused = fused
        out, h, c = layer(x, initial_state=[torch.tensor(h0), torch.tensor(c0)])
        _, e_last, (e_h, e_c) = ref.run(ref.lstm_step(kernel, recurrent, None), x, [h0, c0])
        np.testing.assert_allclose(_np(out), e_last, atol=ATOL)
        np.testing.assert_allclose(_np(c), e_c, atol=ATOL)
    # Keras 2 style: the initial states as extra inputs.
    out2 = layer([torch.tensor(x), torch.tensor(h0), torch.tensor(c0)])[0]
    np.testing.assert_allclose(_np(out2), e_last, atol=ATOL)


def test_lstm_cell_single_step(ref):
    cell = LSTMCell(3)
    x = RNG.normal(size=(2, 4)).astype("float32")
    h0 = RNG.normal(size=(2, 3)).astype("float32")
    c0 = RNG.normal(size=(2, 3)).astype("float32")
    out, (h, c) = cell(torch.tensor(x), [torch.tensor(h0), torch.tensor(c0)])
    kernel, recurrent, bias = _randomize(cell)
    out, (h, c) = cell(torch.tensor(x), [torch.tensor(h0), torch.tensor(c0)])
    e_out, (e_h, e_c) = ref.lstm_step(kernel, recurrent, bias)(x, [h0, c0])
    np.testing.assert_allclose(_np(out), e_out, atol=ATOL)
    np.testing.assert_allclose(_np(c), e_c, atol=ATOL)
    assert cell.state_size == [3, 3] and cell.output_size == 3


def test_lstm_weights_layout_names_and_initializers():
    layer = LSTM(5, name="lstm")
    layer(torch.zeros(2, 3, 4))
    assert [tuple(w.shape) for w in layer.get_weights()] == [(4, 20), (5, 20), (20,)]
    assert [w.path for w in layer.weights] == [
        "lstm/lstm_cell/kernel",
        "lstm/lstm_cell/recurrent_kernel",
        "lstm/lstm_cell/bias",
    ]
    assert layer.weights[0] is layer.cell.kernel
    kernel, recurrent, bias = layer.get_weights()
    # glorot_uniform bound sqrt(6 / (fan_in + fan_out)); orthogonal rows; unit_forget_bias.
    assert np.all(np.abs(kernel) <= np.sqrt(6.0 / (4 + 20)) + 1e-7)
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(5), atol=1e-5)
    np.testing.assert_array_equal(bias, np.r_[np.zeros(5), np.ones(5), np.zeros(10)])


def test_unit_forget_bias_options():
    off = LSTM(3, unit_forget_bias=False)
    off(torch.zeros(1, 2, 2))
    np.testing.assert_array_equal(off.get_weights()[2], np.zeros(12))
    ones = LSTM(3, bias_initializer="ones")
    ones(torch.zeros(1, 2, 2))
    np.testing.assert_array_equal(ones.get_weights()[2], np.ones(12))


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("mask_kind", ["right_padded", "irregular"])
def test_lstm_masking_matches_numpy(ref, go_backwards, mask_kind):
    x = RNG.normal(size=(4, 6, 3)).astype("float32")
    if mask_kind == "right_padded":
        mask = _right_padded([6, 3, 1, 4], 6)
    else:
        mask = np.array(
            [[1, 0, 1, 1, 0, 1], [0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1], [0, 1, 0, 0, 1, 0]],
            dtype=bool,
        )
    layer = LSTM(4, return_sequences=True, return_state=True, go_backwards=go_backwards)
    layer(x)
    kernel, recurrent, bias = _randomize(layer)
    e_seq, _, (e_h, e_c) = ref.run(
        ref.lstm_step(kernel, recurrent, bias),
        x,
        [_zeros(4, 4), _zeros(4, 4)],
        mask=mask,
        go_backwards=go_backwards,
    )
    for fused in (True, False):
        layer._tork_use_fused = fused
        inputs = torch.tensor(x)
        inputs._keras_mask = torch.tensor(mask)
        seq, h, c = layer(inputs)
        np.testing.assert_allclose(_np(seq), e_seq, atol=ATOL)
        np.testing.assert_allclose(_np(h), e_h, atol=ATOL)
        np.testing.assert_allclose(_np(c), e_c, atol=ATOL)
        assert torch.equal(seq._keras_mask, torch.tensor(mask, device=current_device()))


def test_masked_steps_repeat_previous_output_and_keep_state():
    x = RNG.normal(size=(1, 4, 2)).astype("float32")
    layer = LSTM(3, return_sequences=True, return_state=True)
    inputs = torch.tensor(x)
    inputs._keras_mask = torch.tensor([[True, True, False, False]])
    seq, h, c = layer(inputs)
    unmasked_seq, unmasked_h, unmasked_c = layer(torch.tensor(x[:, :2]))
    np.testing.assert_allclose(_np(seq[:, 2]), _np(seq[:, 1]))
    np.testing.assert_allclose(_np(seq[:, 3]), _np(seq[:, 1]))
    # The masked run (packed sequences) and the short run are different kernels on CUDA.
    np.testing.assert_allclose(_np(h), _np(unmasked_h), atol=FUSED_OUT_ATOL)
    np.testing.assert_allclose(_np(c), _np(unmasked_c), atol=FUSED_OUT_ATOL)


def _grads(layer, x, mask=None, seed=0):
    inputs = torch.tensor(x, requires_grad=True)
    fed = inputs * 1.0
    if mask is not None:
        fed._keras_mask = torch.tensor(mask)
    outputs = layer(fed)
    outputs = outputs if isinstance(outputs, list) else [outputs]
    gen = torch.Generator().manual_seed(seed)
    loss = sum((o * torch.randn(o.shape, generator=gen).to(o.device)).sum() for o in outputs)
    grads = torch.autograd.grad(loss, [inputs, *layer.trainable_weights])
    return [_np(o) for o in outputs], [_np(g) for g in grads]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"return_sequences": True, "return_state": True},
        {"go_backwards": True, "return_sequences": True},
        {"use_bias": False, "return_state": True},
    ],
)
@pytest.mark.parametrize("masked", [False, True])
def test_lstm_fused_and_step_paths_agree_with_gradients(kwargs, masked):
    x = RNG.normal(size=(3, 7, 4)).astype("float32")
    mask = _right_padded([7, 2, 5], 7) if masked else None
    layer = LSTM(6, **kwargs)
    layer(x)
    _randomize(layer)
    fused_out, fused_grads = _grads(layer, x, mask)
    layer._tork_use_fused = False
    slow_out, slow_grads = _grads(layer, x, mask)
    for a, b in zip(fused_out + fused_grads, slow_out + slow_grads):
        np.testing.assert_allclose(a, b, atol=FUSED_ATOL)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("layer_class", ["LSTM", "GRU"])
def test_cuda_fused_path_agrees_and_uses_weights_in_place(layer_class):
    import warnings

    from tork.keras.layers.recurrent import GRU

    cls = {"LSTM": LSTM, "GRU": GRU}[layer_class]
    x = RNG.normal(size=(3, 7, 4)).astype("float32")
    mask = _right_padded([7, 2, 5], 7)
    layer = cls(6, return_sequences=True, return_state=True)
    layer(x)
    _randomize(layer)
    layer.to("cuda")
    inputs = torch.tensor(x, device="cuda")
    inputs._keras_mask = torch.tensor(mask, device="cuda")
    with warnings.catch_warnings():
        # cuDNN warns when it must copy weights that are not one contiguous buffer.
        warnings.simplefilter("error")
        fused = [_np(o) for o in layer(inputs)]
    layer._tork_use_fused = False
    slow = [_np(o) for o in layer(inputs)]
    for a, b in zip(fused, slow):
        np.testing.assert_allclose(a, b, atol=1e-4)


def test_fused_kernel_is_used_when_the_configuration_allows(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("step loop used")

    monkeypatch.setattr(RNN, "_tork_run_loop", forbidden)
    x = torch.randn(2, 5, 3)
    LSTM(4)(x)
    LSTM(4, use_bias=False, dropout=0.3)(x, training=True)
    masked = x * 1.0
    masked._keras_mask = torch.tensor([[True] * 5, [True, True, False, False, False]])
    LSTM(4, go_backwards=True)(masked)
    with pytest.raises(AssertionError, match="step loop"):
        LSTM(4, recurrent_dropout=0.2)(x)
    with pytest.raises(AssertionError, match="step loop"):
        LSTM(4, recurrent_activation="hard_sigmoid")(x)
    irregular = x * 1.0
    irregular._keras_mask = torch.tensor([[True, False, True, True, True]] * 2)
    with pytest.raises(AssertionError, match="step loop"):
        LSTM(4)(irregular)


def test_stateful_lstm_carries_states_across_calls(ref):
    x = RNG.normal(size=(2, 6, 3)).astype("float32")
    layer = LSTM(4, stateful=True, return_sequences=True)
    layer(x[:, :1])
    layer.reset_states()
    kernel, recurrent, bias = _randomize(layer)
    first = layer(x[:, :4])
    second = layer(x[:, 4:])
    e_seq, _, _ = ref.run(ref.lstm_step(kernel, recurrent, bias), x, [_zeros(2, 4)] * 2)
    np.testing.assert_allclose(_np(torch.cat([first, second], 1)), e_seq, atol=ATOL)
    assert len(layer.states) == 2
    layer.reset_states()
    np.testing.assert_allclose(_np(layer(x[:, :4])), e_seq[:, :4], atol=ATOL)
    with pytest.raises(ValueError, match="stateful with states for batch size 2"):
        layer(x[:1])


def test_dropout_only_in_training_and_one_mask_per_sequence():
    x = torch.tensor(RNG.normal(size=(4, 5, 6)).astype("float32"), device=current_device())
    layer = LSTM(3, dropout=0.5, recurrent_dropout=0.5, seed=1)
    plain = LSTM(3)
    layer(x)
    plain(x)
    plain.set_weights(layer.get_weights())
    # recurrent_dropout runs the step loop, `plain` the fused kernel (cuDNN on CUDA).
    np.testing.assert_allclose(_np(layer(x)), _np(plain(x)), atol=FUSED_OUT_ATOL)
    np.testing.assert_allclose(_np(layer(x, training=False)), _np(plain(x)), atol=FUSED_OUT_ATOL)
    assert not np.allclose(_np(layer(x, training=True)), _np(plain(x)), atol=1e-3)
    dropped = layer.cell._tork_dropout_inputs(x, True)
    ratio = _np(dropped / x)
    assert set(np.round(np.unique(ratio), 4)) <= {0.0, 2.0}
    np.testing.assert_array_equal(ratio, np.broadcast_to(ratio[:, :1], ratio.shape))


def test_time_major(ref):
    x = RNG.normal(size=(2, 5, 3)).astype("float32")
    layer = LSTM(4, time_major=True, return_sequences=True)
    layer(np.swapaxes(x, 0, 1))
    kernel, recurrent, bias = _randomize(layer)
    e_seq, _, _ = ref.run(ref.lstm_step(kernel, recurrent, bias), x, [_zeros(2, 4)] * 2)
    out = layer(torch.tensor(np.swapaxes(x, 0, 1)))
    assert tuple(out.shape) == (5, 2, 4)
    np.testing.assert_allclose(_np(out), np.swapaxes(e_seq, 0, 1), atol=ATOL)


def test_lstm_config_round_trip_and_output_shapes():
    layer = LSTM(
        7,
        return_sequences=True,
        go_backwards=True,
        dropout=0.25,
        kernel_regularizer=regularizers.L2(0.1),
        recurrent_activation="hard_sigmoid",
        name="encoder",
    )
    config = layer.get_config()
    assert config["units"] == 7 and config["recurrent_activation"] == "hard_sigmoid"
    assert config["unit_forget_bias"] is True and config["dropout"] == 0.25
    clone = LSTM.from_config(config)
    assert clone.get_config() == config
    assert layer.compute_output_shape((None, 9, 3)) == (None, 9, 7)
    assert LSTM(7).compute_output_shape((None, 9, 3)) == (None, 7)
    assert LSTM(7, return_state=True).compute_output_shape((8, 9, 3)) == [
        (8, 7),
        (8, 7),
        (8, 7),
    ]


def test_regularizer_and_constraint_reach_the_cell_weights():
    layer = LSTM(3, kernel_regularizer=regularizers.L2(0.1), recurrent_constraint="non_neg")
    layer(torch.zeros(1, 2, 2))
    kernel = layer.get_weights()[0]
    (penalty,) = layer.losses
    np.testing.assert_allclose(float(penalty), 0.1 * np.sum(kernel.astype(np.float64) ** 2), 1e-5)
    assert layer.cell.recurrent_kernel.constraint is not None


def test_functional_model_with_lstm_states():
    inputs = keras.Input(shape=(None, 3))
    seq, h, c = LSTM(8, return_sequences=True, return_state=True)(inputs)
    assert seq.shape == (None, None, 8) and h.shape == (None, 8)
    model = keras.Model(inputs, [seq, h, c])
    out = model(np.zeros((2, 5, 3), "float32"))
    assert [tuple(o.shape) for o in out] == [(2, 5, 8), (2, 8), (2, 8)]


def test_lstm_learns_the_sign_of_a_sum():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(512, 10, 1)).astype("float32")
    y = (x.sum(axis=(1, 2)) > 0).astype("float32")[:, None]
    model = keras.Sequential([LSTM(8, input_shape=(10, 1)), Dense(1, activation="sigmoid")])
    model.compile(
        optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"]
    )
    # One thread: for a model this small, torch's thread pool only adds contention.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        start = time.perf_counter()
        history = model.fit(x, y, epochs=12, batch_size=64, verbose=0)
        elapsed = time.perf_counter() - start
    finally:
        torch.set_num_threads(threads)
    assert history.history["accuracy"][-1] > 0.9
    assert elapsed < 10.0
