"""`keras.mixed_precision.LossScaleOptimizer`: dynamic loss scaling around another optimizer.

The loss is multiplied by the loss scale before the backward pass, so small
float16 gradients do not underflow, and the gradients are divided by it before
the update. With dynamic scaling (the default) a step whose gradients are not
finite is skipped and the scale halved; after `dynamic_growth_steps` finite
steps in a row the scale is doubled (Keras 2's rules: the scale never goes
below 1, and a doubling that would overflow float32 is not applied).

Both ways of using it work:

* Keras 3: `scaled = opt.scale_loss(loss)`, then `opt.apply_gradients` with
  the gradients of `scaled`; the optimizer unscales them.
* Keras 2: `scaled = opt.get_scaled_loss(loss)`, then
  `grads = opt.get_unscaled_gradients(tape.gradient(scaled, vars))` and
  `opt.apply_gradients(zip(grads, vars))`, which does not unscale again.

The optimizer knows which one happened: `scale_loss` / `get_scaled_loss` mark
the next update's gradients as scaled and `get_unscaled_gradients` clears the
mark. Gradients of a loss that was never scaled (e.g. `fit` without loss
scaling in the training step) are used as they are, still with the finite
check and the scale updates.
"""

from __future__ import annotations

import math
import numbers
import warnings

import torch

from tork.distribute import _context as _distribute_context
from tork.keras.optimizers.optimizer import Optimizer

# Keras 3 LossScaleOptimizer configs carry the base optimizer's arguments at their defaults.
_BASE_DEFAULTS = {
    "learning_rate": 0.0,
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
    "is_legacy_optimizer": None,
    "jit_compile": None,
}
_FLOAT32_MAX = float(torch.finfo(torch.float32).max)


def _all_finite(grads: list) -> bool:
    """Whether every element of every gradient is finite (one device sync)."""
    # The inf-norm (max |g|) is NaN or inf exactly when some element is.
    norms = torch._foreach_norm(grads, float("inf"))
    try:
        stacked = torch.stack(norms)
    except RuntimeError:  # gradients on several devices
        stacked = torch.stack([n.float().cpu() for n in norms])
    return bool(torch.isfinite(stacked).all())


