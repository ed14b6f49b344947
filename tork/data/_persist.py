"""`Dataset.random`, `Dataset.save`, `Dataset.load` and `Dataset.snapshot`.

Saved datasets use tork's own format, which TensorFlow cannot read (nor can tork
read TensorFlow's): a directory holding `tork_dataset.json` (the element spec,
the number of elements, the shard files and their compression) and shard files
`shard-00000.tork`, ... Each shard (optionally GZIP/ZLIB compressed) is a
sequence of records, one per element: a little-endian uint64 length and uint32
CRC-32 (zlib's) of the payload, then the payload: the element's components in
`tf.nest` order, each a small header (kind, dtype, shape) followed by the raw
bytes. Nothing is unpickled when loading.
"""

from __future__ import annotations

import functools
import json
import math
import os
import struct
import zlib
from collections.abc import Mapping

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import DataLossError, InvalidArgumentError, NotFoundError
from tork._backend.ragged_tensor import RaggedTensor, RaggedTensorSpec
from tork._backend.tensor_shape import TensorShape
from tork.data import _structure as nest
from tork.data._shuffle import SeedState
from tork.data.dataset import INFINITE_CARDINALITY, Dataset, _as_int
from tork.data.tensor_spec import DatasetSpec, TensorSpec

_METADATA = "tork_dataset.json"
_FORMAT = "tork-dataset-1"

# --- Dataset.random -----------------------------------------------------------


class _RandomDataset(Dataset):
    """Infinite int64 scalars drawn uniformly from [0, 2**32), as TensorFlow's range."""

    _BLOCK = 1024

    def __init__(self, seed, rerandomize_each_iteration):
        super().__init__()
        if seed is not None:
            seed = _as_int(seed, "seed", "Dataset.random")
        self._seed = SeedState(seed, bool(rerandomize_each_iteration))

    def _generic(self):
        generator = self._seed.next_generator()
        device = current_device()
        while True:
            # Drawn in blocks on the CPU: one torch call per element would dominate.
            block = torch.randint(0, 2**32, (self._BLOCK,), generator=generator)
            yield from block.to(device).unbind()

    def _spec(self):
        return TensorSpec((), torch.int64)

    def _cardinality(self) -> int:
        return INFINITE_CARDINALITY


# --- element specs as JSON ------------------------------------------------------


def _spec_to_json(spec, where: str):
    if isinstance(spec, RaggedTensorSpec):
        dims = None if spec.shape.rank is None else list(spec.shape.as_list())
        return {
            "kind": "ragged",
            "shape": dims,
            "dtype": dtype_name(spec.dtype),
            "ragged_rank": spec.ragged_rank,
            "row_splits_dtype": dtype_name(spec.row_splits_dtype),
        }
    if isinstance(spec, TensorSpec):
        dims = None if spec.shape.rank is None else list(spec.shape.as_list())
        return {"kind": "tensor", "shape": dims, "dtype": dtype_name(spec.dtype), "name": spec.name}
    if isinstance(spec, tuple) and hasattr(spec, "_fields"):
        raise TypeError(
            f"{where}: elements that are namedtuples cannot be saved yet; map them to "
            "tuples or dicts first."
        )
    if isinstance(spec, tuple):
        return {"kind": "tuple", "items": [_spec_to_json(s, where) for s in spec]}
    if isinstance(spec, Mapping):
        keys = list(spec)
        if not all(isinstance(k, str) for k in keys):
            raise TypeError(f"{where}: dict elements need string keys to be saved, got {keys!r}.")
        return {
            "kind": "dict",
            "keys": keys,
            "items": [_spec_to_json(spec[k], where) for k in keys],
        }
    raise TypeError(
        f"{where}: cannot save elements described by {type(spec).__name__} "
        f"({spec!r:.100}); tork saves tensors, string tensors, RaggedTensors and "
        "tuples/dicts of them."
    )


def _spec_from_json(data):
    kind = data["kind"]
    if kind == "tensor":
        dims = data["shape"]
        return TensorSpec(TensorShape(dims), as_dtype(data["dtype"]), data.get("name"))
    if kind == "ragged":
        return RaggedTensorSpec(
            TensorShape(data["shape"]),
            as_dtype(data["dtype"]),
            data["ragged_rank"],
            as_dtype(data["row_splits_dtype"]),
        )
    if kind == "tuple":
        return tuple(_spec_from_json(s) for s in data["items"])
    return {k: _spec_from_json(s) for k, s in zip(data["keys"], data["items"])}


