"""`keras.layers.InputSpec`: the rank, dtype and sizes a layer accepts."""

from __future__ import annotations

import torch

from tork.keras.layers import _placeholder_batch
from tork.keras.layers._call_context import where


class InputSpec:
    """Describes the inputs a layer accepts; checked on every call once built.

    Args:
        dtype: expected dtype, or None.
        shape: expected shape (None entries match any size), or None.
        ndim: expected rank, or None.
        max_ndim: maximum rank, or None.
        min_ndim: minimum rank, or None.
        axes: dict of axis -> expected size, or None.
        allow_last_axis_squeeze: accepted for compatibility.
        name: optional name of the input.

    Example:
    >>> spec = keras.layers.InputSpec(min_ndim=2, axes={-1: 16})
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
    ):
        self.dtype = dtype
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional

    def _accepts(self, x) -> bool:
        """Cheap check for the common case (one tensor); False means run the full check."""
        nd = x.ndim
        if self.ndim is not None and nd != self.ndim:
            return False
        if self.min_ndim is not None and nd < self.min_ndim:
            return False
        if self.max_ndim is not None and nd > self.max_ndim:
            return False
        shape = x.shape
        for axis, size in self.axes.items():
            if size is not None and -nd <= axis < nd and shape[axis] != size:
                return False
        return self.shape is None

    def get_config(self) -> dict:
        """Returns the spec's arguments as a dict."""
        return {
            "dtype": self.dtype,
            "shape": self.shape,
            "ndim": self.ndim,
            "max_ndim": self.max_ndim,
            "min_ndim": self.min_ndim,
            "axes": self.axes,
        }

    @classmethod
    def from_config(cls, config: dict) -> InputSpec:
        """Creates a spec from `get_config()` output."""
        return cls(**config)

    def __repr__(self) -> str:
        parts = [f"{k}={v}" for k, v in self.get_config().items() if v]
        return f"InputSpec({', '.join(parts)})"


def check(layer, spec_or_specs, inputs) -> None:
    """Raises a clear ValueError when `inputs` do not fit the layer's input spec."""
    specs = spec_or_specs if isinstance(spec_or_specs, (list, tuple)) else [spec_or_specs]
    tensors = inputs if isinstance(inputs, (list, tuple)) else [inputs]
    for index, (spec, x) in enumerate(zip(specs, tensors)):
        if spec is None or not isinstance(x, torch.Tensor):
            continue
        shape = tuple(x.shape)
        # Shown with batch None when a model builds on zeros of a made-up batch size.
        shown = _placeholder_batch.shown_shape(shape) if _placeholder_batch.in_use() else shape
        rank = len(shape)
        # Each failed check gives tf_keras's sentence (`keras`, which users search for) and
        # tork's own wording (`problem`), followed by a fix.
        problem = keras = None
        if spec.ndim is not None and rank != spec.ndim:
            keras = f"expected ndim={spec.ndim}, found ndim={rank}. Full shape received: {shown}"
            problem = (
                f"expected rank {spec.ndim}, but received input of rank {rank} (shape {shown})"
            )
        elif spec.min_ndim is not None and rank < spec.min_ndim:
            keras = (
                f"expected min_ndim={spec.min_ndim}, found ndim={rank}. "
                f"Full shape received: {shown}"
            )
            problem = (
                f"expected rank >= {spec.min_ndim}, but received input of rank {rank} "
                f"(shape {shown})"
            )
        elif spec.max_ndim is not None and rank > spec.max_ndim:
            # (tf_keras shows no shape in this one; tork's text below does.)
            keras = f"expected max_ndim={spec.max_ndim}, found ndim={rank}"
            problem = (
                f"expected rank <= {spec.max_ndim}, but received input of rank {rank} "
                f"(shape {shown})"
            )
        else:
            for axis, size in spec.axes.items():
                if size is None:
                    continue
                if -rank <= axis < rank and shape[axis] != size:
                    keras = (
                        f"expected axis {axis} of input shape to have value {size}, "
                        f"but received input with shape {shown}"
                    )
                    problem = (
                        f"expected axis {axis} of the input to have size {size} "
                        f"(the size it was built with), but received input of shape {shown}"
                    )
                    break
            if problem is None and spec.shape is not None:
                for axis, size in enumerate(spec.shape):
                    if size is not None and shape[axis] != size:
                        keras = f"expected shape={spec.shape}, found shape={shown}"
                        problem = f"expected input of shape {spec.shape}, but received {shown}"
                        break
        if problem is not None:
            wanted = spec.ndim if spec.ndim is not None else spec.min_ndim
            if wanted is not None and rank == wanted - 1:
                # The classic: one sample (predict(x[0]), a 1-D array) without its batch axis.
                fix = (
                    "The input lacks one axis: if it is a single sample, add the batch axis, "
                    "e.g. np.expand_dims(x, 0) or x[None] (models take batches of samples); "
                    "otherwise reshape the input."
                )
            elif spec.axes and problem.startswith("expected axis"):
                fix = (
                    "A built layer keeps the input size it first saw: pass inputs of that size, "
                    "or create a new layer for the new size."
                )
            else:
                fix = "Reshape the input, or check which tensor is passed to this layer."
            raise ValueError(
                f'Input {index} of layer "{layer.name}" is incompatible with the layer: '
                f"{keras}. {where(layer)}: {problem}. {fix}"
            )
