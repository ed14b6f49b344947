"""`keras.random`: Keras 3's random ops and `SeedGenerator`, drawn by torch.

Seeds follow Keras 3:

- `seed=None`: torch's default generator, so `keras.utils.set_random_seed(s)`
  (or `tf.random.set_seed(s)`) makes a program reproducible;
- an int: the same values on every call (`normal(shape, seed=42)` twice gives
  the same tensor), whatever the global seed;
- a `SeedGenerator`: a stateful seed; each draw advances it, so successive
  calls differ, and a fresh `SeedGenerator(1337)` replays the same sequence.
  Its first draw equals a draw with the int seed it was made from.

Values are tork's own (torch's generators), not bit-identical to a Keras
backend's, and a seed gives different values on CPU and CUDA.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch
import torch.nn.functional as F

from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype, dtype_name, floatx_dtype
from tork._backend.errors import module_getattr
from tork._naming import unique_name
from tork.ops.array import _scalar_value, _t
from tork.ops.random import (
    _binomial_draw,
    _broadcast_param,
    _categorical_draw,
    _check_int_uniform,
    _draw_seed,
    _float_dtype,
    _normal_draw,
    _pair_generator,
    _shape_for,
    _signed64,
    _truncated_draw,
    _uniform_draw,
)
from tork.ops.scopes import name_scope
from tork.variables import Variable

__all__ = [
    "SeedGenerator",
    "beta",
    "binomial",
    "categorical",
    "dropout",
    "gamma",
    "normal",
    "randint",
    "shuffle",
    "truncated_normal",
    "uniform",
]

__getattr__ = module_getattr("keras.random")


class SeedGenerator:
    """A stateful seed for the `keras.random` ops, as `keras.random.SeedGenerator`.

    An int seed gives the same values on every call; pass a `SeedGenerator`
    to get new values on each call that are still reproducible: its state, a
    non-trainable int64 variable `[seed, counter]`, advances by one per draw.

    Args:
        seed: an int, or None for a seed drawn from torch's default generator
            (reproducible after `keras.utils.set_random_seed`).
        name: the object's name; `"seed_generator"` (made unique) by default.
        **kwargs: `backend` is accepted and ignored (tork has one backend).

    Example:
    >>> seed_gen = keras.random.SeedGenerator(seed=42)
    >>> a = keras.random.normal((2, 3), seed=seed_gen)
    >>> b = keras.random.normal((2, 3), seed=seed_gen)
    >>> bool((a == b).all())
    False
    """

    def __init__(self, seed: int | None = None, name: str | None = None, **kwargs):
        kwargs.pop("backend", None)
        if kwargs:
            raise ValueError(
                f"SeedGenerator got unrecognized keyword arguments: {sorted(kwargs)}. "
                "It takes `seed` and `name`."
            )
        if seed is None:
            seed = _draw_seed()
        elif isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
            raise ValueError(f"SeedGenerator: `seed` must be an int or None, got {seed!r}.")
        self._initial_seed = int(seed)
        self.name = name if name is not None else unique_name("seed_generator")
        # A CPU variable: each draw reads it from Python, which never waits for a GPU.
        # Created in a scope of the generator's name: its path is
        # "seed_generator/seed_generator_state", as Keras 3's.
        with name_scope(self.name):
            self.state = Variable(
                torch.tensor([_signed64(self._initial_seed), 0], dtype=torch.int64),
                trainable=False,
                name="seed_generator_state",
            )

    def next(self, ordered: bool = True) -> torch.Tensor:
        """Returns the current seed state and advances it by one draw.

        Args:
            ordered: accepted for Keras compatibility; the counter always
                advances by one.

        Returns:
            An int64 tensor `[seed, counter]` (the state before advancing).

        Example:
        >>> keras.random.SeedGenerator(7).next().tolist()
        [7, 0]
        """
        del ordered
        current = self.state.detach().clone()
        with torch.no_grad():
            self.state[1] += 1
        return current

    def _torch_generator(self, device) -> torch.Generator:
        seed, counter = self.state.tolist()
        gen = _pair_generator(seed, counter, device)
        with torch.no_grad():
            self.state[1] = _signed64(counter + 1)
        return gen

    def get_config(self) -> dict:
        """Returns `{"seed": ..., "name": ...}`: the seed it started from and its name."""
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> SeedGenerator:
        """Creates a generator from `get_config()`'s output."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<SeedGenerator name={self.name!r} state={self.state.tolist()}>"


