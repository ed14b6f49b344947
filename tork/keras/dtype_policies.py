"""`keras.dtype_policies` (Keras 3): the dtype policy classes and their (de)serialization.

The policies are `keras.mixed_precision`'s: `DTypePolicy` here is the same class. Keras 3's
quantized policies (`QuantizedDTypePolicy`, `int8_from_float32`...) go with
`Model.quantize`, which tork does not have.
"""

from __future__ import annotations

import torch

from tork._backend.errors import module_getattr
from tork.keras.mixed_precision.policy import DTypePolicy, global_policy

__all__ = ["DTypePolicy", "FloatDTypePolicy", "deserialize", "get", "serialize"]

__getattr__ = module_getattr("keras.dtype_policies")


class FloatDTypePolicy(DTypePolicy):
    """Keras 3's name for a floating-point `DTypePolicy`, kept for older Keras 3 code.

    Args:
        name: a policy name such as `'mixed_float16'` or `'float32'`.

    Example:
    >>> keras.dtype_policies.FloatDTypePolicy("float16").compute_dtype
    'float16'
    """


_CLASSES = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": FloatDTypePolicy}


def _quantized(name: str) -> bool:
    return name.split("_from_")[0] in ("int8", "int4", "float8", "gptq", "awq")


def serialize(dtype_policy) -> dict | str:
    """Returns the Keras 3 config dict of a policy (a plain string is returned as is).

    Args:
        dtype_policy: a `DTypePolicy` or a policy name.

    Returns:
        `{'module': 'keras', 'class_name': ..., 'config': {'name': ...},
        'registered_name': None}`, or the string given.

    Example:
    >>> keras.dtype_policies.serialize(keras.DTypePolicy("mixed_float16"))["config"]
    {'name': 'mixed_float16'}
    """
    if not isinstance(dtype_policy, DTypePolicy):
        return dtype_policy
    return {
        "module": "keras",
        "class_name": type(dtype_policy).__name__,
        "config": dtype_policy.get_config(),
        "registered_name": None,
    }


def deserialize(config, custom_objects=None) -> DTypePolicy:
    """Creates a policy from `serialize()` output.

    Args:
        config: a dict with `class_name` and `config` (`{'name': ...}`).
        custom_objects: policy classes by name, for registered subclasses.

    Returns:
        A `DTypePolicy`.

    Raises:
        ValueError: an unknown class name.

    Example:
    >>> keras.dtype_policies.deserialize(
    ...     {"class_name": "DTypePolicy", "config": {"name": "bfloat16"}}
    ... ).compute_dtype
    'bfloat16'
    """
    class_name = config.get("class_name", "DTypePolicy")
    cls = (custom_objects or {}).get(class_name) or _CLASSES.get(class_name)
    if cls is None:
        raise ValueError(
            f"keras.dtype_policies.deserialize: unknown dtype policy class {class_name!r}. "
            f"tork has {sorted(_CLASSES)} (quantized policies come with Model.quantize, "
            "which tork lacks); pass a registered subclass in custom_objects."
        )
    return cls.from_config(config.get("config", {}))


def get(identifier) -> DTypePolicy:
    """Returns a policy from a name, a config dict or a policy.

    Args:
        identifier: a policy name (`'mixed_float16'`, `'float32'`...), a `serialize()`
            dict, a `DTypePolicy` (returned as is), or None (the global policy).

    Returns:
        A `DTypePolicy`.

    Raises:
        ValueError: anything else, or a quantized policy name.

    Example:
    >>> keras.dtype_policies.get("mixed_bfloat16").compute_dtype
    'bfloat16'
    """
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if _quantized(identifier):
            raise ValueError(
                f"Quantized dtype policies such as {identifier!r} are not available in tork "
                "(Keras 3 makes them with Model.quantize). Use a float policy: "
                "'float32', 'mixed_float16' or 'mixed_bfloat16'."
            )
        return DTypePolicy(identifier)
    if isinstance(identifier, torch.dtype):
        return DTypePolicy(identifier)
    raise ValueError(
        "Cannot interpret `dtype` argument. Expected a string or an instance of DTypePolicy. "
        f"Received: dtype={identifier!r:.100}"
    )
