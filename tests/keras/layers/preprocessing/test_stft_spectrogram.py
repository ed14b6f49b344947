"""Tests for `keras.layers.STFTSpectrogram` and `keras.initializers.STFT`.

The expected arrays were computed with Keras 3.15 (TensorFlow 2.21 backend) on the same
inputs (the layer is deterministic: its kernels come from the STFT initializer).
"""

import json
import warnings

import numpy as np
import pytest
import torch

from tork import keras

STFT = keras.initializers.STFT
Spectrogram = keras.layers.STFTSpectrogram

_T = np.arange(12, dtype="float32")
# (batch=1, time=12, channels=2)
X = np.stack([np.sin(0.7 * _T) + 0.05 * _T, np.cos(0.3 * _T) - 0.5], -1)[None].astype("float32")

# Keras 3.15: STFTSpectrogram(mode=..., frame_length=8, frame_step=4, fft_length=8)(X),
# shape (1, 2, 10): 2 frames, channel 0's 5 bins then channel 1's.
KERAS_MODES = {
    "log": [
        [0.257735, 0.162313, -0.593238, -3.31947, -3.916362]
        + [-2.523183, -0.802249, -1.532016, -3.849245, -5.339005],
        [-0.859195, -0.234413, -0.619524, -3.089824, -4.579462]
        + [0.85122, 0.400654, -1.277943, -3.259594, -5.4477],
    ],
    "magnitude": [
        [1.293996, 1.176229, 0.552536, 0.036172, 0.019913]
        + [0.080204, 0.44832, 0.2161, 0.021296, 0.004801],
        [0.423503, 0.791035, 0.538201, 0.04551, 0.01026]
        + [2.342503, 1.492801, 0.27861, 0.038404, 0.004306],
    ],
    "psd": [
        [1.674426e00, 2.767029e00, 6.105911e-01, 2.616829e-03, 3.965439e-04]
        + [6.432666e-03, 4.019808e-01, 9.339800e-02, 9.070226e-04, 2.304617e-05],
        [1.793547e-01, 1.251473e00, 5.793197e-01, 4.142316e-03, 1.052762e-04]
        + [5.487319e00, 4.456909e00, 1.552467e-01, 2.949734e-03, 1.854334e-05],
    ],
    "real": [
        [1.293996, -0.650232, -0.029251, 0.022529, 0.019913]
        + [-0.080204, 0.182229, -0.118994, -0.020733, -0.004801],
        [-0.423503, 0.265215, -0.054464, 0.006131, -0.01026]
        + [-2.342503, 1.482059, -0.278434, -0.03022, -0.004306],
    ],
    "imag": [
        [0.0, -9.801592e-01, 5.517607e-01, -2.829952e-02, 0.0]
        + [0.0, -4.096132e-01, 1.803870e-01, 4.863332e-03, 0.0],
        [0.0, 7.452500e-01, -5.354376e-01, 4.509515e-02, 0.0]
        + [0.0, 1.787618e-01, -9.891377e-03, -2.369807e-02, 0.0],
    ],
    # Only bins 1..3 of each channel: at DC and the last bin the imaginary part is a
    # signed zero or rounding noise, so the angle there is not meaningful.
    "angle": [
        [-2.156530, 1.623761, -0.8984455, -1.152207, 2.153932, 2.911189],
        [1.228898, -1.672167, 1.435674, 0.1200373, -3.106083, -2.476575],
    ],
}
KERAS_STFT_MODE_FRAME0 = (
    [1.293996, -0.6502325, -0.02925125, 0.0225289, 0.01991341]
    + [0.0, -0.9801592, 0.5517607, -0.02829952, 0.0]
    + [-0.08020391, 0.1822292, -0.1189938, -0.02073305, -0.004800642]
    + [0.0, -0.4096132, 0.180387, 0.004863332, 0.0]
)
# mode="real", frame_length=5, frame_step=3, fft_length=8, padding="same",
# window="hamming", periodic=True, scaling="spectrum": shape (1, 4, 10).
KERAS_SAME = [
    [0.750529, -0.408595, -0.08523, 0.109997, 0.017128]
    + [0.355332, -0.04354, -0.135908, 0.007701, -0.011838],
    [0.243926, 0.24603, -0.232798, -0.013261, 0.013423]
    + [-0.271115, 0.23201, -0.051016, 0.00158, -0.016916],
    [-0.310216, -0.076081, 0.279463, -0.067463, 0.01449]
    + [-1.084269, 0.413998, 0.119857, -0.025648, -0.033895],
    [0.972445, -0.325656, -0.39772, 0.311952, -0.204414]
    + [-1.249444, 0.172375, 0.466704, -0.245702, 0.169381],
]
# mode="psd", frame_length=6, frame_step=3, fft_length=7 (odd), window=None: (1, 3, 8).
KERAS_ODD = [
    [1.041406e01, 7.377098e00, 1.072688e-01, 1.902746e-04]
    + [6.978546e-01, 2.901054e00, 7.965332e-01, 2.916105e-01],
    [1.468838e-04, 1.137435e01, 9.442438e-01, 3.001152e-01]
    + [1.166043e01, 5.753111e00, 1.688866e00, 6.236880e-01],
    [2.981401e00, 2.119662e01, 3.000905e00, 1.037108e00]
    + [5.403701e01, 2.072991e00, 5.374543e-01, 1.951957e-01],
]
# mode="magnitude", frame_length=8, frame_step=4, window="blackman": (1, 2, 10).
KERAS_BLACKMAN = [
    [1.293065e00, 1.148057e00, 6.280912e-01, 1.417172e-01, 6.803717e-03]
    + [5.962747e-02, 3.497805e-01, 2.332118e-01, 3.388245e-02, 6.353789e-04],
    [5.119167e-01, 7.166304e-01, 5.405027e-01, 1.414583e-01, 4.243138e-03]
    + [2.202378e00, 1.548731e00, 4.877849e-01, 4.268093e-02, 5.698722e-04],
]


