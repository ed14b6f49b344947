"""TensorFlow's tensor bundle: the `.index` + `.data-0000K-of-0000N` files of a checkpoint.

- `P.index` is a sorted table (`_leveldb_table`). Its entry `""` is a
  `BundleHeaderProto` (number of data shards, endianness, format version); every
  other key names one tensor and holds a `BundleEntryProto`: dtype, shape, the
  shard that holds it, its byte offset and size there, and the masked CRC-32C
  of its bytes.
- `P.data-0000K-of-0000N` holds the tensors' bytes back to back: numeric
  tensors as their raw little-endian values; string tensors as the varint
  length of every element, a masked CRC-32C of those lengths, then the
  elements' bytes.

`read_tensor_bundle(prefix)` gives every tensor by key; `BundleReader` reads
them one at a time (restoring a large model never holds two copies of it), and
`write_tensor_bundle` writes a bundle TensorFlow reads.
"""

from __future__ import annotations

import glob
import os
import struct

import numpy as np
import torch

from tork._backend.dtypes import _BY_ENUM, as_dtype
from tork._backend.errors import DataLossError, NotFoundError
from tork.keras.saving._atomic import atomic_path, temporary_path
from tork.train import _leveldb_table
from tork.train._wire import (
    _fields,
    _len_field,
    _read_varint,
    _tag,
    _varint,
    parse_tensor_shape,
    tensor_shape_proto,
)

crc32c = _leveldb_table.crc32c
mask = _leveldb_table.mask
_extend = _leveldb_table.extend


# TensorFlow's DataType enum (types.proto) -> (name, torch dtype or None for strings),
# from the one table tork keeps of it (`tf.as_dtype(1)`).
_DTYPES = {
    code: (name, None if name == "string" else as_dtype(name)) for code, name in _BY_ENUM.items()
}
_UNSUPPORTED = {
    11: "qint8",
    12: "quint8",
    13: "qint32",
    15: "qint16",
    16: "quint16",
    20: "resource",
    21: "variant",
    24: "float8_e5m2",
    25: "float8_e4m3fn",
}
_CODES = {dtype: code for code, (_, dtype) in _DTYPES.items() if dtype is not None}
STRING = 7


def dtype_name(code: int) -> str:
    """TensorFlow's name of the DataType `code` (`float32`, `string`, ...)."""
    if code in _DTYPES:
        return _DTYPES[code][0]
    return _UNSUPPORTED.get(code, f"DataType {code}")


def data_path(prefix: str, shard: int, shards: int) -> str:
    return f"{prefix}.data-{shard:05d}-of-{shards:05d}"


class BundleEntry:
    """One tensor's `BundleEntryProto`: where its bytes are and what they are."""

    __slots__ = ("dtype", "shape", "shard", "offset", "size", "crc32c", "sliced")

    def __init__(self, data: bytes):
        self.dtype, self.shape, self.shard, self.offset, self.size = 0, [], 0, 0, 0
        self.crc32c, self.sliced = None, False
        for field, _, value in _fields(data):
            if field == 1:
                self.dtype = value
            elif field == 2:
                self.shape = parse_tensor_shape(value)
            elif field == 3:
                self.shard = value
            elif field == 4:
                self.offset = value
            elif field == 5:
                self.size = value
            elif field == 6:
                self.crc32c = value
            elif field == 7:
                self.sliced = True


def _entry_proto(code: int, shape, offset: int, size: int, crc: int) -> bytes:
    out = _tag(1, 0) + _varint(code) + _len_field(2, tensor_shape_proto(shape))
    if offset:
        out += _tag(4, 0) + _varint(offset)
    if size:
        out += _tag(5, 0) + _varint(size)
    return out + _tag(6, 5) + struct.pack("<I", mask(crc))


def is_bundle_index(path: str) -> bool:
    """Whether `path` is a table file (TensorFlow's `.index`), from its last 8 bytes."""
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            if f.tell() < _leveldb_table.FOOTER_SIZE:
                return False
            f.seek(-8, os.SEEK_END)
            return struct.unpack("<Q", f.read(8))[0] == _leveldb_table.MAGIC
    except OSError:
        return False


