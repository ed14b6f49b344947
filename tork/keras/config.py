"""`keras.config`: Keras 3's global settings in one namespace.

The dtype, epsilon and image-format settings are the ones `keras.backend` reads
and writes (Keras 2 code uses those names); the dtype policy is
`keras.mixed_precision`'s global policy.
"""

from __future__ import annotations

import os

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.backend import (
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from tork.keras.mixed_precision.policy import global_policy as dtype_policy
from tork.keras.mixed_precision.policy import set_global_policy as set_dtype_policy
from tork.keras.saving.serialization import enable_unsafe_deserialization
from tork.keras.utils.io_utils import (
    disable_interactive_logging,
    enable_interactive_logging,
    is_interactive_logging_enabled,
)

__all__ = [
    "backend",
    "disable_flash_attention",
    "disable_interactive_logging",
    "disable_traceback_filtering",
    "dtype_policy",
    "enable_flash_attention",
    "enable_interactive_logging",
    "enable_traceback_filtering",
    "enable_unsafe_deserialization",
    "epsilon",
    "floatx",
    "image_data_format",
    "is_flash_attention_enabled",
    "is_interactive_logging_enabled",
    "is_nnx_enabled",
    "is_traceback_filtering_enabled",
    "max_epochs",
    "max_steps_per_epoch",
    "set_backend",
    "set_dtype_policy",
    "set_epsilon",
    "set_floatx",
    "set_image_data_format",
    "set_max_epochs",
    "set_max_steps_per_epoch",
]

_TRACEBACK_FILTERING = True
_FLASH_ATTENTION: bool | None = None


def backend() -> str:
    """Returns the name of the engine Keras runs on: `'torch'` (Keras 3's `keras.config.backend()`).

    `keras.backend.backend()` answers `'tensorflow'` instead, as tf.keras does, for the
    Keras 2 code that branches on it.

    Returns:
        `'torch'`.
    """
    return "torch"


def _env_limit(name: str) -> int | None:
    value = os.environ.get(name)
    return int(value) if value else None


# Debugging caps on fit/evaluate/predict; Keras reads the same environment variables.
_MAX_EPOCHS: int | None = _env_limit("KERAS_MAX_EPOCHS")
_MAX_STEPS_PER_EPOCH: int | None = _env_limit("KERAS_MAX_STEPS_PER_EPOCH")


def set_max_epochs(max_epochs: int | None) -> None:
    """Caps the number of epochs of every `model.fit()` call (for debugging).

    Also set by the environment variable `KERAS_MAX_EPOCHS`.

    Args:
        max_epochs: the largest number of epochs a `fit` runs, or None for no cap.

    Example:
    >>> keras.config.set_max_epochs(1)
    >>> keras.config.max_epochs()
    1
    >>> keras.config.set_max_epochs(None)
    """
    global _MAX_EPOCHS
    _MAX_EPOCHS = None if max_epochs is None else int(max_epochs)


def max_epochs() -> int | None:
    """The cap set by `set_max_epochs` (or `KERAS_MAX_EPOCHS`), None when there is none.

    Returns:
        An int or None.

    Example:
    >>> keras.config.max_epochs() is None
    True
    """
    return _MAX_EPOCHS


def set_max_steps_per_epoch(max_steps_per_epoch: int | None) -> None:
    """Caps the batches per epoch of `fit`, and of `evaluate` and `predict` (for debugging).

    Also set by the environment variable `KERAS_MAX_STEPS_PER_EPOCH`. As in Keras,
    `predict` then returns the predictions of the batches it ran only.

    Args:
        max_steps_per_epoch: the largest number of batches per epoch, or None for no cap.

    Example:
    >>> keras.config.set_max_steps_per_epoch(2)
    >>> keras.config.max_steps_per_epoch()
    2
    >>> keras.config.set_max_steps_per_epoch(None)
    """
    global _MAX_STEPS_PER_EPOCH
    _MAX_STEPS_PER_EPOCH = None if max_steps_per_epoch is None else int(max_steps_per_epoch)


def max_steps_per_epoch() -> int | None:
    """The cap set by `set_max_steps_per_epoch` (or its variable), None when there is none.

    Returns:
        An int or None.

    Example:
    >>> keras.config.max_steps_per_epoch() is None
    True
    """
    return _MAX_STEPS_PER_EPOCH


def enable_traceback_filtering() -> None:
    """Records that Keras-internal frames may be hidden from tracebacks (the default).

    tork does not rewrite tracebacks: its errors name the layer, shapes and fix
    themselves, so this setting is only recorded for
    `is_traceback_filtering_enabled()`.

    Example:
    >>> keras.config.enable_traceback_filtering()
    """
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = True


def disable_traceback_filtering() -> None:
    """Records that tracebacks should show every frame (tork never hides frames).

    Example:
    >>> keras.config.disable_traceback_filtering()
    >>> keras.config.is_traceback_filtering_enabled()
    False
    >>> keras.config.enable_traceback_filtering()
    """
    global _TRACEBACK_FILTERING
    _TRACEBACK_FILTERING = False


def is_traceback_filtering_enabled() -> bool:
    """The setting of `enable_traceback_filtering`/`disable_traceback_filtering`.

    Returns:
        True unless `disable_traceback_filtering()` was called.

    Example:
    >>> keras.config.is_traceback_filtering_enabled()
    True
    """
    return _TRACEBACK_FILTERING


def enable_flash_attention() -> None:
    """Records a request for flash attention in attention layers.

    tork's attention layers call `torch.nn.functional.scaled_dot_product_attention`,
    which picks torch's flash kernel by itself where the device, dtype and shapes
    allow it; the setting is recorded for `is_flash_attention_enabled()`.

    Example:
    >>> keras.config.enable_flash_attention()
    >>> keras.config.is_flash_attention_enabled()
    True
    """
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = True


def disable_flash_attention() -> None:
    """Records that flash attention should not be requested (see `enable_flash_attention`).

    Example:
    >>> keras.config.disable_flash_attention()
    >>> keras.config.is_flash_attention_enabled()
    False
    """
    global _FLASH_ATTENTION
    _FLASH_ATTENTION = False


def is_flash_attention_enabled() -> bool | None:
    """The flash-attention setting: None (automatic, the default), True or False.

    Returns:
        None until `enable_flash_attention()` or `disable_flash_attention()` is called.

    Example:
    >>> keras.config.is_flash_attention_enabled() in (None, True, False)
    True
    """
    return _FLASH_ATTENTION


def is_nnx_enabled() -> bool:
    """Whether Flax NNX integration is on: never in tork, which runs on PyTorch.

    Returns:
        False.

    Example:
    >>> keras.config.is_nnx_enabled()
    False
    """
    return False


def set_backend(backend: str) -> None:
    """Keras 3's backend switch: tork runs on PyTorch only, so only `'torch'` is accepted.

    Args:
        backend: the backend name.

    Raises:
        ValueError: for any backend other than `'torch'`.

    Example:
    >>> keras.config.set_backend("torch")
    """
    if backend != "torch":
        raise ValueError(
            f"keras.config.set_backend({backend!r}): tork runs Keras code on PyTorch only, so "
            "the backend is always 'torch'. Remove the call, or run the script with Keras "
            f"itself to use {backend!r}."
        )


__getattr__ = _module_getattr("tf.keras.config")
