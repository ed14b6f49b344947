"""`tf.data.TFRecordDataset`, `TextLineDataset`, `FixedLengthRecordDataset`: file records as
scalar string tensors."""

from __future__ import annotations

import os

import numpy as np
import torch

from tork._backend import string_tensor
from tork.data.dataset import UNKNOWN_CARDINALITY, Dataset
from tork.data.tensor_spec import TensorSpec


def _filename(value, where: str = "tf.data.TFRecordDataset") -> str:
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.view(np.ndarray)[()]
    if isinstance(value, (bytes, np.bytes_)):
        return os.fsdecode(bytes(value))
    if isinstance(value, str):
        return value
    raise TypeError(
        f"{where}: `filenames` must be a file name, a list or 1-D string "
        f"tensor of them, or a dataset of file names; got an item of type {type(value).__name__}."
    )


# Records are read in blocks of about this many bytes and their checksums checked together.
_READ_BLOCK = 1 << 20
# Records up to this long are checksummed side by side (one NumPy step per byte column);
# longer ones one by one, with the lane-parallel CRC of `tork.ops._tfrecord`.
_LANE_MAX = 4096


def _masked_crcs(records: list) -> np.ndarray:
    """TFRecord's masked CRC-32C of every record, as uint32 (vectorised across records).

    The records of one length class are right-aligned in a matrix (zeros in front)
    and run through the byte-table CRC column by column, all rows at once. A row's
    state stays 0 over its leading zeros; the CRC's initial 0xFFFFFFFF is xor-ed
    in at the column where its record starts.
    """
    from tork.ops import _tfrecord

    lengths = np.fromiter((len(r) for r in records), dtype=np.int64, count=len(records))
    out = np.zeros(len(records), dtype=np.uint32)
    if not len(records):
        return out
    classes = np.zeros(len(records), dtype=np.int64)
    nonzero = lengths > 0
    classes[nonzero] = np.floor(np.log2(lengths[nonzero])).astype(np.int64) + 1
    table = _tfrecord._TABLE
    for cls in np.unique(classes).tolist():
        members = np.flatnonzero(classes == cls)
        if lengths[members].max() > _LANE_MAX:
            for i in members.tolist():
                out[i] = _tfrecord.crc32c(records[i])
            continue
        sizes = lengths[members]
        width = int(sizes.max())
        joined = np.frombuffer(b"".join(records[i] for i in members.tolist()), dtype=np.uint8)
        starts = np.cumsum(sizes) - sizes
        lead = width - sizes
        column = np.arange(width)
        index = starts[:, None] + column[None, :] - lead[:, None]
        valid = column[None, :] >= lead[:, None]
        if joined.size:
            matrix = np.where(valid, joined[np.clip(index, 0, joined.size - 1)], 0)
        else:
            matrix = np.zeros((len(members), width), dtype=np.uint8)
        matrix = np.ascontiguousarray(matrix.T, dtype=np.uint32)
        begins = {int(c): np.flatnonzero(lead == c) for c in np.unique(lead).tolist()}
        crc = np.zeros(len(members), dtype=np.uint32)
        for j in range(width):
            rows = begins.get(j)
            if rows is not None:
                crc[rows] ^= np.uint32(0xFFFFFFFF)
            crc = table[(crc ^ matrix[j]) & 0xFF] ^ (crc >> 8)
        empty = sizes == 0
        crc[empty] = np.uint32(0xFFFFFFFF)  # their state never got its initial value
        out[members] = crc ^ np.uint32(0xFFFFFFFF)
    wide = out.astype(np.uint64)
    masked = ((wide >> 15) | (wide << 17)) & 0xFFFFFFFF
    return ((masked + _tfrecord._MASK_DELTA) & 0xFFFFFFFF).astype(np.uint32)


