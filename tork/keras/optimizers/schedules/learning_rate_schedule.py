"""Learning rate schedules: `keras.optimizers.schedules`.

A schedule maps the optimizer's step (its `iterations` before the update) to a
learning rate. The built-in schedules compute in Python on the host, so an
optimizer can evaluate them every step without touching the accelerator.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from tork._backend.dtypes import floatx_dtype


class LearningRateSchedule:
    """The learning rate schedule base class.

    Subclasses implement `__call__(step)`, returning the learning rate for a
    step (a scalar tensor or Python number), and `get_config()` to be
    serializable. Any `LearningRateSchedule` can be passed as an optimizer's
    `learning_rate`; the optimizer calls it with its `iterations` before each
    update, so the first update uses `schedule(0)`.

    Example:
    >>> class MyLRSchedule(tf.keras.optimizers.schedules.LearningRateSchedule):
    ...     def __init__(self, initial_learning_rate):
    ...         self.initial_learning_rate = initial_learning_rate
    ...     def __call__(self, step):
    ...         return self.initial_learning_rate / (step + 1)
    >>> optimizer = tf.keras.optimizers.SGD(learning_rate=MyLRSchedule(0.1))
    """

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self) -> dict:
        """Returns the config of the schedule (its constructor arguments)."""
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` "
            "in order to be serializable."
        )

    @classmethod
    def from_config(cls, config: dict) -> LearningRateSchedule:
        """Instantiates a schedule from the output of `get_config()`.

        Args:
            config: a dict of constructor arguments.

        Returns:
            A `LearningRateSchedule` instance.
        """
        return cls(**config)


class _HostSchedule(LearningRateSchedule):
    """Base of the built-in schedules: one Python formula, `_compute(step) -> float`."""

    def _compute(self, step: float) -> float:
        raise NotImplementedError

    def _checked_compute(self, step: float) -> float:
        # Arguments such as a negative decay_rate or t_mul=0 make the formula undefined
        # (TF returns NaN, which then trains silently into NaN weights): say which ones.
        try:
            value = self._compute(step)
        except (ArithmeticError, TypeError, ValueError) as error:
            problem = str(error)
        else:
            if not isinstance(value, complex):
                return value
            # Python's `negative ** fraction` is a complex number.
            problem = f"the formula gives the complex number {value}"
        raise ValueError(
            f"{type(self).__name__} cannot compute a learning rate at step {step:g} with its "
            f"arguments {self.get_config()} ({problem}). Check them: e.g. decay_rate, power "
            "and t_mul must be positive."
        )

    def __call__(self, step) -> torch.Tensor:
        """Returns the learning rate at `step` as a float tensor.

        Args:
            step: the optimizer step: a Python number, or a tensor, NumPy array
                or list of steps.

        Returns:
            A float tensor of `step`'s shape (a scalar for a scalar step).
        """
        # Fast path: the optimizer calls this every step with a number or a 0-d tensor.
        if isinstance(step, int | float):
            return torch.tensor(self._checked_compute(float(step)), dtype=floatx_dtype())
        device = None
        if isinstance(step, torch.Tensor):
            device = step.device
            if step.dim() == 0:
                return torch.tensor(
                    self._checked_compute(float(step)), dtype=floatx_dtype(), device=device
                )
            steps = step.detach().cpu().double().numpy()
        else:
            # NumPy arrays and lists evaluate element-wise, keeping their shape, as in
            # Keras (e.g. plotting `schedule(np.linspace(0, 100000))`).
            steps = np.asarray(step, dtype=np.float64)
            if steps.ndim == 0:
                return torch.tensor(self._checked_compute(float(steps)), dtype=floatx_dtype())
        values = np.vectorize(self._checked_compute, otypes=[np.float64])(steps)
        return torch.as_tensor(values, dtype=floatx_dtype(), device=device)


def _check_positive(name: str, value) -> None:
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class ExponentialDecay(_HostSchedule):
    """A `LearningRateSchedule` that uses an exponential decay schedule.

    Computes `initial_learning_rate * decay_rate ** (step / decay_steps)`; with
    `staircase=True`, `step / decay_steps` is floored, so the rate drops at
    discrete intervals.

    Args:
        initial_learning_rate: the initial learning rate (float).
        decay_steps: positive int; see the formula.
        decay_rate: the decay rate (float).
        staircase: if `True`, decay the learning rate at discrete intervals.
        name: optional name of the schedule.

    Example:
    >>> schedule = tf.keras.optimizers.schedules.ExponentialDecay(
    ...     0.1, decay_steps=1000, decay_rate=0.96, staircase=True)
    >>> optimizer = tf.keras.optimizers.SGD(learning_rate=schedule)
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        decay_rate: float,
        staircase: bool = False,
        name: str | None = None,
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def _compute(self, step: float) -> float:
        p = step / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return float(self.initial_learning_rate) * float(self.decay_rate) ** p

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class PiecewiseConstantDecay(_HostSchedule):
    """A `LearningRateSchedule` that is constant between step boundaries.

    Returns `values[0]` while `step <= boundaries[0]`, `values[i]` while
    `boundaries[i-1] < step <= boundaries[i]`, and `values[-1]` after the last
    boundary (each upper bound is inclusive).

    Args:
        boundaries: strictly increasing list of step numbers.
        values: list of learning rates, one more than `boundaries`.
        name: optional name of the schedule.

    Example:
    >>> schedule = tf.keras.optimizers.schedules.PiecewiseConstantDecay(
    ...     boundaries=[100000, 110000], values=[1.0, 0.5, 0.1])
    >>> float(schedule(100000)), float(schedule(100001))
    (1.0, 0.5)
    """

    def __init__(self, boundaries: list, values: list, name: str | None = None):
        super().__init__()
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def _compute(self, step: float) -> float:
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return float(value)
        return float(self.values[-1])

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(_HostSchedule):
    """A `LearningRateSchedule` that uses a polynomial decay schedule.

    Computes `(initial - end) * (1 - min(step, decay_steps) / decay_steps) ** power
    + end`. With `cycle=True`, `decay_steps` is replaced by the first multiple of
    it that is at least `step` (and by `decay_steps` itself at step 0).

    Args:
        initial_learning_rate: the initial learning rate (float).
        decay_steps: positive int; the number of steps to decay over.
        end_learning_rate: the minimal end learning rate.
        power: the power of the polynomial.
        cycle: whether to cycle beyond `decay_steps`.
        name: optional name of the schedule.

    Example:
    >>> schedule = tf.keras.optimizers.schedules.PolynomialDecay(
    ...     0.1, decay_steps=10000, end_learning_rate=0.01, power=0.5)
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        end_learning_rate: float = 0.0001,
        power: float = 1.0,
        cycle: bool = False,
        name: str | None = None,
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def _compute(self, step: float) -> float:
        decay_steps = float(self.decay_steps)
        if self.cycle:
            multiplier = 1.0 if step == 0 else math.ceil(step / decay_steps)
            decay_steps = decay_steps * multiplier
        else:
            step = min(step, decay_steps)
        p = step / decay_steps
        initial = float(self.initial_learning_rate)
        end = float(self.end_learning_rate)
        return (initial - end) * (1.0 - p) ** float(self.power) + end

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


class InverseTimeDecay(_HostSchedule):
    """A `LearningRateSchedule` that uses an inverse time decay schedule.

    Computes `initial_learning_rate / (1 + decay_rate * step / decay_steps)`;
    with `staircase=True`, `step / decay_steps` is floored.

    Args:
        initial_learning_rate: the initial learning rate (float).
        decay_steps: positive number; how often to apply decay.
        decay_rate: the decay rate.
        staircase: whether to decay in discrete steps.
        name: optional name of the schedule.

    Example:
    >>> schedule = tf.keras.optimizers.schedules.InverseTimeDecay(
    ...     0.1, decay_steps=1.0, decay_rate=0.5)
    >>> round(float(schedule(2)), 4)
    0.05
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: float,
        decay_rate: float,
        staircase: bool = False,
        name: str | None = None,
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_positive("decay_steps", decay_steps)

    def _compute(self, step: float) -> float:
        p = step / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return float(self.initial_learning_rate) / (1.0 + float(self.decay_rate) * p)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


