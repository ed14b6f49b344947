"""Merging layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot."""

from __future__ import annotations

import math

import numpy as np
import torch

from tork._backend.ragged_tensor import RaggedTensor
from tork._backend.sparse_tensor import SparseTensor
from tork.keras.layers._call_context import where
from tork.keras.layers.layer import Layer
from tork.ops import math as _tf_math


class _Merge(Layer):
    """Base of the elementwise merging layers: checks shapes, then folds the inputs."""

    _verb = "merge"
    # Keras 2 and 3 accept a one-element list (the merge of one tensor is that tensor),
    # which code building the list in a loop relies on; Subtract and Dot need exactly 2.
    _min_inputs = 1
    _align_ranks = True  # elementwise merges broadcast lower-rank inputs, as Keras does
    # In a functional model, an unknown size meeting a known one (Input(batch_shape=(4,
    # None)) plus Input(batch_shape=(4, 5))) fails the call on stand-in sizes; Keras takes
    # the sizes as compatible, and so does compute_output_shape (see node.py).
    _tork_declares_output_shape = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _check_inputs(self, inputs) -> None:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"{where(self)}: expects a list of tensors, e.g. "
                f"{type(self).__name__}()([x1, x2]), but received a single Tensor."
            )
        if len(inputs) < self._min_inputs:
            raise ValueError(
                f"{where(self)}: expects at least {self._min_inputs} inputs, "
                f"received {len(inputs)}."
            )

    def _check_shapes(self, shapes) -> None:
        """Elementwise merges need broadcast-compatible shapes (Keras ignores the batch axis)."""
        first = tuple(shapes[0])
        batch = {s[0] for s in shapes if len(s)} - {None}
        if len(batch) > 1:
            # Keras 2 refuses too: broadcasting would pair the samples of one batch with
            # another batch's.
            raise ValueError(
                f"{where(self)}: cannot {self._verb} tensors of different batch sizes "
                f"(shapes {', '.join(str(tuple(s)) for s in shapes)})."
            )
        for other in shapes[1:]:
            other = tuple(other)
            a, b = first[1:], other[1:]
            n = max(len(a), len(b))
            a = (1,) * (n - len(a)) + a
            b = (1,) * (n - len(b)) + b
            for axis, (da, db) in enumerate(zip(a, b)):
                if da is None or db is None or da == db or da == 1 or db == 1:
                    continue
                pretty_a = tuple(first)
                pretty_b = tuple(other)
                which = "last dimensions" if axis == n - 1 else f"dimensions at axis {axis + 1}"
                raise ValueError(
                    f"{where(self)}: cannot {self._verb} shapes {pretty_a} and {pretty_b}; the "
                    f"{which} differ ({da} vs {db}). Make both inputs the same size, e.g. "
                    f"Dense({da}) before the {type(self).__name__}."
                )

    def build(self, input_shape) -> None:
        from tork.keras.layers.layer import KerasShape

        if isinstance(input_shape, KerasShape):
            # One tensor's shape, not a list of shapes: the layer got a single tensor.
            self._check_inputs(None)
        self._check_inputs(input_shape)
        self._check_shapes(input_shape)
        self.built = True

    def call(self, inputs):
        self._check_inputs(inputs)
        inputs = list(inputs)
        if any(isinstance(x, (RaggedTensor, SparseTensor)) for x in inputs):
            return self._merge_composite(inputs)
        if self._align_ranks:
            rank = max(x.ndim for x in inputs)
            # Keras aligns lower-rank inputs by adding axes after the batch axis.
            inputs = [x.reshape(x.shape[:1] + (1,) * (rank - x.ndim) + x.shape[1:]) for x in inputs]
        # A user subclass of a built-in merge (Progressive GAN's `WeightedSum(Add)`) overrides
        # `_merge_function`, which Keras calls; the built-ins implement `_merge`.
        if type(self)._merge_function is not _Merge._merge_function:
            merge = self._merge_function
        else:
            merge = self._merge
        try:
            return merge(inputs)
        except RuntimeError:
            self._check_shapes([x.shape for x in inputs])
            raise

    def _merge_composite(self, inputs: list):
        """The merge of RaggedTensors of one row structure, on their flat values (as tf.keras)."""
        if not all(isinstance(x, RaggedTensor) for x in inputs):
            kinds = ", ".join(type(x).__name__ for x in inputs)
            raise ValueError(
                f"{where(self)}: cannot {self._verb} a mix of ragged, sparse and dense tensors "
                f"({kinds}) elementwise. Give it RaggedTensors with the same row lengths, or "
                "dense tensors (x.to_tensor() / tf.sparse.to_dense(x))."
            )
        first = inputs[0]
        splits = first.nested_row_splits
        for x in inputs[1:]:
            other = x.nested_row_splits
            if len(other) != len(splits) or not all(
                a.shape == b.shape and bool(torch.equal(a, b)) for a, b in zip(splits, other)
            ):
                raise ValueError(
                    f"{where(self)}: cannot {self._verb} RaggedTensors whose rows differ in "
                    f"length (shapes {tuple(first.shape)} and {tuple(x.shape)}); elementwise "
                    "merges need the same row lengths in every input."
                )
        return first.with_flat_values(self._merge([x.flat_values for x in inputs]))

    def _merge(self, inputs: list):
        # Keras's extension point: Keras-GAN's `RandomWeightedAverage(_Merge)` and other user
        # merges override `_merge_function(inputs)`.
        return self._merge_function(inputs)

    def _merge_function(self, inputs: list):
        """Combines the list of input tensors into one; subclasses override it."""
        if type(self)._merge is not _Merge._merge:
            return self._merge(inputs)
        raise NotImplementedError(
            f"{type(self).__name__} subclasses _Merge but does not define "
            "_merge_function(self, inputs), which returns the merged tensor."
        )

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        _check_mask_args(self, inputs, mask)
        masks = [m for m in mask if m is not None]
        if not masks:
            return None
        # Keras 2 takes the logical AND of the masks as booleans (a float 0/1 mask too).
        result = _bool_mask(masks[0])
        for m in masks[1:]:
            result = result & _bool_mask(m)
        return result

    def compute_output_shape(self, input_shape):
        _check_shape_list(self, input_shape)
        self._check_shapes(input_shape)
        shapes = [tuple(s) for s in input_shape]
        # The batch axis pairs with the batch axis; lower-rank inputs gain axes after it (as
        # `call` reshapes them), so the other axes align from the end.
        batch = {s[0] for s in shapes if len(s)} - {None}
        rest = [s[1:] for s in shapes if len(s)]
        n = max((len(s) for s in rest), default=0)
        out = [batch.pop() if len(batch) == 1 else None]
        for axis in range(n):
            dims = [s[axis - n + len(s)] if axis - n + len(s) >= 0 else 1 for s in rest]
            known = [d for d in dims if d not in (None, 1)]
            out.append(known[0] if known else (None if None in dims else 1))
        return tuple(out)


