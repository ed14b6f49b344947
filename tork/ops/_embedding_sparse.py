"""`tf.nn.embedding_lookup_sparse` and `tf.nn.safe_embedding_lookup_sparse`.

Each row of a SparseTensor (or RaggedTensor) of ids picks rows of an embedding table,
optionally weighted, and combines them into one vector by `sum`, `mean` or `sqrtn`
(the sum divided by the root of the summed squared weights). One gather and one
`index_add` per call, whatever the number of rows.
"""

from __future__ import annotations

import torch

from tork._backend.ragged_tensor import RaggedTensor
from tork._backend.sparse_tensor import SparseTensor
from tork._backend.tensor import convert_to_tensor

_COMBINERS = ("mean", "sqrtn", "sum")


def _table(params) -> torch.Tensor:
    # A list of shards: TF 2 partitions ids by "div" (contiguous blocks, in order), which
    # is looking up the shards' concatenation.
    shards = params if isinstance(params, (list, tuple)) else [params]
    for shard in shards:
        if isinstance(shard, torch.nn.Parameter) and shard.requires_grad:
            # Gathered: TF's gradient is an `IndexedSlices`, which Keras 2's legacy
            # optimizers apply to the looked-up rows only (keras/optimizers/_legacy_apply).
            shard._tork_sparse_grad = True
    if isinstance(params, (list, tuple)):
        return torch.cat([convert_to_tensor(p) for p in params])
    return convert_to_tensor(params)


def _as_sparse(value, what: str, where: str):
    if value is None or isinstance(value, SparseTensor):
        return value
    if isinstance(value, RaggedTensor):
        return value.to_sparse()
    raise TypeError(f"{where}: {what} must be a SparseTensor or a RaggedTensor, got {type(value)}.")


def _check_combiner(combiner, where: str) -> str:
    combiner = "mean" if combiner is None else combiner
    if combiner not in _COMBINERS:
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    return combiner


def _combine(table, rows, ids, weights, num_rows: int, combiner: str, max_norm):
    """Per row, the combination of `table[ids]` (weighted); rows without ids give zeros."""
    embedded = table[ids.to(table.device)]
    if max_norm is not None:
        dims = tuple(range(1, embedded.dim()))
        norms = torch.linalg.vector_norm(embedded, dim=dims, keepdim=True)
        embedded = embedded * torch.clamp(max_norm / torch.clamp(norms, min=1e-12), max=1.0)
    shape = (num_rows, *embedded.shape[1:])
    rows = rows.to(embedded.device)
    if weights is None:
        weights = torch.ones(ids.shape[0], dtype=embedded.dtype, device=embedded.device)
    else:
        weights = weights.to(embedded.dtype).to(embedded.device)
    scale = weights.reshape((-1,) + (1,) * (embedded.dim() - 1))
    total = embedded.new_zeros(shape).index_add_(0, rows, embedded * scale)
    if combiner == "sum":
        return total
    squared = weights if combiner == "mean" else weights * weights
    norm = weights.new_zeros(num_rows).index_add_(0, rows, squared)
    if combiner == "sqrtn":
        norm = torch.sqrt(norm)
    norm = norm.reshape((-1,) + (1,) * (embedded.dim() - 1))
    # Rows without ids (or weights summing to 0) give 0, as TF's div_no_nan.
    return torch.where(norm != 0, total / torch.where(norm != 0, norm, 1), 0)


