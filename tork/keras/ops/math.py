"""`keras.ops.math`: Keras 3's math ops (segment reductions, top-k, logsumexp, erf...)."""

from __future__ import annotations

import torch

from tork._backend.errors import module_getattr
from tork.keras.ops._utils import _axes, _float, _t
from tork.ops import math as _tfmath

__all__ = [
    "cdist",
    "erf",
    "erfc",
    "fft",
    "fft2",
    "ifft2",
    "irfft",
    "istft",
    "rfft",
    "segment_min",
    "segment_prod",
    "stft",
    "view_as_complex",
    "view_as_real",
    "erfinv",
    "extract_sequences",
    "in_top_k",
    "logdet",
    "logsumexp",
    "qr",
    "rsqrt",
    "segment_max",
    "segment_sum",
    "top_k",
]


def _num_segments(segment_ids: torch.Tensor, num_segments) -> int:
    if num_segments is not None:
        return int(num_segments)
    return int(segment_ids.max()) + 1 if segment_ids.numel() else 0


def segment_sum(data, segment_ids, num_segments=None, sorted: bool = False) -> torch.Tensor:
    """Sums the rows of `data` that share a segment id.

    Args:
        data: Input tensor.
        segment_ids: Integer ids, one per leading row of `data`.
        num_segments: Number of segments (default: largest id + 1).
        sorted: Whether the ids are sorted (any order works).

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]`.

    Example:
    >>> keras.ops.segment_sum([1.0, 2.0, 3.0], [0, 0, 1])  # [3., 3.]
    """
    del sorted
    ids = _t(segment_ids)
    return _tfmath._segment(data, ids, _num_segments(ids, num_segments), "sum")


def segment_max(data, segment_ids, num_segments=None, sorted: bool = False) -> torch.Tensor:
    """Maximum over the rows of `data` that share a segment id.

    Empty segments hold the dtype's lowest value (-inf for floats).

    Args:
        data: Input tensor.
        segment_ids: Integer ids, one per leading row of `data`.
        num_segments: Number of segments (default: largest id + 1).
        sorted: Whether the ids are sorted (any order works).

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]`.

    Example:
    >>> keras.ops.segment_max([1.0, 5.0, 3.0], [0, 0, 1])  # [5., 3.]
    """
    del sorted
    ids = _t(segment_ids)
    return _tfmath._segment(data, ids, _num_segments(ids, num_segments), "amax")