class Add(_Merge):
    """Adds a list of inputs elementwise.

    Example:
    >>> keras.layers.Add()([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """

    _verb = "add"

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out


class Subtract(_Merge):
    """Subtracts the second input from the first.

    Example:
    >>> keras.layers.Subtract()([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """

    _verb = "subtract"

    def _check_inputs(self, inputs) -> None:
        super()._check_inputs(inputs)
        if len(inputs) != 2:
            raise ValueError(f"{where(self)}: expects exactly 2 inputs, received {len(inputs)}.")

    def _merge(self, inputs):
        return inputs[0] - inputs[1]


class Multiply(_Merge):
    """Multiplies a list of inputs elementwise.

    Example:
    >>> keras.layers.Multiply()([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 3])
    """

    _verb = "multiply"

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out * x
        return out


class Average(_Merge):
    """Averages a list of inputs elementwise.

    Example:
    >>> keras.layers.Average()([tf.ones((2, 3)), tf.zeros((2, 3))])[0, 0].item()
    0.5
    """

    _verb = "average"

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out / len(inputs)


class Maximum(_Merge):
    """Elementwise maximum of a list of inputs.

    Example:
    >>> keras.layers.Maximum()([tf.ones((2, 3)), tf.zeros((2, 3))]).shape
    torch.Size([2, 3])
    """

    _verb = "take the maximum of"

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            # tf.maximum's gradient at ties: all to the earlier input (torch halves it).
            out = _tf_math.maximum(out, x)
        return out


