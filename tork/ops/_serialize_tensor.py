"""`tf.io.serialize_tensor` / `tf.io.parse_tensor`: tensors as `TensorProto` bytes.

The bytes are TensorFlow's: a `TensorProto` with the dtype, the shape and the
values in `tensor_content` (little-endian, row-major), or one `string_val` entry
per element for string tensors. So files written by either library read in the other.
"""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.dtypes import _ENUM_OF, as_dtype, dtype_name
from tork._backend.errors import InvalidArgumentError
from tork._backend.string_tensor import StringTensor
from tork.train import _wire as pb
from tork.train._wire import parse_tensor_shape, tensor_shape_proto

# The NumPy dtype of each serializable dtype's bytes; the DataType enum values
# (types.proto) come from tork's one table of them.
_BYTES = {
    "float32": "<f4",
    "float64": "<f8",
    "int32": "<i4",
    "uint8": "u1",
    "int16": "<i2",
    "int8": "i1",
    "string": None,
    "complex64": "<c8",
    "int64": "<i8",
    "bool": "?",
    "bfloat16": "<i2",  # raw 16-bit patterns, reinterpreted through torch
    "uint16": "<u2",
    "complex128": "<c16",
    "float16": "<f2",
    "uint32": "<u4",
    "uint64": "<u8",
}
_ENUM = {name: (_ENUM_OF[name], fmt) for name, fmt in _BYTES.items()}
_NAME_OF = {enum: name for name, (enum, _) in _ENUM.items()}


def serialize_tensor(tensor, name: str | None = None):
    """Serializes a tensor to a scalar string tensor (a `TensorProto`, as TensorFlow's).

    Args:
        tensor: a tensor (or anything `tf.convert_to_tensor` takes).
        name: unused.

    Returns:
        A scalar `tf.string` tensor; `.numpy()` gives the bytes.

    Example:
    >>> data = tf.io.serialize_tensor(tf.constant([[0.0, 1.0]]))
    >>> tf.io.parse_tensor(data, out_type=tf.float32)
    """
    del name
    if not isinstance(tensor, (torch.Tensor, StringTensor)):
        from tork._backend.tensor import convert_to_tensor

        tensor = convert_to_tensor(tensor)
    key = dtype_name(tensor.dtype)
    if key not in _ENUM:
        raise TypeError(f"tf.io.serialize_tensor: dtype {key} cannot be serialized.")
    enum, np_dtype = _ENUM[key]
    shape = tuple(tensor.shape)
    out = pb._tag(1, pb._VARINT) + pb._varint(enum) + pb._len_field(2, tensor_shape_proto(shape))
    if isinstance(tensor, StringTensor):
        for item in np.asarray(tensor.numpy(), dtype=object).reshape(-1):
            out += pb._len_field(8, bytes(item))
    else:
        flat = tensor.detach().cpu().reshape(-1)
        if key == "bfloat16":
            flat = flat.view(torch.int16)
        content = flat.numpy().astype(np_dtype, copy=False).tobytes()
        if content:
            out += pb._len_field(4, content)
    return string_tensor.make(out, "tf.io.serialize_tensor")


def _serialized_bytes(serialized) -> bytes:
    if isinstance(serialized, StringTensor) or (
        hasattr(serialized, "numpy") and not isinstance(serialized, np.ndarray)
    ):
        serialized = serialized.numpy()
    if isinstance(serialized, np.ndarray) and serialized.shape == ():
        serialized = serialized[()]
    if isinstance(serialized, (bytes, bytearray, np.bytes_)):
        return bytes(serialized)
    raise TypeError(
        "tf.io.parse_tensor: `serialized` must be a scalar string tensor or bytes (what "
        f"tf.io.serialize_tensor returns), got {type(serialized).__name__}."
    )


def parse_tensor(serialized, out_type, name: str | None = None):
    """Parses a serialized `TensorProto` (from `tf.io.serialize_tensor`) into a tensor.

    Args:
        serialized: a scalar string tensor or bytes.
        out_type: the dtype the tensor was serialized with.
        name: unused.

    Returns:
        The tensor.

    Raises:
        InvalidArgumentError: the bytes are no TensorProto, or hold another dtype.
    """
    del name
    data = _serialized_bytes(serialized)
    wanted = dtype_name(as_dtype(out_type))
    enum, shape, content, strings = 0, [], b"", []
    try:
        for field, _, value in pb._fields(data):
            if field == 1:
                enum = value
            elif field == 2:
                shape = parse_tensor_shape(value)
            elif field == 4:
                content = value
            elif field == 8:
                strings.append(bytes(value))
    except pb.DecodeError as err:
        raise InvalidArgumentError(
            f"tf.io.parse_tensor: could not parse the bytes as a TensorProto ({err})."
        ) from None
    got = _NAME_OF.get(enum)
    if got is None:
        raise InvalidArgumentError(
            f"tf.io.parse_tensor: the TensorProto has an unknown or unsupported dtype ({enum})."
        )
    if got != wanted:
        raise InvalidArgumentError(
            f"tf.io.parse_tensor: type mismatch between parsed tensor ({got}) and dtype "
            f"({wanted}). Pass the out_type the tensor was serialized with."
        )
    count = int(np.prod(shape)) if shape else 1
    if got == "string":
        if len(strings) != count:
            raise InvalidArgumentError(
                f"tf.io.parse_tensor: {len(strings)} strings for shape {shape}."
            )
        array = np.empty(count, dtype=object)
        array[:] = strings
        return string_tensor.wrap(array.reshape(shape))
    np_dtype = np.dtype(_ENUM[got][1])
    if len(content) != count * np_dtype.itemsize:
        raise InvalidArgumentError(
            f"tf.io.parse_tensor: the TensorProto holds {len(content)} bytes of values, but "
            f"shape {shape} of {got} needs {count * np_dtype.itemsize}. Only tensor_content "
            "encodings (what tf.io.serialize_tensor writes) are read."
        )
    values = torch.from_numpy(np.frombuffer(content, dtype=np_dtype).copy()).reshape(shape)
    if got == "bfloat16":
        values = values.view(torch.bfloat16)
    return values
