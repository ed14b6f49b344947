"""Gradient clipping of embedding tables as Keras 2 computes it.

TensorFlow gives a table read by a lookup (`Embedding`, `tf.gather`,
`tf.nn.embedding_lookup`) an `IndexedSlices` gradient: one row per looked-up id, the
rows of a repeated id not summed. Keras 2's clipping acts on those rows: `clipvalue`
clips each lookup's row before the repeats are summed, and `clipnorm` /
`global_clipnorm` measure the norm of all the rows (the sum of the squared per-lookup
rows, not of their sums). tork's gradients are dense (repeats summed), which gives a
different update as soon as an id repeats in a batch.

So, once an optimizer with clipping exists, each lookup of a table marked
`_tork_sparse_grad` keeps the per-lookup gradient rows of the latest backward pass on
the table (`tork.ops._lookup_rows`). The clipping step (`clip`) reads them back for
the tables it updates, after checking that they sum to the gradient it was given (a
regularizer's dense part, a gradient of another backward pass or a gradient made by
hand fall back to clipping the dense gradient, as TensorFlow does for a dense
gradient). A compiled step (`jit_compile=True`) keeps no rows: it runs eagerly, with
a warning. Nothing of this runs while no optimizer clips, nor for
variables that no lookup reads.
"""

from __future__ import annotations

import torch

from tork.ops._lookup_rows import _ATTR, enable, mark


def positions(optimizer, groups: list) -> tuple:
    """`(group index, position)` of the marked tables when `optimizer` clips, else `()`."""
    if not clips(optimizer):
        return ()
    enable()  # clipping set after the optimizer was created
    found = tuple(
        (g, i)
        for g, group in enumerate(groups)
        for i, variable in enumerate(group.params)
        if getattr(variable, "_tork_sparse_grad", False) is True
    )
    mark(groups[g].params[i] for g, i in found)
    return found


def clips(optimizer) -> bool:
    """Whether `optimizer` clips gradients at all."""
    return any(
        getattr(optimizer, name, None) is not None
        for name in ("clipnorm", "clipvalue", "global_clipnorm")
    )


def _settings(optimizer, legacy: bool) -> tuple:
    """`(clipvalue, clipnorm, global_clipnorm)` that apply, None for those that don't."""
    value, norm, total = optimizer.clipvalue, optimizer.clipnorm, optimizer.global_clipnorm
    if legacy:
        # OptimizerV2: by value first, then by norm, else by global norm.
        return (
            None if value is None else float(value),
            None if norm is None else float(norm),
            None if norm is not None or total is None else float(total),
        )
    # Keras 2.11+: only one applies: clipnorm, else global_clipnorm, else clipvalue.
    if norm and norm > 0:
        return None, float(norm), None
    if total and total > 0:
        return None, None, float(total)
    if value and value > 0:
        return float(value), None, None
    return None, None, None


def _rows(table, grad: torch.Tensor):
    """The kept `(ids, rows, valid)` of `table`, or None.

    `valid` is a 0-d bool tensor (no host sync): whether the rows sum to `grad`, up to
    one factor, which the rows take: the loss scale that a `LossScaleOptimizer` or
    `loss_scale_factor` removed from the gradients, as TensorFlow from the rows.
    """
    kept = table.__dict__.pop(_ATTR, None)
    if kept is None:
        return None
    ids = torch.cat(kept[1]).to(grad.device)
    rows = torch.cat(kept[2]).to(device=grad.device, dtype=grad.dtype)
    summed = torch.zeros_like(grad).index_add_(0, ids, rows)
    bound = torch.zeros_like(grad).index_add_(0, ids, rows.abs())
    factor = (grad * summed).sum() / (summed * summed).sum().clamp_min(torch.finfo(grad.dtype).tiny)
    # Summation order differs from autograd's: a tolerance relative to the summed
    # magnitudes; a missing or extra contribution is far larger.
    tolerance = 1e-3 if torch.finfo(grad.dtype).eps < 1e-4 else 5e-2
    valid = ((summed * factor - grad).abs() <= tolerance * factor.abs() * bound).all()
    return ids, rows * factor, valid


def clip(optimizer, groups: list, grad_lists: list, lookups: tuple, legacy: bool) -> list:
    """Keras 2's clipping of `grad_lists` (one list per group), the tables at `lookups`
    clipped through their per-lookup rows (see the module docstring). `legacy`: the
    OptimizerV2 order (by value, then by norm), also used for `keras.optimizers.legacy`."""
    if not legacy:
        from tork.keras.optimizers.legacy import _LegacyClipping

        legacy = isinstance(optimizer, _LegacyClipping)
    value, norm, total = _settings(optimizer, legacy)
    if value is None and norm is None and total is None:
        return grad_lists
    out = [list(gs) for gs in grad_lists]
    squares: dict = {}
    by_value: set = set()
    for g, i in lookups:
        grad = out[g][i]
        found = _rows(groups[g].params[i], grad)
        if found is None:
            continue
        ids, rows, valid = found
        dense = grad
        if value is not None:
            rows = rows.clamp(-value, value)
            dense = grad.clamp(-value, value)
            by_rows = torch.zeros_like(grad).index_add_(0, ids, rows)
            out[g][i] = torch.where(valid, by_rows, dense)
            by_value.add((g, i))
        if norm is not None or total is not None:
            squares[(g, i)] = torch.where(
                valid, rows.float().square().sum(), dense.float().square().sum()
            )
    if value is not None:
        for g, gs in enumerate(out):
            for i, grad in enumerate(gs):
                if (g, i) not in by_value:
                    gs[i] = grad.clamp(-value, value)
    if norm is None and total is None:
        return out
    sums = [
        [
            squares[(g, i)] if (g, i) in squares else grad.float().square().sum()
            for i, grad in enumerate(gs)
        ]
        for g, gs in enumerate(out)
    ]
    if norm is not None:
        for gs, ss in zip(out, sums):
            for i, (grad, square) in enumerate(zip(gs, ss)):
                scale = norm / torch.clamp_min(square.sqrt(), norm)
                gs[i] = grad * scale.to(device=grad.device, dtype=grad.dtype)
        return out
    device = out[0][0].device
    joint = torch.stack([s.to(device) for ss in sums for s in ss]).sum().sqrt()
    # Keras's form: a no-op for finite norms, NaN gradients for an inf/NaN norm.
    scale = total * torch.clamp_max(joint.reciprocal(), 1.0 / total) + (joint - joint)
    return [[grad * scale.to(device=grad.device, dtype=grad.dtype) for grad in gs] for gs in out]


NOT_TRACED = (
    "gradient clipping of an embedding table reads its per-lookup gradient rows, which a "
    "compiled graph does not keep"
)


def untraceable(optimizer, variables) -> str | None:
    """Why a compiled step cannot clip these variables as Keras 2 does, or None."""
    if clips(optimizer) and any(getattr(v, "_tork_sparse_grad", False) is True for v in variables):
        return NOT_TRACED
    return None


__all__: list = []
