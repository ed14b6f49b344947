"""`tf.signal`: framing, windows, FFTs, short-time Fourier transforms and mel features.

Everything follows TensorFlow's definitions, which are not always the ones of
`torch.stft` or librosa: frames start at sample 0 (no centering), windows are
periodic by default, a frame shorter than `fft_length` is zero-padded at its
end, and `inverse_stft` does not renormalise (pair it with
`inverse_stft_window_fn` for a perfect reconstruction). Transforms run on the
innermost axis with `torch.fft`; framing is a strided view (`Tensor.unfold`)
and overlap-add is `torch.nn.functional.fold`, so nothing loops in Python.
"""

from __future__ import annotations

import math as _math
import numbers
from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import module_getattr, not_implemented
from tork._backend.tracing import real_constant_cache
from tork.ops.array import _shape_str, _t

__all__ = [
    "frame",
    "overlap_and_add",
    "hann_window",
    "hamming_window",
    "kaiser_window",
    "kaiser_bessel_derived_window",
    "vorbis_window",
    "stft",
    "inverse_stft",
    "inverse_stft_window_fn",
    "fft",
    "ifft",
    "fft2d",
    "ifft2d",
    "fft3d",
    "ifft3d",
    "rfft",
    "irfft",
    "rfft2d",
    "irfft2d",
    "rfft3d",
    "irfft3d",
    "fftshift",
    "ifftshift",
    "dct",
    "idct",
    "linear_to_mel_weight_matrix",
    "mfccs_from_log_mel_spectrograms",
]

__getattr__ = module_getattr("tf.signal")

_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


# ---------------------------------------------------------------- helpers


def _int_arg(value, what: str, op: str, minimum: int = 1) -> int:
    """A Python int from an int, NumPy integer or scalar integer tensor, at least `minimum`."""
    if isinstance(value, torch.Tensor):
        if value.numel() != 1 or value.is_floating_point() or value.is_complex():
            raise TypeError(
                f"tf.signal.{op}: `{what}` must be an integer, got a {dtype_name(value.dtype)} "
                f"tensor of shape {_shape_str(value.shape)}."
            )
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"tf.signal.{op}: `{what}` must be an integer, got {value!r}.")
    value = int(value)
    if value < minimum:
        raise ValueError(f"tf.signal.{op}: `{what}` must be >= {minimum}, got {value}.")
    return value


def _real_signal(signals, op: str) -> torch.Tensor:
    x = _t(signals)
    if not x.is_floating_point():
        raise TypeError(
            f"tf.signal.{op}: `signals` must be a float tensor (float16/32/64), got "
            f"{dtype_name(x.dtype)}. Cast it first, e.g. tf.cast(signals, tf.float32)."
        )
    return x


def _float_dtype(dtype, op: str) -> torch.dtype:
    dtype = as_dtype(dtype)
    if not dtype.is_floating_point:
        raise ValueError(
            f"tf.signal.{op}: dtype must be a floating point type, got {dtype_name(dtype)}."
        )
    return dtype


def _enclosing_power_of_two(n: int) -> int:
    return 1 << max(0, (n - 1).bit_length())


def _fft_lengths(fft_length, rank: int, op: str) -> list[int] | None:
    """TF passes FFT lengths as a length-`rank` tensor; an int is accepted for rank 1."""
    if fft_length is None:
        return None
    if isinstance(fft_length, torch.Tensor):
        fft_length = fft_length.reshape(-1).tolist()
    elif isinstance(fft_length, np.ndarray):
        fft_length = fft_length.reshape(-1).tolist()
    elif isinstance(fft_length, numbers.Integral):
        fft_length = [fft_length]
    lengths = [_int_arg(n, "fft_length", op) for n in fft_length]
    if len(lengths) != rank:
        raise ValueError(
            f"tf.signal.{op}: fft_length must hold {rank} length(s) (one per transformed "
            f"axis), got {list(lengths)}."
        )
    return lengths


def _check_rank(x: torch.Tensor, rank: int, what: str, op: str) -> None:
    if x.dim() < rank:
        raise ValueError(
            f"tf.signal.{op}: `{what}` must have rank >= {rank}, got shape {_shape_str(x.shape)}."
        )


# ---------------------------------------------------------------- framing


