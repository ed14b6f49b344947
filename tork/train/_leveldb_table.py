"""The sorted-table file format of TensorFlow's checkpoint `.index` files (LevelDB's table).

A table is a sequence of blocks, then a 48-byte footer:

- a block holds entries with prefix-compressed keys: per entry the varints
  `shared` (bytes taken from the previous key), `non_shared`, `value_length`,
  then the new key bytes and the value. Every few entries a "restart point"
  stores its key whole; the block ends with the restart offsets (uint32 each)
  and their count (uint32).
- each block is followed by a 5-byte trailer: its compression type (0 none,
  1 Snappy) and the masked CRC-32C of the block and that type byte.
- the index block maps, per data block, a key >= its last key to the block's
  handle (varint offset, varint size); the footer holds the handles of the
  metaindex and index blocks, padding, and the magic `0xdb4775248b80fb57`.

TensorFlow writes bundle indexes uncompressed; Snappy blocks are read too
(LevelDB's default), by the small decoder below.
"""

from __future__ import annotations

import struct

from tork._backend.errors import DataLossError
from tork.ops import _tfrecord
from tork.train._wire import _read_varint, _varint

MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
_TRAILER_SIZE = 5
_NO_COMPRESSION = 0
_SNAPPY = 1
_RESTART_INTERVAL = 16
_BLOCK_SIZE = 4096


crc32c = _tfrecord.crc32c
extend = _tfrecord.extend
mask = _tfrecord.mask
masked_crc32c = _tfrecord.masked_crc32c


class TableError(DataLossError):
    """A table file that is truncated or corrupt."""


def _snappy_decompress(data: bytes, where: str) -> bytes:
    """Decodes a raw Snappy block (varint length, then literals and back-references)."""
    try:
        size, pos = _read_varint(data, 0)
        out = bytearray()
        while pos < len(data):
            tag = data[pos]
            pos += 1
            kind = tag & 3
            if kind == 0:  # literal
                length = tag >> 2
                if length >= 60:
                    extra = length - 59
                    length = int.from_bytes(data[pos : pos + extra], "little")
                    pos += extra
                length += 1
                out += data[pos : pos + length]
                pos += length
                continue
            if kind == 1:
                length = 4 + ((tag >> 2) & 7)
                offset = ((tag >> 5) << 8) | data[pos]
                pos += 1
            elif kind == 2:
                length = (tag >> 2) + 1
                offset = int.from_bytes(data[pos : pos + 2], "little")
                pos += 2
            else:
                length = (tag >> 2) + 1
                offset = int.from_bytes(data[pos : pos + 4], "little")
                pos += 4
            if offset == 0 or offset > len(out):
                raise ValueError("bad back-reference")
            start = len(out) - offset
            for i in range(length):  # may overlap its own output
                out.append(out[start + i])
    except (IndexError, ValueError) as error:
        raise TableError(
            f"{where}: a Snappy-compressed block cannot be decoded ({error})."
        ) from None
    if len(out) != size:
        raise TableError(f"{where}: a Snappy-compressed block decodes to the wrong size.")
    return bytes(out)


def _read_block(data: bytes, offset: int, size: int, where: str) -> bytes:
    end = offset + size + _TRAILER_SIZE
    if offset < 0 or end > len(data):
        raise TableError(f"{where} is truncated: a block runs past the end of the file.")
    block = data[offset : offset + size]
    kind = data[offset + size]
    (stored,) = struct.unpack_from("<I", data, offset + size + 1)
    if masked_crc32c(data[offset : offset + size + 1]) != stored:
        raise TableError(
            f"{where} is corrupt: the checksum of the block at byte {offset} does not match "
            "its content (the file was damaged after it was written)."
        )
    if kind == _SNAPPY:
        return _snappy_decompress(block, where)
    if kind != _NO_COMPRESSION:
        raise TableError(f"{where}: unknown block compression type {kind}.")
    return block


