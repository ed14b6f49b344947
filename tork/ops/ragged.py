"""`tf.ragged`: building and transforming ragged tensors (`tf.RaggedTensor`).

The `RaggedTensor` class itself is in `tork/_backend/ragged_tensor.py`.
"""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import ragged_tensor as _rt
from tork._backend.dtypes import as_dtype
from tork._backend.errors import module_getattr as _module_getattr
from tork._backend.ragged_tensor import RaggedTensor as _RaggedTensor
from tork._backend.string_tensor import StringTensor
from tork._backend.tensor import convert_to_tensor

__all__ = [
    "boolean_mask",
    "constant",
    "cross",
    "cross_hashed",
    "map_flat_values",
    "range",
    "row_splits_to_segment_ids",
    "segment_ids_to_row_splits",
    "stack",
    "stack_dynamic_partitions",
]

_range = range


def _depth(item) -> int:
    """The nesting depth of the first scalar in `item` (-1 if it holds none)."""
    if isinstance(item, (list, tuple)):
        for sub in item:
            d = _depth(sub)
            if d >= 0:
                return d + 1
        return -1
    if isinstance(item, np.ndarray) and item.dtype != object:
        return item.ndim
    return 0


def _object_arrays_as_lists(item):
    """`item` with NumPy object arrays turned into lists, at any depth.

    A pandas column of lists (`df["terms"].values`, keras.io's multi-label text
    classification) is an object array of lists: TF reads it like the nested lists it
    holds. Arrays of numbers or strings keep their own dtype and shape.
    """
    if isinstance(item, np.ndarray) and item.dtype == object:
        return [_object_arrays_as_lists(sub) for sub in item]
    if isinstance(item, (list, tuple)) and any(
        isinstance(sub, (list, tuple, np.ndarray)) for sub in item
    ):
        return [_object_arrays_as_lists(sub) for sub in item]
    return item


def _check_depth(item, depth: int, expected: int) -> None:
    if isinstance(item, (list, tuple)):
        for sub in item:
            _check_depth(sub, depth + 1, expected)
        return
    if isinstance(item, np.ndarray) and item.dtype != object:
        depth += item.ndim
    if depth != expected:
        raise ValueError("all scalar values must have the same nesting depth")


def constant(
    pylist, dtype=None, ragged_rank=None, inner_shape=None, name=None, row_splits_dtype=torch.int64
):
    """Builds a RaggedTensor from nested Python lists.

    Args:
        pylist: nested lists (or tuples) of scalars, all at one depth.
        dtype: the dtype of the values (inferred as `tf.constant` does:
            ints int32, floats float32, str/bytes tf.string; float32 if empty).
        ragged_rank: the number of ragged dimensions (default: all but the
            innermost, or as many as `inner_shape` leaves).
        inner_shape: the shape of each flat value (uniform inner dimensions).
        name: unused.
        row_splits_dtype: int64 (default) or int32.

    Returns:
        A RaggedTensor (a dense tensor for a scalar `pylist`).

    Raises:
        ValueError: for scalars at different depths, or uniform dimensions
            that are not uniform.

    Example:
    >>> tf.ragged.constant([[1, 2, 3], [4]]).row_lengths().tolist()
    [3, 1]
    """
    del name
    pylist = _object_arrays_as_lists(pylist)
    depth = _depth(pylist)
    if depth < 0:  # no scalars at all: [[], []]
        depth = _empty_depth(pylist)
        if ragged_rank is not None and depth > 0:
            # TF reads the missing levels from ragged_rank (and inner_shape):
            # tf.ragged.constant([], ragged_rank=1) has shape (0, None).
            inner = 0 if inner_shape is None else len(tuple(inner_shape))
            depth = max(depth, int(ragged_rank) + 1 + inner)
    _check_depth(pylist, 0, depth)
    if depth == 0:
        return convert_to_tensor(pylist, dtype=dtype)
    inner_rank = 0 if inner_shape is None else len(tuple(inner_shape))
    if ragged_rank is None:
        ragged_rank = max(depth - 1 - inner_rank, 1) if depth > 1 else 0
    ragged_rank = int(ragged_rank)
    if not 0 <= ragged_rank < depth:
        raise ValueError(f"ragged_rank={ragged_rank} must be in [0, {depth - 1}] for this pylist.")
    if ragged_rank == 0:
        return convert_to_tensor(pylist, dtype=dtype)
    splits_dtype = as_dtype(row_splits_dtype)
    level = list(pylist)
    nested_lengths = []
    for _ in _range(ragged_rank):
        nested_lengths.append([len(item) for item in level])
        level = [sub for item in level for sub in item]
    inner = tuple(inner_shape) if inner_shape is not None else None
    if not level:
        flat = _empty_values(dtype, inner, depth - 1 - ragged_rank)
    else:
        try:
            flat = convert_to_tensor(level, dtype=dtype)
        except (TypeError, ValueError) as err:
            if depth - 1 == ragged_rank:
                raise
            raise ValueError(
                f"tf.ragged.constant: inner values have inconsistent shape: with "
                f"ragged_rank={ragged_rank}, the lists below depth {ragged_rank} must be uniform."
            ) from err
        if inner is not None and tuple(flat.shape[1:]) != inner:
            flat = _reshape(flat, (-1,) + inner)
    result = flat
    for lengths in reversed(nested_lengths):
        result = _RaggedTensor.from_row_lengths(
            result, torch.tensor(lengths, dtype=splits_dtype), validate=False
        )
    return result


