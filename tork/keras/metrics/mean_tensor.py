"""`keras.metrics.MeanTensor` (Keras 2): the element-wise running mean of tensors."""

from __future__ import annotations

import torch

from tork.keras.metrics.metric import Metric
from tork.keras.metrics.reduction import _as_state_tensor


def _shape_text(shape) -> str:
    """A shape as TensorFlow prints a TensorShape: `(4,)`, `(2, 3)`, `()`."""
    return str(tuple(shape))


class MeanTensor(Metric):
    """Computes the element-wise (weighted) mean of the given tensors.

    The result has the shape of the values: `total / count` element by
    element, where `total` sums the weighted values and `count` the weights
    (an element whose count is 0 gives 0). The shape is fixed by `shape` or
    by the first `update_state`; values of another shape then raise an error.

    Args:
        name: the metric name.
        dtype: the dtype of the state and result.
        shape: optional shape of the values (a list or tuple of ints). If
            None, the shape of the first values passed to `update_state`.

    Example:
    >>> m = keras.metrics.MeanTensor()
    >>> m.update_state([0, 1, 2, 3])
    >>> m.update_state([4, 5, 6, 7])
    >>> m.result().tolist()
    [2.0, 3.0, 4.0, 5.0]
    >>> m.update_state([12, 10, 8, 6], sample_weight=[0, 0.2, 0.5, 1])
    >>> [round(v, 4) for v in m.result().tolist()]
    [2.0, 3.6364, 4.8, 5.3333]
    """

    def __init__(self, name: str = "mean_tensor", dtype=None, shape=None):
        super().__init__(name=name, dtype=dtype)
        self._shape = None
        self._total = None
        self._count = None
        if shape is not None:
            self._build(shape)

    def _build(self, shape) -> None:
        if isinstance(shape, torch.Tensor):
            shape = shape.tolist()
        self._shape = (int(shape),) if isinstance(shape, int) else tuple(int(d) for d in shape)
        self._total = self.add_variable(shape=self._shape, initializer="zeros", name="total")
        self._count = self.add_variable(shape=self._shape, initializer="zeros", name="count")

    @property
    def total(self):
        """The weighted sum of the values (None before the shape is known)."""
        return self._total

    @property
    def count(self):
        """The sum of the weights of each element (None before the shape is known)."""
        return self._count

    def update_state(self, values, sample_weight=None) -> None:
        """Adds `values` (weighted by `sample_weight`) to the element-wise mean.

        Args:
            values: a tensor, always of the same shape.
            sample_weight: optional weights; a weight one rank below the
                values gets a trailing axis, then it must broadcast to the
                values (each dimension 1 or the values').
        """
        values = _as_state_tensor(values, self)
        if self._shape is None:
            self._build(values.shape)
        elif tuple(values.shape) != self._shape:
            raise ValueError(
                "MeanTensor input values must always have the same shape. Expected shape (set "
                f"during the first call): {_shape_text(self._shape)}. "
                f"Got: {_shape_text(values.shape)}."
            )
        counts = torch.ones_like(values)
        if sample_weight is not None:
            weight = _as_state_tensor(sample_weight, self)
            given_shape = weight.shape
            # Keras 2 aligns a weight one rank off the values by a trailing axis.
            if weight.dim() == values.dim() - 1:
                weight = weight.unsqueeze(-1)
            elif weight.dim() == values.dim() + 1 and weight.shape[-1] == 1:
                weight = weight.squeeze(-1)
            if weight.dim() not in (0, values.dim()) or any(
                w not in (1, v) for w, v in zip(weight.shape, values.shape)
            ):
                raise ValueError(
                    f"MeanTensor: sample_weight of shape {_shape_text(given_shape)} "
                    f"cannot be broadcast to the values of shape {_shape_text(values.shape)}: "
                    "each of its dimensions must be 1 or the values' (as the values' rank)."
                )
            counts = counts * weight
            values = values * weight
        self._total.add_(values)
        self._count.add_(counts)

    def result(self) -> torch.Tensor:
        """Returns `total / count` element-wise (0 where `count` is 0)."""
        if self._shape is None:
            raise ValueError(
                "MeanTensor does not have any value yet. Please call the MeanTensor instance "
                "or use `.update_state(value)` before retrieving the result."
            )
        count = self._count
        safe = torch.where(count != 0, count, torch.ones_like(count))
        return torch.where(count != 0, self._total / safe, torch.zeros_like(count))

    def reset_state(self) -> None:
        """Sets `total` and `count` to zeros (the shape stays fixed)."""
        if self._shape is not None:
            super().reset_state()
