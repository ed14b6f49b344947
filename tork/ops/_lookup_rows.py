"""The per-lookup gradient rows of embedding tables, kept for Keras 2's clipping.

TensorFlow's gradient of a table read by a lookup holds one row per looked-up id
(`IndexedSlices`), and Keras 2's `clipnorm` / `clipvalue` / `global_clipnorm` act on
those rows (see `tork.keras.optimizers._lookup_clip`). Once an optimizer with clipping
exists (`enable`), the lookups (`Embedding`, `tf.gather`) call `record`, which hangs a
hook on the looked-up rows; in backward passes it keeps their gradient rows on the
table. Lookups check `_RECORDING[0]` first, so nothing runs while no optimizer clips,
then `wanted`: inside a compiled graph only the tables that a clipping optimizer
updates (`mark`) keep rows, since keeping them breaks the graph there; a lookup of
any other variable under the user's own `torch.compile(fullgraph=True)` stays traceable.
"""

from __future__ import annotations

import weakref
from functools import partial

import torch
from torch.fx.experimental.proxy_tensor import get_proxy_mode

from tork._backend.tracing import outside_compiled_graphs

# Set by the first optimizer created with clipping: until then lookups record nothing.
_RECORDING = [False]
_ATTR = "_tork_lookup_grads"
# Set on the tables a clipping optimizer updates (`mark`).
_CLIPPED = "_tork_clipped_table"


def enable() -> None:
    """Makes lookups of marked tables keep their per-lookup gradient rows."""
    _RECORDING[0] = True


def mark(tables) -> None:
    """Marks `tables` as updated by a clipping optimizer: their lookups keep rows even
    inside compiled graphs (which then break there)."""
    for table in tables:
        setattr(table, _CLIPPED, True)


def wanted(table) -> bool:
    """Whether a lookup of `table` keeps its rows, once `_RECORDING[0]` is set."""
    # dynamo reads both as constants (and guards on the attribute): a compiled graph of
    # an unmarked table never reaches `record`.
    return getattr(table, _CLIPPED, False) is True or not torch.compiler.is_compiling()


@outside_compiled_graphs
def record(table, ids: torch.Tensor, outputs: torch.Tensor) -> None:
    """Keeps the gradient rows of `outputs = table[ids]` on `table` in backward passes.

    Run eagerly inside `torch.compile` (a compiled forward pass, `jit_compile=True`):
    for a table a clipping optimizer updates (`wanted`), the graph breaks there and
    the hook sees real rows.

    Args:
        table: the looked-up variable (marked `_tork_sparse_grad`).
        ids: the integer ids, any shape, looked up along the table's first axis.
        outputs: the looked-up rows, shape `ids.shape + table.shape[1:]`, before any cast.
    """
    if (
        not _RECORDING[0]
        or getattr(table, "_tork_sparse_grad", False) is not True  # (a LoRA-merged table)
        or not outputs.requires_grad
        or get_proxy_mode() is not None
    ):
        return
    outputs.register_hook(partial(_keep, weakref.ref(table), ids.detach()))


def _keep(table_ref, ids: torch.Tensor, grad: torch.Tensor) -> None:
    table = table_ref()
    if table is None or get_proxy_mode() is not None:
        return
    # Only the rows of the latest backward pass: a gradient computed and not applied
    # (inspected in a callback) must not stay mixed with the next step's.
    task = torch._C._current_graph_task_id()
    kept = table.__dict__.get(_ATTR)
    if kept is None or kept[0] != task:
        kept = [task, [], []]
        setattr(table, _ATTR, kept)
    kept[1].append(ids.reshape(-1))
    kept[2].append(grad.detach().reshape(ids.numel(), *table.shape[1:]))