class LossScaleOptimizer(Optimizer):
    """An optimizer that scales the loss to prevent float16 gradient underflow.

    It wraps `inner_optimizer`: the loss is multiplied by the loss scale, the
    gradients divided by it, and the inner optimizer updates the variables.
    With `dynamic=True` a step with non-finite gradients is skipped (the inner
    optimizer's `iterations` still counts it, as in Keras 2) and the scale
    halved (not below 1); after `dynamic_growth_steps` consecutive finite steps
    the scale is doubled.

    `model.compile(optimizer=LossScaleOptimizer(...))` and `fit` work; in a
    custom loop use `scale_loss` (Keras 3) or `get_scaled_loss` and
    `get_unscaled_gradients` (Keras 2), see the module docstring. The Keras 3
    positional order `LossScaleOptimizer(inner, initial_scale,
    dynamic_growth_steps)` is accepted too (a number in the `dynamic` slot).

    Args:
        inner_optimizer: the `keras.optimizers.Optimizer` to wrap. Its
            `loss_scale_factor` is cleared (as in Keras 3), otherwise the
            gradients would be unscaled twice.
        dynamic: whether the loss scale changes during training. With `False`
            the scale is fixed at `initial_scale` and every step is applied.
        initial_scale: the initial loss scale; default `2**15` when dynamic.
            Required when `dynamic=False`.
        dynamic_growth_steps: with dynamic scaling, the scale is doubled after
            this many consecutive steps with finite gradients; default 2000.
        name: the optimizer's name.
        **kwargs: the base optimizer's arguments (`clipnorm`, ...) are only
            accepted at their default values: set them on `inner_optimizer`.

    Example:
    >>> opt = tf.keras.mixed_precision.LossScaleOptimizer(tf.keras.optimizers.SGD(0.25))
    >>> var = tf.Variable(1.0)
    >>> opt.minimize(lambda: var**2, var_list=[var])
    >>> float(var)
    0.5
    """

    def __init__(
        self,
        inner_optimizer,
        dynamic: bool = True,
        initial_scale: float | None = None,
        dynamic_growth_steps: int | None = None,
        name: str | None = None,
        **kwargs,
    ):
        if not isinstance(dynamic, bool) and isinstance(dynamic, numbers.Real):
            # Keras 3 order: (inner_optimizer, initial_scale, dynamic_growth_steps, name).
            if isinstance(dynamic_growth_steps, str) and name is None:
                name = dynamic_growth_steps
                dynamic_growth_steps = None
            if dynamic_growth_steps is None:
                dynamic_growth_steps = initial_scale
            dynamic, initial_scale = True, dynamic
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(
                "LossScaleOptimizer wraps a Keras optimizer, e.g. "
                "`LossScaleOptimizer(tf.keras.optimizers.Adam())`. Received inner_optimizer="
                f"{inner_optimizer!r:.100} of type {type(inner_optimizer).__name__}."
            )
        if isinstance(inner_optimizer, LossScaleOptimizer):
            raise TypeError(
                "LossScaleOptimizer cannot wrap another LossScaleOptimizer: the loss would be "
                "scaled twice. Wrap the inner optimizer once."
            )
        for key, default in _BASE_DEFAULTS.items():
            if key in kwargs:
                value = kwargs.pop(key)
                if value is not None and value != default:
                    raise ValueError(
                        f"LossScaleOptimizer does not support `{key}` (received {key}={value!r}). "
                        f"Set `{key}` on the inner optimizer instead, e.g. "
                        f"`LossScaleOptimizer(tf.keras.optimizers.Adam({key}=...))`."
                    )
        if kwargs:
            raise ValueError(
                f"Argument(s) not recognized by LossScaleOptimizer: {sorted(kwargs)}. Valid "
                "arguments are inner_optimizer, dynamic, initial_scale, dynamic_growth_steps "
                "and name."
            )
        dynamic = bool(dynamic)
        if initial_scale is None:
            if not dynamic:
                raise ValueError(
                    "`initial_scale` must be given when dynamic=False: it is the fixed loss "
                    "scale, e.g. LossScaleOptimizer(opt, dynamic=False, initial_scale=1024)."
                )
            initial_scale = 2.0**15
        try:
            initial_scale = float(initial_scale)
        except (TypeError, ValueError):
            initial_scale = float("nan")
        if not (math.isfinite(initial_scale) and initial_scale > 0):
            raise ValueError(
                "`initial_scale` must be a positive finite number, e.g. 2**15. Received: "
                f"initial_scale={initial_scale}"
            )
        if dynamic:
            if dynamic_growth_steps is None:
                dynamic_growth_steps = 2000
            if (
                isinstance(dynamic_growth_steps, bool)
                or not isinstance(dynamic_growth_steps, numbers.Integral)
                or dynamic_growth_steps < 1
            ):
                raise ValueError(
                    "`dynamic_growth_steps` must be an integer >= 1. Received: "
                    f"dynamic_growth_steps={dynamic_growth_steps!r}"
                )
            dynamic_growth_steps = int(dynamic_growth_steps)
        elif dynamic_growth_steps is not None:
            raise ValueError(
                "`dynamic_growth_steps` cannot be given when dynamic=False: a fixed loss scale "
                f"never grows. Received: dynamic_growth_steps={dynamic_growth_steps!r}"
            )

        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.dynamic = dynamic
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        inner_optimizer.loss_scale_factor = None
        self.step_counter = self.add_variable((), "zeros", dtype=torch.int64, name="step_counter")
        self.dynamic_scale = self.add_variable(
            (), initial_scale, dtype=torch.float32, name="dynamic_scale"
        )
        # True after scale_loss / get_scaled_loss: the next update's gradients are scaled.
        self._tork_grads_scaled = False

    # -- the loss scale ----------------------------------------------------------------
    @property
    def loss_scale(self) -> torch.Tensor:
        """The current loss scale, a float32 scalar tensor (Keras 2)."""
        return self.dynamic_scale.detach().clone()

    @property
    def dynamic_counter(self):
        """The number of consecutive finite steps since the scale last changed (Keras 2).

        `None` when `dynamic=False`.
        """
        return self.step_counter if self.dynamic else None

    def scale_loss(self, loss):
        """Multiplies `loss` by the loss scale (Keras 3).

        Gradients of the result passed to `apply_gradients` are unscaled there.

        Args:
            loss: the loss tensor.

        Returns:
            `loss * loss_scale`.
        """
        self._tork_grads_scaled = True
        return loss * float(self.dynamic_scale)

    def get_scaled_loss(self, loss):
        """Multiplies `loss` by the loss scale (Keras 2).

        Args:
            loss: the loss tensor, or a callable with no arguments returning it.

        Returns:
            `loss * loss_scale`, or a callable returning it when `loss` is callable.

        Example:
        >>> with tf.GradientTape() as tape:
        ...     loss = loss_fn(model(x))
        ...     scaled_loss = opt.get_scaled_loss(loss)
        >>> grads = opt.get_unscaled_gradients(tape.gradient(scaled_loss, model.trainable_variables))
        >>> opt.apply_gradients(zip(grads, model.trainable_variables))
        """
        if callable(loss) and not isinstance(loss, torch.Tensor):
            return lambda: self.scale_loss(loss())
        return self.scale_loss(loss)

    def get_unscaled_gradients(self, grads) -> list:
        """Divides each gradient by the loss scale (Keras 2).

        Args:
            grads: a list of gradients of a loss scaled by `get_scaled_loss`;
                `None` entries stay `None`.

        Returns:
            The list of unscaled gradients. `apply_gradients` does not unscale
            these again.
        """
        grads = list(grads)
        self._tork_grads_scaled = False
        positions = [i for i, g in enumerate(grads) if g is not None]
        if positions:
            scale = float(self.dynamic_scale)
            tensors = [
                g if isinstance(g, torch.Tensor) else torch.as_tensor(g)
                for g in (grads[i] for i in positions)
            ]
            for i, g in zip(positions, torch._foreach_div(tensors, scale)):
                grads[i] = g
        return grads

    # -- delegation to the inner optimizer ---------------------------------------------------
    @property
    def learning_rate(self):
        """The inner optimizer's learning rate (settable)."""
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate) -> None:
        self.inner_optimizer.learning_rate = learning_rate

    lr = learning_rate

    @property
    def iterations(self):
        """The inner optimizer's `iterations` (skipped steps included)."""
        return self.inner_optimizer.iterations

    @iterations.setter
    def iterations(self, value) -> None:
        self.inner_optimizer.iterations = value

    @property
    def variables(self) -> list:
        """Own variables (iteration, learning_rate, step_counter, dynamic_scale), then the inner's.

        The Keras 3 order, so weight files line up with Keras's.
        """
        return self._variables + self.inner_optimizer.variables

    def _describe_variable_count(self) -> str:
        own = len(self._variables)
        return (
            f"{len(self.variables)} variables (its own {own} and "
            f"{len(self.variables) - own} of the inner optimizer)"
        )

    def save_own_variables(self, store) -> None:
        """Writes the values of `variables` to `store` under keys '0', '1', ..."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store) -> None:
        """Reads the values of `variables` back from a `store` written by `save_own_variables`."""
        variables = self.variables
        if len(store.keys()) != len(variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(variables)} variables whereas the saved optimizer has "
                f"{len(store.keys())} variables.",
                stacklevel=2,
            )
            return
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    def build(self, var_list) -> None:
        """Builds the inner optimizer (its slots) for `var_list`.

        Args:
            var_list: list of model variables to optimize.
        """
        var_list = list(var_list)
        self.inner_optimizer.build(var_list)
        super().build(var_list)

    def finalize_variable_values(self, var_list) -> None:
        """Calls the inner optimizer's `finalize_variable_values` (EMA)."""
        self.inner_optimizer.finalize_variable_values(var_list)

    def exclude_from_weight_decay(self, var_list=None, var_names=None) -> None:
        """Calls the inner optimizer's `exclude_from_weight_decay`."""
        self.inner_optimizer.exclude_from_weight_decay(var_list=var_list, var_names=var_names)

    # -- the step --------------------------------------------------------------------------
    def minimize(self, loss, var_list, tape=None):
        """Scales `loss`, computes the gradients, unscales them and applies them.

        Args:
            loss: a callable with no arguments returning the loss, or a loss tensor
                (recorded by autograd, or under `tape`).
            var_list: list of variables, or a callable returning it.
            tape: optional `tf.GradientTape` that recorded `loss`.

        Returns:
            The `iterations` variable.
        """
        if callable(loss) and not isinstance(loss, torch.Tensor):
            scaled = self.get_scaled_loss(loss)
        else:
            with torch.enable_grad():
                scaled = self.scale_loss(loss)
        return super().minimize(scaled, var_list, tape=tape)

    def _tork_step(self, params: list, grads: list) -> None:
        reducer = _distribute_context.gradient_reducer()
        if reducer is not None:
            # All-reduce once, here, so every replica takes the same skip decision; the
            # inner optimizer must not reduce again.
            grads = reducer(params, list(grads))
            with _distribute_context.reducing(None):
                self._scaled_step(params, grads)
            return
        self._scaled_step(params, grads)

    def _scaled_step(self, params: list, grads: list) -> None:
        if not self.built:
            self.build(params)
        scaled = self._tork_grads_scaled
        self._tork_grads_scaled = False
        scale = float(self.dynamic_scale)
        inner = self.inner_optimizer
        if not self.dynamic:
            if scaled:
                grads = torch._foreach_div(grads, scale)
            inner._tork_step(params, grads)
            return
        with torch.no_grad():
            finite = _all_finite(grads)
            if finite and scaled:
                grads = torch._foreach_div(grads, scale)
        if not finite:
            self.step_counter.zero_()
            self.dynamic_scale.fill_(max(scale / 2.0, 1.0))
            # Keras 2 counts the skipped step in the inner optimizer's iterations.
            inner._iterations.add_(1)
            return
        inner._tork_step(params, grads)
        if int(self.step_counter) + 1 >= self.dynamic_growth_steps:
            self.step_counter.zero_()
            if scale * 2.0 <= _FLOAT32_MAX:
                self.dynamic_scale.fill_(scale * 2.0)
        else:
            self.step_counter.add_(1)

    # -- config -----------------------------------------------------------------------------
    def get_config(self) -> dict:
        """Returns the constructor arguments, with the inner optimizer serialized.

        Returns:
            `{'name', 'inner_optimizer', 'initial_scale', 'dynamic_growth_steps'}`
            (Keras 3 keys), plus `'dynamic': False` for a fixed scale.
        """
        from tork.keras import optimizers

        config = {
            "name": self.name,
            "inner_optimizer": optimizers.serialize(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }
        if not self.dynamic:
            config["dynamic"] = False
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> LossScaleOptimizer:
        """Creates the optimizer from `get_config()` output (Keras 2 or Keras 3 layout).

        Args:
            config: the config dict.
            custom_objects: optional dict of user-defined optimizer classes.

        Returns:
            A new `LossScaleOptimizer` (without state).
        """
        from tork.keras import optimizers

        config = dict(config)
        inner = config.pop("inner_optimizer", None)
        if inner is None and "optimizer" in config:
            inner = config.pop("optimizer")  # Keras 2 experimental layout
        if isinstance(inner, dict):
            inner = optimizers.deserialize(inner, custom_objects=custom_objects)
        return cls(inner, **config)

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state["_tork_grads_scaled"] = False
        return state


__all__ = ["LossScaleOptimizer"]
