"""`tf.errors`: TensorFlow's exception classes, as plain Python exceptions."""

from tork._backend.errors import (
    DataLossError,
    InvalidArgumentError,
    NotFoundError,
    OpError,
    OutOfRangeError,
    ResourceExhaustedError,
    module_getattr,
)

__all__ = [
    "DataLossError",
    "InvalidArgumentError",
    "NotFoundError",
    "OpError",
    "OutOfRangeError",
    "ResourceExhaustedError",
]

__getattr__ = module_getattr("tf.errors")
