"""`tf.sparse`: ops on `tf.SparseTensor` (indices, values, dense_shape).

Every op works on the three component tensors with vectorised torch ops: a
coordinate row becomes its row-major linear position (`_linear`), so sorting,
merging and grouping are `argsort` / `unique` / `index_add` over one int64
vector. Values may be numbers (torch tensors, with autograd through the values)
or strings (tork string tensors) for the ops that only move values around.
"""

from __future__ import annotations

import math as _math

import numpy as np
import torch

from tork._backend import string_tensor as _string_tensor
from tork._backend.device import current_device as _current_device
from tork._backend.dtypes import as_dtype as _as_dtype
from tork._backend.errors import InvalidArgumentError as _InvalidArgumentError
from tork._backend.errors import module_getattr as _module_getattr
from tork._backend.indexed_slices import IndexedSlices as _IndexedSlices
from tork._backend.sparse_tensor import SparseTensor
from tork._backend.sparse_tensor import dtype_name as _dtype_name
from tork._backend.tensor import convert_to_tensor as _convert_to_tensor
from tork._backend.tensor_shape import TensorShape as _TensorShape

__all__ = [
    "SparseTensor",
    "add",
    "bincount",
    "concat",
    "cross",
    "cross_hashed",
    "expand_dims",
    "eye",
    "fill_empty_rows",
    "from_dense",
    "map_values",
    "mask",
    "maximum",
    "minimum",
    "reduce_max",
    "reduce_sum",
    "reorder",
    "reset_shape",
    "reshape",
    "retain",
    "sampled_addmm",
    "segment_mean",
    "segment_sqrt_n",
    "segment_sum",
    "slice",
    "softmax",
    "sparse_dense_matmul",
    "split",
    "to_dense",
    "to_indicator",
    "transpose",
]

_builtin_slice = slice

# ---------------------------------------------------------------------------------------------
# helpers


def _require_sparse(value, where: str) -> SparseTensor:
    if not isinstance(value, SparseTensor):
        raise TypeError(
            f"{where}: Input must be a SparseTensor, got {type(value).__name__}. "
            "Convert a dense tensor with tf.sparse.from_dense."
        )
    return value


def _dims(sp: SparseTensor) -> list:
    return [int(d) for d in sp.dense_shape.tolist()]


def _int_list(value, where: str, what: str) -> list:
    if isinstance(value, _TensorShape):
        value = value.as_list()
    if isinstance(value, torch.Tensor):
        value = value.tolist()
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (int, np.integer)):
        return [int(value)]
    try:
        return [int(v) for v in value]
    except (TypeError, ValueError) as err:
        raise TypeError(f"{where}: {what} must be a list of integers, got {value!r:.80}.") from err


def _strides(shape: list, device) -> torch.Tensor:
    strides = [1] * len(shape)
    for i in range(len(shape) - 2, -1, -1):
        strides[i] = strides[i + 1] * max(shape[i + 1], 1)
    return torch.tensor(strides, dtype=torch.int64, device=device)


def _linear(indices: torch.Tensor, shape: list) -> torch.Tensor:
    """Row-major positions of coordinate rows: orders and groups them with one vector."""
    if indices.shape[1] == 0:
        return torch.zeros(indices.shape[0], dtype=torch.int64, device=indices.device)
    return (indices * _strides(shape, indices.device)).sum(1)


def _unravel(linear: torch.Tensor, shape: list) -> torch.Tensor:
    strides = _strides(shape, linear.device)
    if not shape:
        return torch.zeros((linear.shape[0], 0), dtype=torch.int64, device=linear.device)
    cols = []
    rest = linear
    for stride in strides.tolist():
        cols.append(torch.div(rest, stride, rounding_mode="floor"))
        rest = rest % stride
    return torch.stack(cols, 1)


def _is_string(values) -> bool:
    return isinstance(values, _string_tensor.StringTensor)


def _take(values, index: torch.Tensor):
    """values[index] for torch or string values (index: int64 positions or a bool mask)."""
    if _is_string(values):
        return _string_tensor.wrap(np.asarray(values.view(np.ndarray)[index.cpu().numpy()]))
    return values[index]


def _cat(parts: list):
    if any(_is_string(p) for p in parts):
        return _string_tensor.wrap(np.concatenate([np.asarray(p.view(np.ndarray)) for p in parts]))
    return torch.cat(parts)


def _index_text(row) -> str:
    return "[" + ",".join(str(int(v)) for v in row) + "]"


def _validate_indices(sp: SparseTensor, where: str) -> None:
    """TensorFlow's checks: in bounds, strictly increasing in row-major order."""
    indices = sp.indices
    n = indices.shape[0]
    if n == 0:
        return
    shape = _dims(sp)
    bound = torch.tensor(shape, dtype=torch.int64, device=indices.device)
    out_of_bounds = ((indices < 0) | (indices >= bound)).any(1)
    linear = _linear(indices, shape)
    unordered = torch.zeros(n, dtype=torch.bool, device=indices.device)
    unordered[1:] = linear[1:] <= linear[:-1]
    bad = out_of_bounds | unordered
    if not bool(bad.any()):
        return
    i = int(bad.nonzero()[0, 0])
    text = _index_text(indices[i].tolist())
    if bool(out_of_bounds[i]):
        raise _InvalidArgumentError(
            f"{where}: indices[{i}] = {text} is out of bounds: need 0 <= index < "
            f"{_index_text(shape)}."
        )
    if int(linear[i]) == int(linear[i - 1]):
        raise _InvalidArgumentError(
            f"{where}: indices[{i}] = {text} is repeated. Combine repeated coordinates first "
            "(e.g. tf.sparse.add with an empty SparseTensor sums them)."
        )
    raise _InvalidArgumentError(
        f"{where}: indices[{i}] = {text} is out of order. Many sparse ops require sorted "
        "indices. Use `tf.sparse.reorder` to create a correctly ordered copy."
    )


def _sorted(indices: torch.Tensor, values, shape: list) -> SparseTensor:
    order = torch.argsort(_linear(indices, shape), stable=True)
    return SparseTensor(indices[order], _take(values, order), shape)


def _numeric(sp: SparseTensor, where: str) -> None:
    if _is_string(sp.values):
        raise TypeError(f"{where}: string values are not supported; this op needs numbers.")


def _axis(axis: int, rank: int, where: str, extra: int = 0) -> int:
    axis = int(axis)
    if not -rank - extra <= axis < rank + extra:
        raise _InvalidArgumentError(
            f"{where}: axis {axis} is out of range for a SparseTensor of rank {rank}: use "
            f"-{rank + extra} <= axis < {rank + extra}."
        )
    return axis % (rank + extra)


# ---------------------------------------------------------------------------------------------
# conversion