def _empty_depth(pylist) -> int:
    depth, level = 0, pylist
    while isinstance(level, (list, tuple)):
        depth += 1
        level = level[0] if level else None
    return depth


def _empty_values(dtype, inner, uniform_rank: int):
    shape = (0,) + (inner if inner is not None else (0,) * uniform_rank)
    target = as_dtype(dtype) if dtype is not None else torch.float32
    from tork._backend import string_tensor

    if target is string_tensor.string:
        return string_tensor.wrap(np.empty(shape, dtype=object))
    return torch.zeros(shape, dtype=target)


def _reshape(values, shape):
    if isinstance(values, StringTensor):
        from tork._backend import string_tensor

        return string_tensor.wrap(np.asarray(values).reshape(shape))
    return values.reshape(shape)


def map_flat_values(op, *args, **kwargs):
    """Applies `op` to the flat values of the RaggedTensors among the arguments.

    Every RaggedTensor argument must have the same row partitions; the result
    has them too.

    Args:
        op: an elementwise op (the number of values must stay the same).
        *args: its arguments; RaggedTensors are replaced by their flat values.
        **kwargs: its keyword arguments, treated alike.

    Returns:
        A RaggedTensor (or `op`'s result if no argument is ragged).

    Example:
    >>> rt = tf.ragged.constant([[1.0, 2.0], [3.0]])
    >>> tf.ragged.map_flat_values(tf.math.square, rt).to_list()
    [[1.0, 4.0], [9.0]]
    """
    ragged = [a for a in list(args) + list(kwargs.values()) if isinstance(a, _RaggedTensor)]
    if not ragged:
        return op(*args, **kwargs)
    first = ragged[0]
    for other in ragged[1:]:
        if not _rt._same_partitions(first, other):
            raise ValueError("map_flat_values: the RaggedTensors have different row partitions.")

    def flat(a):
        return a.flat_values if isinstance(a, _RaggedTensor) else a

    out = op(*[flat(a) for a in args], **{k: flat(v) for k, v in kwargs.items()})
    if _rt._nvals(out) != _rt._nvals(first.flat_values):
        raise ValueError(
            f"map_flat_values: the op returned {_rt._nvals(out)} values for "
            f"{_rt._nvals(first.flat_values)} inputs; it must keep the outer dimension."
        )
    return first.with_flat_values(out)


def _vector(value, dtype=None) -> torch.Tensor:
    t = value if isinstance(value, torch.Tensor) else convert_to_tensor(value)
    if dtype is not None:
        t = t.to(dtype)
    return t.reshape(-1) if t.dim() == 0 else t


