"""Device placement: CUDA when available, else CPU; `tf.device` scopes."""

from __future__ import annotations

import re
import threading
import warnings

import torch

_state = threading.local()

# TensorFlow 2 places ops softly by default: a `tf.device('/GPU:0')` block on a machine
# without a GPU runs on the CPU instead of failing. `tf.config.set_soft_device_placement`
# switches this.
_soft_placement = True
_warned_fallback = False


def set_soft_placement(enabled: bool) -> None:
    global _soft_placement
    _soft_placement = bool(enabled)


def get_soft_placement() -> bool:
    return _soft_placement


def _cpu_fallback(name) -> torch.device:
    # Warn once, so that a user who expected a GPU learns why training is slow.
    global _warned_fallback
    if not _warned_fallback:
        _warned_fallback = True
        warnings.warn(
            f"Device {name!r} was requested but no CUDA GPU is available to torch; running on "
            "the CPU instead (soft device placement, as TensorFlow). Call "
            "`tf.config.set_soft_device_placement(False)` to make this an error.",
            stacklevel=5,
        )
    return torch.device("cpu")


def _default_device() -> torch.device:
    if torch.cuda.is_available():
        # With its index, so that it compares equal to the device of tensors made there.
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def current_device() -> torch.device:
    """Returns the device new tensors and variables are created on."""
    stack = getattr(_state, "stack", None)
    if stack:
        return stack[-1]
    return _default_device()


def _parse(name) -> torch.device:
    if isinstance(name, torch.device):
        return name
    text = str(name).strip()
    match = re.fullmatch(
        r"(?:/job:\w+)?(?:/replica:\d+)?(?:/task:\d+)?/?(?:device:)?([A-Za-z]+)(?::(\d+))?",
        text,
    )
    if not match:
        raise ValueError(
            f"Cannot parse device {name!r}. Use a TensorFlow name such as '/CPU:0' or '/GPU:0', "
            "or a torch name such as 'cuda:0'."
        )
    kind, index = match.group(1).lower(), match.group(2)
    if kind == "cpu":
        return torch.device("cpu")
    if kind in ("gpu", "cuda"):
        if not torch.cuda.is_available():
            if _soft_placement and kind == "gpu":
                return _cpu_fallback(name)
            raise RuntimeError(
                f"Device {name!r} was requested but no CUDA GPU is available to torch. "
                "Use '/CPU:0', or install a CUDA build of torch."
            )
        return torch.device("cuda", int(index or 0))
    if kind == "tpu" and _soft_placement:
        # TensorFlow soft-places TPU ops on the host when there is no TPU; torch has none.
        return _cpu_fallback(name)
    if kind == "mps":
        return torch.device("mps")
    raise ValueError(f"Unknown device type {kind!r} in {name!r}; expected CPU or GPU.")


class _DeviceScope:
    """What `tf.device(name)` returns: a reusable context manager.

    Like TensorFlow's, it keeps the name it was given as `_device_name`, which d2l
    reads (`strategy = tf.distribute.OneDeviceStrategy(device._device_name)`).
    """

    def __init__(self, device_name):
        self._device_name = device_name

    def __enter__(self) -> None:
        # Parsed on entry, as before: a bad name fails at the `with`.
        target = _parse(self._device_name)
        stack = getattr(_state, "stack", None)
        if stack is None:
            stack = _state.stack = []
        stack.append(target)

    def __exit__(self, *exc_info) -> bool:
        _state.stack.pop()
        return False


def device(device_name) -> _DeviceScope:
    """Places tensors and variables created inside the block on a device.

    Args:
        device_name: `'/CPU:0'`, `'/GPU:0'`, `'cuda:1'` or a `torch.device`.

    Returns:
        A context manager; it may be entered several times.

    Example:
    >>> with tf.device('/CPU:0'):
    ...     x = tf.zeros((2, 2))
    """
    return _DeviceScope(device_name)


class PhysicalDevice:
    """A device as `tf.config.list_physical_devices` reports it."""

    def __init__(self, name: str, device_type: str):
        self.name = name
        self.device_type = device_type

    def __repr__(self) -> str:
        return f"PhysicalDevice(name={self.name!r}, device_type={self.device_type!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, PhysicalDevice) and (self.name, self.device_type) == (
            other.name,
            other.device_type,
        )

    def __hash__(self) -> int:
        return hash((self.name, self.device_type))


def list_physical_devices(device_type: str | None = None) -> list[PhysicalDevice]:
    """Lists the devices torch can use.

    Args:
        device_type: `'CPU'`, `'GPU'` or None for all.

    Returns:
        A list of `PhysicalDevice`.
    """
    found = [PhysicalDevice("/physical_device:CPU:0", "CPU")]
    if torch.cuda.is_available():
        found += [
            PhysicalDevice(f"/physical_device:GPU:{i}", "GPU")
            for i in range(torch.cuda.device_count())
        ]
    if device_type is None:
        return found
    return [d for d in found if d.device_type == device_type.upper()]
