"""`tf.compat.v1.distributions`: TF 1's probability distributions (`tf.distributions`).

Reinforcement-learning code of the TF 1 era samples actions and scores them with these
classes inside Keras `Lambda` layers (Atienza, "Advanced Deep Learning with Keras",
chapter 10: `dist = tf.distributions.Normal(loc=mean, scale=stddev)`, then
`dist.sample(1)`, `dist.log_prob(action)`, `dist.entropy()`). TensorFlow 2 keeps them
as `tf.compat.v1.distributions` (TensorFlow Probability's `tfp.distributions` is their
successor). Here they are thin wrappers over `torch.distributions`:

- `Normal(loc, scale)`, `Uniform(low, high)`, `Bernoulli(logits=, probs=)` and
  `Categorical(logits=, probs=)`, with `sample(sample_shape, seed)`, `log_prob`, `prob`,
  `cdf` (Normal, Uniform), `entropy`, `mean`, `mode`, `stddev`, `variance`, their
  parameters as properties, `batch_shape`, `event_shape` and `dtype`.
- `kl_divergence(a, b)`, `Distribution`, `FULLY_REPARAMETERIZED`, `NOT_REPARAMETERIZED`.

As in TF, `Normal` and `Uniform` samples are reparameterized (gradients reach `loc` and
`scale`), and `Bernoulli`/`Categorical` samples are `int32`. Every other TF 1
distribution raises `NotImplementedError` naming it.
"""

from __future__ import annotations

import torch
import torch.distributions as td

from tork._backend.errors import module_getattr as _module_getattr
from tork._backend.tensor import convert_to_tensor
from tork._backend.tensor_shape import TensorShape
from tork.ops.random import _generator_for


class ReparameterizationType:
    """Whether a distribution's samples carry gradients to its parameters."""

    def __init__(self, rep_type: str):
        self._rep_type = rep_type

    def __repr__(self) -> str:
        return f"<Reparameterization Type: {self._rep_type}>"


FULLY_REPARAMETERIZED = ReparameterizationType("FULLY_REPARAMETERIZED")
NOT_REPARAMETERIZED = ReparameterizationType("NOT_REPARAMETERIZED")


def _float_params(cls_name: str, **params) -> dict:
    """The parameters as float tensors of one dtype (float32 for Python numbers)."""
    tensors = {k: convert_to_tensor(v) for k, v in params.items()}
    floats = [t.dtype for t in tensors.values() if t.is_floating_point()]
    dtype = floats[0] if floats else torch.float32
    for name, t in tensors.items():
        if t.is_floating_point() and t.dtype != dtype:
            raise ValueError(
                f"{cls_name}: the parameters must have the same float dtype, got {name} of "
                f"dtype {t.dtype} and {dtype}. Cast them first, e.g. with tf.cast(x, tf.float32)."
            )
    return {k: t.to(dtype) for k, t in tensors.items()}


def _sample_shape(sample_shape) -> tuple:
    if isinstance(sample_shape, torch.Tensor):
        sample_shape = sample_shape.tolist()
    if isinstance(sample_shape, int):
        return (sample_shape,)
    return tuple(int(n) for n in sample_shape)


