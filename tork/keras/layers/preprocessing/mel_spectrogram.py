"""`keras.layers.MelSpectrogram`: mel-scaled power spectrograms of audio signals."""

from __future__ import annotations

import math

import numpy as np
import torch

from tork.keras.layers.layer import Layer


class MelSpectrogram(Layer):
    """Converts audio signals to mel spectrograms (in decibels by default).

    The signal is reflect-padded by `fft_length // 2` on both sides and cut into
    frames every `sequence_stride` samples (`keras.ops.stft` with `center=True`); the
    magnitudes of the frames' FFT bins are raised to `mag_exp` and mapped onto
    `num_mel_bins` triangular mel bands between `min_freq` and `max_freq` (the HTK
    mel scale of `tf.signal.linear_to_mel_weight_matrix`). With `power_to_db` the result
    is `10 * log10(max(S, min_power) / max(ref_power, min_power))`, floored at
    `top_db` decibels under its maximum (the maximum over the whole input, batch
    included). The layer has no weights.

    Args:
        fft_length: FFT size (and frame length before windowing). Defaults to 2048.
        sequence_stride: Samples between successive frames. Defaults to 512.
        sequence_length: Window length, at most `fft_length` (the window is centred
            in the frame); defaults to `fft_length`.
        window: `"hann"` (default), `"hamming"`, an array of `sequence_length`
            values, or None for no window.
        sampling_rate: Sample rate of the signal in Hz. Defaults to 16000.
        num_mel_bins: Number of mel bands. Defaults to 128.
        min_freq: Lowest band edge in Hz. Defaults to 20.
        max_freq: Highest band edge in Hz; defaults to `sampling_rate / 2`.
        power_to_db: Whether to convert to decibels. Defaults to True.
        top_db: Dynamic range kept below the maximum, in dB (None: no floor).
            Defaults to 80.
        mag_exp: Exponent of the magnitudes (1: magnitude, 2: power). Defaults to 2.
        min_power: Floor of the power and of `ref_power` before the logarithm.
            Defaults to 1e-10.
        ref_power: Reference power of 0 dB. Defaults to 1.

    Input shape:
        `(..., samples)`: one signal or a batch of them.

    Output shape:
        `(..., num_mel_bins, 1 + samples // sequence_stride)`.

    Example:
    >>> layer = keras.layers.MelSpectrogram(
    ...     num_mel_bins=64, sampling_rate=8000, sequence_stride=256, fft_length=2048)
    >>> layer(np.random.uniform(size=(16000,)).astype("float32")).shape
    torch.Size([64, 63])
    """

    def __init__(
        self,
        fft_length=2048,
        sequence_stride=512,
        sequence_length=None,
        window="hann",
        sampling_rate=16000,
        num_mel_bins=128,
        min_freq=20.0,
        max_freq=None,
        power_to_db=True,
        top_db=80.0,
        mag_exp=2.0,
        min_power=1e-10,
        ref_power=1.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.sequence_length > fft_length:
            raise ValueError(
                "`fft_length` must be greater than or equal to `sequence_length`. Received: "
                f"`sequence_length`={self.sequence_length}, `fft_length`={fft_length}."
            )
        # A list attribute would be tracked as a container of layers: keep arrays instead.
        self.window = np.asarray(window, dtype=np.float64) if isinstance(window, list) else window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        # Keras stores the default as an int (its config shows 8000 for 16 kHz).
        self.max_freq = int(sampling_rate / 2) if max_freq is None else max_freq
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power

    def call(self, inputs):
        from tork.keras.ops.math import stft
        from tork.ops.signal import linear_to_mel_weight_matrix

        x = inputs
        if not x.is_floating_point():
            x = x.to(self._tork_compute_dtype)
        out_dtype = x.dtype
        if x.element_size() < 4:
            # Half-precision inputs (mixed precision) are transformed in float32, as the FFT
            # and the decibel floor need its range; the result comes back in the input dtype.
            x = x.float()
        window = self.window
        if isinstance(window, np.ndarray):
            window = torch.as_tensor(window, dtype=x.dtype, device=x.device)
        real, imag = stft(
            x, self.sequence_length, self.sequence_stride, self.fft_length, window, center=True
        )
        power = torch.sqrt(real * real + imag * imag) ** self.mag_exp  # (..., frames, bins)
        weights = linear_to_mel_weight_matrix(
            self.num_mel_bins,
            self.fft_length // 2 + 1,
            self.sampling_rate,
            self.min_freq,
            self.max_freq,
            dtype=x.dtype,
        ).to(x.device)
        mel = torch.matmul(power, weights).transpose(-1, -2)  # (..., mel bins, frames)
        if self.power_to_db:
            mel = self._to_db(mel)
        return mel.to(out_dtype)

    def _to_db(self, mel):
        db = 10.0 * torch.log10(torch.clamp(mel, min=self.min_power))
        db = db - 10.0 * math.log10(max(self.ref_power, self.min_power))
        if self.top_db is not None:
            # One floor for the whole input (batch included), as Keras computes it.
            db = torch.maximum(db, db.max() - self.top_db)
        return db

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        samples = input_shape[-1]
        frames = None if samples is None else 1 + samples // self.sequence_stride
        return (*input_shape[:-1], self.num_mel_bins, frames)

    def get_config(self) -> dict:
        config = super().get_config()
        window = self.window
        if isinstance(window, torch.Tensor):
            window = window.detach().cpu().tolist()
        elif isinstance(window, np.ndarray):
            window = window.tolist()
        config.update(
            {
                "fft_length": self.fft_length,
                "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length,
                "window": window,
                "sampling_rate": self.sampling_rate,
                "num_mel_bins": self.num_mel_bins,
                "min_freq": self.min_freq,
                "max_freq": self.max_freq,
                "power_to_db": self.power_to_db,
                "top_db": self.top_db,
                "mag_exp": self.mag_exp,
                "min_power": self.min_power,
                "ref_power": self.ref_power,
            }
        )
        return config
