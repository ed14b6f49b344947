"""Helpers shared by the callbacks: logs to Python numbers, monitor direction, learning rate."""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import torch

# ---------------------------------------------------------------------------
# Logs.
# ---------------------------------------------------------------------------


def _scalar_tensor(value: Any) -> bool:
    return isinstance(value, torch.Tensor) and value.numel() == 1


def _python_number(value: Any) -> Any:
    """One value as a Python number where it is a scalar; other values unchanged."""
    if isinstance(value, torch.Tensor):
        if value.numel() == 1:
            return _tensor_scalar_to_python(value.detach())
        return value
    if isinstance(value, np.ndarray):
        return float(value.reshape(())) if value.size == 1 else value
    if isinstance(value, np.generic):
        return float(value) if isinstance(value, np.number | np.bool_) else value
    if isinstance(value, bool | int | float):
        return float(value)
    return value


def _tensor_scalar_to_python(t: torch.Tensor) -> float:
    return float(t.reshape(()).item())


def to_python_floats(values: list) -> list:
    """Converts a list of log values to Python floats with one device sync per device.

    Scalar tensors on one device are stacked and copied to the host together,
    so reading N GPU metrics costs one synchronisation instead of N. Values
    that are not scalars (arrays, strings) are returned unchanged.

    Args:
        values: log values: scalar tensors, NumPy scalars, Python numbers, or
            anything else.

    Returns:
        A list of the same length.
    """
    out = list(values)
    groups: dict[torch.device, list[int]] = {}
    for i, v in enumerate(out):
        if _scalar_tensor(v):
            groups.setdefault(v.device, []).append(i)
        else:
            out[i] = _python_number(v)
    for device, idx in groups.items():
        if len(idx) == 1:
            out[idx[0]] = _tensor_scalar_to_python(out[idx[0]].detach())
            continue
        # float64 holds every float32/bf16/fp16 value and int32 exactly; MPS has no float64.
        dtype = torch.float32 if device.type == "mps" else torch.float64
        stacked = torch.stack([out[i].detach().reshape(()).to(dtype) for i in idx])
        for i, number in zip(idx, stacked.tolist()):
            out[i] = float(number)
    return out


def pythonify_logs(logs: Mapping | None) -> dict:
    """Returns a copy of `logs` with scalar tensors turned into Python floats.

    Nested dicts are flattened into the top level, as Keras does.

    Args:
        logs: a logs dict as given to callbacks, or None.

    Returns:
        A new dict; `{}` for None.

    Example:
    >>> pythonify_logs({"loss": torch.tensor(0.5)})
    {'loss': 0.5}
    """
    if not logs:
        return {}
    flat: dict = {}
    for key, value in logs.items():
        if isinstance(value, Mapping):
            flat.update(value)
        else:
            flat[key] = value
    return dict(zip(flat.keys(), to_python_floats(list(flat.values()))))


def pythonify_logs_in_place(logs: dict | None) -> dict:
    """Turns the scalar values of `logs` into Python floats in place and returns it.

    Used once per epoch (and per evaluation): every callback then sees the same
    dict of floats, so a value one callback adds (e.g. `learning_rate`) reaches
    the others and `History`.

    Args:
        logs: the dict to convert, or None (then a new empty dict is returned).

    Returns:
        The same dict.
    """
    if logs is None:
        return {}
    if logs:
        keys = list(logs.keys())
        for key, value in zip(keys, to_python_floats([logs[k] for k in keys])):
            logs[key] = value
    return logs