def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """Converts a SparseTensor to a dense tensor.

    Args:
        sp_input: a `tf.SparseTensor`.
        default_value: scalar for the coordinates not set (default 0 or `b""`).
        validate_indices: check that indices are in bounds, sorted and unique
            (`tf.errors.InvalidArgumentError` otherwise).
        name: unused.

    Returns:
        A dense tensor of shape `sp_input.dense_shape` and the values' dtype.

    Example:
    >>> sp = tf.SparseTensor([[0, 1], [1, 0]], [1.0, 2.0], [2, 2])
    >>> tf.sparse.to_dense(sp).tolist()
    [[0.0, 1.0], [2.0, 0.0]]
    """
    del name
    sp = _require_sparse(sp_input, "tf.sparse.to_dense")
    if validate_indices:
        _validate_indices(sp, "tf.sparse.to_dense")
    shape = _dims(sp)
    values = sp.values
    if _is_string(values):
        fill = b"" if default_value is None else _string_tensor.make(default_value)[()]
        out = np.full(shape, fill, dtype=object)
        if values.shape[0]:
            out[tuple(sp.indices.cpu().numpy().T)] = values.view(np.ndarray)
        return _string_tensor.wrap(out)
    if default_value is None:
        default = torch.zeros((), dtype=values.dtype, device=values.device)
    else:
        default = _convert_to_tensor(default_value, dtype=values.dtype).to(values.device)
        if default.dim() != 0:
            raise _InvalidArgumentError(
                f"tf.sparse.to_dense: default_value should be a scalar, got shape "
                f"{tuple(default.shape)}."
            )
    out = default.expand(shape).clone() if shape else default.clone()
    if not validate_indices:
        bound = torch.tensor(shape, dtype=torch.int64, device=sp.indices.device)
        if bool(((sp.indices < 0) | (sp.indices >= bound)).any()):
            raise _InvalidArgumentError(
                f"tf.sparse.to_dense: indices are out of bounds for the dense shape {shape}."
            )
    if values.shape[0]:
        # index_put keeps autograd through the values (a sparse-to-dense gradient).
        out = out.index_put(tuple(sp.indices.t()), values)
    return out


def from_dense(tensor, name=None) -> SparseTensor:
    """Converts a dense tensor to a SparseTensor of its non-zero (non-empty) entries.

    Args:
        tensor: a dense tensor of rank >= 1.
        name: unused.

    Returns:
        A `tf.SparseTensor` with the same dense shape, indices in row-major order.

    Example:
    >>> tf.sparse.from_dense(tf.constant([0, 5, 0, 7])).values.tolist()
    [5, 7]
    """
    del name
    if _string_tensor.is_string(tensor) or _is_string(tensor):
        array = np.asarray(_string_tensor.make(tensor).view(np.ndarray))
        if array.ndim == 0:
            raise _InvalidArgumentError(
                "tf.sparse.from_dense: the input must have rank >= 1, got a scalar."
            )
        keep = array != b""
        indices = torch.as_tensor(np.argwhere(keep), dtype=torch.int64).reshape(-1, array.ndim)
        return SparseTensor(indices, _string_tensor.wrap(array[keep]), list(array.shape))
    dense = _convert_to_tensor(tensor)
    if dense.dim() == 0:
        raise _InvalidArgumentError(
            "tf.sparse.from_dense: the input must have rank >= 1, got a scalar. "
            "Wrap it with tf.reshape(x, [1]) first."
        )
    keep = dense != 0
    return SparseTensor(keep.nonzero(), dense[keep], list(dense.shape))


def reorder(sp_input, name=None) -> SparseTensor:
    """Sorts a SparseTensor's indices into row-major order (values follow).

    Example:
    >>> sp = tf.SparseTensor([[1, 0], [0, 0]], [1, 2], [2, 2])
    >>> tf.sparse.reorder(sp).values.tolist()
    [2, 1]
    """
    del name
    sp = _require_sparse(sp_input, "tf.sparse.reorder")
    return _sorted(sp.indices, sp.values, _dims(sp))


def reshape(sp_input, shape, name=None) -> SparseTensor:
    """Reshapes a SparseTensor (row-major, as `tf.reshape`); one dimension may be -1.

    Example:
    >>> sp = tf.SparseTensor([[0, 1], [1, 0]], [1, 2], [2, 3])
    >>> tf.sparse.reshape(sp, [3, -1]).dense_shape.tolist()
    [3, 2]
    """
    del name
    sp = _require_sparse(sp_input, "tf.sparse.reshape")
    old = _dims(sp)
    new = _int_list(shape, "tf.sparse.reshape", "shape")
    total = _math.prod(old)
    unknown = [i for i, d in enumerate(new) if d == -1]
    if len(unknown) > 1:
        raise _InvalidArgumentError(
            f"tf.sparse.reshape: only one output dimension may be -1, not both {unknown[0]} "
            f"and {unknown[1]} (shape {new})."
        )
    if unknown:
        known = _math.prod(d for d in new if d != -1)
        if known == 0 or total % known:
            raise _InvalidArgumentError(
                f"tf.sparse.reshape: cannot reshape a tensor with {total} dense values to "
                f"shape {new}."
            )
        new[unknown[0]] = total // known
    if _math.prod(new) != total:
        raise _InvalidArgumentError(
            f"tf.sparse.reshape: Input to reshape is a tensor with {total} dense values, but "
            f"the requested shape has {_math.prod(new)}. input_shape={old} output_shape={new}."
        )
    indices = _unravel(_linear(sp.indices, old), new)
    return SparseTensor(indices, sp.values, new)


def reset_shape(sp_input, new_shape=None) -> SparseTensor:
    """Changes the dense shape: to the tightest one holding the indices, or to `new_shape`.

    Args:
        sp_input: a `tf.SparseTensor`.
        new_shape: None (tightest shape), or a shape of the same rank whose
            dimensions are all >= the current ones.

    Example:
    >>> sp = tf.SparseTensor([[0, 1]], [1.0], [5, 5])
    >>> tf.sparse.reset_shape(sp).dense_shape.tolist()
    [1, 2]
    """
    sp = _require_sparse(sp_input, "tf.sparse.reset_shape")
    old = _dims(sp)
    if new_shape is None:
        if sp.indices.shape[0] == 0:
            return SparseTensor(sp.indices, sp.values, [0] * len(old))
        return SparseTensor(sp.indices, sp.values, (sp.indices.amax(0) + 1).tolist())
    new = _int_list(new_shape, "tf.sparse.reset_shape", "new_shape")
    if len(new) != len(old):
        raise ValueError(
            f"tf.sparse.reset_shape: new_shape has rank {len(new)} but the SparseTensor has "
            f"rank {len(old)} (Dimensions {len(old)} and {len(new)} are not compatible)."
        )
    if any(n < o for n, o in zip(new, old)):
        raise ValueError(
            "tf.sparse.reset_shape: Requested new_shape should have dimension sizes >= "
            f"sp_input.shape. Found new_shape ({new}), sp_input.shape ({old})."
        )
    return SparseTensor(sp.indices, sp.values, new)


# ---------------------------------------------------------------------------------------------
# arithmetic


def _union(a: SparseTensor, b: SparseTensor, where: str):
    """Merges two SparseTensors' coordinates: (unique sorted positions, inverse of a, of b)."""
    shape_a, shape_b = _dims(a), _dims(b)
    if shape_a != shape_b:
        dim = next((i for i, (x, y) in enumerate(zip(shape_a, shape_b)) if x != y), 0)
        raise _InvalidArgumentError(
            f"{where}: Operands' shapes do not match: got {shape_a} and {shape_b} (dimension "
            f"{dim})."
        )
    if a.dtype != b.dtype:
        raise _InvalidArgumentError(
            f"{where}: the values' dtypes differ: {_dtype_name(a.dtype)} and {_dtype_name(b.dtype)}. Cast one with "
            "tf.cast first."
        )
    linear = torch.cat([_linear(a.indices, shape_a), _linear(b.indices, shape_b)])
    unique, inverse = torch.unique(linear, sorted=True, return_inverse=True)
    n = a.indices.shape[0]
    return unique, inverse[:n], inverse[n:], shape_a