class Distribution:
    """Base class: the methods common to the TF 1 distributions.

    Subclasses set `self._dist` (a `torch.distributions.Distribution`) and
    `self._reparameterized`.
    """

    _reparameterized = False

    def __init__(self, dist, dtype, name: str, validate_args=False, allow_nan_stats=True):
        self._dist = dist
        self._dtype = dtype
        self._name = name
        self.validate_args = validate_args
        self.allow_nan_stats = allow_nan_stats

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self):
        """The dtype of the samples."""
        return self._dtype

    @property
    def batch_shape(self) -> TensorShape:
        """The shape of the batch of distributions the parameters describe."""
        return TensorShape(list(self._dist.batch_shape))

    @property
    def event_shape(self) -> TensorShape:
        """The shape of one sample of one distribution (scalar for these classes)."""
        return TensorShape(list(self._dist.event_shape))

    def batch_shape_tensor(self) -> torch.Tensor:
        return torch.tensor(list(self._dist.batch_shape), dtype=torch.int32)

    def event_shape_tensor(self) -> torch.Tensor:
        return torch.tensor(list(self._dist.event_shape), dtype=torch.int32)

    @property
    def reparameterization_type(self) -> ReparameterizationType:
        return FULLY_REPARAMETERIZED if self._reparameterized else NOT_REPARAMETERIZED

    def sample(self, sample_shape=(), seed=None, name: str = "sample") -> torch.Tensor:
        """Samples of shape `sample_shape + batch_shape`.

        Args:
            sample_shape: an int or a list of ints, the number of samples per distribution.
            seed: an op seed (with `tf.random.set_seed`, reproducible sequences).
            name: unused (TF graph name).
        """
        shape = torch.Size(_sample_shape(sample_shape))
        generator = _generator_for(seed) if seed is not None else None
        if generator is not None:
            # torch.distributions draw from the default generator: fork it for the seed.
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(int(torch.randint(0, 2**62, (), generator=generator)))
                return self._draw(shape)
        return self._draw(shape)

    def _draw(self, shape: torch.Size) -> torch.Tensor:
        if self._reparameterized:
            return self._dist.rsample(shape)
        return self._dist.sample(shape).to(self._dtype)

    def _value(self, value) -> torch.Tensor:
        value = convert_to_tensor(value)
        like = self._dist.mean
        return value.to(dtype=like.dtype, device=like.device)

    def log_prob(self, value, name: str = "log_prob") -> torch.Tensor:
        """The log of the probability (density) of `value`."""
        return self._dist.log_prob(self._value(value))

    def prob(self, value, name: str = "prob") -> torch.Tensor:
        """The probability (density) of `value`."""
        return torch.exp(self.log_prob(value))

    def cdf(self, value, name: str = "cdf") -> torch.Tensor:
        """The cumulative distribution function at `value`."""
        return self._dist.cdf(self._value(value))

    def log_cdf(self, value, name: str = "log_cdf") -> torch.Tensor:
        return torch.log(self.cdf(value))

    def survival_function(self, value, name: str = "survival_function") -> torch.Tensor:
        return 1.0 - self.cdf(value)

    def entropy(self, name: str = "entropy") -> torch.Tensor:
        """The Shannon entropy of each distribution in the batch (nats)."""
        return self._dist.entropy()

    def mean(self, name: str = "mean") -> torch.Tensor:
        return self._dist.mean

    def variance(self, name: str = "variance") -> torch.Tensor:
        return self._dist.variance

    def stddev(self, name: str = "stddev") -> torch.Tensor:
        return self._dist.stddev

    def mode(self, name: str = "mode") -> torch.Tensor:
        return self._dist.mode

    def kl_divergence(self, other: Distribution, name: str = "kl_divergence") -> torch.Tensor:
        return kl_divergence(self, other)

    def __repr__(self) -> str:
        return (
            f"<tf.distributions.{type(self).__name__} '{self._name}' "
            f"batch_shape={list(self._dist.batch_shape)} event_shape=() dtype={self._dtype}>"
        )


class Normal(Distribution):
    """The normal (Gaussian) distribution with mean `loc` and standard deviation `scale`.

    Args:
        loc: float tensor or number, the means.
        scale: float tensor or number, the standard deviations (positive).
        validate_args: when True, a non-positive `scale` raises.
        allow_nan_stats: accepted (TF 1 argument).
        name: the distribution's name.

    Example:

    >>> dist = tf.compat.v1.distributions.Normal(loc=[0.0, 1.0], scale=[1.0, 2.0])
    >>> dist.log_prob([0.5, -1.0])  # [-1.0439, -2.1121]
    """

    _reparameterized = True

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True, name="Normal"):
        p = _float_params("Normal", loc=loc, scale=scale)
        self._loc, self._scale = torch.broadcast_tensors(p["loc"], p["scale"])
        dist = td.Normal(self._loc, self._scale, validate_args=bool(validate_args))
        super().__init__(dist, self._loc.dtype, name, validate_args, allow_nan_stats)

    @property
    def loc(self) -> torch.Tensor:
        return self._loc

    @property
    def scale(self) -> torch.Tensor:
        return self._scale


