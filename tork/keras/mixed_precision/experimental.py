"""`tf.keras.mixed_precision.experimental`: the deprecated TF 2.1-2.3 spellings.

`set_policy` / `global_policy`, `Policy(name, loss_scale)` and
`LossScaleOptimizer(optimizer, loss_scale)` map onto the current API.
"""

from __future__ import annotations

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.mixed_precision import loss_scale_optimizer as _lso
from tork.keras.mixed_precision import policy as _policy

global_policy = _policy.global_policy


def set_policy(policy) -> None:
    """Sets the global dtype policy (deprecated spelling of `set_global_policy`).

    Args:
        policy: a policy name such as `'mixed_float16'`, a `Policy`, or `None`.
    """
    _policy.set_global_policy(policy)


class Policy(_policy.DTypePolicy):
    """A dtype policy with a `loss_scale` attribute (deprecated Keras 2 form).

    Args:
        name: the policy name, e.g. `'mixed_float16'`.
        loss_scale: `'auto'` (dynamic for `'mixed_float16'`, none otherwise),
            `'dynamic'`, a number, or `None`. tork only records it: pass a
            `LossScaleOptimizer` to `compile` for loss scaling.

    Example:
    >>> tf.keras.mixed_precision.experimental.Policy("mixed_float16").loss_scale
    'dynamic'
    """

    def __new__(cls, name=None, loss_scale="auto") -> Policy:
        self = super().__new__(cls, name)
        if loss_scale == "auto":
            loss_scale = "dynamic" if self.name == "mixed_float16" else None
        self.loss_scale = loss_scale
        return self

    def __init__(self, name=None, loss_scale="auto") -> None:
        del name, loss_scale

    def __reduce__(self):
        return (type(self), (self.name, self.loss_scale))


class LossScaleOptimizer(_lso.LossScaleOptimizer):
    """`LossScaleOptimizer(optimizer, loss_scale)`, the deprecated Keras 2 constructor.

    Args:
        optimizer: the optimizer to wrap.
        loss_scale: `'dynamic'` for dynamic loss scaling, or a number for a
            fixed loss scale.

    Example:
    >>> opt = tf.keras.mixed_precision.experimental.LossScaleOptimizer(
    ...     tf.keras.optimizers.SGD(), loss_scale="dynamic")
    """

    def __init__(self, optimizer, loss_scale) -> None:
        if loss_scale == "dynamic":
            super().__init__(optimizer)
        elif isinstance(loss_scale, str):
            raise ValueError(
                f"Invalid loss_scale {loss_scale!r}: pass 'dynamic' or a number (a fixed loss "
                "scale)."
            )
        else:
            super().__init__(optimizer, dynamic=False, initial_scale=loss_scale)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None):
        """Creates a `LossScaleOptimizer` from `get_config()` output."""
        return _lso.LossScaleOptimizer.from_config(config, custom_objects=custom_objects)


__getattr__ = _module_getattr("tf.keras.mixed_precision.experimental")

__all__ = ["LossScaleOptimizer", "Policy", "global_policy", "set_policy"]
