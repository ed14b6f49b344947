"""Categorical encodings shared by CategoryEncoding, Discretization and the lookup layers."""

from __future__ import annotations

import torch
import torch.nn.functional as F

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def check_output_mode(output_mode: str, allowed: tuple, owner: str) -> str:
    """Validates an `output_mode` argument (accepting Keras 2's alias 'binary')."""
    if output_mode == "binary":
        output_mode = "multi_hot"
    if output_mode not in allowed:
        raise ValueError(
            f"{owner}: invalid value for argument output_mode. Expected one of "
            f"{list(allowed)}. Received: output_mode={output_mode!r}"
        )
    return output_mode


def check_range(indices: torch.Tensor, depth: int, where_text: str, what: str) -> None:
    """Raises if an index lies outside [0, depth): one_hot/bincount would fail obscurely."""
    if indices.numel() == 0:
        return
    low, high = int(indices.min()), int(indices.max())
    if low < 0 or high >= depth:
        raise ValueError(
            f"{where_text}: {what} must be integers in the range 0 <= value < {depth}, but the "
            f"input holds values from {low} to {high}."
        )


def encode(
    indices: torch.Tensor,
    output_mode: str,
    depth: int,
    dtype: torch.dtype,
    count_weights: torch.Tensor | None = None,
    idf_weights: torch.Tensor | None = None,
    where_text: str = "",
) -> torch.Tensor:
    """Encodes integer indices as Keras does.

    - `'int'`: the indices as int64.
    - `'one_hot'`: one vector per element; a last axis of size 1 is encoded
      in place, otherwise a new axis is appended.
    - `'multi_hot'` / `'count'` / `'tf_idf'`: one vector per sample, the last
      axis being the sample; a rank-0 or rank-1 input is a single sample.

    Args:
        indices: integer tensor.
        output_mode: one of `OUTPUT_MODES`.
        depth: size of the encoded axis.
        dtype: dtype of the encoded output.
        count_weights: optional weights (same shape as `indices`) summed in
            `'count'` mode instead of ones.
        idf_weights: `(depth,)` weights multiplying the counts in `'tf_idf'`.

    Returns:
        The encoded tensor.
    """
    if output_mode == "int":
        return indices.to(torch.int64)
    indices = indices.to(torch.int64)
    if output_mode == "one_hot":
        # A scalar encodes as one (depth,) vector, as in Keras.
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = indices.squeeze(-1)
        return F.one_hot(indices, depth).to(dtype)
    if indices.ndim == 0:
        indices = indices.reshape(1)
        if count_weights is not None:
            count_weights = count_weights.reshape(1)
    if indices.ndim > 2 and output_mode != "multi_hot":
        raise ValueError(
            f"{where_text}: when output_mode is {output_mode!r}, the input must have rank 2 or "
            f"less (batch, tokens), got shape {tuple(indices.shape)}."
        )
    lead = indices.shape[:-1]
    rows = indices.reshape(-1, indices.shape[-1])
    if count_weights is not None:
        weights = count_weights.to(dtype).reshape(rows.shape)
    else:
        weights = torch.ones(rows.shape, dtype=dtype, device=rows.device)
    counts = torch.zeros(rows.shape[0], depth, dtype=dtype, device=rows.device)
    counts.scatter_add_(1, rows, weights)
    if output_mode == "multi_hot":
        counts = (counts > 0).to(dtype)
    elif output_mode == "tf_idf":
        counts = counts * idf_weights.to(dtype=dtype, device=counts.device)
    return counts.reshape(*lead, depth)


def is_sparse(value) -> bool:
    """Whether `value` is a `tf.SparseTensor` (tork's)."""
    from tork._backend.sparse_tensor import SparseTensor

    return isinstance(value, SparseTensor)


