"""Keras weight initializers (`keras.initializers`) over torch.

An initializer is called as `init(shape, dtype=None)` and returns a
`torch.Tensor` on the current device (`tf.device` scope, else CUDA when
available). Random values are drawn on the CPU from a generator seeded by the
instance, then moved, so they do not depend on the device.

Seeding follows Keras: one instance returns the same values on every call,
seeded or not. An unseeded instance draws its seed from torch's global RNG
when it is constructed, so `tf.random.set_seed` / `torch.manual_seed` before
building a model makes its initial weights reproducible. `get('name')` returns
a new instance each time, so layers built from a string differ.
"""

from __future__ import annotations

import inspect
import math
import numbers
import re
import warnings
from collections.abc import Callable

import numpy as np
import torch

from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype, floatx_dtype
from tork._backend.errors import module_getattr
from tork.keras._object_registry import ObjectRegistry

__all__ = [
    "Constant",
    "GlorotNormal",
    "GlorotUniform",
    "HeNormal",
    "HeUniform",
    "Identity",
    "Initializer",
    "LecunNormal",
    "LecunUniform",
    "Ones",
    "Orthogonal",
    "RandomNormal",
    "RandomUniform",
    "STFT",
    "STFTInitializer",
    "TruncatedNormal",
    "VarianceScaling",
    "Zeros",
    "deserialize",
    "get",
    "serialize",
]

# std of a standard normal truncated to [-2, 2]; dividing by it restores the wanted variance.
_TRUNCATION_STD = 0.87962566103423978


def _shape_tuple(shape) -> tuple[int, ...]:
    if isinstance(shape, int):
        shape = (shape,)
    try:
        dims = list(shape)
    except (TypeError, ValueError) as err:
        raise ValueError(
            f"An initializer needs a fully known shape such as (3, 4); got {shape!r}."
        ) from err
    out = []
    for d in dims:
        if d is None or (hasattr(d, "value") and d.value is None):
            raise ValueError(
                f"An initializer needs a fully known shape; got {tuple(dims)} with an unknown "
                "(None) dimension. Build the layer with a known input shape."
            )
        d = int(d)
        if d < 0:
            raise ValueError(
                f"An initializer shape must not have negative sizes; got {tuple(dims)}."
            )
        out.append(d)
    return tuple(out)


def _compute_fans(shape: tuple[int, ...], data_format: str = "channels_last") -> tuple[int, int]:
    """Keras's (fan_in, fan_out) for a weight shape.

    `data_format` is standalone Keras 2.2's second argument, which custom initializers
    (keras-contrib's `ConvolutionAware`) pass: `'channels_first'` reads a kernel of rank
    3 or more as Theano's `(out, in, *window)` instead of `(*window, in, out)`.
    """
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"_compute_fans: unknown data_format {data_format!r}; expected 'channels_last' "
            "or 'channels_first'."
        )
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    if data_format == "channels_first":
        receptive_field = math.prod(shape[2:])
        return shape[1] * receptive_field, shape[0] * receptive_field
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def _draw_seed() -> int:
    # From torch's global CPU generator, so torch.manual_seed / tf.random.set_seed control it.
    # A real draw also while a functional-API call runs on fake tensors (a layer created in
    # another layer's call), where reading a fake value is impossible.
    from torch._subclasses.fake_tensor import unset_fake_temporarily

    with unset_fake_temporarily():
        return int(torch.randint(0, 2**31 - 1, (), dtype=torch.int64))


def _check_seed(seed, owner: str) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"{owner}: `seed` must be an int or None; got {seed!r}.")
    return int(seed)


def _partition(owner: str, shape, kwargs: dict, supported: bool = True):
    """The shape to fill and the offset of a `partition_shape`/`partition_offset` call.

    tf.keras 2 initializers make one shard of a partitioned variable when given these
    keyword arguments: the result has `partition_shape` (VarianceScaling's fans too),
    and random ones draw different values for different offsets.
    """
    partition_shape = kwargs.get("partition_shape")
    offset = kwargs.get("partition_offset")
    if partition_shape is None and offset is None:
        return _shape_tuple(shape), None
    if not supported:
        raise ValueError(
            f"{owner} initializer doesn't support partition-related arguments "
            f"(partition_shape={partition_shape!r}, partition_offset={offset!r}): it needs the "
            "whole tensor. Call it with the full shape only."
        )
    if partition_shape is None:
        return _shape_tuple(shape), None
    offset = None if offset is None else tuple(int(o) for o in offset)
    return _shape_tuple(partition_shape), offset