def range(starts, limits=None, deltas=1, dtype=None, name=None, row_splits_dtype=torch.int64):  # noqa: A001
    """Builds a RaggedTensor whose row `i` is `range(starts[i], limits[i], deltas[i])`.

    With no `limits`, rows are `range(0, starts[i])`. Scalars broadcast.

    Example:
    >>> tf.ragged.range([3, 1, 2]).to_list()
    [[0, 1, 2], [0], [0, 1]]
    """
    del name
    if limits is None:
        starts, limits = 0, starts
    s, lim, d = (_vector(v) for v in (starts, limits, deltas))
    kind = (
        as_dtype(dtype)
        if dtype is not None
        else torch.promote_types(torch.promote_types(s.dtype, lim.dtype), d.dtype)
    )
    s, lim, d = torch.broadcast_tensors(s.to(kind), lim.to(kind), d.to(kind))
    if bool((d == 0).any()):
        from tork._backend.errors import InvalidArgumentError

        raise InvalidArgumentError("tf.ragged.range: requires delta != 0")
    if kind.is_floating_point:
        lengths = torch.ceil((lim - s) / d).clamp(min=0).to(torch.int64)
    else:
        span = lim.to(torch.int64) - s.to(torch.int64)
        step = d.to(torch.int64)
        lengths = torch.div(span + step - torch.sign(step), step, rounding_mode="trunc").clamp(
            min=0
        )
    splits = _rt._lengths_to_splits(lengths)
    ids = torch.repeat_interleave(torch.arange(lengths.shape[0]), lengths)
    pos = torch.arange(int(splits[-1])) - splits[:-1][ids]
    values = (s[ids] + pos.to(kind) * d[ids]).to(kind)
    return _RaggedTensor.from_row_splits(
        values, splits.to(as_dtype(row_splits_dtype)), validate=False
    )


def stack(values, axis=0, name=None):
    """Stacks ragged (or dense) tensors on a new axis 0 or 1; the result is ragged.

    Example:
    >>> tf.ragged.stack([tf.ragged.constant([[1], [2, 3]]), tf.ragged.constant([[4]])]).to_list()
    [[[1], [2, 3]], [[4]]]
    """
    del name
    # Nested lists are ragged constants here (TF converts them with tf.ragged.constant).
    values = [constant(v) if isinstance(v, (list, tuple)) else v for v in values]
    if not any(isinstance(v, _RaggedTensor) for v in values):
        dense = [
            v if isinstance(v, (torch.Tensor, StringTensor)) else convert_to_tensor(v)
            for v in values
        ]
        if int(axis) == 0 and all(len(d.shape) >= 1 for d in dense):
            # Each input becomes one row, so their lengths may differ (int32 splits, as TF
            # gives for dense inputs).
            lengths = torch.tensor([int(d.shape[0]) for d in dense], dtype=torch.int32)
            return _RaggedTensor.from_row_lengths(_rt._concat_values(dense), lengths)
        from tork.ops import array

        return array.stack(dense, axis=axis)
    return _rt.stack(values, axis)


def boolean_mask(data, mask, name=None):
    """Keeps the values where `mask` is True; masked rows shrink, so the result is ragged.

    Args:
        data: a tensor or _RaggedTensor.
        mask: a bool tensor (or RaggedTensor) of `data`'s outer shape.
        name: unused.

    Returns:
        A RaggedTensor with the kept values (1-D mask: the kept rows).

    Example:
    >>> tf.ragged.boolean_mask([[1, 2, 3], [4, 5, 6]], [[True, False, True], [False, False, True]]).to_list()
    [[1, 3], [6]]
    """
    del name
    if isinstance(mask, _RaggedTensor):
        if not isinstance(data, _RaggedTensor):
            data = _RaggedTensor.from_tensor(convert_to_tensor(data))
        if not torch.equal(data.row_splits.to(torch.int64), mask.row_splits.to(torch.int64)):
            raise ValueError("tf.ragged.boolean_mask: data and mask have different row lengths.")
        if mask.ragged_rank > 1 or mask.flat_values.dim() > 1:
            # The mask reaches below the outer rows: those keep their partition and the
            # rows' items are masked the same way, one level down (as TF).
            return data.with_values(boolean_mask(data.values, mask.values))
        keep = mask.flat_values.to(torch.bool)
        lengths = _rt._segment_reduce(
            keep.to(torch.int64), mask.value_rowids().to(torch.int64), mask.nrows_int(), "sum"
        )
        kept = torch.nonzero(keep).reshape(-1)
        inner = data.values
        # Deeper ragged data: the mask picks whole inner rows.
        values = (
            inner._take_rows(kept) if isinstance(inner, _RaggedTensor) else _rt._take(inner, kept)
        )
        return _RaggedTensor.from_row_lengths(
            values, lengths.to(data.row_splits.dtype), validate=False
        )
    m = _vector(mask).to(torch.bool).cpu()
    if m.dim() == 1:
        index = torch.nonzero(m).reshape(-1)
        if isinstance(data, _RaggedTensor):
            return data._take_rows(index)
        return _rt._take(data if isinstance(data, StringTensor) else convert_to_tensor(data), index)
    if m.dim() != 2:
        raise NotImplementedError("tork: tf.ragged.boolean_mask with a mask of rank > 2.")
    dense = data if isinstance(data, (torch.Tensor, StringTensor)) else convert_to_tensor(data)
    if tuple(dense.shape[:2]) != tuple(m.shape):
        raise ValueError(
            f"tf.ragged.boolean_mask: mask shape {tuple(m.shape)} must match the first "
            f"dimensions of data {tuple(dense.shape)}."
        )
    if isinstance(dense, StringTensor):
        from tork._backend import string_tensor

        values = string_tensor.wrap(np.asarray(dense)[m.numpy()])
    else:
        values = dense[m.to(dense.device)]
    return _RaggedTensor.from_row_lengths(values, m.sum(dim=1), validate=False)


