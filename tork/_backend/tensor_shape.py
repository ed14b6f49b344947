"""`tf.TensorShape`: a shape whose dimensions may be unknown (None)."""

from __future__ import annotations

from collections.abc import Iterable


class Dimension:
    """One dimension of a `TensorShape` (TF1 compatibility); `value` may be None."""

    def __init__(self, value):
        self.value = None if value is None else int(value)

    def __int__(self) -> int:
        if self.value is None:
            raise ValueError("Cannot convert an unknown Dimension to an int.")
        return self.value

    __index__ = __int__

    def __eq__(self, other) -> bool:
        other = other.value if isinstance(other, Dimension) else other
        return self.value == other

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Dimension({self.value})"


def _dim(value):
    if value is None:
        return None
    if isinstance(value, Dimension):
        return value.value
    if hasattr(value, "item") and not isinstance(value, int):
        value = value.item()
    value = int(value)
    if value < -1:
        raise ValueError(f"Dimensions must be >= 0 or None, got {value}.")
    return None if value == -1 else value


def dimension_value(dimension):
    """The int (or None) of a dimension, whether a `Dimension` or already an int (TF1 code).

    Example:
    >>> tf.compat.dimension_value(tf.compat.v1.Dimension(3))
    3
    """
    return dimension.value if isinstance(dimension, Dimension) else dimension


def dimension_at_index(shape, index: int) -> Dimension:
    """`shape[index]` as a `Dimension`; `Dimension(None)` when the rank is unknown (TF1 code).

    Example:
    >>> tf.compat.dimension_at_index(tf.TensorShape([3, None]), 0)
    Dimension(3)
    """
    shape = TensorShape(shape)
    if shape.rank is None:
        return Dimension(None)
    return Dimension(shape[index])


class _TensorShapeType(type):
    """Makes `isinstance(input_shape, tf.TensorShape)` hold for the shape `build` receives.

    Keras 2 passes a single input's shape to `build` as a `TensorShape`, and Keras 2 layers
    branch on it (`if isinstance(input_shape, tf.TensorShape): ... else: input_shape[0]`,
    as tf-models' TransformerEncoderBlock does); tork passes a `KerasShape` tuple, which
    would take the list branch and read the batch size as the feature size. A class that
    sets `_tork_tensor_shape = True` (and has `_dims`) counts as a TensorShape.
    """

    def __instancecheck__(cls, obj) -> bool:
        if super().__instancecheck__(obj):
            return True
        return cls is TensorShape and getattr(type(obj), "_tork_tensor_shape", False)


class TensorShape(metaclass=_TensorShapeType):
    """A possibly partially known shape, as `tf.TensorShape`.

    Args:
        dims: an iterable of ints or None, an int (rank-1 shape), or None for
            a shape of unknown rank.

    Example:
    >>> s = tf.TensorShape([None, 3])
    >>> s.as_list()
    [None, 3]
    """

    def __init__(self, dims=None):
        if dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif isinstance(dims, Iterable) and not isinstance(dims, (str, bytes)):
            self._dims = tuple(_dim(d) for d in dims)
        else:
            self._dims = (_dim(dims),)

    @property
    def rank(self) -> int | None:
        """The number of dimensions, or None when unknown."""
        return None if self._dims is None else len(self._dims)

    ndims = rank

    @property
    def dims(self) -> list | None:
        """The dimensions as a list (None entries for unknown sizes)."""
        return None if self._dims is None else list(self._dims)

    def as_list(self) -> list:
        """Returns the dimensions as a list of ints and None."""
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def is_fully_defined(self) -> bool:
        """True when the rank and every dimension are known."""
        return self._dims is not None and all(d is not None for d in self._dims)

    def num_elements(self) -> int | None:
        """The number of elements, or None if any dimension is unknown."""
        if not self.is_fully_defined():
            return None
        total = 1
        for d in self._dims:
            total *= d
        return total

    def is_compatible_with(self, other) -> bool:
        """True when both shapes could describe the same tensor."""
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def merge_with(self, other) -> TensorShape:
        """Combines two compatible shapes, keeping the known dimensions."""
        other = TensorShape(other)
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible.")
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def concatenate(self, other) -> TensorShape:
        """Returns the shape of both shapes' dimensions one after the other."""
        other = TensorShape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    def assert_is_compatible_with(self, other) -> None:
        """Raises ValueError when `other` is not compatible with this shape."""
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {TensorShape(other)} are incompatible.")

    def with_rank(self, rank: int) -> TensorShape:
        """Returns this shape, checking that it has `rank` dimensions."""
        if self._dims is None:
            return TensorShape([None] * rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def with_rank_at_least(self, rank: int) -> TensorShape:
        """Returns this shape, checking that it has at least `rank` dimensions."""
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank: int) -> TensorShape:
        """Returns this shape, checking that it has at most `rank` dimensions."""
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def assert_has_rank(self, rank: int) -> None:
        """Raises ValueError unless this shape has `rank` dimensions (or unknown rank)."""
        if self._dims is not None and len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")

    def assert_same_rank(self, other) -> None:
        """Raises ValueError unless both shapes have the same number of dimensions."""
        other = TensorShape(other)
        if self._dims is not None and other._dims is not None:
            if len(self._dims) != len(other._dims):
                raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def __len__(self) -> int:
        if self._dims is None:
            raise ValueError("Cannot take the length of a shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            if isinstance(key, slice):
                return TensorShape(None)
            return None
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return self._dims[key]

    def __eq__(self, other) -> bool:
        if isinstance(other, TensorShape):
            return self._dims == other._dims
        if isinstance(other, (list, tuple)):
            return self._dims is not None and self._dims == tuple(_dim(d) for d in other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._dims)

    def __bool__(self) -> bool:
        return self._dims is not None

    def __add__(self, other) -> TensorShape:
        return self.concatenate(other)

    def __radd__(self, other) -> TensorShape:
        return TensorShape(other).concatenate(self)

    def __repr__(self) -> str:
        return f"TensorShape({self.dims})"

    def __str__(self) -> str:
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join(str(d) for d in self._dims) + ")"