def add(a, b, threshold=0) -> SparseTensor | torch.Tensor:
    """Adds two tensors, at least one of them a SparseTensor.

    SparseTensor + SparseTensor gives a SparseTensor over the union of the
    coordinates (sums whose magnitude is below `threshold` are dropped);
    SparseTensor + dense tensor gives a dense tensor.

    Args:
        a: a `tf.SparseTensor` or a dense tensor.
        b: a `tf.SparseTensor` or a dense tensor.
        threshold: sums with `|value| < threshold` are not kept (sparse + sparse only).

    Example:
    >>> a = tf.SparseTensor([[0, 1]], [1.0], [2, 2])
    >>> b = tf.SparseTensor([[0, 1], [1, 1]], [2.0, 5.0], [2, 2])
    >>> tf.sparse.add(a, b).values.tolist()
    [3.0, 5.0]
    """
    sparse_a, sparse_b = isinstance(a, SparseTensor), isinstance(b, SparseTensor)
    if not (sparse_a or sparse_b):
        raise TypeError(
            "tf.sparse.add: At least one input should be SparseTensor; do you mean to use tf.add()?"
        )
    if sparse_a and sparse_b:
        _numeric(a, "tf.sparse.add")
        unique, inv_a, inv_b, shape = _union(a, b, "tf.sparse.add")
        values = torch.zeros(unique.shape[0], dtype=a.dtype, device=a.values.device)
        values = values.index_add(0, inv_a, a.values).index_add(0, inv_b, b.values)
        indices = _unravel(unique, shape)
        if threshold:
            # As TF: only coordinates present in both operands (true sums) are thresholded;
            # a value from one operand alone is copied as it is.
            both = torch.cat([inv_a, inv_b])
            count = torch.bincount(both, minlength=unique.shape[0])
            keep = (values.abs() >= threshold) | (count < 2)
            indices, values = indices[keep], values[keep]
        return SparseTensor(indices, values, shape)
    sp, dense = (a, b) if sparse_a else (b, a)
    _numeric(sp, "tf.sparse.add")
    dense = _convert_to_tensor(dense, dtype=sp.dtype).to(sp.values.device)
    shape = _dims(sp)
    if list(dense.shape) != shape:
        raise _InvalidArgumentError(
            f"tf.sparse.add: the dense tensor has shape {list(dense.shape)} but the "
            f"SparseTensor's dense shape is {shape}; they must be equal."
        )
    if sp.values.shape[0] == 0:
        return dense.clone()
    return dense.index_put(tuple(sp.indices.t()), sp.values, accumulate=True)


def _elementwise(sp_a, sp_b, op, where: str) -> SparseTensor:
    a = _require_sparse(sp_a, where)
    b = _require_sparse(sp_b, where)
    _numeric(a, where)
    unique, inv_a, inv_b, shape = _union(a, b, where)
    # Coordinates missing on one side count as zero, as in TensorFlow.
    zeros = torch.zeros(unique.shape[0], dtype=a.dtype, device=a.values.device)
    full_a = zeros.index_put((inv_a,), a.values)
    full_b = zeros.index_put((inv_b,), b.values)
    return SparseTensor(_unravel(unique, shape), op(full_a, full_b), shape)


def maximum(sp_a, sp_b, name=None) -> SparseTensor:
    """Elementwise maximum of two SparseTensors of the same dense shape.

    Coordinates stored in only one of them are compared with 0.

    Example:
    >>> a = tf.SparseTensor([[0], [1]], [1.0, -2.0], [3])
    >>> b = tf.SparseTensor([[1], [2]], [-1.0, 4.0], [3])
    >>> tf.sparse.maximum(a, b).values.tolist()
    [1.0, -1.0, 4.0]
    """
    del name
    return _elementwise(sp_a, sp_b, torch.maximum, "tf.sparse.maximum")


def minimum(sp_a, sp_b, name=None) -> SparseTensor:
    """Elementwise minimum of two SparseTensors of the same dense shape.

    Coordinates stored in only one of them are compared with 0.

    Example:
    >>> a = tf.SparseTensor([[0], [1]], [1.0, -2.0], [3])
    >>> b = tf.SparseTensor([[1], [2]], [-1.0, 4.0], [3])
    >>> tf.sparse.minimum(a, b).values.tolist()
    [0.0, -2.0, 0.0]
    """
    del name
    return _elementwise(sp_a, sp_b, torch.minimum, "tf.sparse.minimum")


def _matmul_operand(sp: SparseTensor, adjoint: bool, where: str):
    _numeric(sp, where)
    shape = _dims(sp)
    if len(shape) != 2:
        raise _InvalidArgumentError(
            f"{where}: the SparseTensor must have rank 2 (a matrix), got dense shape {shape}."
        )
    rows, cols = sp.indices[:, 0], sp.indices[:, 1]
    values = sp.values
    if adjoint:
        rows, cols, shape = cols, rows, shape[::-1]
        values = values.conj() if values.is_complex() else values
    return rows, cols, values, shape


def _adjoint(dense: torch.Tensor, adjoint: bool) -> torch.Tensor:
    if not adjoint:
        return dense
    return dense.mH if dense.is_complex() else dense.transpose(-2, -1)


def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """Multiplies a SparseTensor and a dense matrix (either order): `op(a) @ op(b)`.

    Args:
        sp_a: a rank-2 `tf.SparseTensor` (or a dense matrix when `b` is sparse).
        b: a dense matrix (or a rank-2 `tf.SparseTensor` when `sp_a` is dense).
        adjoint_a: use the (conjugate) transpose of the first operand.
        adjoint_b: use the (conjugate) transpose of the second operand.
        name: unused.

    Returns:
        A dense tensor. Gradients flow to the sparse values and the dense matrix.

    Example:
    >>> sp = tf.SparseTensor([[0, 1], [1, 0]], [2.0, 3.0], [2, 2])
    >>> tf.sparse.sparse_dense_matmul(sp, tf.ones([2, 1])).tolist()
    [[2.0], [3.0]]
    """
    del name
    where = "tf.sparse.sparse_dense_matmul"
    if isinstance(sp_a, SparseTensor):
        rows, cols, values, (m, k) = _matmul_operand(sp_a, adjoint_a, where)
        dense = _adjoint(_convert_to_tensor(b, dtype=values.dtype), adjoint_b)
        if dense.dim() != 2 or dense.shape[0] != k:
            raise _InvalidArgumentError(
                f"{where}: Cannot multiply A and B because inner dimension does not match: "
                f"{k} vs. {dense.shape[0] if dense.dim() else 'a scalar'}. Did you forget a "
                f"transpose? Shapes (after adjoints): A {[m, k]}, B {list(dense.shape)}."
            )
        dense = dense.to(values.device)
        out = torch.zeros((m, dense.shape[1]), dtype=values.dtype, device=values.device)
        # out[r] += v * B[c] for each stored (r, c, v): one gather and one index_add.
        return out.index_add(0, rows, values.unsqueeze(1) * dense[cols])
    if not isinstance(b, SparseTensor):
        raise TypeError(f"{where}: one of the two operands must be a SparseTensor.")
    rows, cols, values, (k, n) = _matmul_operand(b, adjoint_b, where)
    dense = _adjoint(_convert_to_tensor(sp_a, dtype=values.dtype), adjoint_a)
    if dense.dim() != 2 or dense.shape[1] != k:
        raise _InvalidArgumentError(
            f"{where}: Cannot multiply A and B because inner dimension does not match: "
            f"{dense.shape[-1] if dense.dim() else 'a scalar'} vs. {k}. Did you forget a "
            f"transpose? Shapes (after adjoints): A {list(dense.shape)}, B {[k, n]}."
        )
    dense = dense.to(values.device)
    out = torch.zeros((dense.shape[0], n), dtype=values.dtype, device=values.device)
    return out.index_add(1, cols, dense[:, rows] * values)