def top_k(x, k: int, sorted: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """The `k` largest entries along the last axis, and their int32 indices.

    Args:
        x: Input tensor.
        k: Number of entries.
        sorted: Return them in descending order.

    Returns:
        `(values, indices)`.

    Example:
    >>> keras.ops.top_k([1.0, 3.0, 2.0], 2)  # ([3., 2.], [1, 2])
    """
    out = _tfmath.top_k(_t(x), k=k, sorted=sorted)
    return out.values, out.indices


def in_top_k(targets, predictions, k: int) -> torch.Tensor:
    """Whether each target class is among the `k` highest predictions.

    Args:
        targets: Integer class ids `(batch,)`.
        predictions: Scores `(batch, classes)`.
        k: Number of top entries to consider.

    Returns:
        A boolean tensor `(batch,)`.

    Example:
    >>> keras.ops.in_top_k([1], [[0.1, 0.9, 0.0]], 1)  # [True]
    """
    return _tfmath.in_top_k(_t(targets), _t(predictions), k)


def logsumexp(x, axis=None, keepdims: bool = False) -> torch.Tensor:
    """`log(sum(exp(x)))` over `axis`, computed stably.

    Args:
        x: Input tensor.
        axis: Int, tuple of ints, or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The reduced tensor.

    Example:
    >>> keras.ops.logsumexp([0.0, 0.0])  # 0.6931
    """
    x = _float(_t(x))
    return torch.logsumexp(x, dim=_axes(axis, x.dim()), keepdim=keepdims)


def erf(x) -> torch.Tensor:
    """The error function.

    Args:
        x: Input tensor.

    Returns:
        `erf(x)`, element-wise.

    Example:
    >>> keras.ops.erf([0.0])  # [0.]
    """
    return torch.erf(_float(_t(x)))


def erfinv(x) -> torch.Tensor:
    """The inverse error function.

    Args:
        x: Input tensor in `(-1, 1)`.

    Returns:
        `erfinv(x)`, element-wise.

    Example:
    >>> keras.ops.erfinv([0.0])  # [0.]
    """
    return torch.erfinv(_float(_t(x)))


def rsqrt(x) -> torch.Tensor:
    """`1 / sqrt(x)`.

    Args:
        x: Input tensor.

    Returns:
        The reciprocal square root.

    Example:
    >>> keras.ops.rsqrt([4.0])  # [0.5]
    """
    return torch.rsqrt(_float(_t(x)))


def logdet(x) -> torch.Tensor:
    """`log(det(x))` of Hermitian positive-definite matrices.

    Args:
        x: Tensor `(..., M, M)`.

    Returns:
        The log-determinants.

    Example:
    >>> keras.ops.logdet([[2.0, 0.0], [0.0, 3.0]])  # log(6)
    """
    return torch.logdet(_float(_t(x)))


def qr(x, mode: str = "reduced") -> tuple[torch.Tensor, torch.Tensor]:
    """QR decomposition.

    Args:
        x: Tensor `(..., M, N)`.
        mode: `"reduced"` or `"complete"`.

    Returns:
        `(q, r)`.

    Example:
    >>> q, r = keras.ops.qr([[1.0, 2.0], [3.0, 4.0]])
    """
    if mode not in ("reduced", "complete"):
        raise ValueError(f"keras.ops.qr: mode must be 'reduced' or 'complete', got {mode!r}.")
    q, r = torch.linalg.qr(_float(_t(x)), mode=mode)
    return q, r


def extract_sequences(x, sequence_length: int, sequence_stride: int) -> torch.Tensor:
    """Frames the last axis into overlapping windows.

    Args:
        x: Input tensor `(..., length)`.
        sequence_length: Window length.
        sequence_stride: Hop between windows.

    Returns:
        A tensor `(..., num_sequences, sequence_length)`.

    Example:
    >>> keras.ops.extract_sequences([1, 2, 3, 4, 5], 3, 2)  # [[1, 2, 3], [3, 4, 5]]
    """
    x = _t(x)
    if sequence_length > x.shape[-1]:
        raise ValueError(
            f"keras.ops.extract_sequences: sequence_length={sequence_length} is longer than "
            f"the last axis ({x.shape[-1]}) of the input of shape {tuple(x.shape)}."
        )
    return x.unfold(-1, sequence_length, sequence_stride)


# ------------------------------------------------------------------ Keras 3.15 additions


def erfc(x) -> torch.Tensor:
    """Complementary error function, `1 - erf(x)`, accurate for large `x`.

    Args:
        x: Input tensor.

    Returns:
        Output tensor (floatx for integer inputs).

    Example:
    >>> keras.ops.erfc([0.0, 1.0])  # [1., 0.1573]
    """
    return torch.special.erfc(_float(_t(x)))


def cdist(x, y) -> torch.Tensor:
    """Euclidean distances between the rows of `x` and the rows of `y`.

    Args:
        x: `(..., P, M)` tensor.
        y: `(..., R, M)` tensor (leading dims broadcast against `x`'s).

    Returns:
        `(..., P, R)` distances (floatx for integer inputs).

    Example:
    >>> keras.ops.cdist([[0.0, 0.0]], [[3.0, 4.0]])  # [[5.]]
    """
    a, b = _t(x), _t(y)
    dt = torch.promote_types(_float(a).dtype, _float(b).dtype)
    return torch.cdist(a.to(dt), b.to(dt))


def _segment_reduce(data, segment_ids, num_segments, reduce: str, empty) -> torch.Tensor:
    x = _t(data)
    ids = _t(segment_ids)
    n = _num_segments(ids, num_segments)
    out = _tfmath._segment(x, ids, n, reduce)
    if empty is not None and x.is_floating_point():
        flat = ids.reshape(-1).long()
        flat = flat[flat >= 0]
        count = torch.zeros(n, dtype=torch.long, device=flat.device)
        count = count.index_add(0, flat, torch.ones_like(flat))
        shape = (n,) + (1,) * (out.dim() - 1)
        fill = torch.tensor(empty, dtype=out.dtype, device=out.device)
        out = torch.where(count.reshape(shape) == 0, fill, out)
    return out


def segment_min(data, segment_ids, num_segments=None, sorted: bool = False) -> torch.Tensor:
    """Minimum over the rows of `data` that share a segment id.

    Empty segments hold inf for floats (the dtype's largest value for integers).

    Args:
        data: Input tensor.
        segment_ids: Integer ids, one per leading row of `data`.
        num_segments: Number of segments (default: largest id + 1).
        sorted: Whether the ids are sorted (any order works).

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]`.

    Example:
    >>> keras.ops.segment_min([1.0, 5.0, 3.0], [0, 0, 1])  # [1., 3.]
    """
    del sorted
    return _segment_reduce(data, segment_ids, num_segments, "amin", float("inf"))


def segment_prod(data, segment_ids, num_segments=None, sorted: bool = False) -> torch.Tensor:
    """Product over the rows of `data` that share a segment id (1 for empty segments).

    Args:
        data: Input tensor.
        segment_ids: Integer ids, one per leading row of `data`.
        num_segments: Number of segments (default: largest id + 1).
        sorted: Whether the ids are sorted (any order works).

    Returns:
        A tensor of shape `(num_segments,) + data.shape[1:]`.

    Example:
    >>> keras.ops.segment_prod([2.0, 5.0, 3.0], [0, 0, 1])  # [10., 3.]
    """
    del sorted
    return _segment_reduce(data, segment_ids, num_segments, "prod", None)


def view_as_complex(x) -> torch.Tensor:
    """Complex tensor from a real tensor whose last axis (size 2) holds (real, imag).

    Args:
        x: Real tensor of shape `(..., 2)`.

    Returns:
        A complex tensor of shape `x.shape[:-1]`.

    Example:
    >>> keras.ops.view_as_complex([[1.0, 2.0]])  # [1+2j]
    """
    x = _float(_t(x))
    if x.dim() == 0 or x.shape[-1] != 2:
        raise ValueError(
            "Last dimension of input must be size 2 (real and imaginary). "
            f"Received shape: {tuple(x.shape)}"
        )
    if x.dtype in (torch.float16, torch.bfloat16):
        # torch's complex32 is experimental (no NumPy conversion); Keras gives complex64.
        x = x.float()
    return torch.complex(x[..., 0], x[..., 1])


def view_as_real(x) -> torch.Tensor:
    """Real tensor `(..., 2)` holding the real and imaginary parts of a complex tensor.

    Args:
        x: Complex tensor.

    Returns:
        A real tensor of shape `x.shape + (2,)`.

    Example:
    >>> keras.ops.view_as_real(np.array([1 + 2j]))  # [[1., 2.]]
    """
    x = _t(x)
    if not x.is_complex():
        x = torch.complex(_float(x), torch.zeros_like(_float(x)))
    return torch.stack([x.real, x.imag], dim=-1)


def _complex_pair(x, name: str) -> torch.Tensor:
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            f"keras.ops.{name}: input `x` should be a tuple of two tensors - real and "
            f"imaginary. Received: x={x!r}"
        )
    real, imag = _t(x[0]), _t(x[1])
    if tuple(real.shape) != tuple(imag.shape):
        raise ValueError(
            f"keras.ops.{name}: the real and imaginary parts should have the same shape. "
            f"Received: x[0].shape = {tuple(real.shape)}, x[1].shape = {tuple(imag.shape)}"
        )
    if not (real.is_floating_point() and imag.is_floating_point()):
        raise ValueError(
            f"keras.ops.{name}: at least one tensor in input `x` is not of type float. "
            f"Received: dtypes {real.dtype}, {imag.dtype}."
        )
    dt = torch.promote_types(real.dtype, imag.dtype)
    return torch.complex(real.to(dt), imag.to(dt))