def _close(actual, expected, rtol=1e-4, atol=1e-5):
    np.testing.assert_allclose(np.asarray(actual), np.asarray(expected), rtol=rtol, atol=atol)


# ---------------------------------------------------------------- STFT initializer


def test_initializer_real_hann_density_matches_keras():
    values = STFT("real", "hann", "density", False)((8, 1, 5)).numpy()[:, 0, :]
    assert values.shape == (8, 5)
    # Keras 3.15, rows 1 and 4 (symmetric hann of 8, divided by its L2 norm, times cos).
    _close(values[1], [0.11619357, 0.082161255, 0.0, -0.082161255, -0.11619357], atol=1e-7)
    _close(values[4], [0.58665174, -0.58665174, 0.58665174, -0.58665174, 0.58665174])
    _close(values[0], np.zeros(5), atol=1e-7)


def test_initializer_formula_imag_periodic_hamming_no_scaling():
    values = STFT("imag", "hamming", None, True)((8, 1, 5)).numpy()[:, 0, :]
    n = np.arange(8)[:, None]
    k = np.arange(5)[None, :]
    window = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(8) / 8)  # periodic hamming
    _close(values, -window[:, None] * np.sin(2 * np.pi * n * k / 8), atol=1e-6)
    # Keras 3.15, row 2.
    _close(values[2], [0.0, -0.54, 0.0, 0.54, 0.0], atol=1e-6)


def test_initializer_fft_size_comes_from_bins_and_middle_axis_is_one():
    # 4 bins: a DFT of size 6 (Keras computes the same), whatever the frame length.
    values = STFT("real", None, None)((8, 1, 4)).numpy()[:, 0, :]
    _close(values[1], [1.0, 0.5, -0.5, -1.0], atol=1e-6)
    _close(values[6], [1.0, 1.0, 1.0, 1.0], atol=1e-6)
    # The middle axis of the requested shape is replaced by 1, as in Keras.
    assert tuple(STFT("real", None, None)((4, 2, 3)).shape) == (4, 1, 3)


def test_initializer_window_array_and_spectrum_scaling():
    values = STFT("real", np.arange(1.0, 9.0), "spectrum", True)((8, 1, 5)).numpy()[:, 0, 0]
    _close(values, np.arange(1.0, 9.0) / 36.0)
    # No window: scaling is not applied (Keras gives ones).
    _close(STFT("real", None, "spectrum")((8, 1, 5)).numpy()[:, 0, 0], np.ones(8))
    assert STFT()((8, 1, 5), dtype="float64").dtype == torch.float64


def test_initializer_scipy_window():
    pytest.importorskip("scipy")
    values = STFT("real", "blackman", "density")((8, 1, 5)).numpy()[:, 0, 0]
    # Symmetric blackman of 8, divided by its L2 norm.
    n = np.arange(8)
    window = 0.42 - 0.5 * np.cos(2 * np.pi * n / 7) + 0.08 * np.cos(4 * np.pi * n / 7)
    _close(values, window / np.sqrt(np.sum(window**2)), atol=1e-6)