def frame(
    signal,
    frame_length: int,
    frame_step: int,
    pad_end: bool = False,
    pad_value=0,
    axis: int = -1,
    name: str | None = None,
) -> torch.Tensor:
    """Splits `signal`'s `axis` into (possibly overlapping) frames.

    Frame `i` holds samples `i * frame_step ... i * frame_step + frame_length - 1`.
    Without `pad_end`, samples after the last whole frame are dropped; with it,
    the signal is padded with `pad_value` so that `ceil(samples / frame_step)`
    frames fit.

    Args:
        signal: a tensor of shape `[..., samples, ...]`.
        frame_length: samples per frame.
        frame_step: samples between the starts of consecutive frames.
        pad_end: pad the end of the signal so that every sample is in a frame.
        pad_value: value used for padding.
        axis: the axis to frame.
        name: unused.

    Returns:
        A tensor of shape `signal.shape[:axis] + [frames, frame_length] +
        signal.shape[axis + 1:]`.

    Example:
    >>> tf.signal.frame(tf.range(5), 3, 2).tolist()
    [[0, 1, 2], [2, 3, 4]]
    """
    del name
    x = _t(signal)
    length = _int_arg(frame_length, "frame_length", "frame")
    step = _int_arg(frame_step, "frame_step", "frame")
    if x.dim() == 0:
        raise ValueError("tf.signal.frame: `signal` must have rank >= 1, got a scalar.")
    if not -x.dim() <= axis < x.dim():
        raise ValueError(
            f"tf.signal.frame: axis {axis} is out of range for a signal of shape "
            f"{_shape_str(x.shape)}."
        )
    axis = axis % x.dim()
    samples = x.shape[axis]
    num_frames = -(-samples // step) if pad_end else max(0, 1 + (samples - length) // step)
    if num_frames == 0:
        shape = list(x.shape)
        shape[axis : axis + 1] = [0, length]
        return x.new_full(shape, pad_value)
    missing = (num_frames - 1) * step + length - samples if pad_end else 0
    if missing > 0:
        pad_shape = list(x.shape)
        pad_shape[axis] = missing
        x = torch.cat([x, x.new_full(pad_shape, pad_value)], dim=axis)
    # unfold appends the window axis last; TF puts it right after the frames axis.
    frames = x.unfold(axis, length, step)
    return frames.movedim(-1, axis + 1) if axis != x.dim() - 1 else frames


def overlap_and_add(signal, frame_step: int, name: str | None = None) -> torch.Tensor:
    """Adds overlapping frames back into one signal (the inverse layout of `frame`).

    Args:
        signal: a tensor of shape `[..., frames, frame_length]`.
        frame_step: samples between the starts of consecutive frames.
        name: unused.

    Returns:
        A tensor of shape `[..., (frames - 1) * frame_step + frame_length]`.

    Example:
    >>> tf.signal.overlap_and_add(tf.ones([3, 4]), 2).tolist()
    [1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0]
    """
    del name
    x = _t(signal)
    step = _int_arg(frame_step, "frame_step", "overlap_and_add")
    _check_rank(x, 2, "signal", "overlap_and_add")
    frames, length = x.shape[-2], x.shape[-1]
    if step > length:
        # Frames further apart than they are long leave zero gaps (TF allows this).
        padded = F.pad(x, (0, step - length))
        out = overlap_and_add(padded, step)
        return out[..., : max(0, (frames - 1) * step + length)]
    batch = x.shape[:-2]
    out_len = max(0, (frames - 1) * step + length) if frames else 0
    if frames == 0:
        return x.new_zeros((*batch, out_len))
    if x.is_complex():
        real = overlap_and_add(x.real, step)
        return torch.complex(real, overlap_and_add(x.imag, step))
    if not x.is_floating_point():
        return overlap_and_add(x.double(), step).round().to(x.dtype)
    flat = x.reshape(-1, frames, length).transpose(1, 2)  # (B, frame_length, frames)
    out = F.fold(flat, output_size=(1, out_len), kernel_size=(1, length), stride=(1, step))
    return out.reshape(*batch, out_len)


# ---------------------------------------------------------------- windows


def hann_window(
    window_length: int, periodic: bool = True, dtype=torch.float32, name: str | None = None
) -> torch.Tensor:
    """Generates a Hann window: `0.5 - 0.5 * cos(2 pi n / N)`.

    `N` is `window_length` when `periodic` (the default, right for spectral
    analysis) and `window_length - 1` otherwise (a symmetric window). As in
    TensorFlow, an odd `window_length` always gives the symmetric window.

    Args:
        window_length: number of samples.
        periodic: periodic (True) or symmetric (False) window.
        dtype: a floating point dtype.
        name: unused.

    Returns:
        A 1-D tensor of shape `[window_length]`.

    Example:
    >>> tf.signal.hann_window(4).tolist()
    [0.0, 0.5, 1.0, 0.5]
    """
    del name
    n = _int_arg(window_length, "window_length", "hann_window", minimum=0)
    dtype = _float_dtype(dtype, "hann_window")
    return _raised_cosine_window(n, bool(periodic), 0.5, 0.5, dtype)


def hamming_window(
    window_length: int, periodic: bool = True, dtype=torch.float32, name: str | None = None
) -> torch.Tensor:
    """Generates a Hamming window: `0.54 - 0.46 * cos(2 pi n / N)`.

    Args:
        window_length: number of samples.
        periodic: periodic (True, `N = window_length`) or symmetric (False,
            `N = window_length - 1`) window. As in TensorFlow, an odd
            `window_length` always gives the symmetric window.
        dtype: a floating point dtype.
        name: unused.

    Returns:
        A 1-D tensor of shape `[window_length]`.

    Example:
    >>> [round(v, 2) for v in tf.signal.hamming_window(4).tolist()]
    [0.08, 0.54, 1.0, 0.54]
    """
    del name
    n = _int_arg(window_length, "window_length", "hamming_window", minimum=0)
    dtype = _float_dtype(dtype, "hamming_window")
    return _raised_cosine_window(n, bool(periodic), 0.54, 0.46, dtype)


def _raised_cosine_window(n: int, periodic: bool, a: float, b: float, dtype) -> torch.Tensor:
    """`a - b cos(2 pi k / N)` with TF's `N`: periodic windows exist only for even lengths.

    TF uses `N = n` only when `periodic` and `n` is even; an odd-length
    "periodic" window is the symmetric one (`N = n - 1`), as in TF.
    """
    if n == 1:
        return torch.ones(1, dtype=dtype)
    denom = n - 1 + (1 if periodic and n % 2 == 0 else 0)
    arg = torch.tensor(2 * _math.pi, dtype=dtype) * torch.arange(n, dtype=dtype) / denom
    return a - b * torch.cos(arg)


def kaiser_window(
    window_length: int, beta: float = 12.0, dtype=torch.float32, name: str | None = None
) -> torch.Tensor:
    """Generates a (symmetric) Kaiser window.

    Args:
        window_length: number of samples.
        beta: shape parameter; larger values give a narrower window.
        dtype: a floating point dtype.
        name: unused.

    Returns:
        A 1-D tensor of shape `[window_length]`.

    Example:
    >>> tf.signal.kaiser_window(3, beta=0.0).tolist()
    [1.0, 1.0, 1.0]
    """
    del name
    n = _int_arg(window_length, "window_length", "kaiser_window", minimum=0)
    dtype = _float_dtype(dtype, "kaiser_window")
    return torch.kaiser_window(n, periodic=False, beta=float(beta), dtype=dtype)


def kaiser_bessel_derived_window(
    window_length: int, beta: float = 12.0, dtype=torch.float32, name: str | None = None
) -> torch.Tensor:
    """Generates a Kaiser-Bessel derived window (power complementary, for MDCTs).

    The first half is `sqrt(cumsum(v)[n] / sum(v))` for a Kaiser window `v` of
    `window_length // 2 + 1` samples, the second half its mirror image; an odd
    `window_length` gives `window_length - 1` samples, as in TensorFlow.

    Args:
        window_length: number of samples.
        beta: the Kaiser shape parameter.
        dtype: a floating point dtype.
        name: unused.

    Returns:
        A 1-D tensor of shape `[2 * (window_length // 2)]`.

    Example:
    >>> w = tf.signal.kaiser_bessel_derived_window(4, beta=0.0)
    >>> [round(v, 4) for v in w.tolist()]
    [0.5774, 0.8165, 0.8165, 0.5774]
    """
    del name
    n = _int_arg(window_length, "window_length", "kaiser_bessel_derived_window", minimum=0)
    dtype = _float_dtype(dtype, "kaiser_bessel_derived_window")
    half = n // 2
    kaiser = torch.kaiser_window(half + 1, periodic=False, beta=float(beta), dtype=dtype)
    csum = torch.cumsum(kaiser, 0)
    rising = torch.sqrt(csum[:-1] / csum[-1])
    return torch.cat([rising, rising.flip(0)])


def vorbis_window(window_length: int, dtype=torch.float32, name: str | None = None):
    """Generates a Vorbis power-complementary window: `sin(pi/2 sin^2(pi (n + 0.5) / N))`.

    Args:
        window_length: number of samples.
        dtype: a floating point dtype.
        name: unused.

    Returns:
        A 1-D tensor of shape `[window_length]`.

    Example:
    >>> tf.signal.vorbis_window(2).shape
    torch.Size([2])
    """
    del name
    n = _int_arg(window_length, "window_length", "vorbis_window", minimum=0)
    dtype = _float_dtype(dtype, "vorbis_window")
    arg = torch.pi * (torch.arange(n, dtype=torch.float64) + 0.5) / max(n, 1)
    return torch.sin(torch.pi / 2 * torch.sin(arg) ** 2).to(dtype)


# ---------------------------------------------------------------- STFT


def stft(
    signals,
    frame_length: int,
    frame_step: int,
    fft_length: int | None = None,
    window_fn: Callable | None = hann_window,
    pad_end: bool = False,
    name: str | None = None,
) -> torch.Tensor:
    """Computes the short-time Fourier transform of `signals`.

    Frames start at sample 0 (no centering), each is multiplied by
    `window_fn(frame_length, dtype=signals.dtype)` and transformed by an
    `fft_length`-point real FFT (zero-padded at the end when `fft_length` is
    larger than `frame_length`).

    Args:
        signals: a float tensor of shape `[..., samples]`.
        frame_length: samples per frame.
        frame_step: samples between the starts of consecutive frames.
        fft_length: FFT size; default the smallest power of 2 >= `frame_length`.
        window_fn: a callable `(length, dtype=...)` returning the window, or None
            for no windowing.
        pad_end: zero-pad the end of the signal so that every sample is in a frame.
        name: unused.

    Returns:
        A complex tensor (complex64 for float32 signals) of shape
        `[..., frames, fft_length // 2 + 1]`.

    Example:
    >>> waveform = tf.random.normal([16000])
    >>> tf.signal.stft(waveform, frame_length=255, frame_step=128).shape
    torch.Size([124, 129])
    """
    del name
    x = _real_signal(signals, "stft")
    length = _int_arg(frame_length, "frame_length", "stft")
    step = _int_arg(frame_step, "frame_step", "stft")
    if fft_length is None:
        n_fft = _enclosing_power_of_two(length)
    else:
        (n_fft,) = _fft_lengths(fft_length, 1, "stft")
    _check_rank(x, 1, "signals", "stft")
    frames = frame(x, length, step, pad_end=pad_end)
    if window_fn is not None:
        window = window_fn(length, dtype=x.dtype)
        frames = frames * window.to(device=x.device)
    return _transform(torch.fft.rfft, frames, 1, n=n_fft)


def inverse_stft(
    stfts,
    frame_length: int,
    frame_step: int,
    fft_length: int | None = None,
    window_fn: Callable | None = hann_window,
    name: str | None = None,
) -> torch.Tensor:
    """Computes the inverse short-time Fourier transform of `stfts`.

    Each frame is inverted with an `fft_length`-point inverse real FFT, cut (or
    zero-padded) to `frame_length`, multiplied by `window_fn(frame_length)` and
    overlap-added. No normalisation is applied: to undo `stft` exactly, pass
    `window_fn=tf.signal.inverse_stft_window_fn(frame_step)`.

    Args:
        stfts: a complex tensor of shape `[..., frames, fft_length // 2 + 1]`.
        frame_length: samples per frame.
        frame_step: samples between the starts of consecutive frames.
        fft_length: FFT size; default the smallest power of 2 >= `frame_length`.
        window_fn: a callable `(length, dtype=...)` returning the window, or None.
        name: unused.

    Returns:
        A float tensor of shape `[..., (frames - 1) * frame_step + frame_length]`.

    Example:
    >>> x = tf.random.normal([1000])
    >>> s = tf.signal.stft(x, 256, 64)
    >>> y = tf.signal.inverse_stft(
    ...     s, 256, 64, window_fn=tf.signal.inverse_stft_window_fn(64))
    >>> bool(abs(y[256:700] - x[256:700]).max() < 1e-4)
    True
    """
    del name
    s = _t(stfts)
    if not s.is_complex():
        raise TypeError(
            f"tf.signal.inverse_stft: `stfts` must be a complex tensor (the output of "
            f"tf.signal.stft), got {dtype_name(s.dtype)}."
        )
    length = _int_arg(frame_length, "frame_length", "inverse_stft")
    step = _int_arg(frame_step, "frame_step", "inverse_stft")
    if fft_length is None:
        n_fft = _enclosing_power_of_two(length)
    else:
        (n_fft,) = _fft_lengths(fft_length, 1, "inverse_stft")
    _check_rank(s, 2, "stfts", "inverse_stft")
    real_frames = _transform(torch.fft.irfft, s, 1, n=n_fft)[..., :length]
    if n_fft < length:
        real_frames = F.pad(real_frames, (0, length - n_fft))
    if window_fn is not None:
        window = window_fn(length, dtype=real_frames.dtype)
        real_frames = real_frames * window.to(device=real_frames.device)
    return overlap_and_add(real_frames, step)


def inverse_stft_window_fn(
    frame_step: int, forward_window_fn: Callable = hann_window, name: str | None = None
) -> Callable:
    """Returns the window for `inverse_stft` that undoes `stft` with `forward_window_fn`.

    The forward window is divided by the sum of the squared forward windows
    that overlap each sample, so overlap-adding windowed frames twice gives the
    signal back (away from its first and last `frame_length` samples).

    Args:
        frame_step: the `frame_step` used by `stft`.
        forward_window_fn: the window function used by `stft`.
        name: unused.

    Returns:
        A callable `(frame_length, dtype=tf.float32)` returning the window.

    Example:
    >>> fn = tf.signal.inverse_stft_window_fn(2)
    >>> fn(4).tolist()
    [0.0, 1.0, 1.0, 1.0]
    """
    del name
    step = _int_arg(frame_step, "frame_step", "inverse_stft_window_fn")

    def window_fn(frame_length: int, dtype=torch.float32) -> torch.Tensor:
        forward = forward_window_fn(frame_length, dtype=dtype)
        overlaps = -(-frame_length // step)
        squares = F.pad(forward.square(), (0, overlaps * step - frame_length))
        denom = squares.reshape(overlaps, step).sum(0).repeat(overlaps)[:frame_length]
        # Where the overlapped squared windows sum to 0 the forward window is 0 too: TF
        # gives 0 there (e.g. a Hann window with frame_step == frame_length), not 0/0.
        safe = torch.where(denom == 0, torch.ones_like(denom), denom)
        return torch.where(denom == 0, torch.zeros_like(forward), forward / safe)

    return window_fn


# ---------------------------------------------------------------- FFTs


def _complex_input(x, op: str) -> torch.Tensor:
    x = _t(x)
    if not x.is_complex():
        raise TypeError(
            f"tf.signal.{op}: input must be complex64 or complex128, got {dtype_name(x.dtype)}. "
            "Cast it first, e.g. tf.cast(x, tf.complex64), or use tf.signal.rfft for real input."
        )
    return x


def _hinted_input(value, hint: torch.dtype) -> torch.Tensor:
    """Converts a non-tensor FFT input the way TF does, with a dtype hint.

    TF converts NumPy arrays and lists with `preferred_dtype` (float32 for
    `rfft*`, complex64 for `irfft*` and `fft*`), which casts them: a float64
    or int NumPy array given to `rfft` gives complex64, not complex128.
    Tensors keep their dtype. Complex data is not cast to a real `hint` (TF
    would drop the imaginary part): the caller rejects it with its own error.
    """
    if isinstance(value, torch.Tensor):
        return value
    x = _t(value)
    if x.is_complex() and not hint.is_complex:
        return x
    if x.dtype == torch.bool:
        return x  # TF does not cast booleans either; the caller rejects them
    return x.to(hint)


def _transform(torch_fn, x: torch.Tensor, rank: int, **kwargs) -> torch.Tensor:
    """`torch_fn(x, **kwargs)` over the inner `rank` axes, also for an empty batch.

    torch's CPU FFTs refuse a tensor with no elements (an MKL error), while TF returns an
    empty result: an STFT of a signal shorter than one frame has no frames (a vocoder's
    multi-resolution STFT loss on a short clip). The output's inner sizes come from a
    transform of one batch item of zeros; the empty result stays connected to `x`, so a
    gradient is zeros rather than None.
    """
    batch = tuple(x.shape[: x.dim() - rank])
    if x.numel() or 0 not in batch:
        return torch_fn(x, **kwargs)
    probe = torch_fn(x.new_zeros((1,) * len(batch) + tuple(x.shape[len(batch) :])), **kwargs)
    empty = probe.new_zeros(batch + tuple(probe.shape[len(batch) :]))
    if x.requires_grad:
        empty = empty + x.sum().to(empty.dtype)
    return empty


def _make_fft(torch_fn, rank: int, op: str, doc: str):
    dims = tuple(range(-rank, 0))

    def fn(input, name: str | None = None) -> torch.Tensor:
        del name
        x = _complex_input(_hinted_input(input, torch.complex64), op)
        _check_rank(x, rank, "input", op)
        return _transform(torch_fn, x, rank, dim=dims)

    fn.__name__ = fn.__qualname__ = op
    fn.__doc__ = doc
    return fn


def _make_rfft(torch_fn, rank: int, op: str, inverse: bool, doc: str):
    dims = tuple(range(-rank, 0))

    def fn(input_tensor, fft_length=None, name: str | None = None) -> torch.Tensor:
        del name
        x = _hinted_input(input_tensor, torch.complex64 if inverse else torch.float32)
        if inverse:
            x = _complex_input(x, op)
        elif not x.is_floating_point():
            raise TypeError(
                f"tf.signal.{op}: input must be float32 or float64, got {dtype_name(x.dtype)}. "
                "Cast it first, e.g. tf.cast(x, tf.float32)."
            )
        _check_rank(x, rank, "input_tensor", op)
        return _transform(torch_fn, x, rank, s=_fft_lengths(fft_length, rank, op), dim=dims)

    fn.__name__ = fn.__qualname__ = op
    fn.__doc__ = doc
    return fn


def _fft_doc(kind: str, rank: int) -> str:
    return f"""Computes the {kind} over the inner-most {rank} dimension(s) of a complex tensor.

    Args:
        input: a complex64 or complex128 tensor of rank >= {rank} (NumPy arrays and
            lists are converted to complex64, as in TF).
        name: unused.

    Returns:
        A tensor of the same shape and dtype.

    Example:
    >>> tf.signal.fft(tf.constant([1 + 0j, 0j])).tolist()
    [(1+0j), (1+0j)]
    """


def _rfft_doc(kind: str, rank: int, inverse: bool) -> str:
    if inverse:
        what = (
            "a complex tensor holding the non-negative-frequency half of a spectrum\n"
            "            (NumPy arrays and lists are converted to complex64, as in TF)"
        )
        default = "`2 * (inner - 1)` for the last axis, the input size for the others"
        result = "A float tensor (float32 for complex64 input)."
        example = (
            ">>> tf.signal.irfft(tf.constant([4 + 0j, 0j, 0j])).tolist()\n    [1.0, 1.0, 1.0, 1.0]"
        )
    else:
        what = (
            "a float32 or float64 tensor (NumPy arrays and lists are converted to\n"
            "            float32, as in TF)"
        )
        default = "the input's inner dimension size(s)"
        result = "A complex tensor whose last axis holds the `fft_length // 2 + 1` non-negative\n        frequencies."
        example = ">>> tf.signal.rfft([1.0, 1.0, 1.0, 1.0]).tolist()\n    [(4+0j), 0j, 0j]"
    return f"""Computes the {kind} over the inner-most {rank} dimension(s).

    Args:
        input_tensor: {what}, of rank >= {rank}.
        fft_length: {rank} FFT length(s) (list, int or tensor); the input is cropped
            or zero-padded to them. Default: {default}.
        name: unused.

    Returns:
        {result}

    Example:
    {example}
    """


fft = _make_fft(torch.fft.fftn, 1, "fft", _fft_doc("1-D DFT", 1))
ifft = _make_fft(torch.fft.ifftn, 1, "ifft", _fft_doc("1-D inverse DFT", 1))
fft2d = _make_fft(torch.fft.fftn, 2, "fft2d", _fft_doc("2-D DFT", 2))
ifft2d = _make_fft(torch.fft.ifftn, 2, "ifft2d", _fft_doc("2-D inverse DFT", 2))
fft3d = _make_fft(torch.fft.fftn, 3, "fft3d", _fft_doc("3-D DFT", 3))
ifft3d = _make_fft(torch.fft.ifftn, 3, "ifft3d", _fft_doc("3-D inverse DFT", 3))
rfft = _make_rfft(torch.fft.rfftn, 1, "rfft", False, _rfft_doc("1-D real DFT", 1, False))
irfft = _make_rfft(torch.fft.irfftn, 1, "irfft", True, _rfft_doc("1-D inverse real DFT", 1, True))
rfft2d = _make_rfft(torch.fft.rfftn, 2, "rfft2d", False, _rfft_doc("2-D real DFT", 2, False))
irfft2d = _make_rfft(
    torch.fft.irfftn, 2, "irfft2d", True, _rfft_doc("2-D inverse real DFT", 2, True)
)
rfft3d = _make_rfft(torch.fft.rfftn, 3, "rfft3d", False, _rfft_doc("3-D real DFT", 3, False))
irfft3d = _make_rfft(
    torch.fft.irfftn, 3, "irfft3d", True, _rfft_doc("3-D inverse real DFT", 3, True)
)


def _shift(fn, x, axes) -> torch.Tensor:
    """`fn` (torch's fftshift/ifftshift) over TF's `axes`: None (all), an int, a list,
    a NumPy array or a tensor; no axes (`[]`, or a 0-d input) returns `x` unchanged."""
    x = _t(x)
    if axes is not None:
        if isinstance(axes, torch.Tensor):
            axes = axes.detach().cpu().numpy()
        axes = tuple(int(a) for a in np.asarray(axes).reshape(-1))
    if axes == () or x.dim() == 0:
        return x.clone()
    return fn(x, dim=axes)


def fftshift(x, axes=None, name: str | None = None) -> torch.Tensor:
    """Moves the zero-frequency component to the centre of the spectrum.

    Args:
        x: a tensor.
        axes: the axes to shift (int or list); default all axes.
        name: unused.

    Returns:
        The shifted tensor.

    Example:
    >>> tf.signal.fftshift(tf.constant([0, 1, 2, -2, -1])).tolist()
    [-2, -1, 0, 1, 2]
    """
    del name
    return _shift(torch.fft.fftshift, x, axes)


def ifftshift(x, axes=None, name: str | None = None) -> torch.Tensor:
    """The inverse of `fftshift`.

    Args:
        x: a tensor.
        axes: the axes to shift (int or list); default all axes.
        name: unused.

    Returns:
        The shifted tensor.

    Example:
    >>> tf.signal.ifftshift(tf.constant([-2, -1, 0, 1, 2])).tolist()
    [0, 1, 2, -2, -1]
    """
    del name
    return _shift(torch.fft.ifftshift, x, axes)


# ---------------------------------------------------------------- DCT and mel features


@real_constant_cache(maxsize=64)
def _dct_matrix(kind: int, n: int, ortho: bool) -> torch.Tensor:
    """(n, n) float64 matrix M with `dct(x) == x @ M` (SciPy's/TF's definitions)."""
    i = torch.arange(n, dtype=torch.float64)[:, None]  # input index
    k = torch.arange(n, dtype=torch.float64)[None, :]  # output index
    if kind == 1:
        m = 2.0 * torch.cos(torch.pi * i * k / (n - 1))
        m[0] = 1.0
        m[-1] = torch.cos(torch.pi * k[0] * (n - 1) / (n - 1))
    elif kind == 2:
        m = 2.0 * torch.cos(torch.pi * k * (2 * i + 1) / (2 * n))
        if ortho:
            m[:, 0] *= _math.sqrt(1.0 / (4 * n))
            m[:, 1:] *= _math.sqrt(1.0 / (2 * n))
    elif kind == 3:
        m = 2.0 * torch.cos(torch.pi * i * (2 * k + 1) / (2 * n))
        m[0] = 1.0
        if ortho:
            m[0] *= _math.sqrt(1.0 / n)
            m[1:] *= _math.sqrt(1.0 / (2 * n))
    else:
        m = 2.0 * torch.cos(torch.pi * (2 * k + 1) * (2 * i + 1) / (4 * n))
        if ortho:
            m *= _math.sqrt(1.0 / (2 * n))
    return m


def dct(
    input, type: int = 2, n: int | None = None, axis: int = -1, norm=None, name=None
) -> torch.Tensor:
    """Computes the discrete cosine transform (types I-IV) of the last axis.

    Unnormalised, type II is `y[k] = 2 * sum_n x[n] cos(pi k (2n + 1) / (2N))`
    (SciPy's definition); `norm="ortho"` scales it to an orthonormal transform.

    Args:
        input: a float32/float64 tensor `[..., samples]`.
        type: 1, 2, 3 or 4.
        n: crop or zero-pad the last axis to this length first.
        axis: must be -1 (as in TensorFlow).
        norm: None or `"ortho"` (not for type 1).
        name: unused.

    Returns:
        A tensor of shape `[..., n or samples]`.

    Example:
    >>> tf.signal.dct(tf.constant([1.0, 1.0])).tolist()
    [4.0, 0.0]
    """
    del name
    x = _t(input)
    if type not in (1, 2, 3, 4):
        raise ValueError(f"tf.signal.dct: type must be 1, 2, 3 or 4, got {type!r}.")
    if norm not in (None, "ortho"):
        raise ValueError(f"tf.signal.dct: norm must be None or 'ortho', got {norm!r}.")
    if type == 1 and norm == "ortho":
        raise ValueError("tf.signal.dct: norm='ortho' is not supported for the type-I DCT.")
    if axis != -1:
        raise not_implemented(f"tf.signal.dct(axis={axis})")
    if not x.is_floating_point():
        raise TypeError(
            f"tf.signal.dct: input must be float32 or float64, got {dtype_name(x.dtype)}."
        )
    _check_rank(x, 1, "input", "dct")
    if n is not None:
        n = _int_arg(n, "n", "dct")
        size = x.shape[-1]
        x = x[..., :n] if n <= size else F.pad(x, (0, n - size))
    size = x.shape[-1]
    if type == 1 and size < 2:
        raise ValueError(f"tf.signal.dct: the type-I DCT needs at least 2 samples, got {size}.")
    if size == 0:
        return x.clone()
    matrix = _dct_matrix(type, size, norm == "ortho").to(device=x.device, dtype=x.dtype)
    return x @ matrix


def idct(
    input, type: int = 2, n: int | None = None, axis: int = -1, norm=None, name=None
) -> torch.Tensor:
    """Computes the inverse DCT: the DCT of the inverse type (II <-> III, I and IV self).

    As in TensorFlow, the result is not rescaled unless `norm="ortho"`:
    `idct(dct(x)) == x * 2 * N` for types II-IV.

    Args:
        input: a float32/float64 tensor `[..., samples]`.
        type: 1, 2, 3 or 4.
        n: crop or zero-pad the last axis to this length first.
        axis: must be -1.
        norm: None or `"ortho"`.
        name: unused.

    Returns:
        A tensor of shape `[..., n or samples]`.

    Example:
    >>> tf.signal.idct(tf.signal.dct(tf.constant([1.0, 2.0]), norm="ortho"),
    ...                norm="ortho").tolist()  # doctest: +SKIP
    [1.0, 2.0]
    """
    del name
    if type not in (1, 2, 3, 4):
        raise ValueError(f"tf.signal.idct: type must be 1, 2, 3 or 4, got {type!r}.")
    return dct(input, type={1: 1, 2: 3, 3: 2, 4: 4}[type], n=n, axis=axis, norm=norm)


def _hertz_to_mel(hertz: torch.Tensor) -> torch.Tensor:
    return _MEL_HIGH_FREQUENCY_Q * torch.log1p(hertz / _MEL_BREAK_FREQUENCY_HERTZ)


def linear_to_mel_weight_matrix(
    num_mel_bins: int = 20,
    num_spectrogram_bins: int = 129,
    sample_rate=8000,
    lower_edge_hertz: float = 125.0,
    upper_edge_hertz: float = 3800.0,
    dtype=torch.float32,
    name: str | None = None,
) -> torch.Tensor:
    """Returns a matrix that warps linear-frequency spectrogram bins onto the mel scale.

    Uses the HTK mel scale, `mel(f) = 2595 log10(1 + f / 700)`, with
    `num_mel_bins` triangular filters of peak 1.0 spaced evenly in mel between
    `lower_edge_hertz` and `upper_edge_hertz`. The spectrogram bins are taken
    as evenly spaced over `[0, sample_rate / 2]`; the DC bin gets no weight.

    Args:
        num_mel_bins: number of mel bands.
        num_spectrogram_bins: bins of the source spectrogram (`fft_length // 2 + 1`).
        sample_rate: samples per second of the signal.
        lower_edge_hertz: lower edge of the lowest band.
        upper_edge_hertz: upper edge of the highest band (at most `sample_rate / 2`).
        dtype: a floating point dtype.
        name: unused.

    Returns:
        A tensor of shape `[num_spectrogram_bins, num_mel_bins]`: right-multiply
        a spectrogram `[..., num_spectrogram_bins]` by it (`tf.tensordot(S, M, 1)`).

    Example:
    >>> tf.signal.linear_to_mel_weight_matrix(80, 513, 16000, 80.0, 7600.0).shape
    torch.Size([513, 80])
    """
    del name
    op = "linear_to_mel_weight_matrix"
    num_mel_bins = _int_arg(num_mel_bins, "num_mel_bins", op)
    num_spectrogram_bins = _int_arg(num_spectrogram_bins, "num_spectrogram_bins", op)
    if isinstance(sample_rate, torch.Tensor):
        sample_rate = sample_rate.item()
    sample_rate = float(sample_rate)
    lower, upper = float(lower_edge_hertz), float(upper_edge_hertz)
    dtype = _float_dtype(dtype, op)
    if sample_rate <= 0.0:
        raise ValueError(f"tf.signal.{op}: sample_rate must be positive, got {sample_rate}.")
    if lower < 0.0:
        raise ValueError(f"tf.signal.{op}: lower_edge_hertz must be non-negative, got {lower}.")
    if lower >= upper:
        raise ValueError(
            f"tf.signal.{op}: lower_edge_hertz ({lower}) must be below upper_edge_hertz ({upper})."
        )
    if upper > sample_rate / 2:
        raise ValueError(
            f"tf.signal.{op}: upper_edge_hertz ({upper}) must not be above the Nyquist frequency "
            f"sample_rate / 2 ({sample_rate / 2})."
        )
    # The DC bin (index 0) carries no mel weight: compute the rest, then prepend a zero row.
    hertz = torch.linspace(0.0, sample_rate / 2, num_spectrogram_bins, dtype=torch.float64)[1:]
    bins_mel = _hertz_to_mel(hertz)[:, None]
    edges = torch.linspace(
        _hertz_to_mel(torch.tensor(lower, dtype=torch.float64)).item(),
        _hertz_to_mel(torch.tensor(upper, dtype=torch.float64)).item(),
        num_mel_bins + 2,
        dtype=torch.float64,
    )
    left, center, right = edges[:-2], edges[1:-1], edges[2:]
    rising = (bins_mel - left) / (center - left)
    falling = (right - bins_mel) / (right - center)
    weights = torch.clamp(torch.minimum(rising, falling), min=0.0)
    return F.pad(weights, (0, 0, 1, 0)).to(dtype)


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name: str | None = None):
    """Computes MFCCs from log-magnitude mel spectrograms.

    The type-II DCT of the last axis scaled by `1 / sqrt(2 * num_mel_bins)`
    (HTK's almost-orthonormal scaling, as TensorFlow does). All `num_mel_bins`
    coefficients are returned; keep the first few (e.g. `[..., :13]`).

    Args:
        log_mel_spectrograms: a float tensor `[..., num_mel_bins]`.
        name: unused.

    Returns:
        A tensor of the same shape.

    Example:
    >>> mfccs = tf.signal.mfccs_from_log_mel_spectrograms(tf.ones([2, 4]))
    >>> [round(v, 4) for v in mfccs[:, 0].tolist()]
    [2.8284, 2.8284]
    """
    del name
    x = _t(log_mel_spectrograms)
    if x.dim() == 0 or x.shape[-1] == 0:
        raise ValueError(
            "tf.signal.mfccs_from_log_mel_spectrograms: num_mel_bins (the last dimension) must "
            f"be positive, got shape {_shape_str(x.shape)}."
        )
    return dct(x, type=2) * (1.0 / _math.sqrt(2.0 * x.shape[-1]))
