"""`tensorflow.python.client.device_lib`: `list_local_devices()`.

Scripts list the GPUs with
`[d.name for d in device_lib.list_local_devices() if d.device_type == "GPU"]`.
"""

from __future__ import annotations

import dataclasses

import torch


@dataclasses.dataclass
class DeviceAttributes:
    """A local device as TensorFlow describes it (the fields scripts read).

    Attributes:
        name: `"/device:CPU:0"`, `"/device:GPU:0"`, ...
        device_type: `"CPU"` or `"GPU"`.
        memory_limit: bytes (a GPU's total memory; TensorFlow's CPU default, 256 MiB).
        physical_device_desc: the accelerator's name, or `""`.
    """

    name: str
    device_type: str
    memory_limit: int = 268435456
    physical_device_desc: str = ""


def list_local_devices(session_config=None) -> list:
    """The devices torch can use: the CPU, then each CUDA GPU.

    Args:
        session_config: accepted for TensorFlow compatibility (ignored).

    Returns:
        A list of `DeviceAttributes`.

    Example:
    >>> list_local_devices()[0].name
    '/device:CPU:0'
    """
    del session_config
    devices = [DeviceAttributes("/device:CPU:0", "CPU")]
    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            properties = torch.cuda.get_device_properties(index)
            devices.append(
                DeviceAttributes(
                    f"/device:GPU:{index}",
                    "GPU",
                    int(properties.total_memory),
                    f"device: {index}, name: {properties.name}",
                )
            )
    return devices