def sampled_addmm(
    indices, values, dense_shape, mat1, mat2, beta=1.0, alpha=1.0, output_type=torch.float32
):
    """`beta * values + alpha * (mat1 @ mat2)`, computed only at `indices`.

    Only the sampled entries of the product are computed (one dot product per
    index), so the full `mat1 @ mat2` is never formed. Leading batch
    dimensions are supported.

    Args:
        indices: integer tensor `(..., nnz, 2)`: the (row, column) of each entry.
        values: tensor `(..., nnz)`: the sparse values to scale by `beta`.
        dense_shape: the `(rows, columns)` of the product.
        mat1: dense tensor `(..., rows, k)`.
        mat2: dense tensor `(..., k, columns)`.
        beta: scale of `values`.
        alpha: scale of the sampled product.
        output_type: the dtype of the output values.

    Returns:
        The tuple `(indices, new_values, dense_shape)`.

    Example:
    >>> m1 = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    >>> m2 = tf.constant([[5.0, 6.0], [7.0, 8.0]])
    >>> _, out, _ = tf.sparse.sampled_addmm([[0, 1]], [1.0], [2, 2], m1, m2, beta=0.5, alpha=2.0)
    >>> out.tolist()
    [44.5]
    """
    where = "tf.sparse.sampled_addmm"
    dtype = _as_dtype(output_type)
    indices = _convert_to_tensor(indices)
    values = _convert_to_tensor(values, dtype=dtype)
    dense_shape = _convert_to_tensor(dense_shape)
    mat1 = _convert_to_tensor(mat1, dtype=dtype)
    mat2 = _convert_to_tensor(mat2, dtype=dtype)
    if mat1.dim() < 2 or mat2.dim() < 2 or mat1.shape[-1] != mat2.shape[-2]:
        raise _InvalidArgumentError(
            f"{where}: cannot multiply mat1 of shape {tuple(mat1.shape)} by mat2 of shape "
            f"{tuple(mat2.shape)}; their inner dimensions must match."
        )
    product_shape = [mat1.shape[-2], mat2.shape[-1]]
    if dense_shape.tolist() != product_shape:
        raise ValueError(
            f"{where}: Dense shape: {dense_shape.tolist()} does not match output shape: "
            f"{product_shape}."
        )
    index = indices.to(device=mat1.device, dtype=torch.int64)
    k = mat1.shape[-1]
    rows = index[..., 0].unsqueeze(-1).expand(*index.shape[:-1], k)
    cols = index[..., 1].unsqueeze(-1).expand(*index.shape[:-1], k)
    # One dot product per sampled (row, column): mat1[row, :] . mat2[:, column].
    left = torch.gather(mat1, -2, rows)
    right = torch.gather(mat2.transpose(-2, -1), -2, cols)
    sampled = (left * right).sum(-1)
    return indices, beta * values.to(mat1.device) + alpha * sampled, dense_shape


# ---------------------------------------------------------------------------------------------
# reductions


def _reduce(sp_input, axis, keepdims, output_is_sparse, mode: str, where: str):
    sp = _require_sparse(sp_input, where)
    _numeric(sp, where)
    shape = _dims(sp)
    rank = len(shape)
    if axis is None:
        axes = set(range(rank))
    else:
        axes = set()
        for a in _int_list(axis, where, "axis"):
            if not -rank <= a < rank:
                raise _InvalidArgumentError(
                    f"{where}: Invalid reduction dimension {a}, for input with {rank} dimensions."
                )
            axes.add(a % rank)
    kept = [d for d in range(rank) if d not in axes]
    kept_shape = [shape[d] for d in kept]
    values = sp.values
    device = values.device
    position = _linear(sp.indices[:, kept], kept_shape)

    def reduce_into(size, index):
        if mode == "sum":
            return torch.zeros(size, dtype=values.dtype, device=device).index_add(0, index, values)
        from tork.ops.math import _scatter_extreme, _zero_empty_segments

        # A group's maximum is over its stored values only; groups with no stored value
        # give 0, as in TensorFlow.
        out = _scatter_extreme((size,), index, values, "amax")
        return _zero_empty_segments(out, index, size)

    full_shape = [1 if d in axes else shape[d] for d in range(rank)]
    if output_is_sparse:
        unique, inverse = torch.unique(position, sorted=True, return_inverse=True)
        out_values = reduce_into(unique.shape[0], inverse)
        out_indices = _unravel(unique, kept_shape)
        if keepdims:
            full = torch.zeros((unique.shape[0], rank), dtype=torch.int64, device=device)
            full[:, kept] = out_indices
            return SparseTensor(full, out_values, full_shape)
        return SparseTensor(out_indices, out_values, kept_shape)
    out = reduce_into(_math.prod(kept_shape), position).reshape(kept_shape)
    return out.reshape(full_shape) if keepdims else out


