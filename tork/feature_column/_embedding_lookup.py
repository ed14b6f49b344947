"""The combined embedding lookup of categorical ids (TF's safe_embedding_lookup_sparse)."""

from __future__ import annotations

import torch

from tork.feature_column._base import CategoricalIds


def combined_lookup(table, ids: CategoricalIds, combiner: str, max_norm=None) -> torch.Tensor:
    """Each example's embeddings of its ids, combined by weight.

    Invalid entries (missing, negative ids, and for "mean"/"sqrtn" weights <= 0)
    are pruned, and an
    example with no valid id gives zeros, as TensorFlow's
    `safe_embedding_lookup_sparse`.

    Args:
        table: the `(num_buckets, dimension)` embedding weights.
        ids: the column's ids.
        combiner: `"sum"`, `"mean"` or `"sqrtn"`.
        max_norm: if set, embeddings with a larger l2 norm are scaled down to it.

    Returns:
        A float tensor `(batch, dimension)`.
    """
    valid = ids.mask & (ids.ids >= 0)
    weights = valid.to(table.dtype)
    if ids.weights is not None:
        given = ids.weights.to(table.dtype)
        if combiner != "sum":
            # As TensorFlow: weights <= 0 are pruned, except with the "sum" combiner.
            valid = valid & (given > 0)
        weights = torch.where(valid, given, torch.zeros_like(given))
    index = torch.where(valid, ids.ids, 0).to(table.device)
    vectors = table[index]  # (batch, n, dimension)
    if max_norm is not None:
        norms = torch.linalg.vector_norm(vectors, dim=-1, keepdim=True)
        # As tf.clip_by_norm: x * max_norm / max(norm, max_norm).
        vectors = vectors * (max_norm / torch.clamp(norms, min=max_norm))
    weights = weights.to(table.device)
    total = (vectors * weights.unsqueeze(-1)).sum(dim=1)
    if combiner == "sum":
        return total
    if combiner == "mean":
        scale = weights.sum(dim=1, keepdim=True)
    else:  # sqrtn
        scale = torch.sqrt((weights * weights).sum(dim=1, keepdim=True))
    # Examples without a valid id stay zero instead of 0 / 0.
    return total / torch.where(scale > 0, scale, torch.ones_like(scale))