class BundleReader:
    """Reads the tensors of the bundle `prefix` one at a time, checking each checksum.

    Args:
        prefix: the checkpoint prefix (`P` of `P.index`).

    Raises:
        tf.errors.DataLossError: if the index is corrupt.
        tf.errors.NotFoundError: if a data shard is missing.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix
        index = prefix + ".index"
        with open(index, "rb") as f:
            data = f.read()
        table = _leveldb_table.read_table(data, f"The checkpoint index {index}")
        if not table or table[0][0] != b"":
            raise DataLossError(f"The checkpoint index {index} has no bundle header.")
        self.num_shards, endianness = 1, 0
        for field, _, value in _fields(table[0][1]):
            if field == 1:
                self.num_shards = value
            elif field == 2:
                endianness = value
        if endianness != 0:
            raise ValueError(
                f"The checkpoint {prefix!r} was written on a big-endian machine; tork reads "
                "little-endian checkpoints only."
            )
        self.entries: dict[str, BundleEntry] = {}
        for key, value in table[1:]:
            self.entries[key.decode("utf-8", "surrogateescape")] = BundleEntry(value)

    def _open(self, shard: int):
        # Opened per read: a reader kept by a deferred restore holds no file open.
        path = data_path(self.prefix, shard, self.num_shards)
        try:
            return open(path, "rb")  # noqa: SIM115 - the caller closes it
        except FileNotFoundError:
            raise NotFoundError(
                f"The checkpoint {self.prefix!r} is missing its data file {path} (its index "
                f"lists {self.num_shards} shard(s)). Copy every .data-* file along with the "
                ".index file."
            ) from None

    def missing_shards(self) -> list[str]:
        paths = [data_path(self.prefix, k, self.num_shards) for k in range(self.num_shards)]
        return [path for path in paths if not os.path.exists(path)]

    def shape(self, key: str) -> list:
        return list(self.entries[key].shape)

    def dtype(self, key: str):
        """The torch dtype of `key`, or the string `'string'` (or TF's name if unsupported)."""
        code = self.entries[key].dtype
        if code in _DTYPES:
            return _DTYPES[code][1] or "string"
        return dtype_name(code)

    def _corrupt(self, key: str, path: str) -> DataLossError:
        return DataLossError(
            f"The checkpoint {self.prefix!r} is corrupt: the checksum of '{key}' does not "
            f"match its data in {path} (the file was damaged after it was written)."
        )

    def _bytes(self, key: str, entry: BundleEntry) -> np.ndarray:
        if entry.sliced:
            raise NotImplementedError(
                f"The checkpoint {self.prefix!r} holds '{key}' as slices of a partitioned "
                "variable; tork reads whole tensors only."
            )
        with self._open(entry.shard) as handle:
            handle.seek(entry.offset)
            # Uninitialized memory: a bytearray would first be zero-filled, page by page.
            buffer = np.empty(entry.size, dtype=np.uint8)
            if handle.readinto(memoryview(buffer)) != entry.size:
                raise DataLossError(
                    f"The checkpoint {self.prefix!r} is truncated: the data of '{key}' runs "
                    f"past the end of {handle.name}."
                )
        # A string tensor's checksum is not that of its bytes: checked once decoded.
        if entry.dtype != STRING and entry.crc32c is not None:
            if mask(crc32c(buffer)) != entry.crc32c:
                raise self._corrupt(key, handle.name)
        return buffer

    def get(self, key: str):
        """The value of `key`: a torch tensor, or a NumPy object array of bytes for strings.

        Raises:
            KeyError: if the bundle has no tensor `key`.
            tf.errors.DataLossError: if its bytes are truncated or fail their checksum.
            TypeError: if its dtype is one tork has no tensor type for.
        """
        entry = self.entries[key]
        if entry.dtype not in _DTYPES:
            raise TypeError(
                f"The checkpoint {self.prefix!r} holds '{key}' with dtype "
                f"{dtype_name(entry.dtype)}, which tork has no tensor type for."
            )
        buffer = self._bytes(key, entry)
        count = int(np.prod(entry.shape, dtype=np.int64))
        if entry.dtype == STRING:
            value = _decode_strings(buffer.tobytes(), count, entry.shape, key, self.prefix)
            if entry.crc32c is not None and mask(_encode_strings(value)[1]) != entry.crc32c:
                raise self._corrupt(key, data_path(self.prefix, entry.shard, self.num_shards))
            return value
        dtype = _DTYPES[entry.dtype][1]
        if len(buffer) != count * dtype.itemsize:
            raise DataLossError(
                f"The checkpoint {self.prefix!r} is corrupt: '{key}' should hold "
                f"{count * dtype.itemsize} bytes for shape {entry.shape} but holds "
                f"{len(buffer)}."
            )
        if count == 0:
            return torch.zeros(entry.shape, dtype=dtype)
        return torch.from_numpy(buffer).view(dtype).reshape(entry.shape)


def _decode_strings(data: bytes, count: int, shape, key: str, prefix: str) -> np.ndarray:
    try:
        lengths, pos = [], 0
        for _ in range(count):
            length, pos = _read_varint(data, pos)
            lengths.append(length)
        pos += 4  # the masked CRC-32C of the lengths (the entry's checksum covers it)
        values = []
        for length in lengths:
            if pos + length > len(data):
                raise ValueError("a string runs past the data")
            values.append(data[pos : pos + length])
            pos += length
    except ValueError as error:
        raise DataLossError(
            f"The checkpoint {prefix!r} is corrupt: the string tensor '{key}' cannot be read "
            f"({error})."
        ) from None
    out = np.empty(count, dtype=object)
    out[:] = values
    return out.reshape(shape)


def _encode_strings(array: np.ndarray) -> tuple[bytes, int]:
    """A string tensor's bytes and their (unmasked) CRC-32C, as TensorFlow writes them."""
    items = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in array.reshape(-1)]
    lengths = b"".join(_varint(len(v)) for v in items)
    # The checksum covers each length as a uint32 (not as its varint), then the masked
    # checksum of the lengths, then the strings.
    crc = crc32c(b"".join(struct.pack("<I", len(v)) for v in items))
    length_crc = struct.pack("<I", mask(crc))
    crc = _extend(crc, length_crc)
    body = b"".join(items)
    return lengths + length_crc + body, _extend(crc, body)


