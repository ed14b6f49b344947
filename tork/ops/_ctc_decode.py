"""`tf.nn.ctc_greedy_decoder`, `tf.nn.ctc_beam_search_decoder` and its TF 1 form.

Re-exported by `tork.ops.nn`. Inputs are time-major logits `(max_time, batch, classes)`.
The decoded label sequences come back as `tf.SparseTensor`s (int64 indices and values,
dense shape `(batch, longest decoded length)`), as in TensorFlow.

The beam search follows the prefix beam search of TensorFlow's CTC decoder step by step
(the blank is the last class; a beam keeps the probabilities of its prefix ending in a
blank and in a label; after each time step at most `beam_width` prefixes survive), with
its scores in the logits' dtype and TensorFlow's container for the surviving beams, so it
returns the same paths and log-probabilities as TensorFlow. (Exactly equal scores, as
with constant logits, may still be ordered differently in rare cases.)
"""

from __future__ import annotations

import math

import numpy as np
import torch

from tork._backend.dtypes import dtype_name
from tork._backend.errors import FailedPreconditionError
from tork.ops.array import _t
from tork.ops.debugging import InvalidArgumentError

_LOG_ZERO = -math.inf


def _inputs(inputs, sequence_length, op: str):
    x = _t(inputs)
    if x.dim() != 3:
        raise InvalidArgumentError(
            f"{op}: inputs must be a 3-D tensor (max_time, batch_size, num_classes), "
            f"got shape {tuple(x.shape)}."
        )
    if x.dtype not in (torch.float32, torch.float64):
        raise InvalidArgumentError(
            f"{op}: inputs must be float32 or float64, got {dtype_name(x.dtype)}."
        )
    lengths = _t(sequence_length).reshape(-1).tolist()
    max_time, batch, _ = x.shape
    if len(lengths) != batch:
        raise FailedPreconditionError(
            f"{op}: len(sequence_length) != batch_size. len(sequence_length): "
            f"{len(lengths)} batch_size: {batch}."
        )
    for b, n in enumerate(lengths):
        if n > max_time:
            raise FailedPreconditionError(
                f"{op}: sequence_length({b}) = {n} exceeds max_time {max_time}."
            )
    return x, [int(n) for n in lengths]


def _sparse(paths: list[list[int]], batch: int, device):
    """A SparseTensor `(batch, longest)` holding each example's decoded labels."""
    from tork._backend.sparse_tensor import SparseTensor

    indices = [[b, i] for b, path in enumerate(paths) for i in range(len(path))]
    values = [label for path in paths for label in path]
    longest = max((len(p) for p in paths), default=0)
    index_tensor = torch.tensor(indices, dtype=torch.int64, device=device).reshape(-1, 2)
    value_tensor = torch.tensor(values, dtype=torch.int64, device=device)
    shape = torch.tensor([batch, longest], dtype=torch.int64, device=device)
    return SparseTensor(index_tensor, value_tensor, shape)


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """Greedy (best path) CTC decoding of time-major logits.

    At each step the most likely class is taken; blanks are dropped and, with
    `merge_repeated`, repeats of the previous step's class are merged.

    Args:
        inputs: float logits `(max_time, batch_size, num_classes)`.
        sequence_length: int vector `(batch_size,)`, the valid steps of each example.
        merge_repeated: merge consecutive repeated classes (default True).
        blank_index: the blank class; `None` means `num_classes - 1`, negative values
            count from the end.

    Returns:
        A tuple `(decoded, neg_sum_logits)`: `decoded` is a one-element list holding a
        `tf.SparseTensor` of the decoded labels, and `neg_sum_logits` (`(batch_size, 1)`)
        is minus the sum of the chosen logits of each example, as TensorFlow returns.

    Raises:
        InvalidArgumentError: for inputs that are not 3-D or a `blank_index` out of range.
        FailedPreconditionError: for a `sequence_length` of the wrong size or longer than
            `max_time`.

    Example:
    >>> logits = tf.math.log([[[0.1, 0.6, 0.3]], [[0.1, 0.6, 0.3]], [[0.5, 0.2, 0.3]]])
    >>> decoded, _ = tf.nn.ctc_greedy_decoder(logits, [3])
    >>> decoded[0].values.tolist()
    [1, 0]
    """
    x, lengths = _inputs(inputs, sequence_length, "tf.nn.ctc_greedy_decoder")
    max_time, batch, classes = x.shape
    if blank_index is None:
        blank = classes - 1
    else:
        blank = int(blank_index)
        if not -classes <= blank < classes:
            raise InvalidArgumentError(
                f"tf.nn.ctc_greedy_decoder: blank_index expected to be between {-classes} and "
                f"{classes - 1} but was {blank}."
            )
        if blank < 0:
            blank += classes
    values = x.detach()
    # argmax takes the first of equal logits, as TensorFlow does.
    chosen = values.argmax(dim=-1) if classes else values.sum(-1).long()  # (time, batch)
    best = values.gather(-1, chosen.unsqueeze(-1)).squeeze(-1)
    steps = torch.arange(max_time, device=x.device).unsqueeze(-1)
    valid = steps < torch.tensor(lengths, device=x.device).unsqueeze(0)
    # 0 - sum rather than -sum: an empty sequence gives 0.0, not -0.0, as in TensorFlow.
    neg_sum = 0 - (best * valid).sum(0, keepdim=False).reshape(batch, 1)
    chosen = chosen.cpu().numpy()
    paths = []
    for b in range(batch):
        path = []
        previous = -1
        for t in range(lengths[b]):
            label = int(chosen[t, b])
            if label != blank and not (merge_repeated and label == previous):
                path.append(label)
            previous = label
        paths.append(path)
    return [_sparse(paths, batch, x.device)], neg_sum.to(x.dtype)


