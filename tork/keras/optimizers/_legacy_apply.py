"""The per-variable update of tork's built-in optimizers, for subclasses that call it.

Keras 2 code extends a built-in optimizer by overriding `_resource_apply_dense` and
calling the parent's: bert4keras's `extend_with_lookahead_v2` factory builds

    class NewOptimizer(BaseOptimizer):
        def _resource_apply_dense(self, grad, var):
            op = super()._resource_apply_dense(grad, var)
            ...  # then reads `self.get_slot(var, "slow_var")`, updates `var` again

on `tf.keras.optimizers.legacy.Adam`. tork's built-in rules update lists of variables
at once (`_update_group`); here one variable goes through the same rule as a group of
one, so the parent's update has exactly the numbers of the fused step. Keras 3 and
Keras 2.11+ subclasses that override `update_step` and call `super().update_step(...)`
come here too. Optimizers without such an override never do: they keep the fused update.

OptimizerV2 names the slots differently from tork (`m`/`v` for Adam, `rms` for
RMSprop): `tork_slot_name` maps the Keras 2 names for `get_slot`.
"""

from __future__ import annotations

import torch

from tork._backend.tensor import convert_to_tensor

# Keras 2 (OptimizerV2) slot name -> tork's, by the built-in optimizer's class name
# (tf_keras/src/optimizers/legacy/*.py `add_slot` calls).
_KERAS2_SLOT_NAMES: dict[str, dict[str, str]] = {
    "Adam": {"m": "momentum", "v": "velocity", "vhat": "velocity_hat"},
    "AdamW": {"m": "momentum", "v": "velocity", "vhat": "velocity_hat"},
    "Nadam": {"m": "momentum", "v": "velocity"},
    "Adamax": {"m": "momentum", "v": "norm"},
    "RMSprop": {"rms": "velocity", "mg": "average_gradient"},
    "Adadelta": {"accum_grad": "accumulated_grad", "accum_var": "accumulated_delta_var"},
}


def builtin_class(optimizer):
    """The nearest tork class of `optimizer` that is not the abstract `Optimizer`, or None."""
    from tork.keras.optimizers.optimizer import Optimizer, _first_tork_class

    klass = _first_tork_class(type(optimizer))
    return None if klass is Optimizer else klass


def tork_slot_name(optimizer, slot_name: str) -> str:
    """tork's name of the slot that Keras 2's built-in optimizer calls `slot_name`."""
    klass = builtin_class(optimizer)
    if klass is None:
        return slot_name
    return _KERAS2_SLOT_NAMES.get(klass.__name__, {}).get(slot_name, slot_name)


def apply_dense(optimizer, grad, var, learning_rate=None):
    """Applies `optimizer`'s built-in update rule to `var` alone, with gradient `grad`.

    `learning_rate` (Keras 3's `update_step` argument) replaces the step's rate if given.

    Returns:
        `var`, updated in place.
    """
    from tork.keras.optimizers.optimizer import _Group, _variable_label

    klass = builtin_class(optimizer)
    if klass is None:
        raise NotImplementedError(
            f"`{type(optimizer).__name__}._resource_apply_dense` calls "
            "`super()._resource_apply_dense(grad, var)`, but `Optimizer` has no update rule "
            "of its own (as in Keras 2). Write the update in `_resource_apply_dense`, or "
            "subclass a built-in optimizer such as `tf.keras.optimizers.legacy.Adam`."
        )
    index = optimizer._index.get(id(var))
    if index is None:
        raise ValueError(
            f"Optimizer '{optimizer.name}' cannot apply its update to "
            f"{_variable_label(var)}: the variable is not one it was built with. Call "
            "`_resource_apply_dense` only for the variables of `apply_gradients`."
        )
    grad = convert_to_tensor(grad)
    if grad.shape != var.shape:
        raise ValueError(
            f"Optimizer '{optimizer.name}': the gradient given to `_resource_apply_dense` "
            f"for {_variable_label(var)} has shape {tuple(grad.shape)}, but the variable has "
            f"shape {tuple(var.shape)}."
        )
    lr, t = step_coefficients(optimizer)
    if learning_rate is not None:
        lr = float(learning_rate)
    group = _Group()
    group.params = [var]
    group.positions = [0]
    group.device = var.device
    group.dtype = var.dtype
    group.slots = {name: [slots[index]] for name, slots in optimizer._slots.items()}
    group.decay_params = []
    group.cast_grads = False
    with torch.no_grad():
        grad = grad.detach().to(device=var.device, dtype=var.dtype)
        optimizer._update_group(group, [grad], lr, t)
    return var


def apply_sparse(optimizer, grad, var, indices):
    """OptimizerV2's `_resource_apply_sparse`: the rows `indices` of the gradient are
    `grad` (duplicates summed), the other rows zero; applied as a dense update."""
    indices = convert_to_tensor(indices).to(device=var.device, dtype=torch.int64).reshape(-1)
    values = convert_to_tensor(grad).to(device=var.device, dtype=var.dtype)
    values = values.reshape((indices.shape[0],) + tuple(var.shape[1:]))
    dense = torch.zeros_like(var).index_add_(0, indices, values)
    return optimizer._resource_apply_dense(dense, var)


def step_coefficients(optimizer) -> tuple[float, int]:
    """The learning rate and 1-based update count of the step in progress.

    `_run` records them before the per-variable updates; outside a step they are those
    the next step would use.
    """
    current = optimizer.__dict__.get("_tork_legacy_step")
    if current is not None:
        return current
    step = int(optimizer._iterations)
    accumulate = optimizer.gradient_accumulation_steps
    t = (step // accumulate if accumulate else step) + 1
    return optimizer._learning_rate_float(step), t