def _read_records(path: str, compression: str):
    """The records of one TFRecord file: `tork.ops._tfrecord.read_records`, faster.

    Records are cut from blocks of the file and their checksums checked per
    block, vectorised. On anything but a well-formed block (a bad checksum, a
    truncated file, a decompression error, a missing file), reading continues
    with `read_records` from the first record not yet produced, so the records
    and errors are exactly its own.
    """
    import struct

    from tork.ops import _tfrecord

    done = 0
    try:
        stream = _tfrecord.open_for_reading(path, compression)
    except OSError:
        stream = None
    if stream is not None:
        try:
            pending, want = b"", _READ_BLOCK
            while True:
                try:
                    chunk = stream.read(want)
                except Exception:  # noqa: BLE001 - read_records reports it
                    break
                buffer = pending + chunk if pending else chunk
                heads, bodies, stored = [], [], []
                pos, size, want = 0, len(buffer), _READ_BLOCK
                while pos + 12 <= size:
                    (length,) = struct.unpack_from("<Q", buffer, pos)
                    stop = pos + 16 + length
                    if stop > size:
                        # Read the rest of a long record at once; a damaged length
                        # (its checksum fails) goes to read_records straight away.
                        crc = struct.unpack_from("<I", buffer, pos + 8)[0]
                        if _tfrecord.masked_crc32c(buffer[pos : pos + 8]) != crc:
                            chunk = None
                        want = max(_READ_BLOCK, stop - size)
                        break
                    heads.append(buffer[pos : pos + 8])
                    stored.append(buffer[pos + 8 : pos + 12])
                    bodies.append(buffer[pos + 12 : stop - 4])
                    stored.append(buffer[stop - 4 : stop])
                    pos = stop
                if heads:
                    expected = np.frombuffer(b"".join(stored), dtype="<u4").reshape(-1, 2)
                    if not (
                        np.array_equal(_masked_crcs(heads), expected[:, 0])
                        and np.array_equal(_masked_crcs(bodies), expected[:, 1])
                    ):
                        break
                    yield from bodies
                    done += len(bodies)
                if chunk is None:
                    break
                pending = buffer[pos:]
                if not chunk:
                    if not pending:
                        return
                    break  # a truncated record: read_records says so
        finally:
            stream.close()
    records = _tfrecord.read_records(path, compression)
    for _ in range(done):
        next(records)
    yield from records


def _cycle_length(num_parallel_reads, where: str) -> int:
    """How many files are read at once: TF interleaves `num_parallel_reads` > 1 files."""
    if num_parallel_reads is None:
        return 1
    if isinstance(num_parallel_reads, torch.Tensor) and num_parallel_reads.numel() == 1:
        num_parallel_reads = num_parallel_reads.item()
    if isinstance(num_parallel_reads, bool) or not isinstance(
        num_parallel_reads, (int, np.integer)
    ):
        raise TypeError(
            f"{where}: `num_parallel_reads` must be an integer, got {num_parallel_reads!r}."
        )
    # AUTOTUNE (-1) reads the files one after the other, as TF's deterministic order does.
    return max(int(num_parallel_reads), 1)


_END = object()


def _interleaved(paths, read, cycle: int):
    """The elements of the files, `cycle` files at a time, one element from each in turn.

    TF's order for `num_parallel_reads`: when a file ends, the next file takes its place
    in the cycle and the turn passes to the following file (1 reads file by file).
    """
    if cycle == 1:
        for path in paths:
            yield from read(path)
        return
    slots = [read(path) for _, path in zip(range(cycle), paths)]
    position = 0
    while any(slot is not None for slot in slots):
        current = slots[position]
        if current is not None:
            value = next(current, _END)
            if value is _END:
                path = next(paths, None)
                slots[position] = None if path is None else read(path)
            else:
                yield value
        position = (position + 1) % len(slots)