def _log_sum_exp(a, b):
    """TF's LogSumExp of two log-probabilities, in their dtype (NumPy float32 or float64).

    exp and log1p are rounded to the dtype step by step, as TF's expf/log1pf do.
    """
    if a == _LOG_ZERO:
        return b
    if b == _LOG_ZERO:
        return a
    kind = type(a) if isinstance(a, np.floating) else type(b)
    if a < b:
        a, b = b, a
    return a + kind(math.log1p(kind(math.exp(kind(b - a)))))


class _Beam:
    """A prefix in the beam search tree, with the probabilities of TF's BeamEntry."""

    __slots__ = (
        "parent",
        "label",
        "children",
        "old_total",
        "old_blank",
        "old_label",
        "total",
        "blank",
        "lab",
        "order",
    )

    def __init__(self, parent, label: int, order: int):
        self.parent = parent
        self.label = label
        self.children: dict[int, _Beam] = {}
        self.old_total = self.old_blank = self.old_label = _LOG_ZERO
        self.total = self.blank = self.lab = _LOG_ZERO
        self.order = order  # creation order, a stable tie-break

    def active(self) -> bool:
        return self.total != _LOG_ZERO

    def reset_new(self):
        self.total = self.blank = self.lab = _LOG_ZERO

    def labels(self) -> list[int]:
        out = []
        node = self
        while node.parent is not None:
            out.append(node.label)
            node = node.parent
        return out[::-1]


# ---------------------------------------------------------------- TF's TopN, for equal scores
# Which of several equally likely prefixes survives, and the order of equally likely paths,
# follow from how TensorFlow's TopN container stores its elements (an unordered vector
# with the bottom element at the front, then a binary heap) and from the C++ standard
# library's heap and sort algorithms. They are reproduced here so that ties resolve as in
# TensorFlow; `_better(a, b)` is TF's beam comparer.


def _better(a: _Beam, b: _Beam) -> bool:
    return a.total > b.total


def _sift_up(v: list, hole: int, top: int, value) -> None:
    parent = (hole - 1) // 2
    while hole > top and _better(v[parent], value):
        v[hole] = v[parent]
        hole = parent
        parent = (hole - 1) // 2
    v[hole] = value