def test_initializer_errors():
    with pytest.raises(ValueError, match="side should be 'real' or 'imag', not foo"):
        STFT("foo")
    with pytest.raises(ValueError, match="Scaling is invalid, it must be `None`"):
        STFT("real", "hann", "foo")
    with pytest.raises(ValueError, match="Invalid window name 'foo' in parameter window='foo'!"):
        STFT("real", "foo")
    with pytest.raises(
        ValueError, match=r"The shape of `window` must be equal to \[frame_length\]"
    ):
        STFT("real", [1.0, 2.0, 3.0])((8, 1, 5))
    with pytest.raises(ValueError, match=r"expects a shape \(frame_length, input_channels"):
        STFT()((8, 5))


def test_initializer_aliases_and_serialization():
    assert keras.initializers.STFTInitializer is STFT
    assert keras.initializers.stft is STFT
    for name in ("stft", "STFT", "STFTInitializer"):
        assert isinstance(keras.initializers.get(name), STFT)
    config = keras.initializers.serialize(STFT("imag", "hamming", None, True))
    assert config["class_name"] == "STFT"
    assert config["config"] == {
        "side": "imag",
        "window": "hamming",
        "periodic": True,
        "scaling": None,
    }
    again = keras.initializers.deserialize(
        {"class_name": "STFTInitializer", "config": config["config"]}
    )
    _close(again((6, 1, 4)), STFT("imag", "hamming", None, True)((6, 1, 4)))
    array_config = STFT("real", np.ones(3)).get_config()
    assert array_config["window"] == [1.0, 1.0, 1.0]
    json.dumps(array_config)


# ---------------------------------------------------------------- STFTSpectrogram


def test_config_defaults_match_keras():
    config = Spectrogram().get_config()
    expected = {
        "mode": "log",
        "frame_length": 256,
        "frame_step": None,
        "fft_length": None,
        "window": "hann",
        "periodic": False,
        "scaling": "density",
        "padding": "valid",
        "data_format": "channels_last",
        "expand_dims": False,
    }
    assert {k: config[k] for k in expected} == expected
    assert config["trainable"] is True


def test_weights_names_shapes_and_trainability():
    layer = Spectrogram(frame_length=100)
    layer.build((2, 1000, 2))
    # fft_length defaults to the next power of two (128): 65 bins. A direct build() runs in
    # the caller's name scope (Keras 2's rule, which tork's `path` follows).
    assert [w.path for w in layer.weights] == ["real_kernel", "imag_kernel"]
    called = Spectrogram(frame_length=100, name="spec")
    called(np.zeros((2, 1000, 2), "float32"))
    assert [w.path for w in called.weights] == ["spec/real_kernel", "spec/imag_kernel"]
    assert [tuple(w.shape) for w in layer.weights] == [(100, 1, 65)] * 2
    assert len(layer.trainable_weights) == 2
    frozen = Spectrogram(frame_length=16, trainable=False)
    frozen.build((2, 100, 1))
    assert len(frozen.trainable_weights) == 0 and len(frozen.non_trainable_weights) == 2
    # Keras 3.15: setting `trainable` later toggles the kernels both ways.
    frozen.trainable = True
    assert len(frozen.trainable_weights) == 2
    layer.trainable = False
    assert len(layer.trainable_weights) == 0
    # Keras creates only the kernel that the mode needs.
    real = Spectrogram(mode="real", frame_length=16)
    real.build((2, 100, 1))
    assert [w.path.split("/")[-1] for w in real.weights] == ["real_kernel"]
    imag = Spectrogram(mode="imag", frame_length=16)
    imag.build((2, 100, 1))
    assert [w.path.split("/")[-1] for w in imag.weights] == ["imag_kernel"]


@pytest.mark.parametrize("mode", sorted(KERAS_MODES))
def test_modes_match_keras(mode):
    y = Spectrogram(mode=mode, frame_length=8, frame_step=4, fft_length=8)(X)
    assert tuple(y.shape) == (1, 2, 10)
    y = y.detach().numpy()[0]
    if mode == "angle":
        y = y[:, [1, 2, 3, 6, 7, 8]]
    _close(y, KERAS_MODES[mode])