# --- elements as bytes ------------------------------------------------------------

_HEADER = struct.Struct("<cB")  # kind (b"n" numbers, b"s" strings), rank


def _encode_component(value) -> bytes:
    if isinstance(value, string_tensor.StringTensor) or (
        isinstance(value, np.ndarray) and value.dtype.kind == "O"
    ):
        array = np.asarray(value, dtype=object)
        items = [bytes(b) for b in array.reshape(-1)]
        lengths = np.array([len(b) for b in items], dtype="<i8")
        head = _HEADER.pack(b"s", array.ndim) + struct.pack(f"<{array.ndim}q", *array.shape)
        return head + lengths.tobytes() + b"".join(items)
    tensor = value if isinstance(value, torch.Tensor) else torch.as_tensor(value)
    tensor = tensor.detach().cpu().contiguous()
    name = dtype_name(tensor.dtype).encode("ascii")
    head = _HEADER.pack(b"n", tensor.dim()) + struct.pack(f"<{tensor.dim()}q", *tensor.shape)
    if not tensor.numel():
        raw = b""
    elif tensor.dtype == torch.bfloat16:  # NumPy has no bfloat16: go through its bytes
        raw = tensor.reshape(-1).view(torch.uint8).numpy().tobytes()
    else:
        raw = tensor.numpy().tobytes()
    return head + struct.pack("<B", len(name)) + name + raw


@functools.cache
def _dtype_named(name: bytes) -> torch.dtype:
    return as_dtype(name.decode("ascii"))


def _decode_components(data: bytes, count: int, device) -> list:
    out = []
    offset = 0
    for _ in range(count):
        kind, rank = _HEADER.unpack_from(data, offset)
        offset += _HEADER.size
        shape = struct.unpack_from(f"<{rank}q", data, offset)
        offset += 8 * rank
        size = math.prod(shape)
        if kind == b"s":
            lengths = np.frombuffer(data, dtype="<i8", count=size, offset=offset)
            offset += 8 * size
            items = []
            for n in lengths.tolist():
                items.append(data[offset : offset + n])
                offset += n
            flat = np.empty(size, dtype=object)
            flat[:] = items
            out.append(flat.reshape(shape).view(string_tensor.StringTensor))
            continue
        (length,) = struct.unpack_from("<B", data, offset)
        dtype = _dtype_named(data[offset + 1 : offset + 1 + length])
        offset += 1 + length
        nbytes = size * dtype.itemsize
        if nbytes:
            raw = torch.frombuffer(bytearray(data[offset : offset + nbytes]), dtype=torch.uint8)
            tensor = raw.view(dtype).reshape(shape)
        else:
            tensor = torch.empty(shape, dtype=dtype)
        offset += nbytes
        out.append(tensor.to(device))
    if offset != len(data):
        raise DataLossError("Dataset.load: a record has trailing bytes; the file is corrupt.")
    return out


def _ragged_levels(spec) -> int:
    """How many row-splits vectors a component of this spec is saved with."""
    return spec.ragged_rank if isinstance(spec, RaggedTensorSpec) else 0


def _components(element) -> list:
    """The saved components: a RaggedTensor as its flat values and nested row splits."""
    out = []
    for leaf in nest.flatten(element):
        if isinstance(leaf, RaggedTensor):
            out.append(leaf.flat_values)
            out.extend(leaf.nested_row_splits)
        else:
            out.append(leaf)
    return out


def _rebuild(leaves: list, parts: list) -> list:
    """The element's leaves from the saved components (see `_components`)."""
    out = []
    index = 0
    for spec in leaves:
        levels = _ragged_levels(spec)
        if levels:
            values, splits = parts[index], parts[index + 1 : index + 1 + levels]
            out.append(RaggedTensor.from_nested_row_splits(values, splits, validate=False))
        else:
            out.append(parts[index])
        index += levels + 1
    return out


# --- records ----------------------------------------------------------------------

_FRAME = struct.Struct("<QI")  # payload length, CRC-32 of the payload


def _frame(payload: bytes) -> bytes:
    return _FRAME.pack(len(payload), zlib.crc32(payload)) + payload


