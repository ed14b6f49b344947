"""TFRecord files: CRC-32C, record framing, compression, `TFRecordWriter`.

A TFRecord file is a sequence of records, each framed as

    uint64 length (little-endian)
    uint32 masked_crc32c(length bytes)
    byte   data[length]
    uint32 masked_crc32c(data)

CRC-32C is the Castagnoli CRC (reflected polynomial 0x82F63B78, initial value
and final xor 0xFFFFFFFF). TensorFlow stores it *masked*: rotated right by 15
bits plus the constant 0xA282EAD8 (mod 2**32), because a CRC computed over data
that itself contains CRCs is weak. The whole file may be GZIP or ZLIB compressed.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib

import numpy as np

from tork._backend.errors import DataLossError, NotFoundError

_POLY = 0x82F63B78
_MASK_DELTA = 0xA282EAD8


def _make_table() -> np.ndarray:
    crc = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        crc = np.where(crc & 1, (crc >> 1) ^ np.uint32(_POLY), crc >> 1).astype(np.uint32)
    return crc


_TABLE = _make_table()
_TABLE_LIST = _TABLE.tolist()
# Below this size a plain table loop beats the lane-parallel NumPy version.
_SMALL = 512


def _update_small(state: int, data: bytes) -> int:
    table = _TABLE_LIST
    for byte in data:
        state = table[(state ^ byte) & 0xFF] ^ (state >> 8)
    return state


def _shift_tables(length: int) -> list:
    """Byte tables of the linear map "advance a CRC state over `length` zero bytes"."""
    # Images of the 32 basis states, advanced together.
    basis = (np.uint32(1) << np.arange(32, dtype=np.uint32)).astype(np.uint32)
    for _ in range(length):
        basis = _TABLE[basis & 0xFF] ^ (basis >> 8)
    tables = []
    values = np.arange(256, dtype=np.uint32)
    for byte in range(4):
        table = np.zeros(256, dtype=np.uint32)
        for bit in range(8):
            table ^= np.where((values >> bit) & 1, basis[8 * byte + bit], 0).astype(np.uint32)
        tables.append(table.tolist())
    return tables


def _advance_word(values: np.ndarray) -> np.ndarray:
    """The CRC states after feeding four zero bytes from each state in `values`."""
    crc = values.astype(np.uint32)
    for _ in range(4):
        crc = _TABLE[crc & 0xFF] ^ (crc >> 8)
    return crc


_HALVES = np.arange(1 << 16, dtype=np.uint32)
# One 32-bit word in two lookups: the state after `x ^ word` is LOW[x & 0xFFFF] ^ HIGH[x >> 16].
_WORD_LOW = _advance_word(_HALVES)
_WORD_HIGH = _advance_word(_HALVES << 16)
_LANES = 65536


def _update(state: int, data: bytes) -> int:
    """Advances a (pre-inverted) CRC-32C state over `data`.

    The CRC update is linear over GF(2): the state after a message `M` started
    from `s` is `shift(s, len(M)) ^ crc_from_zero(M)`. Large inputs are cut into
    equal lanes whose CRCs are computed side by side, a 32-bit word of every lane
    per step (two lookups in 16-bit tables), then chained with that identity.
    """
    n = len(data)
    if n < 4 * _LANES:
        if n < _SMALL:
            return _update_small(state, data)
        lanes = max(int(np.sqrt(n)) // 4, 1)
    else:
        lanes = _LANES
    words = n // (4 * lanes)
    head = n - 4 * lanes * words
    # The head (shorter than one step of every lane) takes the smaller-input path.
    state = (
        _update(state, bytes(data[:head])) if head >= _SMALL else _update_small(state, data[:head])
    )
    block = np.frombuffer(data, dtype="<u4", offset=head, count=lanes * words)
    block = block.reshape(lanes, words)
    crcs = np.zeros(lanes, dtype=np.uint32)
    mixed = np.empty(lanes, dtype=np.uint32)
    high = np.empty(lanes, dtype=np.uint32)
    for column in range(words):
        np.bitwise_xor(crcs, block[:, column], out=mixed)
        np.right_shift(mixed, 16, out=high)
        np.bitwise_and(mixed, 0xFFFF, out=mixed)
        crcs = _WORD_LOW[mixed]
        crcs ^= _WORD_HIGH[high]
    t0, t1, t2, t3 = _shift_tables(4 * words)
    for lane_crc in crcs.tolist():
        state = (
            t0[state & 0xFF]
            ^ t1[(state >> 8) & 0xFF]
            ^ t2[(state >> 16) & 0xFF]
            ^ t3[state >> 24]
            ^ lane_crc
        )
    return state


# A hardware CRC-32C when the optional `crc32c` package is installed (checkpoints are
# checksummed in full on every read and write), else the vectorized NumPy one above.
try:  # pragma: no cover - depends on the environment
    from crc32c import crc32c as _fast_crc32c
except ImportError:  # pragma: no cover
    _fast_crc32c = None


def crc32c(data) -> int:
    """The CRC-32C (Castagnoli) checksum of `data` (bytes or a contiguous buffer), as an
    unsigned int."""
    if _fast_crc32c is not None:
        return _fast_crc32c(data)
    # A byte view, not a copy: tensors of hundreds of MB are checksummed in place.
    return _update(0xFFFFFFFF, memoryview(data).cast("B")) ^ 0xFFFFFFFF


def extend(crc: int, data) -> int:
    """The CRC-32C of the bytes whose CRC-32C is `crc`, followed by `data`."""
    if _fast_crc32c is not None:
        return _fast_crc32c(data, crc)
    return _update(crc ^ 0xFFFFFFFF, bytes(data)) ^ 0xFFFFFFFF


def mask(crc: int) -> int:
    """The masked form of a CRC (TFRecord, LevelDB tables, TF checkpoints): rotated right
    by 15 bits plus `0xA282EAD8`, mod 2**32."""
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def masked_crc32c(data: bytes) -> int:
    """TFRecord's masked CRC: `rotr15(crc32c(data)) + 0xA282EAD8` mod 2**32."""
    return mask(crc32c(data))


