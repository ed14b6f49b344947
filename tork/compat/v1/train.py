"""`tf.compat.v1.train`: TensorFlow 1's learning-rate decay functions and global step.

In TensorFlow 2 (eager), `tf.compat.v1.train.exponential_decay(lr, global_step, ...)`
returns a function of no arguments that computes the rate from the *current* value of
`global_step` each time it is called; an optimizer given it as `learning_rate` calls it
every step, so `global_step.assign_add(1)` in the training loop moves the rate. The
functions here do the same with tork's Keras schedules:

    global_step = tf.compat.v1.train.get_or_create_global_step()
    lr = tf.compat.v1.train.exponential_decay(0.1, global_step, 1000, 0.96)
    optimizer = tf.keras.optimizers.SGD(learning_rate=lr)

`exponential_decay`, `piecewise_constant`, `polynomial_decay`, `inverse_time_decay`,
`natural_exp_decay`, `cosine_decay`, `cosine_decay_restarts`, `linear_cosine_decay`,
and `get_or_create_global_step`/`get_global_step`/`create_global_step`. Other names are
TF 2's `tf.train` ones (`Checkpoint`, `latest_checkpoint`, ...); TF 1's graph-mode
optimizers (`AdamOptimizer`, ...), `Saver` and queues raise `NotImplementedError`.
"""

from __future__ import annotations

import functools
import math

import torch

from tork.compat.v1 import _v2_names
from tork.keras.optimizers.schedules import learning_rate_schedule as _schedules
from tork.variables import Variable

__all__ = [
    "cosine_decay",
    "cosine_decay_restarts",
    "create_global_step",
    "exponential_decay",
    "get_global_step",
    "get_or_create_global_step",
    "inverse_time_decay",
    "linear_cosine_decay",
    "natural_exp_decay",
    "piecewise_constant",
    "polynomial_decay",
]

_GLOBAL_STEP: list = []


def get_global_step(graph=None):
    """The global step variable, or None if none was created (`tf.compat.v1`)."""
    del graph
    return _GLOBAL_STEP[0] if _GLOBAL_STEP else None


def create_global_step(graph=None):
    """Creates the global step: a non-trainable int64 `Variable` named `global_step` at 0.

    Raises:
        ValueError: if it already exists (as TensorFlow 1).
    """
    del graph
    if _GLOBAL_STEP:
        raise ValueError('"global_step" already exists.')
    step = Variable(torch.tensor(0, dtype=torch.int64), trainable=False, name="global_step")
    _GLOBAL_STEP.append(step)
    return step


def get_or_create_global_step(graph=None):
    """The global step variable, created (int64, 0) on the first call."""
    step = get_global_step(graph)
    return create_global_step(graph) if step is None else step


def _decayed(name: str, schedule, global_step):
    if global_step is None:
        raise ValueError(f"global_step is required for {name}.")
    # A function of no arguments reading the step when called, as TF 2's (a partial).
    rate = functools.partial(schedule, global_step)
    rate.__doc__ = f"`tf.compat.v1.train.{name}`: the rate at the current global step."
    return rate


def exponential_decay(
    learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None
):
    """`learning_rate * decay_rate ** (global_step / decay_steps)` (floored if `staircase`).

    Returns:
        A function of no arguments giving the rate at the current `global_step`.
    """
    schedule = _schedules.ExponentialDecay(learning_rate, decay_steps, decay_rate, staircase)
    return _decayed("exponential_decay", schedule, global_step)


def natural_exp_decay(
    learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None
):
    """`learning_rate * exp(-decay_rate * global_step / decay_steps)` (floored if `staircase`).

    Returns:
        A function of no arguments giving the rate at the current `global_step`.
    """
    schedule = _schedules.ExponentialDecay(
        learning_rate, decay_steps, math.exp(-decay_rate), staircase
    )
    return _decayed("natural_exp_decay", schedule, global_step)


