"""RaggedTensor and SparseTensor components of tf.data elements.

A component whose spec is a `RaggedTensorSpec` or `SparseTensorSpec` is batched,
unbatched and sliced here. As in tf.data, the rows of a RaggedTensor with
`ragged_rank` 1 are plain tensors, described by a `RaggedTensorSpec` of
`ragged_rank` 0: `batch` turns such elements into a RaggedTensor again, while
a plain `TensorSpec` component of varying length cannot be batched.

The rows of a SparseTensor are SparseTensors of one rank less; batching them
prefixes their indices with the position in the batch.
"""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import ragged_tensor as rt_mod
from tork._backend.ragged_tensor import RaggedTensor, RaggedTensorSpec
from tork._backend.sparse_tensor import SparseTensor, SparseTensorSpec
from tork._backend.tensor_shape import TensorShape

COMPOSITES = (RaggedTensor, SparseTensor)
COMPOSITE_SPECS = (RaggedTensorSpec, SparseTensorSpec)


def is_composite(value) -> bool:
    return isinstance(value, COMPOSITES)


# Rows of a RaggedTensor are plain tensors; this attribute marks them so that `batch` knows
# to look at the element_spec (a RaggedTensorSpec of ragged_rank 0 batches into a
# RaggedTensor even when the rows happen to have one length). A function in `map` returns
# new tensors, which are plain again, as in tf.data.
_ROW_MARK = "_tork_ragged_row"


def may_be_ragged(value) -> bool:
    """True for composites and for the rows of a RaggedTensor."""
    return isinstance(value, COMPOSITES) or getattr(value, _ROW_MARK, False)


def value_spec(value):
    """The spec of a RaggedTensor or SparseTensor value."""
    if isinstance(value, RaggedTensor):
        return RaggedTensorSpec.from_value(value)
    return SparseTensorSpec.from_value(value)


def row_spec(column):
    """The spec of one row (slice along axis 0) of a RaggedTensor or SparseTensor."""
    dims = column.shape.as_list()[1:]
    if isinstance(column, RaggedTensor):
        return RaggedTensorSpec(dims, column.dtype, column.ragged_rank - 1, column.row_splits_dtype)
    return SparseTensorSpec(dims, column.dtype)


def num_rows(column) -> int:
    if isinstance(column, RaggedTensor):
        return column.nrows_int()
    return int(column.dense_shape[0])


def one_row(value):
    """`value` as a column of one row (what `from_tensors` slices)."""
    if isinstance(value, RaggedTensor):
        splits = torch.tensor([0, value.nrows_int()], dtype=value.row_splits_dtype)
        return RaggedTensor.from_row_splits(value, splits, validate=False)
    return _stack_sparse([value])


# ------------------------------------------------------------------ sparse rows


def _sparse_take(sp: SparseTensor, index: torch.Tensor) -> SparseTensor:
    """The rows `index` (a 1-D int64 tensor, repeats allowed) of a SparseTensor."""
    indices = sp.indices.cpu()
    count = int(sp.dense_shape[0])
    order = torch.argsort(indices[:, 0], stable=True)
    rows = indices[order, 0]
    per_row = torch.bincount(rows, minlength=count)
    starts = torch.cumsum(per_row, 0) - per_row
    index = index.to(torch.int64).cpu()
    lengths = per_row[index]
    total = int(lengths.sum())
    within = torch.arange(total) - torch.repeat_interleave(
        torch.cumsum(lengths, 0) - lengths, lengths
    )
    source = order[torch.repeat_interleave(starts[index], lengths) + within]
    new_rows = torch.repeat_interleave(torch.arange(index.shape[0]), lengths)
    new_indices = torch.cat([new_rows[:, None], indices[source, 1:]], dim=1)
    shape = [int(index.shape[0]), *sp.dense_shape[1:].tolist()]
    return SparseTensor(new_indices, rt_mod._take(sp.values, source), shape)


def _sparse_rows(sp: SparseTensor) -> list:
    """The rows of a SparseTensor: SparseTensors of one rank less."""
    count = int(sp.dense_shape[0])
    inner = sp.dense_shape[1:].tolist()
    indices = sp.indices.cpu()
    order = torch.argsort(indices[:, 0], stable=True)
    per_row = torch.bincount(indices[order, 0], minlength=count).tolist()
    out, start = [], 0
    for n in per_row:
        pick = order[start : start + n]
        out.append(SparseTensor(indices[pick, 1:], rt_mod._take(sp.values, pick), inner))
        start += n
    return out


def _stack_sparse(elements: list) -> SparseTensor:
    """SparseTensors of one rank stacked on a new first axis (dense shapes: the largest)."""
    ranks = {int(e.dense_shape.shape[0]) for e in elements}
    if len(ranks) != 1:
        raise ValueError(
            f"Cannot batch SparseTensors of different ranks {sorted(ranks)}: every element "
            "needs the same rank."
        )
    shape = torch.stack([e.dense_shape.cpu() for e in elements]).amax(0).tolist()
    counts = torch.tensor([int(e.indices.shape[0]) for e in elements])
    rows = torch.repeat_interleave(torch.arange(len(elements)), counts)
    indices = torch.cat([rows[:, None], torch.cat([e.indices.cpu() for e in elements])], dim=1)
    values = rt_mod._concat_values([e.values for e in elements])
    return SparseTensor(indices, values, [len(elements), *shape])


