"""`tf.experimental.DynamicRaggedShape`: the shape of a RaggedTensor (`tf.shape(rt)`).

A ragged shape is the tensor's row partitions (one `row_splits` vector per ragged
dimension, or a uniform row length) and the `inner_shape` of its flat values:
`[number of values, *inner dimensions]`. `tf.zeros`, `tf.ones`, `tf.fill`,
`tf.broadcast_to` and `tf.reshape` accept one and give a RaggedTensor of that shape
(see `install_shape_ops`).
"""

from __future__ import annotations

import numpy as np
import torch

from tork._backend.dtypes import as_dtype


class DynamicRaggedShape:
    """The shape of a RaggedTensor, as `tf.shape(rt)` returns it.

    Uniform dimensions read as scalar tensors (`shape[0]` is the number of rows);
    reading a ragged dimension raises `ValueError`, as in TensorFlow.

    Example:
    >>> shape = tf.shape(tf.ragged.constant([[1], [2, 3], [], [4]]))
    >>> shape
    <DynamicRaggedShape lengths=[4, (1, 2, 0, 1)] num_row_partitions=1>
    >>> int(shape[0]), shape.static_lengths()
    (4, [4, (1, 2, 0, 1)])
    """

    def __init__(self, partitions, inner_shape, dtype=torch.int64):
        # partitions: one (row_splits, uniform_row_length or None) per ragged dimension.
        self._partitions = tuple(partitions)
        self._inner = tuple(int(d) for d in inner_shape)
        self._dtype = as_dtype(dtype)

    # ------------------------------------------------------------ construction

    @classmethod
    def from_tensor(cls, tensor, dtype=torch.int64) -> DynamicRaggedShape:
        """The shape of a RaggedTensor (or of a dense tensor: no row partitions)."""
        from tork._backend.ragged_tensor import RaggedTensor

        partitions = []
        value = tensor
        while isinstance(value, RaggedTensor):
            partitions.append((value.row_splits, value._uniform))
            value = value.values
        return cls(partitions, tuple(value.shape), dtype)

    @classmethod
    def from_lengths(cls, lengths, num_row_partitions=None, dtype=torch.int64):
        """A shape from its lengths: ints for uniform dimensions, lists for ragged ones.

        Args:
            lengths: e.g. `[4, (2, 1, 0, 8), 12]`: 4 rows of 2, 1, 0 and 8 items of 12.
            num_row_partitions: the number of row partitions (default: up to the last
                ragged dimension).
            dtype: int64 (default) or int32.

        Returns:
            A DynamicRaggedShape.
        """
        lengths = list(lengths)
        if not lengths or not isinstance(lengths[0], int):
            raise ValueError(
                "DynamicRaggedShape.from_lengths: the first length (the number of rows) must be "
                f"an int, got {lengths[:1]}."
            )
        ragged = [i for i, d in enumerate(lengths) if not isinstance(d, int)]
        count = (ragged[-1] if ragged else 0) if num_row_partitions is None else num_row_partitions
        if ragged and count < ragged[-1]:
            raise ValueError(
                f"DynamicRaggedShape.from_lengths: num_row_partitions={count} leaves the ragged "
                f"dimension {ragged[-1]} out of the row partitions."
            )
        rows = lengths[0]
        partitions = []
        for axis in range(1, count + 1):
            dim = lengths[axis]
            if isinstance(dim, int):
                splits = torch.arange(rows + 1, dtype=torch.int64) * dim
                partitions.append((splits, dim))
                rows *= dim
                continue
            row_lengths = torch.tensor(list(dim), dtype=torch.int64)
            if row_lengths.shape[0] != rows:
                raise ValueError(
                    f"DynamicRaggedShape.from_lengths: dimension {axis} has {row_lengths.shape[0]} "
                    f"lengths for {rows} rows."
                )
            splits = torch.cat([row_lengths.new_zeros(1), torch.cumsum(row_lengths, 0)])
            partitions.append((splits, None))
            rows = int(splits[-1])
        return cls(partitions, (rows, *lengths[count + 1 :]), dtype)

    # ------------------------------------------------------------ properties

    @property
    def dtype(self):
        """The dtype of the lengths (int32 for `tf.shape`'s default `out_type`)."""
        return self._dtype

    @property
    def num_row_partitions(self) -> int:
        """The number of ragged (partitioned) dimensions after the first."""
        return len(self._partitions)

    @property
    def rank(self) -> int:
        """The number of dimensions."""
        return 1 + len(self._partitions) + len(self._inner) - 1

    @property
    def inner_shape(self) -> torch.Tensor:
        """The shape of the flat values: `[number of values, *inner dimensions]`."""
        return torch.tensor(self._inner, dtype=self._dtype)

    @property
    def row_partitions(self):
        from tork._backend.errors import not_implemented

        raise not_implemented("DynamicRaggedShape.row_partitions (tf.experimental.RowPartition)")

    def _nrows(self) -> int:
        if self._partitions:
            return int(self._partitions[0][0].shape[0]) - 1
        return self._inner[0]

    def _rows_at(self, axis: int) -> int:
        """The number of items along `axis` summed over all rows (axis <= partitions)."""
        if axis == 0:
            return self._nrows()
        return int(self._partitions[axis - 1][0][-1])

    def static_lengths(self, ragged_lengths: bool = True) -> list:
        """The lengths of every dimension: an int when uniform, a tuple of row lengths
        (or None with `ragged_lengths=False`) when ragged."""
        out = [self._nrows()]
        for splits, uniform in self._partitions:
            if uniform is not None:
                out.append(uniform)
            elif ragged_lengths:
                out.append(tuple((splits[1:] - splits[:-1]).tolist()))
            else:
                out.append(None)
        return out + list(self._inner[1:])

    def is_uniform(self, axis: int) -> bool:
        """Whether all rows have the same length along `axis`."""
        axis = self._axis(axis)
        if 1 <= axis <= len(self._partitions):
            return self._partitions[axis - 1][1] is not None
        return True

    def _axis(self, axis: int) -> int:
        rank = self.rank
        if not -rank <= axis < rank:
            raise IndexError(f"Index {axis} is out of range for a shape of rank {rank}.")
        return axis + rank if axis < 0 else axis

    def _dim(self, axis: int) -> int:
        axis = self._axis(axis)
        if axis == 0:
            return self._nrows()
        count = len(self._partitions)
        if axis <= count:
            uniform = self._partitions[axis - 1][1]
            if uniform is None:
                raise ValueError(f"Index {axis} is not uniform")
            return uniform
        return self._inner[axis - count]

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self._slice(key)
        return torch.tensor(self._dim(int(key)), dtype=self._dtype)

    def _slice(self, key: slice):
        start, stop, step = key.indices(self.rank)
        if step != 1:
            raise ValueError("DynamicRaggedShape slices must have step 1.")
        if start == 0:
            count = len(self._partitions)
            if stop - 1 <= count:
                inner = (self._rows_at(stop - 1),) if stop else ()
                return DynamicRaggedShape(self._partitions[: max(stop - 1, 0)], inner, self._dtype)
            return DynamicRaggedShape(self._partitions, self._inner[: stop - count], self._dtype)
        try:
            dims = [self._dim(axis) for axis in range(start, stop)]
        except ValueError:
            raise ValueError("All relevant dimensions must be uniform") from None
        return torch.tensor(dims, dtype=self._dtype)

    def __eq__(self, other):
        if not isinstance(other, DynamicRaggedShape):
            return NotImplemented
        return torch.tensor(self.static_lengths() == other.static_lengths())

    __hash__ = None

    def __repr__(self) -> str:
        return (
            f"<DynamicRaggedShape lengths={self.static_lengths()} "
            f"num_row_partitions={len(self._partitions)}>"
        )

    def _with_flat_values(self, flat):
        """`flat` (of shape `inner_shape`) cut into this shape's rows: a RaggedTensor."""
        from tork._backend.ragged_tensor import RaggedTensor

        value = flat
        for splits, uniform in reversed(self._partitions):
            value = RaggedTensor(value, splits, internal=True, uniform_row_length=uniform)
        return value