def to_numpy_nest(value: Any) -> Any:
    """Tensors in a nest of lists, tuples and dicts as NumPy arrays.

    What `predict` returns and what `on_predict_batch_end` receives (Keras gives NumPy).

    Args:
        value: a tensor, or a nested structure holding tensors.

    Returns:
        The same structure with every `torch.Tensor` copied to a NumPy array.
    """
    if isinstance(value, torch.Tensor):
        # An array also for 0-d tensors (whose numpy() is a NumPy scalar, as TensorFlow's).
        return np.asarray(value.detach().cpu().numpy())
    if isinstance(value, Mapping):
        return type(value)((k, to_numpy_nest(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        items = [to_numpy_nest(v) for v in value]
        # A namedtuple takes its fields as arguments, other sequences an iterable.
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    return value


def keras3_log_order(logs: Mapping) -> dict:
    """Orders logs as Keras 3 does: training keys sorted, then the `val_` keys sorted.

    Args:
        logs: a logs dict.

    Returns:
        A new dict with the same items in Keras 3 order.

    Example:
    >>> list(keras3_log_order({"loss": 1, "val_loss": 2, "accuracy": 3}))
    ['accuracy', 'loss', 'val_loss']
    """
    train = sorted(k for k in logs if not k.startswith("val_"))
    val = sorted(k for k in logs if k.startswith("val_"))
    return {k: logs[k] for k in train + val}


def to_float(value: Any) -> float:
    """A single log value or learning rate as a Python float."""
    if isinstance(value, torch.Tensor):
        return float(value.detach().reshape(()).item())
    return float(value)


# ---------------------------------------------------------------------------
# Which way a monitored quantity improves.
# ---------------------------------------------------------------------------

# Name tokens of quantities that improve upwards / downwards (matched per "_"-separated
# token so "previous_err" does not match "iou").
_UP_TOKENS = {"auc", "precision", "recall", "f1", "fbeta", "iou", "r2"}
_UP_TOKEN_PREFIXES = ("acc",)
_DOWN_TOKENS = {
    "loss",
    "error",
    "crossentropy",
    "hinge",
    "divergence",
    "kld",
    "kl",
    "poisson",
    "logcosh",
    "mse",
    "mae",
    "mape",
    "msle",
    "rmse",
}


def _iter_metrics(model: Any) -> Iterable:
    metrics = getattr(model, "metrics", None) if model is not None else None
    if not metrics:
        return
    try:
        metrics = list(metrics)
    except TypeError:
        return
    stack = metrics[::-1]
    while stack:
        m = stack.pop()
        yield m
        children = getattr(m, "metrics", None)
        if isinstance(children, list | tuple):
            stack.extend(list(children)[::-1])


def monitor_direction(monitor: str, model: Any = None) -> str | None:
    """Infers whether `monitor` should be minimised (`'min'`) or maximised (`'max'`).

    The loss is minimised. Otherwise a metric on `model` whose name matches and
    which has a `_direction` of `'up'`/`'down'` decides, then the name: tokens
    such as `acc…`, `auc`, `precision`, `recall`, `f1`, `iou` mean max; `loss`,
    `error`, `crossentropy`, `mse`... mean min.

    Args:
        monitor: the logs key, e.g. `'val_accuracy'`.
        model: the model, whose `metrics` may be consulted.

    Returns:
        `'min'`, `'max'`, or None when the direction cannot be inferred.
    """
    name = monitor[4:] if monitor.startswith("val_") else monitor
    tokens = name.lower().split("_")
    if name == "loss" or tokens[-1] == "loss":
        return "min"
    for metric in _iter_metrics(model):
        if getattr(metric, "name", None) == name:
            direction = getattr(metric, "_direction", None)
            if direction == "up":
                return "max"
            if direction == "down":
                return "min"
    if any(t in _UP_TOKENS or t.startswith(_UP_TOKEN_PREFIXES) for t in tokens):
        return "max"
    if any(t in _DOWN_TOKENS for t in tokens):
        return "min"
    return None


def check_mode(mode: str, owner: str) -> str:
    """Validates a callback `mode`, warning and falling back to `'auto'` like Keras."""
    if mode not in ("auto", "min", "max"):
        import warnings

        # tf_keras's sentence (ReduceLROnPlateau calls itself "Learning rate reduction").
        subject = "Learning rate reduction" if owner == "ReduceLROnPlateau" else owner
        warnings.warn(
            f"{subject} mode {mode} is unknown, fallback to auto mode. "
            "Valid modes are 'auto', 'min' and 'max'.",
            stacklevel=3,
        )
        return "auto"
    return mode


def resolve_direction(monitor: str, mode: str, model: Any, owner: str, fallback: str | None) -> str:
    """`'min'` or `'max'` for a callback's `mode`; raises when `'auto'` cannot decide."""
    if mode in ("min", "max"):
        return mode
    direction = monitor_direction(monitor, model) or fallback
    if direction is None:
        raise ValueError(
            f"{owner} callback received monitor={monitor} but tork isn't able to "
            "automatically determine whether that metric should be maximized or "
            f"minimized. Pass `mode='max'` to {owner} in order to use the highest "
            "metric value, or pass `mode='min'` in order to use the lowest value."
        )
    return direction


def is_nonfinite(value: Any) -> bool:
    """Whether a loss value is NaN or infinite (a tensor is read from the device)."""
    if isinstance(value, torch.Tensor):
        return not bool(torch.isfinite(value.detach()).all())
    if isinstance(value, np.ndarray | np.generic):
        return not bool(np.all(np.isfinite(value)))
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------------------
# Learning rate.
# ---------------------------------------------------------------------------


def _optimizer_of(model: Any, owner: str) -> Any:
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise ValueError(
            f"{owner} needs a compiled model with an optimizer, but the model has no "
            "`optimizer`. Call `model.compile(optimizer=...)` before `fit`."
        )
    return optimizer


def get_learning_rate(model: Any, owner: str) -> float:
    """The current learning rate of `model.optimizer` as a Python float.

    Keras optimizers expose `learning_rate` (Keras 2's callbacks also accept an
    optimizer with only `lr`); plain `torch.optim` optimizers are read from their
    first parameter group.
    """
    optimizer = _optimizer_of(model, owner)
    if hasattr(optimizer, "learning_rate"):
        lr = optimizer.learning_rate
        if callable(lr) and not isinstance(lr, torch.Tensor):
            # A LearningRateSchedule: its value at the optimizer's current step.
            lr = lr(getattr(optimizer, "iterations", 0))
        return to_float(lr)
    if hasattr(optimizer, "lr"):
        # Keras 2's callbacks read `optimizer.lr` (an optimizer written for them may
        # have only that).
        return to_float(optimizer.lr)
    groups = getattr(optimizer, "param_groups", None)
    if groups:
        return float(groups[0]["lr"])
    raise ValueError(
        f'{owner}: the optimizer must have a "learning_rate" attribute. '
        f"Received optimizer {optimizer!r}."
    )


def _driven_by_schedule(optimizer: Any) -> bool:
    """Whether a Keras optimizer's rate comes from a schedule or callable (not settable)."""
    from tork.keras.optimizers.optimizer import Optimizer

    if not isinstance(optimizer, Optimizer):
        return False
    rate = optimizer.__dict__.get("_learning_rate")
    return rate is not None and callable(rate) and not isinstance(rate, torch.Tensor)


def set_learning_rate(model: Any, value: float, owner: str) -> None:
    """Sets the learning rate of `model.optimizer` (Keras or `torch.optim`)."""
    optimizer = _optimizer_of(model, owner)
    if _driven_by_schedule(optimizer):
        # tf_keras writes the value into the rate the schedule recomputes at every step,
        # so training keeps following the schedule: do the same, but say so.
        import warnings

        warnings.warn(
            f"{owner}: the optimizer's learning_rate is a LearningRateSchedule (or "
            "callable), which sets the rate at every step, so the rate this callback sets "
            "has no effect (tf_keras ignores it the same way). Create the optimizer with a "
            f"float learning_rate to let {owner} change it.",
            stacklevel=2,
        )
        return
    if hasattr(optimizer, "learning_rate"):
        optimizer.learning_rate = value
        return
    if hasattr(optimizer, "lr"):
        if hasattr(optimizer.lr, "assign"):
            optimizer.lr.assign(value)
        else:
            optimizer.lr = value
        return
    groups = getattr(optimizer, "param_groups", None)
    if groups:
        for group in groups:
            group["lr"] = value
        return
    raise ValueError(
        f'{owner}: the optimizer must have a "learning_rate" attribute. '
        f"Received optimizer {optimizer!r}."
    )


def positional_arity(fn: Any) -> int | None:
    """How many positional arguments `fn` accepts (None: any number / unknown)."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    count = 0
    for p in sig.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            return None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            count += 1
    return count
