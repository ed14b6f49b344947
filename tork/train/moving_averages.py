"""`tf.train.ExponentialMovingAverage`: shadow copies of variables that track their average."""

from __future__ import annotations

import torch

from tork.variables import Variable

_FLOAT_TYPES = (torch.float16, torch.float32, torch.float64)


def _as_float(value) -> float:
    if isinstance(value, torch.Tensor):
        return float(value.detach())
    return float(value)


class ExponentialMovingAverage:
    """Keeps moving averages of variables, as `tf.train.ExponentialMovingAverage`.

    `apply(var_list)` creates, on its first call for a variable, a non-trainable
    shadow variable holding the variable's value, and on every call updates it:
    `shadow -= (shadow - variable) * (1 - decay)`. With `num_updates` the decay
    used is `min(decay, (1 + num_updates) / (10 + num_updates))`, which moves
    the averages faster early in training.

    Args:
        decay: the decay, e.g. 0.999 (a float, or a tensor/variable read at each
            `apply`).
        num_updates: optional step count (an int, tensor or variable, read at each
            `apply`) that limits the decay as above.
        zero_debias: recorded only. As in eager TensorFlow, whose averages of
            variables ignore it (TensorFlow debiases averages of plain tensors,
            which eager TensorFlow and tork refuse), it changes nothing.
        name: the name of the shadow variables' suffix and of the object.

    Example:
    >>> v = tf.Variable([1.0, 2.0], name="w")
    >>> ema = tf.train.ExponentialMovingAverage(decay=0.9)
    >>> ema.apply([v])
    >>> v.assign([3.0, 4.0])
    >>> ema.apply([v])
    >>> ema.average(v).numpy()
    array([1.2, 2.2], dtype=float32)
    """

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        # id(variable) -> (variable, shadow): tensors hash by identity, and holding the
        # variable keeps its id from being reused.
        self._averages: dict[int, tuple[Variable, Variable]] = {}

    @property
    def name(self) -> str:
        """The name given at creation (default "ExponentialMovingAverage")."""
        return self._name

    def _current_decay(self) -> float:
        decay = _as_float(self._decay)
        if self._num_updates is not None:
            steps = _as_float(self._num_updates)
            decay = min(decay, (1.0 + steps) / (10.0 + steps))
        return decay

    def apply(self, var_list=None) -> None:
        """Creates the shadow variables on first use and updates every average.

        Args:
            var_list: a list of float variables (float16, float32 or float64);
                None does nothing.

        Returns:
            None, as eager TensorFlow.

        Raises:
            TypeError: an item is not a `tf.Variable`, or not a float variable.
        """
        if var_list is None:
            return None
        var_list = list(var_list)
        for var in var_list:
            if not isinstance(var, Variable):
                raise TypeError(
                    "tf.train.ExponentialMovingAverage does not support non-Variable tensors "
                    "when eager execution is enabled."
                )
            if var.dtype not in _FLOAT_TYPES:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
        decay = self._current_decay()
        for var in var_list:
            entry = self._averages.get(id(var))
            if entry is None:
                shadow = Variable(var.detach().clone(), trainable=False)
                shadow.name = self.average_name(var)
                self._averages[id(var)] = (var, shadow)
                entry = self._averages[id(var)]
            shadow = entry[1]
            # As TensorFlow, `1 - decay` is computed in the variable's dtype.
            keep = 1 - torch.tensor(decay, dtype=shadow.dtype, device=shadow.device)
            with torch.no_grad():
                shadow.sub_((shadow - var.detach().to(shadow.device)) * keep)
        return None

    def average(self, var) -> Variable | None:
        """The shadow variable holding `var`'s moving average, or None before `apply(var)`."""
        entry = self._averages.get(id(var))
        return None if entry is None else entry[1]

    def average_name(self, var) -> str:
        """The name of `var`'s shadow variable: `"<var path>/<name>"`, e.g. `"w/ExponentialMovingAverage"`.

        Raises:
            TypeError: `var` is not a `tf.Variable`.
        """
        if not isinstance(var, Variable):
            raise TypeError(
                "tf.train.ExponentialMovingAverage.average_name expects a tf.Variable, got "
                f"{type(var).__name__}."
            )
        return f"{var.path}/{self._name}"

    def variables_to_restore(self, moving_avg_variables=None) -> dict:
        """Maps each variable's average name to the variable, to restore averages into it.

        Args:
            moving_avg_variables: the variables whose averages should be restored;
                by default those given to `apply`.

        Returns:
            A dict `{average_name(v): v}`.
        """
        if moving_avg_variables is None:
            moving_avg_variables = [var for var, _ in self._averages.values()]
        return {self.average_name(var): var for var in moving_avg_variables}


def assign_moving_average(variable, value, decay, zero_debias=True, name=None):
    """Updates `variable` to a moving average of the values it is given.

    `tf.__internal__.train.assign_moving_average` (TF Addons' MovingAverage calls it):
    `variable -= (variable - value) * (1 - decay)`. With `zero_debias=True` (TF's
    default) TensorFlow averages into a hidden zero-started copy and divides it by
    `1 - decay ** step`; eagerly it makes that copy afresh at every call, so the
    variable is set to `value`, and tork does the same.

    Args:
        variable: a float `tf.Variable`, updated in place.
        value: the new value (a tensor of `variable`'s shape).
        decay: the decay, a float or scalar tensor (e.g. 0.99).
        zero_debias: whether to debias as above.
        name: accepted for TensorFlow compatibility.

    Returns:
        `variable`, updated.

    Example:
    >>> v = tf.Variable([1.0, 2.0])
    >>> tf.__internal__.train.assign_moving_average(v, [3.0, 6.0], 0.9, zero_debias=False)
    >>> v.numpy()
    array([1.2, 2.4], dtype=float32)
    """
    del name
    from tork._backend.tensor import convert_to_tensor

    if not isinstance(variable, Variable) or variable.dtype not in _FLOAT_TYPES:
        raise TypeError(
            "assign_moving_average: `variable` must be a float tf.Variable. Received "
            f"{type(variable).__name__} of dtype {getattr(variable, 'dtype', None)}."
        )
    value = convert_to_tensor(value).to(device=variable.device, dtype=variable.dtype)
    if tuple(value.shape) != tuple(variable.shape):
        raise ValueError(
            f"assign_moving_average: `value` has shape {tuple(value.shape)} but the variable "
            f"has shape {tuple(variable.shape)}; they must match."
        )
    decay = _as_float(decay)
    with torch.no_grad():
        if zero_debias:
            # One step of a fresh zero-started average, debiased: the value itself.
            variable.copy_((value * (1.0 - decay)) / (1.0 - decay))
        else:
            variable.sub_((variable - value) * (1.0 - decay))
    return variable
