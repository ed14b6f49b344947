"""`Dataset.rejection_resample`: reshape the class distribution of a dataset.

As documented for tf.data, each output element is a `(class, element)` pair and the
classes of the output follow `target_dist`. With `p` the input's class distribution
(`initial_dist`, or estimated while streaming) and `r = target / p`, an output comes
either from the input unchanged, with probability `m = min(r)`, or from a rejection
sampler that accepts an element of class `i` with probability
`(r_i - m) / (max(r) - m)`. The two streams read the input separately (the output may
repeat elements), and the output ends when either runs out. Without `initial_dist`
the distribution is estimated from class counts that start at 10 per class and grow
32 elements at a time.
"""

from __future__ import annotations

import itertools
import logging

import numpy as np
import torch

from tork._backend.errors import InvalidArgumentError
from tork.data import _spec
from tork.data import _structure as nest
from tork.data._shuffle import SeedState
from tork.data._transforms import _bind_python_values, _UnaryDataset
from tork.data.dataset import UNKNOWN_CARDINALITY

_WHERE = "Dataset.rejection_resample"
# tf.data's streaming estimate: counts start at this many per class and are updated
# this many elements at a time.
_SMOOTHING = 10
_ESTIMATION_BATCH = 32
# Uniform draws taken from the generator at once.
_BLOCK = 1024
_TINY = float(np.finfo(np.float32).tiny)


def _distribution(value, name: str) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu()
    dist = torch.as_tensor(np.asarray(value, dtype=np.float64), dtype=torch.float32)
    if dist.dim() != 1 or dist.numel() == 0:
        raise ValueError(
            f"{_WHERE}: `{name}` must be a 1-D list of per-class probabilities, got shape "
            f"{tuple(dist.shape)}."
        )
    return dist


def _acceptance(initial: torch.Tensor, target: torch.Tensor) -> tuple[torch.Tensor, float]:
    """Per-class acceptance probabilities and the probability of an unchanged element."""
    ratio = target / (initial + _TINY)
    low, high = ratio.min(), ratio.max()
    # 0 / 0 (target proportional to the input) gives NaN: nothing is accepted, and the
    # unchanged stream (probability 1) gives every output.
    return (ratio - low) / (high - low), float(low)


def _is_integer(dtype) -> bool:
    return (
        isinstance(dtype, torch.dtype)
        and not (dtype.is_floating_point or dtype.is_complex)
        and dtype != torch.bool
    )


class _Uniform:
    """Uniform [0, 1) float32 draws from one generator, taken in blocks."""

    def __init__(self, generator: torch.Generator):
        self._generator = generator
        self._values: list = []

    def __call__(self) -> float:
        if not self._values:
            self._values = torch.rand(_BLOCK, generator=self._generator).tolist()[::-1]
        return self._values.pop()


