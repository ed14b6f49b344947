"""`tf.image`'s bounding-box ops: crops, non-max suppression, drawing and sampling boxes.

Boxes follow TensorFlow's convention `[y1, x1, y2, x2]`. `crop_and_resize`,
`draw_bounding_boxes` and `sample_distorted_bounding_box` take coordinates
normalised to [0, 1]; the non-max suppression ops accept any units and any
pair of diagonal corners.

Non-max suppression runs on the host in NumPy float32 arithmetic, as
TensorFlow's CPU kernels do, so ties and thresholds fall the same way: boxes
are visited by score (higher first, then lower index), a box is suppressed when
its IoU with a kept box is greater than `iou_threshold`, and only boxes whose
score is greater than `score_threshold` are candidates. Each kept box costs
one vectorised IoU row against the boxes after it.
"""

from __future__ import annotations

import collections
import heapq
import math as _math

import numpy as np
import torch
from torch._subclasses.fake_tensor import is_fake

from tork._backend.dtypes import dtype_name
from tork._backend.errors import InvalidArgumentError, OutOfRangeError
from tork._backend.tracing import SYMBOLIC_TWIN, outside_compiled_graphs, values_readable
from tork.ops.array import _scalar_value, _t
from tork.ops.random import _generator_for, _pair_generator, _seed_pair

__all__ = [
    "combined_non_max_suppression",
    "crop_and_resize",
    "draw_bounding_boxes",
    "non_max_suppression",
    "non_max_suppression_overlaps",
    "non_max_suppression_padded",
    "non_max_suppression_with_scores",
    "sample_distorted_bounding_box",
    "stateless_sample_distorted_bounding_box",
]

_NMS_DTYPES = (torch.float16, torch.float32)

# ---------------------------------------------------------------- helpers


def _dims(x) -> str:
    return "[" + ",".join(str(d) for d in x.shape) + "]"


def _op_input(value, like: torch.Tensor | None = None) -> torch.Tensor:
    """`value` as a tensor; a numpy array or list converts to the op's float dtype.

    TensorFlow converts non-tensor inputs to the dtype of the tensor they pair with
    (else float32), so float64 numpy boxes work; tensors keep their dtype and are checked.
    """
    if isinstance(value, torch.Tensor):
        return value
    x = _t(value)
    if x.dtype.is_floating_point or x.dtype in (torch.int32, torch.int64, torch.bool):
        target = like.dtype if like is not None and like.dtype in _NMS_DTYPES else torch.float32
        x = x.to(target)
    return x


def _float_input(value, kernel: str, index: int, allowed=_NMS_DTYPES) -> torch.Tensor:
    x = _op_input(value)
    if x.dtype not in allowed:
        names = ", ".join(_tf_type(d) for d in allowed)
        if len(allowed) == 1:
            raise InvalidArgumentError(
                f"cannot compute {kernel} as input #{index}(zero-based) was expected to be a "
                f"float tensor but is a {_tf_type(x.dtype)} tensor"
            )
        raise InvalidArgumentError(
            f"Value for attr 'T' of {_tf_type(x.dtype)} is not in the list of allowed values: "
            f"{names}"
        )
    return x


def _tf_type(dtype: torch.dtype) -> str:
    """TensorFlow's C++ name of a dtype, as its kernels print it."""
    return {torch.float16: "half", torch.float32: "float", torch.float64: "double"}.get(
        dtype, dtype_name(dtype)
    )


def _host(x: torch.Tensor) -> np.ndarray:
    return x.detach().to("cpu", torch.float32).numpy()


def _canonical(boxes: np.ndarray) -> np.ndarray:
    """`[y_min, x_min, y_max, x_max]` from any pair of diagonal corners."""
    return np.stack(
        [
            np.minimum(boxes[..., 0], boxes[..., 2]),
            np.minimum(boxes[..., 1], boxes[..., 3]),
            np.maximum(boxes[..., 0], boxes[..., 2]),
            np.maximum(boxes[..., 1], boxes[..., 3]),
        ],
        axis=-1,
    )


def _iou_row(boxes: np.ndarray, area: np.ndarray, i: int, rest: np.ndarray) -> np.ndarray:
    """IoU of canonical box `i` with boxes `rest`, as TensorFlow's kernels compute it.

    A box without positive area overlaps nothing (IoU 0).
    """
    b, r = boxes[i], boxes[rest]
    ih = np.maximum(np.minimum(b[2], r[:, 2]) - np.maximum(b[0], r[:, 0]), np.float32(0))
    iw = np.maximum(np.minimum(b[3], r[:, 3]) - np.maximum(b[1], r[:, 1]), np.float32(0))
    inter = ih * iw
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area[i] + area[rest] - inter)
    return np.where((area[i] <= 0) | (area[rest] <= 0), np.float32(0), iou).astype(np.float32)


