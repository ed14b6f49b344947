"""Checkpoint files: TensorFlow's format, written and read; tork's older format, read.

A checkpoint at prefix `P` is `P.index` plus data file(s) `P.data-0000K-of-0000N`.

- tork writes TensorFlow's tensor bundle (`_tensor_bundle`, `_leveldb_table`) with
  TensorFlow's object graph (`_tf_saving`, `_object_graph_proto`): TensorFlow
  restores tork's checkpoints and tork restores TensorFlow's (`load_payload`
  converts the graph for `_restore`, `_tf_names` matches TensorFlow's names).
- tork's older format (still read; written by `write_checkpoint` when
  `WRITE_TF_FORMAT` is off): `P.data-00000-of-00001` is an 8-byte magic
  `TORKCKP1`, the CRC-32 of the payload (4 bytes), the payload length (8 bytes;
  both little endian), then the payload: a `torch.save` archive of plain dicts,
  lists, strings, numbers and tensors, read back with
  `torch.load(weights_only=True)`, so loading never runs pickled code; `P.index`
  is a small JSON marker written after the data file.

Either way every file is written to a temporary file and renamed into place (see
`tork.keras.saving._atomic`), data before index: a checkpoint exists once its
index exists (`tf.train.latest_checkpoint` looks for it), and an interrupted save
leaves the previous files as they were. Every value is checksummed, so a
truncation or bit flip is a clear error naming the file (and, in TensorFlow's
format, the damaged tensor).
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
# Checkpoints are written in TensorFlow's format (`_tf_saving`); tork's own older
# format (`write_checkpoint`) is still read.
WRITE_TF_FORMAT = True
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


def is_tf_bundle(prefix: str) -> bool:
    """Whether the checkpoint `prefix` is TensorFlow's tensor bundle (its `.index` is a table)."""
    from tork.train._tensor_bundle import is_bundle_index

    return is_bundle_index(index_path(prefix))


def is_checkpoint_index(path: str) -> bool:
    """Whether `path` is the `.index` file of a checkpoint tork reads (its own or TF's)."""
    from tork.train._tensor_bundle import is_bundle_index

    return _is_json_marker(path) or is_bundle_index(path)


def _is_json_marker(path: str) -> bool:
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
    if is_tf_bundle(prefix):
        from tork.train._tensor_bundle import BundleReader

        missing = BundleReader(prefix).missing_shards()
        if missing:
            raise NotFoundError(
                f"The checkpoint {prefix!r} is missing its data file(s) {', '.join(missing)}; "
                f"only {index_path(prefix)} and the other shards exist. Copy every .data-* "
                "file along with the .index file."
            )
        return prefix
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
        f"{prefix!r} is not a checkpoint: its .index file is neither TensorFlow's tensor "
        "bundle index nor tork's marker, so its data files cannot be read."
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
            if not _is_json_marker(index_path(prefix)):
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


class _BundleTensors:
    """The tensors of a TensorFlow bundle, read (and checksummed) one at a time on demand."""

    def __init__(self, reader):
        self._reader = reader
        self._done: set = set()

    def __contains__(self, key) -> bool:
        return key in self._reader.entries and key not in self._done

    def get(self, key, default=None):
        return self._reader.get(key) if key in self else default

    def pop(self, key, default=None):
        value = self.get(key, default)
        self._done.add(key)
        return value


class _TorchStates(_BundleTensors):
    """Torch optimizers' `state_dict()`s stored as `torch.save` bytes, loaded on demand."""

    def get(self, key, default=None):
        if key not in self:
            return default
        data = self._reader.get(key).item()
        return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)


def load_payload(prefix: str) -> dict:
    """What `_restore.Restoration` restores from the checkpoint `prefix`, in either format.

    tork's own format gives its payload (`read_checkpoint`); TensorFlow's tensor bundle
    gives its object graph converted by `_tf_names.restoration_nodes`, with
    `naming: "tf"` (edges are TensorFlow's names) and tensors read on demand.

    Raises:
        ValueError: for a TensorFlow 1 name-based checkpoint (no object graph).
    """
    if not is_tf_bundle(prefix):
        return read_checkpoint(prefix)
    from tork.train import _object_graph_proto, _tf_names
    from tork.train._tensor_bundle import BundleReader

    with _object_graph_proto.no_gc():
        reader = BundleReader(prefix)
    if _object_graph_proto.GRAPH_KEY not in reader.entries:
        names = sorted(reader.entries)
        shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
        raise ValueError(
            f"The checkpoint {prefix!r} is a name-based (TensorFlow 1 `Saver`) checkpoint: it "
            f"holds variables by name ({shown}) and no object graph, so it cannot be restored "
            "into objects. Read its values with tf.train.load_checkpoint(path).get_tensor(name) "
            "and assign them (tork has no tf.compat.v1.train.Saver)."
        )
    graph = reader.get(_object_graph_proto.GRAPH_KEY).item()
    try:
        with _object_graph_proto.no_gc():
            nodes = _object_graph_proto.parse(graph)
            converted = _tf_names.restoration_nodes(nodes, reader.entries)
    except ValueError as error:
        raise DataLossError(
            f"The checkpoint {prefix!r} has an unreadable object graph ({error})."
        ) from None
    return {
        "naming": "tf",
        "graph": {"nodes": converted},
        "tensors": _BundleTensors(reader),
        "torch_optimizers": _TorchStates(reader),
    }


def delete_checkpoint(prefix: str) -> None:
    """Deletes the files of checkpoint `prefix`, index first (then it no longer counts)."""
    paths = [index_path(prefix), *glob.glob(glob.escape(prefix) + ".data-?????-of-?????")]
    for path in paths:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
