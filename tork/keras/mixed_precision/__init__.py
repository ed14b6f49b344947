"""`tf.keras.mixed_precision`: dtype policies, the global policy and loss scaling.

Example:
>>> from tork.keras import mixed_precision
>>> mixed_precision.set_global_policy("mixed_bfloat16")
>>> layer = tf.keras.layers.Dense(4)   # float32 kernel, bfloat16 outputs
>>> opt = mixed_precision.LossScaleOptimizer(tf.keras.optimizers.Adam())
"""

import importlib

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.mixed_precision.policy import (
    DTypePolicy,
    Policy,
    dtype_policy,
    global_policy,
    set_dtype_policy,
    set_global_policy,
)

# Loaded on first use: the policy is needed by every layer, the optimizer only with loss scaling.
_LAZY = {
    "LossScaleOptimizer": ("tork.keras.mixed_precision.loss_scale_optimizer", "LossScaleOptimizer"),
    "experimental": ("tork.keras.mixed_precision.experimental", None),
}


def __getattr__(name):
    if name in _LAZY:
        module_name, attr = _LAZY[name]
        module = importlib.import_module(module_name)
        value = module if attr is None else getattr(module, attr)
        globals()[name] = value
        return value
    return _module_getattr("tf.keras.mixed_precision")(name)


def __dir__():
    return sorted(list(globals()) + list(_LAZY))


__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "experimental",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
