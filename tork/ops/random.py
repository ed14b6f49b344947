"""`tf.random`: random tensors with TensorFlow's seeding rules, drawn by torch.

Seeds work as in TensorFlow 2:

- no global seed and no op seed: fresh random values on every call and run;
- `tf.random.set_seed(s)`: the same program draws the same sequence of values
  (this also calls `torch.manual_seed(s)`, so torch code in the same program
  is reproducible too);
- an op seed (`seed=7`): a fixed sequence per (global seed, op seed): two calls
  with `seed=7` give different values, but the same two values in every run.

Helpers for other tork modules (private, stable):

- `_generator_for(seed, device=None)`: the `torch.Generator` an op with this op
  seed draws from (None for `seed=None`, meaning torch's default generator).
- `_fresh_generator(seed, device=None)`: a new generator seeded from (global
  seed, seed); it yields the same values each time it is created, which is what
  Keras initializers need ("an initializer instance returns the same values
  on every call").
- `_draw_seed()`: an int seed drawn from torch's default generator, so it is
  reproducible after `set_seed` (for unseeded initializers).
- `_pair_generator(a, b, device=None)`: a new generator fully determined by the
  two ints (`stateless_*` seeds, `keras.random` seeds).
- `_shape_for(shape, op)`: a checked shape tuple for a random op.
- `_float_dtype(dtype, op)`, `_normal_draw`, `_uniform_draw`, `_truncated_draw`,
  `_categorical_draw`, `_binomial_draw`: the samplers behind every random op,
  each drawing from a given `torch.Generator` (None: torch's default one).
"""

from __future__ import annotations

import collections
import enum
import math
import numbers
import secrets

import numpy as np
import torch

from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import InvalidArgumentError, module_getattr
from tork._backend.errors import NotFoundError as _NotFoundError
from tork._backend.tensor import to_numpy
from tork._backend.tensor_shape import TensorShape
from tork.ops.array import _as_shape, _scalar_value, _t
from tork.variables import Variable

__all__ = [
    "Algorithm",
    "Generator",
    "categorical",
    "all_candidate_sampler",
    "create_rng_state",
    "experimental",
    "fixed_unigram_candidate_sampler",
    "fold_in",
    "gamma",
    "get_global_generator",
    "learned_unigram_candidate_sampler",
    "log_uniform_candidate_sampler",
    "normal",
    "poisson",
    "set_global_generator",
    "set_seed",
    "shuffle",
    "split",
    "stateless_binomial",
    "stateless_categorical",
    "stateless_gamma",
    "stateless_normal",
    "stateless_parameterized_truncated_normal",
    "stateless_poisson",
    "stateless_truncated_normal",
    "stateless_uniform",
    "truncated_normal",
    "uniform",
    "uniform_candidate_sampler",
]

__getattr__ = module_getattr("tf.random")

# TensorFlow also uses a fixed default global seed when only op seeds are given.
_DEFAULT_GLOBAL_SEED = 87654321
# Keeps the global Generator made after `set_seed` apart from the op-seed streams.
_GLOBAL_GENERATOR_SALT = 0x5EED6E4E
_MASK64 = (1 << 64) - 1

_global_seed: int | None = None
_op_generators: dict[tuple, torch.Generator] = {}
_global_generator: Generator | None = None
_global_generator_from_user = False


def _mix(a: int, b: int) -> int:
    """Combines two seeds into one 63-bit seed (splitmix64 finalizer)."""
    z = ((a & _MASK64) * 0x9E3779B97F4A7C15 + (b & _MASK64) + 0x632BE59BD9B4E019) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return (z ^ (z >> 31)) >> 1


def _device_key(device) -> torch.device:
    if device is None:
        dev = current_device()
    elif isinstance(device, torch.device):
        dev = device
    else:
        dev = torch.device(device)
    if dev.type == "cuda" and dev.index is None:
        dev = torch.device("cuda", torch.cuda.current_device())
    return dev


def _seed_value(seed) -> int:
    seed = _scalar_value(seed)
    if (
        isinstance(seed, numbers.Real)
        and not isinstance(seed, numbers.Integral)
        and float(seed).is_integer()
    ):
        # TensorFlow accepts float seeds (`tf.random.set_seed(1.0)` in tutorials): 1.0 acts
        # as 1. A fractional seed (1.5) is still refused below: it is almost surely a bug.
        return int(seed)
    if not isinstance(seed, numbers.Integral):
        raise TypeError(f"A random seed must be an int, got {seed!r}.")
    return int(seed)


def set_seed(seed) -> None:
    """Sets the global random seed.

    After `tf.random.set_seed(s)` the same program produces the same random
    values (tf.random ops, Keras initializers, dropout, and torch's own RNG,
    which is seeded with `torch.manual_seed`). The global `tf.random.Generator`
    also restarts from the seed, unless one was installed with
    `tf.random.set_global_generator`.

    Args:
        seed: an int, or None to clear the global seed.

    Example:
    >>> tf.random.set_seed(1)
    >>> a = tf.random.uniform([2])
    >>> tf.random.set_seed(1)
    >>> bool((a == tf.random.uniform([2])).all())
    True
    """
    global _global_seed, _global_generator
    value = None if seed is None else _seed_value(seed)
    _op_generators.clear()
    _learned_counts.clear()
    if not _global_generator_from_user:
        _global_generator = None
    _global_seed = value
    if value is not None:
        torch.manual_seed(value & _MASK64)


def _generator_for(seed, device=None) -> torch.Generator | None:
    """The generator an op with op seed `seed` draws from on `device`.

    None (torch's default generator, seeded by `set_seed`) when `seed` is None.
    Otherwise one generator per (global seed, op seed, device), kept until the
    next `set_seed`, so repeated calls continue one fixed sequence.
    """
    if seed is None:
        return None
    dev = _device_key(device)
    key = (_global_seed, _seed_value(seed), dev.type, dev.index)
    gen = _op_generators.get(key)
    if gen is None:
        gen = _fresh_generator(seed, dev)
        _op_generators[key] = gen
    return gen


def _fresh_generator(seed, device=None) -> torch.Generator:
    """A new generator seeded from (global seed, `seed`): same values on every creation."""
    base = _DEFAULT_GLOBAL_SEED if _global_seed is None else _global_seed
    return _pair_generator(base, _seed_value(seed), device)


def _pair_generator(a: int, b: int, device=None) -> torch.Generator:
    """A new generator fully determined by the ints `a` and `b` (not by the global seed)."""
    gen = torch.Generator(device=_device_key(device))
    gen.manual_seed(_mix(a, b))
    return gen


def _draw_seed() -> int:
    """An int seed from torch's default generator (reproducible after `set_seed`)."""
    return int(torch.randint(0, 2**31 - 1, (), dtype=torch.int64).item())


# ---------------------------------------------------------------- argument checks


def _shape_for(shape, op: str) -> tuple[int, ...]:
    """The dimensions of a random op's `shape` argument, checked: known ints >= 0."""
    if type(shape) in (tuple, list) and all(type(d) is int and d >= 0 for d in shape):
        return tuple(shape)
    if isinstance(shape, torch.Size):
        return tuple(shape)
    if isinstance(shape, TensorShape):
        return _as_shape(shape, f"{op}: shape")
    if isinstance(shape, (torch.Tensor, np.ndarray)):
        integral = (
            np.issubdtype(shape.dtype, np.integer)
            if isinstance(shape, np.ndarray)
            else not (shape.is_floating_point() or shape.is_complex() or shape.dtype == torch.bool)
        )
        if not integral or shape.ndim > 1:
            raise ValueError(
                f"{op}: shape must be a 1-D list of ints, got a {shape.ndim}-D tensor of "
                f"dtype {shape.dtype}."
            )
        # tolist() directly: it also reads the constant fake tensors that tf.shape gives
        # during functional-API shape inference (a reshape would lose their values).
        values = shape.tolist() if shape.ndim == 1 else [shape.tolist()]
        dims = tuple(int(v) for v in values)
    elif isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        dims = (int(shape),)
    else:
        try:
            items = list(shape)
        except TypeError:
            raise ValueError(
                f"{op}: shape must be a list or tuple of ints, got {shape!r}."
            ) from None
        dims = []
        for d in items:
            if isinstance(d, torch.Tensor) and d.dim() == 0:
                d = d.item()
            if d is None:
                raise ValueError(
                    f"{op}: shape {tuple(items)} has an unknown (None) dimension; every "
                    "dimension must be known."
                )
            if isinstance(d, bool) or not isinstance(d, numbers.Integral):
                raise ValueError(
                    f"{op}: shape must hold ints, got {tuple(items)!r} (dimension {d!r})."
                )
            dims.append(int(d))
        dims = tuple(dims)
    if any(d < 0 for d in dims):
        raise ValueError(f"{op}: shape {dims} has a negative dimension; sizes must be >= 0.")
    return dims


def _float_dtype(dtype, op: str) -> torch.dtype:
    d = as_dtype(dtype)
    if not d.is_floating_point:
        raise ValueError(
            f"{op} draws floats; dtype {dtype_name(d)} is not a float type. "
            "Use float16, bfloat16, float32 or float64."
        )
    return d


def _is_scalar(v) -> bool:
    if isinstance(v, (int, float)):
        return True
    return v.dim() == 0 if isinstance(v, torch.Tensor) else np.ndim(v) == 0


def _param(value, z: torch.Tensor):
    if isinstance(value, (int, float)):
        return value
    return _t(value).to(device=z.device, dtype=z.dtype)


def _affine(z: torch.Tensor, mean, stddev) -> torch.Tensor:
    return z * _param(_scalar_value(stddev) if _is_scalar(stddev) else stddev, z) + _param(
        _scalar_value(mean) if _is_scalar(mean) else mean, z
    )


# ---------------------------------------------------------------- samplers
# Each draws from `gen` (None: torch's default generator) on `dev`.


def _normal_draw(dims, d, dev, gen, mean, stddev) -> torch.Tensor:
    out = torch.empty(dims, dtype=d, device=dev)
    if _is_scalar(mean) and _is_scalar(stddev):
        return out.normal_(float(_scalar_value(mean)), float(_scalar_value(stddev)), generator=gen)
    return _affine(out.normal_(0.0, 1.0, generator=gen), mean, stddev)