class Initializer:
    """Base class of all initializers.

    Subclasses implement `__call__(shape, dtype=None, **kwargs)` and, when they
    take arguments, `get_config()`.

    Example:
    >>> class Halves(keras.initializers.Initializer):
    ...     def __call__(self, shape, dtype=None, **kwargs):
    ...         return torch.full(shape, 0.5)
    """

    def __call__(self, shape, dtype=None, **kwargs) -> torch.Tensor:
        """Returns a tensor of `shape` and `dtype` filled by this initializer.

        Args:
            shape: The shape of the tensor (tuple, list, int or TensorShape).
            dtype: The dtype; defaults to `floatx()` (float32).
            **kwargs: `partition_shape` and `partition_offset` (tf.keras 2) make one
                shard of a partitioned variable, of shape `partition_shape`; other
                keywords are accepted for Keras compatibility and ignored.

        Returns:
            A `torch.Tensor`.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement __call__(self, shape, dtype=None, **kwargs)."
        )

    def get_config(self) -> dict:
        """Returns the constructor arguments of this initializer as a dict."""
        return {}

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        """Creates an initializer from the output of `get_config()`.

        Args:
            config: A dict of constructor arguments.

        Returns:
            A new initializer.
        """
        config = dict(config)
        # TF1-era configs also stored the dtype, which initializers no longer take.
        if "dtype" in config and "dtype" not in inspect.signature(cls.__init__).parameters:
            config.pop("dtype")
        return cls(**config)

    def clone(self) -> Initializer:
        """Returns a new initializer with the same config."""
        return type(self).from_config(self.get_config())

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Zeros(Initializer):
    """Initializer that fills tensors with 0.

    Example:
    >>> keras.initializers.Zeros()((2, 2))
    tensor([[0., 0.],
            [0., 0.]])
    """

    def __call__(self, shape, dtype=None, **kwargs) -> torch.Tensor:
        dtype = as_dtype(dtype) if dtype is not None else floatx_dtype()
        shape, _ = _partition("Zeros", shape, kwargs)
        return torch.zeros(shape, dtype=dtype, device=current_device())


class Ones(Initializer):
    """Initializer that fills tensors with 1.

    Example:
    >>> keras.initializers.Ones()((2,))
    tensor([1., 1.])
    """

    def __call__(self, shape, dtype=None, **kwargs) -> torch.Tensor:
        dtype = as_dtype(dtype) if dtype is not None else floatx_dtype()
        shape, _ = _partition("Ones", shape, kwargs)
        return torch.ones(shape, dtype=dtype, device=current_device())


class Constant(Initializer):
    """Initializer that fills tensors with a constant value.

    Args:
        value: A Python scalar, or an array that broadcasts to the requested
            shape (or has exactly as many elements, as `tf.constant` allows).

    Example:
    >>> keras.initializers.Constant(3.0)((2,))
    tensor([3., 3.])
    """

    def __init__(self, value=0):
        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().numpy()
        if isinstance(value, np.ndarray):
            value = value.item() if value.ndim == 0 else value.tolist()
        self.value = value

    def __call__(self, shape, dtype=None, **kwargs) -> torch.Tensor:
        dtype = as_dtype(dtype) if dtype is not None else floatx_dtype()
        shape, _ = _partition("Constant", shape, kwargs)
        device = current_device()
        if not isinstance(self.value, (list, tuple)):
            return torch.full(shape, self.value, dtype=dtype, device=device)
        value = torch.as_tensor(self.value, dtype=dtype, device=device)
        try:
            return value.broadcast_to(shape).clone()
        except RuntimeError:
            if value.numel() == math.prod(shape):
                return value.reshape(shape).clone()
            raise ValueError(
                f"Constant initializer value of shape {tuple(value.shape)} neither broadcasts to "
                f"nor has as many elements as the requested shape {shape}."
            ) from None

    def get_config(self) -> dict:
        return {"value": self.value}


class _RandomInitializer(Initializer):
    """Shared seeding of the random initializers."""

    def __init__(self, seed=None):
        self.seed = _check_seed(seed, type(self).__name__)
        self._seed = self.seed if self.seed is not None else _draw_seed()

    def _generator(self, offset: tuple[int, ...] | None = None) -> torch.Generator:
        if self.seed is None:
            # As Keras 2: reusing one unseeded instance (e.g. `init = TruncatedNormal(...)`
            # passed to every layer) silently gives every weight the same values; say so.
            if getattr(self, "_tork_used", False):
                warnings.warn(
                    f"The initializer {type(self).__name__} is unseeded and being called "
                    "multiple times, which will return identical values each time (even if "
                    "the initializer is unseeded). Please update your code to provide a seed "
                    "to the initializer, or avoid using the same initializer instance more "
                    "than once.",
                    # Keras 2 warns from its own line, so Python's default filter shows it
                    # once per initializer class; pointing at each caller (add_weight, a
                    # user's init(shape)) printed it once per call site.
                    stacklevel=1,
                )
            self._tork_used = True
        generator = torch.Generator()
        seed = self._seed
        if offset is not None:
            # Each shard of a partitioned variable gets its own stream, the same one again
            # for the same offset (tf.keras 2 folds the offset into the seed too).
            for position in offset:
                seed = (seed * 1_000_003 + position + 1) % (2**63 - 1)
        generator.manual_seed(seed)
        return generator

    def _float_dtype(self, dtype) -> torch.dtype:
        dtype = as_dtype(dtype) if dtype is not None else floatx_dtype()
        if not dtype.is_floating_point:
            raise ValueError(
                f"{type(self).__name__} draws floating-point values, so it cannot make a tensor "
                f"of dtype {dtype}. Use a float dtype, or Zeros/Ones/Constant for integers."
            )
        return dtype

    @staticmethod
    def _work_dtype(dtype: torch.dtype) -> torch.dtype:
        # Half types are drawn in float32 for a well-behaved distribution, then cast.
        return torch.float64 if dtype == torch.float64 else torch.float32

    @staticmethod
    def _finish(values: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        return values.to(device=current_device(), dtype=dtype)

    def get_config(self) -> dict:
        return {"seed": self.seed}


def _truncated_standard_normal(shape, generator, dtype) -> torch.Tensor:
    """N(0, 1) samples with every value outside [-2, 2] redrawn (TF's truncated_normal)."""
    values = torch.randn(shape, generator=generator, dtype=dtype)
    flat = values.view(-1)
    index = (flat.abs() > 2.0).nonzero().squeeze(1)
    while index.numel():
        redraw = torch.randn(index.numel(), generator=generator, dtype=dtype)
        flat[index] = redraw
        index = index[redraw.abs() > 2.0]
    return values


class RandomNormal(_RandomInitializer):
    """Initializer drawing from a normal distribution N(mean, stddev²).

    Args:
        mean: Mean of the values.
        stddev: Standard deviation of the values.
        seed: Optional int; without it the instance picks one when created.

    Example:
    >>> keras.initializers.RandomNormal(stddev=1.0, seed=0)((2, 2)).shape
    torch.Size([2, 2])
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.mean = mean
        self.stddev = stddev

    def __call__(self, shape, dtype=None, **kwargs) -> torch.Tensor:
        dtype = self._float_dtype(dtype)
        shape, offset = _partition("RandomNormal", shape, kwargs)
        values = torch.randn(
            shape, generator=self._generator(offset), dtype=self._work_dtype(dtype)
        )
        return self._finish(values.mul_(self.stddev).add_(self.mean), dtype)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(_RandomInitializer):
    """Initializer drawing from a uniform distribution U[minval, maxval).

    Args:
        minval: Lower bound of the values.
        maxval: Upper bound of the values.
        seed: Optional int; without it the instance picks one when created.

    Example:
    >>> keras.initializers.RandomUniform(-1.0, 1.0, seed=0)((3,)).shape
    torch.Size([3])
    """

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.minval = minval
        self.maxval = maxval

    def __call__(self, shape, dtype=None, **kwargs) -> torch.Tensor:
        shape, offset = _partition("RandomUniform", shape, kwargs)
        int_dtype = as_dtype(dtype) if dtype is not None else None
        if int_dtype is not None and not (
            int_dtype.is_floating_point or int_dtype.is_complex or int_dtype == torch.bool
        ):
            return self._integers(shape, int_dtype, offset)
        dtype = self._float_dtype(dtype)
        values = torch.rand(shape, generator=self._generator(offset), dtype=self._work_dtype(dtype))
        return self._finish(values.mul_(self.maxval - self.minval).add_(self.minval), dtype)

    def _integers(self, shape, dtype: torch.dtype, offset) -> torch.Tensor:
        # tf.keras 2 draws integers uniformly from [minval, maxval) for an integer dtype.
        low, high = int(self.minval), int(self.maxval)
        if high <= low:
            raise ValueError(
                f"RandomUniform with integer dtype {dtype} draws from [minval, maxval), which "
                f"is empty for minval={self.minval!r}, maxval={self.maxval!r}. Pass integer "
                "bounds with maxval > minval, e.g. RandomUniform(0, 10)."
            )
        values = torch.randint(low, high, shape, generator=self._generator(offset))
        return values.to(device=current_device(), dtype=dtype)

    def get_config(self) -> dict:
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class TruncatedNormal(_RandomInitializer):
    """Initializer drawing from a normal distribution cut at two standard deviations.

    Values further than `2 * stddev` from `mean` are redrawn. There is no
    variance correction, so the real standard deviation is about `0.88 * stddev`.

    Args:
        mean: Mean of the values.
        stddev: Standard deviation before truncation.
        seed: Optional int; without it the instance picks one when created.

    Example:
    >>> w = keras.initializers.TruncatedNormal(stddev=1.0, seed=0)((100,))
    >>> bool(w.abs().max() <= 2.0)
    True
    """

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None):
        super().__init__(seed)
        self.mean = mean
        self.stddev = stddev

    def __call__(self, shape, dtype=None, **kwargs) -> torch.Tensor:
        dtype = self._float_dtype(dtype)
        shape, offset = _partition("TruncatedNormal", shape, kwargs)
        values = _truncated_standard_normal(shape, self._generator(offset), self._work_dtype(dtype))
        return self._finish(values.mul_(self.stddev).add_(self.mean), dtype)

    def get_config(self) -> dict:
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


_MODES = ("fan_in", "fan_out", "fan_avg")
_DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")


class VarianceScaling(_RandomInitializer):
    """Initializer whose scale adapts to the fans of the weight shape.

    With `n` = fan_in, fan_out or their average (per `mode`, at least 1) and
    `s = scale / n`:
    - `'truncated_normal'` (alias `'normal'`): truncated normal with
      `stddev = sqrt(s) / 0.87962566103423978`, values beyond 2 stddev redrawn;
    - `'untruncated_normal'`: normal with `stddev = sqrt(s)`;
    - `'uniform'`: U[-sqrt(3 s), sqrt(3 s)).

    Fans: a vector (n,) has fans (n, n); a matrix (a, b) has (a, b); a kernel
    (k..., in, out) has (K * in, K * out) with K the product of the k's.

    Args:
        scale: Positive scaling factor.
        mode: One of `'fan_in'`, `'fan_out'`, `'fan_avg'`.
        distribution: One of `'truncated_normal'`, `'untruncated_normal'`,
            `'uniform'` (`'normal'` means `'truncated_normal'`).
        seed: Optional int; without it the instance picks one when created.

    Example:
    >>> init = keras.initializers.VarianceScaling(2.0, 'fan_in', 'uniform', seed=0)
    >>> init((64, 32)).shape
    torch.Size([64, 32])
    """

    def __init__(
        self,
        scale: float = 1.0,
        mode: str = "fan_in",
        distribution: str = "truncated_normal",
        seed: int | None = None,
    ):
        super().__init__(seed)
        if not isinstance(scale, numbers.Real) or isinstance(scale, bool) or not scale > 0.0:
            raise ValueError(
                f"VarianceScaling: `scale` must be a positive float; got scale={scale!r}."
            )
        mode_key = mode.lower() if isinstance(mode, str) else mode
        if mode_key not in _MODES:
            raise ValueError(
                f"VarianceScaling: invalid mode={mode!r}. Valid modes: {', '.join(_MODES)}."
            )
        dist_key = distribution.lower() if isinstance(distribution, str) else distribution
        if dist_key == "normal":
            dist_key = "truncated_normal"
        if dist_key not in _DISTRIBUTIONS:
            raise ValueError(
                f"VarianceScaling: invalid distribution={distribution!r}. Valid distributions: "
                f"{', '.join(_DISTRIBUTIONS)} (or 'normal', meaning 'truncated_normal')."
            )
        self.scale = scale
        self.mode = mode_key
        self.distribution = dist_key

    def __call__(self, shape, dtype=None, **kwargs) -> torch.Tensor:
        dtype = self._float_dtype(dtype)
        # A shard's fans come from its own partition_shape, as in tf.keras 2.
        shape, offset = _partition(type(self).__name__, shape, kwargs)
        fan_in, fan_out = _compute_fans(shape)
        work = self._work_dtype(dtype)
        if self.mode == "fan_in":
            n = fan_in
        elif self.mode == "fan_out":
            n = fan_out
        else:
            n = (fan_in + fan_out) / 2.0
        s = self.scale / max(1.0, n)
        generator = self._generator(offset)
        if self.distribution == "truncated_normal":
            values = _truncated_standard_normal(shape, generator, work)
            values.mul_(math.sqrt(s) / _TRUNCATION_STD)
        elif self.distribution == "untruncated_normal":
            values = torch.randn(shape, generator=generator, dtype=work).mul_(math.sqrt(s))
        else:
            limit = math.sqrt(3.0 * s)
            values = torch.rand(shape, generator=generator, dtype=work)
            values.mul_(2.0 * limit).sub_(limit)
        return self._finish(values, dtype)

    def get_config(self) -> dict:
        return {
            "scale": self.scale,
            "mode": self.mode,
            "distribution": self.distribution,
            "seed": self.seed,
        }


class _FixedVarianceScaling(VarianceScaling):
    """A VarianceScaling preset; only the seed is configurable."""

    _preset: tuple[float, str, str] = (1.0, "fan_in", "truncated_normal")

    def __init__(self, seed: int | None = None):
        scale, mode, distribution = self._preset
        super().__init__(scale=scale, mode=mode, distribution=distribution, seed=seed)

    def get_config(self) -> dict:
        return {"seed": self.seed}


class GlorotUniform(_FixedVarianceScaling):
    """Glorot (Xavier) uniform initializer: U[-limit, limit), limit = sqrt(6 / (fan_in + fan_out)).

    Args:
        seed: Optional int; without it the instance picks one when created.

    Example:
    >>> keras.initializers.GlorotUniform(seed=0)((3, 4)).shape
    torch.Size([3, 4])
    """

    _preset = (1.0, "fan_avg", "uniform")


class GlorotNormal(_FixedVarianceScaling):
    """Glorot (Xavier) normal initializer: truncated normal, stddev = sqrt(2 / (fan_in + fan_out)).

    The stddev is of the values after truncation at 2 standard deviations.

    Args:
        seed: Optional int; without it the instance picks one when created.

    Example:
    >>> keras.initializers.GlorotNormal(seed=0)((3, 4)).shape
    torch.Size([3, 4])
    """

    _preset = (1.0, "fan_avg", "truncated_normal")


class HeUniform(_FixedVarianceScaling):
    """He uniform initializer: U[-limit, limit), limit = sqrt(6 / fan_in).

    Args:
        seed: Optional int; without it the instance picks one when created.

    Example:
    >>> keras.initializers.HeUniform(seed=0)((3, 4)).shape
    torch.Size([3, 4])
    """

    _preset = (2.0, "fan_in", "uniform")


class HeNormal(_FixedVarianceScaling):
    """He normal initializer: truncated normal, stddev = sqrt(2 / fan_in).

    Args:
        seed: Optional int; without it the instance picks one when created.

    Example:
    >>> keras.initializers.HeNormal(seed=0)((3, 4)).shape
    torch.Size([3, 4])
    """

    _preset = (2.0, "fan_in", "truncated_normal")


class LecunUniform(_FixedVarianceScaling):
    """LeCun uniform initializer: U[-limit, limit), limit = sqrt(3 / fan_in).

    Args:
        seed: Optional int; without it the instance picks one when created.

    Example:
    >>> keras.initializers.LecunUniform(seed=0)((3, 4)).shape
    torch.Size([3, 4])
    """

    _preset = (1.0, "fan_in", "uniform")


class LecunNormal(_FixedVarianceScaling):
    """LeCun normal initializer: truncated normal, stddev = sqrt(1 / fan_in).

    Args:
        seed: Optional int; without it the instance picks one when created.

    Example:
    >>> keras.initializers.LecunNormal(seed=0)((3, 4)).shape
    torch.Size([3, 4])
    """

    _preset = (1.0, "fan_in", "truncated_normal")


class Orthogonal(_RandomInitializer):
    """Initializer producing an orthogonal matrix (or a reshaped one).

    The shape is flattened to (prod(shape[:-1]), shape[-1]); a N(0, 1) matrix of
    shape (max, min) is QR-decomposed, Q's columns are multiplied by the signs
    of R's diagonal, Q is transposed when there are fewer rows than columns,
    reshaped, and multiplied by `gain`.

    Args:
        gain: Multiplicative factor.
        seed: Optional int; without it the instance picks one when created.

    Example:
    >>> q = keras.initializers.Orthogonal(seed=0)((4, 4))
    >>> bool(torch.allclose(q.T @ q, torch.eye(4), atol=1e-5))
    True
    """

    def __init__(self, gain: float = 1.0, seed: int | None = None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None, **kwargs) -> torch.Tensor:
        dtype = self._float_dtype(dtype)
        shape, _ = _partition("Orthogonal", shape, kwargs, supported=False)
        if len(shape) < 2:
            raise ValueError(
                f"Orthogonal initializer needs a shape of rank 2 or more; got shape {shape}. "
                "Use it for matrices and kernels, not vectors or scalars."
            )
        rows, cols = math.prod(shape[:-1]), shape[-1]
        work = self._work_dtype(dtype)
        if rows == 0 or cols == 0:
            return self._finish(torch.zeros(shape, dtype=work), dtype)
        normal = torch.randn(
            max(rows, cols), min(rows, cols), generator=self._generator(), dtype=work
        )
        q, r = torch.linalg.qr(normal)
        q = q * torch.sign(torch.diagonal(r))
        if rows < cols:
            q = q.T
        return self._finish((q.reshape(shape) * self.gain).contiguous(), dtype)

    def get_config(self) -> dict:
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    """Initializer producing `gain` times the identity matrix (2-D shapes only).

    Non-square shapes give ones on the main diagonal.

    Args:
        gain: Multiplicative factor.

    Example:
    >>> keras.initializers.Identity()((2, 3))
    tensor([[1., 0., 0.],
            [0., 1., 0.]])
    """

    def __init__(self, gain: float = 1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None, **kwargs) -> torch.Tensor:
        dtype = as_dtype(dtype) if dtype is not None else floatx_dtype()
        shape, _ = _partition("Identity", shape, kwargs, supported=False)
        if len(shape) != 2:
            raise ValueError(
                f"Identity initializer works on 2-D shapes only; got shape {shape} "
                f"(rank {len(shape)}). Use it for a (rows, cols) matrix such as a Dense kernel."
            )
        eye = torch.eye(shape[0], shape[1], dtype=dtype, device=current_device())
        return eye if self.gain == 1 else eye * self.gain

    def get_config(self) -> dict:
        return {"gain": self.gain}


class STFT(Initializer):
    """Initializer of the convolution kernels of a short-time Fourier transform.

    Fills a `(frame_length, 1, freq_bins)` kernel with one side of the DFT basis
    multiplied by a window: `window[n] * cos(2 pi n k / N)` for `side="real"` and
    `-window[n] * sin(2 pi n k / N)` for `side="imag"`, where `N = 2 * (freq_bins - 1)`
    (so a kernel of `fft_length // 2 + 1` bins is an FFT of size `fft_length`, rounded
    down to even). A convolution with the two kernels gives the real and imaginary parts
    of the STFT; this is what `keras.layers.STFTSpectrogram` uses.

    Args:
        side: `"real"` or `"imag"`: which part of the transform the kernel computes.
        window: A window name (`"hann"`, `"hamming"`, or with SciPy installed any name
            `scipy.signal.get_window` accepts), an array of `frame_length` values, or
            None for no window.
        scaling: `"density"` (divide the window by its L2 norm), `"spectrum"`
            (divide it by its sum) or None. Not applied when `window` is None.
        periodic: Whether the named window is periodic (the DFT-even form) rather
            than symmetric.

    Example:
    >>> keras.initializers.STFT("real", "hann", "density", False)((128, 1, 65)).shape
    torch.Size([128, 1, 65])
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"side should be 'real' or 'imag', not {side}")
        if isinstance(window, str):
            # Checked now (as Keras does), so a bad name fails before any layer is built.
            _stft_window(window, 1, False)
        elif window is not None:
            window = np.asarray(
                window.detach().cpu() if isinstance(window, torch.Tensor) else window,
                dtype=np.float64,
            )
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(
                "Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                f"Received scaling={scaling}"
            )
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None, **kwargs) -> torch.Tensor:
        dtype = as_dtype(dtype) if dtype is not None else floatx_dtype()
        shape = _shape_tuple(shape)
        if len(shape) != 3:
            raise ValueError(
                "STFT initializer expects a shape (frame_length, input_channels, freq_bins), "
                f"got {shape}."
            )
        frame_length, _, bins = shape
        if self.window is None:
            window = np.ones(frame_length)
        elif isinstance(self.window, str):
            window = _stft_window(self.window, frame_length, self.periodic)
        else:
            window = self.window
            if window.shape != (frame_length,):
                raise ValueError(
                    "The shape of `window` must be equal to [frame_length]."
                    f"Received: window shape={window.shape}"
                )
        if self.window is not None and self.scaling == "density":
            window = window / np.sqrt(np.sum(window**2))
        elif self.window is not None and self.scaling == "spectrum":
            window = window / np.sum(window)
        # The FFT size comes from the number of bins; the kernel's middle axis is always 1
        # because every input channel is convolved separately.
        size = max(2 * (bins - 1), 1)
        angle = 2.0 * np.pi * np.outer(np.arange(frame_length), np.arange(bins)) / size
        basis = np.cos(angle) if self.side == "real" else -np.sin(angle)
        values = (window[:, None] * basis)[:, None, :]
        return torch.as_tensor(values, dtype=dtype, device=current_device())

    def get_config(self) -> dict:
        window = self.window
        if isinstance(window, np.ndarray):
            window = window.tolist()
        return {
            "side": self.side,
            "window": window,
            "periodic": self.periodic,
            "scaling": self.scaling,
        }


