"""Adding TensorFlow's attribute names to torch's C types (`torch.Size`, `torch.dtype`).

TF code reads `x.shape.as_list()` and `x.dtype.is_floating`; tork's shapes and dtypes are
torch's, whose types are immutable from Python. New names go into the type's dictionary
directly (nothing torch defines is replaced) and CPython's attribute cache is invalidated.
"""

from __future__ import annotations

import ctypes
import gc


def add_to_c_type(cls: type, attributes: dict) -> bool:
    """Adds `attributes` whose names `cls` lacks to the C type `cls`.

    Args:
        cls: an immutable (C-defined) type such as `torch.Size`.
        attributes: name -> function, property or value.

    Returns:
        True when every name is then present; False where the interpreter does not allow it
        (the type is then left as it was).

    Example:
    >>> add_to_c_type(torch.Size, {"as_list": lambda self: list(self)})
    True
    """
    missing = {name: value for name, value in attributes.items() if not hasattr(cls, name)}
    if missing:
        try:
            (namespace,) = gc.get_referents(cls.__dict__)
            if not isinstance(namespace, dict):
                return False
            namespace.update(missing)
            ctypes.pythonapi.PyType_Modified(ctypes.py_object(cls))
        except Exception:  # noqa: BLE001  (another interpreter: leave the type alone)
            return False
    return all(hasattr(cls, name) for name in attributes)