def _split(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return z.real.contiguous(), z.imag.contiguous()


def fft(x) -> tuple[torch.Tensor, torch.Tensor]:
    """Fast Fourier transform along the last axis.

    Args:
        x: `(real, imag)` tuple of float tensors of one shape.

    Returns:
        `(real, imag)` of the transform.

    Example:
    >>> keras.ops.fft((np.array([1.0, 2.0]), np.zeros(2)))  # ([3., -1.], [0., 0.])
    """
    return _split(torch.fft.fft(_complex_pair(x, "fft"), dim=-1))


def fft2(x) -> tuple[torch.Tensor, torch.Tensor]:
    """2-D fast Fourier transform over the last two axes.

    Args:
        x: `(real, imag)` tuple of float tensors of one shape.

    Returns:
        `(real, imag)` of the transform.

    Example:
    >>> keras.ops.fft2((np.ones((2, 2)), np.zeros((2, 2))))[0]  # [[4., 0.], [0., 0.]]
    """
    return _split(torch.fft.fft2(_complex_pair(x, "fft2"), dim=(-2, -1)))


def ifft2(x) -> tuple[torch.Tensor, torch.Tensor]:
    """Inverse 2-D fast Fourier transform over the last two axes.

    Args:
        x: `(real, imag)` tuple of float tensors of one shape.

    Returns:
        `(real, imag)` of the inverse transform.

    Example:
    >>> keras.ops.ifft2((np.full((2, 2), 4.0), np.zeros((2, 2))))[0]  # [[4., 0.], [0., 0.]]
    """
    return _split(torch.fft.ifft2(_complex_pair(x, "ifft2"), dim=(-2, -1)))


def rfft(x, fft_length=None) -> tuple[torch.Tensor, torch.Tensor]:
    """Real-input FFT along the last axis (the non-negative frequencies only).

    Args:
        x: Real tensor.
        fft_length: FFT size (the last axis is cropped or zero-padded to it).

    Returns:
        `(real, imag)` of shape `(..., fft_length // 2 + 1)`.

    Example:
    >>> keras.ops.rfft(np.array([1.0, 2.0, 3.0, 4.0]))[0]  # [10., -2., -2.]
    """
    x = _float(_t(x))
    return _split(torch.fft.rfft(x, n=None if fft_length is None else int(fft_length), dim=-1))


def irfft(x, fft_length=None) -> tuple[torch.Tensor, torch.Tensor]:
    """Inverse of `rfft`: a real signal from its non-negative frequencies.

    Args:
        x: `(real, imag)` tuple of shape `(..., n)`.
        fft_length: Output length (`2 * (n - 1)` by default).

    Returns:
        The real signal, `(..., fft_length)`.

    Example:
    >>> keras.ops.irfft((np.array([10.0, -2.0, -2.0]), np.array([0.0, 2.0, 0.0])))
    ... # [1., 2., 3., 4.]
    """
    z = _complex_pair(x, "irfft")
    return torch.fft.irfft(z, n=None if fft_length is None else int(fft_length), dim=-1)


def _stft_window(window, sequence_length: int, fft_length: int, dtype) -> torch.Tensor:
    """The analysis window, zero-padded on both sides to `fft_length` (None: no window)."""
    from tork.ops import signal

    if sequence_length > fft_length:
        raise ValueError(
            "`fft_length` must equal or larger than `sequence_length`. "
            f"Received: sequence_length={sequence_length}, fft_length={fft_length}"
        )
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                'If a string is passed to `window`, it must be one of `"hann"`, `"hamming"`. '
                f"Received: window={window}"
            )
        fn = signal.hann_window if window == "hann" else signal.hamming_window
        win = fn(sequence_length, periodic=True, dtype=dtype)
    else:
        win = _t(window).to(dtype)
        if win.shape != (sequence_length,):
            raise ValueError(
                "The shape of `window` must be equal to [sequence_length]. "
                f"Received: window shape={tuple(win.shape)}"
            )
    left = (fft_length - sequence_length) // 2
    return torch.nn.functional.pad(win, (left, fft_length - sequence_length - left))