def _read_frames(path: str, compression: str):
    """Yields the payloads of one shard file, checking their lengths and checksums."""
    from tork.ops import _tfrecord

    if not os.path.exists(path):
        raise NotFoundError(f"Dataset.load: {path}: No such file or directory.")
    stream = _tfrecord.open_for_reading(path, compression)
    try:
        while True:
            header = stream.read(_FRAME.size)
            if not header:
                return
            if len(header) < _FRAME.size:
                raise DataLossError(f"Dataset.load: {path} is truncated.")
            length, crc = _FRAME.unpack(header)
            payload = stream.read(length)
            if len(payload) < length:
                raise DataLossError(f"Dataset.load: {path} is truncated.")
            if zlib.crc32(payload) != crc:
                raise DataLossError(f"Dataset.load: {path} is corrupt (checksum mismatch).")
            yield payload
    finally:
        stream.close()


# --- save -----------------------------------------------------------------------


def _compression(compression, where: str, allow_auto: bool = False) -> str:
    from tork.ops import _tfrecord

    if allow_auto and isinstance(compression, str) and compression.upper() == "AUTO":
        return ""
    return _tfrecord.compression_name(compression, where)


def _shard_name(index: int) -> str:
    return f"shard-{index:05d}.tork"


def _clear(path: str) -> None:
    """Removes what an earlier save left in `path` (only tork's own files)."""
    for name in os.listdir(path):
        if name == _METADATA or (name.startswith("shard-") and name.endswith(".tork")):
            os.remove(os.path.join(path, name))


class _Writer:
    """Writes the elements of one dataset into `path`, shard by shard."""

    def __init__(self, path: str, spec, compression: str, shard_func, where: str):
        from tork.ops import _tfrecord

        self._tfrecord = _tfrecord
        self._path = path
        self._spec_json = _spec_to_json(spec, where)
        self._compression = compression
        self._shard_func = shard_func
        self._where = where
        self._files: dict[int, object] = {}
        self._count = 0
        os.makedirs(path, exist_ok=True)
        _clear(path)

    def _shard_of(self, element) -> int:
        if self._shard_func is None:
            return 0
        index = nest.call(self._shard_func, element)
        if isinstance(index, torch.Tensor):
            if index.numel() != 1 or index.is_floating_point():
                raise InvalidArgumentError(
                    f"{self._where}: `shard_func` must return an int64 scalar, got a tensor of "
                    f"shape {tuple(index.shape)} and dtype {dtype_name(index.dtype)}."
                )
            index = index.item()
        index = _as_int(index, "shard_func result", self._where)
        if index < 0:
            raise InvalidArgumentError(
                f"{self._where}: `shard_func` returned {index}; shard indices must be >= 0."
            )
        return index

    def write(self, element) -> None:
        shard = self._shard_of(element)
        stream = self._files.get(shard)
        if stream is None:
            stream = self._tfrecord.open_for_writing(
                os.path.join(self._path, _shard_name(shard)), self._compression, None
            )
            self._files[shard] = stream
        payload = b"".join(_encode_component(c) for c in _components(element))
        stream.write(_frame(payload))
        self._count += 1

    def close(self, complete: bool = True) -> None:
        for stream in self._files.values():
            stream.close()
        if not complete:
            return
        # Written last, so a directory without it holds no complete dataset.
        metadata = {
            "format": _FORMAT,
            "element_spec": self._spec_json,
            "cardinality": self._count,
            "compression": self._compression,
            "shards": [_shard_name(i) for i in sorted(self._files)],
        }
        with open(os.path.join(self._path, _METADATA), "w", encoding="utf-8") as f:
            json.dump(metadata, f)


def save(dataset: Dataset, path, compression=None, shard_func=None, checkpoint_args=None):
    where = "Dataset.save"
    path = os.fspath(path)
    compression = _compression(compression, where)
    writer = _Writer(path, dataset.element_spec, compression, shard_func, where)
    complete = False
    try:
        for element in dataset._elements():
            writer.write(element)
        complete = True
    finally:
        writer.close(complete)


# --- load -----------------------------------------------------------------------


def read_metadata(path: str, where: str) -> dict | None:
    file = os.path.join(path, _METADATA)
    if not os.path.exists(file):
        return None
    with open(file, encoding="utf-8") as f:
        metadata = json.load(f)
    if metadata.get("format") != _FORMAT:
        raise DataLossError(f"{where}: {file} is not a dataset saved by tork.")
    return metadata


class _ShardDataset(Dataset):
    """The elements of one shard file."""

    def __init__(self, path: str, compression: str, spec):
        super().__init__()
        self._path = path
        self._compression = compression
        self._element_spec = spec

    def _generic(self):
        leaves = nest.flatten(self._element_spec)
        count = sum(_ragged_levels(leaf) + 1 for leaf in leaves)
        device = current_device()
        for record in _read_frames(self._path, self._compression):
            parts = _decode_components(record, count, device)
            yield nest.pack(self._element_spec, _rebuild(leaves, parts))

    def _spec(self):
        return self._element_spec