def row_splits_to_segment_ids(splits, name=None, out_type=None) -> torch.Tensor:
    """The row index of each value for the given row splits.

    Example:
    >>> tf.ragged.row_splits_to_segment_ids([0, 2, 2, 5]).tolist()
    [0, 0, 2, 2, 2]
    """
    del name
    s = _rt._splits_tensor(splits, "splits")
    ids = _rt._rowids(s)
    return ids if out_type is None else ids.to(as_dtype(out_type))


def segment_ids_to_row_splits(segment_ids, num_segments=None, out_type=None, name=None):
    """The row splits for sorted segment ids (the inverse of `row_splits_to_segment_ids`).

    Example:
    >>> tf.ragged.segment_ids_to_row_splits([0, 0, 2, 2, 2]).tolist()
    [0, 2, 2, 5]
    """
    del name
    ids = _rt._splits_tensor(segment_ids, "segment_ids").to(torch.int64)
    count = int(ids.max()) + 1 if ids.numel() else 0
    if num_segments is not None:
        count = int(num_segments)
    lengths = torch.bincount(ids, minlength=count)
    splits = _rt._lengths_to_splits(lengths)
    return splits if out_type is None else splits.to(as_dtype(out_type))


def _cross_inputs(inputs, where: str) -> list:
    """RaggedTensor features as SparseTensors (the rows' values at columns 0, 1, ...)."""
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(
            f"{where}: inputs must be a list of RaggedTensors, tensors and SparseTensors, got "
            f"{type(inputs).__name__}."
        )
    out = []
    for position, value in enumerate(inputs):
        if isinstance(value, _RaggedTensor):
            if value.ragged_rank != 1 or len(value.shape) != 2:
                raise ValueError(
                    f"{where}: RaggedTensor inputs must have shape (batch, None), got "
                    f"{value.shape} at position {position}."
                )
            value = value.to_sparse()
        out.append(value)
    return out


def cross(inputs, name=None):
    """Crosses features row by row: every combination of one value from each input.

    Args:
        inputs: a list of RaggedTensors of shape `(batch, None)`, rank-2 tensors and/or
            `tf.SparseTensor`s, all with the same number of rows; strings or integers.
        name: unused.

    Returns:
        A string RaggedTensor: per row, the combinations joined by `"_X_"`, the first
        input's values varying slowest.

    Example:
    >>> a = tf.ragged.constant([["a", "b"], ["c"]])
    >>> b = tf.ragged.constant([["d"], ["e", "f"]])
    >>> tf.ragged.cross([a, b]).to_list()
    [[b'a_X_d', b'b_X_d'], [b'c_X_e', b'c_X_f']]
    """
    del name
    from tork.ops import sparse as _sparse

    # Unlike tf.sparse.cross, which takes SparseTensor inputs first, in the given order.
    result = _sparse._cross(_cross_inputs(inputs, "tf.ragged.cross"), None, sparse_first=False)
    return _RaggedTensor.from_sparse(result)