def _seed_generator_states(layer) -> list:
    """The state variables of the `SeedGenerator`s a layer and its sublayers hold.

    Keras 3 lists them in `layer.variables` and `layer.non_trainable_variables` (not in
    `weights`, `get_weights()` or the parameter counts). Generators held as attributes,
    or in lists, tuples and dicts held as attributes, are found, in attribute order.

    Args:
        layer: A layer (any `torch.nn.Module`).

    Returns:
        A list of int64 variables, each once.
    """
    found, seen = [], set()

    def add(value) -> None:
        if isinstance(value, SeedGenerator) and id(value.state) not in seen:
            seen.add(id(value.state))
            found.append(value.state)

    for module in layer.modules():
        for value in module.__dict__.values():
            if isinstance(value, SeedGenerator):
                add(value)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    add(item)
            elif isinstance(value, dict):
                for item in value.values():
                    add(item)
    return found


def _generator(seed, device, op: str) -> torch.Generator | None:
    """The torch generator a Keras `seed` argument selects (None: torch's default)."""
    if seed is None:
        return None
    if isinstance(seed, SeedGenerator):
        return seed._torch_generator(device)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ValueError(
            f"{op}: `seed` must be an int, a keras.random.SeedGenerator or None, got {seed!r}."
        )
    # Counter 0, as a SeedGenerator's first draw: Keras turns an int seed into [seed, 0].
    return _pair_generator(int(seed), 0, device)


def _floatx_or(dtype, op: str) -> torch.dtype:
    return floatx_dtype() if dtype is None else _float_dtype(dtype, op)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> torch.Tensor:
    """Draws samples from a normal (Gaussian) distribution.

    Args:
        shape: the shape of the result.
        mean: mean of the distribution.
        stddev: standard deviation of the distribution.
        dtype: a float dtype; `keras.config.floatx()` when None.
        seed: None, an int or a `keras.random.SeedGenerator`.

    Returns:
        A tensor of `shape`.

    Example:
    >>> keras.random.normal((2, 3), seed=1).shape
    torch.Size([2, 3])
    """
    op = "keras.random.normal"
    dims = _shape_for(shape, op)
    d = _floatx_or(dtype, op)
    dev = current_device()
    return _normal_draw(dims, d, dev, _generator(seed, dev, op), mean, stddev)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None) -> torch.Tensor:
    """Draws samples uniformly from [minval, maxval).

    Args:
        shape: the shape of the result.
        minval: lower bound, included.
        maxval: upper bound, excluded.
        dtype: a float dtype; `keras.config.floatx()` when None (use `randint`
            for integers).
        seed: None, an int or a `keras.random.SeedGenerator`.

    Returns:
        A tensor of `shape`.

    Example:
    >>> x = keras.random.uniform((100,), minval=2.0, maxval=3.0, seed=1)
    >>> bool(((x >= 2) & (x < 3)).all())
    True
    """
    op = "keras.random.uniform"
    dims = _shape_for(shape, op)
    if dtype is not None and not as_dtype(dtype).is_floating_point:
        raise ValueError(
            f"{op} draws floats; dtype {dtype_name(as_dtype(dtype))} is not a float type. "
            "Use keras.random.randint for integers."
        )
    d = _floatx_or(dtype, op)
    dev = current_device()
    return _uniform_draw(dims, d, dev, _generator(seed, dev, op), minval, maxval, op)


def randint(shape, minval, maxval, dtype="int32", seed=None) -> torch.Tensor:
    """Draws integers uniformly from [minval, maxval).

    Args:
        shape: the shape of the result.
        minval: lower bound, included.
        maxval: upper bound, excluded.
        dtype: an integer dtype, int32 by default.
        seed: None, an int or a `keras.random.SeedGenerator`.

    Returns:
        An integer tensor of `shape`.

    Example:
    >>> x = keras.random.randint((100,), 0, 5, seed=1)
    >>> bool(((x >= 0) & (x < 5)).all()), x.dtype
    (True, torch.int32)
    """
    op = "keras.random.randint"
    dims = _shape_for(shape, op)
    d = as_dtype(dtype)
    if d.is_floating_point or d.is_complex or d == torch.bool:
        raise ValueError(
            f"{op} draws integers; dtype {dtype_name(d)} is not an integer type. "
            "Use int32 or int64 (or keras.random.uniform for floats)."
        )
    lo, hi = _check_int_uniform(d, minval, maxval, op)
    dev = current_device()
    return torch.randint(lo, hi, dims, generator=_generator(seed, dev, op), dtype=d, device=dev)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None) -> torch.Tensor:
    """Draws from a normal distribution, redrawing values beyond 2 standard deviations.

    Args:
        shape: the shape of the result.
        mean: mean of the untruncated distribution.
        stddev: standard deviation of the untruncated distribution.
        dtype: a float dtype; `keras.config.floatx()` when None.
        seed: None, an int or a `keras.random.SeedGenerator`.

    Returns:
        A tensor of `shape` with values in [mean - 2 stddev, mean + 2 stddev].

    Example:
    >>> x = keras.random.truncated_normal((1000,), seed=1)
    >>> bool((x.abs() <= 2).all())
    True
    """
    op = "keras.random.truncated_normal"
    dims = _shape_for(shape, op)
    d = _floatx_or(dtype, op)
    dev = current_device()
    return _truncated_draw(dims, d, dev, _generator(seed, dev, op), mean, stddev)


