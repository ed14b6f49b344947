"""tork's checkpoint files: TensorFlow's file names, a safe self-checking content.

A checkpoint at prefix `P` is two files, named as TensorFlow names them:

- `P.data-00000-of-00001` holds everything: the object graph and the tensors.
  It is an 8-byte magic `TORKCKP1`, the CRC-32 of the payload (4 bytes), the
  payload length (8 bytes; both little endian), then the payload: a `torch.save`
  archive of plain dicts, lists, strings, numbers and tensors, which is read
  back with `torch.load(weights_only=True)`, so loading never runs pickled
  code. The checksum turns any truncation or bit flip into a clear error.
- `P.index` is a small JSON marker written after the data file. A checkpoint
  exists once its index exists; `tf.train.latest_checkpoint` looks for it.

Both are written to a temporary file and renamed into place (see
`tork.keras.saving._atomic`), so an interrupted save leaves the previous files
as they were. The data file is self-contained, so even overwriting the same
prefix is atomic.
"""

from __future__ import annotations

import glob
import io
import json
import os
import struct
import zlib

import torch

from tork._backend.errors import DataLossError, NotFoundError
from tork.keras.saving._atomic import atomic_path, atomic_write

FORMAT = "tork-checkpoint"
VERSION = 1
_MAGIC = b"TORKCKP1"
_HEADER = struct.Struct("<8sIQ")
_CHUNK = 1 << 24
DATA_SUFFIX = ".data-00000-of-00001"
INDEX_SUFFIX = ".index"


def data_path(prefix: str) -> str:
    return prefix + DATA_SUFFIX


def index_path(prefix: str) -> str:
    return prefix + INDEX_SUFFIX


class _ChecksumWriter:
    """A write-only file wrapper that checksums and counts what passes through."""

    def __init__(self, file):
        self._file = file
        self.crc = 0
        self.size = 0

    def write(self, data) -> int:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        return self._file.write(data)

    def flush(self) -> None:
        self._file.flush()


def write_checkpoint(prefix: str, payload: dict) -> None:
    """Writes `payload` as the checkpoint `prefix` (data file, then index), atomically.

    Args:
        prefix: the checkpoint prefix, e.g. `/tmp/ckpt/ckpt-3`.
        payload: a dict of plain containers, strings, numbers and tensors.
    """
    with atomic_path(data_path(prefix)) as tmp:
        with open(tmp, "wb") as f:
            f.write(_HEADER.pack(_MAGIC, 0, 0))
            writer = _ChecksumWriter(f)
            torch.save(payload, writer)
            f.seek(0)
            f.write(_HEADER.pack(_MAGIC, writer.crc, writer.size))
    marker = {"format": FORMAT, "version": VERSION, "data": os.path.basename(data_path(prefix))}
    atomic_write(index_path(prefix), json.dumps(marker) + "\n")