# ------------------------------------------------------------------ columns


def gather(column, chunk):
    """The rows of a RaggedTensor or SparseTensor column named by `chunk` (slice or ids)."""
    if isinstance(chunk, slice):
        if isinstance(column, RaggedTensor):
            return column._row_range(chunk.start, chunk.stop)
        chunk = torch.arange(chunk.start, chunk.stop, dtype=torch.int64)
    if isinstance(column, RaggedTensor):
        return column._take_rows(chunk)
    return _sparse_take(column, chunk)


def unbind(value) -> list:
    """The rows of a RaggedTensor (tensors, or RaggedTensors) or SparseTensor."""
    if isinstance(value, RaggedTensor):
        rows = list(value)
        if value.ragged_rank == 1:
            for row in rows:
                setattr(row, _ROW_MARK, True)
        return rows
    return _sparse_rows(value)


def batch(column: list, spec):
    """Batches the components `column` of consecutive elements whose spec is `spec`."""
    if isinstance(spec, SparseTensorSpec):
        return _stack_sparse(column)
    if spec.ragged_rank == 0:
        # Tensors of varying length: their values, one after the other, cut by row_splits.
        lengths = torch.tensor([int(t.shape[0]) for t in column], dtype=torch.int64)
        splits = torch.cat([torch.zeros(1, dtype=torch.int64), torch.cumsum(lengths, 0)])
        values = rt_mod._concat_values(list(column))
        return RaggedTensor.from_row_splits(
            values, splits.to(spec.row_splits_dtype), validate=False
        )
    parts = [to_ragged(t, spec) for t in column]
    stacked = rt_mod.stack(parts, axis=0)
    return stacked.with_row_splits_dtype(spec.row_splits_dtype)


def to_ragged(value, spec: RaggedTensorSpec):
    """`value` (a tensor or RaggedTensor) as a RaggedTensor of `spec.ragged_rank`."""
    if isinstance(value, RaggedTensor):
        return value
    if spec.ragged_rank != 1:
        raise NotImplementedError(
            f"tork: batching dense elements as RaggedTensors of ragged_rank {spec.ragged_rank} "
            "(only 1 is supported)."
        )
    return RaggedTensor.from_tensor(value, row_splits_dtype=spec.row_splits_dtype)


def batched_spec(spec, batch_dim):
    """The spec of a batch of components described by `spec`."""
    dims = spec.shape.as_list() if spec.shape.rank is not None else None
    shape = None if dims is None else [batch_dim, *dims]
    if isinstance(spec, SparseTensorSpec):
        return SparseTensorSpec(shape, spec.dtype)
    return RaggedTensorSpec(shape, spec.dtype, spec.ragged_rank + 1, spec.row_splits_dtype)


def unbatched_spec(spec):
    """The spec of the rows of components described by `spec`."""
    if spec.shape.rank == 0:
        raise ValueError("Dataset.unbatch: cannot unbatch an element with scalar components.")
    dims = spec.shape.as_list()[1:] if spec.shape.rank is not None else None
    if isinstance(spec, SparseTensorSpec):
        return SparseTensorSpec(dims, spec.dtype)
    if spec.ragged_rank == 0:
        from tork.data.tensor_spec import TensorSpec

        return TensorSpec(dims, spec.dtype)
    return RaggedTensorSpec(dims, spec.dtype, spec.ragged_rank - 1, spec.row_splits_dtype)


def relaxed(a, b):
    """The most specific spec describing both composite specs, or None."""
    if type(a) is not type(b) or a.dtype != b.dtype:
        return None
    if isinstance(a, RaggedTensorSpec) and (
        a.ragged_rank != b.ragged_rank or a.row_splits_dtype != b.row_splits_dtype
    ):
        return None
    if a.shape.rank != b.shape.rank:
        shape = TensorShape(None)
    elif a.shape.rank is None:
        shape = TensorShape(None)
    else:
        shape = TensorShape(
            [x if x == y else None for x, y in zip(a.shape.as_list(), b.shape.as_list())]
        )
    return with_shape(a, shape)


def with_shape(spec, shape):
    if isinstance(spec, SparseTensorSpec):
        return SparseTensorSpec(shape, spec.dtype)
    return RaggedTensorSpec(shape, spec.dtype, spec.ragged_rank, spec.row_splits_dtype)


def to_ragged_spec(spec, row_splits_dtype):
    """`Dataset.ragged_batch`'s view of a component: dense specs with unknown dims go ragged."""
    from tork.data.tensor_spec import TensorSpec

    if not isinstance(spec, TensorSpec) or spec.shape.rank is None:
        return spec
    dims = spec.shape.as_list()
    unknown = [axis for axis, size in enumerate(dims) if size is None]
    if not unknown:
        return spec
    return RaggedTensorSpec(dims, spec.dtype, max(unknown), row_splits_dtype)


def to_numpy(value):
    """What `as_numpy_iterator` yields for a composite: ragged rows, or the dense array."""
    if isinstance(value, RaggedTensor):
        return value.numpy()
    from tork.ops import sparse as sparse_ops

    dense = sparse_ops.to_dense(value)
    return np.asarray(dense.detach().cpu().numpy() if isinstance(dense, torch.Tensor) else dense)
