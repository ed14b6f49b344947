"""Losses over pairs of embeddings: Circle."""

from __future__ import annotations

import torch

from tork._symbolic import symbolic_op
from tork.keras.losses._utils import as_float, as_tensor
from tork.keras.losses.loss import Loss, LossFunctionWrapper


def _labels(value, owner: str, what: str) -> torch.Tensor:
    labels = as_tensor(value)
    if labels.ndim == 2 and labels.shape[-1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1:
        raise ValueError(
            f"{owner}: {what} must be integer class labels of shape (batch,) or (batch, 1); "
            f"got shape {tuple(labels.shape)}."
        )
    return labels.to(torch.long)


def _circle(
    y_true,
    y_pred,
    owner,
    ref_labels=None,
    ref_embeddings=None,
    remove_diagonal=True,
    gamma=80.0,
    margin=0.4,
):
    embeddings = as_float(as_tensor(y_pred))
    if embeddings.ndim != 2:
        raise ValueError(
            f"{owner}: y_pred must be a batch of embeddings of shape (batch, dim); got shape "
            f"{tuple(embeddings.shape)}."
        )
    labels = _labels(y_true, owner, "y_true").to(embeddings.device)
    if ref_embeddings is None:
        references = embeddings
    else:
        references = as_float(as_tensor(ref_embeddings)).to(embeddings)
    if ref_labels is None:
        reference_labels = labels
    else:
        reference_labels = _labels(ref_labels, owner, "ref_labels").to(embeddings.device)

    # Cosine distances of L2-normalized embeddings, never negative.
    distances = torch.clamp_min(1.0 - embeddings @ references.T, 0.0)
    positive = labels[:, None] == reference_labels[None, :]
    negative = ~positive
    if remove_diagonal:
        # An embedding is not its own positive pair.
        rows, cols = positive.shape
        positive = positive & ~torch.eye(rows, cols, dtype=torch.bool, device=positive.device)

    # Pairs far from their optimum get larger weights (the "circle" decision boundary).
    pos_weights = torch.clamp_min((margin + distances) * positive, 0.0)
    neg_weights = torch.clamp_min((1.0 + margin - distances) * negative, 0.0)
    pos_terms = -gamma * pos_weights * (margin - distances)
    neg_terms = gamma * neg_weights * ((1.0 - margin) - distances)
    minus_inf = torch.tensor(float("-inf"), dtype=distances.dtype, device=distances.device)
    pos_loss = torch.logsumexp(torch.where(positive, pos_terms, minus_inf), dim=1)
    neg_loss = torch.logsumexp(torch.where(negative, neg_terms, minus_inf), dim=1)
    losses = torch.nn.functional.softplus(pos_loss + neg_loss)
    # Rows without any positive pair give 0; the mask leaves them out of the mean.
    losses._keras_mask = losses > 0
    return losses


@symbolic_op("keras.losses")
def circle(
    y_true,
    y_pred,
    ref_labels=None,
    ref_embeddings=None,
    remove_diagonal: bool = True,
    gamma: float = 80.0,
    margin: float = 0.4,
) -> torch.Tensor:
    """Circle loss (Sun et al., 2020) over L2-normalized embeddings.

    It pulls embeddings of the same class together and pushes other classes apart,
    weighting each pair by how far it is from its optimum. Rows with no positive
    pair give 0 and carry a Keras mask that leaves them out of reductions.

    Args:
        y_true: integer labels, shape `(batch,)`.
        y_pred: L2-normalized embeddings, shape `(batch, dim)`.
        ref_labels: labels of the reference embeddings; defaults to `y_true`.
        ref_embeddings: L2-normalized reference embeddings; defaults to `y_pred`.
        remove_diagonal: leave out each embedding's pair with itself.
        gamma: the scale of the loss.
        margin: the relaxation margin.

    Returns:
        Per-sample losses, shape `(batch,)`.

    Example:
    >>> emb = tf.math.l2_normalize(tf.constant([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]]), axis=1)
    >>> keras.losses.circle(tf.constant([0, 0, 1]), emb)
    """
    return _circle(
        y_true,
        y_pred,
        "circle",
        ref_labels=ref_labels,
        ref_embeddings=ref_embeddings,
        remove_diagonal=remove_diagonal,
        gamma=gamma,
        margin=margin,
    )


class Circle(LossFunctionWrapper):
    """Circle loss (Sun et al., 2020) between integer labels and L2-normalized embeddings.

    Within a batch, every pair of embeddings with the same label is a positive pair
    and every other pair a negative one; the loss favours small cosine distances
    for positives and large ones for negatives. Samples without a positive pair in
    the batch do not count towards the mean.

    Args:
        gamma: the scale of the loss; default 80.
        margin: the relaxation margin; default 0.4.
        remove_diagonal: leave out each embedding's pair with itself; default True.
        reduction: see `keras.losses.Loss`.
        name: the loss name.
        dtype: the compute dtype.

    Example:
    >>> model.compile(optimizer="adam", loss=tf.keras.losses.Circle())  # on normalized outputs
    """

    _impl = staticmethod(_circle)

    def __init__(
        self,
        gamma=80.0,
        margin=0.4,
        remove_diagonal=True,
        reduction="sum_over_batch_size",
        name="circle",
        dtype=None,
    ):
        super().__init__(
            circle,
            reduction=reduction,
            name=name,
            dtype=dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def get_config(self) -> dict:
        config = Loss.get_config(self)
        config.update(
            {"gamma": self.gamma, "margin": self.margin, "remove_diagonal": self.remove_diagonal}
        )
        return config


__all__ = ["Circle", "circle"]