def _stft_window(name, length: int, periodic: bool) -> np.ndarray:
    """The named window of `length` samples (float64), periodic or symmetric."""
    # hann and hamming are computed here so that SciPy stays optional.
    cosine = {"hann": (0.5, 0.5), "hanning": (0.5, 0.5), "hamming": (0.54, 0.46)}
    if isinstance(name, str) and name.lower() in cosine:
        a, b = cosine[name.lower()]
        if length == 1:
            return np.ones(1)
        period = length if periodic else length - 1
        return a - b * np.cos(2.0 * np.pi * np.arange(length) / period)
    try:
        from scipy.signal import get_window
    except ImportError:
        raise ValueError(
            f"Window {name!r} needs SciPy (`pip install scipy`); without it only 'hann' and "
            "'hamming' are available."
        ) from None
    try:
        return np.asarray(get_window(name, length, fftbins=periodic), dtype=np.float64)
    except ValueError:
        raise ValueError(f"Invalid window name {name!r} in parameter window={name!r}!") from None


STFTInitializer = STFT
stft = STFT


# Keras exports lowercase aliases of the classes (keras.initializers.glorot_uniform(seed=1)).
zeros = Zeros
ones = Ones
constant = Constant
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
he_uniform = HeUniform
he_normal = HeNormal
lecun_uniform = LecunUniform
lecun_normal = LecunNormal
orthogonal = Orthogonal
OrthogonalInitializer = Orthogonal
identity = Identity
IdentityInitializer = Identity


