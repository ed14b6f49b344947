"""`DTypeName`: a dtype's name (`'float32'`) that also equals the dtype (`tf.float32`).

Keras 2's `layer.dtype`, `compute_dtype` and `variable_dtype` are strings, and TF's dtype
objects equal their names, so user code compares them either way:
`layer.compute_dtype == tf.float16` or `layer.dtype == 'float32'`. tork's dtypes are torch
dtypes, which never equal a string; these names equal both.
"""

from __future__ import annotations

import torch


class DTypeName(str):
    """A dtype name that compares equal to the torch dtype of that name.

    Example:
    >>> layer = keras.layers.Dense(2)
    >>> layer.compute_dtype == "float32", layer.compute_dtype == tf.float32
    (True, True)
    """

    __slots__ = ()

    def __eq__(self, other) -> bool:
        if isinstance(other, torch.dtype):
            return _NAMES.get(other) == str.__str__(self)
        return str.__eq__(self, other)

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    __hash__ = str.__hash__

    def __reduce__(self):
        # Pickled (and deep-copied) as the plain name.
        return (str, (str.__str__(self),))


_NAMES: dict = {}
_CACHE: dict = {}


def dtype_name_of(dtype) -> str:
    """The `DTypeName` of a torch dtype (one shared object per dtype); other dtypes' names."""
    name = _CACHE.get(dtype)
    if name is None:
        if not isinstance(dtype, torch.dtype):
            # tf.string and the like: their plain name.
            from tork._backend.dtypes import dtype_name

            return dtype_name(dtype)
        plain = str(dtype).replace("torch.", "")
        _NAMES[dtype] = plain
        name = _CACHE[dtype] = DTypeName(plain)
    return name
