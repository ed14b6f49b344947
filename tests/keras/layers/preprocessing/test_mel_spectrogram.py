"""Tests for `keras.layers.MelSpectrogram`.

The expected arrays were computed with Keras 3.15 (TensorFlow 2.21 backend) on the same
inputs (the layer is deterministic).
"""

import json

import numpy as np
import pytest
import torch

from tork import keras

Mel = keras.layers.MelSpectrogram

_T = np.arange(40, dtype="float32")
# Two signals of 40 samples; the second is quiet, so the batch-wide top_db floor shows.
X = np.stack([np.sin(0.9 * _T) + 0.3 * np.cos(2.1 * _T), 0.01 * np.sin(0.4 * _T)]).astype("float32")
BASE = dict(fft_length=16, sequence_stride=8, sampling_rate=1000, num_mel_bins=4)

# Keras 3.15: MelSpectrogram(**BASE, **kwargs)(X), shape (2, 4, 6).
KERAS = {
    "default": (
        {},
        [
            [
                [8.591607, 10.142331, 10.126369, 10.158632, 10.13525, 5.450088],
                [6.905215, 11.006946, 11.024123, 10.996022, 11.033833, 9.835157],
                [3.003435, 1.494215, 1.425783, 1.544504, 1.38056, 2.812157],
                [-7.550441, 0.71448, 0.731176, 0.687491, 0.754486, -5.412999],
            ],
            [
                [-34.390373, -29.264923, -29.26526, -29.265823, -29.266596, -33.261894],
                [-36.423374, -38.53469, -38.53443, -38.534004, -38.533417, -37.150948],
                [-45.784756, -68.96617, -68.96617, -68.96617, -68.96617, -46.09287],
                [-49.38196, -68.96617, -68.96617, -68.96617, -68.96617, -49.77406],
            ],
        ],
    ),
    "top_db": (
        dict(top_db=30.0),
        [
            [
                [8.591607, 10.142331, 10.126369, 10.158632, 10.13525, 5.450088],
                [6.905215, 11.006946, 11.024123, 10.996022, 11.033833, 9.835157],
                [3.003435, 1.494215, 1.425783, 1.544504, 1.38056, 2.812157],
                [-7.550441, 0.71448, 0.731176, 0.687491, 0.754486, -5.412999],
            ],
            np.full((4, 6), -18.966167),
        ],
    ),
    "plain": (
        dict(power_to_db=False, mag_exp=1.0),
        [
            [
                [2.804355, 3.186725, 3.189537, 3.179104, 3.175959, 1.980845],
                [2.763443, 4.117496, 4.097958, 4.124340, 4.076711, 3.643890],
                [1.431589, 1.271806, 1.206132, 1.303651, 1.149590, 1.454714],
                [5.524508e-01, 1.271292, 1.274336, 1.270527, 1.273792, 6.885362e-01],
            ],
            [
                [2.113974e-02, 3.621941e-02, 3.621846e-02, 3.621688e-02, 3.621471e-02]
                + [2.357534e-02],
                [1.774486e-02, 6.968966e-03, 6.968934e-03, 6.968874e-03, 6.968789e-03]
                + [1.648788e-02],
                [5.923910e-03, 4.341025e-05, 4.329815e-05, 4.311185e-05, 4.285515e-05]
                + [5.712668e-03],
                [4.480521e-03, 1.292316e-05, 1.288985e-05, 1.283280e-05, 1.275596e-05]
                + [4.289716e-03],
            ],
        ],
    ),
    "ref": (
        dict(ref_power=0.5, min_power=1e-3, window="hamming", sequence_length=10),
        [
            [
                [8.940649, 10.655852, 10.85417, 10.879376, 10.752501, 6.034036],
                [3.237761, 12.02739, 11.680718, 12.065384, 11.655583, 8.920602],
                [2.314084, 5.448087, 4.06059, 6.077163, 3.268278, 4.941973],
                [-8.57201, 1.533461, 1.69774, 1.56252, 1.616591, -5.122351],
            ],
            np.full((4, 6), -26.9897),
        ],
    ),
    "freq": (
        dict(min_freq=100.0, max_freq=400.0, window=None),
        [
            [
                [11.729044, 14.121512, 14.497923, 14.157485, 13.78536, 10.721161],
                [12.069002, 8.138472, 6.573346, 7.687277, 8.978711, 12.914526],
                [-1.266481, 4.870664, 2.666709, 2.939174, 5.53777, -7.733035],
                [-2.436712, 6.103889, 4.93683, 4.772836, 6.408191, -2.71654],
            ],
            [
                [-31.944153, -56.020798, -55.975662, -55.95401, -55.95579, -32.02241],
                [-46.667023, -59.623886, -59.57136, -59.54615, -59.548206, -46.744884],
                [-43.024452, -61.63791, -61.582718, -61.55624, -61.55845, -43.102715],
                [-50.83793, -62.891434, -62.835064, -62.80797, -62.810165, -50.91598],
            ],
        ],
    ),
}
# Keras 3.15: MelSpectrogram(**BASE)(X[1]) (unbatched: its own top_db floor).
KERAS_UNBATCHED = [
    [-34.390373, -29.264923, -29.26526, -29.265823, -29.266596, -33.261894],
    [-36.423374, -38.53469, -38.53443, -38.534004, -38.533417, -37.150948],
    [-45.784756, -86.885056, -86.90408, -86.93579, -86.979454, -46.09287],
    [-49.38196, -99.06432, -99.08875, -99.13147, -99.19048, -49.77406],
]


def _close(actual, expected, rtol=1e-4, atol=1e-4):
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=rtol, atol=atol)