class _ShardsDataset(Dataset):
    """A dataset whose elements are the shard datasets, for a `reader_func`."""

    def __init__(self, shards: list):
        super().__init__()
        self._shards = shards

    def _generic(self):
        yield from self._shards

    def _spec(self):
        return DatasetSpec(self._shards[0].element_spec if self._shards else TensorSpec(None))

    def _cardinality(self) -> int:
        return len(self._shards)


class _LoadDataset(Dataset):
    def __init__(self, path: str, element_spec, reader_func, where: str = "Dataset.load"):
        super().__init__()
        metadata = read_metadata(path, where)
        if metadata is None:
            if os.path.exists(os.path.join(path, "dataset_spec.pb")):
                # TF's snapshot format (protobuf specs, TF-serialized tensors): not tork's.
                raise NotFoundError(
                    f"{where}: {path} holds a dataset saved by TensorFlow (dataset_spec.pb), "
                    "which tork cannot read; tork loads datasets saved by tork's "
                    f"dataset.save (its {_METADATA} file). Re-save the data with tork, or write "
                    "it as TFRecord files (tf.io.TFRecordWriter), which both read."
                )
            raise NotFoundError(
                f"{where}: no saved dataset at {path} (its {_METADATA} file is missing); write "
                "one with dataset.save(path)."
            )
        saved_spec = _spec_from_json(metadata["element_spec"])
        if element_spec is not None and not nest.same_structure(element_spec, saved_spec):
            raise ValueError(
                f"{where}: `element_spec` {element_spec!r} does not have the structure of the "
                f"saved elements, {saved_spec!r}."
            )
        spec = saved_spec if element_spec is None else element_spec
        self._element_spec = spec
        self._count = int(metadata["cardinality"])
        self._shards = [
            _ShardDataset(os.path.join(path, name), metadata["compression"], spec)
            for name in metadata["shards"]
        ]
        self._reader_func = reader_func

    def _generic(self):
        if self._reader_func is None:
            yield from self._default_order()
            return
        result = self._reader_func(_ShardsDataset(self._shards))
        if not isinstance(result, Dataset):
            raise TypeError(
                "Dataset.load: `reader_func` must return a tf.data.Dataset, got "
                f"{type(result).__name__}."
            )
        yield from result._elements()

    def _default_order(self):
        """TF's default reader: the shards (by index) interleaved one element at a time,
        `os.cpu_count()` of them at once, so a `shard_func` save loads in TF's order."""
        shards = _ShardsDataset(self._shards)
        yield from shards.interleave(
            lambda shard: shard, cycle_length=os.cpu_count() or 1
        )._elements()

    def _spec(self):
        return self._element_spec

    def _cardinality(self) -> int:
        return self._count


def load(path, element_spec=None, compression=None, reader_func=None) -> Dataset:
    where = "Dataset.load"
    # The compression recorded by `save` is used; this only checks the argument.
    _compression(compression, where)
    return _LoadDataset(os.fspath(path), element_spec, reader_func, where)


# --- snapshot ---------------------------------------------------------------------


class _SnapshotDataset(Dataset):
    def __init__(self, input_dataset, path, compression, reader_func, shard_func):
        super().__init__((input_dataset,))
        self._input = input_dataset
        self._path = os.fspath(path)
        self._compression = _compression(compression, "Dataset.snapshot", allow_auto=True)
        self._reader_func = reader_func
        self._shard_func = shard_func

    def _generic(self):
        if read_metadata(self._path, "Dataset.snapshot") is not None:
            yield from _LoadDataset(
                self._path, self.element_spec, self._reader_func, "Dataset.snapshot"
            )._elements()
            return
        writer = _Writer(
            self._path, self.element_spec, self._compression, self._shard_func, "Dataset.snapshot"
        )
        complete = False
        try:
            for element in self._input._elements():
                writer.write(element)
                yield element
            complete = True
        finally:
            # An interrupted first pass leaves no snapshot: the next one writes again.
            writer.close(complete)

    def _spec(self):
        return self._input.element_spec

    def _cardinality(self) -> int:
        return self._input._cardinality()


def make_snapshot(dataset, path, compression, reader_func, shard_func) -> Dataset:
    return _SnapshotDataset(dataset, path, compression, reader_func, shard_func)
