"""`tf.edit_distance`: Levenshtein distances between the sequences of two SparseTensors."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import string_tensor as _string_tensor
from tork._backend.errors import InvalidArgumentError as _InvalidArgumentError
from tork._backend.sparse_tensor import SparseTensor as _SparseTensor

__all__ = ["edit_distance"]


def _values_list(sp: _SparseTensor) -> list:
    values = sp.values
    if isinstance(values, _string_tensor.StringTensor):
        return list(values.numpy())
    return values.detach().cpu().tolist()


def _value_kind(sp: _SparseTensor) -> str:
    values = sp.values
    if isinstance(values, _string_tensor.StringTensor):
        return "string"
    return str(values.dtype).replace("torch.", "")


def _sequences(sp: _SparseTensor) -> dict:
    """Maps each position of the leading dimensions to its values, in storage order.

    TensorFlow reads the stored entries in order (it does not sort them by the last
    index), so neither does this.
    """
    groups: dict = {}
    keys = sp.indices[:, :-1].detach().cpu().tolist()
    for key, value in zip(keys, _values_list(sp)):
        groups.setdefault(tuple(key), []).append(value)
    return groups


def _levenshtein(a: list, b: list) -> int:
    previous = list(range(len(b) + 1))
    for i, item in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (item != other))
        previous = current
    return previous[-1]


def edit_distance(hypothesis, truth, normalize: bool = True, name: str = "edit_distance"):
    """Computes the Levenshtein distance between sequences.

    Each position of the leading dimensions of the two SparseTensors holds one
    sequence: its stored values along the last dimension. The result gives, for
    every such position, the number of insertions, deletions and substitutions
    that turn the hypothesis into the truth.

    Args:
        hypothesis: a `SparseTensor` holding the hypothesis sequences.
        truth: a `SparseTensor` of the same rank and dtype holding the truth
            sequences.
        normalize: if True, divide each distance by the length of the truth
            (an empty truth gives `inf`, or 0 when the hypothesis is empty too).
        name: accepted for compatibility.

    Returns:
        A float32 tensor of rank `rank - 1`; its shape is the elementwise maximum
        of the leading dense dimensions of the two inputs.

    Example:
    >>> hyp = tf.sparse.from_dense(tf.constant([[1, 2, 0]], tf.int64))
    >>> truth = tf.sparse.from_dense(tf.constant([[1, 3, 4]], tf.int64))
    >>> tf.edit_distance(hyp, truth, normalize=False)  # [2.]
    """
    del name
    if not isinstance(hypothesis, _SparseTensor):
        raise TypeError("Hypothesis must be a SparseTensor.")
    if not isinstance(truth, _SparseTensor):
        raise TypeError("Truth must be a SparseTensor.")
    hyp_shape = [int(d) for d in hypothesis.dense_shape.tolist()]
    truth_shape = [int(d) for d in truth.dense_shape.tolist()]
    if len(hyp_shape) != len(truth_shape):
        raise _InvalidArgumentError(
            "tf.edit_distance: Expected truth and hypothesis to have matching ranks, but "
            f"their shapes are: [{len(truth_shape)}] and [{len(hyp_shape)}]"
        )
    if _value_kind(hypothesis) != _value_kind(truth):
        raise _InvalidArgumentError(
            "tf.edit_distance: hypothesis and truth must have the same dtype, got "
            f"{_value_kind(hypothesis)} and {_value_kind(truth)}."
        )
    out_shape = [max(h, t) for h, t in zip(hyp_shape[:-1], truth_shape[:-1])]
    hyp_groups = _sequences(hypothesis)
    truth_groups = _sequences(truth)
    result = np.zeros(out_shape, dtype=np.float32)
    for position in np.ndindex(*out_shape):
        hyp_seq = hyp_groups.get(position, [])
        truth_seq = truth_groups.get(position, [])
        distance = float(_levenshtein(hyp_seq, truth_seq))
        if normalize:
            if truth_seq:
                distance /= len(truth_seq)
            elif hyp_seq:
                distance = float("inf")
        result[position] = distance
    return torch.from_numpy(result)
