"""CTC (Connectionist Temporal Classification) loss, Keras 3's `keras.losses.CTC`."""

from __future__ import annotations

import torch

from tork._symbolic import symbolic_op
from tork.keras.losses._utils import as_tensor
from tork.keras.losses.loss import LossFunctionWrapper


def _ctc(y_true, y_pred, owner):
    from tork.keras.ops.nn import ctc_loss

    y_true = as_tensor(y_true)
    y_pred = as_tensor(y_pred)
    if y_true.dim() != 2:
        raise ValueError(
            f"{owner}: y_true must be dense labels of shape (batch, max_label_len), got "
            f"shape {tuple(y_true.shape)}."
        )
    if y_pred.dim() != 3:
        raise ValueError(
            f"{owner}: y_pred must be logits of shape (batch, time, num_classes), got "
            f"shape {tuple(y_pred.shape)}."
        )
    batch, steps = y_pred.shape[0], y_pred.shape[1]
    # As Keras 3: class 0 is the blank and also the padding of y_true, so the label
    # length counts non-zero entries; every example uses the full time axis.
    label_length = (y_true != 0).sum(dim=-1)
    output_length = torch.full((batch,), steps, dtype=torch.int64, device=y_pred.device)
    return ctc_loss(y_true, y_pred, label_length, output_length, mask_index=0)


@symbolic_op("keras.losses")
def ctc(y_true, y_pred) -> torch.Tensor:
    """CTC loss of each example, Keras 3's `keras.losses.ctc`.

    Class 0 is the blank; `y_true` is padded with 0 after each label (its length
    is the number of non-zero entries), and every example uses all time steps.

    Args:
        y_true: `(batch, max_label_len)` integer labels in `[1, num_classes)`,
            padded with 0.
        y_pred: `(batch, time, num_classes)` logits.

    Returns:
        The per-example loss, shape `(batch,)`.

    Example:
    >>> keras.losses.ctc([[1, 2]], keras.ops.zeros((1, 4, 3)))  # [1.6864]
    """
    return _ctc(y_true, y_pred, "ctc")


class CTC(LossFunctionWrapper):
    """CTC (Connectionist Temporal Classification) loss.

    See `keras.losses.ctc`: `y_true` holds labels padded with 0 (the blank) and
    `y_pred` logits of shape `(batch, time, num_classes)`.

    Args:
        reduction: see `keras.losses.Loss`.
        name: the loss name; default "ctc".
        dtype: the compute dtype.

    Example:
    >>> keras.losses.CTC()([[1, 2]], keras.ops.zeros((1, 4, 3)))  # 1.6864
    """

    _impl = staticmethod(_ctc)

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, reduction=reduction, name=name, dtype=dtype)