def embedding_lookup_sparse(
    params, sp_ids, sp_weights, combiner=None, max_norm=None, name=None, allow_fast_lookup=False
):
    """Looks up and combines embeddings for each row of sparse (or ragged) ids.

    Args:
        params: the embedding table (or a list of shards, split by rows in order).
        sp_ids: a `(batch, n)` SparseTensor of int ids, or a RaggedTensor of ids.
        sp_weights: None (all weights 1) or weights with the same indices as `sp_ids`.
        combiner: `"mean"` (default), `"sqrtn"` or `"sum"`.
        max_norm: if given, embeddings with a larger L2 norm are scaled down to it first.
        name: unused.
        allow_fast_lookup: unused (one lookup path here).

    Returns:
        A tensor of shape `(rows, *params.shape[1:])`, `rows` being the last row that
        holds ids plus one (as TF); rows without ids are zeros.

    Example:
    >>> ids = tf.ragged.constant([[0, 1], [], [1]], dtype=tf.int64)
    >>> tf.nn.embedding_lookup_sparse(tf.eye(2), ids, None, combiner="sum").tolist()
    [[1.0, 1.0], [0.0, 0.0], [0.0, 1.0]]
    """
    del name, allow_fast_lookup
    where = "tf.nn.embedding_lookup_sparse"
    combiner = _check_combiner(combiner, where)
    sp_ids = _as_sparse(sp_ids, "sp_ids", where)
    sp_weights = _as_sparse(sp_weights, "sp_weights", where)
    rows = sp_ids.indices[:, 0]
    ids = sp_ids.values.to(torch.int64)
    weights = None if sp_weights is None else sp_weights.values
    if weights is not None and weights.shape[0] != ids.shape[0]:
        raise ValueError(
            f"{where}: sp_weights has {weights.shape[0]} values for {ids.shape[0]} ids; it must "
            "have the same indices as sp_ids."
        )
    num_rows = int(rows.max()) + 1 if rows.numel() else 0
    return _combine(_table(params), rows, ids, weights, num_rows, combiner, max_norm)


def safe_embedding_lookup_sparse(
    embedding_weights,
    sparse_ids,
    sparse_weights=None,
    combiner="mean",
    default_id=None,
    max_norm=None,
    name=None,
    allow_fast_lookup=False,
):
    """`embedding_lookup_sparse` that drops invalid ids and fills empty rows.

    Ids below 0 (and, with weights, entries of weight <= 0) are dropped. A row left
    without ids gives the embedding of `default_id`, or zeros when it is None. Ids of
    rank > 2 (`(d0, ..., dn, n)`) give embeddings of shape `(d0, ..., dn, dim)`.

    Args:
        embedding_weights: the embedding table (or a list of shards, split by rows).
        sparse_ids: a SparseTensor (or RaggedTensor) of int ids.
        sparse_weights: None or weights with the same indices as `sparse_ids`.
        combiner: `"mean"` (default), `"sqrtn"` or `"sum"`.
        default_id: the id whose embedding fills empty rows (None: zeros).
        max_norm: if given, embeddings are scaled down to this L2 norm first.
        name: unused.
        allow_fast_lookup: unused.

    Returns:
        A tensor with one embedding per row of `sparse_ids` (all rows, empty ones too).

    Example:
    >>> ids = tf.ragged.constant([[0, -1], []], dtype=tf.int64)
    >>> tf.nn.safe_embedding_lookup_sparse(tf.eye(2), ids, default_id=1).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    del name, allow_fast_lookup
    where = "tf.nn.safe_embedding_lookup_sparse"
    combiner = _check_combiner(combiner, where)
    sparse_ids = _as_sparse(sparse_ids, "sparse_ids", where)
    sparse_weights = _as_sparse(sparse_weights, "sparse_weights", where)
    table = _table(embedding_weights)
    dense_shape = [int(d) for d in sparse_ids.dense_shape.tolist()]
    if len(dense_shape) < 2:
        raise ValueError(f"{where}: sparse_ids must have rank >= 2, got shape {dense_shape}.")
    outer = dense_shape[:-1]
    # Rows of the leading dimensions, flattened in row-major order.
    strides = torch.tensor(
        [int(torch.tensor(outer[i + 1 :]).prod()) for i in range(len(outer))], dtype=torch.int64
    )
    rows = (sparse_ids.indices[:, :-1] * strides).sum(dim=1)
    ids = sparse_ids.values.to(torch.int64)
    keep = ids >= 0
    weights = None
    if sparse_weights is not None:
        weights = sparse_weights.values
        keep = keep & (weights.cpu() > 0)
        weights = weights[keep.to(weights.device)]
    rows, ids = rows[keep], ids[keep]
    num_rows = int(torch.tensor(outer).prod())
    result = _combine(table, rows, ids, weights, num_rows, combiner, max_norm)
    empty = torch.ones(num_rows, dtype=torch.bool)
    empty[rows] = False
    if bool(empty.any()):
        fill = torch.zeros_like(result[:1]) if default_id is None else None
        if default_id is not None:
            fill = _combine(
                table,
                torch.zeros(1, dtype=torch.int64),
                torch.tensor([int(default_id)]),
                None,
                1,
                combiner,
                max_norm,
            )
        mask = empty.to(result.device).reshape((-1,) + (1,) * (result.dim() - 1))
        result = torch.where(mask, fill, result)
    return result.reshape(*outer, *result.shape[1:])