def _block_entries(block: bytes, where: str):
    """Yields the (key, value) pairs of a block, in order."""
    if len(block) < 4:
        raise TableError(f"{where} is corrupt: a block is too short.")
    (restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    limit = len(block) - 4 - 4 * restarts
    if limit < 0:
        raise TableError(f"{where} is corrupt: a block's restart array is too long.")
    pos, key = 0, b""
    try:
        while pos < limit:
            shared, pos = _read_varint(block, pos)
            unshared, pos = _read_varint(block, pos)
            length, pos = _read_varint(block, pos)
            if shared > len(key) or pos + unshared + length > limit:
                raise ValueError("an entry runs past the block")
            key = key[:shared] + block[pos : pos + unshared]
            pos += unshared
            yield key, block[pos : pos + length]
            pos += length
    except ValueError as error:
        raise TableError(f"{where} is corrupt: {error}.") from None


def _handle(value: bytes, pos: int = 0) -> tuple[int, int, int]:
    offset, pos = _read_varint(value, pos)
    size, pos = _read_varint(value, pos)
    return offset, size, pos


def read_table(data: bytes, where: str = "The table") -> list[tuple[bytes, bytes]]:
    """All (key, value) pairs of a table file's contents, in key order.

    Args:
        data: the whole file.
        where: how error messages name the file.

    Raises:
        TableError: if the file is truncated, corrupt or not a table.
    """
    if len(data) < FOOTER_SIZE:
        raise TableError(f"{where} is truncated: it is shorter than a table's footer.")
    (magic,) = struct.unpack_from("<Q", data, len(data) - 8)
    if magic != MAGIC:
        raise TableError(f"{where} is not a table file (wrong magic number at its end).")
    footer = data[len(data) - FOOTER_SIZE :]
    try:
        _, _, pos = _handle(footer)
        index_offset, index_size, _ = _handle(footer, pos)
    except ValueError:
        raise TableError(f"{where} is corrupt: its footer cannot be read.") from None
    index = _read_block(data, index_offset, index_size, where)
    entries = []
    for _, value in _block_entries(index, where):
        offset, size, _ = _handle(value)
        entries.extend(_block_entries(_read_block(data, offset, size, where), where))
    return entries


class _BlockBuilder:
    def __init__(self):
        self.buffer = bytearray()
        self.restarts = [0]
        self.count = 0
        self.last = b""

    def add(self, key: bytes, value: bytes) -> None:
        shared = 0
        if self.count < _RESTART_INTERVAL:
            limit = min(len(key), len(self.last))
            while shared < limit and key[shared] == self.last[shared]:
                shared += 1
        else:
            self.restarts.append(len(self.buffer))
            self.count = 0
        self.buffer += _varint(shared) + _varint(len(key) - shared) + _varint(len(value))
        self.buffer += key[shared:] + value
        self.last = key
        self.count += 1

    def finish(self) -> bytes:
        tail = b"".join(struct.pack("<I", r) for r in self.restarts)
        return bytes(self.buffer) + tail + struct.pack("<I", len(self.restarts))

    def size(self) -> int:
        return len(self.buffer) + 4 * len(self.restarts) + 4


def _write_block(out: bytearray, block: bytes) -> bytes:
    """Appends `block` and its trailer to `out`; returns its encoded handle."""
    handle = _varint(len(out)) + _varint(len(block))
    trailer = block + bytes([_NO_COMPRESSION])
    out += trailer + struct.pack("<I", masked_crc32c(trailer))
    return handle


def write_table(entries) -> bytes:
    """A table file holding `entries`, (key, value) byte pairs sorted by key, uncompressed."""
    out = bytearray()
    index = _BlockBuilder()
    block = _BlockBuilder()
    for key, value in entries:
        block.add(key, value)
        if block.size() >= _BLOCK_SIZE:
            index.add(block.last, _write_block(out, block.finish()))
            block = _BlockBuilder()
    if block.count or not index.count:
        index.add(block.last, _write_block(out, block.finish()))
    metaindex = _write_block(out, _BlockBuilder().finish())
    index_handle = _write_block(out, index.finish())
    footer = (metaindex + index_handle).ljust(FOOTER_SIZE - 8, b"\0")
    return bytes(out) + footer + struct.pack("<Q", MAGIC)