@pytest.mark.parametrize("case", sorted(KERAS))
def test_values_match_keras(case):
    kwargs, expected = KERAS[case]
    y = Mel(**BASE, **kwargs)(X)
    assert tuple(y.shape) == (2, 4, 6)
    _close(y, expected, rtol=1e-4, atol=1e-6 if case == "plain" else 1e-4)


def test_unbatched_matches_keras():
    y = Mel(**BASE)(X[1])
    assert tuple(y.shape) == (4, 6)
    _close(y, KERAS_UNBATCHED)


def _htk_mel_matrix(num_mel_bins, bins, sampling_rate, low, high):
    """Triangular HTK-mel filters over the FFT bins (bin 0 excluded), as tf.signal builds."""

    def mel(f):
        return 1127.0 * np.log1p(np.asarray(f) / 700.0)

    freqs = mel(np.linspace(0.0, sampling_rate / 2, bins))[1:]
    edges = np.linspace(mel(low), mel(high), num_mel_bins + 2)
    lower, center, upper = edges[:-2], edges[1:-1], edges[2:]
    rising = (freqs[:, None] - lower) / (center - lower)
    falling = (upper - freqs[:, None]) / (upper - center)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    return np.concatenate([np.zeros((1, num_mel_bins)), weights], 0)


def test_against_numpy_formula():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 200)).astype("float32")
    kwargs = dict(fft_length=32, sequence_stride=8, sampling_rate=8000, num_mel_bins=6)
    padded = np.pad(x.astype(np.float64), ((0, 0), (16, 16)), mode="reflect")
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(32) / 32)  # periodic hann
    frames = np.stack([padded[:, i * 8 : i * 8 + 32] for i in range(1 + 200 // 8)], 1)
    power = np.abs(np.fft.rfft(frames * window, axis=-1)) ** 2
    mel = power @ _htk_mel_matrix(6, 17, 8000, 20.0, 4000.0)  # (3, frames, 6)
    mel = mel.transpose(0, 2, 1)
    _close(Mel(power_to_db=False, **kwargs)(x), mel, rtol=1e-4, atol=1e-5)
    db = 10 * np.log10(np.maximum(mel, 1e-10))
    db = np.maximum(db, db.max() - 80.0)
    _close(Mel(**kwargs)(x), db, rtol=1e-4, atol=1e-3)


def test_config_defaults_match_keras():
    config = Mel().get_config()
    expected = {
        "fft_length": 2048,
        "sequence_stride": 512,
        "sequence_length": 2048,
        "window": "hann",
        "sampling_rate": 16000,
        "num_mel_bins": 128,
        "min_freq": 20.0,
        "max_freq": 8000,
        "power_to_db": True,
        "top_db": 80.0,
        "mag_exp": 2.0,
        "min_power": 1e-10,
        "ref_power": 1.0,
    }
    assert {k: config[k] for k in expected} == expected
    assert isinstance(config["max_freq"], int)
    assert Mel(sampling_rate=8001).get_config()["max_freq"] == 4000


def test_no_weights_and_config_round_trip():
    layer = Mel(**BASE, window=list(np.linspace(0.0, 1.0, 16)))
    assert layer(X).shape == (2, 4, 6)
    assert layer.weights == []
    config = layer.get_config()
    json.dumps(config)
    again = Mel.from_config(config)
    _close(again(X), layer(X))


def test_shapes_match_keras():
    # The docstring's examples; Keras 3.15 computes (2, 80, 126) for the second one
    # (its docstring says 125).
    layer = Mel(num_mel_bins=64, sampling_rate=8000, sequence_stride=256, fft_length=2048)
    assert tuple(layer(np.zeros(16000, "float32")).shape) == (64, 63)
    layer = Mel(num_mel_bins=80, sampling_rate=8000, sequence_stride=128, fft_length=2048)
    assert tuple(layer(np.zeros((2, 16000), "float32")).shape) == (2, 80, 126)
    layer = Mel(fft_length=64)
    assert layer.compute_output_shape((2, 300)) == (2, 128, 1)
    assert layer.compute_output_shape((300,)) == (128, 1)
    assert layer.compute_output_shape((None, None)) == (None, 128, None)
    model = keras.Sequential(
        [keras.Input((300,)), Mel(fft_length=64, sequence_stride=16, num_mel_bins=8)]
    )
    assert model.output_shape == (None, 8, 19)
    # Extra leading axes are kept.
    assert tuple(Mel(**BASE)(X[None]).shape) == (1, 2, 4, 6)


def test_input_dtypes():
    # Integer and float64 inputs are computed in the layer's float32.
    assert Mel(**BASE)((X * 100).astype("int32")).dtype == torch.float32
    _close(Mel(**BASE)(X.astype("float64")), KERAS["default"][1])


def test_mixed_float16_returns_float16():
    y = Mel(**BASE, dtype="mixed_float16")(X)
    assert y.dtype == torch.float16
    _close(y.float(), KERAS["default"][1], rtol=1e-2, atol=2e-2)


def test_top_db_none_disables_the_floor():
    y = Mel(**BASE, top_db=None)(X).numpy()
    assert y.min() < -80.0  # the quiet signal's bands are not floored


def test_errors():
    with pytest.raises(
        ValueError, match="`fft_length` must be greater than or equal to `sequence_length`"
    ):
        Mel(fft_length=64, sequence_length=100)
    with pytest.raises(ValueError, match='it must be one of `"hann"`, `"hamming"`'):
        Mel(**BASE, window="foo")(X)
    with pytest.raises(
        ValueError, match=r"The shape of `window` must be equal to \[sequence_length"
    ):
        Mel(**BASE, window=np.ones(8, "float32"))(X)