def _adjust_heap(v: list, hole: int, length: int, value) -> None:
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if _better(v[child], v[child - 1]):
            child -= 1
        v[hole] = v[child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        v[hole] = v[child - 1]
        hole = child - 1
    _sift_up(v, hole, top, value)


def _make_heap(v: list, length: int) -> None:
    if length < 2:
        return
    parent = (length - 2) // 2
    while True:
        _adjust_heap(v, parent, length, v[parent])
        if parent == 0:
            return
        parent -= 1


def _push_heap(v: list, length: int) -> None:
    _sift_up(v, length - 1, 0, v[length - 1])


def _pop_heap(v: list, length: int) -> None:
    if length > 1:
        value = v[length - 1]
        v[length - 1] = v[0]
        _adjust_heap(v, 0, length - 1, value)


def _sort_heap(v: list, length: int) -> None:
    while length > 1:
        length -= 1
        value = v[length]
        v[length] = v[0]
        _adjust_heap(v, 0, length, value)


def _insertion_sort(v: list, first: int, last: int) -> None:
    for i in range(first + 1, last):
        value = v[i]
        if _better(value, v[first]):
            v[first + 1 : i + 1] = v[first:i]
            v[first] = value
        else:
            _linear_insert(v, i)


def _linear_insert(v: list, last: int) -> None:
    value = v[last]
    prev = last - 1
    while _better(value, v[prev]):
        v[last] = v[prev]
        last = prev
        prev -= 1
    v[last] = value


def _median_to_first(v: list, result: int, a: int, b: int, c: int) -> None:
    if _better(v[a], v[b]):
        if _better(v[b], v[c]):
            pick = b
        elif _better(v[a], v[c]):
            pick = c
        else:
            pick = a
    elif _better(v[a], v[c]):
        pick = a
    elif _better(v[b], v[c]):
        pick = c
    else:
        pick = b
    v[result], v[pick] = v[pick], v[result]


def _partition(v: list, first: int, last: int, pivot: int) -> int:
    while True:
        while _better(v[first], v[pivot]):
            first += 1
        last -= 1
        while _better(v[pivot], v[last]):
            last -= 1
        if not first < last:
            return first
        v[first], v[last] = v[last], v[first]
        first += 1


def _introsort_loop(v: list, first: int, last: int, depth: int) -> None:
    while last - first > 16:
        if depth == 0:
            # Heap sort of the range, as the standard library falls back to.
            part = v[first:last]
            _make_heap(part, len(part))
            _sort_heap(part, len(part))
            v[first:last] = part
            return
        depth -= 1
        mid = first + (last - first) // 2
        _median_to_first(v, first, first + 1, mid, last - 1)
        cut = _partition(v, first + 1, last, first)
        _introsort_loop(v, cut, last, depth)
        last = cut


def _std_sort(v: list) -> None:
    """The C++ standard library's (unstable) introsort of `v`, best first."""
    n = len(v)
    if n < 2:
        return
    _introsort_loop(v, 0, n, 2 * (n.bit_length() - 1))
    if n > 16:
        _insertion_sort(v, 0, 16)
        for i in range(16, n):
            _linear_insert(v, i)
    else:
        _insertion_sort(v, 0, n)


class _Leaves:
    """TensorFlow's TopN container of the surviving beams (at most `width`)."""

    def __init__(self, width: int):
        self.width = width
        self.items: list[_Beam] = []
        self.state = "unordered"  # or "bottom_known", "heap"

    def __len__(self):
        return min(len(self.items), self.width)

    def push(self, beam: _Beam):
        v = self.items
        if self.state != "heap":
            v.append(beam)
            if self.state != "unordered" and not _better(v[-1], v[0]):
                v[0], v[-1] = v[-1], v[0]
            if len(v) == self.width + 1:
                _make_heap(v, len(v))
                _pop_heap(v, len(v))
                self.state = "heap"
        elif _better(beam, v[0]):
            v[-1] = beam
            _push_heap(v, len(v))
            _pop_heap(v, len(v))

    def bottom(self) -> _Beam:
        v = self.items
        if self.state == "unordered":
            lowest = 0
            for i in range(1, len(v)):
                if _better(v[lowest], v[i]):
                    lowest = i
            v[0], v[lowest] = v[lowest], v[0]
            self.state = "bottom_known"
        return v[0]

    def extract(self) -> list[_Beam]:
        v = self.items
        self.items = []
        if self.state != "heap":
            _std_sort(v)
        else:
            v.pop()
            _sort_heap(v, len(v))
        self.state = "unordered"
        return v

    def unsorted(self) -> list[_Beam]:
        return self.items[: len(self)]


def _beam_search(log_probs: np.ndarray, width: int, top_paths: int, op: str):
    """TF's CTC prefix beam search over one example's normalized log-probabilities."""
    classes = log_probs.shape[-1]
    blank = classes - 1
    labels = np.arange(classes - 1)
    zero = log_probs.dtype.type(0.0)  # scores keep the logits' precision, as in TF
    root = _Beam(None, -1, 0)
    root.total = zero
    root.blank = zero
    leaves = _Leaves(width)
    leaves.push(root)
    for step in log_probs:
        branches = leaves.extract()
        for b in branches:
            b.old_total, b.old_blank, b.old_label = b.total, b.blank, b.lab
        step_labels = step[:-1]
        blank_score = step[blank]
        # Pass 1: the existing prefixes, extended by a blank or by repeating their label.
        for b in branches:
            if b.parent is not None:
                if b.parent.active():
                    previous = (
                        b.parent.old_blank if b.label == b.parent.label else b.parent.old_total
                    )
                    b.lab = _log_sum_exp(b.lab, previous)
                b.lab += step[b.label]
            b.blank = b.old_total + blank_score
            b.total = _log_sum_exp(b.blank, b.lab)
            leaves.push(b)
        # Pass 2: new prefixes, one more label on a surviving prefix. A child enters when
        # the beam has room or it beats the bottom; the bottom only rises, so labels below
        # it now are skipped without looking at them one by one.
        for b in branches:
            full = len(leaves) >= width
            if b.old_total == _LOG_ZERO or (full and not b.old_total > leaves.bottom().total):
                continue
            scores = step_labels + b.old_total
            if 0 <= b.label < classes - 1:
                scores[b.label] = step_labels[b.label] + b.old_blank
            floor = leaves.bottom().total if full else _LOG_ZERO
            # Existing children are visited too: TF resets the old probabilities of an
            # inactive child that fails, which stops it from branching later in this step.
            visit = set(labels[scores > floor].tolist())
            visit.update(b.children)
            for label in sorted(visit):
                child = b.children.get(label)
                if child is not None and child.active():
                    continue
                total = scores[label]
                if total > _LOG_ZERO and (len(leaves) < width or total > leaves.bottom().total):
                    if child is None:
                        child = b.children[label] = _Beam(b, label, 0)
                    child.blank = _LOG_ZERO
                    child.lab = child.total = total
                    if len(leaves) == width:
                        # The bottom leaves the beam: TF resets it, then pushes the child
                        # (the container drops its worst element, now that one).
                        leaves.bottom().reset_new()
                    leaves.push(child)
                elif child is not None:
                    child.old_total = child.old_blank = child.old_label = _LOG_ZERO
                    child.reset_new()
    if len(leaves) < top_paths:
        raise InvalidArgumentError(
            f"{op}: less leaves in the beam search than requested "
            f"({len(leaves)} < top_paths={top_paths})."
        )
    # TF picks the paths with a fresh TopN(top_paths) fed in the container's storage order.
    best = _Leaves(top_paths)
    for beam in leaves.unsorted():
        best.push(beam)
    chosen = best.extract()[:top_paths]
    return [b.labels() for b in chosen], [b.total for b in chosen]


def _merge_repeats(path: list[int]) -> list[int]:
    """`path` with each run of equal labels cut to one (TF's `merge_repeated` output)."""
    return [label for i, label in enumerate(path) if i == 0 or label != path[i - 1]]


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1):
    """CTC beam search decoding of time-major logits (TensorFlow 2's decoder).

    The logits are normalized with a softmax over the classes at each step; the blank is
    the last class. Repeated labels separated by a blank stay separate (TF 2's
    `merge_repeated=False`).

    Args:
        inputs: float logits `(max_time, batch_size, num_classes)`.
        sequence_length: int vector `(batch_size,)`, the valid steps of each example.
        beam_width: the number of prefixes kept after each step (>= 1).
        top_paths: the number of paths returned (1 to `beam_width`).

    Returns:
        A tuple `(decoded, log_probabilities)`: `decoded` is a list of `top_paths`
        `tf.SparseTensor`s (path j of every example), and `log_probabilities`
        (`(batch_size, top_paths)`) the log-probability of each path.

    Raises:
        InvalidArgumentError: for bad shapes or arguments, or fewer distinct paths than
            `top_paths`.
        FailedPreconditionError: for a `sequence_length` of the wrong size or longer than
            `max_time`.

    Example:
    >>> logits = tf.math.log([[[0.1, 0.6, 0.3]], [[0.1, 0.6, 0.3]], [[0.5, 0.2, 0.3]]])
    >>> decoded, log_probs = tf.nn.ctc_beam_search_decoder(logits, [3], beam_width=5)
    >>> decoded[0].values.tolist()
    [1, 0]
    """
    return _beam_decode(
        inputs, sequence_length, beam_width, top_paths, False, "tf.nn.ctc_beam_search_decoder"
    )