class Minimum(_Merge):
    """Elementwise minimum of a list of inputs.

    Example:
    >>> keras.layers.Minimum()([tf.ones((2, 3)), tf.zeros((2, 3))]).shape
    torch.Size([2, 3])
    """

    _verb = "take the minimum of"

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            # tf.minimum's gradient at ties: all to the earlier input (torch halves it).
            out = _tf_math.minimum(out, x)
        return out


class Concatenate(_Merge):
    """Concatenates a list of inputs along `axis`.

    Args:
        axis: the axis to concatenate along (default -1).

    Example:
    >>> keras.layers.Concatenate()([tf.ones((2, 3)), tf.ones((2, 4))]).shape
    torch.Size([2, 7])
    """

    _align_ranks = False

    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _check_shapes(self, shapes) -> None:
        shapes = [tuple(s) for s in shapes]
        rank = len(shapes[0])
        for s in shapes[1:]:
            if len(s) != rank:
                raise ValueError(
                    f"{where(self)}: cannot concatenate shapes {shapes[0]} and {s}: the ranks "
                    "differ. Reshape the inputs to the same rank first."
                )
        if not -rank <= self.axis < rank:
            raise ValueError(
                f"{where(self)}: axis={self.axis} is out of range for inputs of rank {rank} "
                f"(shapes {', '.join(str(s) for s in shapes)}); valid axes are "
                f"{-rank}..{rank - 1}. The default axis=-1 joins the last axis."
            )
        axis = self.axis % rank
        for s in shapes[1:]:
            for i in range(rank):  # the batch axis too, as in Keras 2
                if i == axis:
                    continue
                if shapes[0][i] is not None and s[i] is not None and shapes[0][i] != s[i]:
                    raise ValueError(
                        f"{where(self)}: cannot concatenate shapes {shapes[0]} and {s} on axis "
                        f"{self.axis}: all other dimensions must match, but axis {i} differs "
                        f"({shapes[0][i]} vs {s[i]})."
                    )

    def _merge(self, inputs):
        return torch.cat(inputs, dim=self.axis)

    def _merge_composite(self, inputs: list):
        # As tf.keras's backend.concatenate: sparse inputs give a sparse result, ragged ones a
        # ragged result, and a mix is densified.
        from tork.ops import array, sparse

        if all(isinstance(x, SparseTensor) for x in inputs):
            return sparse.concat(self.axis, inputs)
        if all(isinstance(x, RaggedTensor) for x in inputs):
            return array.concat(inputs, axis=self.axis)
        dense = [
            sparse.to_dense(x)
            if isinstance(x, SparseTensor)
            else x.to_tensor()
            if isinstance(x, RaggedTensor)
            else x
            for x in inputs
        ]
        return torch.cat(dense, dim=self.axis)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        _check_mask_args(self, inputs, mask)
        if all(m is None for m in mask):
            return None
        # As tf.keras 2: each mask (missing = all True) spans its input's shape, the masks
        # are concatenated like the inputs, and a position is valid only if every feature
        # is. (Keras 3 takes `any` instead: on the last axis, a step masked in one input
        # but not the other stays valid there, and masked here.)
        full = []
        for x, m in zip(inputs, mask):
            if m is None:
                full.append(torch.ones(x.shape, dtype=torch.bool, device=x.device))
                continue
            while m.ndim < x.ndim:
                m = m.unsqueeze(-1)
            full.append(m.expand(x.shape))
        return torch.cat(full, dim=self.axis).all(dim=-1)

    def compute_output_shape(self, input_shape):
        _check_shape_list(self, input_shape)
        self._check_shapes(input_shape)
        shapes = [list(s) for s in input_shape]
        out = list(shapes[0])
        axis = self.axis % len(out)
        sizes = [s[axis] for s in shapes]
        out[axis] = None if any(d is None for d in sizes) else sum(sizes)
        return tuple(out)

    def get_config(self) -> dict:
        config = super().get_config()
        config["axis"] = self.axis
        return config


