"""Tests for keras.layers.ConvLSTM1D/2D/3D against a NumPy ConvLSTM (direct loop convolutions)."""

import itertools

import numpy as np
import pytest
import torch

from tork import keras
from tork._backend.device import current_device
from tork.keras.layers import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from tork.keras.layers.recurrent import conv_lstm

RNG = np.random.default_rng(11)
ATOL = 2e-5
LAYERS = {1: ConvLSTM1D, 2: ConvLSTM2D, 3: ConvLSTM3D}


# -- NumPy reference ---------------------------------------------------------------------------


def _tf_same_pads(n, k, s, d):
    """TF 'same': output ceil(n/s); total pad split with the extra cell on the right."""
    out = -(-n // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - n, 0)
    return total // 2, total - total // 2


def np_conv(x, kernel, strides, padding, dilation):
    """Direct cross-correlation. x (B, *S, C), kernel (*k, C, O) -> (B, *S', O)."""
    rank = x.ndim - 2
    ks = kernel.shape[:rank]
    if padding == "same":
        pads = [_tf_same_pads(x.shape[1 + a], ks[a], strides[a], dilation[a]) for a in range(rank)]
    else:
        pads = [(0, 0)] * rank
    xp = np.pad(x, [(0, 0), *pads, (0, 0)])
    out_sizes = [
        (xp.shape[1 + a] - dilation[a] * (ks[a] - 1) - 1) // strides[a] + 1 for a in range(rank)
    ]
    out = np.zeros((x.shape[0], *out_sizes, kernel.shape[-1]))
    for pos in itertools.product(*(range(n) for n in out_sizes)):
        acc = np.zeros((x.shape[0], kernel.shape[-1]))
        for tap in itertools.product(*(range(k) for k in ks)):
            idx = tuple(p * s + t * d for p, s, t, d in zip(pos, strides, tap, dilation))
            acc += xp[(slice(None), *idx)] @ kernel[tap]
        out[(slice(None), *pos)] = acc
    return out


def _sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def _hard_sigmoid(v):
    return np.clip(0.2 * v + 0.5, 0.0, 1.0)  # tf.keras 2's hard_sigmoid


def np_conv_lstm(
    x,
    kernel,
    recurrent,
    bias,
    strides,
    padding,
    dilation,
    gate=_hard_sigmoid,
    states=None,
    mask=None,
    go_backwards=False,
    gate_inputs=None,
    gate_states=None,
):
    """A ConvLSTM over x (B, T, *S, C), channels last, gate blocks [i | f | c | o].

    gate_inputs / gate_states: optional per-gate multipliers (dropout masks) of the
    step input and of h. Returns (sequence in processing order, h, c).
    """
    x = np.asarray(x, np.float64)
    rank = x.ndim - 3
    f = recurrent.shape[-2]
    ones = (1,) * rank
    if states is None:
        probe = np_conv(x[:, 0], kernel, strides, padding, dilation)
        h = np.zeros(probe.shape[:-1] + (f,))
        c = np.zeros_like(h)
    else:
        h, c = (np.asarray(s, np.float64) for s in states)
    order = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    outputs, previous = [], np.zeros_like(h)
    for t in order:
        z = []
        for g in range(4):
            xg = x[:, t] * (1.0 if gate_inputs is None else gate_inputs[g])
            hg = h * (1.0 if gate_states is None else gate_states[g])
            zg = np_conv(xg, kernel[..., g * f : (g + 1) * f], strides, padding, dilation)
            zg = zg + np_conv(hg, recurrent[..., g * f : (g + 1) * f], ones, "same", ones)
            if bias is not None:
                zg = zg + bias[g * f : (g + 1) * f]
            z.append(zg)
        new_c = gate(z[1]) * c + gate(z[0]) * np.tanh(z[2])
        new_h = gate(z[3]) * np.tanh(new_c)
        if mask is not None:
            keep = mask[:, t].reshape((-1,) + (1,) * (h.ndim - 1))
            new_h = np.where(keep, new_h, h)
            new_c = np.where(keep, new_c, c)
            out = np.where(keep, new_h, previous)
        else:
            out = new_h
        h, c, previous = new_h, new_c, out
        outputs.append(out)
    return np.stack(outputs, 1), h, c


# -- helpers -------------------------------------------------------------------------------------


def _np(t):
    return t.detach().cpu().numpy()


def _randomize(layer, scale=0.4):
    weights = [RNG.normal(scale=scale, size=w.shape).astype("float32") for w in layer.weights]
    layer.set_weights(weights)
    return [w.astype(np.float64) for w in layer.get_weights()]


def _to_last(a, rank):
    """channels_first (B, [T,] C, *S) -> channels_last, for the time-major-free axes."""
    lead = a.ndim - rank - 1
    return np.moveaxis(a, lead, -1)


def _to_first(a, rank):
    lead = a.ndim - rank - 1
    return np.moveaxis(a, -1, lead)


# rank, frame shape (channels last), kwargs
CASES = [
    (2, (5, 5, 2), dict(kernel_size=3, padding="valid")),
    (2, (5, 6, 2), dict(kernel_size=3, padding="same")),
    (2, (5, 5, 2), dict(kernel_size=3, padding="same", strides=2)),
    (2, (4, 5, 1), dict(kernel_size=(2, 3), padding="same")),  # even kernel: asymmetric pads
    (2, (6, 5, 2), dict(kernel_size=2, padding="valid", strides=(2, 1))),
    (1, (7, 2), dict(kernel_size=3, padding="same", dilation_rate=2)),
    (1, (6, 3), dict(kernel_size=2, padding="same", strides=2)),
    (3, (3, 4, 3, 1), dict(kernel_size=2, padding="same")),
]


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("rank, frame, kwargs", CASES)
def test_matches_numpy_reference(rank, frame, kwargs, data_format):
    x = RNG.normal(size=(2, 3, *frame)).astype("float32")
    layer = LAYERS[rank](
        3, return_sequences=True, return_state=True, data_format=data_format, **kwargs
    )
    feed = x if data_format == "channels_last" else _to_first(x, rank)
    layer(feed)
    kernel, recurrent, bias = _randomize(layer)
    seq, h, c = layer(feed)
    # The shapes the layer announces are the shapes it returns.
    shapes = layer.compute_output_shape(feed.shape)
    assert [tuple(s) for s in shapes] == [tuple(t.shape) for t in (seq, h, c)]
    e_seq, e_h, e_c = np_conv_lstm(
        x,
        kernel,
        recurrent,
        bias,
        layer.strides,
        layer.padding,
        layer.dilation_rate,
    )
    if data_format == "channels_first":
        seq, h, c = (_to_last(_np(t), rank) for t in (seq, h, c))
    else:
        seq, h, c = (_np(t) for t in (seq, h, c))
    np.testing.assert_allclose(seq, e_seq, atol=ATOL)
    np.testing.assert_allclose(h, e_h, atol=ATOL)
    np.testing.assert_allclose(c, e_c, atol=ATOL)


def test_last_output_go_backwards_and_sigmoid_gates():
    x = RNG.normal(size=(2, 4, 4, 4, 2)).astype("float32")
    layer = ConvLSTM2D(2, 3, padding="same", recurrent_activation="sigmoid", go_backwards=True)
    layer(x)
    kernel, recurrent, bias = _randomize(layer)
    out = layer(x)
    e_seq, e_h, _ = np_conv_lstm(
        x, kernel, recurrent, bias, (1, 1), "same", (1, 1), gate=_sigmoid, go_backwards=True
    )
    np.testing.assert_allclose(_np(out), e_h, atol=ATOL)
    # A returned sequence stays in processing (reversed) order, as in Keras.
    layer.return_sequences = True
    np.testing.assert_allclose(_np(layer(x)), e_seq, atol=ATOL)


def test_no_bias_initial_state_and_keras2_list_inputs():
    x = RNG.normal(size=(2, 3, 5, 2)).astype("float32")
    h0 = RNG.normal(size=(2, 5, 3)).astype("float32")
    c0 = RNG.normal(size=(2, 5, 3)).astype("float32")
    layer = ConvLSTM1D(3, 3, padding="same", use_bias=False, return_state=True)
    layer(x)
    assert len(layer.weights) == 2
    kernel, recurrent = _randomize(layer)
    _, e_h, e_c = np_conv_lstm(x, kernel, recurrent, None, (1,), "same", (1,), states=(h0, c0))
    out, h, c = layer(x, initial_state=[torch.tensor(h0), torch.tensor(c0)])
    np.testing.assert_allclose(_np(out), e_h, atol=ATOL)
    np.testing.assert_allclose(_np(c), e_c, atol=ATOL)
    out2 = layer([torch.tensor(x), torch.tensor(h0), torch.tensor(c0)])[0]
    np.testing.assert_allclose(_np(out2), e_h, atol=ATOL)


def test_cell_runs_one_step():
    x = RNG.normal(size=(2, 1, 4, 3, 2)).astype("float32")
    h0 = RNG.normal(size=(2, 2, 3, 3)).astype("float32")
    c0 = RNG.normal(size=(2, 2, 3, 3)).astype("float32")
    layer = ConvLSTM2D(3, (3, 2), padding="same", strides=(2, 1))
    layer(x)
    kernel, recurrent, bias = _randomize(layer)
    h, (h2, c) = layer.cell(torch.tensor(x[:, 0]), [torch.tensor(h0), torch.tensor(c0)])
    _, e_h, e_c = np_conv_lstm(x, kernel, recurrent, bias, (2, 1), "same", (1, 1), states=(h0, c0))
    np.testing.assert_allclose(_np(h), e_h, atol=ATOL)
    np.testing.assert_allclose(_np(c), e_c, atol=ATOL)
    assert h2 is h
    assert [tuple(s.shape) for s in layer.cell.get_initial_state(batch_size=5)] == [
        (5, 2, 3, 3)
    ] * 2


@pytest.mark.parametrize("go_backwards", [False, True])
def test_mask_skips_steps(go_backwards):
    x = RNG.normal(size=(3, 4, 4, 2)).astype("float32")
    mask = np.array([[1, 1, 1, 1], [1, 0, 1, 0], [0, 1, 1, 1]], bool)
    layer = ConvLSTM1D(2, 3, return_sequences=True, go_backwards=go_backwards)
    layer(x)
    kernel, recurrent, bias = _randomize(layer)
    seq = layer(x, mask=torch.tensor(mask))
    e_seq, _, _ = np_conv_lstm(
        x, kernel, recurrent, bias, (1,), "valid", (1,), mask=mask, go_backwards=go_backwards
    )
    np.testing.assert_allclose(_np(seq), e_seq, atol=ATOL)


def test_stateful_carries_states_across_calls():
    x = RNG.normal(size=(2, 4, 4, 4, 1)).astype("float32")
    layer = ConvLSTM2D(2, 3, padding="same", stateful=True)
    layer(x[:, :2])
    layer.reset_states()
    kernel, recurrent, bias = _randomize(layer)
    layer(x[:, :2])
    second = layer(x[:, 2:])
    _, e_h, _ = np_conv_lstm(x, kernel, recurrent, bias, (1, 1), "same", (1, 1))
    np.testing.assert_allclose(_np(second), e_h, atol=ATOL)
    layer.reset_states()
    _, e_h2, _ = np_conv_lstm(x[:, 2:], kernel, recurrent, bias, (1, 1), "same", (1, 1))
    np.testing.assert_allclose(_np(layer(x[:, 2:])), e_h2, atol=ATOL)


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_dropout_uses_one_mask_per_gate(monkeypatch, data_format):
    """Known masks in place of random ones: gate g's input and state are scaled by mask g."""
    x = RNG.normal(size=(2, 3, 4, 4, 2)).astype("float32")
    layer = ConvLSTM2D(
        2, 3, padding="same", dropout=0.5, recurrent_dropout=0.5, data_format=data_format
    )
    feed = x if data_format == "channels_last" else _to_first(x, 2)
    layer(feed)
    kernel, recurrent, bias = _randomize(layer)
    masks = {}

    def fake_mask(shape, rate, like, generator=None):
        values = RNG.choice([0.0, 2.0], size=shape)
        masks[len(masks)] = values
        return torch.tensor(values, dtype=like.dtype, device=like.device)

    monkeypatch.setattr(conv_lstm, "_dropout_mask", fake_mask)
    out = _np(layer(feed, training=True))
    # masks[0]: (4, batch, flat frame) for the inputs; masks[1]: (4, *state shape).
    frame = feed.shape[2:]
    gate_inputs = masks[0].reshape(4, 2, *frame)
    gate_states = masks[1]
    if data_format == "channels_first":
        gate_inputs = _to_last(gate_inputs, 2)
        gate_states = _to_last(gate_states, 2)
        out = _to_last(out, 2)
    _, e_h, _ = np_conv_lstm(
        x,
        kernel,
        recurrent,
        bias,
        (1, 1),
        "same",
        (1, 1),
        gate_inputs=gate_inputs,
        gate_states=gate_states,
    )
    np.testing.assert_allclose(out, e_h, atol=ATOL)
    monkeypatch.undo()
    # Dropout is inactive outside training.
    _, e_plain, _ = np_conv_lstm(x, kernel, recurrent, bias, (1, 1), "same", (1, 1))
    plain = _np(layer(feed))
    if data_format == "channels_first":
        plain = _to_last(plain, 2)
    np.testing.assert_allclose(plain, e_plain, atol=ATOL)


def test_gradient_matches_finite_differences_of_reference():
    x = RNG.normal(size=(1, 3, 4, 1))
    layer = ConvLSTM1D(2, 2, padding="same", dtype="float64", recurrent_activation="sigmoid")
    layer(x)
    kernel, recurrent, bias = (w.astype(np.float64) for w in _randomize(layer))
    weights = RNG.normal(size=(1, 4, 2))
    loss = (layer(torch.tensor(x)) * torch.tensor(weights, device=current_device())).sum()
    loss.backward()
    grads = [_np(w.grad) for w in (layer.cell.kernel, layer.cell.recurrent_kernel, layer.cell.bias)]

    def ref_loss(k, r, b):
        _, h, _ = np_conv_lstm(x, k, r, b, (1,), "same", (1,), gate=_sigmoid)
        return float((h * weights).sum())

    params = [kernel, recurrent, bias]
    eps = 1e-6
    for index, (param, grad) in enumerate(zip(params, grads)):
        numeric = np.zeros_like(param)
        for pos in np.ndindex(param.shape):
            plus = [p.copy() for p in params]
            minus = [p.copy() for p in params]
            plus[index][pos] += eps
            minus[index][pos] -= eps
            numeric[pos] = (ref_loss(*plus) - ref_loss(*minus)) / (2 * eps)
        np.testing.assert_allclose(grad, numeric, atol=1e-6, rtol=1e-5)


def test_weights_layout_names_and_initializers():
    layer = ConvLSTM2D(3, (2, 3), name="conv_lstm2d")
    layer(torch.zeros(2, 2, 5, 5, 4))
    assert [tuple(w.shape) for w in layer.get_weights()] == [(2, 3, 4, 12), (2, 3, 3, 12), (12,)]
    assert [w.path for w in layer.weights] == [
        "conv_lstm2d/kernel",
        "conv_lstm2d/recurrent_kernel",
        "conv_lstm2d/bias",
    ]
    kernel, recurrent, bias = layer.get_weights()
    # glorot_uniform with conv fans (receptive field 6): fan_in 6*4, fan_out 6*12.
    assert np.all(np.abs(kernel) <= np.sqrt(6.0 / (24 + 72)) + 1e-7)
    flat = recurrent.reshape(-1, 12)  # orthogonal: (18, 12) has orthonormal columns
    np.testing.assert_allclose(flat.T @ flat, np.eye(12), atol=1e-5)
    np.testing.assert_array_equal(bias, np.r_[np.zeros(3), np.ones(3), np.zeros(6)])
    assert layer.recurrent_activation is keras.activations.hard_sigmoid
    assert layer.filters == 3 and layer.kernel_size == (2, 3) and layer.strides == (1, 1)


def test_config_round_trip():
    layer = ConvLSTM3D(
        2,
        (1, 2, 3),
        strides=(1, 2, 1),
        padding="same",
        data_format="channels_first",
        recurrent_activation="sigmoid",
        unit_forget_bias=False,
        kernel_regularizer="l2",
        return_sequences=True,
        go_backwards=True,
        dropout=0.25,
        name="clstm",
    )
    config = layer.get_config()
    assert config["filters"] == 2 and config["kernel_size"] == (1, 2, 3)
    assert config["strides"] == (1, 2, 1) and config["data_format"] == "channels_first"
    assert config["recurrent_activation"] == "sigmoid" and config["dropout"] == 0.25
    assert "cell" not in config and "units" not in config
    rebuilt = ConvLSTM3D.from_config(config)
    assert rebuilt.get_config() == config
    serialized = keras.saving.serialize_keras_object(layer)
    again = keras.saving.deserialize_keras_object(serialized)
    assert type(again) is ConvLSTM3D and again.get_config() == config


def test_compute_output_shape():
    layer = ConvLSTM2D(4, 3, strides=2, return_sequences=True)
    assert layer.compute_output_shape((None, None, 9, 8, 3)) == (None, None, 4, 3, 4)
    layer = ConvLSTM2D(4, 3, padding="same", strides=2, return_state=True)
    assert layer.compute_output_shape((8, 5, 9, 8, 3)) == [(8, 5, 4, 4), (8, 5, 4, 4)] + [
        (8, 5, 4, 4)
    ]
    layer = ConvLSTM1D(4, 3, data_format="channels_first")
    assert layer.compute_output_shape((2, 5, 3, 10)) == (2, 4, 8)


def test_functional_model_with_states():
    inputs = keras.Input((None, 6, 6, 1))
    seq, h, c = ConvLSTM2D(3, 3, padding="same", return_sequences=True, return_state=True)(inputs)
    assert seq.shape == (None, None, 6, 6, 3) and h.shape == c.shape == (None, 6, 6, 3)
    # The states feed a second layer as its initial state.
    out = ConvLSTM2D(3, 3, padding="same")(seq, initial_state=[h, c])
    model = keras.Model(inputs, out)
    x = RNG.normal(size=(2, 4, 6, 6, 1)).astype("float32")
    assert model.predict(x, verbose=0).shape == (2, 6, 6, 3)
    with pytest.raises(ValueError, match=r"initial_state\[0\] has shape"):
        ConvLSTM2D(2, 3, padding="same")(seq, initial_state=[h, c])


def test_sequential_fit_reduces_loss():
    keras.utils.set_random_seed(0)
    x = RNG.normal(size=(16, 3, 5, 5, 1)).astype("float32")
    y = x.mean(axis=(1, 2, 3, 4))[:, None] * 3.0
    model = keras.Sequential(
        [
            keras.Input((3, 5, 5, 1)),
            ConvLSTM2D(4, 3, padding="same"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(x, y, epochs=6, batch_size=8, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]


def test_wrong_input_rank_message():
    layer = ConvLSTM2D(2, 3)
    with pytest.raises(
        ValueError,
        match=r"expects a 5D input \(batch, time, height, width, "
        r"channels\), but received input of shape \(2, 8, 8, 3\) \(4D\)",
    ):
        layer(torch.zeros(2, 8, 8, 3))
    with pytest.raises(ValueError, match=r"add a time axis: x\[:, None\]"):
        layer(torch.zeros(2, 8, 8, 3))
    with pytest.raises(ValueError, match=r"6D.*For 3D frames use ConvLSTM3D"):
        layer(torch.zeros(2, 3, 4, 4, 4, 1))
    with pytest.raises(ValueError, match=r"expects a 4D input \(batch, time, channels, steps\)"):
        ConvLSTM1D(2, 3, data_format="channels_first").compute_output_shape((2, 3))


def test_argument_and_shape_errors():
    with pytest.raises(ValueError, match=r"strides > 1 cannot be combined with dilation_rate > 1"):
        ConvLSTM2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match=r"ConvLSTM2D\(filters=...\) must be a positive integer"):
        ConvLSTM2D(0, 3)
    with pytest.raises(
        ValueError, match=r"ConvLSTM1D\(padding=...\) must be one of 'valid', 'same'"
    ):
        ConvLSTM1D(2, 3, padding="causal")
    with pytest.raises(ValueError, match=r"ConvLSTM3D\(kernel_size=...\) must be an integer or a "):
        ConvLSTM3D(2, (3, 3))
    with pytest.raises(ValueError, match=r"time_major=True"):
        ConvLSTM2D(2, 3, time_major=True)
    layer = ConvLSTM2D(2, 3)
    with pytest.raises(ValueError, match=r"frames \(2, 2\) are smaller than the kernel"):
        layer(torch.zeros(1, 2, 2, 2, 1))
    layer = ConvLSTM2D(2, 3)
    layer(torch.zeros(1, 2, 5, 5, 1))
    with pytest.raises(
        ValueError, match=r"built for frames of shape \(5, 5, 1\).*\(1, 2, 6, 6, 1\)"
    ):
        layer(torch.zeros(1, 2, 6, 6, 1))
    with pytest.raises(ValueError, match=r"sequence with 0 timesteps"):
        layer(torch.zeros(1, 0, 5, 5, 1))
    with pytest.raises(ValueError, match=r"needs a mask of shape \(1, 2\)"):
        layer(torch.zeros(1, 2, 5, 5, 1), mask=torch.ones(1, 3, dtype=torch.bool))
    # Frames of unknown size are fine (as in Keras 2); unknown channels are not.
    with pytest.raises(ValueError, match=r"channel dimension of the inputs \(last axis\) must be"):
        ConvLSTM2D(2, 3)(keras.Input((4, 5, 5, None)))