class Uniform(Distribution):
    """The uniform distribution on `[low, high)`.

    Args:
        low: float tensor or number, the lower bounds (default 0).
        high: float tensor or number, the upper bounds (default 1), above `low`.
        validate_args: when True, `low >= high` raises.
        allow_nan_stats: accepted (TF 1 argument).
        name: the distribution's name.
    """

    _reparameterized = True

    def __init__(
        self, low=0.0, high=1.0, validate_args=False, allow_nan_stats=True, name="Uniform"
    ):
        p = _float_params("Uniform", low=low, high=high)
        self._low, self._high = torch.broadcast_tensors(p["low"], p["high"])
        dist = td.Uniform(self._low, self._high, validate_args=bool(validate_args))
        super().__init__(dist, self._low.dtype, name, validate_args, allow_nan_stats)

    @property
    def low(self) -> torch.Tensor:
        return self._low

    @property
    def high(self) -> torch.Tensor:
        return self._high

    def range(self, name: str = "range") -> torch.Tensor:
        return self._high - self._low

    def log_prob(self, value, name: str = "log_prob") -> torch.Tensor:
        # TF: -log(high - low) inside the support and -inf outside (torch refuses outside
        # values when validating, and otherwise agrees).
        value = self._value(value)
        inside = (value >= self._low) & (value < self._high)
        density = -torch.log(self._high - self._low)
        return torch.where(inside, density, torch.full_like(density, float("-inf")))

    def cdf(self, value, name: str = "cdf") -> torch.Tensor:
        value = self._value(value)
        return ((value - self._low) / (self._high - self._low)).clamp(0.0, 1.0)


def _logits_or_probs(cls_name: str, logits, probs):
    if (logits is None) == (probs is None):
        raise ValueError(
            f"{cls_name}: pass exactly one of `logits` and `probs` "
            f"(got {'both' if logits is not None else 'neither'})."
        )
    value = logits if logits is not None else probs
    tensor = convert_to_tensor(value)
    if not tensor.is_floating_point():
        tensor = tensor.to(torch.float32)
    return tensor


class Bernoulli(Distribution):
    """The Bernoulli distribution: 1 with probability `probs`, else 0.

    Args:
        logits: float tensor, the log-odds of a 1 (give this or `probs`).
        probs: float tensor, the probabilities of a 1.
        dtype: the dtype of the samples (default `tf.int32`).
        validate_args: when True, probabilities outside [0, 1] raise.
        allow_nan_stats: accepted (TF 1 argument).
        name: the distribution's name.
    """

    def __init__(
        self,
        logits=None,
        probs=None,
        dtype=torch.int32,
        validate_args=False,
        allow_nan_stats=True,
        name="Bernoulli",
    ):
        param = _logits_or_probs("Bernoulli", logits, probs)
        if logits is not None:
            dist = td.Bernoulli(logits=param, validate_args=bool(validate_args))
        else:
            dist = td.Bernoulli(probs=param, validate_args=bool(validate_args))
        super().__init__(dist, dtype, name, validate_args, allow_nan_stats)

    @property
    def logits(self) -> torch.Tensor:
        return self._dist.logits

    @property
    def probs(self) -> torch.Tensor:
        return self._dist.probs

    def mode(self, name: str = "mode") -> torch.Tensor:
        # TF breaks the tie at p = 0.5 towards 0, as torch does; samples' dtype.
        return (self._dist.probs > 0.5).to(self._dtype)