def stft(
    x, sequence_length: int, sequence_stride: int, fft_length: int, window="hann", center=True
):
    """Short-time Fourier transform along the last axis.

    Args:
        x: float32 or float64 signal `(..., samples)`.
        sequence_length: Window length (at most `fft_length`).
        sequence_stride: Hop between frames.
        fft_length: FFT size; frames are `fft_length` long, the window centred in them.
        window: `"hann"`, `"hamming"` (periodic), a `(sequence_length,)` tensor, or None
            (no window: plain `fft_length`-long frames).
        center: Reflect-pad `fft_length // 2` samples on both sides first.

    Returns:
        `(real, imag)` of shape `(..., frames, fft_length // 2 + 1)`.

    Example:
    >>> keras.ops.stft(np.arange(16.0), 4, 2, 4)[0].shape  # (9, 3)
    """
    from tork.ops import signal

    x = _t(x)
    if x.dtype not in (torch.float32, torch.float64):
        raise TypeError(
            "Invalid input type. Expected `float32` or `float64`. "
            f"Received: input type={str(x.dtype).replace('torch.', '')}"
        )
    win = _stft_window(window, int(sequence_length), int(fft_length), x.dtype)
    if center:
        pad = int(fft_length) // 2
        lead = x.shape[:-1]
        x = torch.nn.functional.pad(x.reshape(-1, 1, x.shape[-1]), (pad, pad), mode="reflect")
        x = x.reshape(*lead, -1)
    out = signal.stft(
        x,
        int(fft_length),
        int(sequence_stride),
        int(fft_length),
        window_fn=None if win is None else (lambda n, dtype=None: win.to(x.device)),
    )
    return _split(out)


