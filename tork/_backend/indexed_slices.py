"""`tf.IndexedSlices`: some rows (slices along axis 0) of a larger tensor.

TensorFlow uses it for the gradients of gathers/embeddings. tork's gradients
stay dense (torch autograd), so in tork it is only a user-facing container:
`tf.convert_to_tensor` and tf ops densify it (summing repeated indices, as
TensorFlow does), and `Variable.scatter_*` take it directly.
"""

from __future__ import annotations

import warnings

import torch

from tork._backend.tensor import convert_to_tensor
from tork._backend.tensor_shape import TensorShape

# TensorFlow warns when densifying an IndexedSlices bigger than this many elements.
_LARGE_DENSE_ELEMENTS = 100_000_000


class IndexedSlices:
    """Slices of a tensor along its first axis: TensorFlow's `tf.IndexedSlices`.

    Represents the dense tensor `dense` with `dense[indices[i]] = values[i]`
    (rows not listed are zero; repeated indices add up).

    Args:
        values: tensor of shape `(N, *row_shape)`.
        indices: integer tensor of shape `(N,)`: the row of each slice.
        dense_shape: optional integer tensor: the shape of the dense tensor.

    Example:
    >>> s = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([2]), tf.constant([3, 2]))
    >>> tf.convert_to_tensor(s).tolist()
    [[0.0, 0.0], [0.0, 0.0], [1.0, 2.0]]
    """

    __slots__ = ("_values", "_indices", "_dense_shape")

    def __init__(self, values, indices, dense_shape=None):
        self._values = convert_to_tensor(values)
        self._indices = convert_to_tensor(indices)
        self._dense_shape = None if dense_shape is None else convert_to_tensor(dense_shape)

    @property
    def values(self) -> torch.Tensor:
        """The slices, shape `(N, *row_shape)`."""
        return self._values

    @property
    def indices(self) -> torch.Tensor:
        """The row index of each slice, shape `(N,)`."""
        return self._indices

    @property
    def dense_shape(self):
        """The dense tensor's shape (a 1-D tensor), or None when unknown."""
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def device(self):
        return self._values.device

    @property
    def name(self):
        return None

    @property
    def shape(self) -> TensorShape:
        """The dense shape as a `tf.TensorShape` (unknown without `dense_shape`)."""
        if self._dense_shape is None:
            return TensorShape(None)
        return TensorShape([int(d) for d in self._dense_shape.tolist()])

    def _tork_convert_to_tensor(self, dtype=None) -> torch.Tensor:
        if self._dense_shape is None:
            raise ValueError(
                "Tensor conversion requested for IndexedSlices without dense_shape: "
                f"{self}. Pass dense_shape= to tf.IndexedSlices to densify it."
            )
        shape = [int(d) for d in self._dense_shape.tolist()]
        elements = 1
        for d in shape:
            elements *= d
        if elements > _LARGE_DENSE_ELEMENTS:
            warnings.warn(
                f"Converting sparse IndexedSlices to a dense Tensor with {elements} elements. "
                "This may consume a large amount of memory.",
                stacklevel=3,
            )
        values = self._values
        out = torch.zeros(shape, dtype=values.dtype, device=values.device)
        # index_add sums repeated rows (TensorFlow's unsorted_segment_sum) and keeps autograd.
        out = out.index_add(0, self._indices.to(device=values.device, dtype=torch.int64), values)
        if dtype is not None and out.dtype != dtype:
            out = out.to(dtype)
        return out

    def __neg__(self) -> IndexedSlices:
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def __repr__(self) -> str:
        from tork._backend.sparse_tensor import tensor_text

        text = (
            f"IndexedSlices(indices={tensor_text(self._indices)}, "
            f"values={tensor_text(self._values)}"
        )
        if self._dense_shape is not None:
            text += f", dense_shape={tensor_text(self._dense_shape)}"
        return text + ")"

    __str__ = __repr__