class TFRecordDataset(Dataset):
    """A dataset of the records of one or more TFRecord files.

    Each element is a scalar `tf.string` tensor holding one record (usually a
    serialized `tf.train.Example`; parse it with `tf.io.parse_single_example`
    in `map`). Files are read lazily, one after the other, in the order given,
    and every record's CRC-32C checksums are checked.

    Args:
        filenames: a file name, a list or 1-D string tensor of file names, or a
            `tf.data.Dataset` of file names.
        compression_type: None or "" (no compression), "GZIP" or "ZLIB".
        buffer_size: unused (read buffering is left to Python's file objects).
        num_parallel_reads: None, 1 or `tf.data.AUTOTUNE`: files are read one after
            the other; n > 1: n files at a time, one record from each in turn (TF's
            deterministic order).
        name: unused.

    Raises:
        NotFoundError: (when iterating) a file does not exist.
        DataLossError: (when iterating) a record is truncated or corrupt.

    Example:
    >>> ds = tf.data.TFRecordDataset(["train-0.tfrecord", "train-1.tfrecord"])
    >>> ds = ds.map(lambda r: tf.io.parse_single_example(r, spec)).batch(32)
    """

    def __init__(
        self,
        filenames,
        compression_type: str | None = None,
        buffer_size: int | None = None,
        num_parallel_reads: int | None = None,
        name: str | None = None,
    ):
        from tork.ops import _tfrecord

        del buffer_size, name
        where = f"tf.data.{type(self).__name__}"
        self._cycle = _cycle_length(num_parallel_reads, where)
        self._compression = _tfrecord.compression_name(compression_type, where)
        if isinstance(filenames, Dataset):
            super().__init__((filenames,))
            self._filenames = filenames
        else:
            super().__init__()
            if hasattr(filenames, "numpy") and not isinstance(filenames, np.ndarray):
                filenames = filenames.numpy()
            if isinstance(filenames, (str, bytes, os.PathLike)) or (
                isinstance(filenames, np.ndarray) and filenames.ndim == 0
            ):
                filenames = [filenames]
            self._filenames = [
                _filename(f, where) for f in np.asarray(filenames, dtype=object).ravel()
            ]
            if not self._filenames:
                raise ValueError(f"{where}: `filenames` is empty.")

    def _paths(self):
        names = self._filenames
        if isinstance(names, Dataset):
            return (_filename(f) for f in names)
        return iter(names)

    def _read(self, path: str):
        """The elements of one file."""
        for record in _read_records(path, self._compression):
            element = np.empty((), dtype=object)
            element[()] = record
            yield element.view(string_tensor.StringTensor)

    def _generic(self):
        yield from _interleaved(self._paths(), self._read, self._cycle)

    def _spec(self):
        return TensorSpec((), string_tensor.string)

    def _cardinality(self) -> int:
        return UNKNOWN_CARDINALITY


def _read_lines(path: str, compression: str):
    """Yields the lines of a text file as bytes, without their "\\n" or "\\r\\n" endings."""

    from tork._backend.errors import NotFoundError
    from tork.ops import _tfrecord

    if not os.path.exists(path):
        raise NotFoundError(f"TextLineDataset: {path}: No such file or directory.")
    stream = _tfrecord.open_for_reading(path, compression)
    try:
        pending = b""
        while True:
            chunk = stream.read(1 << 16)
            if not chunk:
                break
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            for line in lines:
                yield line[:-1] if line.endswith(b"\r") else line
        if pending:
            yield pending[:-1] if pending.endswith(b"\r") else pending
    finally:
        stream.close()


class TextLineDataset(TFRecordDataset):
    """A dataset of the lines of one or more text files.

    Each element is a scalar `tf.string` tensor holding one line, without its
    line ending ("\\n" or "\\r\\n"). Files are read lazily, one after the other.

    Args:
        filenames: a file name, a list or 1-D string tensor of file names, or a
            `tf.data.Dataset` of file names.
        compression_type: None or "" (no compression), "GZIP" or "ZLIB".
        buffer_size: unused.
        num_parallel_reads: as for `TFRecordDataset` (n > 1 interleaves n files).
        name: unused.

    Raises:
        NotFoundError: (when iterating) a file does not exist.

    Example:
    >>> ds = tf.data.TextLineDataset("train.csv").skip(1)  # drop the header line
    >>> ds = ds.map(lambda line: tf.strings.split(line, ","))
    """

    def _read(self, path: str):
        for line in _read_lines(path, self._compression):
            element = np.empty((), dtype=object)
            element[()] = line
            yield element.view(string_tensor.StringTensor)


def _as_byte_count(value, name: str, default: int | None) -> int:
    if value is None and default is not None:
        return default
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, np.integer):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"tf.data.FixedLengthRecordDataset: `{name}` must be an integer, got {value!r}."
        )
    return value