def test_stft_mode_concatenates_real_and_imag_per_channel():
    y = Spectrogram(mode="stft", frame_length=8, frame_step=4, fft_length=8)(X)
    assert tuple(y.shape) == (1, 2, 20)
    _close(y[0, 0], KERAS_STFT_MODE_FRAME0)


def test_modes_against_numpy_fft():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 50, 3)).astype("float32")
    n = np.arange(10)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * n / 9)
    window = window / np.sqrt(np.sum(window**2))
    frames = np.stack([x[:, i * 4 : i * 4 + 10] for i in range(11)], 1)  # (2, 11, 10, 3)
    spectrum = np.fft.rfft(frames * window[:, None], n=16, axis=2)  # (2, 11, 9, 3)
    spectrum = spectrum.transpose(0, 1, 3, 2).reshape(2, 11, 27)
    power = np.abs(spectrum) ** 2
    doubled = power.reshape(2, 11, 3, 9).copy()
    doubled[..., 1:-1] *= 2
    expected = {
        "real": spectrum.real,
        "imag": spectrum.imag,
        "magnitude": np.sqrt(np.maximum(power, 1e-7)),
        "log": np.log(np.sqrt(np.maximum(power, 1e-7))),
        "psd": doubled.reshape(2, 11, 27),
    }
    for mode, values in expected.items():
        y = Spectrogram(mode=mode, frame_length=10, frame_step=4, fft_length=16)(x)
        _close(y, values, rtol=1e-4, atol=1e-4)


def test_same_padding_hamming_periodic_spectrum_matches_keras():
    layer = Spectrogram(
        mode="real",
        frame_length=5,
        frame_step=3,
        fft_length=8,
        padding="same",
        window="hamming",
        periodic=True,
        scaling="spectrum",
    )
    y = layer(X)
    assert tuple(y.shape) == (1, 4, 10)
    _close(y[0], KERAS_SAME)


def test_odd_fft_length_warns_and_matches_keras():
    with pytest.warns(UserWarning, match="`fft_length` is recommended to be a power of two"):
        layer = Spectrogram(mode="psd", frame_length=6, frame_step=3, fft_length=7, window=None)
    y = layer(X)
    assert tuple(y.shape) == (1, 3, 8)
    _close(y[0], KERAS_ODD)


def test_scipy_window_matches_keras():
    pytest.importorskip("scipy")
    y = Spectrogram(mode="magnitude", frame_length=8, frame_step=4, window="blackman")(X)
    _close(y[0], KERAS_BLACKMAN)


def test_layouts_and_output_shapes():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 41, 3)).astype("float32")
    args = dict(mode="log", frame_length=10, frame_step=4, fft_length=16)
    flat = Spectrogram(**args)(x).detach().numpy()  # (2, 8, 27)
    assert flat.shape == (2, 8, 27)
    per_channel = flat.reshape(2, 8, 3, 9)
    first = Spectrogram(**args, data_format="channels_first")(x.transpose(0, 2, 1))
    _close(first, flat.transpose(0, 2, 1))
    image = Spectrogram(**args, expand_dims=True)(x)
    _close(image, per_channel.transpose(0, 1, 3, 2))  # (2, 8, 9, 3)
    image_first = Spectrogram(**args, expand_dims=True, data_format="channels_first")(
        x.transpose(0, 2, 1)
    )
    _close(image_first, per_channel.transpose(0, 2, 1, 3))  # (2, 3, 8, 9)
    # Keras 3.15's shapes.
    cases = [
        (dict(), (2, 41, 3), (2, 8, 27)),
        (dict(padding="same"), (2, 41, 3), (2, 11, 27)),
        (dict(padding="same", frame_step=3), (2, 41, 3), (2, 14, 27)),
        (dict(data_format="channels_first"), (2, 3, 41), (2, 27, 8)),
        (dict(expand_dims=True), (2, 41, 3), (2, 8, 9, 3)),
        (dict(expand_dims=True, data_format="channels_first"), (2, 3, 41), (2, 3, 8, 9)),
        (dict(mode="stft", expand_dims=True), (2, 41, 3), (2, 8, 18, 3)),
        (dict(mode="stft", data_format="channels_first"), (2, 3, 41), (2, 54, 8)),
        (dict(), (None, None, 3), (None, None, 27)),
        (dict(expand_dims=True), (None, None, 3), (None, None, 9, 3)),
    ]
    for extra, in_shape, out_shape in cases:
        layer = Spectrogram(**{**args, **extra})
        assert layer.compute_output_shape(in_shape) == out_shape, extra
        if None not in in_shape:
            assert tuple(layer(np.zeros(in_shape, "float32")).shape) == out_shape, extra