def categorical(logits, num_samples, dtype="int32", seed=None) -> torch.Tensor:
    """Draws class indices from categorical distributions given by logits.

    Args:
        logits: a 2-D tensor `(batch_size, num_classes)` of unnormalized
            log-probabilities.
        num_samples: the number of independent draws per row.
        dtype: an integer dtype, int32 by default.
        seed: None, an int or a `keras.random.SeedGenerator`.

    Returns:
        An integer tensor of shape `(batch_size, num_samples)`.

    Example:
    >>> keras.random.categorical([[0.0, 0.0]], 5, seed=1).shape
    torch.Size([1, 5])
    """
    op = "keras.random.categorical"
    x = _t(logits)
    d = as_dtype(dtype)
    if d.is_floating_point or d.is_complex or d == torch.bool:
        raise ValueError(f"{op}: dtype must be an integer type, got {dtype_name(d)}.")
    return _categorical_draw(x, num_samples, _generator(seed, x.device, op), d, op)


def dropout(inputs, rate, noise_shape=None, seed=None) -> torch.Tensor:
    """Sets a random fraction `rate` of the inputs to 0 and scales the rest by 1 / (1 - rate).

    Args:
        inputs: a tensor (integer inputs become floatx).
        rate: the fraction to drop, in [0, 1).
        noise_shape: optional shape of the keep/drop mask, broadcast over
            `inputs` (e.g. `(batch, 1, features)` drops whole features for all
            timesteps); None entries take the input's size.
        seed: None, an int or a `keras.random.SeedGenerator`.

    Returns:
        A tensor like `inputs`.

    Example:
    >>> y = keras.random.dropout(keras.ops.ones((4, 4)), 0.5, seed=1)
    >>> sorted(set(y.reshape(-1).tolist())) in ([0.0, 2.0], [0.0], [2.0])
    True
    """
    op = "keras.random.dropout"
    x = _t(inputs)
    if not x.is_floating_point():
        x = x.to(floatx_dtype())
    p = _scalar_value(rate)
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 <= float(p) < 1.0:
        raise ValueError(f"{op}: rate must be a number in [0, 1), got {rate!r}.")
    p = float(p)
    if noise_shape is None:
        if seed is None:
            return F.dropout(x, p, training=True)
        mask_shape = tuple(x.shape)
    else:
        dims = list(noise_shape)
        if len(dims) != x.dim():
            raise ValueError(
                f"{op}: noise_shape {tuple(dims)} needs one entry per dimension of inputs of "
                f"shape {tuple(x.shape)}."
            )
        mask_shape = tuple(
            size if d is None else int(_scalar_value(d)) for size, d in zip(x.shape, dims)
        )
        for size, m in zip(x.shape, mask_shape):
            if m not in (1, size):
                raise ValueError(
                    f"{op}: noise_shape {mask_shape} does not broadcast to inputs of shape "
                    f"{tuple(x.shape)}; each entry must be 1 or the input's size."
                )
    if p == 0.0:
        return x
    gen = _generator(seed, x.device, op)
    u = torch.empty(mask_shape, dtype=x.dtype, device=x.device).uniform_(0.0, 1.0, generator=gen)
    return x * ((u >= p).to(x.dtype) * (1.0 / (1.0 - p)))


