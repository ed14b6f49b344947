"""`tf.nn.nce_loss` and `tf.nn.sampled_softmax_loss` (TensorFlow 2's signatures).

Re-exported by `tork.ops.nn`. Both score the true classes and a sample of other classes
with `inputs @ weights[ids].T + biases[ids]`, as TensorFlow does: the logits of the
sampled classes that equal a true class of the same row can be pushed to -FLT_MAX
(`remove_accidental_hits`), and `log(expected_count)` is subtracted from every logit
(TensorFlow's `subtract_log_q=True`). Sharded `weights` (a list of tensors) are looked
up with TensorFlow 2's "div" partition strategy. Without `sampled_values` the classes
are drawn with `tf.random.log_uniform_candidate_sampler(unique=True)`, from torch's
generator (so not TensorFlow's draws); with `sampled_values` the losses equal
TensorFlow's.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from tork._backend.dtypes import dtype_name
from tork.ops.array import _t
from tork.ops.debugging import InvalidArgumentError
from tork.ops.random import log_uniform_candidate_sampler

_FLT_MAX = 3.4028234663852886e38


def _div_lookup(weights, ids: torch.Tensor) -> torch.Tensor:
    """Rows `ids` of `weights`, a tensor or a list of shards split the "div" way.

    "div": with N rows over P shards, shard p holds a contiguous block of ids, the first
    N % P shards one row more than the others.
    """
    if not isinstance(weights, (list, tuple)):
        return _t(weights)[ids]
    shards = [_t(w) for w in weights]
    if len(shards) == 1:
        return shards[0][ids]
    sizes = [int(s.shape[0]) for s in shards]
    total, parts = sum(sizes), len(shards)
    per, extras = divmod(total, parts)
    big = extras * (per + 1)
    shard = torch.where(ids < big, ids // (per + 1), extras + (ids - big) // max(per, 1))
    offset = torch.where(ids < big, ids % (per + 1), (ids - big) % max(per, 1))
    starts = torch.tensor([0] + sizes[:-1], device=ids.device).cumsum(0)
    size_of = torch.tensor(sizes, device=ids.device)
    if bool((offset >= size_of[shard]).any()):
        raise InvalidArgumentError(
            f"sharded weights of sizes {sizes} do not follow the 'div' partition of {total} "
            f"rows over {parts} shards (the first {extras} with {per + 1} rows, the others "
            f"{per})."
        )
    return torch.cat(shards, 0)[starts[shard] + offset]


def _sampled_logits(
    weights,
    biases,
    labels,
    inputs,
    num_sampled,
    num_classes,
    num_true,
    sampled_values,
    remove_accidental_hits,
    seed,
    op: str,
):
    """The logits and labels of the true and sampled classes: `(batch, num_true + S)`."""
    x = _t(inputs)
    labels = _t(labels).long().to(x.device)
    if labels.dim() == 1:
        labels = labels.unsqueeze(-1)
    num_true = int(num_true)
    if sampled_values is None:
        sampled_values = log_uniform_candidate_sampler(
            true_classes=labels,
            num_true=num_true,
            num_sampled=num_sampled,
            unique=True,
            range_max=num_classes,
            seed=seed,
        )
    sampled, true_expected, sampled_expected = sampled_values
    sampled = _t(sampled).long().to(x.device).reshape(-1)
    true_expected = _t(true_expected).detach().to(x.device)
    sampled_expected = _t(sampled_expected).detach().to(x.device)
    if labels.shape[-1] != num_true:
        raise InvalidArgumentError(
            f"tf.nn.{op}: labels must have num_true columns, expected: {labels.shape[-1]} "
            f"was: {num_true}."
        )
    batch = x.shape[0]
    ids = torch.cat([labels.reshape(-1), sampled])
    rows = _div_lookup(weights, ids)
    if rows.shape[-1] != x.shape[-1]:
        raise InvalidArgumentError(
            f"tf.nn.{op}: inputs have {x.shape[-1]} features but weights rows have "
            f"{rows.shape[-1]}; they must match (weights is (num_classes, dim))."
        )
    bias = _t(biases).to(x.device)[ids]
    for name, v in (("weights", rows), ("biases", bias)):
        if v.dtype != x.dtype:
            raise InvalidArgumentError(
                f"tf.nn.{op}: {name} are {dtype_name(v.dtype)} but inputs are "
                f"{dtype_name(x.dtype)}; cast them to one dtype."
            )
    n_true = labels.numel()
    true_w = rows[:n_true].reshape(batch, num_true, -1)
    true_logits = (x.unsqueeze(1) * true_w).sum(-1) + bias[:n_true].reshape(batch, num_true)
    sampled_logits = x @ rows[n_true:].T + bias[n_true:]
    if remove_accidental_hits:
        hits = (sampled.unsqueeze(0).unsqueeze(0) == labels.unsqueeze(-1)).any(1)
        sampled_logits = sampled_logits + hits.to(x.dtype) * (-_FLT_MAX)
    # subtract_log_q: logits become log-odds against the sampling distribution.
    true_logits = true_logits - torch.log(true_expected.to(x.dtype))
    sampled_logits = sampled_logits - torch.log(sampled_expected.to(x.dtype))
    logits = torch.cat([true_logits, sampled_logits], 1)
    targets = torch.cat(
        [torch.full_like(true_logits, 1.0 / num_true), torch.zeros_like(sampled_logits)], 1
    )
    return logits, targets


def nce_loss(
    weights,
    biases,
    labels,
    inputs,
    num_sampled,
    num_classes,
    num_true=1,
    sampled_values=None,
    remove_accidental_hits=False,
    name: str = "nce_loss",
) -> torch.Tensor:
    """Noise-contrastive estimation loss: logistic losses of true vs. sampled classes.

    Args:
        weights: `(num_classes, dim)` class embeddings, or a list of shards of it
            ("div" partitioning).
        biases: `(num_classes,)` class biases.
        labels: int `(batch, num_true)` target classes.
        inputs: `(batch, dim)` activations.
        num_sampled: the number of classes to sample per batch.
        num_classes: the number of possible classes.
        num_true: the number of target classes per example.
        sampled_values: optional `(sampled_candidates, true_expected_count,
            sampled_expected_count)` from a candidate sampler; drawn with
            `tf.random.log_uniform_candidate_sampler` when None.
        remove_accidental_hits: ignore sampled classes that are true classes (default
            False, as in TensorFlow).
        name: unused.

    Returns:
        A `(batch,)` tensor of per-example losses.

    Raises:
        InvalidArgumentError: for mismatched shapes or dtypes.

    Example:
    >>> sv = (tf.constant([0], tf.int64), tf.ones((1, 1)), tf.ones((1,)))
    >>> loss = tf.nn.nce_loss(tf.zeros((2, 3)), tf.zeros(2), [[1]], tf.ones((1, 3)), 1, 2,
    ...                       sampled_values=sv)
    >>> round(float(loss[0]), 4)  # 2 * log(2)
    1.3863
    """
    del name
    logits, targets = _sampled_logits(
        weights,
        biases,
        labels,
        inputs,
        num_sampled,
        num_classes,
        num_true,
        sampled_values,
        remove_accidental_hits,
        None,
        "nce_loss",
    )
    # TF's sigmoid cross-entropy, max(x, 0) - x z + log(1 + exp(-|x|)), with x z = 0
    # where z = 0 so that a -FLT_MAX logit gives no NaN.
    product = torch.where(targets == 0, torch.zeros_like(logits), logits * targets)
    losses = torch.clamp(logits, min=0) - product + torch.log1p(torch.exp(-logits.abs()))
    return losses.sum(1)


def sampled_softmax_loss(
    weights,
    biases,
    labels,
    inputs,
    num_sampled,
    num_classes,
    num_true=1,
    sampled_values=None,
    remove_accidental_hits=True,
    seed=None,
    name: str = "sampled_softmax_loss",
) -> torch.Tensor:
    """Softmax cross-entropy over the true classes and a sample of the other classes.

    A fast training-time approximation of the full softmax loss; evaluate with the full
    softmax.

    Args:
        weights: `(num_classes, dim)` class embeddings, or a list of shards of it
            ("div" partitioning).
        biases: `(num_classes,)` class biases.
        labels: int `(batch, num_true)` target classes.
        inputs: `(batch, dim)` activations.
        num_sampled: the number of classes to sample per batch.
        num_classes: the number of possible classes.
        num_true: the number of target classes per example (each gets 1/num_true of the
            target probability).
        sampled_values: optional `(sampled_candidates, true_expected_count,
            sampled_expected_count)`; drawn with
            `tf.random.log_uniform_candidate_sampler` when None.
        remove_accidental_hits: ignore sampled classes that are true classes (default
            True, as in TensorFlow).
        seed: the sampler's seed when `sampled_values` is None.
        name: unused.

    Returns:
        A `(batch,)` tensor of per-example losses.

    Raises:
        InvalidArgumentError: for mismatched shapes or dtypes.

    Example:
    >>> sv = (tf.constant([0], tf.int64), tf.ones((1, 1)), tf.ones((1,)))
    >>> loss = tf.nn.sampled_softmax_loss(tf.zeros((2, 3)), tf.zeros(2), [[1]],
    ...                                   tf.ones((1, 3)), 1, 2, sampled_values=sv)
    >>> round(float(loss[0]), 4)  # log(2)
    0.6931
    """
    del name
    logits, targets = _sampled_logits(
        weights,
        biases,
        labels,
        inputs,
        num_sampled,
        num_classes,
        num_true,
        sampled_values,
        remove_accidental_hits,
        seed,
        "sampled_softmax_loss",
    )
    return -(targets * F.log_softmax(logits, dim=1)).sum(1)