def _read_fixed_records(path: str, compression: str, record: int, header: int, footer: int):
    """Yields the records of one file, skipping its header and footer bytes."""

    from tork._backend.errors import InvalidArgumentError, NotFoundError
    from tork.ops import _tfrecord

    if not os.path.exists(path):
        raise NotFoundError(f"FixedLengthRecordDataset: {path}: No such file or directory.")

    def misfit(body: int):
        return InvalidArgumentError(
            f"Excluding the header ({header} bytes) and footer ({footer} bytes), input file "
            f'"{path}" has body length {body} bytes, which is not an exact multiple of the '
            f"record length ({record} bytes)."
        )

    if not compression:
        # As TensorFlow, an uncompressed file's size is checked before any record is read.
        body = max(os.path.getsize(path) - header - footer, 0)
        if body % record:
            raise misfit(body)
    stream = _tfrecord.open_for_reading(path, compression)
    try:
        pending = b""
        skip = header
        while True:
            chunk = stream.read(1 << 16)
            if skip:
                dropped = min(skip, len(chunk))
                chunk, skip = chunk[dropped:], skip - dropped
            if not chunk:
                break
            pending += chunk
            # Keep `footer` bytes back: they may be the file's last ones.
            usable = (max(len(pending) - footer, 0) // record) * record
            for start in range(0, usable, record):
                element = np.empty((), dtype=object)
                element[()] = pending[start : start + record]
                yield element.view(string_tensor.StringTensor)
            pending = pending[usable:]
        if len(pending) > footer:
            raise misfit(len(pending) - footer)
    finally:
        stream.close()


class FixedLengthRecordDataset(TFRecordDataset):
    """A dataset of the fixed-length records of one or more binary files.

    Each element is a scalar `tf.string` tensor of `record_bytes` bytes; decode it
    with `tf.io.decode_raw` in `map`. The first `header_bytes` and last
    `footer_bytes` of each file are skipped. Files are read lazily, one after the
    other, in the order given.

    Args:
        filenames: a file name, a list or 1-D string tensor of file names, or a
            `tf.data.Dataset` of file names.
        record_bytes: the length of each record, in bytes (> 0).
        header_bytes: bytes to skip at the start of each file (default 0).
        footer_bytes: bytes to ignore at the end of each file (default 0).
        buffer_size: unused (reads are buffered by Python's file objects).
        compression_type: None or "" (no compression), "GZIP" or "ZLIB".
        num_parallel_reads: as for `TFRecordDataset` (n > 1 interleaves n files).
        name: unused.

    Raises:
        InvalidArgumentError: `record_bytes` is not positive or a size is
            negative; (when iterating) a file's body (without header and footer)
            is not a whole number of records.
        NotFoundError: (when iterating) a file does not exist.

    Example:
    >>> ds = tf.data.FixedLengthRecordDataset("data_batch_1.bin", 3073)  # CIFAR-10
    >>> ds = ds.map(lambda r: tf.io.decode_raw(r, tf.uint8))
    """

    def __init__(
        self,
        filenames,
        record_bytes,
        header_bytes=None,
        footer_bytes=None,
        buffer_size=None,
        compression_type=None,
        num_parallel_reads=None,
        name: str | None = None,
    ):
        from tork._backend.errors import InvalidArgumentError

        super().__init__(filenames, compression_type, buffer_size, num_parallel_reads, name)
        self._record = _as_byte_count(record_bytes, "record_bytes", None)
        self._header = _as_byte_count(header_bytes, "header_bytes", 0)
        self._footer = _as_byte_count(footer_bytes, "footer_bytes", 0)
        if self._record <= 0:
            raise InvalidArgumentError(
                f"tf.data.FixedLengthRecordDataset: `record_bytes` must be > 0, got {self._record}."
            )
        if self._header < 0 or self._footer < 0:
            raise InvalidArgumentError(
                "tf.data.FixedLengthRecordDataset: `header_bytes` and `footer_bytes` must be "
                f">= 0, got {self._header} and {self._footer}."
            )

    def _read(self, path: str):
        return _read_fixed_records(
            path, self._compression, self._record, self._header, self._footer
        )