def istft(
    x,
    sequence_length: int,
    sequence_stride: int,
    fft_length: int,
    length=None,
    window="hann",
    center=True,
) -> torch.Tensor:
    """Inverse of `stft`: overlap-adds the inverse FFTs of the frames.

    Args:
        x: `(real, imag)` of shape `(..., frames, fft_length // 2 + 1)`.
        sequence_length: Window length used by `stft`.
        sequence_stride: Hop between frames used by `stft`.
        fft_length: FFT size used by `stft`.
        length: Output length (cropped); by default the centring padding is removed.
        window: The `stft` window (`"hann"`, `"hamming"`, a tensor or None).
        center: Whether `stft` centred its frames.

    Returns:
        The real signal `(..., samples)`.

    Example:
    >>> real, imag = keras.ops.stft(np.arange(16.0), 4, 2, 4)
    >>> keras.ops.istft((real, imag), 4, 2, 4)  # [0., 1., ..., 15.]
    """
    from tork.ops import signal

    z = _complex_pair(x, "istft")
    fft_length, stride = int(fft_length), int(sequence_stride)
    win = _stft_window(window, int(sequence_length), fft_length, z.real.dtype)
    # Without a window the frames are overlap-added as they are (no normalisation).
    inv = (
        None
        if win is None
        else signal.inverse_stft_window_fn(stride, lambda n, dtype=None: win.to(z.device))
    )
    out = signal.inverse_stft(z, fft_length, stride, fft_length, window_fn=inv)
    start = fft_length // 2 if center else 0
    if length is not None:
        return out[..., start : start + int(length)]
    if center:
        return out[..., start : out.shape[-1] - fft_length // 2]
    return out


__getattr__ = module_getattr("keras.ops.math")