def _snake_case(name: str) -> str:
    # A run of capitals is one word, as in Keras: "STFT" -> "stft", "HeNormal" -> "he_normal".
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


_CLASSES = (
    Zeros,
    Ones,
    Constant,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    GlorotUniform,
    GlorotNormal,
    HeUniform,
    HeNormal,
    LecunUniform,
    LecunNormal,
    Orthogonal,
    Identity,
    STFT,
)
_BY_NAME: dict[str, type] = {}
for _cls in _CLASSES:
    _BY_NAME[_cls.__name__] = _cls
    _BY_NAME[_snake_case(_cls.__name__)] = _cls
_BY_NAME.update(
    {
        "uniform": RandomUniform,
        "normal": RandomNormal,
        "one": Ones,
        "zero": Zeros,
        "OrthogonalInitializer": Orthogonal,
        "IdentityInitializer": Identity,
        "STFTInitializer": STFT,
    }
)
del _cls


_REGISTRY = ObjectRegistry(
    "initializer",
    module="keras.initializers",
    names=_BY_NAME,
    base=Initializer,
    builtins=_CLASSES,
    usage="Pass a name such as 'glorot_uniform', a config dict, an Initializer or a "
    "callable(shape, dtype=None).",
    config_hint="it needs a 'class_name' such as 'GlorotUniform'",
)