def reduce_sum(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """Sums a SparseTensor's values over `axis` (all axes by default).

    Args:
        sp_input: a `tf.SparseTensor`.
        axis: int or list of ints; None reduces every axis.
        keepdims: keep reduced axes with size 1.
        output_is_sparse: return a SparseTensor of the non-empty groups
            instead of a dense tensor.
        name: unused.

    Example:
    >>> sp = tf.SparseTensor([[0, 1], [1, 0], [1, 2]], [1.0, 2.0, 3.0], [2, 3])
    >>> tf.sparse.reduce_sum(sp, axis=1).tolist()
    [1.0, 5.0]
    """
    del name
    return _reduce(sp_input, axis, keepdims, output_is_sparse, "sum", "tf.sparse.reduce_sum")


def reduce_max(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """Maximum of a SparseTensor's stored values over `axis`, as TensorFlow's.

    Only stored values count (implicit zeros do not); a group with no stored
    value gives 0.

    Example:
    >>> sp = tf.SparseTensor([[0, 1], [1, 0], [1, 2]], [-1.0, 2.0, 3.0], [2, 3])
    >>> tf.sparse.reduce_max(sp, axis=1).tolist()
    [-1.0, 3.0]
    """
    del name
    return _reduce(sp_input, axis, keepdims, output_is_sparse, "max", "tf.sparse.reduce_max")


def softmax(sp_input, name=None) -> SparseTensor:
    """Softmax over the last dimension of a SparseTensor, over stored values only.

    Example:
    >>> sp = tf.SparseTensor([[0, 0], [0, 2], [1, 1]], [1.0, 2.0, 3.0], [2, 3])
    >>> [round(v, 4) for v in tf.sparse.softmax(sp).values.tolist()]
    [0.2689, 0.7311, 1.0]
    """
    del name
    where = "tf.sparse.softmax"
    sp = _require_sparse(sp_input, where)
    shape = _dims(sp)
    if len(shape) < 2:
        raise _InvalidArgumentError(
            f"{where}: Input should have rank >= 2, but received dense shape {shape}."
        )
    if _is_string(sp.values) or not sp.values.is_floating_point():
        raise TypeError(f"{where}: values must be floating point, got {_dtype_name(sp.dtype)}.")
    group = _linear(sp.indices[:, :-1], shape[:-1])
    size = _math.prod(shape[:-1])
    values = sp.values
    top = torch.zeros(size, dtype=values.dtype, device=values.device)
    top = top.scatter_reduce(0, group, values.detach(), "amax", include_self=False)
    exp = torch.exp(values - top[group])
    total = torch.zeros(size, dtype=values.dtype, device=values.device).index_add(0, group, exp)
    return sp.with_values(exp / total[group])


# ---------------------------------------------------------------------------------------------
# structure


def retain(sp_input, to_retain) -> SparseTensor:
    """Keeps the stored values where the boolean vector `to_retain` is True.

    Example:
    >>> sp = tf.SparseTensor([[0, 1], [1, 0]], [1.0, 2.0], [2, 3])
    >>> tf.sparse.retain(sp, [True, False]).values.tolist()
    [1.0]
    """
    sp = _require_sparse(sp_input, "tf.sparse.retain")
    keep = _convert_to_tensor(to_retain, dtype=torch.bool).to(sp.indices.device)
    if keep.dim() != 1 or keep.shape[0] != sp.indices.shape[0]:
        raise ValueError(
            f"tf.sparse.retain: to_retain must be a vector with one bool per stored value "
            f"({sp.indices.shape[0]}), got shape {tuple(keep.shape)} (Dimensions "
            f"{sp.indices.shape[0]} and {keep.shape[0] if keep.dim() else 0} are not "
            "compatible)."
        )
    return SparseTensor(sp.indices[keep], _take(sp.values, keep), sp.dense_shape)


def fill_empty_rows(sp_input, default_value, name=None):
    """Gives every empty row (along dimension 0) one value `default_value` at column 0.

    Returns:
        `(sp_ordered_output, empty_row_indicator)`: the filled SparseTensor in
        row-major order and a bool vector marking the rows that were empty.

    Example:
    >>> sp = tf.SparseTensor([[1, 1]], [5.0], [3, 3])
    >>> out, empty = tf.sparse.fill_empty_rows(sp, -1.0)
    >>> out.values.tolist(), empty.tolist()
    ([-1.0, 5.0, -1.0], [True, False, True])
    """
    del name
    sp = _require_sparse(sp_input, "tf.sparse.fill_empty_rows")
    shape = _dims(sp)
    device = sp.indices.device
    counts = torch.bincount(sp.indices[:, 0], minlength=shape[0]) if shape else None
    empty = counts[: shape[0]] == 0
    rows = empty.nonzero()[:, 0]
    new_indices = torch.zeros((rows.shape[0], len(shape)), dtype=torch.int64, device=device)
    new_indices[:, 0] = rows
    if _is_string(sp.values):
        fill = _string_tensor.make(default_value, "tf.sparse.fill_empty_rows")
        if fill.dim() != 0:
            raise ValueError("tf.sparse.fill_empty_rows: default_value must be a scalar.")
        new_values = _string_tensor.wrap(np.full(rows.shape[0], fill[()], dtype=object))
    else:
        if _string_tensor.is_string(default_value):
            raise TypeError(
                f"tf.sparse.fill_empty_rows: default_value {default_value!r} is a string but the "
                f"values have dtype {_dtype_name(sp.dtype)}."
            )
        fill = _convert_to_tensor(default_value, dtype=sp.dtype).to(sp.values.device)
        if fill.dim() != 0:
            raise ValueError("tf.sparse.fill_empty_rows: default_value must be a scalar.")
        new_values = fill.expand(rows.shape[0])
    out = _sorted(torch.cat([sp.indices, new_indices]), _cat([sp.values, new_values]), shape)
    return out, empty


def _slice(sp: SparseTensor, start: list, size: list) -> SparseTensor:
    shape = _dims(sp)
    device = sp.indices.device
    start_t = torch.tensor(start, dtype=torch.int64, device=device)
    end = [min(s + z, d) for s, z, d in zip(start, size, shape)]
    out_shape = [max(e - s, 0) for s, e in zip(start, end)]
    end_t = torch.tensor(end, dtype=torch.int64, device=device)
    keep = ((sp.indices >= start_t) & (sp.indices < end_t)).all(1)
    return SparseTensor(sp.indices[keep] - start_t, _take(sp.values, keep), out_shape)


def slice(sp_input, start, size, name=None) -> SparseTensor:  # noqa: A001 - TF's name
    """The part of a SparseTensor in the box `[start, start + size)` (clipped to its shape).

    Example:
    >>> sp = tf.SparseTensor([[0, 1], [1, 0], [1, 2]], [1.0, 2.0, 3.0], [2, 3])
    >>> tf.sparse.slice(sp, [0, 1], [2, 2]).values.tolist()
    [1.0, 3.0]
    """
    del name
    where = "tf.sparse.slice"
    sp = _require_sparse(sp_input, where)
    rank = len(_dims(sp))
    start = _int_list(start, where, "start")
    size = _int_list(size, where, "size")
    for what, value in (("start", start), ("size", size)):
        if len(value) != rank:
            raise _InvalidArgumentError(
                f"{where}: Expected {what} to be a vector of length {rank} but got length "
                f"{len(value)}."
            )
    if any(s < 0 for s in start) or any(z < 0 for z in size):
        raise _InvalidArgumentError(f"{where}: start and size must be >= 0, got {start}, {size}.")
    return _slice(sp, start, size)


def split(sp_input=None, num_split=None, axis=None, name=None) -> list:
    """Splits a SparseTensor into `num_split` pieces along `axis`.

    When the dimension does not divide evenly, the first pieces are one larger.

    Example:
    >>> sp = tf.SparseTensor([[0, 1], [1, 0], [1, 2]], [1.0, 2.0, 3.0], [2, 3])
    >>> [p.dense_shape.tolist() for p in tf.sparse.split(sp_input=sp, num_split=2, axis=1)]
    [[2, 2], [2, 1]]
    """
    del name
    where = "tf.sparse.split"
    sp = _require_sparse(sp_input, where)
    if num_split is None or axis is None:
        raise ValueError(f"{where}: num_split and axis are required.")
    shape = _dims(sp)
    rank = len(shape)
    axis = int(axis)
    if not -rank <= axis < rank:
        raise _InvalidArgumentError(
            f"{where}: Input axis should be in range [{-rank}, {rank}), got {axis}."
        )
    axis %= rank
    num_split = int(num_split)
    if num_split < 1:
        raise _InvalidArgumentError(f"{where}: num_split must be >= 1, got {num_split}.")
    base, extra = divmod(shape[axis], num_split)
    pieces, offset = [], 0
    for i in range(num_split):
        length = base + (1 if i < extra else 0)
        start = [0] * rank
        size = list(shape)
        start[axis], size[axis] = offset, length
        pieces.append(_slice(sp, start, size))
        offset += length
    return pieces


def concat(axis, sp_inputs, expand_nonconcat_dims=False, name=None) -> SparseTensor:
    """Concatenates SparseTensors along `axis`.

    Args:
        axis: the dimension to concatenate along.
        sp_inputs: a list of `tf.SparseTensor`s of the same rank.
        expand_nonconcat_dims: allow other dimensions to differ; the result
            takes their maximum.
        name: unused.

    Example:
    >>> a = tf.SparseTensor([[0, 0]], [1.0], [2, 2])
    >>> b = tf.SparseTensor([[1, 0]], [2.0], [2, 1])
    >>> tf.sparse.concat(1, [a, b]).indices.tolist()
    [[0, 0], [1, 2]]
    """
    del name
    where = "tf.sparse.concat"
    if isinstance(sp_inputs, SparseTensor) or not sp_inputs:
        raise ValueError(f"{where}: sp_inputs must be a non-empty list of SparseTensors.")
    inputs = [_require_sparse(sp, where) for sp in sp_inputs]
    shapes = [_dims(sp) for sp in inputs]
    rank = len(shapes[0])
    for i, shape in enumerate(shapes):
        if len(shape) != rank:
            raise _InvalidArgumentError(
                f"{where}: all inputs must have the same rank, but input 0 has rank {rank} "
                f"and input {i} has rank {len(shape)}."
            )
    axis = _axis(axis, rank, where)
    out_shape = [max(s[d] for s in shapes) for d in range(rank)]
    if not expand_nonconcat_dims:
        for i, shape in enumerate(shapes):
            for d in range(rank):
                if d != axis and shape[d] != shapes[0][d]:
                    raise _InvalidArgumentError(
                        f"{where}: Input shapes must match: expected {shapes[0][d]} for "
                        f"dimension {d} but got {shape[d]} at position {i}. Pass "
                        "expand_nonconcat_dims=True to take the largest size."
                    )
    out_shape[axis] = sum(s[axis] for s in shapes)
    parts, offset = [], 0
    for sp, shape in zip(inputs, shapes):
        shifted = sp.indices.clone()
        shifted[:, axis] += offset
        parts.append(shifted)
        offset += shape[axis]
    return _sorted(torch.cat(parts), _cat([sp.values for sp in inputs]), out_shape)


def transpose(sp_input, perm=None, name=None) -> SparseTensor:
    """Permutes a SparseTensor's dimensions (reverses them by default); indices are re-sorted.

    Example:
    >>> sp = tf.SparseTensor([[0, 1], [1, 0]], [1.0, 2.0], [2, 3])
    >>> tf.sparse.transpose(sp).dense_shape.tolist()
    [3, 2]
    """
    del name
    where = "tf.sparse.transpose"
    sp = _require_sparse(sp_input, where)
    shape = _dims(sp)
    rank = len(shape)
    perm = list(range(rank))[::-1] if perm is None else _int_list(perm, where, "perm")
    if sorted(p % rank if rank else p for p in perm) != list(range(rank)) or any(
        not -rank <= p < rank for p in perm
    ):
        raise _InvalidArgumentError(
            f"{where}: perm {perm} is not a permutation of the {rank} dimensions."
        )
    perm = [p % rank for p in perm]
    return _sorted(sp.indices[:, perm], sp.values, [shape[p] for p in perm])


def expand_dims(sp_input, axis=None, name=None) -> SparseTensor:
    """Inserts a dimension of size 1 at `axis` (the end by default).

    Example:
    >>> sp = tf.SparseTensor([[0, 1]], [1.0], [2, 3])
    >>> tf.sparse.expand_dims(sp, 0).dense_shape.tolist()
    [1, 2, 3]
    """
    del name
    where = "tf.sparse.expand_dims"
    sp = _require_sparse(sp_input, where)
    shape = _dims(sp)
    rank = len(shape)
    axis = -1 if axis is None else int(axis)
    if not -rank - 1 <= axis <= rank:
        raise _InvalidArgumentError(
            f"{where}: axis {axis} is out of range for rank {rank}: use {-rank - 1} <= axis "
            f"<= {rank}."
        )
    axis %= rank + 1
    zeros = torch.zeros((sp.indices.shape[0], 1), dtype=torch.int64, device=sp.indices.device)
    indices = torch.cat([sp.indices[:, :axis], zeros, sp.indices[:, axis:]], 1)
    return SparseTensor(indices, sp.values, shape[:axis] + [1] + shape[axis:])


def to_indicator(sp_input, vocab_size, name=None) -> torch.Tensor:
    """A dense bool tensor marking, per row, which ids the SparseTensor's values hold.

    For a SparseTensor of dense shape `(..., n)` with integer ids as values,
    returns a bool tensor of shape `(..., vocab_size)`.

    Example:
    >>> sp = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [3, 1, 2], [2, 2])
    >>> tf.sparse.to_indicator(sp, 4).tolist()
    [[False, True, False, True], [False, False, True, False]]
    """
    del name
    where = "tf.sparse.to_indicator"
    sp = _require_sparse(sp_input, where)
    _numeric(sp, where)
    shape = _dims(sp)
    vocab_size = int(vocab_size)
    ids = sp.values.to(torch.int64)
    out = torch.zeros(shape[:-1] + [vocab_size], dtype=torch.bool, device=sp.values.device)
    if ids.shape[0] == 0:
        return out
    if bool(((ids < 0) | (ids >= vocab_size)).any()):
        bad = ids[(ids < 0) | (ids >= vocab_size)][0]
        raise _InvalidArgumentError(
            f"{where}: value {int(bad)} is out of range for vocab_size {vocab_size} "
            f"(need 0 <= value < {vocab_size})."
        )
    index = tuple(sp.indices[:, :-1].t()) + (ids,)
    return out.index_put(index, torch.ones((), dtype=torch.bool, device=out.device))


def eye(num_rows, num_columns=None, dtype=torch.float32, name=None) -> SparseTensor:
    """A sparse identity matrix of shape `(num_rows, num_columns)`.

    Example:
    >>> tf.sparse.eye(3).indices.tolist()
    [[0, 0], [1, 1], [2, 2]]
    """
    del name
    rows = int(num_rows)
    cols = rows if num_columns is None else int(num_columns)
    if rows < 0 or cols < 0:
        raise _InvalidArgumentError(
            f"tf.sparse.eye: num_rows and num_columns must be >= 0, got {rows} and {cols}."
        )
    dtype = _as_dtype(dtype)
    device = _current_device()
    diagonal = torch.arange(min(rows, cols), dtype=torch.int64, device=device)
    indices = torch.stack([diagonal, diagonal], 1)
    ones = torch.ones(diagonal.shape[0], dtype=dtype, device=device)
    return SparseTensor(indices, ones, [rows, cols])


def map_values(op, *args, **kwargs):
    """Applies `op` to the values of the SparseTensors in `args`/`kwargs`.

    All SparseTensor arguments must have the same indices and dense shape;
    each is replaced by its values, and the result takes their indices.

    Example:
    >>> sp = tf.SparseTensor([[0, 1]], [-3.0], [2, 3])
    >>> tf.sparse.map_values(tf.abs, sp).values.tolist()
    [3.0]
    """
    found: list = []

    def replace(value):
        if isinstance(value, SparseTensor):
            found.append(value)
            return value.values
        if isinstance(value, (list, tuple)):
            return type(value)(replace(v) for v in value)
        if isinstance(value, dict):
            return {k: replace(v) for k, v in value.items()}
        return value

    new_args = replace(list(args))
    new_kwargs = replace(kwargs)
    if not found:
        raise ValueError("No SparseTensor in argument list of map_values")
    first = found[0]
    for other in found[1:]:
        if not (
            torch.equal(other.dense_shape, first.dense_shape)
            and other.indices.shape == first.indices.shape
            and torch.equal(other.indices, first.indices)
        ):
            raise _InvalidArgumentError(
                "tf.sparse.map_values: Mismatched indices! All SparseTensor arguments must "
                "have the same indices and dense_shape."
            )
    return first.with_values(op(*new_args, **new_kwargs))


# ---------------------------------------------------------------------------------------------
# segments and counts


def _segment(data, indices, segment_ids, num_segments, mode: str, where: str):
    data = _convert_to_tensor(data)
    if mode != "sum" and not data.is_floating_point():
        raise TypeError(
            f"{where}: data must be floating point, got {_dtype_name(data.dtype)}"
            ". Cast it with tf.cast first."
        )
    indices = _convert_to_tensor(indices).to(device=data.device, dtype=torch.int64)
    segment_ids = _convert_to_tensor(segment_ids).to(device=data.device, dtype=torch.int64)
    if indices.shape != segment_ids.shape:
        raise _InvalidArgumentError(
            f"{where}: indices and segment_ids must have the same shape, got "
            f"{tuple(indices.shape)} and {tuple(segment_ids.shape)}."
        )
    if num_segments is None:
        count = int(segment_ids.max()) + 1 if segment_ids.numel() else 0
    else:
        count = int(num_segments)
    rows = data[indices]
    out = torch.zeros((count, *data.shape[1:]), dtype=data.dtype, device=data.device)
    out = out.index_add(0, segment_ids, rows)
    if mode == "sum":
        return out
    sizes = torch.zeros(count, dtype=data.dtype, device=data.device)
    sizes = sizes.index_add(0, segment_ids, torch.ones_like(segment_ids, dtype=data.dtype))
    sizes = sizes.clamp(min=1)
    if mode == "sqrt_n":
        sizes = sizes.sqrt()
    return out / sizes.reshape(-1, *([1] * (data.dim() - 1)))


def segment_sum(data, indices, segment_ids, num_segments=None, name=None):
    """Sums the rows `data[indices]` into segments `segment_ids`.

    Example:
    >>> data = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> tf.sparse.segment_sum(data, [0, 2], [0, 0]).tolist()
    [[6.0, 8.0]]
    """
    del name
    return _segment(data, indices, segment_ids, num_segments, "sum", "tf.sparse.segment_sum")


def segment_mean(data, indices, segment_ids, num_segments=None, name=None):
    """Averages the rows `data[indices]` per segment (empty segments give 0).

    Example:
    >>> data = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> tf.sparse.segment_mean(data, [0, 2], [0, 0]).tolist()
    [[3.0, 4.0]]
    """
    del name
    return _segment(data, indices, segment_ids, num_segments, "mean", "tf.sparse.segment_mean")


def segment_sqrt_n(data, indices, segment_ids, num_segments=None, name=None):
    """Sums the rows `data[indices]` per segment, divided by sqrt(segment size).

    Example:
    >>> data = tf.constant([[3.0], [4.0]])
    >>> tf.sparse.segment_sqrt_n(data, [0, 1], [0, 0]).tolist()
    [[4.949747562408447]]
    """
    del name
    return _segment(data, indices, segment_ids, num_segments, "sqrt_n", "tf.sparse.segment_sqrt_n")


def bincount(
    values,
    weights=None,
    axis=0,
    minlength=None,
    maxlength=None,
    binary_output=False,
    name=None,
) -> SparseTensor:
    """Counts integer values, returning the counts as a SparseTensor.

    Args:
        values: a dense tensor or `tf.SparseTensor` of non-negative integers.
        weights: optional weights, one per value (summed instead of counting).
        axis: 0 counts over everything; -1 counts each row of a 2-D input.
        minlength: the output has at least this many bins.
        maxlength: values >= maxlength are ignored; at most this many bins.
        binary_output: 1 where a value occurs instead of its count.
        name: unused.

    Example:
    >>> out = tf.sparse.bincount(tf.constant([1, 1, 3]))
    >>> out.indices.tolist(), out.values.tolist(), out.dense_shape.tolist()
    ([[1], [3]], [2, 1], [4])
    """
    del name
    where = "tf.sparse.bincount"
    if axis not in (0, -1):
        raise ValueError(
            f"{where}: Unsupported value for argument axis={axis}. Only 0 and -1 are "
            "currently supported."
        )
    if isinstance(values, SparseTensor):
        ids = values.values
        rows = values.indices[:, 0] if values.indices.shape[1] else None
        num_rows = _dims(values)[0] if _dims(values) else 1
    else:
        dense = _convert_to_tensor(values)
        ids = dense.reshape(-1)
        rows = None
        num_rows = 1
        if axis == -1:
            if dense.dim() != 2:
                raise ValueError(f"{where}: axis=-1 needs a 2-D input, got shape {dense.shape}.")
            num_rows = dense.shape[0]
            rows = torch.arange(num_rows, device=dense.device).repeat_interleave(dense.shape[1])
    if ids.is_floating_point():
        raise TypeError(f"{where}: values must be integers, got {_dtype_name(ids.dtype)}.")
    if bool((ids < 0).any()):
        raise _InvalidArgumentError(f"{where}: Input values must all be non-negative.")
    out_dtype = ids.dtype
    if weights is not None:
        weights = _bincount_weights(values, weights, where).reshape(-1).to(ids.device)
        out_dtype = weights.dtype
    ids = ids.to(torch.int64)
    # TF's count kernel starts its running maximum at 0 (no values still give one bin),
    # and a maxlength sets the number of bins outright (over minlength too).
    size = max(int(ids.max()) if ids.numel() else 0, 0) + 1
    if minlength is not None:
        size = max(size, int(minlength))
    if maxlength is not None:
        size = int(maxlength)
        keep = ids < int(maxlength)
        ids = ids[keep]
        rows = rows[keep] if rows is not None else None
        weights = weights[keep] if weights is not None else None
    if axis == 0:
        rows = None
    key = ids if rows is None else rows.to(torch.int64) * max(size, 1) + ids
    unique, inverse = torch.unique(key, sorted=True, return_inverse=True)
    if binary_output:
        counts = torch.ones(unique.shape[0], dtype=out_dtype, device=ids.device)
    else:
        add_in = weights if weights is not None else torch.ones_like(ids, dtype=out_dtype)
        counts = torch.zeros(unique.shape[0], dtype=out_dtype, device=ids.device)
        counts = counts.index_add(0, inverse, add_in.to(out_dtype))
    if rows is None:
        return SparseTensor(unique.unsqueeze(1), counts, [size])
    indices = torch.stack([unique // max(size, 1), unique % max(size, 1)], 1)
    return SparseTensor(indices, counts, [num_rows, size])


def _bincount_weights(values, weights, where: str) -> torch.Tensor:
    """The weights of `tf.sparse.bincount`, one per value: a SparseTensor input takes a
    SparseTensor of weights at the same indices (as TF), a dense input a dense one."""
    if not isinstance(values, SparseTensor):
        return _convert_to_tensor(weights)
    if not isinstance(weights, SparseTensor):
        raise ValueError(
            f"{where}: `weights` must be a SparseTensor when `values` is a SparseTensor "
            f"(got {type(weights).__name__}); build it with the values' indices: "
            f"tf.SparseTensor(values.indices, w, values.dense_shape)."
        )
    if _dims(weights) != _dims(values) or not torch.equal(
        weights.indices.to(values.indices.device), values.indices
    ):
        raise _InvalidArgumentError(
            f"{where}: `weights` and `values` must have the same dense shape and indices; got "
            f"dense shapes {_dims(weights)} and {_dims(values)}."
        )
    return weights.values


def mask(a, mask_indices, name=None) -> _IndexedSlices:
    """Removes the slices of an `_IndexedSlices` whose index is in `mask_indices`.

    Example:
    >>> s = tf.IndexedSlices(tf.constant([[1.0], [2.0], [3.0]]), tf.constant([0, 2, 4]))
    >>> tf.sparse.mask(s, tf.constant([2])).indices.tolist()
    [0, 4]
    """
    del name
    if not isinstance(a, _IndexedSlices):
        raise TypeError(f"tf.sparse.mask: a must be a tf.IndexedSlices, got {type(a).__name__}.")
    drop = _convert_to_tensor(mask_indices).to(a.indices.device)
    keep = ~torch.isin(a.indices, drop)
    return _IndexedSlices(a.values[keep], a.indices[keep], a.dense_shape)


def _cross_rows(value, position: int, where: str):
    """One `cross` input as (batch size, per-row lists of its values)."""
    if isinstance(value, SparseTensor):
        shape = _dims(value)
        if len(shape) != 2:
            raise _InvalidArgumentError(
                f"{where}: SparseTensor inputs must be matrices, got dense shape {shape} at "
                f"position {position}."
            )
        rows = value.indices[:, 0].tolist()
        items = _cross_items(value.values)
        out = [[] for _ in range(shape[0])]
        for row, item in zip(rows, items):
            out[row].append(item)
        return shape[0], out
    if _is_string(value) or _string_tensor.is_string(value):
        array = np.asarray(_string_tensor.make(value, where).view(np.ndarray))
    else:
        array = _convert_to_tensor(value)
    if array.ndim != 2:
        raise _InvalidArgumentError(
            f"{where}: Dense inputs should be a matrix but received shape {list(array.shape)} "
            f"at position {position}."
        )
    items = _cross_items(array.reshape(-1))
    width = array.shape[1]
    return array.shape[0], [items[i * width : (i + 1) * width] for i in range(array.shape[0])]


def _cross_items(values) -> list:
    """Values as Python bytes (strings) or ints (numbers, cast to int64 as TensorFlow does)."""
    if isinstance(values, np.ndarray) and values.dtype == object:
        return [bytes(v) for v in values.tolist()]
    if _is_string(values):
        return [bytes(v) for v in values.view(np.ndarray).tolist()]
    return values.to(torch.int64).tolist()


def _cross_columns(inputs, where: str, sparse_first: bool = True):
    """(batch size, one list of per-row value lists per input), checked as TensorFlow does."""
    if not isinstance(inputs, list):
        raise TypeError(
            f"{where}: Inputs must be a list of tensors and SparseTensors, got "
            f"{type(inputs).__name__}."
        )
    batch, columns = None, []
    for position, value in enumerate(inputs):
        size, rows = _cross_rows(value, position, where)
        if batch is not None and size != batch:
            raise _InvalidArgumentError(
                f"{where}: Expected batch size {batch} got {size} at input {position}."
            )
        batch = size
        columns.append(rows)
    if not sparse_first:  # tf.ragged.cross crosses in the given order
        return batch or 0, columns
    # TensorFlow crosses every SparseTensor input first, then the dense ones, each group
    # in the given order: tf.sparse.cross([dense, sparse]) gives b"<sparse>_X_<dense>".
    sparse = [rows for value, rows in zip(inputs, columns) if isinstance(value, SparseTensor)]
    dense = [rows for value, rows in zip(inputs, columns) if not isinstance(value, SparseTensor)]
    return batch or 0, sparse + dense


def _cross_output(batch: int, columns: list, combine, start, values_out):
    """Per row, folds every combination (first input slowest) with `combine`."""
    indices, values, width = [], [], 0
    for row in range(batch):
        combos = [start]
        for c, rows in enumerate(columns):
            combos = [combine(prefix, item, c) for prefix in combos for item in rows[row]]
        indices.extend((row, k) for k in range(len(combos)))
        values.extend(combos)
        width = max(width, len(combos))
    out_indices = torch.tensor(indices, dtype=torch.int64).reshape(-1, 2)
    return SparseTensor(out_indices, values_out(values), [batch, width])


def cross(inputs, name=None, separator=None) -> SparseTensor:
    """Crosses features: per row, every combination of one value from each input.

    Args:
        inputs: a list of rank-2 dense tensors and/or `tf.SparseTensor`s with the
            same batch size (dimension 0); values are strings or integers.
        name: unused.
        separator: the string joining the crossed values (default `"_X_"`).

    Returns:
        A string `tf.SparseTensor` of dense shape `(batch, most combinations)`;
        the first input's values vary slowest.

    Example:
    >>> out = tf.sparse.cross([tf.constant([["a", "b"]]), tf.constant([["x"]])])
    >>> out.values.numpy().tolist()
    [b'a_X_x', b'b_X_x']
    """
    del name
    return _cross(inputs, separator, sparse_first=True)


def _cross(inputs, separator, sparse_first: bool) -> SparseTensor:
    where = "tf.sparse.cross"
    sep = (separator if separator is not None else "_X_").encode()
    batch, columns = _cross_columns(inputs, where, sparse_first)

    def combine(prefix: bytes, item, c: int) -> bytes:
        text = item if isinstance(item, bytes) else str(item).encode()
        return prefix + sep + text if c else text

    def strings(values: list):
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return _string_tensor.wrap(out)

    return _cross_output(batch, columns, combine, b"", strings)


def cross_hashed(inputs, num_buckets=0, hash_key=None, name=None) -> SparseTensor:
    """Crosses features as `tf.sparse.cross`, hashing each combination (as TensorFlow).

    Each combination's hash is TensorFlow's FingerprintCat64 chain, starting at
    `hash_key`, over each value's FarmHash Fingerprint64 (strings) or its int64
    bits (integers), bit for bit as `tf.sparse.cross_hashed`.

    Args:
        inputs: a list of rank-2 dense tensors and/or `tf.SparseTensor`s.
        num_buckets: if > 0, the output is `hash % num_buckets`.
        hash_key: the starting key (TensorFlow's default when None).
        name: unused.

    Returns:
        An int64 `tf.SparseTensor` of dense shape `(batch, most combinations)`.

    Example:
    >>> out = tf.sparse.cross_hashed([tf.constant([["a", "b"]]), tf.constant([["x"]])], 10)
    >>> out.dense_shape.tolist()
    [1, 2]
    """
    del name
    return _cross_hashed(inputs, num_buckets, hash_key, sparse_first=True)


def _cross_hashed(inputs, num_buckets, hash_key, sparse_first: bool) -> SparseTensor:
    # Imported here: the hashes live with the Keras preprocessing layers (HashedCrossing).
    from tork.keras.layers.preprocessing._fingerprint import (
        CROSS_HASH_KEY,
        fingerprint64,
        fingerprint_cat64,
    )

    where = "tf.sparse.cross_hashed"
    batch, columns = _cross_columns(inputs, where, sparse_first)
    mask = (1 << 64) - 1
    buckets = int(num_buckets)
    if buckets < 0:
        raise ValueError(f"{where}: num_buckets must be >= 0, got {buckets}.")

    def combine(prefix: int, item, c: int) -> int:
        del c
        bits = fingerprint64(item) if isinstance(item, bytes) else int(item) & mask
        return fingerprint_cat64(prefix, bits)

    def hashes(values: list) -> torch.Tensor:
        if buckets:
            values = [v % buckets for v in values]
        else:  # TensorFlow keeps the uint64 hash in int64 range with `% INT64_MAX`.
            values = [v % ((1 << 63) - 1) for v in values]
        return torch.tensor(values, dtype=torch.int64)

    start = CROSS_HASH_KEY if hash_key is None else int(hash_key) & mask
    return _cross_output(batch, columns, combine, start, hashes)


__getattr__ = _module_getattr("tf.sparse")
