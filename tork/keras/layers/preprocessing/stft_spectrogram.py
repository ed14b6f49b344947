"""`keras.layers.STFTSpectrogram`: spectrograms from a convolution with STFT kernels."""

from __future__ import annotations

import math
import warnings

import numpy as np
import torch

from tork.keras import initializers
from tork.keras.layers.input_spec import InputSpec
from tork.keras.layers.layer import Layer
from tork.keras.layers.preprocessing._image import standardize_data_format

_MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")
# Floor of the power under the square root of "magnitude" and the log of "log".
_MIN_POWER = 1e-7


class STFTSpectrogram(Layer):
    """Computes spectrograms of 1D signals with a (trainable) short-time Fourier transform.

    The transform is a strided 1D convolution of every input channel with two kernels
    built by `keras.initializers.STFT` (the windowed cosine and sine DFT bases), held
    as the weights `real_kernel` and `imag_kernel` of shape
    `(frame_length, 1, fft_length // 2 + 1)` (only the one needed for `mode="real"` or
    `mode="imag"`). They are trainable unless the layer is
    created with `trainable=False`, so the transform can be fine-tuned in a model.

    Args:
        mode: The output: `"log"` (log magnitude), `"magnitude"`, `"psd"` (power,
            doubled for the bins between DC and the last one), `"real"`, `"imag"`,
            `"angle"` (phase) or `"stft"` (real and imaginary parts concatenated on
            the frequency axis). Defaults to `"log"`.
        frame_length: Samples per frame (the kernel length). Defaults to 256.
        frame_step: Samples between frames; defaults to `frame_length // 2`. Must be
            in `[1, frame_length]`.
        fft_length: FFT size, at least `frame_length`; defaults to the smallest power
            of two not below `frame_length`. Frames are zero-padded to it.
        window: `"hann"` (default), `"hamming"`, another `scipy.signal` window name
            (needs SciPy), an array of `frame_length` values, or None.
        periodic: Whether a named window is periodic rather than symmetric.
            Defaults to False.
        scaling: Window normalisation: `"density"` (L2, default), `"spectrum"` (L1)
            or None.
        padding: `"valid"` (frames inside the signal) or `"same"`
            (`ceil(time / frame_step)` frames, zero padding split as in `Conv1D`).
        expand_dims: Give every channel its own spectrogram axis (an image layout)
            instead of concatenating the channels' frequency bins.
        data_format: `"channels_last"` (inputs `(batch, time, channels)`) or
            `"channels_first"` (`(batch, channels, time)`); defaults to
            `keras.backend.image_data_format()`.

    Input shape:
        `(batch, time, channels)` (`channels_last`) or `(batch, channels, time)`.

    Output shape:
        With `F = fft_length // 2 + 1` bins (`2 * F` for `mode="stft"`):
        `(batch, frames, channels * F)` or `(batch, channels * F, frames)` without
        `expand_dims`; `(batch, frames, F, channels)` or `(batch, channels, frames, F)`
        with it.

    Example:
    >>> layer = keras.layers.STFTSpectrogram(frame_length=256, frame_step=128, fft_length=512)
    >>> layer(np.zeros((3, 16000, 1), "float32")).shape
    torch.Size([3, 124, 257])
    """

    def __init__(
        self,
        mode="log",
        frame_length=256,
        frame_step=None,
        fft_length=None,
        window="hann",
        periodic=False,
        scaling="density",
        padding="valid",
        expand_dims=False,
        data_format=None,
        **kwargs,
    ):
        if frame_length is None or int(frame_length) < 1:
            raise ValueError(
                f"`frame_length` should be a positive integer. Received frame_length={frame_length}"
            )
        step = frame_length // 2 if frame_step is None else frame_step
        if fft_length is None:
            fft = 2 ** math.ceil(math.log2(frame_length))
        else:
            fft = fft_length
        if mode not in _MODES:
            raise ValueError(
                f"Output mode is invalid, it must be one of {', '.join(_MODES)}. "
                f"Received: mode={mode}"
            )
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(
                "Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                f"Received scaling={scaling}"
            )
        if padding not in ("valid", "same"):
            raise ValueError(
                f"Padding is invalid, it should be 'valid', 'same'. Received: padding={padding}"
            )
        if fft < frame_length:
            raise ValueError(
                "`fft_length` should be not less than `frame_length`. "
                f"Received fft_length={fft}, frame_length={frame_length}"
            )
        if not 0 < step <= frame_length:
            raise ValueError(
                "`frame_step` should be a positive integer not greater than `frame_length`. "
                f"Received frame_step={step}, frame_length={frame_length}"
            )
        if fft & (fft - 1):
            warnings.warn(
                f"`fft_length` is recommended to be a power of two. Received fft_length={fft}",
                stacklevel=2,
            )
        # Builds the initializers now so that a bad window name fails at construction, as in
        # Keras (a window array of the wrong length fails when the layer is built).
        self._initializers = {
            side: initializers.STFT(side, window, scaling, periodic) for side in ("real", "imag")
        }
        super().__init__(**kwargs)
        self.mode = mode
        self.frame_length = int(frame_length)
        self.frame_step = frame_step
        self._frame_step = int(step)
        self.fft_length = fft_length
        self._fft_length = int(fft)
        # A list attribute would be tracked as a container of layers: keep arrays instead.
        self.window = np.asarray(window, dtype=np.float64) if isinstance(window, list) else window
        self.periodic = periodic
        self.scaling = scaling
        self.padding = padding
        self.expand_dims = expand_dims
        self.data_format = standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    @property
    def _bins(self) -> int:
        return self._fft_length // 2 + 1

    def build(self, input_shape) -> None:
        shape = (self.frame_length, 1, self._bins)
        # Keras's names and order (and only the kernels the mode needs), so that weight
        # files interchange. The kernels are created trainable: the layer's `trainable`
        # flag (constructor or later) decides, so `layer.trainable = True` unfreezes a
        # layer built with `trainable=False`, as in Keras 3.
        if self.mode != "imag":
            self.real_kernel = self.add_weight(
                name="real_kernel",
                shape=shape,
                initializer=self._initializers["real"],
                trainable=True,
            )
        if self.mode != "real":
            self.imag_kernel = self.add_weight(
                name="imag_kernel",
                shape=shape,
                initializer=self._initializers["imag"],
                trainable=True,
            )
        self.built = True

    def _frames(self, time):
        if time is None:
            return None
        if self.padding == "same":
            return -(-time // self._frame_step)
        return (time - self.frame_length) // self._frame_step + 1

    def call(self, inputs):
        if not inputs.is_floating_point():
            raise TypeError(
                "Invalid input type. Expected `float16`, `float32` or `float64`. "
                f"Received: input type={str(inputs.dtype).replace('torch.', '')}"
            )
        x = inputs if self.data_format == "channels_first" else inputs.transpose(1, 2)
        batch, channels, time = x.shape
        x = x.reshape(batch * channels, 1, time)
        if self.padding == "same":
            # Conv1D's "same": the extra sample of an odd total goes to the end.
            total = max((self._frames(time) - 1) * self._frame_step + self.frame_length - time, 0)
            x = torch.nn.functional.pad(x, (total // 2, total - total // 2))
        elif time < self.frame_length:
            raise ValueError(
                f"STFTSpectrogram with padding='valid' needs at least frame_length="
                f"{self.frame_length} samples, but the input has {time}."
            )
        kernels = [
            getattr(self, name) for name in ("real_kernel", "imag_kernel") if hasattr(self, name)
        ]
        kernel = torch.cat(kernels, dim=-1).to(x.dtype)
        # (frame_length, 1, bins) -> torch's (out_channels, in_channels, width).
        out = torch.nn.functional.conv1d(x, kernel.permute(2, 1, 0), stride=self._frame_step)
        if self.mode in ("real", "imag"):
            spec = out
        else:
            spec = self._apply_mode(out[:, : self._bins], out[:, self._bins :])
        spec = spec.reshape(batch, channels, spec.shape[1], spec.shape[2])  # (B, C, F, T)
        if self.expand_dims:
            if self.data_format == "channels_first":
                return spec.transpose(2, 3)
            return spec.permute(0, 3, 2, 1)
        if self.data_format == "channels_first":
            return spec.reshape(batch, -1, spec.shape[-1])
        return spec.permute(0, 3, 1, 2).reshape(batch, spec.shape[-1], -1)

    def _apply_mode(self, real, imag):
        if self.mode == "stft":
            return torch.cat([real, imag], dim=1)
        if self.mode == "angle":
            return torch.atan2(imag, real)
        power = real * real + imag * imag
        if self.mode == "psd":
            # One-sided density: the bins between DC and the last one stand for two.
            scale = torch.full((power.shape[1], 1), 2.0, dtype=power.dtype, device=power.device)
            scale[0] = 1.0
            scale[-1] = 1.0
            return power * scale
        magnitude = torch.sqrt(torch.clamp(power, min=_MIN_POWER))
        if self.mode == "magnitude":
            return magnitude
        return torch.log(magnitude)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.data_format == "channels_first":
            batch, channels, time = input_shape
        else:
            batch, time, channels = input_shape
        frames = self._frames(time)
        bins = self._bins * (2 if self.mode == "stft" else 1)
        if self.expand_dims:
            if self.data_format == "channels_first":
                return (batch, channels, frames, bins)
            return (batch, frames, bins, channels)
        features = None if channels is None else channels * bins
        if self.data_format == "channels_first":
            return (batch, features, frames)
        return (batch, frames, features)

    def get_config(self) -> dict:
        config = super().get_config()
        window = self.window
        if isinstance(window, torch.Tensor):
            window = window.detach().cpu().tolist()
        elif hasattr(window, "tolist"):
            window = window.tolist()
        config.update(
            {
                "mode": self.mode,
                "frame_length": self.frame_length,
                "frame_step": self.frame_step,
                "fft_length": self.fft_length,
                "window": window,
                "periodic": self.periodic,
                "scaling": self.scaling,
                "padding": self.padding,
                "data_format": self.data_format,
                "expand_dims": self.expand_dims,
            }
        )
        return config
