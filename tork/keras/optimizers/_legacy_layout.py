"""Keras 2's layout of a legacy optimizer's `variables` (and `get_weights`/`set_weights`).

tf_keras's `keras.optimizers.legacy` optimizers (OptimizerV2) list their variables as

    [iterations, <other non-slot variables>, <slots>]

with no learning-rate variable, and the slots slot by slot: all `m`, then all `v` (Adam),
except Ftrl, which creates `accumulator` and `linear` variable by variable. Their slot
names are Keras 2's (`m`, `v`, `vhat`, `rms`, `mg`, `accum_grad`, ...), as are their
variables' (`Adam/iter:0`, `Adam/dense/kernel/m:0`). So
`legacy_opt.set_weights(tf_keras_legacy_opt.get_weights())` must see this order.

tork keeps one storage order for every optimizer (iteration, learning rate, then the
slots as its update rules create them): its checkpoints and `.keras` files use that
(`Optimizer._tork_stored_variables`); only the public lists are reordered here.
"""

from __future__ import annotations

from tork.keras.optimizers import _legacy_apply

_LEGACY_MODULE = "tork.keras.optimizers.legacy"
# Built-in legacy optimizers whose Keras 2 `_create_slots` goes variable by variable.
_VARIABLE_MAJOR = ("Ftrl",)


def uses_keras2_layout(cls, update_kind) -> bool:
    """Whether instances of `cls` list their variables as Keras 2's legacy optimizers.

    True for `keras.optimizers.legacy.*` and their subclasses, and for a user's
    OptimizerV2-style subclass (one that implements `_resource_apply_dense`).
    """
    if update_kind == "legacy":
        return True
    return any(getattr(k, "__module__", None) == _LEGACY_MODULE for k in cls.__mro__)


def keras2_variables(optimizer) -> list:
    """`optimizer`'s variables in Keras 2's legacy order (see the module docstring)."""
    stored = list(optimizer._variables)
    learning_rate = optimizer.__dict__.get("_learning_rate")
    builtin = [slot for slots in optimizer._slots.values() for slot in slots]
    builtin_ids = {id(v) for v in builtin}
    added_ids = {id(v) for slots in optimizer._legacy_slots.values() for v in slots.values()}
    head = [
        v
        for v in stored
        if v is not learning_rate and id(v) not in builtin_ids and id(v) not in added_ids
    ]
    klass = _legacy_apply.builtin_class(optimizer)
    if klass is not None and klass.__name__ in _VARIABLE_MAJOR:
        ordered = [v for v in stored if id(v) in builtin_ids]  # creation order
    else:
        ordered = builtin  # slot by slot, each in the variables' order
    # `add_slot` slots of a user's `_create_slots`: in the order it created them.
    added = [v for v in stored if id(v) in added_ids]
    return head + ordered + added


def keras2_slot_name(optimizer, slot_name: str) -> str:
    """Keras 2's name of tork's slot `slot_name` (`momentum` -> `m` for Adam)."""
    klass = _legacy_apply.builtin_class(optimizer)
    table = _legacy_apply._KERAS2_SLOT_NAMES.get(klass.__name__, {}) if klass else {}
    return next((keras2 for keras2, tork in table.items() if tork == slot_name), slot_name)


def keras2_slot_names(optimizer) -> list:
    """`get_slot_names()` of a legacy optimizer: Keras 2's names (`m`, `v`, `rms`, ...)."""
    names = [keras2_slot_name(optimizer, name) for name in optimizer._slots]
    return names + [n for n in optimizer._legacy_slots if n not in names]
