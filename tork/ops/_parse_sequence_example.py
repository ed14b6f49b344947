"""`tf.io.parse_single_sequence_example` / `parse_sequence_example`: serialized
`tf.train.SequenceExample`s into tensors.

The context features parse as `tf.io.parse_single_example` / `parse_example` parse
an Example's features. Each feature list holds one `tf.train.Feature` per step: a
`VarLenFeature` becomes a `tf.SparseTensor` of dense shape `(steps, longest
step)`, a `FixedLenSequenceFeature` a dense `(steps, *shape)` tensor and a
`RaggedFeature` a `(steps, None)` RaggedTensor. The batched version adds a leading
batch dimension (the steps padded to the longest example).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from tork._backend.errors import InvalidArgumentError
from tork.ops._parse_example import (
    _DATA_TYPE,
    _KIND_OF,
    FixedLenSequenceFeature,
    RaggedFeature,
    VarLenFeature,
    _dtype_key,
    _serialized_list,
    _shape,
    _to_tensor,
    _uniform_rows,
    _values,
    _VarLen,
    parse_example,
    parse_single_example,
)

_WHERE = "tf.io.parse_single_sequence_example"
_BATCH_WHERE = "tf.io.parse_sequence_example"


def _step_values(steps: list, name: str, key: str, where: str = _WHERE) -> list:
    """Each step's values as a NumPy array, checking the feature's value type."""
    wanted = _KIND_OF[key]
    out = []
    for i, feature in enumerate(steps):
        kind = feature.WhichOneof("kind")
        if kind is None:  # an empty Feature: a step without values
            out.append(np.empty(0, dtype=object if key == "string" else key))
            continue
        if kind != wanted:
            raise InvalidArgumentError(
                f"{where}: step {i} of feature list '{name}' holds {_DATA_TYPE[kind]} values "
                f"({kind}) but the feature spec asks for {_DATA_TYPE[wanted]}."
            )
        out.append(_values(feature, kind))
    return out


def _fixed_steps(values: list, name: str, spec, key: str, where: str = _WHERE):
    shape = _shape(spec.shape, f"{where} (feature list '{name}')")
    size = math.prod(shape)
    for i, v in enumerate(values):
        if v.size != size:
            raise InvalidArgumentError(
                f"{where}: step {i} of feature list '{name}' has {v.size} values but its "
                f"FixedLenSequenceFeature shape {list(shape)} needs {size}. Use "
                "tf.io.VarLenFeature for a varying number of values per step."
            )
    if not values:
        return np.empty((0, *shape), dtype=object if key == "string" else key)
    return np.stack([v.reshape(shape) for v in values])


def parse_single_sequence_example(
    serialized,
    context_features: dict | None = None,
    sequence_features: dict | None = None,
    example_name=None,
    name: str | None = None,
):
    """Parses one serialized `tf.train.SequenceExample`.

    Args:
        serialized: a scalar string tensor (or bytes) holding a serialized
            `tf.train.SequenceExample`.
        context_features: a dict from names to `tf.io.FixedLenFeature` /
            `VarLenFeature` for the context (parsed as `parse_single_example` does).
        sequence_features: a dict from names to `tf.io.VarLenFeature` or
            `tf.io.FixedLenSequenceFeature` for the feature lists.
        example_name: unused.
        name: unused.

    Returns:
        A tuple `(context, sequences)` of dicts of tensors. A `VarLenFeature`
        list is a `tf.SparseTensor` of dense shape `(steps, longest step)`; a
        `FixedLenSequenceFeature` list a `(steps, *shape)` tensor.

    Raises:
        InvalidArgumentError: a required feature list is missing, a step has the
            wrong number or type of values, or the bytes cannot be parsed.

    Example:
    >>> context, lists = tf.io.parse_single_sequence_example(
    ...     seq.SerializeToString(),
    ...     {"id": tf.io.FixedLenFeature([], tf.int64)},
    ...     {"words": tf.io.VarLenFeature(tf.string)})
    >>> tf.RaggedTensor.from_sparse(lists["words"])
    """
    del example_name, name
    flat, shape = _serialized_list(serialized, _WHERE)
    if shape != ():
        raise ValueError(
            f"{_WHERE}: `serialized` must be a scalar (one SequenceExample), got shape {shape}. "
            "Use tf.io.parse_sequence_example for a batch."
        )
    context, sequences, _ = _parse_one(flat[0], context_features, sequence_features, _WHERE)
    return context, sequences


def _decode(data: bytes, where: str):
    from tork.train.example import DecodeError, SequenceExample

    try:
        return SequenceExample.FromString(data)
    except (DecodeError, UnicodeDecodeError) as err:
        raise InvalidArgumentError(
            f"{where}: could not parse the bytes as a tf.train.SequenceExample ({err})."
        ) from None


def _context_bytes(seq) -> bytes:
    from tork.train.example import Example

    return Example(features=seq.context).SerializeToString()


def _checked_key(feature_name: str, spec, where: str) -> str:
    if not isinstance(spec, (VarLenFeature, FixedLenSequenceFeature, RaggedFeature)):
        raise TypeError(
            f"{where}: the spec of feature list '{feature_name}' must be a tf.io.VarLenFeature, "
            f"FixedLenSequenceFeature or RaggedFeature, got {type(spec).__name__}."
        )
    return _dtype_key(spec.dtype, f"{where} (feature list '{feature_name}')")


def _steps_of(seq, feature_name: str, spec, key: str, where: str) -> list:
    """The feature list's per-step value arrays (no steps when it is missing and allowed)."""
    list_name = feature_name
    if isinstance(spec, RaggedFeature) and spec.value_key is not None:
        list_name = spec.value_key
    listed = seq.feature_lists.feature_list.get(list_name)
    if listed is None and isinstance(spec, FixedLenSequenceFeature) and not spec.allow_missing:
        raise InvalidArgumentError(
            f"{where}: feature list '{feature_name}' is required but could not be "
            "found. Pass allow_missing=True to its FixedLenSequenceFeature to allow that."
        )
    return _step_values(
        list(listed.feature) if listed is not None else [], feature_name, key, where
    )