def frame(data: bytes) -> bytes:
    """One record with its TFRecord framing."""
    length = struct.pack("<Q", len(data))
    return (
        length
        + struct.pack("<I", masked_crc32c(length))
        + data
        + struct.pack("<I", masked_crc32c(data))
    )


# --- compression ---------------------------------------------------------------

_COMPRESSIONS = ("", "GZIP", "ZLIB")


def compression_name(compression_type, where: str) -> str:
    """Normalises a compression type (None, '', 'GZIP', 'ZLIB', TFRecordOptions)."""
    if compression_type is None:
        return ""
    if hasattr(compression_type, "compression_type"):
        compression_type = compression_type.compression_type
        if compression_type is None:
            return ""
    if hasattr(compression_type, "numpy") and not isinstance(compression_type, np.ndarray):
        compression_type = compression_type.numpy()
    if isinstance(compression_type, bytes):
        compression_type = compression_type.decode("utf-8")
    if not isinstance(compression_type, str) or compression_type.upper() not in _COMPRESSIONS:
        raise ValueError(
            f"{where}: unknown compression type {compression_type!r}; use None or '' (no "
            "compression), 'GZIP' or 'ZLIB'."
        )
    return compression_type.upper()


class _ZlibWriter:
    def __init__(self, path: str, level: int):
        self._file = open(path, "wb")  # noqa: SIM115 - closed by close()
        self._compressor = zlib.compressobj(level)

    def write(self, data: bytes) -> None:
        self._file.write(self._compressor.compress(data))

    def flush(self) -> None:
        self._file.write(self._compressor.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self) -> None:
        self._file.write(self._compressor.flush())
        self._file.close()


class _ZlibReader:
    def __init__(self, path: str):
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._inflate = zlib.decompressobj()
        self._buffer = b""

    def read(self, size: int) -> bytes:
        while len(self._buffer) < size:
            chunk = self._file.read(1 << 16)
            if not chunk:
                self._buffer += self._inflate.flush()
                break
            self._buffer += self._inflate.decompress(chunk)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def close(self) -> None:
        self._file.close()


def open_for_reading(path: str, compression: str):
    """A binary stream of the decompressed contents of `path` ('GZIP', 'ZLIB' or '')."""
    if compression == "GZIP":
        return gzip.open(path, "rb")
    if compression == "ZLIB":
        return _ZlibReader(path)
    return open(path, "rb")  # noqa: SIM115 - the reader closes it


def open_for_writing(path: str, compression: str, level: int | None):
    if compression == "GZIP":
        return gzip.open(path, "wb", compresslevel=9 if level is None else level)
    if compression == "ZLIB":
        return _ZlibWriter(path, -1 if level is None else level)
    return open(path, "wb")  # noqa: SIM115 - the writer closes it


def read_records(path: str, compression: str):
    """Yields the records of one TFRecord file, checking their CRCs.

    Raises:
        NotFoundError: the file does not exist.
        DataLossError: a record is truncated or its checksum does not match.
    """
    if not os.path.exists(path):
        raise NotFoundError(f"TFRecordDataset: {path}: No such file or directory.")
    stream = open_for_reading(path, compression)
    index = 0
    offset = 0
    hint = (
        " Is the file compressed? Pass compression_type='GZIP' or 'ZLIB'."
        if compression == ""
        else ""
    )
    try:
        while True:
            try:
                header = stream.read(12)
            except (OSError, EOFError, zlib.error) as err:
                raise DataLossError(
                    f"Corrupted record {index} at offset {offset} in {path}: cannot decompress "
                    f"({err}). Check compression_type={compression or None!r}."
                ) from None
            if not header:
                return
            if len(header) < 12:
                raise DataLossError(
                    f"Truncated record {index} at offset {offset} in {path}: the file ends "
                    f"inside a record header ({len(header)} of 12 bytes)."
                )
            length_bytes = header[:8]
            (expected,) = struct.unpack("<I", header[8:])
            if masked_crc32c(length_bytes) != expected:
                raise DataLossError(
                    f"Corrupted record {index} at offset {offset} in {path}: the checksum "
                    f"of the record length does not match.{hint}"
                )
            (length,) = struct.unpack("<Q", length_bytes)
            try:
                body = stream.read(length + 4)
            except (OSError, EOFError, zlib.error) as err:
                raise DataLossError(
                    f"Corrupted record {index} at offset {offset} in {path}: cannot decompress "
                    f"({err})."
                ) from None
            if len(body) < length + 4:
                raise DataLossError(
                    f"Truncated record {index} at offset {offset} in {path}: expected "
                    f"{length + 4} more bytes, the file has {len(body)}."
                )
            data = body[:length]
            (expected,) = struct.unpack("<I", body[length:])
            if masked_crc32c(data) != expected:
                raise DataLossError(
                    f"Corrupted record {index} at offset {offset} in {path}: the checksum of "
                    "the record data does not match (the file is damaged)."
                )
            yield data
            index += 1
            offset += 16 + length
    finally:
        stream.close()