def ctc_beam_search_decoder_v1(
    inputs, sequence_length, beam_width=100, top_paths=1, merge_repeated=True
):
    """`tf.compat.v1.nn.ctc_beam_search_decoder`: the beam search with `merge_repeated`.

    The search is the one of `tf.nn.ctc_beam_search_decoder` (which Keras 2's
    `keras.backend.ctc_decode(..., greedy=False)` calls through this TF 1 name). With
    `merge_repeated` (the default) equal labels next to each other in a found path are
    merged afterwards, even when the search kept them apart with a blank: the path
    `A B B * B` comes back as `A B`; the log-probabilities are unchanged.

    Args:
        inputs: float logits `(max_time, batch_size, num_classes)`; blank is the last class.
        sequence_length: int vector `(batch_size,)`, the valid steps of each example.
        beam_width: the number of prefixes kept after each step (>= 1).
        top_paths: the number of paths returned (1 to `beam_width`).
        merge_repeated: merge adjacent equal labels of each returned path.

    Returns:
        A tuple `(decoded, log_probabilities)` as `tf.nn.ctc_beam_search_decoder`.

    Example:
    >>> logits = tf.math.log([[[0.8, 0.2]], [[0.1, 0.9]], [[0.8, 0.2]]])  # 1 = blank
    >>> decoded, _ = tf.compat.v1.nn.ctc_beam_search_decoder(logits, [3], beam_width=5)
    >>> decoded[0].values.tolist()
    [0]
    """
    return _beam_decode(
        inputs,
        sequence_length,
        beam_width,
        top_paths,
        bool(merge_repeated),
        "tf.compat.v1.nn.ctc_beam_search_decoder",
    )