def read_tensor_bundle(prefix) -> dict:
    """Reads every tensor of TensorFlow's checkpoint (or SavedModel `variables/variables`).

    Args:
        prefix: the prefix of the `.index` and `.data-*` files.

    Returns:
        A dict key -> value: NumPy arrays (bfloat16 tensors as torch tensors, which
        NumPy cannot hold), string tensors as NumPy object arrays of bytes and
        scalar strings (such as the serialized object graph) as `bytes`.
    """
    prefix = os.fspath(prefix)
    out = {}
    reader = BundleReader(prefix)
    for key in reader.entries:
        value = reader.get(key)
        if isinstance(value, np.ndarray):
            out[key] = value.item() if value.ndim == 0 else value
        elif value.dtype == torch.bfloat16:
            out[key] = value
        else:
            out[key] = value.numpy()
    return out


def _as_tensor(value):
    if isinstance(value, (bytes, str)):
        return np.array(value, dtype=object)
    if isinstance(value, (np.ndarray, np.generic)):
        value = np.asarray(value)
        if value.dtype.kind in "OSU":
            return value.astype(object)
        return torch.from_numpy(np.ascontiguousarray(value))
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().contiguous()
    raise TypeError(f"A checkpoint cannot hold {type(value).__name__} values.")


def _encode(key: str, value, prefix: str) -> tuple:
    """(bytes, dtype code, shape, unmasked CRC-32C) of one value, as TensorFlow stores it."""
    value = _as_tensor(value)
    if isinstance(value, np.ndarray):
        data, crc = _encode_strings(value)
        return data, STRING, value.shape, crc
    if value.dtype not in _CODES:
        raise TypeError(
            f"Cannot write '{key}' to the checkpoint {prefix!r}: TensorFlow's checkpoints "
            f"have no dtype for {value.dtype}."
        )
    data = value.reshape(-1).view(torch.uint8).numpy() if value.numel() else b""
    return data, _CODES[value.dtype], tuple(value.shape), crc32c(data)


def write_tensor_bundle(prefix: str, tensors: dict) -> None:
    """Writes `tensors` (key -> torch tensor, NumPy array or bytes) as the bundle `prefix`.

    Both files are written to temporary files first; then the data file, then the
    index, are renamed into place. A failure while writing leaves the files
    already at `prefix` untouched, and the checkpoint exists once its index does.
    """
    keys = sorted(tensors, key=lambda k: k.encode("utf-8"))
    entries = []
    index = prefix + ".index"
    index_tmp = temporary_path(index)
    try:
        with atomic_path(data_path(prefix, 0, 1)) as tmp, open(tmp, "wb") as f:
            offset = 0
            for key in keys:
                data, code, shape, crc = _encode(key, tensors[key], prefix)
                f.write(data)
                entries.append(
                    (key.encode("utf-8"), _entry_proto(code, shape, offset, len(data), crc))
                )
                offset += len(data)
            # The index is written before the data file replaces the old one: a failure
            # up to here leaves an older checkpoint at this prefix whole.
            version = _len_field(3, _tag(1, 0) + _varint(1))
            header = _tag(1, 0) + _varint(1) + version
            with open(index_tmp, "wb") as index_file:
                index_file.write(_leveldb_table.write_table([(b"", header), *entries]))
                index_file.flush()
                os.fsync(index_file.fileno())
        os.replace(index_tmp, index)
    finally:
        if os.path.exists(index_tmp):
            os.remove(index_tmp)
    # A bundle with fewer shards than an older one at the same prefix: drop the stale ones.
    for path in glob.glob(glob.escape(prefix) + ".data-?????-of-?????"):
        if path != data_path(prefix, 0, 1):
            os.remove(path)