def sparse_rows(inputs, where_text: str) -> tuple:
    """(row ids, number of rows) of the values of a rank-2 SparseTensor.

    Keras 2 encodes a SparseTensor `(batch, tokens)` one row per sample (a sparse
    bincount); entries not stored take no part, which is what makes sparse inputs of
    different lengths work.
    """
    shape = [int(d) for d in inputs.dense_shape.tolist()]
    if len(shape) != 2:
        raise ValueError(
            f"{where_text}: a SparseTensor input must have rank 2 (batch, tokens) to be "
            f"encoded per sample; got dense shape {tuple(shape)}. Use output_mode='int', "
            "or reshape it with tf.sparse.reshape first."
        )
    return inputs.indices[:, 0].to(torch.int64), shape[0]


def encode_rows(
    values: torch.Tensor,
    row_ids: torch.Tensor,
    rows: int,
    output_mode: str,
    depth: int,
    dtype,
    count_weights=None,
    where_text: str = "",
) -> torch.Tensor:
    """Encodes flat integer `values` grouped by `row_ids` into `(rows, depth)` vectors.

    Multi-hot or counts (summing `count_weights`, flat like `values`, when given);
    negative values (dropped entries, e.g. a mask token) are left out; a row without
    values encodes as zeros. Ragged and sparse inputs go through here.
    """
    if output_mode == "one_hot":
        raise ValueError(
            f"{where_text}: output_mode='one_hot' encodes each value on its own and cannot "
            "take a RaggedTensor or SparseTensor (its rows have different lengths); use "
            "'multi_hot' or 'count' to encode each row, or densify the input first."
        )
    values = values.to(torch.int64)
    row_ids = row_ids.to(device=values.device, dtype=torch.int64)
    keep = values >= 0
    weights = None
    if count_weights is not None:
        weights = torch.as_tensor(count_weights, device=values.device)
        if weights.shape != values.shape:
            raise ValueError(
                f"{where_text}: `count_weights` must hold one weight per input value; got "
                f"{int(weights.numel())} weights for {int(values.numel())} values."
            )
        weights = weights[keep].to(dtype)
    slots = row_ids[keep] * depth + values[keep]
    out = torch.zeros(rows * depth, dtype=dtype, device=values.device)
    if output_mode in ("count", "tf_idf"):
        if weights is None:
            weights = torch.ones(slots.shape[0], dtype=dtype, device=values.device)
        out.index_add_(0, slots, weights)
    else:
        out[slots] = 1
    return out.reshape(rows, depth)


def int_mode_dtype(kwargs: dict, output_mode: str) -> None:
    """Sets the layer dtype of an `output_mode='int'` layer in `kwargs`, as Keras 2 does.

    tf_keras gives these layers dtype int64 (their config says so, and an integer dtype
    such as int32 is the dtype of the indices they return). A float dtype means int64:
    tf_keras reads it so for Hashing and Discretization, and configs written by older
    tork versions hold "float32" for every such layer.

    The other modes (one_hot, multi_hot, count, tf_idf) get `floatx()` when no dtype is
    given, as in Keras 2: the encodings stay float32 under a global mixed policy.
    """
    if output_mode != "int":
        if kwargs.get("dtype") is None:
            from tork.keras.backend import floatx

            kwargs["dtype"] = floatx()
        return
    dtype = kwargs.get("dtype")
    if dtype is None:
        kwargs["dtype"] = "int64"
        return
    resolved = getattr(torch, dtype, None) if isinstance(dtype, str) else dtype
    if not isinstance(resolved, torch.dtype):
        return  # a policy object or config: left to the base class
    if resolved.is_floating_point or resolved.is_complex or resolved == torch.bool:
        kwargs["dtype"] = "int64"


def int_output(indices: torch.Tensor, dtype) -> torch.Tensor:
    """`indices` in the layer's integer dtype (int64 unless the layer has another)."""
    if isinstance(dtype, torch.dtype) and not dtype.is_floating_point and not dtype.is_complex:
        if dtype != torch.bool and indices.dtype != dtype:
            return indices.to(dtype)
    return indices