def _is_tork_index(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
        return json.loads(head.decode("utf-8")).get("format") == FORMAT
    except (OSError, ValueError, AttributeError):
        return False


def _listing(directory: str) -> str:
    found = sorted(
        p[: -len(INDEX_SUFFIX)]
        for p in os.listdir(directory or ".")
        if p.endswith(INDEX_SUFFIX) and not p.startswith(".")
    )
    if not found:
        return f"The directory {directory or '.'!r} holds no checkpoint."
    shown = ", ".join(found[:10]) + (", ..." if len(found) > 10 else "")
    return f"Checkpoints in {directory or '.'!r}: {shown}."


def resolve_prefix(save_path) -> str:
    """Checks that a checkpoint exists at `save_path` and returns its prefix.

    A path to the `.index` or data file itself is accepted too.

    Raises:
        NotFoundError: naming what is missing and what the directory holds.
    """
    prefix = os.fspath(save_path)
    for suffix in (INDEX_SUFFIX, DATA_SUFFIX):
        if prefix.endswith(suffix) and os.path.isfile(prefix):
            prefix = prefix[: -len(suffix)]
            break
    # A directory is a prefix when its checkpoint is there: 'ckpt' beside 'ckpt.index', or
    # 'ckpt/' (TF's prefix of 'ckpt/.index', what `save_weights('ckpt/')` writes).
    if os.path.isdir(prefix) and not os.path.exists(index_path(prefix)):
        from tork.train.checkpoint_management import latest_checkpoint

        latest = latest_checkpoint(prefix)
        hint = f" The latest checkpoint there is {latest!r}." if latest else " " + _listing(prefix)
        raise NotFoundError(
            f"{prefix!r} is a directory, not a checkpoint. Pass a checkpoint prefix such as "
            f"tf.train.latest_checkpoint({prefix!r}).{hint}"
        )
    directory = os.path.dirname(prefix)
    if not os.path.exists(index_path(prefix)):
        if os.path.exists(data_path(prefix)):
            raise NotFoundError(
                f"The checkpoint {prefix!r} is incomplete: {data_path(prefix)} exists but "
                f"{index_path(prefix)} does not (the save was interrupted). Restore an "
                "earlier checkpoint, e.g. tf.train.latest_checkpoint(directory)."
            )
        listing = (
            _listing(directory)
            if os.path.isdir(directory or ".")
            else f"The directory {directory!r} does not exist."
        )
        raise NotFoundError(
            f"Failed to find any matching files for {prefix}: there is no {index_path(prefix)}. "
            f"Pass the prefix that save() returned (e.g. 'ckpt-3'). {listing}"
        )
    if not os.path.exists(data_path(prefix)):
        shards = glob.glob(glob.escape(prefix) + ".data-*")
        if shards:
            raise _foreign(prefix)
        raise NotFoundError(
            f"The checkpoint {prefix!r} is missing its data file {data_path(prefix)}; only "
            f"{index_path(prefix)} exists. Restore an earlier checkpoint."
        )
    return prefix


def _foreign(prefix: str) -> ValueError:
    return ValueError(
        f"{prefix!r} is not a checkpoint written by tork (TensorFlow writes its own binary "
        "format, which tork cannot read). In TensorFlow, restore it and save the weights with "
        "model.save_weights('model.weights.h5'), which tork loads."
    )


class _Offset(io.RawIOBase):
    """A read-only view of a file from `offset` on: torch.load reads the payload in place."""

    def __init__(self, file, offset: int):
        super().__init__()
        self._file, self._offset = file, offset
        file.seek(offset)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._file.readinto(buffer)

    def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    def seek(self, position: int, whence: int = 0) -> int:
        if whence == 0:
            position += self._offset
        return self._file.seek(position, whence) - self._offset

    def tell(self) -> int:
        return self._file.tell() - self._offset


def read_checkpoint(prefix: str) -> dict:
    """Reads and verifies the payload of the checkpoint `prefix` (checked by `resolve_prefix`).

    Raises:
        DataLossError: if the data file is truncated or corrupt.
        ValueError: if the files are not a tork checkpoint (e.g. TensorFlow's).
    """
    path = data_path(prefix)
    with open(path, "rb") as f:
        header = f.read(_HEADER.size)
        if len(header) < _HEADER.size or not header.startswith(_MAGIC):
            if not _is_tork_index(index_path(prefix)):
                raise _foreign(prefix)
            raise DataLossError(
                f"The checkpoint data file {path} is corrupt: it does not start with tork's "
                "checkpoint header (it was truncated or overwritten). Restore an earlier "
                "checkpoint."
            )
        _, crc, size = _HEADER.unpack(header)
        found, actual = 0, 0
        while chunk := f.read(_CHUNK):
            found = zlib.crc32(chunk, found)
            actual += len(chunk)
        if actual != size:
            raise DataLossError(
                f"The checkpoint data file {path} is truncated: it holds {actual} of its "
                f"{size} payload bytes. Restore an earlier checkpoint."
            )
        if found != crc:
            raise DataLossError(
                f"The checkpoint data file {path} is corrupt: its checksum does not match its "
                "content (the file was damaged after it was written). Restore an earlier "
                "checkpoint."
            )
        try:
            payload = torch.load(_Offset(f, _HEADER.size), map_location="cpu", weights_only=True)
        except Exception as error:  # noqa: BLE001 - any failure here means a bad file
            raise DataLossError(
                f"The checkpoint data file {path} cannot be read: {error}"
            ) from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise DataLossError(f"The checkpoint data file {path} does not hold a tork checkpoint.")
    if payload.get("version", 0) > VERSION:
        raise ValueError(
            f"The checkpoint {prefix!r} was written by a newer tork (format version "
            f"{payload.get('version')}; this tork reads up to {VERSION}). Upgrade tork."
        )
    try:
        payload["graph"] = json.loads(payload["graph"])
        payload["graph"]["nodes"]  # noqa: B018 - validates the structure
    except (KeyError, TypeError, ValueError) as error:
        raise DataLossError(
            f"The checkpoint data file {path} has an unreadable object graph ({error})."
        ) from None
    return payload


def delete_checkpoint(prefix: str) -> None:
    """Deletes the files of checkpoint `prefix`, index first (then it no longer counts)."""
    paths = [index_path(prefix), *glob.glob(glob.escape(prefix) + ".data-?????-of-?????")]
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
