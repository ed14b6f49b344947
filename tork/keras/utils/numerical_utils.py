"""`keras.utils.normalize`: scales vectors to unit norm along an axis."""

from __future__ import annotations

import numpy as np
import torch


def normalize(x, axis: int = -1, order: int = 2):
    """Normalizes an array to unit `order`-norm along `axis`.

    Each vector along `axis` is divided by its norm; vectors whose norm is 0
    are left as they are (divided by 1).

    Args:
        x: a NumPy array (or array-like) to normalize; a torch tensor gives a
            tensor back.
        axis: the axis along which to normalize; None normalizes the whole
            array as one vector.
        order: the norm order (2 for L2, 1 for L1, `np.inf`...).

    Returns:
        The normalized copy of `x`: a NumPy array for NumPy (and list) input,
        a tensor for tensor input.

    Example:
    >>> keras.utils.normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    array([[0.6, 0.8],
           [0. , 0. ]])
    """
    if isinstance(x, torch.Tensor):
        values = x if x.is_floating_point() or x.is_complex() else x.to(torch.float32)
        if axis is None:
            norm = torch.linalg.vector_norm(values, ord=order)
        else:
            norm = torch.linalg.vector_norm(values, ord=order, dim=axis, keepdim=True)
        return values / torch.where(norm == 0, torch.ones_like(norm), norm)
    x = np.asarray(x)
    if axis is None:
        norm = np.linalg.norm(x.reshape(-1), order)
        return x / (norm if norm != 0 else 1)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


def to_ordinal(y, num_classes: int | None = None, dtype: str = "float32") -> np.ndarray:
    """Converts integer class labels to ordinal regression targets (a NumPy array).

    Label `k` becomes `num_classes - 1` values: ones in the first `k` places and
    zeros after them, so `ordinal.cumprod(-1).sum(-1)` gives the labels back.
    As with `to_categorical`, a trailing axis of size 1 is dropped first.

    Args:
        y: integer labels (0 to `num_classes - 1`), any shape.
        num_classes: number of classes; default `max(y) + 1`.
        dtype: dtype of the result.

    Returns:
        An array of shape `y.shape + (num_classes - 1,)`.

    Example:
    >>> keras.utils.to_ordinal([0, 2, 4], 5)
    array([[0., 0., 0., 0.],
           [1., 1., 0., 0.],
           [1., 1., 1., 1.]], dtype=float32)
    """
    y = np.asarray(y, dtype="int64")
    shape = y.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    y = y.reshape(-1)
    if num_classes is None:
        num_classes = int(y.max()) + 1 if y.size else 0
    if y.size and (int(y.min()) < 0 or int(y.max()) >= num_classes):
        raise ValueError(
            f"to_ordinal: labels must be in 0..{num_classes - 1} for num_classes={num_classes}, "
            f"got labels from {int(y.min())} to {int(y.max())}. If the labels start at 1, "
            "subtract 1 first; otherwise pass a larger num_classes (or leave it out)."
        )
    ordinal = (np.arange(num_classes - 1)[None, :] < y[:, None]).astype(dtype)
    return ordinal.reshape(shape + (num_classes - 1,))
