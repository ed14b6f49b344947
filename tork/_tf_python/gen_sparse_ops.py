"""`tensorflow.python.ops.gen_sparse_ops`: the generated sparse ops library code calls.

spektral's `add_self_loops_indices` reorders COO indices with `sparse_reorder`.
"""

from __future__ import annotations

import collections

from tork._backend.sparse_tensor import SparseTensor
from tork.ops import sparse as _sparse

SparseReorder = collections.namedtuple("SparseReorder", ["output_indices", "output_values"])


def sparse_reorder(input_indices, input_values, input_shape, name=None) -> SparseReorder:
    """Sorts the entries of a COO sparse tensor into row-major order (TF's raw op).

    Args:
        input_indices: `(n, rank)` int64 indices.
        input_values: `(n,)` values.
        input_shape: the dense shape.
        name: ignored.

    Returns:
        `SparseReorder(output_indices, output_values)`.

    Example:
    >>> sparse_reorder([[1, 0], [0, 1]], [1.0, 2.0], [2, 2]).output_values
    tensor([2., 1.])
    """
    del name
    reordered = _sparse.reorder(SparseTensor(input_indices, input_values, input_shape))
    return SparseReorder(reordered.indices, reordered.values)
