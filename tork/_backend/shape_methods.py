"""TF's `TensorShape` methods on plain shape tuples (`torch.Size` and `KerasShape`).

TF code reads shapes through `TensorShape`'s API: `x.shape.as_list()`, `x.shape.rank`,
`input_shape.num_elements()`. tork's tensors are torch tensors, whose `shape` is a
`torch.Size`, and Keras hands `build` a `KerasShape`; both are tuples. The functions below
give both types TF's read-only shape API by answering through `TensorShape`, so the rules
(messages included) live in one place.

`torch.Size` is a C type: the methods go in through `_c_types.add_to_c_type` (new names only).
Where the interpreter does not allow it, `x.shape.as_list()` raises torch's AttributeError.
"""

from __future__ import annotations

import torch

from tork._backend._c_types import add_to_c_type
from tork._backend.tensor_shape import TensorShape


def as_list(self) -> list:
    """The sizes as a list (None for unknown sizes)."""
    return list(self)


def _rank(self) -> int:
    return len(self)


def _dims(self) -> list:
    return list(self)


def num_elements(self) -> int | None:
    """The number of elements, or None if a size is unknown."""
    return TensorShape(self).num_elements()


def is_fully_defined(self) -> bool:
    """True when every size is known."""
    return all(d is not None for d in self)


def is_compatible_with(self, other) -> bool:
    """True when both shapes could describe the same tensor."""
    return TensorShape(self).is_compatible_with(other)


def assert_is_compatible_with(self, other) -> None:
    """Raises ValueError when `other` is not compatible with this shape."""
    TensorShape(self).assert_is_compatible_with(other)


def merge_with(self, other) -> TensorShape:
    """Combines two compatible shapes, keeping the known sizes."""
    return TensorShape(self).merge_with(other)


def concatenate(self, other) -> TensorShape:
    """Returns both shapes' sizes one after the other."""
    return TensorShape(self).concatenate(other)


def with_rank(self, rank: int):
    """Returns this shape, checking that it has `rank` dimensions."""
    TensorShape(self).with_rank(rank)
    return self


def with_rank_at_least(self, rank: int):
    """Returns this shape, checking that it has at least `rank` dimensions."""
    TensorShape(self).with_rank_at_least(rank)
    return self


def with_rank_at_most(self, rank: int):
    """Returns this shape, checking that it has at most `rank` dimensions."""
    TensorShape(self).with_rank_at_most(rank)
    return self


def assert_has_rank(self, rank: int) -> None:
    """Raises ValueError unless this shape has `rank` dimensions."""
    TensorShape(self).assert_has_rank(rank)


def assert_same_rank(self, other) -> None:
    """Raises ValueError unless `other` has as many dimensions as this shape."""
    TensorShape(self).assert_same_rank(other)


SHAPE_METHODS = {
    "as_list": as_list,
    "rank": property(_rank, doc="The number of dimensions."),
    "ndims": property(_rank, doc="The number of dimensions (TF 1 name of `rank`)."),
    "dims": property(_dims, doc="The sizes as a list."),
    "num_elements": num_elements,
    "is_fully_defined": is_fully_defined,
    "is_compatible_with": is_compatible_with,
    "assert_is_compatible_with": assert_is_compatible_with,
    "merge_with": merge_with,
    "concatenate": concatenate,
    "with_rank": with_rank,
    "with_rank_at_least": with_rank_at_least,
    "with_rank_at_most": with_rank_at_most,
    "assert_has_rank": assert_has_rank,
    "assert_same_rank": assert_same_rank,
}


add_to_c_type(torch.Size, SHAPE_METHODS)