class Dot(_Merge):
    """Dot product of two inputs along `axes` (batch axis excluded).

    Args:
        axes: an int or a pair of ints: the axes to contract.
        normalize: whether to L2-normalize along `axes` first (cosine proximity).

    Example:
    >>> keras.layers.Dot(axes=1)([tf.ones((2, 3)), tf.ones((2, 3))]).shape
    torch.Size([2, 1])
    """

    _align_ranks = False

    def __init__(self, axes, normalize: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.axes = axes
        self.normalize = normalize
        # Keras 2: True (masks are accepted); compute_mask drops them all the same.
        self.supports_masking = True

    def _check_inputs(self, inputs) -> None:
        super()._check_inputs(inputs)
        if len(inputs) != 2:
            raise ValueError(f"{where(self)}: expects exactly 2 inputs, received {len(inputs)}.")

    def compute_mask(self, inputs, mask=None):
        return None

    def _axes_for(self, a_rank: int, b_rank: int) -> tuple[int, int]:
        axes = self.axes if isinstance(self.axes, (list, tuple)) else (self.axes, self.axes)
        if not (-a_rank <= axes[0] < a_rank and -b_rank <= axes[1] < b_rank):
            # A modulo would silently contract another axis.
            raise ValueError(
                f"{where(self)}: axes={self.axes!r} is out of range for inputs of rank "
                f"{a_rank} and {b_rank}; each axis must be in -rank..rank-1 (axis 0 is the "
                "batch axis, so Dot(axes=1) contracts the features of 2-D inputs)."
            )
        ax_a, ax_b = axes[0] % a_rank, axes[1] % b_rank
        if ax_a == 0 or ax_b == 0:
            # Keras refuses too; contracting the batch axis would mix samples silently.
            raise ValueError(
                f"{where(self)}: cannot take the dot product over axis 0, the batch axis "
                f"(axes={self.axes!r}, inputs of rank {a_rank} and {b_rank}). Dot contracts "
                "the features of each sample: use axes=1 (or -1) for 2-D inputs. If your "
                "inputs are not batched, add a batch axis with tf.expand_dims(x, 0)."
            )
        return ax_a, ax_b

    def _check_shapes(self, shapes) -> None:
        a, b = tuple(shapes[0]), tuple(shapes[1])
        ax_a, ax_b = self._axes_for(len(a), len(b))
        if a[0] is not None and b[0] is not None and a[0] != b[0]:
            raise ValueError(
                f"{where(self)}: cannot take the dot product of inputs of different batch "
                f"sizes (shapes {a} and {b}); each sample is paired with the same sample of "
                "the other input."
            )
        if a[ax_a] is not None and b[ax_b] is not None and a[ax_a] != b[ax_b]:
            raise ValueError(
                f"{where(self)}: cannot take the dot product of shapes {a} and {b} over axes "
                f"({ax_a}, {ax_b}): the sizes differ ({a[ax_a]} vs {b[ax_b]})."
            )

    def _merge(self, inputs):
        a, b = inputs
        ax_a, ax_b = self._axes_for(a.ndim, b.ndim)
        if self.normalize:
            # tf.linalg.l2_normalize: epsilon 1e-12 bounds the squared norm, so vectors
            # shorter than 1e-6 are divided by 1e-6 (F.normalize's eps bounds the norm).
            a = _tf_math.l2_normalize(a, axis=ax_a)
            b = _tf_math.l2_normalize(b, axis=ax_b)
        # Move the contracted axes last / first and use a batched matmul.
        a = torch.movedim(a, ax_a, -1)
        b = torch.movedim(b, ax_b, 1)
        a_rest = a.shape[1:-1]
        b_rest = b.shape[2:]
        # Sizes spelled out, not -1: a batch of 0 samples leaves -1 ambiguous for torch.
        out = torch.bmm(
            a.reshape(a.shape[0], math.prod(a_rest), a.shape[-1]),
            b.reshape(b.shape[0], b.shape[1], math.prod(b_rest)),
        )
        out = out.reshape((a.shape[0], *a_rest, *b_rest))
        if out.ndim == 1:
            out = out.unsqueeze(-1)
        return out

    def compute_output_shape(self, input_shape):
        _check_shape_list(self, input_shape)
        self._check_inputs(input_shape)
        self._check_shapes(input_shape)
        a, b = list(input_shape[0]), list(input_shape[1])
        ax_a, ax_b = self._axes_for(len(a), len(b))
        out = [a[0]] + [d for i, d in enumerate(a) if i not in (0, ax_a)]
        out += [d for i, d in enumerate(b) if i not in (0, ax_b)]
        if len(out) == 1:
            out.append(1)
        return tuple(out)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"axes": self.axes, "normalize": self.normalize})
        return config