class _RejectionResampleDataset(_UnaryDataset):
    def __init__(self, input_dataset, class_func, target_dist, initial_dist, seed):
        super().__init__(input_dataset, _WHERE)
        if not callable(class_func):
            raise TypeError(
                f"{_WHERE}: `class_func` must be a callable mapping an element to its class "
                f"(a scalar integer tensor), got {type(class_func).__name__}."
            )
        self._class_func = _bind_python_values(class_func)
        self._target = _distribution(target_dist, "target_dist")
        self._initial = None
        self._static_original = None
        if initial_dist is not None:
            self._initial = _distribution(initial_dist, "initial_dist")
            if self._initial.numel() != self._target.numel():
                raise InvalidArgumentError(
                    f"{_WHERE}: `initial_dist` has {self._initial.numel()} classes and "
                    f"`target_dist` {self._target.numel()}; give one probability per class "
                    "in both."
                )
            # As tf.data: an input already at the target passes through (cardinality kept),
            # a target that drops a class uses the rejection sampler alone.
            self._static_original = float((self._target / self._initial).min())
        # The class tf.data's repr shows for the pipeline it builds.
        self._repr_name = {1: "_MapDataset", 0: "_PrefetchDataset"}.get(
            self._static_original, "_DirectedInterleaveDataset"
        )
        # One stream of draws per dataset, the same at every iteration (as tf.data, seeded
        # or not).
        self._seed = SeedState(seed, False)
        input_spec = _spec.static_spec(self._input)
        if input_spec is not None:  # a class_func giving floats fails here, as in TF
            self._class_spec(input_spec)

    # --- classes -------------------------------------------------------------

    def _class_of(self, element) -> tuple[torch.Tensor, int]:
        value = nest.normalize_output(nest.call(self._class_func, element), _WHERE)
        if not isinstance(value, torch.Tensor) or value.dim() != 0 or not _is_integer(value.dtype):
            raise TypeError(
                f"{_WHERE}: `class_func` must return a scalar integer tensor (the class, in "
                f"[0, num_classes)), got {nest.describe(value)}."
            )
        index = int(value.item())
        if not 0 <= index < self._target.numel():
            raise InvalidArgumentError(
                f"{_WHERE}: class_func returned class {index}, not in [0, "
                f"{self._target.numel()}): `target_dist` has {self._target.numel()} classes."
            )
        return value, index

    def _class_spec(self, input_spec):
        def probe(element):
            return _spec.spec_of(
                nest.normalize_output(nest.call(self._class_func, element), _WHERE)
            )

        traced = _spec.trace(probe, input_spec)
        if traced is None:
            return None
        if nest.is_nested(traced) or traced.shape.rank != 0 or not _is_integer(traced.dtype):
            raise TypeError(
                f"{_WHERE}: `class_func` must return a scalar integer tensor (the class), got "
                f"{traced}. Cast it, e.g. tf.cast(label, tf.int32)."
            )
        return traced

    def _spec(self):
        class_spec = self._class_spec(self._input.element_spec)
        if class_spec is None:  # class_func cannot run on stand-ins: look at the output
            return _spec.peek(self, False)
        return (class_spec, self._input.element_spec)

    def _cardinality(self) -> int:
        if self._static_original == 1:
            return self._input._cardinality()
        return UNKNOWN_CARDINALITY

    # --- streams ---------------------------------------------------------------

    def _estimates(self):
        """The estimated input distribution at each input element (float32 per class)."""
        counts = torch.full((self._target.numel(),), _SMOOTHING, dtype=torch.int64)
        classes = (self._class_of(e)[1] for e in self._input._elements())
        while True:
            block = list(itertools.islice(classes, _ESTIMATION_BATCH))
            if not block:
                return
            counts = counts + torch.bincount(torch.tensor(block), minlength=counts.numel())
            dist = (counts.double() / counts.sum()).float()
            yield from itertools.repeat(dist, len(block))

    def _distributions(self):
        """An endless (or per-element) stream of the input distributions to correct."""
        if self._initial is not None:
            return itertools.repeat(self._initial)
        return self._estimates()

    def _unchanged(self):
        for element in self._input._elements():
            yield self._class_of(element)[0], element

    def _accepted(self, uniform: _Uniform):
        warned, last, accept = False, None, None
        for dist, element in zip(self._distributions(), self._input._elements()):
            if dist is not last:  # the distribution changes once per estimation block
                last, accept = dist, _acceptance(dist, self._target)[0].tolist()
                rejected = float(sum((1 - a) * p for a, p in zip(accept, dist.tolist())))
                if not warned and rejected >= 0.5:
                    warned = True
                    logging.getLogger("tensorflow").warning(
                        "%s: the proportion of examples rejected by the sampler is high "
                        "(%.3g): input distribution %s, acceptance %s.",
                        _WHERE,
                        rejected,
                        dist.tolist(),
                        accept,
                    )
            value, index = self._class_of(element)
            if uniform() < accept[index]:  # False for NaN, as tf.data
                yield value, element

    def _generic(self):
        uniform = _Uniform(self._seed.next_generator())
        if self._static_original == 1:
            yield from self._unchanged()
            return
        if self._static_original == 0:
            yield from self._accepted(uniform)
            return
        unchanged, accepted = self._unchanged(), self._accepted(uniform)
        last, original = None, None
        for dist in self._distributions():
            if dist is not last:
                last, original = dist, _acceptance(dist, self._target)[1]
            source = unchanged if uniform() < original else accepted
            value = next(source, None)
            if value is None:  # tf.data stops at the first exhausted stream
                return
            yield value