class CosineDecay(_HostSchedule):
    """A `LearningRateSchedule` that uses a cosine decay, with optional linear warmup.

    Without warmup: `initial * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, ds) / ds))
    + alpha)`. With `warmup_target`, the rate rises linearly from
    `initial_learning_rate` to `warmup_target` over `warmup_steps` steps, then
    decays from `warmup_target` with the cosine formula over `decay_steps`.

    Args:
        initial_learning_rate: the initial learning rate (float).
        decay_steps: positive int; the number of steps to decay over (0 is
            allowed with a warmup: the rate then ends at `alpha * warmup_target`).
        alpha: minimum learning rate, as a fraction of the rate decayed from.
        name: optional name of the schedule.
        warmup_target: the learning rate reached at the end of warmup, or `None`
            for no warmup.
        warmup_steps: the number of warmup steps.

    Example:
    >>> schedule = tf.keras.optimizers.schedules.CosineDecay(
    ...     0.0, decay_steps=10, warmup_target=1.0, warmup_steps=5)
    >>> [round(float(schedule(s)), 3) for s in (0, 1, 5, 10, 15)]
    [0.0, 0.2, 1.0, 0.5, 0.0]
    """

    def __init__(
        self,
        initial_learning_rate: float,
        decay_steps: int,
        alpha: float = 0.0,
        name: str | None = None,
        warmup_target: float | None = None,
        warmup_steps: int = 0,
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        if warmup_target is None or decay_steps != 0:
            # Keras 2 takes `decay_steps=0` with a warmup: a warmup-only schedule.
            _check_positive("decay_steps", decay_steps)

    def _decayed(self, step: float, decay_from: float) -> float:
        if not self.decay_steps:
            # Nothing left to decay over: the rate is fully decayed once warmup ends
            # (Keras 2 computes 0 / 0 there and gives NaN).
            return decay_from * float(self.alpha)
        fraction = step / float(self.decay_steps)
        cosine = 0.5 * (1.0 + math.cos(math.pi * fraction))
        alpha = float(self.alpha)
        return decay_from * ((1.0 - alpha) * cosine + alpha)

    def _compute(self, step: float) -> float:
        initial = float(self.initial_learning_rate)
        if self.warmup_target is None:
            return self._decayed(min(step, float(self.decay_steps)), initial)
        warmup_steps = float(self.warmup_steps)
        target = float(self.warmup_target)
        step = min(step, float(self.decay_steps) + warmup_steps)
        if step < warmup_steps:
            return (target - initial) * (step / warmup_steps) + initial
        return self._decayed(step - warmup_steps, target)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


class CosineDecayRestarts(_HostSchedule):
    """A `LearningRateSchedule` that uses a cosine decay schedule with warm restarts (SGDR).

    The multiplier decays from 1 to `alpha` over `first_decay_steps` steps, then
    restarts; each period lasts `t_mul` times longer than the previous one and
    starts from `m_mul` times the previous starting rate.

    Args:
        initial_learning_rate: the initial learning rate (float).
        first_decay_steps: positive int; the length of the first period.
        t_mul: factor by which each period is longer than the previous one.
        m_mul: factor applied to the starting rate at each restart.
        alpha: minimum learning rate, as a fraction of `initial_learning_rate`.
        name: optional name of the schedule.

    Example:
    >>> schedule = tf.keras.optimizers.schedules.CosineDecayRestarts(
    ...     1.0, first_decay_steps=10)
    >>> float(schedule(10))  # the first restart
    1.0
    """

    def __init__(
        self,
        initial_learning_rate: float,
        first_decay_steps: int,
        t_mul: float = 2.0,
        m_mul: float = 1.0,
        alpha: float = 0.0,
        name: str | None = None,
    ):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_positive("first_decay_steps", first_decay_steps)

    def _compute(self, step: float) -> float:
        fraction = step / float(self.first_decay_steps)
        t_mul = float(self._t_mul)
        if t_mul == 1.0:
            restart = math.floor(fraction)
            fraction -= restart
        else:
            # Period i has length t_mul**i, so the periods before restart i sum to
            # (1 - t_mul**i) / (1 - t_mul) first-period lengths.
            restart = math.floor(math.log(1.0 - fraction * (1.0 - t_mul)) / math.log(t_mul))
            elapsed = (1.0 - t_mul**restart) / (1.0 - t_mul)
            fraction = (fraction - elapsed) / t_mul**restart
        m_factor = float(self._m_mul) ** restart
        cosine = 0.5 * m_factor * (1.0 + math.cos(math.pi * fraction))
        alpha = float(self.alpha)
        return float(self.initial_learning_rate) * ((1.0 - alpha) * cosine + alpha)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


_SCHEDULES = {
    cls.__name__: cls
    for cls in (
        ExponentialDecay,
        PiecewiseConstantDecay,
        PolynomialDecay,
        InverseTimeDecay,
        CosineDecay,
        CosineDecayRestarts,
    )
}


def serialize(learning_rate_schedule: LearningRateSchedule) -> dict:
    """Serializes a `LearningRateSchedule` into a JSON-compatible dict.

    Args:
        learning_rate_schedule: the schedule to serialize.

    Returns:
        A dict `{'module', 'class_name', 'config', 'registered_name'}` as Keras 3 writes it.

    Example:
    >>> schedule = tf.keras.optimizers.schedules.ExponentialDecay(0.1, 1000, 0.96)
    >>> tf.keras.optimizers.schedules.serialize(schedule)["class_name"]
    'ExponentialDecay'
    """
    if not isinstance(learning_rate_schedule, LearningRateSchedule):
        raise ValueError(
            "`serialize` expects a `LearningRateSchedule`. "
            f"Received: {learning_rate_schedule!r} of type {type(learning_rate_schedule).__name__}."
        )
    cls = type(learning_rate_schedule)
    builtin = _SCHEDULES.get(cls.__name__) is cls
    return {
        "module": "keras.optimizers.schedules" if builtin else cls.__module__,
        "class_name": cls.__name__,
        "config": learning_rate_schedule.get_config(),
        "registered_name": None if builtin else _registered_name(cls),
    }


def _registered_name(cls) -> str:
    # `'Package>Name'` for classes registered with `register_keras_serializable`.
    from tork.keras.saving.object_registration import get_registered_name

    return get_registered_name(cls)


def _registered_class(name):
    # Classes registered with `register_keras_serializable` or a custom object scope.
    from tork.keras.saving.object_registration import get_registered_object

    return get_registered_object(name) if isinstance(name, str) else None


def deserialize(config: dict, custom_objects: dict[str, Any] | None = None) -> LearningRateSchedule:
    """Instantiates a `LearningRateSchedule` from its serialized form.

    Args:
        config: a dict with `class_name` and `config` (Keras 2 or Keras 3 form).
        custom_objects: optional dict mapping names to user-defined schedule classes.

    Returns:
        A `LearningRateSchedule` instance.

    Example:
    >>> schedule = tf.keras.optimizers.schedules.deserialize(
    ...     {"class_name": "PolynomialDecay",
    ...      "config": {"initial_learning_rate": 0.1, "decay_steps": 100}})
    """
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            "Could not interpret learning rate schedule config: expected a dict with "
            f"'class_name' and 'config'. Received: {config!r}"
        )
    name = config["class_name"]
    custom_objects = custom_objects or {}
    registered = config.get("registered_name")
    cls = custom_objects.get(name) or (registered and custom_objects.get(registered))
    cls = cls or (registered and _registered_class(registered))
    cls = cls or _SCHEDULES.get(name) or _registered_class(name)
    if cls is None:
        raise ValueError(
            f"Unknown learning rate schedule: '{name}'. Valid names are "
            f"{sorted(_SCHEDULES)}; pass user-defined schedules in `custom_objects`."
        )
    return cls.from_config(dict(config.get("config", {})))


__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "LearningRateSchedule",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
    "deserialize",
    "serialize",
]