def _check_int_uniform(d: torch.dtype, minval, maxval, op: str) -> tuple[int, int]:
    if d == torch.bool or d.is_complex:
        raise ValueError(f"{op} does not draw {dtype_name(d)} values.")
    if maxval is None:
        raise ValueError(f"Must specify maxval for integer dtype {dtype_name(d)} in {op}.")
    if not (_is_scalar(minval) and _is_scalar(maxval)):
        raise ValueError(f"{op} with an integer dtype needs scalar bounds.")
    lo, hi = int(_scalar_value(minval)), int(_scalar_value(maxval))
    if lo >= hi:
        raise ValueError(f"{op} needs minval < maxval, got [{lo}, {hi}).")
    return lo, hi


def _uniform_draw(dims, d, dev, gen, minval, maxval, op: str) -> torch.Tensor:
    if not d.is_floating_point:
        lo, hi = _check_int_uniform(d, minval, maxval, op)
        return torch.randint(lo, hi, dims, generator=gen, dtype=d, device=dev)
    maxval = 1.0 if maxval is None else maxval
    out = torch.empty(dims, dtype=d, device=dev)
    if _is_scalar(minval) and _is_scalar(maxval):
        lo, hi = float(_scalar_value(minval)), float(_scalar_value(maxval))
        if lo < hi:
            return out.uniform_(lo, hi, generator=gen)
        return out.uniform_(0.0, 1.0, generator=gen) * (hi - lo) + lo
    lo, hi = _t(minval), _t(maxval)
    out.uniform_(0.0, 1.0, generator=gen)
    return out * (hi.to(dev, d) - lo.to(dev, d)) + lo.to(dev, d)


def _truncated_draw(dims, d, dev, gen, mean, stddev) -> torch.Tensor:
    # Low-precision types are drawn in float32 so the cut is applied exactly.
    work = d if d in (torch.float32, torch.float64) else torch.float32
    z = torch.empty(dims, dtype=work, device=dev).normal_(generator=gen)
    bad = z.abs() > 2.0
    count = int(bad.sum())
    while count:
        z[bad] = torch.empty(count, dtype=work, device=dev).normal_(generator=gen)
        bad = z.abs() > 2.0
        count = int(bad.sum())
    return _affine(z, mean, stddev).to(d)


def _categorical_draw(x: torch.Tensor, num_samples, gen, target: torch.dtype, op: str):
    if x.dim() != 2:
        raise ValueError(f"{op} needs 2-D logits (batch, num_classes), got shape {tuple(x.shape)}.")
    n = int(_scalar_value(num_samples))
    if n < 0:
        raise ValueError(f"{op}: num_samples must be >= 0, got {n}.")
    if n == 0:
        return torch.empty((x.shape[0], 0), dtype=target, device=x.device)
    if not x.is_floating_point():
        x = x.float()
    work = x.detach().to(torch.float64 if x.dtype == torch.float64 else torch.float32)
    # As TF's kernel: a non-finite logit (NaN, +inf or -inf) has zero probability, and a
    # row without any finite logit draws the out-of-range index num_classes every time.
    # RL code hits this with `tf.math.log` of a network's raw outputs (NaN for negatives).
    finite = torch.isfinite(work)
    empty = ~finite.any(dim=-1, keepdim=True)
    work = torch.where(finite, work, torch.tensor(-math.inf, dtype=work.dtype, device=x.device))
    work = torch.where(empty, torch.zeros((), dtype=work.dtype, device=x.device), work)
    probs = torch.softmax(work, dim=-1)
    out = torch.multinomial(probs, n, replacement=True, generator=gen)
    out = torch.where(empty, torch.tensor(x.shape[-1], dtype=out.dtype, device=x.device), out)
    return out if target == torch.int64 else out.to(target)


def _check_scalar_range(value, low, high, what: str, op: str) -> None:
    """Checks a Python/NumPy scalar argument (tensors are not read back, to avoid a sync)."""
    if isinstance(value, torch.Tensor) or np.ndim(value) != 0:
        return
    v = float(value)
    if not (low <= v <= high):
        bounds = f"in [{low}, {high}]" if high != math.inf else f">= {low}"
        raise ValueError(f"{op}: {what} must be {bounds}, got {v}.")


def _broadcast_param(value, dims, work, dev, what: str, op: str) -> torch.Tensor:
    t = _t(value).to(device=dev, dtype=work)
    try:
        full = torch.broadcast_shapes(t.shape, dims)
    except RuntimeError:
        full = None
    if full != tuple(dims):
        raise ValueError(
            f"{op}: {what} of shape {tuple(t.shape)} does not broadcast to shape {tuple(dims)}."
        )
    return t.expand(dims)


def _binomial_draw(dims, counts, probs, gen, dev, out_dtype, op: str) -> torch.Tensor:
    _check_scalar_range(counts, 0, math.inf, "counts", op)
    _check_scalar_range(probs, 0.0, 1.0, "probabilities", op)
    wide = any(isinstance(v, torch.Tensor) and v.dtype == torch.float64 for v in (counts, probs))
    work = torch.float64 if wide or out_dtype == torch.float64 else torch.float32
    c = _broadcast_param(counts, dims, work, dev, "counts", op)
    p = _broadcast_param(probs, dims, work, dev, "probabilities", op)
    return torch.binomial(c, p, generator=gen).to(out_dtype)


# ---------------------------------------------------------------- tf.random ops


def normal(
    shape, mean=0.0, stddev=1.0, dtype=torch.float32, seed=None, name: str | None = None
) -> torch.Tensor:
    """Draws values from a normal distribution.

    Args:
        shape: shape of the result.
        mean: mean (scalar or broadcastable tensor).
        stddev: standard deviation (scalar or broadcastable tensor).
        dtype: a float dtype, float32 by default.
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        A tensor of `shape`.

    Example:
    >>> tf.random.normal([2, 3]).shape
    torch.Size([2, 3])
    """
    del name
    dims = _shape_for(shape, "tf.random.normal")
    d = _float_dtype(dtype, "tf.random.normal")
    dev = current_device()
    return _normal_draw(dims, d, dev, _generator_for(seed, dev), mean, stddev)


def uniform(
    shape, minval=0, maxval=None, dtype=torch.float32, seed=None, name: str | None = None
) -> torch.Tensor:
    """Draws values uniformly from [minval, maxval).

    Float dtypes default to [0, 1). Integer dtypes need `maxval` and give
    integers in [minval, maxval).

    Args:
        shape: shape of the result.
        minval: lower bound, included.
        maxval: upper bound, excluded (default 1 for floats; required for ints).
        dtype: float or integer dtype, float32 by default.
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        A tensor of `shape`.

    Example:
    >>> x = tf.random.uniform([100], 0, 10, dtype=tf.int32)
    >>> bool(((x >= 0) & (x < 10)).all())
    True
    """
    del name
    dims = _shape_for(shape, "tf.random.uniform")
    d = as_dtype(dtype)
    dev = current_device()
    return _uniform_draw(
        dims, d, dev, _generator_for(seed, dev), minval, maxval, "tf.random.uniform"
    )


def _rates(value, work: torch.dtype, dev, what: str, op: str) -> torch.Tensor:
    rates = value if isinstance(value, torch.Tensor) else torch.as_tensor(np.asarray(value))
    if rates.device != dev:
        rates = rates.to(dev)
    if rates.is_complex() or rates.dtype == torch.bool:
        raise TypeError(f"{op}: {what} must be real numbers, got {rates.dtype}.")
    return rates.to(work)


def gamma(
    shape, alpha, beta=None, dtype=torch.float32, seed=None, name: str | None = None
) -> torch.Tensor:
    """Draws samples from Gamma distributions with shapes `alpha` and rates `beta`.

    Args:
        shape: the number of samples to draw for each distribution.
        alpha: the concentration (shape) parameters, a scalar or a tensor.
        beta: the inverse scale (rate) parameters, broadcastable with `alpha`; 1 if None.
        dtype: a float dtype, float32 by default.
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        A tensor of shape `shape + broadcast(alpha, beta).shape`.

    Example:
    >>> tf.random.gamma([10], alpha=[0.5, 1.5]).shape
    torch.Size([10, 2])
    """
    del name
    dims = _shape_for(shape, "tf.random.gamma")
    d = _float_dtype(dtype, "tf.random.gamma")
    dev = current_device()
    work = torch.float64 if d == torch.float64 else torch.float32
    a = _rates(alpha, work, dev, "alpha", "tf.random.gamma")
    b = None if beta is None else _rates(beta, work, dev, "beta", "tf.random.gamma")
    params = a.shape if b is None else torch.broadcast_shapes(a.shape, b.shape)
    concentration = a.expand(tuple(dims) + tuple(params)).contiguous()
    gen = _generator_for(seed, dev)
    if gen is None:
        draws = torch._standard_gamma(concentration)
    else:
        # torch's gamma sampler takes no generator: draw in a forked, seeded global state.
        sub_seed = int(torch.randint(0, 2**62, (), generator=gen, device=gen.device))
        with torch.random.fork_rng(devices=[dev] if dev.type == "cuda" else []):
            torch.manual_seed(sub_seed)
            draws = torch._standard_gamma(concentration)
    if b is not None:
        draws = draws / b
    return draws.to(d)


def poisson(shape, lam, dtype=torch.float32, seed=None, name: str | None = None) -> torch.Tensor:
    """Draws samples from Poisson distributions with rates `lam`.

    Args:
        shape: the number of samples to draw for each distribution.
        lam: the rates, a scalar or a tensor.
        dtype: the result dtype: a float dtype or int32/int64 (float32 by default).
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        A tensor of shape `shape + lam.shape`.

    Example:
    >>> tf.random.poisson([10], [0.5, 1.5]).shape
    torch.Size([10, 2])
    """
    del name
    dims = _shape_for(shape, "tf.random.poisson")
    d = as_dtype(dtype)
    if not (d.is_floating_point or d in (torch.int32, torch.int64)):
        raise TypeError(f"tf.random.poisson: dtype must be a float dtype, int32 or int64; got {d}.")
    dev = current_device()
    work = torch.float64 if d == torch.float64 else torch.float32
    rates = _rates(lam, work, dev, "lam", "tf.random.poisson")
    expanded = rates.expand(tuple(dims) + tuple(rates.shape)).contiguous()
    return torch.poisson(expanded, generator=_generator_for(seed, dev)).to(d)


