"""`tf.audio`: 16-bit PCM WAV decoding and encoding (with Python's `wave` module).

Decoded audio is a float32 tensor `(samples, channels)` with the int16 values
scaled by `1 / 32768` into [-1, 1); encoding scales by 32768, rounds and clamps
to the int16 range, so a decode/encode round trip is exact.
"""

from __future__ import annotations

import io as _pyio
import wave
from typing import NamedTuple

import numpy as np
import torch

from tork._backend.dtypes import dtype_name
from tork._backend.errors import InvalidArgumentError, module_getattr
from tork.ops.array import _shape_str, _t
from tork.ops.io import _as_bytes

__all__ = ["decode_wav", "encode_wav"]

__getattr__ = module_getattr("tf.audio")


class DecodeWav(NamedTuple):
    """What `tf.audio.decode_wav` returns: unpack it, or read `.audio`/`.sample_rate`."""

    audio: torch.Tensor
    sample_rate: torch.Tensor


def _read_wav(source, where: str) -> tuple[np.ndarray, int]:
    """(int16 samples of shape (frames, channels), sample rate) of a WAV file or file object."""
    try:
        with wave.open(source, "rb") as reader:
            channels = reader.getnchannels()
            width = reader.getsampwidth()
            rate = reader.getframerate()
            data = reader.readframes(reader.getnframes())
    except (wave.Error, EOFError) as err:
        raise InvalidArgumentError(
            f"{where}: not a readable PCM WAV file ({err}). Only uncompressed 16-bit PCM WAV "
            "files are supported."
        ) from None
    if width != 2:
        raise InvalidArgumentError(
            f"{where}: can only read 16-bit PCM WAV files, got {8 * width}-bit samples. "
            "Convert the file to 16-bit PCM first (e.g. `sox in.wav -b 16 out.wav`)."
        )
    samples = np.frombuffer(data, dtype="<i2")
    samples = samples[: len(samples) - len(samples) % channels]
    return samples.reshape(-1, channels), rate


def _to_float(samples: np.ndarray, desired_channels: int, desired_samples: int) -> torch.Tensor:
    """Float32 (samples, channels) in [-1, 1], with TF's channel and length adjustments."""
    audio = torch.from_numpy(samples.astype(np.float32)) * (1.0 / 32768.0)
    if desired_channels > 0:
        have = audio.shape[1]
        if have > desired_channels:
            audio = audio[:, :desired_channels]
        elif have < desired_channels:
            # TF repeats the last channel (mono -> stereo copies it).
            extra = audio[:, -1:].expand(-1, desired_channels - have)
            audio = torch.cat([audio, extra], dim=1)
    if desired_samples >= 0:
        have = audio.shape[0]
        if have > desired_samples:
            audio = audio[:desired_samples]
        elif have < desired_samples:
            pad = audio.new_zeros(desired_samples - have, audio.shape[1])
            audio = torch.cat([audio, pad], dim=0)
    return audio.contiguous()


def _int_option(value, what: str, op: str) -> int:
    if isinstance(value, torch.Tensor):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"tf.audio.{op}: `{what}` must be an integer, got {value!r}.")
    return int(value)


def decode_wav(
    contents, desired_channels: int = -1, desired_samples: int = -1, name: str | None = None
) -> DecodeWav:
    """Decodes a 16-bit PCM WAV file to a float32 tensor.

    The int16 samples are scaled to [-1.0, 1.0). With `desired_channels`, a
    file with fewer channels repeats its last channel and one with more keeps
    the first ones; with `desired_samples`, the audio is cropped or padded
    with zeros to that many samples.

    Args:
        contents: the WAV file's bytes (e.g. from `tf.io.read_file`), or a
            scalar string tensor.
        desired_channels: number of channels wanted; -1 keeps the file's.
        desired_samples: number of samples wanted; -1 keeps the file's.
        name: unused.

    Returns:
        A pair `(audio, sample_rate)`: audio of shape `(samples, channels)`
        (float32) and the sample rate as a scalar int32 tensor.

    Raises:
        InvalidArgumentError: `contents` is not a 16-bit PCM WAV file.

    Example:
    >>> wav = tf.audio.encode_wav(tf.zeros([16000, 1]), 16000)
    >>> audio, rate = tf.audio.decode_wav(wav, desired_channels=1, desired_samples=8000)
    >>> tuple(audio.shape), int(rate)
    ((8000, 1), 16000)
    """
    del name
    data = _as_bytes(contents, "contents", "decode_wav")
    channels = _int_option(desired_channels, "desired_channels", "decode_wav")
    length = _int_option(desired_samples, "desired_samples", "decode_wav")
    if channels == 0:
        raise ValueError(
            "tf.audio.decode_wav: desired_channels must be positive or -1 (keep the file's), got 0."
        )
    samples, rate = _read_wav(_pyio.BytesIO(data), "tf.audio.decode_wav")
    audio = _to_float(samples, channels, length)
    return DecodeWav(audio, torch.tensor(rate, dtype=torch.int32))


def encode_wav(audio, sample_rate, name: str | None = None) -> bytes:
    """Encodes float audio as a 16-bit PCM WAV file.

    Values are clamped to [-1.0, 1.0], multiplied by 32768, rounded and clamped
    to the int16 range, so `decode_wav(encode_wav(x))` gives back any audio that
    `decode_wav` produced.

    Args:
        audio: a float tensor of shape `(samples, channels)`.
        sample_rate: samples per second (int or scalar integer tensor).
        name: unused.

    Returns:
        The WAV file as `bytes` (write it with `tf.io.write_file`).

    Example:
    >>> wav = tf.audio.encode_wav(tf.zeros([4, 2]), 8000)
    >>> wav[:4], len(wav)
    (b'RIFF', 60)
    """
    del name
    x = _t(audio)
    if not x.is_floating_point():
        raise TypeError(
            f"tf.audio.encode_wav: audio must be a float tensor with values in [-1, 1], got "
            f"{dtype_name(x.dtype)}."
        )
    if x.dim() != 2:
        raise ValueError(
            "tf.audio.encode_wav: audio must be 2-D (samples, channels), got shape "
            f"{_shape_str(x.shape)}. For mono audio of shape (samples,), use "
            "tf.expand_dims(audio, -1)."
        )
    rate = _int_option(sample_rate, "sample_rate", "encode_wav")
    if rate <= 0:
        raise ValueError(f"tf.audio.encode_wav: sample_rate must be positive, got {rate}.")
    if x.shape[1] == 0:
        raise ValueError("tf.audio.encode_wav: audio must have at least one channel.")
    scaled = x.detach().to("cpu", torch.float32).clamp(-1.0, 1.0) * 32768.0
    # Round half away from zero (C's roundf), then keep inside int16.
    pcm = torch.trunc(scaled + torch.copysign(torch.tensor(0.5), scaled))
    pcm = pcm.clamp(-32768, 32767).to(torch.int16).numpy().astype("<i2")
    buffer = _pyio.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(x.shape[1])
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(pcm.tobytes())
    return buffer.getvalue()