def _areas(boxes: np.ndarray) -> np.ndarray:
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def _order(scores: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Candidate indices by score, higher first, ties by lower index."""
    idx = np.flatnonzero(candidates)
    return idx[np.argsort(-scores[idx], kind="stable")]


class _SortedBoxes:
    """Canonical boxes in visiting order, one contiguous array per coordinate, so that the
    IoU of a kept box with every later box is a handful of vectorised slice operations."""

    def __init__(self, boxes: np.ndarray, order: np.ndarray, epsilon=None):
        b = boxes[order]
        self.y0, self.x0, self.y1, self.x1 = (np.ascontiguousarray(b[:, k]) for k in range(4))
        self.area = (self.y1 - self.y0) * (self.x1 - self.x0)
        self.epsilon = epsilon

    def row(self, pos: int) -> np.ndarray:
        """IoU of the box at `pos` with the boxes after it."""
        s = slice(pos + 1, None)
        ih = np.minimum(self.y1[pos], self.y1[s]) - np.maximum(self.y0[pos], self.y0[s])
        iw = np.minimum(self.x1[pos], self.x1[s]) - np.maximum(self.x0[pos], self.x0[s])
        inter = np.maximum(ih, np.float32(0)) * np.maximum(iw, np.float32(0))
        union = self.area[pos] + self.area[s] - inter
        if self.epsilon is not None:
            # TensorFlow's padded NMS: IoU with 1e-8 added to the union, no area check.
            return inter / (union + self.epsilon)
        with np.errstate(divide="ignore", invalid="ignore"):
            iou = inter / union
        return np.where((self.area[pos] <= 0) | (self.area[s] <= 0), np.float32(0), iou)


def _greedy(similarity_row, n: int, limit: int, threshold, strict=True, counted=None):
    """Greedy hard suppression over visiting positions `0 .. n - 1`.

    `similarity_row(pos)` gives the overlaps of position `pos` with the positions
    after it. Returns the kept positions; the search stops once `limit` of them
    are kept (only positions where `counted` is True count, when given).
    """
    alive = np.ones(n, dtype=bool)
    keep = []
    found = 0
    for pos in range(n):
        if found >= limit:
            break
        if not alive[pos]:
            continue
        keep.append(pos)
        found += 1 if counted is None else int(counted[pos])
        if pos + 1 < n:
            sim = similarity_row(pos)
            alive[pos + 1 :] &= ~(sim > threshold if strict else sim >= threshold)
    return keep


def _hard_nms(canon: np.ndarray, scores: np.ndarray, thr, limit: int, iou) -> list[int]:
    """Indices kept by TensorFlow's hard NMS (scores above `thr`, IoU above `iou` suppresses)."""
    order = _order(scores, scores > thr)
    boxes = _SortedBoxes(canon, order)
    return [int(order[p]) for p in _greedy(boxes.row, order.size, limit, iou)]


def _nms_args(boxes, scores, max_output_size, iou_threshold, score_threshold, kernel: str):
    if not isinstance(boxes, torch.Tensor) and isinstance(scores, torch.Tensor):
        boxes = _op_input(boxes, scores)
    b = _float_input(boxes, kernel, 0)
    s = _op_input(scores, b)
    if s.dtype != b.dtype and s.dtype in _NMS_DTYPES + (torch.float64,):
        raise InvalidArgumentError(
            f"cannot compute {kernel} as input #1(zero-based) was expected to be a "
            f"{_tf_type(b.dtype)} tensor but is a {_tf_type(s.dtype)} tensor"
        )
    s = _float_input(s, kernel, 1)
    if b.dim() != 2:
        raise InvalidArgumentError(f"boxes must be 2-D{_dims(b)}")
    if b.shape[1] != 4:
        raise InvalidArgumentError(
            f"boxes must have 4 columns (Dimension must be 4 but is {b.shape[1]})"
        )
    if s.dim() != 1:
        raise InvalidArgumentError(f"scores must be 1-D{_dims(s)}")
    if s.shape[0] != b.shape[0]:
        raise InvalidArgumentError(
            "scores has incompatible shape (Dimensions must be equal, but are "
            f"{b.shape[0]} and {s.shape[0]})"
        )
    size = int(_scalar_value(max_output_size))
    if size < 0:
        raise InvalidArgumentError("output size must be non-negative")
    iou = float(_scalar_value(iou_threshold))
    if not 0.0 <= iou <= 1.0:
        raise InvalidArgumentError("iou_threshold must be in [0, 1]")
    return b, s, size, np.float32(iou), np.float32(float(_scalar_value(score_threshold)))


def _indices(keep, device) -> torch.Tensor:
    return torch.tensor(keep, dtype=torch.int32, device=device)


def _symbolic(tensor: torch.Tensor) -> bool:
    """True for a fake tensor: a Lambda's call in the functional API, shapes only.

    Only then do the selections below give stand-ins. A compiled caller
    (`tf.function(jit_compile=True)`) must not bake a stand-in into its graph: the public
    functions run outside compiled graphs, and a whole-step capture sees their host read
    and runs the step eagerly.
    """
    return is_fake(tensor)


def _traced_indices(scores: torch.Tensor, limit: int) -> torch.Tensor:
    """Stand-in selection while tracing (a Lambda in the functional API): no values exist.

    Only its shape matters; the kept count is known only at run time: the first stand-in
    run has the most it can be, `min(max_output_size, num_boxes)`, the second one fewer,
    so the functional API marks the size unknown (None) as Keras does.
    """
    return scores.new_zeros((_traced_count(min(limit, scores.shape[0])),), dtype=torch.int32)


def _traced_count(most: int) -> int:
    """The stand-in number of kept boxes of at most `most` (see `_traced_indices`)."""
    return max(most - SYMBOLIC_TWIN.get(), 0)


# ---------------------------------------------------------------- non-max suppression


@outside_compiled_graphs
def non_max_suppression(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    name: str | None = None,
) -> torch.Tensor:
    """Greedily selects boxes by score, dropping boxes that overlap a selected one.

    Boxes are visited from the highest score down (equal scores: lower index
    first); a box is kept unless its intersection over union with a box kept
    before it is greater than `iou_threshold`. Boxes with a score not greater
    than `score_threshold` are never selected.

    Args:
        boxes: float32 or float16 `(num_boxes, 4)` boxes `[y1, x1, y2, x2]`
            (any pair of diagonal corners, any units).
        scores: `(num_boxes,)` scores of the same dtype.
        max_output_size: the most boxes to select.
        iou_threshold: overlap above which a box is dropped, in [0, 1].
        score_threshold: boxes must score above this to be selected.
        name: unused.

    Returns:
        An int32 tensor of the selected indices, best first.

    Example:
    >>> boxes = [[0.0, 0.0, 1.0, 1.0], [0.0, 0.1, 1.0, 1.1], [0.0, 2.0, 1.0, 3.0]]
    >>> tf.image.non_max_suppression(boxes, [0.9, 0.8, 0.7], 3).tolist()
    [0, 2]
    """
    del name
    b, s, size, iou, thr = _nms_args(
        boxes, scores, max_output_size, iou_threshold, score_threshold, "NonMaxSuppressionV3"
    )
    if _symbolic(s):
        return _traced_indices(s, size)
    hb, hs = _canonical(_host(b)), _host(s)
    keep = _hard_nms(hb, hs, thr, size, iou)
    return _indices(keep, b.device)


@outside_compiled_graphs
def non_max_suppression_with_scores(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    soft_nms_sigma=0.0,
    name: str | None = None,
):
    """Non-max suppression that also returns the selected boxes' scores (Soft-NMS too).

    With `soft_nms_sigma > 0` overlapping boxes are not dropped: each selected
    box multiplies the scores of the others by `exp(-iou ** 2 / (2 * sigma))`
    (Bodla et al., 2017), `iou_threshold` is ignored, and a box whose score
    falls to `score_threshold` or below is dropped. With `soft_nms_sigma=0` it is
    `tf.image.non_max_suppression` and the scores are the input scores.

    Args:
        boxes: float32 or float16 `(num_boxes, 4)` boxes `[y1, x1, y2, x2]`.
        scores: `(num_boxes,)` scores of the same dtype.
        max_output_size: the most boxes to select.
        iou_threshold: overlap above which a box is dropped (hard NMS), in [0, 1].
        score_threshold: boxes must score above this to be selected.
        soft_nms_sigma: Soft-NMS sigma, >= 0 (0: hard NMS).
        name: unused.

    Returns:
        `(selected_indices, selected_scores)`: int32 indices, best first, and
        their (decayed) scores in the dtype of `scores`.

    Example:
    >>> boxes = [[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 0.5]]
    >>> idx, sc = tf.image.non_max_suppression_with_scores(
    ...     boxes, [0.9, 0.8], 2, soft_nms_sigma=0.5)
    >>> idx.tolist(), round(float(sc[1]), 4)
    ([0, 1], 0.623)
    """
    del name
    b, s, size, iou, thr = _nms_args(
        boxes, scores, max_output_size, iou_threshold, score_threshold, "NonMaxSuppressionV5"
    )
    sigma = float(_scalar_value(soft_nms_sigma))
    if sigma < 0:
        raise InvalidArgumentError("soft_nms_sigma_val must be >= 0")
    if _symbolic(s):
        keep = _traced_indices(s, size)
        return keep, s[keep.long()]
    hb, hs = _canonical(_host(b)), _host(s)
    if sigma == 0:
        keep = _hard_nms(hb, hs, thr, size, iou)
        kept_scores = hs[keep] if keep else np.zeros(0, np.float32)
    else:
        keep, kept_scores = _soft_nms(hb, _areas(hb), hs, size, thr, np.float32(-0.5 / sigma))
    out_scores = torch.from_numpy(np.asarray(kept_scores, np.float32)).to(b.device, s.dtype)
    return _indices(keep, b.device), out_scores


def _soft_nms(boxes, area, scores, size, thr, scale):
    """TensorFlow's lazy Soft-NMS: a candidate is decayed by the boxes selected since
    it was last looked at (most recent first) and selected once no new box decays it."""
    heap = [(-float(scores[i]), int(i), float(scores[i]), 0) for i in np.flatnonzero(scores > thr)]
    heapq.heapify(heap)
    keep, kept_scores = [], []
    while heap and len(keep) < size:
        _, idx, score, begin = heapq.heappop(heap)
        original = np.float32(score)
        current = original
        if begin < len(keep):
            sel = np.asarray(keep[begin:][::-1])
            sim = _iou_row(boxes, area, idx, sel)
            weights = np.exp((scale * sim) * sim).astype(np.float32)
            for w in weights:
                current = np.float32(current * w)
                if current <= thr:
                    break
        begin = len(keep)
        if current == original:
            keep.append(idx)
            kept_scores.append(current)
        elif current > thr:
            heapq.heappush(heap, (-float(current), idx, float(current), begin))
    return keep, kept_scores


@outside_compiled_graphs
def non_max_suppression_overlaps(
    overlaps,
    scores,
    max_output_size,
    overlap_threshold=0.5,
    score_threshold=float("-inf"),
    name: str | None = None,
) -> torch.Tensor:
    """Non-max suppression on a given overlap matrix instead of boxes.

    Args:
        overlaps: float32 `(num_boxes, num_boxes)` overlaps (any similarity).
        scores: float32 `(num_boxes,)` scores.
        max_output_size: the most boxes to select.
        overlap_threshold: overlap above which a box is dropped.
        score_threshold: boxes must score above this to be selected.
        name: unused.

    Returns:
        An int32 tensor of the selected indices, best first.

    Example:
    >>> ov = [[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]]
    >>> tf.image.non_max_suppression_overlaps(ov, [0.5, 0.9, 0.7], 3).tolist()
    [1, 2]
    """
    del name
    kernel = "NonMaxSuppressionWithOverlaps"
    ov = _float_input(overlaps, kernel, 0, (torch.float32,))
    s = _float_input(scores, kernel, 1, (torch.float32,))
    if ov.dim() != 2:
        raise InvalidArgumentError(f"overlaps must be 2-D{_dims(ov)}")
    if ov.shape[0] != ov.shape[1]:
        raise InvalidArgumentError(f"overlaps must be square{_dims(ov)}")
    if s.dim() != 1:
        raise InvalidArgumentError(f"scores must be 1-D{_dims(s)}")
    if s.shape[0] != ov.shape[0]:
        raise InvalidArgumentError(
            "scores has incompatible shape (Dimensions must be equal, but are "
            f"{ov.shape[0]} and {s.shape[0]})"
        )
    size = int(_scalar_value(max_output_size))
    if size < 0:
        raise InvalidArgumentError("output size must be non-negative")
    if _symbolic(s):
        return _traced_indices(s, size)
    hov, hs = _host(ov), _host(s)
    thr = np.float32(float(_scalar_value(score_threshold)))
    order = _order(hs, hs > thr)
    kept = _greedy(
        # TF compares overlaps[candidate, selected]: the matrix may be asymmetric (IoA).
        lambda pos: hov[order[pos + 1 :], order[pos]],
        order.size,
        size,
        np.float32(float(_scalar_value(overlap_threshold))),
    )
    return _indices([int(order[p]) for p in kept], ov.device)


def _as_numpy_of(value, dtype):
    """Lists and NumPy arrays as `dtype` arrays (TF's conversion); tensors as they are."""
    if isinstance(value, (list, tuple, np.ndarray)):
        try:
            return np.asarray(value, dtype=dtype)
        except (TypeError, ValueError, RuntimeError):
            return value  # e.g. a list of tensors that need gradients
    return value


@outside_compiled_graphs
def non_max_suppression_padded(
    boxes,
    scores,
    max_output_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    pad_to_max_output_size: bool = False,
    name: str | None = None,
    sorted_input: bool = False,
    canonicalized_coordinates: bool = False,
    tile_size: int = 512,
):
    """Batched non-max suppression with a fixed-size, zero-padded output.

    Follows TensorFlow's padded algorithm, which differs from
    `tf.image.non_max_suppression` at the edges: a box is dropped when its IoU
    (with `1e-8` added to the union) with a kept box is *at least*
    `iou_threshold`; boxes scoring `score_threshold` or less are zeroed; a box
    with no positive coordinate is never selected; without
    `canonicalized_coordinates` the corner order of the first box decides how
    every box is read.

    Args:
        boxes: `(..., num_boxes, 4)` boxes `[y1, x1, y2, x2]`.
        scores: `(..., num_boxes)` scores.
        max_output_size: the most boxes to select per image.
        iou_threshold: overlap from which a box is dropped.
        score_threshold: boxes must score above this to be selected.
        pad_to_max_output_size: pad the indices with zeros to
            `max_output_size` (required for batched input).
        name: unused.
        sorted_input: the boxes are already sorted by decreasing score.
        canonicalized_coordinates: the boxes are `[y_min, x_min, y_max, x_max]`.
        tile_size: unused (TensorFlow's parallelism knob).

    Returns:
        `(selected_indices, num_valid)`: int32 indices `(..., max_output_size)`
        (or `(num_valid,)` without padding), and int32 counts `(...)`.

    Example:
    >>> boxes = [[0.0, 0.0, 1.0, 1.0], [0.0, 0.1, 1.0, 1.1], [0.0, 2.0, 1.0, 3.0]]
    >>> idx, n = tf.image.non_max_suppression_padded(
    ...     boxes, [0.9, 0.8, 0.7], 4, pad_to_max_output_size=True)
    >>> idx.tolist(), int(n)
    ([0, 2, 0, 0], 2)
    """
    del name, tile_size
    b, s = _t(boxes), _t(scores)
    if not pad_to_max_output_size and b.dim() > 2:
        raise ValueError(
            f"'pad_to_max_output_size' (value {pad_to_max_output_size}) must be True for "
            "batched input"
        )
    if b.dim() < 2 or b.shape[-1] != 4:
        raise ValueError(f"boxes must have a shape (..., num_boxes, 4), got {_dims(b)}.")
    if tuple(s.shape) != tuple(b.shape[:-1]):
        raise ValueError(
            f"scores must have the shape of boxes without its last dimension, got {_dims(s)} "
            f"for boxes {_dims(b)}."
        )
    size = int(_scalar_value(max_output_size))
    if size < 0:
        raise InvalidArgumentError("output size must be non-negative")
    batch_shape = tuple(b.shape[:-2])
    n = b.shape[-2]
    if _symbolic(s):
        # Shapes only: padded, the indices have a known size; unpadded, at most n of them.
        kept = size if pad_to_max_output_size else _traced_count(min(size, n))
        indices = s.new_zeros((*batch_shape, kept), dtype=torch.int32)
        return indices, s.new_zeros(batch_shape, dtype=torch.int32)
    hb = _host(b).reshape(-1, n, 4)
    hs = _host(s).reshape(-1, n)
    thr = float(_scalar_value(score_threshold))
    iou = np.float32(float(_scalar_value(iou_threshold)))
    if thr != float("-inf"):
        mask = (hs > np.float32(thr)).astype(np.float32)
        hs = hs * mask
        hb = hb * mask[..., None]
    if not canonicalized_coordinates and hb.size:
        # TensorFlow reads the corner order of the very first box and applies it to all.
        if not hb[0, 0, 0] <= hb[0, 0, 2]:
            hb = hb[..., [2, 1, 0, 3]]
        if not hb[0, 0, 1] <= hb[0, 0, 3]:
            hb = hb[..., [0, 3, 2, 1]]
    out = np.zeros((hb.shape[0], size), np.int32)
    counts = np.zeros(hb.shape[0], np.int32)
    for k in range(hb.shape[0]):
        order = np.arange(n) if sorted_input else np.argsort(-hs[k], kind="stable").astype(np.int64)
        bx = hb[k]

        positive = (bx[order] > 0).any(axis=1)
        sorted_boxes = _SortedBoxes(bx, order, epsilon=np.float32(1e-8))
        kept = _greedy(sorted_boxes.row, n, size, iou, strict=False, counted=positive)
        chosen = [int(order[p]) for p in kept if positive[p]][:size]
        counts[k] = len(chosen)
        out[k, : len(chosen)] = chosen
    dev = b.device
    num_valid = torch.from_numpy(counts.reshape(batch_shape)).to(dev)
    if not pad_to_max_output_size:
        return torch.from_numpy(out[0, : counts[0]].copy()).to(dev), num_valid
    return torch.from_numpy(out.reshape(batch_shape + (size,))).to(dev), num_valid


_CombinedResult = collections.namedtuple(
    "CombinedNonMaxSuppression",
    ["nmsed_boxes", "nmsed_scores", "nmsed_classes", "valid_detections"],
)


@outside_compiled_graphs
def combined_non_max_suppression(
    boxes,
    scores,
    max_output_size_per_class,
    max_total_size,
    iou_threshold=0.5,
    score_threshold=float("-inf"),
    pad_per_class: bool = False,
    clip_boxes: bool = True,
    name: str | None = None,
):
    """Per-class non-max suppression over a batch, merged into one ranked list per image.

    Each class of each image goes through `tf.image.non_max_suppression`
    (`max_output_size_per_class` boxes at most); the survivors of all classes
    are ranked by score and the best `max_total_size` kept.

    Args:
        boxes: float32 `(batch, num_boxes, q, 4)`: `q` is 1 (boxes shared by all
            classes) or `num_classes`.
        scores: float32 `(batch, num_boxes, num_classes)`.
        max_output_size_per_class: the most boxes kept per class (> 0).
        max_total_size: the most boxes kept per image (> 0).
        iou_threshold: overlap above which a box is dropped, in [0, 1].
        score_threshold: boxes must score above this to be selected.
        pad_per_class: if True, pad the outputs to
            `min(max_output_size_per_class * num_classes, max_total_size)`
            instead of `max_total_size`.
        clip_boxes: clip the output boxes to [0, 1].
        name: unused.

    Returns:
        A namedtuple `(nmsed_boxes, nmsed_scores, nmsed_classes,
        valid_detections)`: float32 `(batch, size, 4)`, `(batch, size)`,
        `(batch, size)` (class ids as floats) and int32 `(batch,)` counts;
        entries past the count are zero.

    Example:
    >>> boxes = tf.constant([[[[0.0, 0.0, 1.0, 1.0]], [[0.0, 0.1, 1.0, 1.1]]]])
    >>> scores = tf.constant([[[0.9, 0.1], [0.8, 0.7]]])
    >>> r = tf.image.combined_non_max_suppression(boxes, scores, 2, 3)
    >>> r.nmsed_classes.tolist(), r.valid_detections.tolist()
    ([[0.0, 1.0, 0.0]], [2])
    """
    del name
    kernel = "CombinedNonMaxSuppression"
    b = _float_input(boxes, kernel, 0, (torch.float32,))
    s = _float_input(scores, kernel, 1, (torch.float32,))
    per_class = int(_scalar_value(max_output_size_per_class))
    total = int(_scalar_value(max_total_size))
    if b.dim() != 4:
        raise InvalidArgumentError(f"boxes must be 4-D{_dims(b)}")
    if s.dim() != 3:
        raise InvalidArgumentError(f"scores must be 3-D{_dims(s)}")
    if per_class <= 0:
        raise InvalidArgumentError("max_size_per_class must be positive")
    if total <= 0:
        raise InvalidArgumentError("max_total_size must be > 0")
    iou = float(_scalar_value(iou_threshold))
    if not 0.0 <= iou <= 1.0:
        raise InvalidArgumentError("iou_threshold must be in [0, 1]")
    if b.shape[0] != s.shape[0]:
        raise InvalidArgumentError("boxes and scores must have same batch size")
    if b.shape[1] != s.shape[1]:
        raise InvalidArgumentError(
            "boxes and scores must have the same number of boxes, got "
            f"{b.shape[1]} and {s.shape[1]}"
        )
    num_classes = s.shape[2]
    q = b.shape[2]
    if q not in (1, num_classes):
        raise InvalidArgumentError("third dimension of boxes must be either 1 or num classes")
    if b.shape[3] != 4:
        raise InvalidArgumentError("last dimension of boxes must be 4")
    thr = np.float32(float(_scalar_value(score_threshold)))
    iou32 = np.float32(iou)
    size = min(per_class * num_classes, total) if pad_per_class else total
    batch = b.shape[0]
    if _symbolic(s):
        # Tracing (a Lambda in the functional API): the outputs' shapes are all known.
        return _CombinedResult(
            b.new_zeros((batch, size, 4)),
            s.new_zeros((batch, size)),
            s.new_zeros((batch, size)),
            s.new_zeros((batch,), dtype=torch.int32),
        )
    hb, hs = _host(b), _host(s)
    out_boxes = np.zeros((batch, size, 4), np.float32)
    out_scores = np.zeros((batch, size), np.float32)
    out_classes = np.zeros((batch, size), np.float32)
    valid = np.zeros(batch, np.int32)
    for k in range(batch):
        found = []  # (score, class, box index), in class order then rank
        for c in range(num_classes):
            raw = hb[k, :, c if q > 1 else 0]
            canon = _canonical(raw)
            sc = hs[k, :, c]
            keep = _hard_nms(canon, sc, thr, per_class, iou32)
            found.extend((sc[i], c, raw[i]) for i in keep)
        ranked = sorted(range(len(found)), key=lambda j: -found[j][0])[:size]
        valid[k] = len(ranked)
        for slot, j in enumerate(ranked):
            out_scores[k, slot], out_classes[k, slot], out_boxes[k, slot] = found[j]
    if clip_boxes:
        out_boxes = np.clip(out_boxes, 0.0, 1.0)
    dev = b.device
    return _CombinedResult(
        torch.from_numpy(out_boxes).to(dev),
        torch.from_numpy(out_scores).to(dev),
        torch.from_numpy(out_classes).to(dev),
        torch.from_numpy(valid).to(dev),
    )


# ---------------------------------------------------------------- crop_and_resize


def crop_and_resize(
    image,
    boxes,
    box_indices,
    crop_size,
    method: str = "bilinear",
    extrapolation_value=0.0,
    name: str | None = None,
) -> torch.Tensor:
    """Crops boxes out of a batch of images and resizes each crop to `crop_size`.

    Box `[y1, x1, y2, x2]` (normalised: 0 and 1 are the first and last pixel
    centres; `y1 > y2` flips the crop) of image `box_indices[i]` is sampled on
    a `crop_height x crop_width` grid from `y1 * (height - 1)` to
    `y2 * (height - 1)` (the box centre when the crop size is 1). Samples outside
    the image take `extrapolation_value`. Gradients flow to `image` (and to
    `boxes` through the bilinear weights).

    Args:
        image: 4-D `(batch, height, width, channels)` images of a real dtype.
        boxes: float32 `(num_boxes, 4)`.
        box_indices: int32 `(num_boxes,)` indices into the batch.
        crop_size: `[crop_height, crop_width]`, positive ints.
        method: `"bilinear"` or `"nearest"`.
        extrapolation_value: value of samples outside the image.
        name: unused.

    Returns:
        A float32 tensor `(num_boxes, crop_height, crop_width, channels)`.

    Example:
    >>> img = tf.reshape(tf.range(16, dtype=tf.float32), [1, 4, 4, 1])
    >>> tf.image.crop_and_resize(img, [[0.0, 0.0, 1.0, 1.0]], [0], [2, 2])[0, :, :, 0].tolist()
    [[0.0, 3.0], [12.0, 15.0]]
    """
    del name
    x = _t(image)
    if method not in ("bilinear", "nearest"):
        raise InvalidArgumentError(
            f"Value for attr 'method' of \"{method}\" is not in the list of allowed values: "
            '"bilinear", "nearest"'
        )
    # Lists and NumPy arrays convert to float32 / int32 as in TF (`[[0, 0, 1, 1]]` is a
    # valid box list there); only tensors of another dtype are refused.
    boxes = _as_numpy_of(boxes, np.float32)
    box_indices = _as_numpy_of(box_indices, np.int32)
    bx = _t(boxes)
    if bx.dtype != torch.float32:
        raise ValueError(
            f"Tensor conversion requested dtype float32 for Tensor with dtype "
            f"{dtype_name(bx.dtype)}"
        )
    ind = _t(box_indices)
    if ind.dtype != torch.int32:
        raise ValueError(
            f"Tensor conversion requested dtype int32 for Tensor with dtype {dtype_name(ind.dtype)}"
        )
    if isinstance(crop_size, (list, tuple, np.ndarray)):
        cs = np.asarray(crop_size, dtype=np.int64)
    else:
        cs = _t(crop_size).detach().cpu().numpy()
    if x.dim() != 4:
        raise InvalidArgumentError(f"input image must be 4-D{_dims(x)}")
    if x.dtype == torch.bool or x.dtype.is_complex:
        raise InvalidArgumentError(
            f"crop_and_resize does not support images of dtype {dtype_name(x.dtype)}"
        )
    batch, height, width, _ = x.shape
    if height <= 0 or width <= 0:
        raise InvalidArgumentError("image dimensions must be positive")
    if bx.dim() != 2 or bx.shape[1] != 4:
        raise InvalidArgumentError("boxes must have 4 columns")
    if ind.dim() != 1 or ind.shape[0] != bx.shape[0]:
        raise InvalidArgumentError("box_index has incompatible shape")
    if cs.size != 2:
        raise InvalidArgumentError(f"crop_size must have two elements{_dims(cs)}")
    crop_h, crop_w = (int(v) for v in cs.reshape(-1))
    if crop_h <= 0 or crop_w <= 0:
        raise InvalidArgumentError("crop dimensions must be positive")
    # Inside traced or symbolic calls there are no index values to check.
    if ind.numel() and values_readable(ind) and (int(ind.min()) < 0 or int(ind.max()) >= batch):
        raise OutOfRangeError("box_index has values outside [0, batch_size)")

    img = x if x.dtype == torch.float32 else x.to(torch.float32)
    bx = bx.to(img.device)
    ind = ind.to(device=img.device, dtype=torch.int64)
    in_y = _sample_positions(bx[:, 0], bx[:, 2], height, crop_h)  # (n, crop_h)
    in_x = _sample_positions(bx[:, 1], bx[:, 3], width, crop_w)  # (n, crop_w)
    valid = ((in_y >= 0) & (in_y <= height - 1))[:, :, None] & ((in_x >= 0) & (in_x <= width - 1))[
        :, None, :
    ]
    b_idx = ind[:, None, None]
    if method == "nearest":
        # roundf: halves away from zero.
        yi = (torch.sign(in_y) * torch.floor(in_y.abs() + 0.5)).long().clamp(0, height - 1)
        xi = (torch.sign(in_x) * torch.floor(in_x.abs() + 0.5)).long().clamp(0, width - 1)
        out = img[b_idx, yi[:, :, None], xi[:, None, :]]
    else:
        y0 = torch.floor(in_y)
        x0 = torch.floor(in_x)
        y_lerp = (in_y - y0)[:, :, None, None]
        x_lerp = (in_x - x0)[:, None, :, None]
        top = y0.long().clamp(0, height - 1)[:, :, None]
        bottom = torch.ceil(in_y).long().clamp(0, height - 1)[:, :, None]
        left = x0.long().clamp(0, width - 1)[:, None, :]
        right = torch.ceil(in_x).long().clamp(0, width - 1)[:, None, :]
        tl, tr = img[b_idx, top, left], img[b_idx, top, right]
        bl, br = img[b_idx, bottom, left], img[b_idx, bottom, right]
        upper = tl + (tr - tl) * x_lerp
        lower = bl + (br - bl) * x_lerp
        out = upper + (lower - upper) * y_lerp
    fill = torch.as_tensor(float(_scalar_value(extrapolation_value)), dtype=torch.float32)
    return torch.where(valid[..., None], out, fill.to(out.device))


def _sample_positions(a: torch.Tensor, b: torch.Tensor, size: int, count: int) -> torch.Tensor:
    """Input coordinates of `count` samples from normalised `a` to `b`, as TF computes them."""
    if count > 1:
        scale = (b - a) * (size - 1) / (count - 1)
        steps = torch.arange(count, dtype=torch.float32, device=a.device)
        return (a * (size - 1))[:, None] + steps[None, :] * scale[:, None]
    return (0.5 * (a + b) * (size - 1))[:, None]


# ---------------------------------------------------------------- draw_bounding_boxes

# TensorFlow's default palette (RGBA) when no colours are given.
_DEFAULT_COLOURS = (
    (1.0, 1.0, 0.0, 1.0),
    (0.0, 0.0, 1.0, 1.0),
    (1.0, 0.0, 0.0, 1.0),
    (0.0, 1.0, 0.0, 1.0),
    (0.5, 0.0, 0.5, 1.0),
    (0.5, 0.5, 0.0, 1.0),
    (0.5, 0.0, 0.0, 1.0),
    (0.0, 0.0, 0.5, 1.0),
    (0.0, 1.0, 1.0, 1.0),
    (1.0, 0.0, 1.0, 1.0),
)


def draw_bounding_boxes(images, boxes, colors, name: str | None = None) -> torch.Tensor:
    """Draws one-pixel box outlines on a batch of images.

    Box `[y_min, x_min, y_max, x_max]` (normalised) spans rows
    `trunc(y_min * (height - 1))` to `trunc(y_max * (height - 1))` and likewise
    columns; edges outside the image are not drawn, boxes with `min > max` are
    skipped. Box `j` takes colour `colors[j % len(colors)]` (all channels of the
    pixel are set); later boxes draw over earlier ones.

    Args:
        images: float32 or float16 `(batch, height, width, depth)`, depth 1, 3 or 4.
        boxes: float32 `(batch, num_boxes, 4)`.
        colors: `(num_colors, >= depth)` colours, or None for TensorFlow's palette.
        name: unused.

    Returns:
        The images with the boxes drawn, same shape and dtype.

    Example:
    >>> out = tf.image.draw_bounding_boxes(
    ...     tf.zeros([1, 3, 3, 1]), [[[0.0, 0.0, 1.0, 1.0]]], [[1.0]])
    >>> out[0, :, :, 0].tolist()
    [[1.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 1.0]]
    """
    del name
    x = _t(images)
    if not isinstance(images, torch.Tensor) and x.dtype not in (torch.float32, torch.float16):
        # TF converts non-tensor images (NumPy arrays, lists) to the op's default float32.
        x = x.to(torch.float32)
    if x.dtype not in (torch.float32, torch.float16):
        raise InvalidArgumentError(
            f"Value for attr 'T' of {_tf_type(x.dtype)} is not in the list of allowed values: "
            "float, half"
        )
    bx = _t(boxes)
    if x.dim() != 4:
        raise InvalidArgumentError("The rank of the images should be 4")
    if bx.dim() != 3:
        raise InvalidArgumentError("The rank of the boxes should be 3")
    if bx.shape[0] != x.shape[0]:
        raise InvalidArgumentError("The batch sizes should be the same")
    if bx.shape[2] != 4:
        raise InvalidArgumentError(
            f"The size of the third dimension of the box must be 4. Received: {bx.shape[2]}"
        )
    depth = x.shape[3]
    if depth not in (1, 3, 4):
        raise InvalidArgumentError("Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)")
    table = torch.tensor(_DEFAULT_COLOURS) if colors is None else _t(colors).to(torch.float32)
    if table.dim() != 2 or table.shape[1] < depth:
        raise InvalidArgumentError(
            f"colors must have equal or more channels than the image provided: {_dims(table)}"
        )
    if table.shape[0] == 0:
        raise InvalidArgumentError("colors must not be empty")
    height, width = x.shape[1], x.shape[2]
    # Truncation toward zero, as TensorFlow's integer conversion of the scaled corners.
    scale = torch.tensor([height - 1, width - 1, height - 1, width - 1], dtype=torch.float32)
    corners = torch.trunc(bx.detach().to("cpu", torch.float32) * scale).long().tolist()
    out = x.clone()
    palette = table[:, :depth].to(device=x.device, dtype=x.dtype)
    for k, image_boxes in enumerate(corners):
        for j, (r0, c0, r1, c1) in enumerate(image_boxes):
            if r0 > r1 or c0 > c1:
                continue
            if r1 < 0 or r0 >= height or c1 < 0 or c0 >= width:
                continue
            colour = palette[j % palette.shape[0]]
            rr0, rr1 = max(r0, 0), min(r1, height - 1)
            cc0, cc1 = max(c0, 0), min(c1, width - 1)
            if r0 >= 0:
                out[k, r0, cc0 : cc1 + 1] = colour
            if r1 < height:
                out[k, r1, cc0 : cc1 + 1] = colour
            if c0 >= 0:
                out[k, rr0 : rr1 + 1, c0] = colour
            if c1 < width:
                out[k, rr0 : rr1 + 1, c1] = colour
    return out


# ---------------------------------------------------------------- sample_distorted_bounding_box


def _pair(value, what: str) -> tuple[float, float]:
    vals = _t(value).reshape(-1).tolist() if not isinstance(value, (list, tuple)) else value
    vals = [float(_scalar_value(v)) for v in vals]
    if len(vals) != 2:
        raise InvalidArgumentError(f"{what} field must specify 2 dimensions")
    return vals[0], vals[1]


def _fmt(v: float) -> str:
    return f"{v:g}"


def sample_distorted_bounding_box(
    image_size,
    bounding_boxes,
    seed=0,
    min_object_covered=0.1,
    aspect_ratio_range=None,
    area_range=None,
    max_attempts=None,
    use_image_if_no_bounding_boxes=None,
    name: str | None = None,
):
    """Draws a random crop window that covers enough of one of the given boxes.

    Up to `max_attempts` times: an aspect ratio (width / height) is drawn from
    `aspect_ratio_range`, a height so that the area fraction lies in
    `area_range`, and a uniform position; the window is accepted when it
    covers at least `min_object_covered` of one box. If no attempt succeeds the
    whole image is returned. Same constraints as TensorFlow, not its random
    numbers.

    Args:
        image_size: `[height, width, channels]`, an integer tensor.
        bounding_boxes: float32 `(batch, num_boxes, 4)` normalised boxes
            `[y_min, x_min, y_max, x_max]` (all boxes of the batch are used).
        seed: op seed; 0 means unseeded.
        min_object_covered: the fraction of a box the window must cover, >= 0.
        aspect_ratio_range: `[min, max]` width/height ratios (default `[0.75, 1.33]`).
        area_range: `[min, max]` fractions of the image area (default `[0.05, 1.0]`).
        max_attempts: number of tries (default 100).
        use_image_if_no_bounding_boxes: with no boxes, use the whole image as
            the box instead of raising.
        name: unused.

    Returns:
        `(begin, size, bboxes)`: `[offset_y, offset_x, 0]` and
        `[target_height, target_width, -1]` in the dtype of `image_size` (for
        `tf.slice`), and the window as a float32 `(1, 1, 4)` normalised box.

    Example:
    >>> begin, size, box = tf.image.sample_distorted_bounding_box(
    ...     [64, 64, 3], [[[0.1, 0.1, 0.9, 0.9]]], seed=1)
    >>> size.shape, box.shape
    (torch.Size([3]), torch.Size([1, 1, 4]))
    """
    del name
    size_t = _t(image_size)
    if size_t.dtype not in (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64):
        raise InvalidArgumentError(
            f"Value for attr 'T' of {_tf_type(size_t.dtype)} is not in the list of allowed "
            "values: uint8, int8, int16, int32, int64"
        )
    bb = _t(bounding_boxes)
    if bb.dtype != torch.float32:
        raise ValueError(
            f"Tensor conversion requested dtype float32 for Tensor with dtype "
            f"{dtype_name(bb.dtype)}"
        )
    if size_t.dim() != 1 or size_t.numel() != 3:
        raise InvalidArgumentError(f"image_size must contain 3 elements{_dims(size_t)}")
    if bb.dim() != 3:
        raise InvalidArgumentError(
            f"input boxes must be 3-dimensional [batch, num_boxes, coords]: {_dims(bb)}"
        )
    if bb.shape[-1] != 4:
        raise InvalidArgumentError(f"bounding boxes must have shape [4] or [*, 4], got {_dims(bb)}")
    cover = float(_scalar_value(min_object_covered))
    if cover < 0:
        raise InvalidArgumentError(f"Min object covered must be non-negative: {_fmt(cover)}")
    aspect = _pair(
        [0.75, 1.33] if aspect_ratio_range is None else aspect_ratio_range, "Aspect ratio range"
    )
    if min(aspect) <= 0:
        raise InvalidArgumentError(
            f"Aspect ratio range must be non-negative: [{_fmt(aspect[0])}, {_fmt(aspect[1])}]"
        )
    area = _pair([0.05, 1.0] if area_range is None else area_range, "Area range")
    if min(area) <= 0:
        raise InvalidArgumentError(
            f"Area range must be non-negative: [{_fmt(area[0])}, {_fmt(area[1])}]"
        )
    if max(area) > 1:
        raise InvalidArgumentError(
            f"Area range must be less then or equal to 1.0: [{_fmt(area[0])}, {_fmt(area[1])}]"
        )
    attempts = 100 if max_attempts is None else int(_scalar_value(max_attempts))
    if attempts <= 0:
        raise InvalidArgumentError(f"Max attempts must be non-negative: {attempts}")
    height, width = (int(v) for v in size_t.tolist()[:2])
    if height <= 0 or width <= 0:
        raise InvalidArgumentError(
            f"image height and width must be positive, got {height} and {width}"
        )
    flat = bb.detach().to("cpu").reshape(-1, 4)
    if flat.numel() and (flat.min() < 0 or flat.max() > 1):
        bad = flat[(flat < 0) | (flat > 1)][0]
        raise InvalidArgumentError(
            f"All bounding box coordinates must be in [0.0, 1.0]: {_fmt(float(bad))}"
        )
    rects = [
        (int(y0 * height), int(x0 * width), int(y1 * height), int(x1 * width))
        for y0, x0, y1, x1 in flat.tolist()
    ]
    if not rects:
        if not use_image_if_no_bounding_boxes:
            raise InvalidArgumentError(
                "No bounding boxes provided as input. One must enable "
                "use_image_if_no_bounding_boxes if you wish to not provide any bounding boxes."
            )
        rects = [(0, 0, height, width)]
    if isinstance(seed, _StatelessSeed):
        gen = _pair_generator(seed.pair[0], seed.pair[1], "cpu")
    else:
        seed_value = int(_scalar_value(seed)) if seed is not None else 0
        gen = _generator_for(None if seed_value == 0 else seed_value, "cpu")
    crop = None
    for _ in range(attempts):
        window = _random_window(gen, height, width, aspect, area)
        if window is not None and _covers(window, rects, cover):
            crop = window
            break
    y, x, h, w = crop if crop is not None else (0, 0, height, width)
    dt = size_t.dtype
    dev = size_t.device
    begin = torch.tensor([y, x, 0], dtype=torch.int64).to(dt)
    size_out = torch.tensor([h, w, -1], dtype=torch.int64).to(dt)
    box = torch.tensor(
        [[[y / height, x / width, (y + h) / height, (x + w) / width]]], dtype=torch.float32
    )
    return begin.to(dev), size_out.to(dev), box.to(dev)


def _uniform_int(gen, n: int) -> int:
    """An int drawn uniformly from [0, n)."""
    return int(torch.randint(0, n, (1,), generator=gen))


def _random_window(gen, height: int, width: int, aspect, area):
    """One try at a window `(y, x, h, w)` with the aspect ratio and area constraints, or None."""
    total = height * width
    min_area, max_area = area[0] * total, area[1] * total
    ratio = aspect[0] + float(torch.rand((), generator=gen, dtype=torch.float64)) * (
        aspect[1] - aspect[0]
    )
    h = round(_math.sqrt(min_area / ratio))
    max_h = round(_math.sqrt(max_area / ratio))
    if round(max_h * ratio) > width:
        max_h = int((width + 0.5 - 1e-7) / ratio)
    max_h = min(max_h, height)
    h = min(h, max_h)
    if h < max_h:
        h += _uniform_int(gen, max_h - h + 1)
    w = round(h * ratio)
    # Nudge the height by one when rounding pushed the area out of range.
    if w * h < min_area:
        h += 1
        w = round(h * ratio)
    if w * h > max_area:
        h -= 1
        w = round(h * ratio)
    if not (min_area <= w * h <= max_area) or w > width or h > height or w <= 0 or h <= 0:
        return None
    y = _uniform_int(gen, height - h) if h < height else 0
    x = _uniform_int(gen, width - w) if w < width else 0
    return y, x, h, w


def _covers(window, rects, cover: float) -> bool:
    """Whether the window covers at least `cover` of one of the boxes."""
    y, x, h, w = window
    for y0, x0, y1, x1 in rects:
        box_area = (y1 - y0) * (x1 - x0)
        if box_area <= 0:
            continue
        ih = max(min(y + h, y1) - max(y, y0), 0)
        iw = max(min(x + w, x1) - max(x, x0), 0)
        if ih * iw / box_area >= cover:
            return True
    return False


class _StatelessSeed:
    """Marks a stateless seed pair for the shared sampler."""

    def __init__(self, seed):
        self.pair, _ = _seed_pair(seed)


def stateless_sample_distorted_bounding_box(
    image_size,
    bounding_boxes,
    seed,
    min_object_covered=0.1,
    aspect_ratio_range=None,
    area_range=None,
    max_attempts=None,
    use_image_if_no_bounding_boxes=None,
    name: str | None = None,
):
    """`tf.image.sample_distorted_bounding_box` with a stateless seed (same seed, same window).

    Args:
        image_size: `[height, width, channels]`, an integer tensor.
        bounding_boxes: float32 `(batch, num_boxes, 4)` normalised boxes.
        seed: two ints.
        min_object_covered: the fraction of a box the window must cover, >= 0.
        aspect_ratio_range: `[min, max]` width/height ratios (default `[0.75, 1.33]`).
        area_range: `[min, max]` fractions of the image area (default `[0.05, 1.0]`).
        max_attempts: number of tries (default 100).
        use_image_if_no_bounding_boxes: with no boxes, use the whole image.
        name: unused.

    Returns:
        `(begin, size, bboxes)` as `tf.image.sample_distorted_bounding_box`.

    Example:
    >>> begin, size, box = tf.image.stateless_sample_distorted_bounding_box(
    ...     [64, 64, 3], [[[0.1, 0.1, 0.9, 0.9]]], seed=[1, 2])
    >>> box.shape
    torch.Size([1, 1, 4])
    """
    return sample_distorted_bounding_box(
        image_size,
        bounding_boxes,
        seed=_StatelessSeed(seed),
        min_object_covered=min_object_covered,
        aspect_ratio_range=aspect_ratio_range,
        area_range=area_range,
        max_attempts=max_attempts,
        use_image_if_no_bounding_boxes=use_image_if_no_bounding_boxes,
        name=name,
    )