class Categorical(Distribution):
    """The categorical distribution over `0..K-1` given by the last axis of the parameters.

    Args:
        logits: float tensor `[..., K]`, unnormalized log-probabilities (give this or
            `probs`).
        probs: float tensor `[..., K]`, the probabilities.
        dtype: the dtype of the samples (default `tf.int32`).
        validate_args: when True, invalid probabilities raise.
        allow_nan_stats: accepted (TF 1 argument).
        name: the distribution's name.
    """

    def __init__(
        self,
        logits=None,
        probs=None,
        dtype=torch.int32,
        validate_args=False,
        allow_nan_stats=True,
        name="Categorical",
    ):
        param = _logits_or_probs("Categorical", logits, probs)
        if param.dim() == 0:
            raise ValueError(
                f"Categorical: `logits`/`probs` need at least one axis (the K categories), "
                f"got a scalar {param.item()}. Pass e.g. logits=[0.2, 1.5, -0.3]."
            )
        if logits is not None:
            dist = td.Categorical(logits=param, validate_args=bool(validate_args))
        else:
            dist = td.Categorical(probs=param, validate_args=bool(validate_args))
        # TF returns the logits as given (torch normalizes them), or log(probs).
        self._logits = param if logits is not None else torch.log(param)
        super().__init__(dist, dtype, name, validate_args, allow_nan_stats)

    @property
    def logits(self) -> torch.Tensor:
        return self._logits

    @property
    def probs(self) -> torch.Tensor:
        return self._dist.probs

    @property
    def event_size(self) -> int:
        return int(self._dist.param_shape[-1])

    def _value(self, value) -> torch.Tensor:
        return convert_to_tensor(value).to(torch.int64)

    def log_prob(self, value, name: str = "log_prob") -> torch.Tensor:
        value = self._value(value)
        log_probs = torch.log_softmax(self._dist.logits, dim=-1)
        value, log_probs = _broadcast_categories(value, log_probs)
        return log_probs.gather(-1, value.unsqueeze(-1)).squeeze(-1)

    def cdf(self, value, name: str = "cdf") -> torch.Tensor:
        raise NotImplementedError("tork does not implement `Categorical.cdf`.")

    def mean(self, name: str = "mean") -> torch.Tensor:
        raise NotImplementedError("tf.compat.v1.distributions.Categorical has no mean.")

    def mode(self, name: str = "mode") -> torch.Tensor:
        return torch.argmax(self._dist.probs, dim=-1).to(self._dtype)


def _broadcast_categories(value: torch.Tensor, log_probs: torch.Tensor):
    """`value` (batch) and `log_probs` (batch + [K]) broadcast over their batch axes."""
    batch = torch.broadcast_shapes(value.shape, log_probs.shape[:-1])
    return value.expand(batch), log_probs.expand(*batch, log_probs.shape[-1])


def kl_divergence(distribution_a, distribution_b, allow_nan_stats=True, name=None):
    """KL(a || b), per distribution in the batch.

    Args:
        distribution_a: a `tf.compat.v1.distributions` distribution.
        distribution_b: another, of a type torch knows the divergence to.
        allow_nan_stats: accepted (TF 1 argument).
        name: unused.
    """
    try:
        return td.kl_divergence(distribution_a._dist, distribution_b._dist)
    except NotImplementedError:
        raise NotImplementedError(
            f"kl_divergence: no KL divergence between {type(distribution_a).__name__} and "
            f"{type(distribution_b).__name__}."
        ) from None


__all__ = [
    "Bernoulli",
    "Categorical",
    "Distribution",
    "FULLY_REPARAMETERIZED",
    "NOT_REPARAMETERIZED",
    "Normal",
    "ReparameterizationType",
    "Uniform",
    "kl_divergence",
]

__getattr__ = _module_getattr("tf.compat.v1.distributions")