def _ragged_values(steps: list, feature_name: str, spec, key: str, where: str):
    """A RaggedFeature list's values and per-step row lengths (UniformRowLength partitions
    cut each step's values into fixed-length rows, as TF)."""
    lengths = [v.size for v in steps]
    empty = np.empty(0, dtype=object if key == "string" else key)
    values = _to_tensor(np.concatenate([empty, *[v.reshape(-1) for v in steps]]), key)
    for partition in spec.partitions:
        if type(partition).__name__ != "UniformRowLength":
            raise NotImplementedError(
                f"{where}: tork supports only RaggedFeature.UniformRowLength partitions in "
                f"feature lists, got {partition!r} for '{feature_name}'. Parse the feature list "
                "without partitions and build the rows with tf.RaggedTensor.from_* methods."
            )
        for i, n in enumerate(lengths):
            if n % partition.length:
                raise InvalidArgumentError(
                    f"{where}: step {i} of feature list '{feature_name}' has {n} values, which "
                    f"UniformRowLength({partition.length}) cannot cut into whole rows."
                )
        lengths = [n // partition.length for n in lengths]
        values = _uniform_rows(values, partition.length, feature_name, where)
    return values, lengths


def _parse_one(data: bytes, context_features, sequence_features, where: str):
    """One SequenceExample: (context, feature lists, FixedLenSequenceFeature step counts)."""
    from tork._backend.ragged_tensor import RaggedTensor

    seq = _decode(data, where)
    context = {}
    if context_features:
        context = parse_single_example(_context_bytes(seq), context_features)
    sequences, lengths = {}, {}
    for feature_name, spec in (sequence_features or {}).items():
        key = _checked_key(feature_name, spec, where)
        steps = _steps_of(seq, feature_name, spec, key, where)
        if isinstance(spec, VarLenFeature):
            sequences[feature_name] = _VarLen(steps, key).sparse(batched=True)
        elif isinstance(spec, RaggedFeature):
            values, rows = _ragged_values(steps, feature_name, spec, key, where)
            ragged = RaggedTensor.from_row_lengths(values, torch.tensor(rows, dtype=torch.int64))
            sequences[feature_name] = ragged.with_row_splits_dtype(spec.row_splits_dtype)
        else:
            fixed = _fixed_steps(steps, feature_name, spec, key, where)
            sequences[feature_name] = _to_tensor(fixed, key)
            lengths[feature_name] = torch.tensor(len(steps), dtype=torch.int64)
    return context, sequences, lengths


def _batched_varlen(per_example: list, key: str):
    """A (batch, longest list, longest step) SparseTensor of VarLenFeature steps."""
    from tork._backend.sparse_tensor import SparseTensor

    indices, values = [], [np.empty(0, dtype=object if key == "string" else key)]
    longest_list = max((len(steps) for steps in per_example), default=0)
    longest_step = 0
    for b, steps in enumerate(per_example):
        for s, v in enumerate(steps):
            flat = v.reshape(-1)
            longest_step = max(longest_step, flat.size)
            indices += [(b, s, j) for j in range(flat.size)]
            values.append(flat)
    index = torch.tensor(indices, dtype=torch.int64).reshape(-1, 3)
    dense_shape = [len(per_example), longest_list, longest_step]
    return SparseTensor(index, _to_tensor(np.concatenate(values), key), dense_shape)


def _batched_fixed(arrays: list, feature_name: str, spec, key: str, where: str):
    """(batch, longest list, *shape): each example's steps padded with 0 (b"" for strings)."""
    shape = _shape(spec.shape, f"{where} (feature list '{feature_name}')")
    longest = max((a.shape[0] for a in arrays), default=0)
    out = np.zeros((len(arrays), longest, *shape), dtype=object if key == "string" else key)
    if key == "string":
        out[...] = b""
    for b, a in enumerate(arrays):
        out[b, : a.shape[0]] = a
    return _to_tensor(out, key)


def parse_sequence_example(
    serialized,
    context_features: dict | None = None,
    sequence_features: dict | None = None,
    example_names=None,
    name: str | None = None,
):
    """Parses a batch of serialized `tf.train.SequenceExample`s.

    Args:
        serialized: a 1-D string tensor (or list of bytes) of serialized
            `tf.train.SequenceExample`s. A scalar parses one example, as
            `parse_single_sequence_example` does (plus the step counts).
        context_features: a dict from names to `tf.io.FixedLenFeature` /
            `VarLenFeature` / `RaggedFeature` for the context (parsed as
            `tf.io.parse_example` does).
        sequence_features: a dict from names to `tf.io.VarLenFeature`,
            `tf.io.FixedLenSequenceFeature` or `tf.io.RaggedFeature` for the
            feature lists.
        example_names: unused.
        name: unused.

    Returns:
        A tuple `(context, feature_lists, feature_list_lengths)` of dicts. A
        `FixedLenSequenceFeature` list is a dense `(batch, longest, *shape)` tensor
        padded with 0 (b"" for strings) and its `feature_list_lengths` entry the int64
        number of steps of each example; a `VarLenFeature` list is a SparseTensor of
        dense shape `(batch, longest list, longest step)`; a `RaggedFeature` list a
        `(batch, None, None)` RaggedTensor.

    Raises:
        ValueError: a FixedLenSequenceFeature has a default_value (TF forbids it).
        InvalidArgumentError: a required feature list is missing, a step has the
            wrong number or type of values, or the bytes cannot be parsed.

    Example:
    >>> context, lists, lengths = tf.io.parse_sequence_example(
    ...     serialized_batch,
    ...     context_features={"id": tf.io.FixedLenFeature([], tf.int64)},
    ...     sequence_features={"tokens": tf.io.FixedLenSequenceFeature([], tf.int64)})
    """
    del example_names, name
    from tork._backend.ragged_tensor import RaggedTensor

    where = _BATCH_WHERE
    for feature_name, spec in (sequence_features or {}).items():
        if isinstance(spec, FixedLenSequenceFeature) and spec.default_value is not None:
            raise ValueError(
                f"{where}: the FixedLenSequenceFeature of feature list '{feature_name}' has a "
                f"default_value ({spec.default_value!r}); feature lists are padded with 0 (b'' "
                "for strings), so TF requires default_value=None."
            )
    flat, shape = _serialized_list(serialized, where)
    if shape == ():
        return _parse_one(flat[0], context_features, sequence_features, where)
    if len(shape) != 1:
        raise ValueError(
            f"{where}: `serialized` must be a 1-D batch of SequenceExamples, got shape {shape}."
        )
    seqs = [_decode(data, where) for data in flat]
    context = {}
    if context_features:
        context = parse_example([_context_bytes(seq) for seq in seqs], context_features)
    sequences, lengths = {}, {}
    for feature_name, spec in (sequence_features or {}).items():
        key = _checked_key(feature_name, spec, where)
        per_example = [_steps_of(seq, feature_name, spec, key, where) for seq in seqs]
        if isinstance(spec, VarLenFeature):
            sequences[feature_name] = _batched_varlen(per_example, key)
        elif isinstance(spec, RaggedFeature):
            parts = [_ragged_values(s, feature_name, spec, key, where) for s in per_example]
            inner = RaggedTensor.from_row_lengths(
                _cat(parts, key),
                torch.tensor([n for _, rows in parts for n in rows], dtype=torch.int64),
            )
            outer = RaggedTensor.from_row_lengths(
                inner, torch.tensor([len(s) for s in per_example], dtype=torch.int64)
            )
            sequences[feature_name] = outer.with_row_splits_dtype(spec.row_splits_dtype)
        else:
            arrays = [_fixed_steps(s, feature_name, spec, key, where) for s in per_example]
            sequences[feature_name] = _batched_fixed(arrays, feature_name, spec, key, where)
            lengths[feature_name] = torch.tensor([len(s) for s in per_example], dtype=torch.int64)
    return context, sequences, lengths


def _cat(parts: list, key: str):
    """The values of every example's RaggedFeature list, one after the other."""
    from tork._backend import string_tensor

    values = [v for v, _ in parts]
    if not values:
        return _to_tensor(np.empty(0, dtype=object if key == "string" else key), key)
    if key == "string":
        return string_tensor.wrap(np.concatenate([np.asarray(v) for v in values]))
    return torch.cat(values)