def serialize(initializer) -> dict | str | None:
    """Returns the Keras 3 config dict of an initializer.

    Args:
        initializer: An `Initializer`, a function, a name, or None.

    Returns:
        `{"module": "keras.initializers", "class_name": ..., "config": ...,
        "registered_name": None}` for built-in initializers (user classes and
        functions give their module and registered name); a name passes
        through; None gives None.

    Example:
    >>> keras.initializers.serialize(keras.initializers.Zeros())["class_name"]
    'Zeros'
    """
    return _REGISTRY.serialize(initializer)


def deserialize(config, custom_objects: dict | None = None):
    """Returns an initializer from a name or config.

    Names resolve through `custom_objects`, active `custom_object_scope`s and
    registered custom objects before the built-in initializers.

    Args:
        config: A name (`'glorot_uniform'`), a Keras 3 or Keras 2 config dict
            (`{"class_name": "GlorotUniform", "config": {...}}`), an
            `Initializer` (returned as is), a class (instantiated) or a function.
        custom_objects: Optional dict of extra name -> class or function.

    Returns:
        An initializer (a new instance for a name or dict).

    Example:
    >>> keras.initializers.deserialize('ones')
    Ones()
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier) -> Callable | None:
    """Returns an initializer from a name, config, instance, class or callable.

    A name or dict always gives a new instance, so two layers built from
    `'glorot_uniform'` get different weights.

    Args:
        identifier: None, a name, a config dict, an `Initializer`, an
            initializer class, or a callable `(shape, dtype=None)`.

    Returns:
        An initializer, or None for None.

    Example:
    >>> keras.initializers.get('he_normal')
    HeNormal(seed=None)
    """
    return _REGISTRY.deserialize(identifier)


# Standalone Keras 2.0-2.3's aliases, which tf.keras dropped (bubbliiiing's dcgan-keras:
# `initializers.normal(mean=0.0, stddev=0.02)`): reachable, but not listed by `dir()`.
_KERAS2_STANDALONE = {"normal": RandomNormal, "uniform": RandomUniform, "zero": Zeros, "one": Ones}
_missing = module_getattr("tf.keras.initializers")


def __getattr__(name):
    if name in _KERAS2_STANDALONE:
        return _KERAS2_STANDALONE[name]
    return _missing(name)


def __dir__():
    # The public API only, as tf.keras's module shows it: the initializer classes and their
    # snake_case aliases (`glorot_uniform`), not the helpers this file imports (torch, np...).
    names = set(__all__)
    for name, value in globals().items():
        if not name.startswith("_") and isinstance(value, type) and issubclass(value, Initializer):
            names.add(name)
    return sorted(names)
