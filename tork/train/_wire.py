"""The protocol buffer wire format: varints, tags and fields, without the `protobuf` package.

Shared by tork's hand-written messages: `tf.train.Example` (`example.py`),
checkpoint indexes and object graphs (`_tensor_bundle`, `_object_graph_proto`),
summaries and SavedModel protos.
"""

from __future__ import annotations

import struct

import numpy as np

# Protocol buffer wire types.
_VARINT = 0
_I64 = 1
_LEN = 2
_I32 = 5


class DecodeError(ValueError):
    """Raised when bytes are not a valid serialized message (protobuf's `DecodeError`)."""


# --- wire encoding -------------------------------------------------------------


def _varint(value: int) -> bytes:
    value &= 0xFFFFFFFFFFFFFFFF  # negative int64s are written as 10-byte two's complement
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _varints(values: np.ndarray) -> bytes:
    """The varint encodings of an int64 array, concatenated (vectorised)."""
    if values.size == 0:
        return b""
    v = values.astype(np.int64).view(np.uint64)
    shifts = np.arange(10, dtype=np.uint64) * np.uint64(7)
    groups = (v[:, None] >> shifts[None, :]) & np.uint64(0x7F)
    # Number of 7-bit groups needed: the index of the highest non-zero group, + 1.
    nonzero = (v[:, None] >> shifts[None, :]) != 0
    lengths = np.maximum(10 - np.argmax(nonzero[:, ::-1], axis=1), 1)
    lengths[~nonzero.any(axis=1)] = 1
    position = np.arange(10)[None, :]
    keep = position < lengths[:, None]
    more = position < (lengths[:, None] - 1)
    encoded = (groups | (more.astype(np.uint64) << np.uint64(7))).astype(np.uint8)
    return encoded[keep].tobytes()


def _tag(field: int, wire_type: int) -> bytes:
    return _varint((field << 3) | wire_type)


def _len_field(field: int, payload: bytes) -> bytes:
    return _tag(field, _LEN) + _varint(len(payload)) + payload


def tensor_shape_proto(shape) -> bytes:
    """The fields of TensorFlow's `TensorShapeProto` for `shape` (`dim { size: n }` each;
    unknown sizes and 0 leave `size` out)."""
    return b"".join(_len_field(2, _tag(1, _VARINT) + _varint(int(d)) if d else b"") for d in shape)


# --- wire decoding -------------------------------------------------------------


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    result = 0
    shift = 0
    while True:
        if pos >= len(data):
            raise DecodeError("Truncated message: a varint runs past the end of the data.")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result & 0xFFFFFFFFFFFFFFFF, pos
        shift += 7
        if shift >= 70:
            raise DecodeError("Invalid varint: more than 10 bytes.")


def _fields(data: bytes):
    """Yields (field number, wire type, value) of a message's fields.

    The value is an int for varints and fixed-width fields, the payload bytes for
    length-delimited ones.
    """
    pos = 0
    end = len(data)
    while pos < end:
        key, pos = _read_varint(data, pos)
        field, wire_type = key >> 3, key & 7
        if field == 0:
            raise DecodeError("Invalid field number 0.")
        if wire_type == _VARINT:
            value, pos = _read_varint(data, pos)
        elif wire_type == _LEN:
            size, pos = _read_varint(data, pos)
            if pos + size > end:
                raise DecodeError("Truncated message: a length-delimited field runs past the end.")
            value = data[pos : pos + size]
            pos += size
        elif wire_type == _I64:
            if pos + 8 > end:
                raise DecodeError("Truncated message: a fixed64 field runs past the end.")
            value = struct.unpack_from("<Q", data, pos)[0]
            pos += 8
        elif wire_type == _I32:
            if pos + 4 > end:
                raise DecodeError("Truncated message: a fixed32 field runs past the end.")
            value = struct.unpack_from("<I", data, pos)[0]
            pos += 4
        else:
            raise DecodeError(f"Unsupported wire type {wire_type} (field {field}).")
        yield field, wire_type, value


def _decode_packed_varints(data: bytes) -> np.ndarray:
    """Decodes concatenated varints into an int64 array (vectorised)."""
    b = np.frombuffer(data, dtype=np.uint8)
    if b.size == 0:
        return np.empty(0, dtype=np.int64)
    if b[-1] >= 0x80:
        raise DecodeError("Truncated packed varints.")
    last = b < 0x80
    ends = np.flatnonzero(last)
    starts = np.concatenate(([0], ends[:-1] + 1))
    index = np.cumsum(np.concatenate(([0], last[:-1].astype(np.int64))))
    offset = np.arange(b.size) - starts[index]
    if offset.max() >= 10:
        raise DecodeError("Invalid varint: more than 10 bytes.")
    parts = (b & 0x7F).astype(np.uint64) << (offset.astype(np.uint64) * np.uint64(7))
    return np.bitwise_or.reduceat(parts, starts).view(np.int64)


def parse_tensor_shape(data: bytes) -> list:
    """The sizes of a serialized `TensorShapeProto` (-1 for unknown ones)."""
    dims = []
    for field, _, value in _fields(data):
        if field == 2:
            size = next((v for f, _, v in _fields(value) if f == 1), 0)
            dims.append(size - (1 << 64) if size >= 1 << 63 else size)
    return dims