# ---------------------------------------------------------------- ops on ragged shapes


def _first(fn):
    """zeros/ones/fill(shape, ...): the dense op on the inner shape, cut into rows."""

    def handler(shape, *args, **kwargs):
        return shape._with_flat_values(fn(list(shape._inner), *args, **kwargs))

    return handler


def _second(fn, where: str):
    """broadcast_to/reshape(tensor, shape): onto the inner shape, then cut into rows."""

    def handler(value, shape, *args, **kwargs):
        from tork._backend import string_tensor

        try:
            if where == "tf.broadcast_to" and string_tensor.is_string(value):
                # Strings: NumPy broadcasts the bytes (tf.broadcast_to("x", shape)).
                array = np.asarray(string_tensor.make(value, where).view(np.ndarray))
                flat = string_tensor.wrap(np.broadcast_to(array, shape._inner).copy())
            else:
                flat = fn(value, list(shape._inner), *args, **kwargs)
        except (RuntimeError, ValueError) as error:
            raise ValueError(
                f"{where}: cannot give the value the ragged shape {shape!r}: {error}. Its flat "
                f"values have shape {list(shape._inner)}."
            ) from None
        return shape._with_flat_values(flat)

    return handler


def wrap_shape_op(fn, name: str):
    """`fn`, taking a DynamicRaggedShape where TensorFlow's op does (one class check)."""
    import functools

    position = 0 if name in ("zeros", "ones", "fill") else 1
    handler = _first(fn) if position == 0 else _second(fn, f"tf.{name}")
    keyword = "dims" if name == "fill" else "shape"
    first_keyword = {"broadcast_to": "input", "reshape": "tensor"}.get(name)

    def wrapper(*args, **kwargs):
        if len(args) > position:
            if args[position].__class__ is DynamicRaggedShape:
                return handler(*args, **kwargs)
        elif kwargs.get(keyword).__class__ is DynamicRaggedShape:
            shape = kwargs.pop(keyword)
            if position == 0:
                return handler(shape, *args, **kwargs)
            value = args[0] if args else kwargs.pop(first_keyword)
            return handler(value, shape, **kwargs)
        return fn(*args, **kwargs)

    return functools.wraps(fn)(wrapper)


SHAPE_OPS = frozenset({"zeros", "ones", "fill", "broadcast_to", "reshape"})