def cross_hashed(inputs, num_buckets=0, hash_key=None, name=None):
    """Crosses features as `tf.ragged.cross`, each combination hashed as TensorFlow does.

    Args:
        inputs: a list of RaggedTensors of shape `(batch, None)`, rank-2 tensors and/or
            `tf.SparseTensor`s with the same number of rows.
        num_buckets: if > 0, the hashes are taken modulo `num_buckets`.
        hash_key: the hash key (TensorFlow's default when None).
        name: unused.

    Returns:
        An int64 RaggedTensor of hashes, one per combination.

    Example:
    >>> a = tf.ragged.constant([["a", "b"], ["c"]])
    >>> b = tf.ragged.constant([["d"], ["e", "f"]])
    >>> tf.ragged.cross_hashed([a, b], num_buckets=100).to_list()
    [[82, 54], [41, 68]]
    """
    del name
    from tork.ops import sparse as _sparse

    result = _sparse._cross_hashed(
        _cross_inputs(inputs, "tf.ragged.cross_hashed"), num_buckets, hash_key, sparse_first=False
    )
    return _RaggedTensor.from_sparse(result)


def stack_dynamic_partitions(data, partitions, num_partitions, name=None):
    """Groups the slices of `data` by partition: row `i` of the result holds, in order,
    the slices whose `partitions` entry is `i` (`tf.dynamic_partition`, stacked).

    Args:
        data: a tensor or RaggedTensor.
        partitions: int ids in `[0, num_partitions)`; its shape is a prefix of `data`'s
            (a RaggedTensor with `data`'s row partitions for ragged `data`).
        num_partitions: the number of partitions (rows of the result).
        name: unused.

    Returns:
        A RaggedTensor with `num_partitions` rows.

    Raises:
        ValueError: if the shapes do not match.
        InvalidArgumentError: for a partition id out of range.

    Example:
    >>> tf.ragged.stack_dynamic_partitions([1, 2, 3, 4], [1, 0, 1, 2], 3).to_list()
    [[2], [1, 3], [4]]
    """
    del name
    from tork._backend.errors import InvalidArgumentError

    num_partitions = int(num_partitions)
    if isinstance(partitions, _RaggedTensor):
        if not isinstance(data, _RaggedTensor) or not _rt._same_partitions(data, partitions):
            raise ValueError(
                "tf.ragged.stack_dynamic_partitions: a RaggedTensor of partitions needs a "
                "RaggedTensor of data with the same row lengths."
            )
        data, partitions = data.flat_values, partitions.flat_values
    if not isinstance(partitions, torch.Tensor):
        partitions = convert_to_tensor(partitions)
    if partitions.is_floating_point():
        raise TypeError("tf.ragged.stack_dynamic_partitions: partitions must be integers.")
    if isinstance(data, _RaggedTensor):
        if partitions.dim() != 1 or int(partitions.shape[0]) != data.nrows_int():
            raise ValueError(
                "tf.ragged.stack_dynamic_partitions: for a RaggedTensor of data, partitions "
                f"must have one id per row ({data.nrows_int()}), got shape "
                f"{tuple(partitions.shape)}."
            )
        slices = data
    else:
        if not isinstance(data, (torch.Tensor, StringTensor)):
            data = convert_to_tensor(data)
        rank = partitions.dim()
        if tuple(data.shape[:rank]) != tuple(partitions.shape):
            raise ValueError(
                f"tf.ragged.stack_dynamic_partitions: partitions.shape {tuple(partitions.shape)} "
                f"must be a prefix of data.shape {tuple(data.shape)}."
            )
        inner = tuple(data.shape[rank:])
        slices = data.reshape((-1,) + inner)
    ids = partitions.reshape(-1).to(torch.int64)
    if ids.numel() and (int(ids.min()) < 0 or int(ids.max()) >= num_partitions):
        raise InvalidArgumentError(
            f"tf.ragged.stack_dynamic_partitions: partitions must be in [0, {num_partitions}), "
            f"got values from {int(ids.min())} to {int(ids.max())}."
        )
    order = torch.argsort(ids, stable=True)
    values = _rt._take(slices, order)
    lengths = torch.bincount(ids, minlength=num_partitions)
    # TF's row splits take the partitions' dtype (int32 ids give int32 splits).
    if partitions.dtype in (torch.int32, torch.int64):
        lengths = lengths.to(partitions.dtype)
    return _RaggedTensor.from_row_lengths(values, lengths, validate=False)


__getattr__ = _module_getattr("tf.ragged")