def test_docstring_examples_shapes():
    layer = Spectrogram(frame_length=256, frame_step=128, fft_length=512, trainable=False)
    assert tuple(layer(np.zeros((3, 16000, 1), "float32")).shape) == (3, 124, 257)
    layer = Spectrogram(frame_length=256, frame_step=128, fft_length=512, padding="same")
    assert tuple(layer(np.zeros((1, 16000, 2), "float32")).shape) == (1, 125, 514)


def test_zero_input_floors():
    z = np.zeros((1, 40, 1), "float32")
    args = dict(frame_length=10, frame_step=4, fft_length=16)
    _close(Spectrogram(mode="log", **args)(z)[0, 0], np.full(9, -8.059048))
    _close(Spectrogram(mode="magnitude", **args)(z)[0, 0], np.full(9, np.sqrt(1e-7)))
    _close(Spectrogram(mode="angle", **args)(z)[0, 0], np.zeros(9))


def test_kernels_train_when_trainable():
    x = torch.as_tensor(np.random.default_rng(2).normal(size=(2, 64, 1)).astype("float32"))
    layer = Spectrogram(mode="psd", frame_length=16, frame_step=8)
    layer(x).sum().backward()
    assert all(w.grad is not None and float(w.grad.abs().sum()) > 0 for w in layer.weights)
    model = keras.Sequential(
        [keras.Input((64, 1)), Spectrogram(frame_length=16, trainable=False), keras.layers.Dense(1)]
    )
    model.compile("sgd", "mse")
    before = [w.numpy().copy() for w in model.layers[0].weights]
    model.fit(x.numpy(), np.ones((2, 7, 1), "float32"), epochs=1, verbose=0)
    for old, new in zip(before, model.layers[0].weights):
        np.testing.assert_array_equal(old, new.numpy())


def test_config_round_trip_with_window_array():
    layer = Spectrogram(mode="magnitude", frame_length=4, frame_step=2, window=[1.0, 2.0, 2.0, 1.0])
    config = layer.get_config()
    assert config["window"] == [1.0, 2.0, 2.0, 1.0]
    json.dumps(config)
    again = Spectrogram.from_config(config)
    x = np.random.default_rng(3).normal(size=(1, 20, 1)).astype("float32")
    _close(again(x), layer(x))


def test_errors():
    with pytest.raises(ValueError, match="Output mode is invalid, it must be one of log, "):
        Spectrogram(mode="foo")
    with pytest.raises(ValueError, match="Scaling is invalid"):
        Spectrogram(scaling="foo")
    with pytest.raises(ValueError, match="Padding is invalid, it should be 'valid', 'same'"):
        Spectrogram(padding="SAME")
    with pytest.raises(ValueError, match="`fft_length` should be not less than `frame_length`"):
        Spectrogram(frame_length=10, fft_length=8)
    with pytest.raises(ValueError, match="`frame_step` should be a positive integer not greater"):
        Spectrogram(frame_length=10, frame_step=20)
    with pytest.raises(ValueError, match="`frame_step` should be a positive integer not greater"):
        Spectrogram(frame_length=10, frame_step=0)
    with pytest.raises(ValueError, match="`frame_length` should be a positive integer"):
        Spectrogram(frame_length=0)
    with pytest.raises(ValueError, match="Invalid window name 'foo'"):
        Spectrogram(window="foo")
    with pytest.raises(
        ValueError, match=r"The shape of `window` must be equal to \[frame_length\]"
    ):
        Spectrogram(frame_length=10, window=np.ones(5))(np.zeros((1, 40, 1), "float32"))
    with pytest.raises(ValueError, match="data_format"):
        Spectrogram(data_format="foo")
    with pytest.raises(TypeError, match="Invalid input type. Expected `float16`, `float32`"):
        Spectrogram(frame_length=10)(np.zeros((1, 40, 1), "int32"))
    with pytest.raises(ValueError, match="needs at least frame_length=10 samples"):
        Spectrogram(frame_length=10)(np.zeros((1, 5, 1), "float32"))
    with pytest.raises(ValueError):
        Spectrogram(frame_length=10)(np.zeros((40, 1), "float32"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Spectrogram(frame_length=100)  # the default fft_length is a power of two: no warning
