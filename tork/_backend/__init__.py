"""Backend primitives: dtypes, devices, tensor conversion and TensorShape."""

import tork._backend.augmented  # noqa: F401  (installs broadcasting `+=` on tensors)
import tork._backend.shape_methods  # noqa: F401  (TensorShape methods on torch.Size)
from tork._backend.device import current_device, device, list_physical_devices
from tork._backend.dtypes import as_dtype, floatx, is_float_dtype, set_floatx
from tork._backend.errors import TorkNotImplementedError, not_implemented
from tork._backend.tensor import convert_to_tensor, to_numpy
from tork._backend.tensor_shape import Dimension, TensorShape

__all__ = [
    "Dimension",
    "TensorShape",
    "TorkNotImplementedError",
    "as_dtype",
    "convert_to_tensor",
    "current_device",
    "device",
    "floatx",
    "is_float_dtype",
    "list_physical_devices",
    "not_implemented",
    "set_floatx",
    "to_numpy",
]