def _beam_decode(inputs, sequence_length, beam_width, top_paths, merge_repeated: bool, op: str):
    top_paths = int(top_paths)
    beam_width = int(beam_width)
    if top_paths < 1:
        raise InvalidArgumentError(f"{op}: top_paths must be at least 1, got {top_paths}.")
    if beam_width < 1:
        raise InvalidArgumentError(f"{op}: beam_width must be at least 1, got {beam_width}.")
    x, lengths = _inputs(inputs, sequence_length, op)
    if top_paths > beam_width:
        raise InvalidArgumentError(
            f"{op}: requested more paths ({top_paths}) than the beam width ({beam_width})."
        )
    batch = x.shape[1]
    # TF normalizes each step's logits to log-probabilities first, in the logits' dtype:
    # x - (max + log(sum(exp(x - max)))).
    # The sum runs left to right and exp/log are rounded once each, as TF's loop does.
    logits = x.detach().cpu().numpy()
    kind = logits.dtype
    top = logits.max(-1, keepdims=True)
    shifted = np.exp((logits - top).astype(np.float64)).astype(kind)
    total = np.cumsum(shifted, axis=-1, dtype=kind)[..., -1:]
    normalized = logits - (top + np.log(total.astype(np.float64)).astype(kind))
    per_path: list[list[list[int]]] = [[] for _ in range(top_paths)]
    scores = np.zeros((batch, top_paths))
    for b in range(batch):
        paths, probs = _beam_search(normalized[: lengths[b], b], beam_width, top_paths, op)
        for j in range(top_paths):
            per_path[j].append(_merge_repeats(paths[j]) if merge_repeated else paths[j])
            scores[b, j] = probs[j]
    decoded = [_sparse(per_path[j], batch, x.device) for j in range(top_paths)]
    return decoded, torch.tensor(scores, dtype=x.dtype, device=x.device)
