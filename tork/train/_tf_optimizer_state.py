"""Optimizer state that tf_keras checkpoints where tork keeps it elsewhere.

- A `LossScaleOptimizer`: tf_keras's wrapper delegates its checkpoint dependencies to
  the inner optimizer (its edges sit on the wrapper's node) and adds `loss_scale`
  (`current_loss_scale`, `good_steps`) when the scale is dynamic; tork's wrapper has
  its own `iterations`, `learning_rate`, `step_counter` and `dynamic_scale`.
- Legacy optimizers' hyperparameters that tf_keras keeps in variables and tork in
  floats (legacy Nadam's `beta_1`, Ftrl's `l1_regularization_strength`): written from
  the float, and restored through a stand-in tensor that sets the attribute.
"""

from __future__ import annotations

import torch

# Legacy optimizers' hyperparameters tf_keras keeps in variables and tork in floats:
# edge -> (tork attribute, whether a restored value is used). tf_keras's legacy Nadam
# stores `schedule_decay` as `decay` but computes with the constructor's float.
FLOAT_HYPERS = {
    "Nadam": {
        "beta_1": ("beta_1", True),
        "beta_2": ("beta_2", True),
        "decay": ("_schedule_decay", False),
    },
    "Ftrl": {
        name: (name, True)
        for name in (
            "learning_rate_power",
            "l1_regularization_strength",
            "l2_regularization_strength",
            "beta",
        )
    },
}
# A tensor attribute: called with the tensor once a checkpoint value was copied into it.
AFTER_RESTORE = "_tork_after_restore"


def wrapped_optimizer(optimizer):
    """A `LossScaleOptimizer`'s inner optimizer, else None.

    tf_keras's loss scale optimizers delegate their checkpoint dependencies to the
    optimizer they wrap: its edges (`_iterations`, `_variables`, or the legacy
    `iter` and slot variables) sit directly on the wrapper's node, next to
    `loss_scale` (`current_loss_scale`, `good_steps`) when the scale is dynamic.
    """
    from tork.keras.mixed_precision.loss_scale_optimizer import LossScaleOptimizer

    if isinstance(optimizer, LossScaleOptimizer):
        return optimizer.inner_optimizer
    return None


def loss_scale_state(optimizer) -> dict | None:
    """tf_keras's `loss_scale` node of a dynamic `LossScaleOptimizer`, else None."""
    if wrapped_optimizer(optimizer) is None or not optimizer.dynamic:
        return None
    return {"current_loss_scale": optimizer.dynamic_scale, "good_steps": optimizer.step_counter}


def not_in_tf_graph(optimizer) -> list:
    """A `LossScaleOptimizer`'s variables that tf_keras's checkpoints do not hold.

    Its own `iterations` and `learning_rate` (tf_keras's are the inner optimizer's),
    and with a fixed scale the scale and counter (tf_keras does not track them).
    """
    if wrapped_optimizer(optimizer) is None:
        return []
    own = [optimizer._iterations, optimizer.__dict__.get("_learning_rate")]
    if not optimizer.dynamic:
        own += [optimizer.dynamic_scale, optimizer.step_counter]
    return [v for v in own if isinstance(v, torch.Tensor)]


def float_hyper(optimizer, edge: str) -> torch.Tensor | None:
    """A legacy optimizer's hyperparameter that tf_keras keeps in a variable and tork in a
    float (legacy Nadam's `beta_1`, Ftrl's `l1_regularization_strength`), as a scalar
    tensor; restoring into it sets the attribute (`AFTER_RESTORE`). Else None."""
    from tork.keras.optimizers import _legacy_apply

    klass = _legacy_apply.builtin_class(optimizer)
    names = FLOAT_HYPERS.get(klass.__name__ if klass else "", ())
    if not optimizer._tork_keras2_layout or edge not in names:
        return None
    attribute, used = names[edge]
    value = optimizer.__dict__.get(attribute)
    if isinstance(value, torch.Tensor) or not isinstance(value, (int, float)):
        return None
    proxy = torch.tensor(float(value), dtype=torch.float32)
    if used:
        setattr(
            proxy, AFTER_RESTORE, lambda restored: setattr(optimizer, attribute, float(restored))
        )
    else:
        setattr(proxy, AFTER_RESTORE, lambda restored: None)
    return proxy