def truncated_normal(
    shape, mean=0.0, stddev=1.0, dtype=torch.float32, seed=None, name: str | None = None
) -> torch.Tensor:
    """Draws from a normal distribution, redrawing values beyond 2 standard deviations.

    Unlike `torch.nn.init.trunc_normal_` (which cuts at absolute values), the
    cut is at `mean +- 2 * stddev`, as in TensorFlow.

    Args:
        shape: shape of the result.
        mean: mean of the untruncated distribution.
        stddev: standard deviation of the untruncated distribution.
        dtype: a float dtype, float32 by default.
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        A tensor of `shape` with values in [mean - 2 stddev, mean + 2 stddev].

    Example:
    >>> x = tf.random.truncated_normal([1000])
    >>> bool((x.abs() <= 2).all())
    True
    """
    del name
    dims = _shape_for(shape, "tf.random.truncated_normal")
    d = _float_dtype(dtype, "tf.random.truncated_normal")
    dev = current_device()
    return _truncated_draw(dims, d, dev, _generator_for(seed, dev), mean, stddev)


def shuffle(value, seed=None, name: str | None = None) -> torch.Tensor:
    """Randomly shuffles a tensor along its first dimension.

    Args:
        value: a tensor of rank >= 1.
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        A tensor with the rows of `value` in random order.

    Example:
    >>> sorted(tf.random.shuffle([1, 2, 3]).tolist())
    [1, 2, 3]
    """
    del name
    x = _t(value)
    if x.dim() == 0:
        return x.clone()
    perm = torch.randperm(x.shape[0], generator=_generator_for(seed, x.device), device=x.device)
    return x[perm]


def categorical(
    logits, num_samples, dtype=None, seed=None, name: str | None = None
) -> torch.Tensor:
    """Draws class indices from categorical distributions given by logits.

    Args:
        logits: a 2-D tensor `(batch, num_classes)` of unnormalized log-probabilities.
        num_samples: number of draws per row.
        dtype: integer dtype of the result, int64 by default.
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        An integer tensor of shape `(batch, num_samples)`.

    Example:
    >>> tf.random.categorical(tf.math.log([[0.5, 0.5]]), 5).shape
    torch.Size([1, 5])
    """
    del name
    x = _t(logits)
    target = torch.int64 if dtype is None else as_dtype(dtype)
    gen = _generator_for(seed, x.device)
    return _categorical_draw(x, num_samples, gen, target, "tf.random.categorical")


def _seed_pair(seed) -> tuple[list[int], torch.dtype]:
    """The two ints of a stateless seed and its integer dtype (int32 for Python ints).

    Lists and arrays are read with NumPy, not as tensors, so that a seed given as
    a constant also works inside symbolic (functional API) calls.
    """
    if isinstance(seed, torch.Tensor):
        kind, dims = seed.dtype, tuple(seed.shape)
        values = seed.tolist() if kind in (torch.int32, torch.int64) and dims == (2,) else None
    else:
        arr = np.asarray(seed)
        if np.issubdtype(arr.dtype, np.integer):
            wide = arr.dtype == np.int64 or arr.dtype == np.uint64
            if not isinstance(seed, np.ndarray) and (np.abs(arr) < 2**31).all():
                wide = False  # Python ints convert to int32, as in TF
            kind = torch.int64 if wide else torch.int32
        elif np.issubdtype(arr.dtype, np.floating):
            # Python floats convert to float32, as in TF.
            kind = (
                torch.float64
                if isinstance(seed, np.ndarray) and arr.dtype == np.float64
                else (torch.float32)
            )
        else:
            kind = torch.bool if arr.dtype == np.bool_ else torch.float64
        dims = arr.shape
        values = arr.tolist()
    if kind not in (torch.int32, torch.int64):
        name = {torch.float32: "float", torch.float64: "double"}.get(kind, dtype_name(kind))
        raise InvalidArgumentError(
            f"Value for attr 'Tseed' of {name} is not in the list of allowed values: int32, int64"
        )
    if tuple(dims) != (2,):
        shown = ",".join(str(d) for d in dims)
        raise InvalidArgumentError(f"seed must have shape [2], not [{shown}]")
    return [int(v) for v in values], kind


def _stateless_generator(seed) -> torch.Generator:
    pair, _ = _seed_pair(seed)
    return _pair_generator(pair[0], pair[1])


def _full_int_draw(gen, count: int, dtype: torch.dtype) -> list[int]:
    """`count` ints spread over the whole range of `dtype` (int32 or int64)."""
    bits = 64 if dtype == torch.int64 else 32
    # Drawn in (high, low) pairs so that a longer draw extends a shorter one.
    words = torch.randint(0, 2**32, (count, 2), generator=gen, dtype=torch.int64).tolist()
    out = []
    for a, b in words:
        v = ((a << 32) | b) if bits == 64 else b
        out.append(v - (1 << bits) if v >= 1 << (bits - 1) else v)
    return out


def fold_in(seed, data, alg="auto_select") -> torch.Tensor:
    """Folds an integer into a stateless seed, giving a new seed.

    The result is `[x, data]` with `x` drawn from `seed`: different `data`
    give independent seeds. Same structure as TensorFlow's, not its numbers.

    Args:
        seed: a stateless seed, two ints.
        data: an int to fold in.
        alg: unused (tork draws with torch's generator).

    Returns:
        A new seed: a tensor of two ints, in the dtype of `data` (int32 for a
        Python int).

    Example:
    >>> s = tf.random.fold_in([1, 2], 3)
    >>> s.shape, int(s[1])
    (torch.Size([2]), 3)
    """
    del alg
    pair, _ = _seed_pair(seed)
    d = _t(data)
    if d.dtype not in (torch.int32, torch.int64):
        raise TypeError(
            f"tf.random.fold_in: data must be an int32 or int64, got {dtype_name(d.dtype)}."
        )
    value = int(d.reshape(()).item())
    # As in TensorFlow, the first word depends on the seed only; `data` tells folds apart.
    first = _full_int_draw(_pair_generator(pair[0], pair[1]), 1, d.dtype)[0]
    return torch.tensor([first, value], dtype=d.dtype, device=current_device())


def split(seed, num=2, alg="auto_select") -> torch.Tensor:
    """Splits a stateless seed into `num` new seeds.

    Args:
        seed: a stateless seed, two ints.
        num: the number of new seeds (>= 0).
        alg: unused (tork draws with torch's generator).

    Returns:
        A tensor `(num, 2)` in the seed's dtype (int32 for Python ints).

    Example:
    >>> tf.random.split([1, 2], 3).shape
    torch.Size([3, 2])
    """
    del alg
    pair, dt = _seed_pair(seed)
    n = int(_scalar_value(num))
    if n < 0:
        raise InvalidArgumentError(f"tf.random.split: num must be non-negative, got {n}.")
    # The first draw of this generator is what fold_in uses: salt it apart.
    gen = _pair_generator(_mix(pair[0], 0x5B11), pair[1])
    values = _full_int_draw(gen, 2 * n, dt)
    return torch.tensor(values, dtype=dt, device=current_device()).reshape(n, 2)


def stateless_categorical(
    logits, num_samples, seed, dtype=torch.int64, name: str | None = None
) -> torch.Tensor:
    """Draws class indices from logits, fully determined by `seed`.

    Args:
        logits: a 2-D tensor `(batch, num_classes)` of unnormalized log-probabilities.
        num_samples: number of draws per row (>= 0).
        seed: two ints.
        dtype: int32 or int64 (the default).
        name: unused.

    Returns:
        An integer tensor `(batch, num_samples)`.

    Example:
    >>> a = tf.random.stateless_categorical([[0.0, 1.0]], 4, seed=[1, 2])
    >>> bool((a == tf.random.stateless_categorical([[0.0, 1.0]], 4, seed=[1, 2])).all())
    True
    """
    del name
    target = as_dtype(dtype)
    if target not in (torch.int32, torch.int64):
        raise ValueError(
            f"Argument `dtype` got invalid value {dtype_name(target)}. Accepted dtypes are "
            "(tf.int32, tf.int64)."
        )
    x = _t(logits)
    if x.dim() != 2:
        dims = ",".join(str(d) for d in x.shape)
        raise InvalidArgumentError(f"logits should be a matrix, got shape [{dims}]")
    n = int(_scalar_value(num_samples))
    if n < 0:
        raise InvalidArgumentError(f"num_samples should be non-negative, got {n}")
    pair, _ = _seed_pair(seed)
    gen = _pair_generator(pair[0], pair[1], x.device)
    return _categorical_draw(x, n, gen, target, "tf.random.stateless_categorical")


def stateless_truncated_normal(
    shape,
    seed,
    mean=0.0,
    stddev=1.0,
    dtype=torch.float32,
    name: str | None = None,
    alg="auto_select",
) -> torch.Tensor:
    """Truncated normal values (within 2 standard deviations), fully determined by `seed`.

    Args:
        shape: shape of the result.
        seed: two ints.
        mean: mean of the untruncated distribution.
        stddev: standard deviation of the untruncated distribution.
        dtype: a float dtype.
        name: unused.
        alg: unused.

    Returns:
        A tensor of `shape` with values in `[mean - 2 stddev, mean + 2 stddev]`.

    Example:
    >>> x = tf.random.stateless_truncated_normal([100], seed=[1, 2])
    >>> bool((x.abs() <= 2).all())
    True
    """
    del name, alg
    dims = _shape_for(shape, "tf.random.stateless_truncated_normal")
    d = _float_dtype(dtype, "tf.random.stateless_truncated_normal")
    pair, _ = _seed_pair(seed)
    dev = current_device()
    return _truncated_draw(dims, d, dev, _pair_generator(pair[0], pair[1], dev), mean, stddev)


def stateless_normal(
    shape,
    seed,
    mean=0.0,
    stddev=1.0,
    dtype=torch.float32,
    name: str | None = None,
    alg="auto_select",
) -> torch.Tensor:
    """Draws normal values fully determined by `seed` (the same seed gives the same values).

    Args:
        shape: shape of the result.
        seed: two ints.
        mean: mean.
        stddev: standard deviation.
        dtype: a float dtype.
        name: unused.
        alg: unused.

    Returns:
        A tensor of `shape`.

    Example:
    >>> a = tf.random.stateless_normal([2], seed=[1, 2])
    >>> bool((a == tf.random.stateless_normal([2], seed=[1, 2])).all())
    True
    """
    del name, alg
    dims = _shape_for(shape, "tf.random.stateless_normal")
    d = _float_dtype(dtype, "tf.random.stateless_normal")
    out = torch.empty(dims, dtype=d, device=current_device())
    return _affine(out.normal_(0.0, 1.0, generator=_stateless_generator(seed)), mean, stddev)


