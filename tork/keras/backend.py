"""`keras.backend`: global Keras settings (floatx, image data format, sessions)."""

from __future__ import annotations

import torch

from tork._backend import dtypes as _dtypes
from tork._backend.errors import module_getattr as _module_getattr
from tork._naming import reset_names

_IMAGE_DATA_FORMAT = "channels_last"
_EPSILON = 1e-7


def floatx() -> str:
    """Returns the default float type, e.g. `'float32'`."""
    return _dtypes.floatx()


def set_floatx(value: str) -> None:
    """Sets the default float type (`'float16'`, `'bfloat16'`, `'float32'`, `'float64'`)."""
    _dtypes.set_floatx(value)


def epsilon() -> float:
    """Returns the fuzz factor used in numeric expressions (default 1e-7)."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Sets the fuzz factor used in numeric expressions."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    """Returns the default image layout: `'channels_last'` (Keras's default) or `'channels_first'`."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format: str) -> None:
    """Sets the default image layout.

    Args:
        data_format: `'channels_last'` or `'channels_first'`.
    """
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"Unknown data_format {data_format!r}; expected 'channels_last' or 'channels_first'."
        )
    _IMAGE_DATA_FORMAT = data_format


def clear_session() -> None:
    """Resets Keras's global state: layer name counters start again at `dense`, `dense_1`..."""
    reset_names()


def backend() -> str:
    """Returns the name of the backend: tork runs on `'torch'`."""
    return "torch"


def is_keras_tensor(value) -> bool:
    """True for symbolic tensors of the functional API."""
    from tork.keras.models.functional.keras_tensor import KerasTensor

    return isinstance(value, KerasTensor)


def int_shape(x) -> tuple:
    """Returns the shape of a tensor as a tuple of ints (None where unknown)."""
    return tuple(x.shape)


def get_value(x):
    """Returns the value of a tensor or variable as a NumPy array."""
    return x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else x


def set_value(x, value) -> None:
    """Sets the value of a variable from a NumPy array or tensor."""
    x.assign(value)


def _reduction(name: str, doc: str):
    def reduce(x, axis=None, keepdims: bool = False):
        from tork.ops import math as _math

        return getattr(_math, name)(x, axis=axis, keepdims=keepdims)

    reduce.__name__ = name.replace("reduce_", "")
    reduce.__doc__ = (
        f"Keras 2 backend: the {doc} of `x` over `axis` (all axes when None).\n\n"
        "Args:\n    x: a tensor.\n    axis: an axis or list of axes, or None.\n"
        "    keepdims: keep the reduced axes with size 1.\n\n"
        f"Returns:\n    The {doc}, as `tf.math.{name}` computes it.\n\n"
        f"Example:\n>>> float(keras.backend.{reduce.__name__}(tf.constant([1.0, 3.0])))  "
        "# doctest: +SKIP\n"
    )
    return reduce


# Keras 2's backend reductions (`K.mean(x)`, `K.std(x)`), as in older tutorials.
mean = _reduction("reduce_mean", "mean")
sum = _reduction("reduce_sum", "sum")  # noqa: A001 - Keras's name
max = _reduction("reduce_max", "maximum")  # noqa: A001 - Keras's name
min = _reduction("reduce_min", "minimum")  # noqa: A001 - Keras's name
std = _reduction("reduce_std", "standard deviation")
var = _reduction("reduce_variance", "variance")


__getattr__ = _module_getattr("tf.keras.backend")