def inverse_time_decay(
    learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None
):
    """`learning_rate / (1 + decay_rate * global_step / decay_steps)`.

    Returns:
        A function of no arguments giving the rate at the current `global_step`.
    """
    schedule = _schedules.InverseTimeDecay(learning_rate, decay_steps, decay_rate, staircase)
    return _decayed("inverse_time_decay", schedule, global_step)


def piecewise_constant(x, boundaries, values, name=None):
    """`values[i]` while `x` is past `boundaries[i - 1]` and at most `boundaries[i]`.

    Args:
        x: the step (usually the global step variable).
        boundaries: increasing step boundaries.
        values: one more value than boundaries.

    Returns:
        A function of no arguments giving the value at the current `x`.
    """
    schedule = _schedules.PiecewiseConstantDecay(list(boundaries), list(values))
    return _decayed("piecewise_constant", schedule, x)


def polynomial_decay(
    learning_rate,
    global_step,
    decay_steps,
    end_learning_rate=0.0001,
    power=1.0,
    cycle=False,
    name=None,
):
    """Decays `learning_rate` to `end_learning_rate` over `decay_steps` as a polynomial.

    Returns:
        A function of no arguments giving the rate at the current `global_step`.
    """
    schedule = _schedules.PolynomialDecay(
        learning_rate, decay_steps, end_learning_rate, power=power, cycle=cycle
    )
    return _decayed("polynomial_decay", schedule, global_step)


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """Cosine decay from `learning_rate` to `alpha * learning_rate` over `decay_steps`.

    Returns:
        A function of no arguments giving the rate at the current `global_step`.
    """
    schedule = _schedules.CosineDecay(learning_rate, decay_steps, alpha=alpha)
    return _decayed("cosine_decay", schedule, global_step)


def cosine_decay_restarts(
    learning_rate, global_step, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name=None
):
    """Cosine decay with warm restarts (SGDR).

    Returns:
        A function of no arguments giving the rate at the current `global_step`.
    """
    schedule = _schedules.CosineDecayRestarts(
        learning_rate, first_decay_steps, t_mul=t_mul, m_mul=m_mul, alpha=alpha
    )
    return _decayed("cosine_decay_restarts", schedule, global_step)


class _LinearCosineDecay(_schedules._HostSchedule):
    """TF 1's linear cosine decay (no Keras schedule holds it)."""

    def __init__(self, learning_rate, decay_steps, num_periods, alpha, beta):
        self.learning_rate = learning_rate
        self.decay_steps = decay_steps
        self.num_periods = num_periods
        self.alpha = alpha
        self.beta = beta

    def _compute(self, step: float) -> float:
        steps = float(self.decay_steps)
        step = min(step, steps)
        linear = (steps - step) / steps
        cosine = 0.5 * (1.0 + math.cos(math.pi * 2.0 * float(self.num_periods) * step / steps))
        return float(self.learning_rate) * ((float(self.alpha) + linear) * cosine + self.beta)

    def get_config(self) -> dict:
        return {
            "learning_rate": self.learning_rate,
            "decay_steps": self.decay_steps,
            "num_periods": self.num_periods,
            "alpha": self.alpha,
            "beta": self.beta,
        }


def linear_cosine_decay(
    learning_rate, global_step, decay_steps, num_periods=0.5, alpha=0.0, beta=0.001, name=None
):
    """`learning_rate * ((alpha + linear) * cosine + beta)` (TF 1's linear cosine decay).

    `linear = (decay_steps - step) / decay_steps` and
    `cosine = 0.5 * (1 + cos(2 pi num_periods step / decay_steps))`, with the step
    capped at `decay_steps`.

    Returns:
        A function of no arguments giving the rate at the current `global_step`.
    """
    schedule = _LinearCosineDecay(learning_rate, decay_steps, num_periods, alpha, beta)
    return _decayed("linear_cosine_decay", schedule, global_step)


def _missing(name: str):
    from tork._backend.errors import not_implemented

    raise not_implemented(f"tf.compat.v1.train.{name}")


# Any other name is TF 2's `tf.train` one (Checkpoint, latest_checkpoint, ...).
__getattr__ = _v2_names.fallback_getattr(globals(), "tork.train", _missing)