def _stateless_params(shape, params, op: str) -> tuple[int, ...]:
    """`shape` as a tuple, checked to end with the broadcast shape of `params` (as TF)."""
    dims = tuple(_shape_for(shape, op))
    try:
        full = torch.broadcast_shapes(*(tuple(p.shape) for p in params))
        ok = len(full) <= len(dims) and torch.broadcast_shapes(full, dims) == dims
    except RuntimeError:
        ok = False
    if not ok:
        shapes = ", ".join(str(list(p.shape)) for p in params)
        raise InvalidArgumentError(
            f"{op}: Shape passed in must end with broadcasted shape: shape {list(dims)}, "
            f"parameter shapes {shapes}."
        )
    return dims


def _seeded_gamma(concentration: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    # torch's gamma sampler takes no generator: draw in a forked global state seeded from it.
    sub_seed = int(torch.randint(0, 2**62, (), generator=gen, device=gen.device))
    dev = concentration.device
    with torch.random.fork_rng(devices=[dev] if dev.type == "cuda" else []):
        torch.manual_seed(sub_seed)
        return torch._standard_gamma(concentration)


def stateless_binomial(
    shape, seed, counts, probs, output_dtype=torch.int32, name: str | None = None
) -> torch.Tensor:
    """Binomial draws fully determined by `seed` (the same seed gives the same values).

    Args:
        shape: shape of the result; `counts` and `probs` broadcast to it.
        seed: two ints.
        counts: the number of trials, a scalar or a tensor.
        probs: the success probabilities, a scalar or a tensor.
        output_dtype: the result dtype (int32 by default).
        name: unused.

    Returns:
        A tensor of `shape`: the number of successes.

    Example:
    >>> tf.random.stateless_binomial([2, 3], seed=[1, 2], counts=[10.0, 20.0, 30.0], probs=0.8).shape
    torch.Size([2, 3])
    """
    del name
    op = "tf.random.stateless_binomial"
    dims = _stateless_params(shape, (_t(counts), _t(probs)), op)
    dev = current_device()
    pair, _ = _seed_pair(seed)
    gen = _pair_generator(pair[0], pair[1], dev)
    return _binomial_draw(dims, counts, probs, gen, dev, as_dtype(output_dtype), op)


def stateless_gamma(
    shape, seed, alpha, beta=None, dtype=torch.float32, name: str | None = None
) -> torch.Tensor:
    """Gamma draws (concentration `alpha`, rate `beta`) fully determined by `seed`.

    Unlike `tf.random.gamma`, `shape` is the whole result shape: it must end with the
    broadcast shape of `alpha` and `beta`.

    Args:
        shape: shape of the result.
        seed: two ints.
        alpha: the concentration (shape) parameters.
        beta: the rates (inverse scales); 1 if None.
        dtype: a float dtype, float32 by default.
        name: unused.

    Returns:
        A tensor of `shape`.

    Example:
    >>> tf.random.stateless_gamma([10, 2], seed=[12, 34], alpha=[0.5, 1.5]).shape
    torch.Size([10, 2])
    """
    del name
    op = "tf.random.stateless_gamma"
    d = _float_dtype(dtype, op)
    dev = current_device()
    work = torch.float64 if d == torch.float64 else torch.float32
    a = _rates(alpha, work, dev, "alpha", op)
    b = None if beta is None else _rates(beta, work, dev, "beta", op)
    dims = _stateless_params(shape, (a,) if b is None else (a, b), op)
    pair, _ = _seed_pair(seed)
    draws = _seeded_gamma(a.expand(dims).contiguous(), _pair_generator(pair[0], pair[1], dev))
    if b is not None:
        draws = draws / b
    return draws.to(d)


def stateless_poisson(shape, seed, lam, dtype=torch.int32, name: str | None = None) -> torch.Tensor:
    """Poisson draws with rates `lam`, fully determined by `seed`.

    Args:
        shape: shape of the result; it must end with the shape of `lam`.
        seed: two ints.
        lam: the rates, a scalar or a tensor.
        dtype: the result dtype: int32 (default), int64 or a float dtype.
        name: unused.

    Returns:
        A tensor of `shape`.

    Example:
    >>> tf.random.stateless_poisson([10, 2], seed=[12, 34], lam=[5, 15]).dtype
    torch.int32
    """
    del name
    op = "tf.random.stateless_poisson"
    d = as_dtype(dtype)
    if not (d.is_floating_point or d in (torch.int32, torch.int64)):
        raise TypeError(f"{op}: dtype must be a float dtype, int32 or int64; got {d}.")
    dev = current_device()
    work = torch.float64 if d == torch.float64 else torch.float32
    rates = _rates(lam, work, dev, "lam", op)
    dims = _stateless_params(shape, (rates,), op)
    pair, _ = _seed_pair(seed)
    gen = _pair_generator(pair[0], pair[1], dev)
    return torch.poisson(rates.expand(dims).contiguous(), generator=gen).to(d)


def stateless_parameterized_truncated_normal(
    shape, seed, means=0.0, stddevs=1.0, minvals=-2.0, maxvals=2.0, name: str | None = None
) -> torch.Tensor:
    """Normal draws truncated to `[minvals, maxvals]`, per element, fully determined by `seed`.

    Args:
        shape: shape of the result; every parameter broadcasts to it.
        seed: two ints.
        means: the means of the untruncated normals.
        stddevs: their standard deviations.
        minvals: the lower bounds.
        maxvals: the upper bounds.
        name: unused.

    Returns:
        A tensor of `shape`, of the dtype of `means` (float32 for Python numbers).

    Example:
    >>> x = tf.random.stateless_parameterized_truncated_normal(
    ...     [10, 2], seed=[12, 34], means=[0.0, 1.0], stddevs=[1.0, 2.0],
    ...     minvals=[-1.0, 0.0], maxvals=[1.0, 3.0])
    >>> x.shape
    torch.Size([10, 2])
    """
    del name
    op = "tf.random.stateless_parameterized_truncated_normal"
    first = _t(means)
    d = first.dtype if first.is_floating_point() else torch.float32
    params = [_t(v) for v in (means, stddevs, minvals, maxvals)]
    dims = _stateless_params(shape, params, op)
    dev = current_device()
    mean, std, low, high = (v.to(device=dev, dtype=torch.float64).expand(dims) for v in params)
    a, b = (low - mean) / std, (high - mean) / std
    # Inverse-CDF sampling on the standardized bounds. Intervals above the mean are
    # reflected below it, where the normal CDF keeps its precision in the tail.
    flip = a > 0
    lo, hi = torch.where(flip, -b, a), torch.where(flip, -a, b)
    pair, _ = _seed_pair(seed)
    u = torch.rand(dims, dtype=torch.float64, generator=_pair_generator(pair[0], pair[1], dev))
    cdf_lo, cdf_hi = torch.special.ndtr(lo), torch.special.ndtr(hi)
    z = torch.special.ndtri(cdf_lo + u * (cdf_hi - cdf_lo))
    z = torch.minimum(torch.maximum(z, lo), hi)
    z = torch.where(flip, -z, z)
    return (mean + std * z).to(d)


def stateless_uniform(
    shape,
    seed,
    minval=0,
    maxval=None,
    dtype=torch.float32,
    name: str | None = None,
    alg="auto_select",
) -> torch.Tensor:
    """Draws uniform values fully determined by `seed`.

    Args:
        shape: shape of the result.
        seed: two ints.
        minval: lower bound, included.
        maxval: upper bound, excluded (default 1 for floats; required for ints, unless
            both bounds are None: integers over the dtype's full range).
        dtype: float or integer dtype.
        name: unused.
        alg: unused.

    Returns:
        A tensor of `shape`.

    Example:
    >>> tf.random.stateless_uniform([3], seed=[1, 2]).shape
    torch.Size([3])
    """
    del name, alg
    dims = _shape_for(shape, "tf.random.stateless_uniform")
    d = as_dtype(dtype)
    gen = _stateless_generator(seed)
    dev = current_device()
    if not d.is_floating_point:
        if minval is None and maxval is None:
            # TF: both None with an integer dtype draws over the dtype's full range.
            info = torch.iinfo(d)
            out = torch.empty(dims, dtype=d, device=dev)
            return out.random_(info.min, None, generator=gen)
        if maxval is None:
            raise ValueError(
                f"Must specify maxval for integer dtype {dtype_name(d)} in "
                "tf.random.stateless_uniform (or minval=None and maxval=None for the "
                "dtype's full range)."
            )
        lo, hi = _check_int_uniform(d, minval, maxval, "tf.random.stateless_uniform")
        return torch.randint(lo, hi, dims, generator=gen, dtype=d, device=dev)
    hi = 1.0 if maxval is None else float(_scalar_value(maxval))
    lo = float(_scalar_value(minval))
    return torch.empty(dims, dtype=d, device=dev).uniform_(lo, hi, generator=gen)


# ---------------------------------------------------------------- candidate samplers
# TensorFlow's candidate samplers (for sampled softmax and negative sampling, as in the
# word2vec tutorial). They are CPU ops in TensorFlow too: tork draws on the CPU and moves
# the results to the current device.

_LogUniformResult = collections.namedtuple(
    "LogUniformCandidateSampler",
    ["sampled_candidates", "true_expected_count", "sampled_expected_count"],
)
_UniformResult = collections.namedtuple("UniformCandidateSampler", _LogUniformResult._fields)
_LearnedResult = collections.namedtuple("LearnedUnigramCandidateSampler", _LogUniformResult._fields)

# The counts a learned unigram sampler keeps between calls, one table per (op arguments,
# seeds), as TensorFlow keeps one stateful kernel per distinct op; `set_seed` clears them.
_learned_counts: dict[tuple, torch.Tensor] = {}


def _attr_int(value, what: str, minimum: int) -> int:
    """An int op argument, checked the way TensorFlow checks op attributes."""
    v = _scalar_value(value)
    if isinstance(v, str) or not isinstance(v, numbers.Real):
        raise TypeError(f"Expected int for argument '{what}' not {v!r}.")
    v = int(v)
    if v < minimum:
        raise InvalidArgumentError(
            f"Value for attr '{what}' of {v} must be at least minimum {minimum}"
        )
    return v


def _true_classes_array(true_classes, kernel: str) -> np.ndarray:
    """`true_classes` as an int64 NumPy matrix; like TensorFlow, only int64 tensors pass."""
    if isinstance(true_classes, np.ndarray):
        return true_classes.astype(np.int64)
    if isinstance(true_classes, (list, tuple)):
        values = np.asarray(true_classes)
        if values.size and not np.issubdtype(values.dtype, np.integer):
            raise TypeError(f"Cannot convert {true_classes!r} to EagerTensor of dtype int64")
        return values.astype(np.int64)
    t = _t(true_classes)
    if t.dtype != torch.int64:
        raise InvalidArgumentError(
            f"cannot compute {kernel} as input #0(zero-based) was expected to be a int64 "
            f"tensor but is a {dtype_name(t.dtype)} tensor"
        )
    return t.detach().cpu().numpy()


def _log_uniform_draw(gen, n: int, range_max: int) -> np.ndarray:
    # floor(exp(u * log(range_max + 1))) - 1 takes the value c with probability
    # (log(c + 2) - log(c + 1)) / log(range_max + 1); the clip guards float rounding at the top.
    u = torch.rand(n, dtype=torch.float64, generator=gen).numpy()
    values = np.floor(np.exp(u * math.log1p(range_max))).astype(np.int64) - 1
    return np.clip(values, 0, range_max - 1)


def _log_uniform_prob(values: np.ndarray, range_max: int) -> np.ndarray:
    v = values.astype(np.float64)
    return np.log((v + 2.0) / (v + 1.0)) / math.log1p(range_max)


def _expected_count(p: np.ndarray, num_tries: int, num_sampled: int) -> torch.Tensor:
    """How often a class of probability `p` is expected among the sampled candidates.

    In float32 arithmetic, as TensorFlow. Without a rejected draw (always the case
    for `unique=False`) it is `p * num_sampled`; otherwise the chance that the class
    came up in `num_tries` draws, `1 - (1 - p) ** num_tries`, computed stably.
    """
    p32 = torch.from_numpy(np.asarray(p, dtype=np.float32))
    if num_tries == num_sampled:
        return p32 * num_sampled
    return -torch.expm1(torch.log1p(-p32) * num_tries)


def _candidate_sample(
    kernel: str,
    result_type,
    true_classes,
    num_true,
    num_sampled,
    unique,
    range_max,
    draw,
    prob,
):
    """Samples candidates and their expected counts, as TensorFlow's candidate samplers.

    `draw(n)` gives n independent candidates (int64 NumPy array); `prob(values)` their
    probabilities (float64 NumPy array).
    """
    if not isinstance(unique, bool):
        raise TypeError(f"Expected bool for argument 'unique' not {unique!r}.")
    classes = _true_classes_array(true_classes, kernel)
    if classes.ndim != 2:
        raise InvalidArgumentError("true_classes must be a matrix")
    if classes.shape[1] != num_true:
        raise InvalidArgumentError(
            f"true_classes must have num_true columns, expected: {classes.shape[1]} was: {num_true}"
        )
    if unique and num_sampled > range_max:
        raise InvalidArgumentError("Sampler's range is too small.")
    bad = classes[(classes < 0) | (classes >= range_max)]
    if bad.size:
        raise InvalidArgumentError(
            f"`true_candidate` out of range [0, {range_max}), received {int(bad[0])}"
        )
    if not unique:
        sampled = draw(num_sampled)
        num_tries = num_sampled
    else:
        # Rejection: keep drawing until num_sampled distinct values came up; the values are
        # kept in the order they first appeared and num_tries counts every draw up to the
        # last one kept. Drawn in growing chunks instead of one value at a time.
        stream = draw(2 * num_sampled + 16)
        while True:
            values, first = np.unique(stream, return_index=True)
            if values.size >= num_sampled:
                order = np.sort(first)[:num_sampled]
                sampled = stream[order]
                num_tries = int(order[-1]) + 1
                break
            stream = np.concatenate([stream, draw(stream.size)])

    dev = current_device()
    return result_type(
        torch.from_numpy(np.ascontiguousarray(sampled, dtype=np.int64)).to(dev),
        _expected_count(prob(classes), num_tries, num_sampled).to(dev),
        _expected_count(prob(sampled), num_tries, num_sampled).to(dev),
    )


def _sampler_args(num_true, num_sampled, range_max):
    return (
        _attr_int(num_true, "num_true", 1),
        _attr_int(num_sampled, "num_sampled", 1),
        _attr_int(range_max, "range_max", 1),
    )


def log_uniform_candidate_sampler(
    true_classes,
    num_true,
    num_sampled,
    unique,
    range_max,
    seed=None,
    name: str | None = None,
):
    """Samples candidate classes from a log-uniform (Zipfian) distribution.

    Class `c` in `[0, range_max)` is drawn with probability
    `(log(c + 2) - log(c + 1)) / log(range_max + 1)`: small ids (frequent words,
    when the vocabulary is sorted by frequency) come up most often.

    Args:
        true_classes: an int64 tensor `(batch_size, num_true)`, the target classes.
        num_true: the number of target classes per example.
        num_sampled: the number of classes to sample.
        unique: if True, draw until `num_sampled` distinct classes came up.
        range_max: the number of possible classes.
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        A namedtuple `(sampled_candidates, true_expected_count,
        sampled_expected_count)`: the int64 samples `(num_sampled,)`, and the
        float32 expected number of times each true class `(batch_size, num_true)`
        and each sampled class `(num_sampled,)` would be drawn (for the
        correction in sampled softmax).

    Example:
    >>> s = tf.random.log_uniform_candidate_sampler(
    ...     tf.constant([[3]], tf.int64), 1, 4, True, 100, seed=1)
    >>> s.sampled_candidates.shape, s.true_expected_count.shape
    (torch.Size([4]), torch.Size([1, 1]))
    """
    del name
    num_true, num_sampled, range_max = _sampler_args(num_true, num_sampled, range_max)
    gen = _generator_for(seed, "cpu")
    return _candidate_sample(
        "LogUniformCandidateSampler",
        _LogUniformResult,
        true_classes,
        num_true,
        num_sampled,
        unique,
        range_max,
        lambda n: _log_uniform_draw(gen, n, range_max),
        lambda v: _log_uniform_prob(v, range_max),
    )


def uniform_candidate_sampler(
    true_classes,
    num_true,
    num_sampled,
    unique,
    range_max,
    seed=None,
    name: str | None = None,
):
    """Samples candidate classes uniformly from `[0, range_max)`.

    Args:
        true_classes: an int64 tensor `(batch_size, num_true)`, the target classes.
        num_true: the number of target classes per example.
        num_sampled: the number of classes to sample.
        unique: if True, draw until `num_sampled` distinct classes came up.
        range_max: the number of possible classes.
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        A namedtuple `(sampled_candidates, true_expected_count,
        sampled_expected_count)`, as `tf.random.log_uniform_candidate_sampler`.

    Example:
    >>> s = tf.random.uniform_candidate_sampler(
    ...     tf.constant([[3]], tf.int64), 1, 4, False, 10, seed=1)
    >>> s.sampled_expected_count.tolist()
    [0.4000000059604645, 0.4000000059604645, 0.4000000059604645, 0.4000000059604645]
    """
    del name
    num_true, num_sampled, range_max = _sampler_args(num_true, num_sampled, range_max)
    gen = _generator_for(seed, "cpu")
    return _candidate_sample(
        "UniformCandidateSampler",
        _UniformResult,
        true_classes,
        num_true,
        num_sampled,
        unique,
        range_max,
        lambda n: torch.randint(0, range_max, (n,), generator=gen, dtype=torch.int64).numpy(),
        lambda v: np.full(v.shape, 1.0 / range_max),
    )


def learned_unigram_candidate_sampler(
    true_classes,
    num_true,
    num_sampled,
    unique,
    range_max,
    seed=None,
    name: str | None = None,
):
    """Samples candidate classes from the frequencies of the true classes seen so far.

    Every class starts with a count of 1; after sampling, each entry of
    `true_classes` adds 1 to its class's count. Class `c` is drawn with
    probability `count[c] / sum(count)`. As in TensorFlow's eager mode, the
    counts are kept between calls with the same arguments and the same op seed
    (or no seed and no global seed), until the next `tf.random.set_seed`; with a
    global seed and no op seed, each call starts afresh.

    Args:
        true_classes: an int64 tensor `(batch_size, num_true)`, the target classes.
        num_true: the number of target classes per example.
        num_sampled: the number of classes to sample.
        unique: if True, draw until `num_sampled` distinct classes came up.
        range_max: the number of possible classes.
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        A namedtuple `(sampled_candidates, true_expected_count,
        sampled_expected_count)`, as `tf.random.log_uniform_candidate_sampler`.

    Example:
    >>> s = tf.random.learned_unigram_candidate_sampler(
    ...     tf.constant([[3]], tf.int64), 1, 2, False, 10, seed=1)
    >>> s.true_expected_count.tolist()
    [[0.20000000298023224]]
    """
    del name
    num_true, num_sampled, range_max = _sampler_args(num_true, num_sampled, range_max)
    if not isinstance(unique, bool):
        raise TypeError(f"Expected bool for argument 'unique' not {unique!r}.")
    counts = None
    if seed is not None or _global_seed is None:
        key = (num_true, num_sampled, unique, range_max, _global_seed, seed)
        counts = _learned_counts.get(key)
        if counts is None:
            counts = _learned_counts[key] = torch.ones(range_max, dtype=torch.float64)
    else:
        counts = torch.ones(range_max, dtype=torch.float64)
    gen = _generator_for(seed, "cpu")
    result = _candidate_sample(
        "LearnedUnigramCandidateSampler",
        _LearnedResult,
        true_classes,
        num_true,
        num_sampled,
        unique,
        range_max,
        lambda n: torch.multinomial(counts, n, replacement=True, generator=gen).numpy(),
        lambda v: counts.numpy()[v] / float(counts.sum()),
    )
    # The counts learn from this batch only after it was sampled, as in TensorFlow.
    seen = _true_classes_array(true_classes, "LearnedUnigramCandidateSampler").reshape(-1)
    counts.index_add_(0, torch.from_numpy(seen), torch.ones(seen.size, dtype=torch.float64))
    return result


_AllResult = collections.namedtuple("AllCandidateSampler", _LogUniformResult._fields)
_FixedResult = collections.namedtuple("FixedUnigramCandidateSampler", _LogUniformResult._fields)


def all_candidate_sampler(
    true_classes, num_true, num_sampled, unique, seed=None, name: str | None = None
):
    """Returns every class `0 .. num_sampled - 1` as the candidates (for testing samplers).

    Args:
        true_classes: an int64 tensor `(batch_size, num_true)`.
        num_true: the number of target classes per example.
        num_sampled: the number of classes; all of them are returned.
        unique: a bool (no effect: every class comes up once).
        seed: unused (nothing is random).
        name: unused.

    Returns:
        A namedtuple `(sampled_candidates, true_expected_count,
        sampled_expected_count)`: `range(num_sampled)` as int64 and float32 ones
        of shapes `(batch_size, num_true)` and `(num_sampled,)`.

    Example:
    >>> tf.random.all_candidate_sampler(tf.constant([[1]], tf.int64), 1, 3, True)[0].tolist()
    [0, 1, 2]
    """
    del seed, name
    num_true = _attr_int(num_true, "num_true", 1)
    num_sampled = _attr_int(num_sampled, "num_sampled", 1)
    if not isinstance(unique, bool):
        raise TypeError(f"Expected bool for argument 'unique' not {unique!r}.")
    classes = _true_classes_array(true_classes, "AllCandidateSampler")
    if classes.ndim != 2:
        raise InvalidArgumentError("true_classes must be a matrix")
    if classes.shape[1] != num_true:
        raise InvalidArgumentError(
            f"true_classes must have num_true columns, expected: {classes.shape[1]} was: {num_true}"
        )
    dev = current_device()
    return _AllResult(
        torch.arange(num_sampled, dtype=torch.int64, device=dev),
        torch.ones(classes.shape, dtype=torch.float32, device=dev),
        torch.ones(num_sampled, dtype=torch.float32, device=dev),
    )


def _unigram_weights(vocab_file, unigrams) -> list[float]:
    """The weights of a fixed unigram sampler: a list, or the last CSV field of each line."""
    if unigrams is not None and not isinstance(unigrams, (list, tuple)):
        unigrams = _t(unigrams).reshape(-1).tolist()
    has_file = bool(vocab_file)
    has_list = unigrams is not None and len(unigrams) > 0
    if has_file and has_list:
        raise InvalidArgumentError("Must only provide one of vocab_file and unigrams.")
    if not has_file and not has_list:
        raise InvalidArgumentError("Must provide either vocab_file or unigrams.")
    if has_list:
        return [float(_scalar_value(w)) for w in unigrams]
    path = vocab_file.decode() if isinstance(vocab_file, bytes) else str(vocab_file)
    try:
        with open(path, encoding="utf-8") as f:
            lines = [line.rstrip("\r\n") for line in f]
    except FileNotFoundError:
        raise _NotFoundError(f"{path}; No such file or directory") from None
    weights = []
    for number, line in enumerate(lines, 1):
        if not line:
            continue
        field = line.split(",")[-1]
        try:
            weights.append(float(field))
        except ValueError:
            raise InvalidArgumentError(
                f"Wrong vocabulary format at line: {number} of {path}: {line!r} does not end with "
                "a number"
            ) from None
    return weights


def fixed_unigram_candidate_sampler(
    true_classes,
    num_true,
    num_sampled,
    unique,
    range_max,
    vocab_file="",
    distortion=1.0,
    num_reserved_ids=0,
    num_shards=1,
    shard=0,
    unigrams=(),
    seed=None,
    name: str | None = None,
):
    """Samples candidate classes from given unigram weights (a list or a vocabulary file).

    Class ids `0 .. num_reserved_ids - 1` get weight 0; the following ids take
    the weights of `unigrams` (or of the lines of `vocab_file`, whose last
    comma-separated field is the count), each raised to `distortion`. Class `c`
    is drawn with probability `weight[c] / sum(weight)`.

    Args:
        true_classes: an int64 tensor `(batch_size, num_true)`, the target classes.
        num_true: the number of target classes per example.
        num_sampled: the number of classes to sample.
        unique: if True, draw until `num_sampled` distinct classes came up.
        range_max: the number of classes: `num_reserved_ids` plus the number of weights.
        vocab_file: a text file of counts, one class per line (`word,count` or `count`).
        distortion: the power applied to each weight (1: the unigram
            distribution, 0: uniform over the listed classes).
        num_reserved_ids: leading class ids that are never sampled.
        num_shards: accepted (>= 1); like TensorFlow 2.21, no effect on the samples.
        shard: accepted (in `[0, num_shards)`); no effect either.
        unigrams: the class weights (instead of `vocab_file`).
        seed: optional op seed (see `tf.random.set_seed`).
        name: unused.

    Returns:
        A namedtuple `(sampled_candidates, true_expected_count,
        sampled_expected_count)`, as `tf.random.log_uniform_candidate_sampler`.

    Example:
    >>> s = tf.random.fixed_unigram_candidate_sampler(
    ...     tf.constant([[4]], tf.int64), 1, 2, False, 5, unigrams=[1, 2, 3, 4, 5], seed=1)
    >>> [round(v, 4) for v in s.true_expected_count[0].tolist()]
    [0.6667]
    """
    del name
    num_true, num_sampled, range_max = _sampler_args(num_true, num_sampled, range_max)
    reserved = _attr_int(num_reserved_ids, "num_reserved_ids", 0)
    shards = _attr_int(num_shards, "num_shards", 1)
    shard = _attr_int(shard, "shard", 0)
    if shard >= shards:
        raise InvalidArgumentError(f"shard {shard} must be in [0, num_shards={shards})")
    power = np.float32(float(_scalar_value(distortion)))
    weights = np.concatenate(
        [
            np.zeros(reserved, np.float32),
            np.power(np.asarray(_unigram_weights(vocab_file, unigrams), np.float32), power),
        ]
    ).astype(np.float32)
    if weights.size != range_max:
        raise InvalidArgumentError(
            f"range is {range_max} must be equal to weights size  {weights.size}"
        )
    total = np.float32(0)
    for w in weights:  # float32 running sum, as TensorFlow's kernel
        total = np.float32(total + w)
    gen = _generator_for(seed, "cpu")
    probs = torch.from_numpy(weights.astype(np.float64))
    return _candidate_sample(
        "FixedUnigramCandidateSampler",
        _FixedResult,
        true_classes,
        num_true,
        num_sampled,
        unique,
        range_max,
        lambda n: torch.multinomial(probs, n, replacement=True, generator=gen).numpy(),
        lambda v: weights[v] / total,
    )


# ---------------------------------------------------------------- tf.random.Generator


class Algorithm(enum.Enum):
    """The random-number algorithms a `tf.random.Generator` accepts, as `tf.random.Algorithm`.

    tork draws every algorithm with torch's generators; the choice sets the
    shape of the generator's state (3 words for Philox, 2 for ThreeFry) and
    gives a different stream for the same seed.

    Example:
    >>> tf.random.Generator.from_seed(1, alg=tf.random.Algorithm.THREEFRY).algorithm
    2
    """

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


_ALG_BY_NAME = {"philox": 1, "threefry": 2, "auto_select": 3}
_ALG_NAMES = {1: "philox", 2: "threefry", 3: "auto_select"}
# State words: Philox (and auto_select) [counter_low, counter_high, key]; ThreeFry [counter, key].
_STATE_SIZES = {1: 3, 2: 2, 3: 3}
_FULL_INT_BASE = {
    torch.int32: torch.int32,
    torch.uint32: torch.int32,
    torch.int64: torch.int64,
    torch.uint64: torch.int64,
}


def _alg_int(alg) -> int:
    if alg is None:
        return Algorithm.PHILOX.value
    if isinstance(alg, Algorithm):
        return alg.value
    value = None
    if isinstance(alg, str):
        value = _ALG_BY_NAME.get(alg.lower())
    elif isinstance(alg, numbers.Integral) and not isinstance(alg, bool):
        value = int(alg) if int(alg) in _ALG_NAMES else None
    if value is None:
        raise ValueError(
            f"Unknown random-number algorithm {alg!r}; use 'philox', 'threefry' or "
            "'auto_select' (or a tf.random.Algorithm)."
        )
    return value


def _signed64(word: int) -> int:
    word &= _MASK64
    return word - (1 << 64) if word >> 63 else word


def _int_words(value, what: str) -> list[int]:
    """A flat list of Python ints from an int, list, array or tensor of ints."""
    if isinstance(value, torch.Tensor):
        if value.is_floating_point() or value.is_complex() or value.dtype == torch.bool:
            raise TypeError(f"{what} must hold ints, got a tensor of dtype {value.dtype}.")
        return [int(v) for v in value.detach().reshape(-1).tolist()]
    if isinstance(value, np.ndarray):
        if not np.issubdtype(value.dtype, np.integer):
            raise TypeError(f"{what} must hold ints, got an array of dtype {value.dtype}.")
        return [int(v) for v in value.reshape(-1).tolist()]
    if isinstance(value, (list, tuple)):
        words = []
        for v in value:
            words.extend(_int_words(v, what))
        return words
    return [_seed_value(value)]


def _seed_key(seed) -> int:
    """The 64-bit key a seed selects: the seed itself when it fits in 64 bits."""
    if isinstance(seed, (list, tuple, np.ndarray, torch.Tensor)):
        words = [w & _MASK64 for w in _int_words(seed, "A generator seed")]
        if not words:
            raise ValueError("A generator seed needs at least one int, got an empty sequence.")
    else:
        value = _seed_value(seed)
        if value < 0:
            words = [value & _MASK64]
        else:
            words = []
            while True:
                words.append(value & _MASK64)
                value >>= 64
                if not value:
                    break
    # Trailing zero words do not change the key, so 5, [5] and [5, 0] are one seed (as TF pads).
    while len(words) > 1 and words[-1] == 0:
        words.pop()
    key = words[0]
    for word in words[1:]:
        key = _mix(key, word)
    return key


def _pack(key: int, counter: int, alg: int) -> list[int]:
    if _STATE_SIZES[alg] == 3:
        counter &= (1 << 128) - 1
        words = [counter & _MASK64, counter >> 64, key]
    else:
        words = [counter & _MASK64, key]
    return [_signed64(w) for w in words]


def _unpack(words: list[int]) -> tuple[int, int]:
    """(counter, key) of a state's words."""
    counter = words[0] & _MASK64
    if len(words) == 3:
        counter |= (words[1] & _MASK64) << 64
    return counter, words[-1] & _MASK64


def _state_words(state, alg: int) -> list[int]:
    size = _STATE_SIZES[alg]
    shape = tuple(state.shape) if hasattr(state, "shape") else (np.shape(state))
    words = _int_words(state, "A generator state")
    if len(shape) != 1 or len(words) != size:
        raise ValueError(
            f"A {_ALG_NAMES[alg]} generator state holds {size} int64 words (shape ({size},)), "
            f"got shape {tuple(shape)}."
        )
    return [_signed64(w) for w in words]


def _count(value, what: str) -> int:
    n = _seed_value(value)
    if n < 0:
        raise ValueError(f"tf.random.Generator.{what}: count must be >= 0, got {n}.")
    return n


class Generator(torch.nn.Module):
    """A random-number generator with its state in a variable, as `tf.random.Generator`.

    Every draw reads the state, draws with a torch generator seeded from it,
    and advances the counter in the state by the number of values drawn, so:
    the same seed gives the same stream; `from_state(g.state, g.algorithm)`
    continues `g`'s stream; `skip(n)` leaves the state where drawing `n` values
    would; generators from `split` are independent of each other and of the
    parent. The values are tork's own, not bit-identical to TensorFlow's Philox
    or ThreeFry output, and a seed gives different values on CPU and CUDA.

    The state is a non-trainable int64 `tf.Variable` held on the CPU (reads
    never wait for a GPU): `[counter_low, counter_high, key]` for Philox,
    `[counter, key]` for ThreeFry. `from_seed` puts the seed in the key (TF
    puts it in the counter), so the state's numbers differ from TF's. The
    generator is a `torch.nn.Module`, so `tf.train.Checkpoint` saves its state.

    Args:
        copy_from: a generator to copy (state and algorithm).
        state: the initial state, an int vector whose length the algorithm sets.
        alg: the algorithm: 'philox' (default), 'threefry', 'auto_select', a
            `tf.random.Algorithm` or its int value.

    Example:
    >>> g = tf.random.Generator.from_seed(1234)
    >>> a = g.normal(shape=(2, 3))
    >>> bool((a == tf.random.Generator.from_seed(1234).normal(shape=(2, 3))).all())
    True
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        super().__init__()
        if copy_from is not None:
            if state is not None or alg is not None:
                raise ValueError(
                    "tf.random.Generator takes either `copy_from` or `state`/`alg`, not both."
                )
            if not isinstance(copy_from, Generator):
                raise TypeError(
                    "tf.random.Generator(copy_from=...) needs a tf.random.Generator, got "
                    f"{type(copy_from).__name__}."
                )
            alg_value, words = copy_from._alg, copy_from.state.tolist()
        elif state is None:
            raise ValueError(
                "tf.random.Generator needs `state` (with `alg`) or `copy_from`; to start from a "
                "seed use tf.random.Generator.from_seed(seed), or "
                "tf.random.Generator.from_non_deterministic_state()."
            )
        else:
            alg_value = _alg_int(alg)
            words = _state_words(state, alg_value)
        self._alg = alg_value
        self.state = Variable(
            torch.tensor(words, dtype=torch.int64), trainable=False, name="generator_state"
        )

    # -- constructors -----------------------------------------------------------
    @classmethod
    def from_seed(cls, seed, alg=None) -> Generator:
        """Creates a generator whose stream is fixed by `seed`.

        Args:
            seed: an int (any size) or a list/array of ints.
            alg: the algorithm (see the class docstring).

        Returns:
            A new `Generator`.

        Example:
        >>> g = tf.random.Generator.from_seed(7)
        >>> g.uniform([2]).shape
        torch.Size([2])
        """
        alg_value = _alg_int(alg)
        return cls(state=_pack(_seed_key(seed), 0, alg_value), alg=alg_value)

    @classmethod
    def from_non_deterministic_state(cls, alg=None) -> Generator:
        """Creates a generator from operating-system randomness (different every time).

        Args:
            alg: the algorithm (see the class docstring).

        Returns:
            A new `Generator`.

        Example:
        >>> g = tf.random.Generator.from_non_deterministic_state()
        >>> g.normal([3]).shape
        torch.Size([3])
        """
        alg_value = _alg_int(alg)
        return cls(state=_pack(secrets.randbits(64), 0, alg_value), alg=alg_value)

    @classmethod
    def from_state(cls, state, alg) -> Generator:
        """Creates a generator from a state (e.g. another generator's `state`).

        Args:
            state: an int vector of the algorithm's state size.
            alg: the algorithm the state belongs to.

        Returns:
            A new `Generator` that continues the stream `state` describes.

        Example:
        >>> g = tf.random.Generator.from_seed(1)
        >>> h = tf.random.Generator.from_state(g.state, g.algorithm)
        >>> bool((g.normal([2]) == h.normal([2])).all())
        True
        """
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg) -> Generator:
        """Creates a generator from a key and a counter.

        Args:
            key: an int, the key part of the state.
            counter: the counter words (2 for Philox, 1 for ThreeFry).
            alg: the algorithm.

        Returns:
            A new `Generator`.

        Example:
        >>> tf.random.Generator.from_key_counter(5, [0, 0], "philox").state.tolist()
        [0, 0, 5]
        """
        alg_value = _alg_int(alg)
        return cls(state=_key_counter_words(key, counter, alg_value), alg=alg_value)

    # -- properties -------------------------------------------------------------
    @property
    def algorithm(self) -> int:
        """The algorithm as an int (`tf.random.Algorithm.PHILOX.value` is 1)."""
        return self._alg

    @property
    def key(self) -> torch.Tensor:
        """The key part of the state, a 0-D int64 tensor."""
        return self.state.detach()[-1].clone()

    # -- state changes ----------------------------------------------------------
    def _write(self, words: list[int]) -> None:
        state = self.state
        if state.device.type == "cpu":
            # Through NumPy: a few times faster than building a tensor to copy from.
            to_numpy(state)[:] = words  # writes through: the array shares the state
        else:
            with torch.no_grad():
                state.copy_(torch.tensor(words, dtype=torch.int64))

    def _draw(self, count: int, device, fn):
        """Runs `fn(torch_generator)` seeded from the state, then advances the counter.

        The state only moves once `fn` has succeeded, so a call that raises
        leaves the stream where it was.
        """
        counter, key = _unpack(self.state.tolist())
        gen = torch.Generator(device=_device_key(device))
        gen.manual_seed(_mix(_mix(_mix(key, self._alg), counter >> 64), counter & _MASK64))
        out = fn(gen)
        self._write(_pack(key, counter + max(count, 1), self._alg))
        return out

    def reset(self, state) -> None:
        """Sets the state.

        Args:
            state: an int vector of the algorithm's state size.

        Example:
        >>> g = tf.random.Generator.from_seed(1)
        >>> g.reset([0, 0, 9]); g.state.tolist()
        [0, 0, 9]
        """
        self._write(_state_words(state, self._alg))

    def reset_from_seed(self, seed) -> None:
        """Restarts the generator as `from_seed(seed)` would create it.

        Args:
            seed: an int or a list/array of ints.

        Example:
        >>> g = tf.random.Generator.from_seed(1)
        >>> a = g.normal([2]); g.reset_from_seed(1)
        >>> bool((a == g.normal([2])).all())
        True
        """
        self._write(_pack(_seed_key(seed), 0, self._alg))

    def reset_from_key_counter(self, key, counter) -> None:
        """Sets the state from a key and a counter.

        Args:
            key: an int, the key part of the state.
            counter: the counter words (2 for Philox, 1 for ThreeFry).

        Example:
        >>> g = tf.random.Generator.from_seed(1)
        >>> g.reset_from_key_counter(3, [4, 0]); g.state.tolist()
        [4, 0, 3]
        """
        self._write(_key_counter_words(key, counter, self._alg))

    def skip(self, delta) -> None:
        """Advances the counter as if `delta` values had been drawn.

        After `g.skip(n)` the state is the one `g.normal([n])` would leave.

        Args:
            delta: the number of values to skip (negative moves back).

        Example:
        >>> g, h = tf.random.Generator.from_seed(1), tf.random.Generator.from_seed(1)
        >>> _ = g.normal([10]); h.skip(10)
        >>> bool((g.normal([2]) == h.normal([2])).all())
        True
        """
        counter, key = _unpack(self.state.tolist())
        self._write(_pack(key, counter + _seed_value(delta), self._alg))

    # -- distributions ----------------------------------------------------------
    def normal(
        self, shape, mean=0.0, stddev=1.0, dtype=torch.float32, name: str | None = None
    ) -> torch.Tensor:
        """Draws from a normal distribution.

        Args:
            shape: shape of the result.
            mean: mean (scalar or broadcastable tensor).
            stddev: standard deviation (scalar or broadcastable tensor).
            dtype: a float dtype.
            name: unused.

        Returns:
            A tensor of `shape`.

        Example:
        >>> tf.random.Generator.from_seed(1).normal([2, 3]).shape
        torch.Size([2, 3])
        """
        del name
        dims = _shape_for(shape, "tf.random.Generator.normal")
        d = _float_dtype(dtype, "tf.random.Generator.normal")
        dev = current_device()
        return self._draw(
            math.prod(dims), dev, lambda gen: _normal_draw(dims, d, dev, gen, mean, stddev)
        )

    def uniform(
        self, shape, minval=0, maxval=None, dtype=torch.float32, name: str | None = None
    ) -> torch.Tensor:
        """Draws uniformly from [minval, maxval).

        Float dtypes default to [0, 1). Integer dtypes need `maxval`; with
        `minval=None` and `maxval=None` they draw from the dtype's full range.

        Args:
            shape: shape of the result.
            minval: lower bound, included.
            maxval: upper bound, excluded (default 1 for floats; required for ints).
            dtype: float or integer dtype.
            name: unused.

        Returns:
            A tensor of `shape`.

        Example:
        >>> x = tf.random.Generator.from_seed(1).uniform([100], 0, 10, dtype=tf.int32)
        >>> bool(((x >= 0) & (x < 10)).all())
        True
        """
        del name
        op = "tf.random.Generator.uniform"
        d = as_dtype(dtype)
        if not d.is_floating_point:
            if minval is None and maxval is None:
                return self.uniform_full_int(shape, d)
            if minval is None:
                raise ValueError(
                    f"{op}: for integer dtype {dtype_name(d)}, minval and maxval must be both "
                    "None (full range) or both given."
                )
            _check_int_uniform(d, minval, maxval, op)
        elif minval is None:
            minval = 0.0
        dims = _shape_for(shape, op)
        dev = current_device()
        return self._draw(
            math.prod(dims),
            dev,
            lambda gen: _uniform_draw(dims, d, dev, gen, minval, maxval, op),
        )

    def uniform_full_int(self, shape, dtype=torch.uint64, name: str | None = None):
        """Draws integers uniformly from the full range of `dtype`.

        Args:
            shape: shape of the result.
            dtype: int32, int64, uint32 or uint64.
            name: unused.

        Returns:
            A tensor of `shape`.

        Example:
        >>> tf.random.Generator.from_seed(1).uniform_full_int([2], tf.int64).dtype
        torch.int64
        """
        del name
        op = "tf.random.Generator.uniform_full_int"
        d = as_dtype(dtype)
        base = _FULL_INT_BASE.get(d)
        if base is None:
            raise ValueError(
                f"{op} draws int32, int64, uint32 or uint64 values, got dtype {dtype_name(d)}."
            )
        dims = _shape_for(shape, op)
        dev = current_device()
        low = torch.iinfo(base).min

        def fn(gen):
            # random_ with `to=None` from the dtype's minimum covers every value of the dtype.
            out = torch.empty(dims, dtype=base, device=dev).random_(low, None, generator=gen)
            return out if base == d else out.view(d)

        return self._draw(math.prod(dims), dev, fn)

    def truncated_normal(
        self, shape, mean=0.0, stddev=1.0, dtype=torch.float32, name: str | None = None
    ) -> torch.Tensor:
        """Draws from a normal distribution cut at 2 standard deviations (redrawing beyond).

        Args:
            shape: shape of the result.
            mean: mean of the untruncated distribution.
            stddev: standard deviation of the untruncated distribution.
            dtype: a float dtype.
            name: unused.

        Returns:
            A tensor of `shape` with values in [mean - 2 stddev, mean + 2 stddev].

        Example:
        >>> x = tf.random.Generator.from_seed(1).truncated_normal([1000])
        >>> bool((x.abs() <= 2).all())
        True
        """
        del name
        dims = _shape_for(shape, "tf.random.Generator.truncated_normal")
        d = _float_dtype(dtype, "tf.random.Generator.truncated_normal")
        dev = current_device()
        return self._draw(
            math.prod(dims), dev, lambda gen: _truncated_draw(dims, d, dev, gen, mean, stddev)
        )

    def binomial(
        self, shape, counts, probs, dtype=torch.int32, name: str | None = None
    ) -> torch.Tensor:
        """Draws from binomial distributions (number of successes in `counts` trials).

        Args:
            shape: shape of the result.
            counts: number of trials, broadcastable to `shape`.
            probs: success probability of each trial, broadcastable to `shape`.
            dtype: dtype of the result, int32 by default.
            name: unused.

        Returns:
            A tensor of `shape`.

        Example:
        >>> x = tf.random.Generator.from_seed(1).binomial([4], counts=10, probs=0.5)
        >>> bool(((x >= 0) & (x <= 10)).all())
        True
        """
        del name
        op = "tf.random.Generator.binomial"
        dims = _shape_for(shape, op)
        d = as_dtype(dtype)
        dev = current_device()
        return self._draw(
            math.prod(dims), dev, lambda gen: _binomial_draw(dims, counts, probs, gen, dev, d, op)
        )

    # -- seeds and splitting ----------------------------------------------------
    def make_seeds(self, count=1) -> torch.Tensor:
        """Draws seeds for the `tf.random.stateless_*` ops.

        Args:
            count: the number of seeds.

        Returns:
            An int64 tensor of shape `(2, count)`; each column is one seed.

        Example:
        >>> seeds = tf.random.Generator.from_seed(1).make_seeds(3)
        >>> tf.random.stateless_normal([2], seed=seeds[:, 0]).shape
        torch.Size([2])
        """
        n = _count(count, "make_seeds")
        dev = current_device()
        low = torch.iinfo(torch.int64).min
        return self._draw(
            2 * n,
            dev,
            lambda gen: torch.empty((2, n), dtype=torch.int64, device=dev).random_(
                low, None, generator=gen
            ),
        )

    def split(self, count=1) -> list[Generator]:
        """Makes `count` new generators, independent of each other and of this one.

        This generator's state advances, so splitting again gives new generators.

        Args:
            count: the number of generators.

        Returns:
            A list of `count` new `Generator`s with this one's algorithm.

        Example:
        >>> a, b = tf.random.Generator.from_seed(1).split(2)
        >>> bool((a.normal([3]) == b.normal([3])).all())
        False
        """
        n = _count(count, "split")
        base = self._draw(n, "cpu", lambda gen: int(gen.initial_seed()))
        return [
            Generator(state=_pack(_mix(base, i + 1), 0, self._alg), alg=self._alg) for i in range(n)
        ]

    def __repr__(self) -> str:
        return (
            f"<tf.random.Generator algorithm={_ALG_NAMES[self._alg]} state={self.state.tolist()}>"
        )


def _key_counter_words(key, counter, alg: int) -> list[int]:
    size = _STATE_SIZES[alg] - 1
    words = _int_words(counter, "A generator counter")
    if len(words) != size:
        raise ValueError(
            f"A {_ALG_NAMES[alg]} generator counter holds {size} int64 word(s), got {words}."
        )
    return [_signed64(w) for w in words] + [_signed64(_seed_value(key))]


def create_rng_state(seed, alg) -> np.ndarray:
    """The state `tf.random.Generator.from_seed(seed, alg)` starts from.

    Args:
        seed: an int or a list/array of ints.
        alg: the algorithm.

    Returns:
        A 1-D int64 NumPy array (3 words for Philox, 2 for ThreeFry).

    Example:
    >>> tf.random.create_rng_state(5, "philox").tolist()
    [0, 0, 5]
    """
    alg_value = _alg_int(alg)
    return np.array(_pack(_seed_key(seed), 0, alg_value), dtype=np.int64)


def get_global_generator() -> Generator:
    """Returns the global `tf.random.Generator`, creating it on first use.

    It starts from operating-system randomness, or, after
    `tf.random.set_seed(s)`, from a state fixed by `s` (so seeded programs
    are reproducible; TensorFlow always starts it non-deterministically).

    Returns:
        The global `Generator`.

    Example:
    >>> tf.random.get_global_generator().normal([2]).shape
    torch.Size([2])
    """
    global _global_generator
    if _global_generator is None:
        if _global_seed is None:
            _global_generator = Generator.from_non_deterministic_state()
        else:
            _global_generator = Generator.from_seed(_mix(_global_seed, _GLOBAL_GENERATOR_SALT))
    return _global_generator


def set_global_generator(generator) -> None:
    """Replaces the global generator (kept across later `tf.random.set_seed` calls).

    Args:
        generator: a `tf.random.Generator`.

    Example:
    >>> g = tf.random.Generator.from_seed(3)
    >>> tf.random.set_global_generator(g)
    >>> tf.random.get_global_generator() is g
    True
    """
    global _global_generator, _global_generator_from_user
    if not isinstance(generator, Generator):
        raise TypeError(
            "tf.random.set_global_generator needs a tf.random.Generator, got "
            f"{type(generator).__name__}."
        )
    _global_generator = generator
    _global_generator_from_user = True


def _splitmix_array(z: np.ndarray) -> np.ndarray:
    # uint64 arithmetic wraps modulo 2**64, which the mixer relies on.
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def index_shuffle(index, seed, max_index) -> torch.Tensor:
    """Maps `index` to its position in a random permutation of `[0, max_index]`.

    The permutation is fully determined by `seed`: the same seed maps the indices
    `0..max_index` to each of `0..max_index` exactly once. It is a Feistel cipher
    over the bits of `max_index` (with cycle-walking), not TensorFlow's Philox
    numbers, so the permutation differs from TensorFlow's.

    Args:
        index: an integer scalar or tensor of indices in `[0, max_index]`.
        seed: two ints.
        max_index: the largest index, `>= 0`.

    Returns:
        A tensor of `index`'s shape and dtype.

    Example:
    >>> perm = tf.random.experimental.index_shuffle(tf.range(10), [5, 8], 9)
    >>> sorted(perm.tolist())
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    """
    op = "tf.random.experimental.index_shuffle"
    values = _t(index)
    if values.dtype not in (torch.int32, torch.int64, torch.uint32, torch.uint64):
        raise InvalidArgumentError(
            f"{op}: index must be int32, uint32, int64 or uint64, got {dtype_name(values.dtype)}."
        )
    pair, _ = _seed_pair(seed)
    top = int(_scalar_value(max_index))
    if top < 0:
        raise InvalidArgumentError(f"{op}: max_index must be >= 0 but was {top}")
    flat = values.detach().cpu().reshape(-1).to(torch.int64).numpy()
    if flat.size and (int(flat.max()) > top or int(flat.min()) < 0):
        raise InvalidArgumentError(
            f"{op}: max_index must be >= index, but {top} < {int(flat.max())}"
        )
    half = max(1, (top.bit_length() + 1) // 2)
    mask = np.uint64((1 << half) - 1)
    keys = [np.uint64(_mix(_mix(pair[0], pair[1]), r)) for r in range(4)]
    x = flat.astype(np.uint64)
    todo = np.ones(x.shape, dtype=bool)
    # Cycle-walking: apply the bijection on [0, 4**half) until the value is in range.
    while todo.any():
        left, right = x[todo] >> np.uint64(half), x[todo] & mask
        for key in keys:
            left, right = right, left ^ (_splitmix_array(right ^ key) & mask)
        x[todo] = (left << np.uint64(half)) | right
        todo = x > np.uint64(top)
    out = torch.from_numpy(x.astype(np.int64)).reshape(values.shape)
    return out.to(device=values.device, dtype=values.dtype)


def stateless_shuffle(value, seed, alg="auto_select", name: str | None = None) -> torch.Tensor:
    """Shuffles `value` along its first dimension in an order fully determined by `seed`.

    Args:
        value: a tensor; a scalar is returned unchanged.
        seed: two ints.
        alg: unused (torch's generator draws the order, not TensorFlow's Philox).
        name: unused.

    Returns:
        A tensor like `value`, its rows permuted.

    Example:
    >>> x = tf.random.experimental.stateless_shuffle(tf.range(5), seed=[1, 2])
    >>> sorted(x.tolist())
    [0, 1, 2, 3, 4]
    """
    del alg, name
    x = _t(value)
    gen = _stateless_generator(seed)
    if x.dim() == 0:
        return x.clone()
    perm = torch.randperm(x.shape[0], generator=gen).to(x.device)
    return x[perm]


class _Experimental:
    """`tf.random.experimental`: the generator API under its older names."""

    stateless_shuffle = staticmethod(stateless_shuffle)

    index_shuffle = staticmethod(index_shuffle)

    Algorithm = Algorithm
    Generator = Generator
    create_rng_state = staticmethod(create_rng_state)
    get_global_generator = staticmethod(get_global_generator)
    set_global_generator = staticmethod(set_global_generator)
    stateless_fold_in = staticmethod(fold_in)
    stateless_split = staticmethod(split)
    __getattr__ = staticmethod(module_getattr("tf.random.experimental"))


experimental = _Experimental()