def _bool_mask(mask):
    """A mask as booleans: tensors and arrays converted, symbolic masks left to their ops."""
    if isinstance(mask, torch.Tensor):
        return mask if mask.dtype == torch.bool else mask.bool()
    if isinstance(mask, (np.ndarray, list, tuple, bool)):
        return torch.as_tensor(np.asarray(mask)).bool()
    return mask


def _check_mask_args(layer, inputs, mask) -> None:
    """Keras 2's checks of a merge layer's compute_mask arguments (lists of equal length)."""
    if not isinstance(mask, (list, tuple)):
        raise ValueError(
            f"{where(layer)}: `mask` should be a list of masks, one per input (None for an "
            f"unmasked input), got {type(mask).__name__}."
        )
    if not isinstance(inputs, (list, tuple)):
        raise ValueError(
            f"{where(layer)}: `inputs` should be a list of the merged tensors, got "
            f"{type(inputs).__name__}."
        )
    if len(mask) != len(inputs):
        raise ValueError(
            f"{where(layer)}: the lists `inputs` and `mask` should have the same length, got "
            f"{len(inputs)} inputs and {len(mask)} masks."
        )


def _check_shape_list(layer, input_shape) -> None:
    """compute_output_shape of a merge takes a list of shapes, one per input."""
    if not isinstance(input_shape, (list, tuple)) or not all(
        isinstance(s, (list, tuple)) or hasattr(s, "as_list") for s in input_shape
    ):
        raise ValueError(
            f"{where(layer)}: compute_output_shape expects a list of input shapes, one per "
            f"input, e.g. [(None, 4), (None, 4)], got {input_shape!r}."
        )


def _functional(cls, inputs, **kwargs):
    return cls(**kwargs)(inputs)


def add(inputs, **kwargs):
    """Functional form of `Add`: `add([x1, x2])`."""
    return _functional(Add, inputs, **kwargs)


def subtract(inputs, **kwargs):
    """Functional form of `Subtract`: `subtract([x1, x2])`."""
    return _functional(Subtract, inputs, **kwargs)


def multiply(inputs, **kwargs):
    """Functional form of `Multiply`: `multiply([x1, x2])`."""
    return _functional(Multiply, inputs, **kwargs)


def average(inputs, **kwargs):
    """Functional form of `Average`: `average([x1, x2])`."""
    return _functional(Average, inputs, **kwargs)


def maximum(inputs, **kwargs):
    """Functional form of `Maximum`: `maximum([x1, x2])`."""
    return _functional(Maximum, inputs, **kwargs)


def minimum(inputs, **kwargs):
    """Functional form of `Minimum`: `minimum([x1, x2])`."""
    return _functional(Minimum, inputs, **kwargs)


def concatenate(inputs, axis: int = -1, **kwargs):
    """Functional form of `Concatenate`: `concatenate([x1, x2], axis=-1)`."""
    return _functional(Concatenate, inputs, axis=axis, **kwargs)


def dot(inputs, axes, normalize: bool = False, **kwargs):
    """Functional form of `Dot`: `dot([x1, x2], axes=1)`."""
    return _functional(Dot, inputs, axes=axes, normalize=normalize, **kwargs)
