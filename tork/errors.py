"""`tf.errors`: TensorFlow's exception classes, as plain Python exceptions."""

from tork._backend.errors import (
    AlreadyExistsError,
    DataLossError,
    InvalidArgumentError,
    NotFoundError,
    OpError,
    OutOfRangeError,
    PermissionDeniedError,
    ResourceExhaustedError,
    module_getattr,
)

__all__ = [
    "AlreadyExistsError",
    "DataLossError",
    "InvalidArgumentError",
    "NotFoundError",
    "OpError",
    "OutOfRangeError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
]

__getattr__ = module_getattr("tf.errors")
