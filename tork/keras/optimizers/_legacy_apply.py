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

Sparse updates. In Keras 2 the gradient of a variable read only by a gather (an
Embedding's `embeddings`) is an `IndexedSlices`, and OptimizerV2 applies its sparse
rule: some legacy optimizers then change only the looked-up rows, where their dense
rule would also decay the momentum of every other row and move it (`sparse_rule`).
tork's gradients are dense: `touched_rows` takes the rows whose gradient is not all
zero as the looked-up ones, and `apply_rows` runs the built-in rule on those rows
only. A row looked up whose gradient is exactly zero (a masked padding id) is left
alone, where TensorFlow would still apply its rule to it with a zero gradient.
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
    from tork.keras.optimizers.optimizer import _variable_label

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
    group = _own_group(optimizer, var, index)
    with torch.no_grad():
        grad = grad.detach().to(device=var.device, dtype=var.dtype)
        optimizer._update_group(group, [grad], lr, t)
    return var


def _own_group(optimizer, var, index: int):
    """The one-variable update group of `var` (the optimizer's variable `index`)."""
    from tork.keras.optimizers.optimizer import _Group

    slots = {name: [slots[index]] for name, slots in optimizer._slots.items()}
    return _Group.of([var], slots, var.device, var.dtype)


def apply_sparse(optimizer, grad, var, indices):
    """OptimizerV2's `_resource_apply_sparse`: gradient rows `grad` at rows `indices`.

    Repeated indices are summed. A built-in optimizer applies its own sparse rule
    (see `sparse_rule`), as Keras 2's `super()._resource_apply_sparse(...)` does; the
    abstract `Optimizer` applies the rows as a dense gradient (zero elsewhere) with
    `_resource_apply_dense`.
    """
    values, indices = sum_duplicates(grad, var, indices)
    if builtin_class(optimizer) is None:
        dense = torch.zeros_like(var).index_copy_(0, indices, values)
        return optimizer._resource_apply_dense(dense, var)
    rule = sparse_rule(optimizer)
    if rule is None:
        dense = torch.zeros_like(var).index_copy_(0, indices, values)
        return apply_dense(optimizer, dense, var)
    lr, t = step_coefficients(optimizer)
    with torch.no_grad():
        apply_rows(optimizer, var, values, indices, lr, t, rule)
    return var


def sum_duplicates(grad, var, indices) -> tuple:
    """`(values, indices)` with each index once, the rows of repeated indices summed
    (OptimizerV2's `_deduplicate_indexed_slices`), on `var`'s device and dtype."""
    indices = convert_to_tensor(indices).to(device=var.device, dtype=torch.int64).reshape(-1)
    values = convert_to_tensor(grad).to(device=var.device, dtype=var.dtype)
    values = values.reshape((indices.shape[0],) + tuple(var.shape[1:]))
    unique, inverse = torch.unique(indices, return_inverse=True)
    if unique.shape[0] != indices.shape[0]:
        summed = values.new_zeros((unique.shape[0],) + tuple(var.shape[1:]))
        values = summed.index_add_(0, inverse, values)
    else:
        values = values.index_select(0, torch.argsort(indices))
    return values, unique


# How each Keras 2 legacy optimizer's sparse rule (`_resource_apply_sparse`, checked
# against tf_keras 2.21) differs from its dense one for the rows not looked up:
# "rows": they do not change at all (nor their slots); "params": their slots decay as
# in the dense rule, but the variable's rows stay; None: no difference (Adam and
# Adagrad, SGD and RMSprop without momentum). Keras 2.11+ and Keras 3 optimizers
# apply sparse gradients as dense ones, so only these classes have an entry.
_SPARSE_RULES = {
    "SGD": lambda opt: "rows" if float(opt.momentum) else None,
    "RMSprop": lambda opt: "rows" if float(opt.momentum) else None,
    "Adadelta": lambda opt: "rows",
    "Adamax": lambda opt: "rows",
    "Ftrl": lambda opt: "rows",
    "Nadam": lambda opt: "params",
}

# The module of the Keras 2 legacy optimizer classes.
LEGACY_MODULE = "tork.keras.optimizers.legacy"


def has_sparse_rule(cls) -> bool:
    """Whether the optimizer class derives from a Keras 2 legacy optimizer whose sparse
    rule may differ from its dense one (decided once per class)."""
    cached = cls.__dict__.get("_tork_has_sparse_rule")
    if cached is None:
        from tork.keras.optimizers.optimizer import _first_tork_class

        klass = _first_tork_class(cls)
        cached = klass.__module__ == LEGACY_MODULE and klass.__name__ in _SPARSE_RULES
        cls._tork_has_sparse_rule = cached
    return cached


def sparse_rule(optimizer) -> str | None:
    """The sparse rule of `optimizer` this step: "rows", "params" or None (see
    `_SPARSE_RULES`; None for the optimizers that have no entry there)."""
    if not has_sparse_rule(type(optimizer)):
        return None
    return _SPARSE_RULES[builtin_class(optimizer).__name__](optimizer)


def touched_rows(grad: torch.Tensor) -> torch.Tensor:
    """The rows of `grad` that are not all zero (NaN counts as non-zero), ascending."""
    flat = grad.reshape(grad.shape[0], -1) if grad.ndim != 1 else grad.reshape(-1, 1)
    return flat.ne(0).any(dim=1).nonzero().reshape(-1)


# Slots that are not part of an update rule (kept by `_run` itself).
_STEP_SLOTS = ("average", "gradient_accumulator")


def apply_rows(optimizer, var, values, rows, lr: float, t: int, rule: str) -> None:
    """Applies `optimizer`'s built-in rule to rows `rows` (unique) of `var` only.

    `values` are the gradient rows. With `rule == "rows"` the other rows of `var` and
    of its slots are left as they are; with `"params"` the slots of every row follow
    the dense rule (a zero gradient elsewhere) and only `var`'s other rows stay.
    Called under `torch.no_grad()`.
    """
    from tork.keras.optimizers.optimizer import _Group

    index = optimizer._index[id(var)]
    if rule == "params":
        dense = torch.zeros_like(var).index_copy_(0, rows, values)
        group = _own_group(optimizer, var, index)
        before = var.detach().clone()
        optimizer._update_group(group, [dense], lr, t)
        after = var.index_select(0, rows)
        var.copy_(before)
        var.index_copy_(0, rows, after)
        return
    slots = {
        name: slots[index]
        for name, slots in optimizer._slots.items()
        if name not in _STEP_SLOTS and slots[index].shape == var.shape
    }
    part = var.index_select(0, rows)
    group = _Group.of(
        [part],
        {name: [slot.index_select(0, rows)] for name, slot in slots.items()},
        var.device,
        var.dtype,
    )
    optimizer._update_group(group, [values], lr, t)
    var.index_copy_(0, rows, part)
    for name, slot in slots.items():
        slot.index_copy_(0, rows, group.slots[name][0])


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