def shuffle(x, axis=0, seed=None) -> torch.Tensor:
    """Shuffles a tensor uniformly at random along one axis.

    Args:
        x: the tensor to shuffle (rank >= 1).
        axis: the axis to shuffle along, 0 by default.
        seed: None, an int or a `keras.random.SeedGenerator`.

    Returns:
        A copy of `x` with its slices along `axis` in random order.

    Example:
    >>> sorted(keras.random.shuffle([3, 1, 2], seed=1).tolist())
    [1, 2, 3]
    """
    op = "keras.random.shuffle"
    t = _t(x)
    if t.dim() == 0:
        raise ValueError(f"{op} needs a tensor of rank >= 1, got a scalar.")
    a = int(_scalar_value(axis))
    if not -t.dim() <= a < t.dim():
        raise ValueError(
            f"{op}: axis {a} is out of range for a tensor of shape {tuple(t.shape)} "
            f"(rank {t.dim()})."
        )
    a %= t.dim()
    perm = torch.randperm(t.shape[a], generator=_generator(seed, t.device, op), device=t.device)
    return t.index_select(a, perm)


def _gamma_draw(dims, alpha, d, dev, gen, op: str, what: str = "alpha") -> torch.Tensor:
    # Tensors are not read back (that would wait for the device); scalars are checked here.
    if not isinstance(alpha, torch.Tensor) and np.ndim(alpha) == 0 and not float(alpha) > 0:
        raise ValueError(f"{op}: {what} must be > 0, got {alpha!r}.")
    # torch's gamma sampler has no float16/bfloat16 kernel: draw in float32 and cast.
    work = d if d in (torch.float32, torch.float64) else torch.float32
    a = _broadcast_param(alpha, dims, work, dev, what, op)
    return torch._standard_gamma(a, generator=gen).to(d)


def gamma(shape, alpha, dtype=None, seed=None) -> torch.Tensor:
    """Draws samples from the Gamma distribution with shape `alpha` (scale 1).

    Args:
        shape: the shape of the result.
        alpha: the shape parameter (> 0), a float or a tensor broadcastable to `shape`.
        dtype: a float dtype; `keras.config.floatx()` when None.
        seed: None, an int or a `keras.random.SeedGenerator`.

    Returns:
        A tensor of `shape` with positive values (mean `alpha`).

    Example:
    >>> x = keras.random.gamma((1000,), alpha=2.0, seed=1)
    >>> bool((x > 0).all())
    True
    """
    op = "keras.random.gamma"
    dims = _shape_for(shape, op)
    d = _floatx_or(dtype, op)
    dev = current_device()
    return _gamma_draw(dims, alpha, d, dev, _generator(seed, dev, op), op)


def binomial(shape, counts, probabilities, dtype=None, seed=None) -> torch.Tensor:
    """Draws samples from Binomial distributions (successes in `counts` trials).

    Args:
        shape: the shape of the result.
        counts: the number of trials, broadcastable with `probabilities` and `shape`.
        probabilities: the success probability of each trial, in [0, 1].
        dtype: a float dtype for the counts drawn; `keras.config.floatx()` when None.
        seed: None, an int or a `keras.random.SeedGenerator`.

    Returns:
        A float tensor of `shape` holding whole numbers in [0, counts].

    Example:
    >>> x = keras.random.binomial((100,), counts=5, probabilities=0.5, seed=1)
    >>> bool(((x >= 0) & (x <= 5)).all())
    True
    """
    op = "keras.random.binomial"
    dims = _shape_for(shape, op)
    d = _floatx_or(dtype, op)
    dev = current_device()
    gen = _generator(seed, dev, op)
    return _binomial_draw(dims, counts, probabilities, gen, dev, d, op)


def beta(shape, alpha, beta, dtype=None, seed=None) -> torch.Tensor:
    """Draws samples from the Beta distribution with parameters `alpha` and `beta`.

    Drawn as X / (X + Y) with X ~ Gamma(alpha) and Y ~ Gamma(beta).

    Args:
        shape: the shape of the result.
        alpha: the first shape parameter (> 0), broadcastable to `shape`.
        beta: the second shape parameter (> 0), broadcastable to `shape`.
        dtype: a float dtype; `keras.config.floatx()` when None.
        seed: None, an int or a `keras.random.SeedGenerator`.

    Returns:
        A tensor of `shape` with values in [0, 1] (mean `alpha / (alpha + beta)`).

    Example:
    >>> x = keras.random.beta((1000,), alpha=2.0, beta=5.0, seed=1)
    >>> bool(((x >= 0) & (x <= 1)).all())
    True
    """
    op = "keras.random.beta"
    dims = _shape_for(shape, op)
    d = _floatx_or(dtype, op)
    dev = current_device()
    gen = _generator(seed, dev, op)
    work = torch.float64 if d == torch.float64 else torch.float32
    x = _gamma_draw(dims, alpha, work, dev, gen, op)
    y = _gamma_draw(dims, beta, work, dev, gen, op, "beta")
    return (x / (x + y)).to(d)
