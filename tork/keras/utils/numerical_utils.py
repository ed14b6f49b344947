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
