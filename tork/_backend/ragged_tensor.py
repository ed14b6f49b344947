"""Ragged tensors: `tf.RaggedTensor`, tensors whose rows have different lengths.

A `RaggedTensor` is a `values` tensor cut into rows by `row_splits`: row `i` is
`values[row_splits[i]:row_splits[i + 1]]`. `values` is a torch tensor (numbers),
a `StringTensor` (strings) or another `RaggedTensor` (several ragged dimensions,
`ragged_rank > 1`); `row_splits` is an int64 torch tensor (int32 when built so).
The innermost non-ragged `values` are the `flat_values`.

Everything here works on whole tensors (segment reductions, `repeat_interleave`,
scatter/gather), never row by row, so a ragged batch costs a few torch ops.

The tf ops that accept ragged tensors (`tf.reduce_sum`, `tf.math.log1p`, `tf.cast`,
`tf.concat`, `tf.gather`...) reach this module through `install`, which
`tork/ops/math.py` and `tork/ops/array.py` call once on their namespaces: each listed
op gets a thin wrapper that hands a `RaggedTensor` argument to the ragged version
below and any other argument to the op itself.
"""

from __future__ import annotations

import functools
import inspect
import operator

import numpy as np
import torch

from tork._backend import ragged_shape as _ragged_shape
from tork._backend import string_tensor
from tork._backend.errors import InvalidArgumentError
from tork._backend.string_tensor import StringTensor
from tork._backend.tensor_shape import TensorShape

_INDEX_DTYPES = (torch.int32, torch.int64)


# ---------------------------------------------------------------- values helpers
# `values` is a torch tensor, a StringTensor or a RaggedTensor; these helpers give the
# three kinds one interface along their first axis.


def _convert_values(values):
    if isinstance(values, (RaggedTensor, StringTensor, torch.Tensor)):
        return values
    from tork._backend.tensor import convert_to_tensor

    return convert_to_tensor(values)


def _nvals(values) -> int:
    if isinstance(values, RaggedTensor):
        return values.nrows_int()
    return int(values.shape[0])


def _index_numpy(index: torch.Tensor) -> np.ndarray:
    return index.detach().cpu().numpy()


def _take(values, index: torch.Tensor):
    """`values` gathered along axis 0 at `index` (a 1-D int64 tensor)."""
    if isinstance(values, RaggedTensor):
        return values._take_rows(index)
    if isinstance(values, StringTensor):
        return string_tensor.wrap(np.asarray(values)[_index_numpy(index)])
    return values[index.to(values.device)]


def _slice_rows(values, start: int, stop: int):
    if isinstance(values, RaggedTensor):
        return values._row_range(start, stop)
    return values[start:stop]


def _concat_values(parts: list):
    if isinstance(parts[0], RaggedTensor):
        return _concat_rows(parts)
    if isinstance(parts[0], StringTensor):
        return string_tensor.wrap(np.concatenate([np.asarray(p) for p in parts]))
    return torch.cat(parts)


def _inner_shape(values) -> tuple:
    return tuple(int(d) for d in values.shape[1:])


def _splits_tensor(value, name: str, dtype=None) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        tensor = value.detach()
        if dtype is None:
            dtype = tensor.dtype if tensor.dtype in _INDEX_DTYPES else torch.int64
    else:
        array = np.asarray(value)
        if array.size == 0 and array.dtype == np.float64:
            array = array.astype(np.int64)  # `[]`: no values to say the dtype
        tensor = torch.as_tensor(array)
        dtype = dtype or torch.int64
    if tensor.dtype.is_floating_point or tensor.dtype.is_complex or tensor.dtype == torch.bool:
        from tork._backend.dtypes import dtype_name

        # TF's ValueError (a static dtype check).
        raise ValueError(
            f"RaggedTensor: {name} must have dtype int32 or int64, got {dtype_name(tensor.dtype)}."
        )
    if tensor.dim() != 1:
        raise ValueError(f"RaggedTensor: `{name}` must be 1-D, got shape {tuple(tensor.shape)}.")
    return tensor.to(dtype).cpu()


def _invalid(where: str, detail: str) -> InvalidArgumentError:
    return InvalidArgumentError(f"Arguments to {where} do not form a valid RaggedTensor: {detail}")


def _head(t: torch.Tensor) -> str:
    """The first entries of a vector, for error messages."""
    items = t[:10].tolist()
    return str(items)[:-1] + ", ...]" if t.shape[0] > 10 else str(items)


def _check_splits(splits: torch.Tensor, nvals: int, where: str) -> None:
    if splits.shape[0] == 0:
        # TF's ValueError (a static shape check).
        raise ValueError(f"{where}: row_splits tensor may not be empty.")
    if int(splits[0]) != 0:
        raise _invalid(where, f"row_splits must start with 0, got {int(splits[0])}.")
    if splits.shape[0] > 1 and bool((splits[1:] < splits[:-1]).any()):
        raise _invalid(where, f"row_splits must be non-decreasing, got {_head(splits)}.")
    if int(splits[-1]) != nvals:
        raise _invalid(
            where,
            f"the last row split ({int(splits[-1])}) must equal the number of values ({nvals}).",
        )


def _is_nested_lengths(lengths) -> bool:
    """Whether `from_tensor`'s `lengths` is TF's nested form (a sequence of vectors)."""
    if not isinstance(lengths, (list, tuple)) or not lengths:
        return False
    first = lengths[0]
    if isinstance(first, torch.Tensor):
        return first.dim() >= 1
    return isinstance(first, (list, tuple, np.ndarray))


def _lengths_to_splits(lengths: torch.Tensor) -> torch.Tensor:
    return torch.cat([lengths.new_zeros(1), torch.cumsum(lengths, 0).to(lengths.dtype)])


def _rowids(splits: torch.Tensor) -> torch.Tensor:
    lengths = splits[1:] - splits[:-1]
    rows = torch.arange(lengths.shape[0], dtype=splits.dtype)
    return torch.repeat_interleave(rows, lengths)


def _numpy_of(values) -> np.ndarray:
    if isinstance(values, RaggedTensor):
        return values.numpy()
    if isinstance(values, StringTensor):
        return np.asarray(values)
    from tork._backend.tensor import to_numpy

    return to_numpy(values)


def _formatter(x) -> str:
    # TensorFlow's eager repr: NumPy's printing, elements separated by commas.
    if isinstance(x, np.ndarray):
        if x.size != 0:
            return np.array2string(x, separator=", ")
        return repr(x.tolist())
    return str(x)


class RaggedTensor:
    """A tensor with one or more ragged (variable-length) dimensions: `tf.RaggedTensor`.

    Build one with `tf.ragged.constant` or the `from_*` class methods; the
    constructor itself is private, as in TensorFlow.

    Example:
    >>> rt = tf.RaggedTensor.from_row_splits([3, 1, 4, 1, 5], row_splits=[0, 2, 2, 5])
    >>> rt.to_list()
    [[3, 1], [], [4, 1, 5]]
    >>> rt.row_lengths().tolist()
    [2, 0, 3]
    """

    __array_priority__ = 100  # NumPy operands defer to our reflected operators

    def __init__(self, values, row_splits, internal: bool = False, uniform_row_length=None):
        if not internal:
            raise ValueError(
                "RaggedTensor constructor is private; please use one of the factory methods "
                "instead (e.g., RaggedTensor.from_row_lengths())"
            )
        self._values = values
        self._row_splits = row_splits
        # Set when every row is known to have this length (from_uniform_row_length):
        # the dimension then shows in `shape`, as in TensorFlow.
        self._uniform = uniform_row_length

    # ------------------------------------------------------------ factories

    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate: bool = True):
        """Builds a RaggedTensor whose row `i` is `values[row_splits[i]:row_splits[i+1]]`.

        Args:
            values: the row values (a tensor of rank >= 1, or a RaggedTensor).
            row_splits: a 1-D integer vector starting with 0, non-decreasing, and
                ending with the number of values.
            name: unused.
            validate: check `row_splits`.

        Returns:
            A RaggedTensor with `len(row_splits) - 1` rows.

        Raises:
            InvalidArgumentError: for invalid `row_splits`.

        Example:
        >>> tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 2, 3]).to_list()
        [[1, 2], [3]]
        """
        del name
        values = _convert_values(values)
        splits = _splits_tensor(row_splits, "row_splits")
        if validate:
            _check_splits(splits, _nvals(values), "from_row_splits")
        return cls(values, splits, internal=True)

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate: bool = True):
        """Builds a RaggedTensor whose row `i` has `row_lengths[i]` values.

        Args:
            values: the row values (a tensor of rank >= 1, or a RaggedTensor).
            row_lengths: a 1-D vector of non-negative integers summing to the
                number of values.
            name: unused.
            validate: check `row_lengths`.

        Returns:
            A RaggedTensor with `len(row_lengths)` rows.

        Example:
        >>> tf.RaggedTensor.from_row_lengths([1, 2, 3], [2, 0, 1]).to_list()
        [[1, 2], [], [3]]
        """
        del name
        values = _convert_values(values)
        lengths = _splits_tensor(row_lengths, "row_lengths")
        if validate and bool((lengths < 0).any()):
            raise _invalid("from_row_lengths", f"row_lengths must be >= 0, got {_head(lengths)}.")
        splits = _lengths_to_splits(lengths)
        if validate:
            _check_splits(splits, _nvals(values), "from_row_lengths")
        return cls(values, splits, internal=True)

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None, name=None, validate=True):
        """Builds a RaggedTensor from the row index of each value.

        Args:
            values: the row values.
            value_rowids: a 1-D non-decreasing vector: the row of each value.
            nrows: the number of rows (default: the last row id + 1).
            name: unused.
            validate: check `value_rowids`.

        Returns:
            A RaggedTensor.

        Example:
        >>> tf.RaggedTensor.from_value_rowids([1, 2, 3], [0, 0, 2]).to_list()
        [[1, 2], [], [3]]
        """
        del name
        values = _convert_values(values)
        ids = _splits_tensor(value_rowids, "value_rowids")
        if validate:
            if ids.shape[0] != _nvals(values):
                # TF's ValueError (a static shape check).
                raise ValueError(
                    f"from_value_rowids: Shapes ({_nvals(values)},) and ({ids.shape[0]},) are "
                    f"incompatible: value_rowids has {ids.shape[0]} entries for "
                    f"{_nvals(values)} values."
                )
            if bool((ids < 0).any()) or bool((ids[1:] < ids[:-1]).any()):
                raise _invalid(
                    "from_value_rowids",
                    f"value_rowids must be non-negative and sorted, got {_head(ids)}.",
                )
        count = int(ids[-1]) + 1 if ids.shape[0] else 0
        rows = count if nrows is None else int(nrows)
        if validate and rows < count:
            raise ValueError(
                f"Expected nrows >= value_rowids[-1] + 1; got nrows={rows}, "
                f"value_rowids[-1]={count - 1}"
            )
        lengths = torch.bincount(ids.to(torch.int64), minlength=rows).to(ids.dtype)
        return cls(values, _lengths_to_splits(lengths), internal=True)

    @classmethod
    def from_row_starts(cls, values, row_starts, name=None, validate: bool = True):
        """Builds a RaggedTensor from the start offset of each row (rows are contiguous).

        Example:
        >>> tf.RaggedTensor.from_row_starts([1, 2, 3], [0, 2]).to_list()
        [[1, 2], [3]]
        """
        del name
        values = _convert_values(values)
        starts = _splits_tensor(row_starts, "row_starts")
        end = starts.new_tensor([_nvals(values)])
        splits = torch.cat([starts, end])
        if validate:
            _check_splits(splits, _nvals(values), "from_row_starts")
        return cls(values, splits, internal=True)

    @classmethod
    def from_row_limits(cls, values, row_limits, name=None, validate: bool = True):
        """Builds a RaggedTensor from the end offset of each row (rows are contiguous).

        Example:
        >>> tf.RaggedTensor.from_row_limits([1, 2, 3], [2, 3]).to_list()
        [[1, 2], [3]]
        """
        del name
        values = _convert_values(values)
        limits = _splits_tensor(row_limits, "row_limits")
        splits = torch.cat([limits.new_zeros(1), limits])
        if validate:
            _check_splits(splits, _nvals(values), "from_row_limits")
        return cls(values, splits, internal=True)

    @classmethod
    def from_uniform_row_length(cls, values, uniform_row_length, nrows=None, validate=True):
        """Builds a RaggedTensor whose rows all have `uniform_row_length` values.

        Example:
        >>> tf.RaggedTensor.from_uniform_row_length([1, 2, 3, 4], 2).to_list()
        [[1, 2], [3, 4]]
        """
        values = _convert_values(values)
        width = int(uniform_row_length)
        total = _nvals(values)
        rows = (total // width if width else 0) if nrows is None else int(nrows)
        if validate and rows * width != total:
            raise ValueError(
                f"uniform_row_length={width} times nrows={rows} must equal nvals={total}"
            )
        splits = torch.arange(rows + 1, dtype=torch.int64) * width
        return cls(values, splits, internal=True, uniform_row_length=width)

    @classmethod
    def from_nested_row_splits(cls, flat_values, nested_row_splits, name=None, validate=True):
        """Builds a RaggedTensor with one ragged dimension per `row_splits` vector.

        Example:
        >>> tf.RaggedTensor.from_nested_row_splits([1, 2, 3], [[0, 2, 3], [0, 1, 2, 3]]).to_list()
        [[[1], [2]], [[3]]]
        """
        del name
        if isinstance(nested_row_splits, torch.Tensor) or not isinstance(
            nested_row_splits, (list, tuple)
        ):
            raise TypeError("nested_row_splits must be a list of 1-D integer vectors.")
        result = _convert_values(flat_values)
        for splits in reversed(list(nested_row_splits)):
            result = cls.from_row_splits(result, splits, validate=validate)
        return result

    @classmethod
    def from_nested_row_lengths(cls, flat_values, nested_row_lengths, name=None, validate=True):
        """Builds a RaggedTensor with one ragged dimension per `row_lengths` vector.

        Example:
        >>> tf.RaggedTensor.from_nested_row_lengths([1, 2, 3, 4], [[2, 1], [1, 2, 1]]).to_list()
        [[[1], [2, 3]], [[4]]]
        """
        del name
        result = _convert_values(flat_values)
        for lengths in reversed(list(nested_row_lengths)):
            result = cls.from_row_lengths(result, lengths, validate=validate)
        return result

    @classmethod
    def from_nested_value_rowids(
        cls, flat_values, nested_value_rowids, nested_nrows=None, name=None, validate=True
    ):
        """Builds a RaggedTensor with one ragged dimension per `value_rowids` vector."""
        del name
        ids = list(nested_value_rowids)
        nrows = [None] * len(ids) if nested_nrows is None else list(nested_nrows)
        result = _convert_values(flat_values)
        for rowids, count in reversed(list(zip(ids, nrows))):
            result = cls.from_value_rowids(result, rowids, count, validate=validate)
        return result

    @classmethod
    def _from_tensor_uniform(cls, dense, lengths, padding, ragged_rank: int, row_splits_dtype):
        """`from_tensor` with `ragged_rank` > 1 and no padding to drop: every ragged
        dimension keeps the tensor's own (uniform) lengths."""
        from tork._backend.dtypes import as_dtype

        shape = tuple(dense.shape)
        if ragged_rank < 1:
            raise ValueError(
                f"Argument `ragged_rank` must be greater than 0. Received {ragged_rank}."
            )
        if len(shape) < ragged_rank + 1:
            raise ValueError(f"Shape {shape} must have rank at least {ragged_rank + 1}")
        if lengths is not None or padding is not None:
            raise NotImplementedError(
                "tork: RaggedTensor.from_tensor with ragged_rank > 1 and lengths or padding; "
                "build it with from_nested_row_lengths."
            )
        merged = (-1,) + shape[ragged_rank + 1 :]
        if isinstance(dense, StringTensor):
            result = string_tensor.wrap(np.asarray(dense).reshape(merged))
        else:
            result = dense.reshape(merged)
        # Every level has the tensor's length: uniform partitions, so the static shape
        # keeps the sizes (TF's shape (2, 3, 2) for ragged_rank=2 of a (2, 3, 2) tensor).
        for level in range(ragged_rank, 0, -1):
            rows = int(np.prod(shape[:level]))
            result = cls.from_uniform_row_length(result, shape[level], nrows=rows)
        return result.with_row_splits_dtype(as_dtype(row_splits_dtype))

    @classmethod
    def from_tensor(
        cls,
        tensor,
        lengths=None,
        padding=None,
        ragged_rank: int = 1,
        name=None,
        row_splits_dtype=torch.int64,
    ):
        """Builds a RaggedTensor from a dense tensor, dropping each row's padding.

        Args:
            tensor: a tensor of rank >= 2.
            lengths: optional row lengths: row `i` keeps its first `lengths[i]` values.
            padding: optional padding value: each row's trailing run of it is dropped
                (for rank > 2, a trailing cell counts as padding when all its entries
                equal `padding`).
            ragged_rank: the number of ragged dimensions (above 1: only without `lengths`
                and `padding`, every ragged dimension keeping the tensor's lengths).
            name: unused.
            row_splits_dtype: int64 (default) or int32.

        Returns:
            A RaggedTensor of `ragged_rank` 1.

        Example:
        >>> tf.RaggedTensor.from_tensor([[1, 0, 0], [2, 3, 0]], padding=0).to_list()
        [[1], [2, 3]]
        """
        del name
        from tork._backend.dtypes import as_dtype
        from tork._backend.tensor import convert_to_tensor

        if lengths is not None and padding is not None:
            raise ValueError("Specify argument `lengths` or `padding`, but not both.")
        if _is_nested_lengths(lengths):
            # One lengths vector per ragged dimension (TF's nested form): each level keeps
            # its rows' first items, then the next level cuts the items kept.
            result = cls.from_tensor(tensor, lengths=lengths[0], row_splits_dtype=row_splits_dtype)
            if len(lengths) > 1:
                inner = cls.from_tensor(
                    result._values, lengths=tuple(lengths[1:]), row_splits_dtype=row_splits_dtype
                )
                result = result.with_values(inner)
            return result
        dense = (
            tensor
            if isinstance(tensor, (torch.Tensor, StringTensor))
            else convert_to_tensor(tensor)
        )
        if ragged_rank != 1:
            return cls._from_tensor_uniform(
                dense, lengths, padding, int(ragged_rank), row_splits_dtype
            )
        if len(dense.shape) < 2:
            raise ValueError(
                f"RaggedTensor.from_tensor needs a tensor of rank >= 2, got shape {tuple(dense.shape)}."
            )
        rows, width = int(dense.shape[0]), int(dense.shape[1])
        splits_dtype = as_dtype(row_splits_dtype)
        strings = isinstance(dense, StringTensor)
        if lengths is None and padding is None:
            flat = (
                string_tensor.wrap(np.asarray(dense).reshape((-1,) + tuple(dense.shape[2:])))
                if strings
                else dense.reshape((-1,) + tuple(dense.shape[2:]))
            )
            splits = torch.arange(rows + 1, dtype=splits_dtype) * width
            return cls(flat, splits, internal=True)
        if padding is not None:
            if strings:
                array = np.asarray(dense)
                pad = string_tensor.make(padding).view(np.ndarray)
                keep = torch.from_numpy(np.asarray(array != pad))
            else:
                keep = dense != convert_to_tensor(padding, dtype=dense.dtype).to(dense.device)
            keep = keep.reshape(rows, width, -1).any(dim=2).cpu()
            positions = torch.arange(1, width + 1)
            row_lengths = (
                (keep * positions).amax(dim=1) if width else torch.zeros(rows, dtype=torch.int64)
            )
        else:
            row_lengths = _splits_tensor(lengths, "lengths").to(torch.int64)
            if row_lengths.shape[0] != rows:
                raise ValueError(
                    f"RaggedTensor.from_tensor: {row_lengths.shape[0]} lengths for {rows} rows."
                )
            row_lengths = row_lengths.clamp(0, width)
        mask = torch.arange(width)[None, :] < row_lengths[:, None]
        if strings:
            flat = string_tensor.wrap(np.asarray(dense)[mask.numpy()])
        else:
            flat = dense[mask.to(dense.device)]
        return cls(flat, _lengths_to_splits(row_lengths.to(splits_dtype)), internal=True)

    # ------------------------------------------------------------ structure

    @property
    def values(self):
        """The concatenated rows: a tensor, or a RaggedTensor when `ragged_rank > 1`."""
        return self._values

    @property
    def row_splits(self) -> torch.Tensor:
        """The row split indices: row `i` is `values[row_splits[i]:row_splits[i+1]]`."""
        return self._row_splits

    @property
    def flat_values(self):
        """The innermost values: a tensor (torch or string) without ragged dimensions."""
        values = self._values
        while isinstance(values, RaggedTensor):
            values = values._values
        return values

    @property
    def nested_row_splits(self) -> tuple:
        """The `row_splits` of each ragged dimension, outermost first."""
        out = [self._row_splits]
        values = self._values
        while isinstance(values, RaggedTensor):
            out.append(values._row_splits)
            values = values._values
        return tuple(out)

    @property
    def ragged_rank(self) -> int:
        """The number of ragged dimensions."""
        values = self._values
        return 1 + values.ragged_rank if isinstance(values, RaggedTensor) else 1

    @property
    def row_splits_dtype(self) -> torch.dtype:
        """The dtype of the row partitions (int64 unless built with int32)."""
        return self._row_splits.dtype

    @property
    def dtype(self):
        """The dtype of the values."""
        return self.flat_values.dtype

    @property
    def shape(self) -> TensorShape:
        """The static shape: `None` for each ragged dimension."""
        dims = [self.nrows_int()]
        node = self
        while isinstance(node, RaggedTensor):
            dims.append(node._uniform)
            node = node._values
        return TensorShape(dims + list(_inner_shape(node)))

    def get_shape(self) -> TensorShape:
        """The static shape (as `shape`)."""
        return self.shape

    @property
    def ndim(self) -> int:
        return self.ragged_rank + len(self.flat_values.shape)

    @property
    def uniform_row_length(self):
        """The length of every row (an int64 scalar) if it is known to be uniform, else None."""
        if self._uniform is None:
            return None
        return torch.tensor(self._uniform, dtype=self._row_splits.dtype)

    @property
    def device(self):
        values = self.flat_values
        return getattr(values, "device", torch.device("cpu"))

    def nrows_int(self) -> int:
        return int(self._row_splits.shape[0]) - 1

    def nrows(self, out_type=None, name=None) -> torch.Tensor:
        """The number of rows, a scalar tensor (of the row_splits dtype)."""
        del name
        from tork._backend.dtypes import as_dtype

        dtype = self._row_splits.dtype if out_type is None else as_dtype(out_type)
        return torch.tensor(self.nrows_int(), dtype=dtype)

    def row_lengths(self, axis: int = 1, name=None):
        """The length of each row (of the ragged dimension `axis`).

        Example:
        >>> tf.ragged.constant([[1, 2, 3], [4]]).row_lengths().tolist()
        [3, 1]
        """
        del name
        axis = self._axis(axis)
        if axis == 0:
            raise ValueError("row_lengths: axis=0 is not a ragged dimension.")
        if axis == 1:
            return self._row_splits[1:] - self._row_splits[:-1]
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.row_lengths(axis - 1))
        # A uniform axis of the dense values: every row has its size (as TF).
        values = self._values
        sizes = torch.full(
            tuple(values.shape[: axis - 1]), values.shape[axis - 1], dtype=self._row_splits.dtype
        )
        return self.with_values(sizes)

    def nested_row_lengths(self, name=None) -> tuple:
        """The `row_lengths` of each ragged dimension, outermost first."""
        del name
        return tuple(s[1:] - s[:-1] for s in self.nested_row_splits)

    def value_rowids(self, name=None) -> torch.Tensor:
        """The row index of each value.

        Example:
        >>> tf.ragged.constant([[1, 2], [3]]).value_rowids().tolist()
        [0, 0, 1]
        """
        del name
        return _rowids(self._row_splits)

    def nested_value_rowids(self, name=None) -> tuple:
        del name
        return tuple(_rowids(s) for s in self.nested_row_splits)

    def row_starts(self, name=None) -> torch.Tensor:
        """The start offset of each row in `values`."""
        del name
        return self._row_splits[:-1]

    def row_limits(self, name=None) -> torch.Tensor:
        """The end offset of each row in `values`."""
        del name
        return self._row_splits[1:]

    def bounding_shape(self, axis=None, name=None, out_type=None) -> torch.Tensor:
        """The smallest dense shape holding this tensor: the longest row of each dimension.

        Example:
        >>> tf.ragged.constant([[1, 2, 3], [4]]).bounding_shape().tolist()
        [2, 3]
        """
        del name
        dims = [self.nrows_int()]
        node = self
        while isinstance(node, RaggedTensor):
            lengths = node._row_splits[1:] - node._row_splits[:-1]
            dims.append(int(lengths.max()) if lengths.numel() else 0)
            node = node._values
        dims.extend(_inner_shape(node))
        dtype = self._row_splits.dtype if out_type is None else out_type
        shape = torch.tensor(dims, dtype=dtype)
        return shape if axis is None else shape[axis]

    def with_values(self, new_values) -> RaggedTensor:
        """This tensor's row partition over new values (same number of rows)."""
        new_values = _convert_values(new_values)
        if _nvals(new_values) != _nvals(self._values):
            raise ValueError(
                f"with_values: new values have {_nvals(new_values)} rows, expected "
                f"{_nvals(self._values)}."
            )
        return RaggedTensor(new_values, self._row_splits, True, self._uniform)

    def with_flat_values(self, new_values) -> RaggedTensor:
        """This tensor's nested row partitions over new flat values."""
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def with_row_splits_dtype(self, dtype) -> RaggedTensor:
        """A copy whose row partitions have `dtype` (int32 or int64)."""
        from tork._backend.dtypes import as_dtype

        dtype = as_dtype(dtype)
        values = self._values
        if isinstance(values, RaggedTensor):
            values = values.with_row_splits_dtype(dtype)
        return RaggedTensor(values, self._row_splits.to(dtype), True, self._uniform)

    def merge_dims(self, outer_axis: int, inner_axis: int):
        """Merges dimensions `outer_axis..inner_axis` into one.

        Example:
        >>> tf.ragged.constant([[[1, 2], [3]], [[4]]]).merge_dims(0, 1).to_list()
        [[1, 2], [3], [4]]
        """
        outer, inner = self._axis(outer_axis), self._axis(inner_axis)
        if inner < outer:
            raise ValueError(
                f"merge_dims: outer_axis ({outer_axis}) must not come after inner_axis "
                f"({inner_axis})."
            )
        if outer == inner:
            return self
        if outer == 0:
            result = self
            for _ in range(inner - outer):
                if isinstance(result, RaggedTensor):
                    result = result._values
                elif isinstance(result, StringTensor):
                    array = np.asarray(result)
                    result = string_tensor.wrap(array.reshape((-1,) + array.shape[2:]))
                else:
                    result = result.reshape((-1,) + tuple(result.shape[2:]))
            return result
        values = self._values
        if outer == 1:
            return self._merge_into_rows(inner)
        if isinstance(values, RaggedTensor):
            return self.with_values(values.merge_dims(outer - 1, inner - 1))
        # Dimension d of self is dimension d - 1 of the dense values.
        shape = tuple(values.shape)
        new_shape = shape[: outer - 1] + (-1,) + shape[inner:]
        if isinstance(values, StringTensor):
            return self.with_values(string_tensor.wrap(np.asarray(values).reshape(new_shape)))
        return self.with_values(values.reshape(new_shape))

    def _merge_into_rows(self, inner: int):
        """`merge_dims(1, inner)`: each row keeps its place and holds the flattened items.

        The values lose `inner - 1` dimensions, so the row splits are composed with the
        splits (or uniform sizes) of the dimensions merged away.
        """
        splits, values = self._row_splits, self._values
        for _ in range(inner - 1):
            if isinstance(values, RaggedTensor):
                splits = values._row_splits.to(splits.dtype)[splits]
                values = values._values
                continue
            width = values.shape[1]
            splits = splits * width
            if isinstance(values, StringTensor):
                array = np.asarray(values)
                values = string_tensor.wrap(array.reshape((-1,) + array.shape[2:]))
            else:
                values = values.reshape((-1,) + tuple(values.shape[2:]))
        return RaggedTensor.from_row_splits(values, splits, validate=False)

    def _axis(self, axis: int) -> int:
        rank = self.ndim
        axis = int(axis)
        if not -rank <= axis < rank:
            raise ValueError(f"axis {axis} is out of range for a RaggedTensor of rank {rank}.")
        return axis + rank if axis < 0 else axis

    def to_sparse(self, name=None):
        """The values as a `tf.SparseTensor` of the bounding shape.

        Example:
        >>> st = tf.ragged.constant([[1, 2], [], [3]]).to_sparse()
        >>> st.indices.tolist()
        [[0, 0], [0, 1], [2, 0]]
        """
        del name
        from tork._backend.sparse_tensor import SparseTensor

        flat = self.flat_values
        # Each level maps its values to (index of the row, position in the row).
        coords = torch.arange(self.nrows_int(), dtype=torch.int64)[:, None]
        for splits in self.nested_row_splits:
            ids = _rowids(splits).to(torch.int64)
            pos = torch.arange(ids.shape[0]) - splits[:-1].to(torch.int64)[ids]
            coords = torch.cat([coords[ids], pos[:, None]], dim=1)
        inner = tuple(flat.shape[1:])
        if inner:
            # Uniform inner dimensions: every value row spreads over all their positions.
            grid = torch.stack(
                torch.meshgrid(*[torch.arange(n) for n in inner], indexing="ij"), -1
            ).reshape(-1, len(inner))
            coords = torch.cat(
                [
                    coords.repeat_interleave(grid.shape[0], dim=0),
                    grid.repeat(coords.shape[0], 1),
                ],
                dim=1,
            )
            if isinstance(flat, StringTensor):
                flat = string_tensor.wrap(np.asarray(flat).reshape(-1))
            else:
                flat = flat.reshape(-1)
        return SparseTensor(coords, flat, self.bounding_shape(out_type=torch.int64))

    @classmethod
    def from_sparse(cls, st_input, name=None, row_splits_dtype=torch.int64):
        """Builds a RaggedTensor from a 2-D ragged-right `tf.SparseTensor` (each row's
        values at columns 0, 1, 2... in order).

        Example:
        >>> st = tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [1, 2, 3], [4, 5])
        >>> tf.RaggedTensor.from_sparse(st).to_list()
        [[1, 2], [], [3], []]
        """
        del name
        from tork._backend.dtypes import as_dtype

        indices = st_input.indices.to(torch.int64).cpu()
        shape = [int(d) for d in st_input.dense_shape.tolist()]
        if len(shape) != 2:
            raise ValueError(
                f"RaggedTensor.from_sparse needs a 2-D SparseTensor, got dense_shape {shape}."
            )
        rows = indices[:, 0]
        counts = torch.bincount(rows, minlength=shape[0])
        splits = _lengths_to_splits(counts)
        expected = torch.arange(rows.shape[0]) - splits[:-1][rows]
        if bool((rows[1:] < rows[:-1]).any()) or not torch.equal(indices[:, 1], expected):
            raise InvalidArgumentError(
                "RaggedTensor.from_sparse: SparseTensor is not right-ragged (each row's "
                "values must sit at columns 0, 1, 2, ... in order)."
            )
        dtype = as_dtype(row_splits_dtype)
        return cls(st_input.values, splits.to(dtype), internal=True)

    # ------------------------------------------------------------ row access

    def _row_range(self, start: int, stop: int) -> RaggedTensor:
        splits = self._row_splits[start : stop + 1]
        first, last = int(splits[0]), int(splits[-1])
        return RaggedTensor(
            _slice_rows(self._values, first, last), splits - first, True, self._uniform
        )

    def _take_rows(self, index: torch.Tensor) -> RaggedTensor:
        index = index.to(torch.int64).cpu()
        starts = self._row_splits[:-1].to(torch.int64)[index]
        lengths = (self._row_splits[1:] - self._row_splits[:-1]).to(torch.int64)[index]
        splits = _lengths_to_splits(lengths)
        # Position of each kept value in the old `values`.
        within = torch.arange(int(splits[-1])) - torch.repeat_interleave(splits[:-1], lengths)
        source = torch.repeat_interleave(starts, lengths) + within
        return RaggedTensor(
            _take(self._values, source), splits.to(self._row_splits.dtype), internal=True
        )

    def _row(self, i: int):
        rows = self.nrows_int()
        index = int(i)
        if not -rows <= index < rows:
            raise IndexError(f"RaggedTensor index {index} is out of range for {rows} rows.")
        if index < 0:
            index += rows
        start, stop = int(self._row_splits[index]), int(self._row_splits[index + 1])
        return _slice_rows(self._values, start, stop)

    def __getitem__(self, key):
        """Indexes rows, or slices rows and the ragged dimension.

        `rt[i]` is row `i` (a tensor, or a RaggedTensor for `ragged_rank > 1`);
        `rt[a:b]` keeps rows `a..b`; `rt[:, a:b]` slices every row. An integer
        index into a ragged dimension (`rt[:, 0]`) is an error, as in TensorFlow.
        """
        if not isinstance(key, tuple):
            key = (key,)
        if any(k is Ellipsis for k in key):
            key = self._expand_ellipsis(key)
        if not key:
            return self
        head, rest = key[0], key[1:]
        if isinstance(head, torch.Tensor) and head.dim() == 0:
            head = int(head)
        if isinstance(head, (int, np.integer)):
            row = self._row(int(head))
            return row[rest] if rest else row
        if isinstance(head, slice):
            rows = self._slice_outer(head)
            return rows._slice_inner(rest) if rest else rows
        raise TypeError(
            f"RaggedTensor indices must be ints or slices, got {type(head).__name__}. Use "
            "tf.gather to pick rows by a list of indices."
        )

    def _slice_inner_stepped(self, head: slice, more: tuple):
        """`rt[:, a:b:step]`: each row sliced as a Python list would be."""
        starts = self._row_splits[:-1].to(torch.int64).tolist()
        lengths = (self._row_splits[1:] - self._row_splits[:-1]).to(torch.int64).tolist()
        picks = [
            [start + j for j in range(*head.indices(length))]
            for start, length in zip(starts, lengths)
        ]
        source = torch.tensor([j for row in picks for j in row], dtype=torch.int64)
        new_lengths = torch.tensor([len(row) for row in picks], dtype=torch.int64)
        values = _take(self._values, source)
        if more:
            if isinstance(values, RaggedTensor):
                values = values._slice_inner(more)
            else:
                values = values[(slice(None),) + tuple(more)]
        splits = _lengths_to_splits(new_lengths)
        return RaggedTensor(values, splits.to(self._row_splits.dtype), internal=True)

    def _expand_ellipsis(self, key: tuple) -> tuple:
        """`key` with its `...` replaced by the full slices it stands for."""
        at = [i for i, k in enumerate(key) if k is Ellipsis]
        if len(at) > 1:
            raise IndexError("an index can only have a single ellipsis ('...').")
        explicit = len(key) - 1 - sum(k is None for k in key)
        fill = max(self.ndim - explicit, 0)
        key = key[: at[0]] + (slice(None),) * fill + key[at[0] + 1 :]
        # Trailing full slices select everything: drop them (they need no inner slicing).
        while key and isinstance(key[-1], slice) and key[-1] == slice(None):
            key = key[:-1]
        return key

    def _slice_outer(self, key: slice) -> RaggedTensor:
        start, stop, step = key.indices(self.nrows_int())
        if step == 1:
            return self._row_range(start, max(stop, start))
        return self._take_rows(torch.arange(start, stop, step, dtype=torch.int64))

    def _slice_inner(self, rest: tuple):
        head, more = rest[0], rest[1:]
        if head is Ellipsis and not more:
            return self
        if not isinstance(head, slice):
            raise ValueError("Cannot index into an inner ragged dimension.")
        if head.step not in (None, 1):
            return self._slice_inner_stepped(head, more)
        lengths = (self._row_splits[1:] - self._row_splits[:-1]).to(torch.int64)

        def bound(value, default):
            if value is None:
                return default
            value = torch.full_like(lengths, int(value))
            return torch.where(value < 0, value + lengths, value).clamp(
                min=torch.zeros_like(lengths), max=lengths
            )

        begin = bound(head.start, torch.zeros_like(lengths))
        end = bound(head.stop, lengths)
        new_lengths = (end - begin).clamp(min=0)
        splits = _lengths_to_splits(new_lengths)
        within = torch.arange(int(splits[-1])) - torch.repeat_interleave(splits[:-1], new_lengths)
        source = (
            torch.repeat_interleave(self._row_splits[:-1].to(torch.int64) + begin, new_lengths)
            + within
        )
        values = _take(self._values, source)
        if more:
            if isinstance(values, RaggedTensor):
                values = values._slice_inner(more)
            else:
                values = values[(slice(None),) + tuple(more)]
        return RaggedTensor(values, splits.to(self._row_splits.dtype), internal=True)

    def __iter__(self):
        for i in range(self.nrows_int()):
            yield self._row(i)

    def __bool__(self):
        raise TypeError("RaggedTensor may not be used as a boolean.")

    # ------------------------------------------------------------ conversion

    def to_tensor(self, default_value=None, name=None, shape=None):
        """Pads the rows into a dense tensor.

        Args:
            default_value: the padding value (0, or `b""` for strings).
            name: unused.
            shape: optional output shape; rows and values beyond it are cut off,
                `None` entries take the bounding shape.

        Returns:
            A dense tensor (a string tensor for strings).

        Example:
        >>> tf.ragged.constant([[1, 2], [3]]).to_tensor(default_value=-1).tolist()
        [[1, 2], [3, -1]]
        """
        del name
        bounds = self.bounding_shape().tolist()
        if shape is not None:
            given = list(shape.as_list() if isinstance(shape, TensorShape) else shape)
            if len(given) != len(bounds):
                raise ValueError(
                    f"to_tensor: shape {given} has rank {len(given)}, the RaggedTensor has rank "
                    f"{len(bounds)}."
                )
            bounds = [b if g is None or int(g) < 0 else int(g) for b, g in zip(bounds, given)]
        return self._dense(default_value, bounds)

    def _dense(self, default_value, bounds: list):
        rows, width = bounds[0], bounds[1]
        values = self._values
        if isinstance(values, RaggedTensor):
            values = values._dense(default_value, [_nvals(values)] + bounds[2:])
        else:
            inner = tuple(bounds[2:])
            if _inner_shape(values) != inner:  # cut (or pad) the uniform inner dims
                values = _fit(values, inner, default_value)
        ids = _rowids(self._row_splits).to(torch.int64)
        pos = torch.arange(ids.shape[0]) - self._row_splits[:-1].to(torch.int64)[ids]
        keep = (ids < rows) & (pos < width)
        ids, pos = ids[keep], pos[keep]
        if isinstance(values, StringTensor):
            fill = (
                b"" if default_value is None else string_tensor.make(default_value).view(np.ndarray)
            )
            out = np.empty((rows, width) + tuple(values.shape[1:]), dtype=object)
            out[...] = fill
            out[ids.numpy(), pos.numpy()] = np.asarray(values)[keep.numpy()]
            return string_tensor.wrap(out)
        out = torch.empty(
            (rows, width) + tuple(values.shape[1:]), dtype=values.dtype, device=values.device
        )
        out[...] = _fill_value(default_value, values.dtype)
        dev = values.device
        out[ids.to(dev), pos.to(dev)] = values[keep.to(dev)]
        return out

    def to_list(self) -> list:
        """The values as nested Python lists (strings as bytes).

        Example:
        >>> tf.ragged.constant([["a"], ["b", "c"]]).to_list()
        [[b'a'], [b'b', b'c']]
        """
        splits = self._row_splits.tolist()
        values = self._values
        if isinstance(values, RaggedTensor):
            items = values.to_list()
        else:
            items = _numpy_of(values).tolist()
        return [items[splits[i] : splits[i + 1]] for i in range(len(splits) - 1)]

    def tolist(self) -> list:
        return self.to_list()

    def numpy(self) -> np.ndarray:
        """A NumPy array: an object array of row arrays, or a regular array when all
        rows have one length (as TensorFlow's `RaggedTensor.numpy()`)."""
        values = _numpy_of(self._values)
        splits = self._row_splits.tolist()
        rows = [values[splits[i] : splits[i + 1]] for i in range(len(splits) - 1)]
        if not rows:
            return np.zeros((0, 0) + values.shape[1:], dtype=values.dtype)
        if any(len(r) != len(rows[0]) for r in rows):
            out = np.empty(len(rows), dtype=object)
            out[:] = rows
            return out
        return np.array(rows)

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            "A RaggedTensor cannot be converted to a dense tensor or array: its rows have "
            "different lengths. Call .to_tensor() to pad it, or use .flat_values, "
            ".numpy() or .to_list()."
        )

    def __repr__(self) -> str:
        with np.printoptions(formatter={"all": _formatter}):
            text = _formatter(self.numpy())
        return f"<tf.RaggedTensor {text}>"

    __str__ = __repr__

    def __hash__(self):
        return id(self)

    # ------------------------------------------------------------ elementwise ops

    def _unary(self, fn) -> RaggedTensor:
        return self.with_flat_values(fn(self.flat_values))

    def __neg__(self):
        from tork.ops import math

        return self._unary(math.negative)

    def __abs__(self):
        from tork.ops import math

        return self._unary(math.abs)

    def __invert__(self):
        from tork.ops import math

        return self._unary(math.logical_not)


def _fill_value(default_value, dtype: torch.dtype) -> torch.Tensor:
    """`to_tensor`'s `default_value` as a tensor of the values' dtype.

    A Python int out of an integer dtype's range wraps as in TensorFlow, which converts
    it with C casting: tensorflow_similarity pads uint8 labels with `0x7FFFFFFF` and
    gets 255, where torch refuses the overflow.
    """
    if default_value is None:
        default_value = 0
    if isinstance(default_value, torch.Tensor):
        return default_value.to(dtype)
    if (
        isinstance(default_value, int)
        and not isinstance(default_value, bool)
        and not (dtype.is_floating_point or dtype.is_complex or dtype == torch.bool)
        and -(2**63) <= default_value < 2**64
    ):
        # Two's complement in 64 bits, then torch's int64 -> narrower cast keeps the low bits.
        wrapped = default_value - 2**64 if default_value >= 2**63 else default_value
        return torch.tensor(wrapped, dtype=torch.int64).to(dtype)
    return torch.as_tensor(default_value, dtype=dtype)


def _fit(values, inner: tuple, default_value):
    """`values` (n, *inner_old) cut or padded to (n, *inner)."""
    n = int(values.shape[0])
    if isinstance(values, StringTensor):
        array = np.asarray(values)
        out = np.empty((n,) + inner, dtype=object)
        out[...] = (
            b"" if default_value is None else string_tensor.make(default_value).view(np.ndarray)
        )
        region = tuple(slice(0, min(a, b)) for a, b in zip(array.shape[1:], inner))
        out[(slice(None),) + region] = array[(slice(None),) + region]
        return string_tensor.wrap(out)
    out = torch.empty((n,) + inner, dtype=values.dtype, device=values.device)
    out[...] = _fill_value(default_value, values.dtype)
    region = tuple(slice(0, min(a, b)) for a, b in zip(values.shape[1:], inner))
    out[(slice(None),) + region] = values[(slice(None),) + region]
    return out


# ---------------------------------------------------------------- binary ops


def _same_partitions(a: RaggedTensor, b: RaggedTensor) -> bool:
    sa, sb = a.nested_row_splits, b.nested_row_splits
    return len(sa) == len(sb) and all(
        x.shape == y.shape and bool(torch.equal(x.to(torch.int64), y.to(torch.int64)))
        for x, y in zip(sa, sb)
    )


def _outer_rows(rt: RaggedTensor) -> torch.Tensor:
    """For each flat value, the index of its outermost row."""
    ids = torch.arange(rt.nrows_int())
    for splits in rt.nested_row_splits:
        ids = ids[_rowids(splits).to(torch.int64)]
    return ids


def _dense_to_flat(rt: RaggedTensor, dense, opname: str):
    """A dense operand broadcast to `rt.flat_values`' rows (TF's ragged broadcasting)."""
    if isinstance(dense, (bool, int, float, complex)):
        return dense
    if not isinstance(dense, (torch.Tensor, StringTensor)):
        from tork._backend.tensor import convert_to_tensor

        dense = convert_to_tensor(dense)
    shape = tuple(dense.shape)
    inner_rank = len(_inner_shape(rt.flat_values))
    if len(shape) <= inner_rank:  # broadcasts against the uniform inner dims only
        return dense
    rank = rt.ndim
    if len(shape) < rank:
        shape = (1,) * (rank - len(shape)) + shape
        dense = dense.reshape(shape)
    ragged_dims = shape[1 : 1 + rt.ragged_rank]
    if len(shape) > rank or any(d != 1 for d in ragged_dims) or shape[0] not in (1, rt.nrows_int()):
        raise ValueError(
            f"{opname}: cannot broadcast a dense operand of shape {tuple(dense.shape)} to a "
            f"RaggedTensor of shape {rt.shape}: its ragged dimensions must have size 1 and "
            "its first dimension 1 or the number of rows."
        )
    squeezed = dense.reshape((shape[0],) + shape[1 + rt.ragged_rank :])
    rows = _outer_rows(rt)
    if shape[0] == 1:
        rows = torch.zeros_like(rows)
    return _take(squeezed, rows)


def ragged_binary(fn, x, y, opname: str):
    """`fn` applied to the flat values of x and y, at least one a RaggedTensor."""
    if isinstance(x, RaggedTensor) and isinstance(y, RaggedTensor):
        if not _same_partitions(x, y):
            raise ValueError(
                f"{opname}: the RaggedTensors have different row partitions "
                f"(shapes {x.shape} and {y.shape}, row lengths {_head(x.row_lengths())} "
                f"and {_head(y.row_lengths())}); elementwise ops need the same rows."
            )
        return x.with_flat_values(fn(x.flat_values, y.flat_values))
    if isinstance(x, RaggedTensor):
        return x.with_flat_values(fn(x.flat_values, _dense_to_flat(x, y, opname)))
    return y.with_flat_values(fn(_dense_to_flat(y, x, opname), y.flat_values))


def _math(name: str):
    from tork.ops import math

    return getattr(math, name)


def _binary_method(opname: str, reflected: bool = False):
    def method(self, other):
        fn = _math(opname)
        if reflected:
            return ragged_binary(fn, other, self, opname)
        return ragged_binary(fn, self, other, opname)

    method.__name__ = opname
    return method


def _compare_method(opname: str, op):
    def method(self, other):
        if isinstance(self.flat_values, StringTensor):
            return ragged_binary(op, self, other, opname)
        return ragged_binary(_math(opname), self, other, opname)

    return method


for _name, _op, _rop in (
    ("add", "__add__", "__radd__"),
    ("subtract", "__sub__", "__rsub__"),
    ("multiply", "__mul__", "__rmul__"),
    ("truediv", "__truediv__", "__rtruediv__"),
    ("floordiv", "__floordiv__", "__rfloordiv__"),
    ("floormod", "__mod__", "__rmod__"),
    ("pow", "__pow__", "__rpow__"),
    ("logical_and", "__and__", "__rand__"),
    ("logical_or", "__or__", "__ror__"),
    ("logical_xor", "__xor__", "__rxor__"),
):
    setattr(RaggedTensor, _op, _binary_method(_name))
    setattr(RaggedTensor, _rop, _binary_method(_name, reflected=True))

for _name, _op, _fn in (
    ("equal", "__eq__", operator.eq),
    ("not_equal", "__ne__", operator.ne),
    ("less", "__lt__", operator.lt),
    ("less_equal", "__le__", operator.le),
    ("greater", "__gt__", operator.gt),
    ("greater_equal", "__ge__", operator.ge),
):
    setattr(RaggedTensor, _op, _compare_method(_name, _fn))


# ---------------------------------------------------------------- row-wise helpers


def _concat_rows(parts: list) -> RaggedTensor:
    """RaggedTensors joined along axis 0 (their rows one after the other)."""
    dtype = parts[0]._row_splits.dtype
    splits, offset = [parts[0]._row_splits.new_zeros(1)], 0
    for p in parts:
        splits.append(p._row_splits[1:].to(dtype) + offset)
        offset += int(p._row_splits[-1])
    values = _concat_values([p._values for p in parts])
    return RaggedTensor(values, torch.cat(splits), internal=True)


def _interleave_rows(parts: list) -> RaggedTensor:
    """RaggedTensors of equal nrows joined along axis 1: row i of each, one after the other."""
    lengths = torch.stack([(p._row_splits[1:] - p._row_splits[:-1]).to(torch.int64) for p in parts])
    total = lengths.sum(0)
    splits = _lengths_to_splits(total)
    # Where each part's row starts in the output row: splits[r] + lengths of earlier parts.
    before = torch.cumsum(lengths, 0) - lengths
    dests = []
    for k, p in enumerate(parts):
        rowids = _rowids(p._row_splits).to(torch.int64)
        pos = torch.arange(rowids.shape[0]) - p._row_splits[:-1].to(torch.int64)[rowids]
        dests.append(splits[:-1][rowids] + before[k][rowids] + pos)
    dest = torch.cat(dests)
    # The inverse permutation: output slot -> position in the concatenated values.
    order = torch.empty_like(dest)
    order[dest] = torch.arange(dest.shape[0])
    values = _take(_concat_values([p._values for p in parts]), order)
    return RaggedTensor(values, splits.to(parts[0]._row_splits.dtype), internal=True)


def as_ragged(value, ragged_rank: int = 1) -> RaggedTensor:
    if isinstance(value, RaggedTensor):
        return value
    from tork._backend.tensor import convert_to_tensor

    dense = value if isinstance(value, (torch.Tensor, StringTensor)) else convert_to_tensor(value)
    return RaggedTensor.from_tensor(dense)


def concat(values, axis) -> RaggedTensor:
    """`tf.concat` of RaggedTensors (and dense tensors) along `axis`."""
    parts = list(values)
    rank = max(p.ndim for p in parts if isinstance(p, RaggedTensor))
    axis = int(axis)
    if axis < 0:
        axis += rank
    ragged = [as_ragged(p) for p in parts]
    if axis == 0:
        return _concat_rows(ragged)
    if axis == 1:
        counts = {p.nrows_int() for p in ragged}
        if len(counts) != 1:
            raise ValueError(
                f"concat: RaggedTensors joined along axis 1 need the same number of rows, got "
                f"{[p.nrows_int() for p in ragged]}."
            )
        return _interleave_rows(ragged)
    return _join_below_rows(ragged, axis, "concat")


def _join_below_rows(parts: list, axis: int, op: str) -> RaggedTensor:
    """`tf.concat`/`tf.stack` along an axis >= 2: the parts' rows line up (same row
    splits), so the join happens inside the values, one axis lower."""
    splits = parts[0]._row_splits.to(torch.int64)
    for p in parts[1:]:
        if not torch.equal(p._row_splits.to(torch.int64), splits):
            raise InvalidArgumentError(
                f"{op}: RaggedTensors joined along axis {axis} need identical row splits in "
                f"their outer dimensions (the same row lengths)."
            )
    inner = [p._values for p in parts]
    if all(isinstance(v, RaggedTensor) for v in inner):
        values = (concat if op == "concat" else stack)(inner, axis - 1)
    elif all(isinstance(v, torch.Tensor) for v in inner):
        values = (torch.cat if op == "concat" else torch.stack)(inner, dim=axis - 1)
    else:
        raise NotImplementedError(
            f"tork: tf.{op} of RaggedTensors along axis {axis} with mixed or string values."
        )
    return parts[0].with_values(values)


def stack(values, axis=0) -> RaggedTensor:
    """`tf.stack` of RaggedTensors (and dense tensors) along `axis`."""
    parts = [as_ragged(p) for p in values]
    axis = int(axis)
    if axis < 0:
        axis += parts[0].ndim + 1
    if axis == 0:
        joined = _concat_rows(parts)
        counts = torch.tensor([p.nrows_int() for p in parts], dtype=joined._row_splits.dtype)
        return RaggedTensor(joined, _lengths_to_splits(counts), internal=True)
    if axis == 1:
        nrows = {p.nrows_int() for p in parts}
        if len(nrows) != 1:
            raise ValueError(
                f"stack: RaggedTensors stacked on axis 1 need the same number of rows, got "
                f"{[p.nrows_int() for p in parts]}."
            )
        rows, k = nrows.pop(), len(parts)
        joined = _concat_rows(parts)
        # Output row r holds row r of each part: joined rows k'*rows + r.
        order = (torch.arange(k)[None, :] * rows + torch.arange(rows)[:, None]).reshape(-1)
        inner = joined._take_rows(order)
        splits = torch.arange(rows + 1, dtype=joined._row_splits.dtype) * k
        return RaggedTensor(inner, splits, internal=True)
    return _join_below_rows(parts, axis, "stack")


def gather(
    params: RaggedTensor, indices, validate_indices=None, axis=None, batch_dims: int = 0, name=None
) -> RaggedTensor:
    """`tf.gather` of the rows of a RaggedTensor (`indices` may be ragged too).

    With `batch_dims=1` each row of `params` is gathered by the same row of `indices`
    (`out[b] = gather(params[b], indices[b])`), as graph libraries gather node features by
    per-graph edge indices.
    """
    del validate_indices, name
    if axis is not None and int(axis) < 0:
        rank = params.shape.rank if isinstance(params, RaggedTensor) else np.ndim(params)
        axis = int(axis) + rank
    if int(batch_dims) == 1 and axis in (None, 1):
        return _gather_batched(params, indices)
    if axis not in (None, 0) or batch_dims:
        raise NotImplementedError(
            f"tork: tf.gather on a RaggedTensor gathers rows (axis=0), or each row's items "
            f"with batch_dims=1 (axis=1); got axis={axis}, batch_dims={batch_dims}."
        )
    from tork._backend.tensor import convert_to_tensor

    if isinstance(indices, RaggedTensor):
        return indices.with_flat_values(gather(params, indices.flat_values))
    index = indices if isinstance(indices, torch.Tensor) else convert_to_tensor(indices)
    index = index.to(torch.int64).cpu()
    rows = params.nrows_int()
    if index.numel() and (bool((index < 0).any()) or bool((index >= rows).any())):
        raise InvalidArgumentError(
            f"gather: indices {_head(index.reshape(-1))} are out of range for a RaggedTensor with {rows} rows."
        )
    if index.dim() == 0:
        return params._row(int(index))
    if index.dim() == 1:
        return params._take_rows(index)
    flat = params._take_rows(index.reshape(-1))
    for size in reversed(index.shape[1:]):
        flat = RaggedTensor.from_uniform_row_length(flat, int(size))
    return flat


def _gather_batched(params, indices):
    """`tf.gather(params, indices, batch_dims=1)` where `params` or `indices` is ragged.

    Each index is shifted by the start of its batch row in `params.values`, so one gather on
    the values does every row at once; the result keeps the structure of `indices` (ragged
    when they are, dense for dense indices into dense values), as TF.
    """
    from tork._backend.tensor import convert_to_tensor

    if not isinstance(params, RaggedTensor):
        params = RaggedTensor.from_tensor(convert_to_tensor(params), ragged_rank=1)
    if isinstance(indices, RaggedTensor):
        flat = indices.flat_values
        rows = indices.value_rowids()
        inner = indices.values
        while isinstance(inner, RaggedTensor):  # the batch row of every flat index
            rows = rows[inner.value_rowids()]
            inner = inner.values
    else:
        flat = indices if isinstance(indices, torch.Tensor) else convert_to_tensor(indices)
        if flat.dim() == 0 or flat.shape[0] != params.nrows_int():
            raise InvalidArgumentError(
                f"gather: with batch_dims=1 indices need one row per row of params "
                f"({params.nrows_int()}), got indices of shape {tuple(flat.shape)}."
            )
        rows = torch.arange(flat.shape[0])
    flat = flat.to(torch.int64).cpu()
    splits = params._row_splits.to(torch.int64).cpu()
    rows = rows.to(torch.int64).cpu()
    if flat.dim() == 1 or isinstance(indices, RaggedTensor):
        start = splits[rows].reshape(rows.shape + (1,) * (flat.dim() - rows.dim()))
    else:
        start = splits[:-1].reshape((-1,) + (1,) * (flat.dim() - 1))
    length = (splits[1:] - splits[:-1])[rows].reshape(start.shape)
    bad = (flat < 0) | (flat >= length)
    if bool(bad.any()):
        raise InvalidArgumentError(
            f"gather: with batch_dims=1 each index must be within its own row of params; "
            f"indices {_head(flat[bad])} are out of range for rows of lengths "
            f"{_head(length.expand_as(flat)[bad])}."
        )
    shifted = flat + start
    values = params._values
    if isinstance(values, RaggedTensor):
        picked = gather(values, shifted)
    elif isinstance(values, StringTensor):
        picked = string_tensor.wrap(np.asarray(values)[shifted.numpy()])
    else:
        picked = values[shifted.to(values.device)]
    if isinstance(indices, RaggedTensor):
        return indices.with_flat_values(picked)
    return picked


def tile(rt: RaggedTensor, multiples) -> RaggedTensor:
    """`tf.tile` of a RaggedTensor: each row repeats its own items `multiples[1]` times (so
    ragged rows stay ragged), the rows repeat `multiples[0]` times, inner axes tile as usual."""
    from tork._backend.tensor import convert_to_tensor

    reps = [int(m) for m in convert_to_tensor(multiples).reshape(-1).tolist()]
    rank = rt.shape.rank
    if len(reps) != rank:
        raise ValueError(
            f"tile: multiples {reps} must have one entry per dimension of the RaggedTensor of "
            f"shape {rt.shape} (rank {rank})."
        )
    if any(m < 0 for m in reps):
        raise InvalidArgumentError(f"tile: multiples must be non-negative, got {reps}.")
    values = rt.values
    inner = [1] + reps[2:]
    if any(m != 1 for m in inner):
        if isinstance(values, RaggedTensor):
            values = tile(values, inner)
        elif isinstance(values, StringTensor):
            values = string_tensor.wrap(np.tile(np.asarray(values), inner))
        else:
            values = values.repeat(inner)
    splits = rt.row_splits
    if reps[1] != 1:
        lengths = splits[1:] - splits[:-1]
        new_splits = _lengths_to_splits(lengths * reps[1])
        row = _rowids(new_splits)
        position = torch.arange(row.shape[0], dtype=splits.dtype) - new_splits[row]
        # Item j of an output row is item j mod length of the input row.
        index = splits[row] + position % lengths[row].clamp(min=1)
        values = _take(values, index.to(torch.int64))
        splits = new_splits
    out = RaggedTensor.from_row_splits(values, splits, validate=False)
    if reps[0] != 1:
        out = out._take_rows(torch.arange(out.nrows_int(), dtype=torch.int64).repeat(reps[0]))
    return out


def reverse(rt: RaggedTensor, axis) -> RaggedTensor:
    """`tf.reverse` of a RaggedTensor: axis 0 reverses the row order, axis 1 each row's items
    (rows keep their lengths), deeper axes the values'."""
    from tork._backend.tensor import convert_to_tensor

    rank = rt.shape.rank
    axes = sorted({a + rank if a < 0 else a for a in convert_to_tensor(axis).reshape(-1).tolist()})
    if any(a < 0 or a >= rank for a in axes):
        raise ValueError(f"reverse: axis {axes} is out of range for a RaggedTensor of rank {rank}.")
    values, splits = rt.values, rt.row_splits
    inner = [a - 1 for a in axes if a >= 2]
    if inner:
        if isinstance(values, RaggedTensor):
            values = reverse(values, inner)
        elif isinstance(values, StringTensor):
            values = string_tensor.wrap(np.flip(np.asarray(values), axis=tuple(inner)).copy())
        else:
            values = torch.flip(values, inner)
    if 1 in axes:
        row = _rowids(splits)
        # Item i of row r moves to start + limit - 1 - i.
        index = (
            splits[:-1][row] + splits[1:][row] - 1 - torch.arange(row.shape[0], dtype=splits.dtype)
        )
        values = _take(values, index.to(torch.int64))
    out = RaggedTensor.from_row_splits(values, splits, validate=False)
    if 0 in axes:
        out = out._take_rows(torch.arange(out.nrows_int() - 1, -1, -1, dtype=torch.int64))
    return out


def expand_dims(rt: RaggedTensor, axis) -> RaggedTensor:
    """`tf.expand_dims` of a RaggedTensor: a new uniform axis of size 1 at `axis`."""
    rank = rt.shape.rank
    axis = int(axis)
    if axis < -rank - 1 or axis > rank:
        raise ValueError(
            f"expand_dims: axis {axis} is out of range for a RaggedTensor of rank {rank} "
            f"(it takes -{rank + 1} to {rank})."
        )
    if axis < 0:
        axis += rank + 1
    if axis == 0:
        return RaggedTensor.from_uniform_row_length(rt, rt.nrows_int(), nrows=1)
    if axis == 1:
        return RaggedTensor.from_uniform_row_length(rt, 1)
    values = rt.values
    if isinstance(values, RaggedTensor):
        values = expand_dims(values, axis - 1)
    elif isinstance(values, StringTensor):
        values = string_tensor.wrap(np.expand_dims(np.asarray(values), axis - 1))
    else:
        values = values.unsqueeze(axis - 1)
    return RaggedTensor.from_row_splits(values, rt.row_splits, validate=False)


def size(rt: RaggedTensor, out_type=torch.int32) -> torch.Tensor:
    """`tf.size` of a RaggedTensor: its number of values (padding not counted)."""
    from tork._backend.dtypes import as_dtype

    return torch.tensor(_numel(rt.flat_values), dtype=as_dtype(out_type))


def _numel(values) -> int:
    count = 1
    for d in values.shape:
        count *= int(d)
    return count


def _where_handler(fn):
    def handler(condition, x=None, y=None, name=None):
        return where(fn, condition, x, y)

    return handler


def where(fn, condition: RaggedTensor, x=None, y=None):
    """`tf.where` with a ragged `condition`: the coordinates of its True values, or `x`/`y`
    picked per value (`x` and `y` ragged with `condition`'s row partitions, or scalars);
    `fn` is the dense `tf.where`."""
    if x is None and y is None:
        # Each True value's coordinates: its (row, position...) in the bounding shape.
        sparse = condition.to_sparse()
        return sparse.indices[sparse.values.to(torch.bool).cpu()]
    if x is None or y is None:
        raise ValueError("where: pass both x and y, or neither.")
    picked = []
    for name, value in (("x", x), ("y", y)):
        if isinstance(value, RaggedTensor):
            if not _same_partitions(condition, value):
                raise ValueError(
                    f"where: {name} must have the same row partitions as the ragged condition "
                    f"(shapes {condition.shape} and {value.shape})."
                )
            value = value.flat_values
        elif getattr(value, "ndim", 0) != 0:
            raise NotImplementedError(
                f"tork: tf.where with a ragged condition takes a RaggedTensor or a scalar as "
                f"{name}, got a dense tensor of shape {tuple(value.shape)}."
            )
        picked.append(value)
    return condition.with_flat_values(fn(condition.flat_values, *picked))


def add_n(inputs) -> RaggedTensor:
    """`tf.math.add_n` of RaggedTensors with the same row partitions."""
    parts = list(inputs)
    first = parts[0]
    for part in parts[1:]:
        if not isinstance(part, RaggedTensor) or not _same_partitions(first, part):
            raise ValueError(
                "add_n: the inputs must all be RaggedTensors with the same row partitions, got "
                f"shapes {[tuple(p.shape) for p in parts]}."
            )
    total = first.flat_values
    for part in parts[1:]:
        total = total + part.flat_values
    return first.with_flat_values(total)


def split(rt: RaggedTensor, num_or_size_splits, axis=0, num=None) -> list:
    """`tf.split` of a RaggedTensor into groups of rows (axis 0)."""
    if int(axis) != 0:
        raise NotImplementedError("tork: tf.split of a RaggedTensor splits its rows (axis=0) only.")
    rows = rt.nrows_int()
    if isinstance(num_or_size_splits, int) or getattr(num_or_size_splits, "ndim", 1) == 0:
        count = int(num_or_size_splits)
        if count <= 0 or rows % count:
            raise ValueError(
                f"split: a RaggedTensor with {rows} rows cannot be split into {count} equal parts."
            )
        sizes = [rows // count] * count
    else:
        sizes = [int(v) for v in num_or_size_splits]
        if sum(sizes) != rows:
            raise ValueError(f"split: sizes {sizes} do not add up to the {rows} rows.")
    out, start = [], 0
    for size in sizes:
        out.append(rt._row_range(start, start + size))
        start += size
    return out


def dynamic_partition(rt: RaggedTensor, partitions, num_partitions) -> list:
    """`tf.dynamic_partition` of the rows of a RaggedTensor (one partition id per row)."""
    from tork._backend.tensor import convert_to_tensor

    ids = convert_to_tensor(partitions).reshape(-1).to(torch.int64).cpu()
    if ids.shape[0] != rt.nrows_int():
        raise ValueError(
            f"dynamic_partition: partitions has {ids.shape[0]} ids for a RaggedTensor with "
            f"{rt.nrows_int()} rows; pass one id per row."
        )
    return [rt._take_rows(torch.nonzero(ids == p).reshape(-1)) for p in range(int(num_partitions))]


# ---------------------------------------------------------------- reductions


def _segment_reduce(values: torch.Tensor, ids: torch.Tensor, count: int, kind: str) -> torch.Tensor:
    """Reduces `values` (n, ...) into `count` segments by `ids` (n,), empty segments
    taking the reduction's identity (TF's lowest/highest value for max/min)."""
    shape = (count,) + tuple(values.shape[1:])
    index = ids.to(values.device)
    if values.dtype == torch.bool:
        # An empty segment gives the int32 extreme: negative for max (any -> False),
        # positive for min (all -> True), as TensorFlow's identities.
        return _segment_reduce(values.to(torch.int32), ids, count, kind) > 0
    if kind == "sum":
        dtype = values.dtype
        return torch.zeros(shape, dtype=dtype, device=values.device).index_add_(0, index, values)
    if kind == "prod":
        out = torch.ones(shape, dtype=values.dtype, device=values.device)
        expanded = index.reshape((-1,) + (1,) * (values.dim() - 1)).expand_as(values)
        return out.scatter_reduce_(0, expanded, values, reduce="prod", include_self=True)
    lowest = kind == "max"
    # TF fills an empty row with the dtype's lowest (highest) finite value, not -inf (inf).
    info = torch.finfo(values.dtype) if values.is_floating_point() else torch.iinfo(values.dtype)
    fill = info.min if lowest else info.max
    out = torch.full(shape, fill, dtype=values.dtype, device=values.device)
    expanded = index.reshape((-1,) + (1,) * (values.dim() - 1)).expand_as(values)
    return out.scatter_reduce_(
        0, expanded, values, reduce="amax" if lowest else "amin", include_self=True
    )


_REDUCTIONS = {
    "reduce_sum": "sum",
    "reduce_prod": "prod",
    "reduce_max": "max",
    "reduce_min": "min",
    "reduce_any": "max",
    "reduce_all": "min",
}


def reduce(kind: str, fn, rt: RaggedTensor, axis=None, keepdims: bool = False):
    """A `tf.reduce_*` over a RaggedTensor. `fn` is the dense op (for what is left once
    the ragged dimensions are reduced)."""
    rank = rt.ndim
    if axis is None:
        axes = list(range(rank))
    elif isinstance(axis, (list, tuple)) or (isinstance(axis, torch.Tensor) and axis.dim()):
        axes = [
            rt._axis(int(a)) for a in (axis.tolist() if isinstance(axis, torch.Tensor) else axis)
        ]
    else:
        axes = [rt._axis(int(axis))]
    axes = sorted(set(axes))
    if kind == "mean":
        total = reduce("sum", _math("reduce_sum"), rt, axes, keepdims)
        ones = rt.with_flat_values(torch.ones_like(rt.flat_values, dtype=torch.int64))
        count = reduce("sum", _math("reduce_sum"), ones, axes, keepdims)
        return _math("truediv")(total, count)
    if not axes:
        return rt
    if axes == list(range(rank)):
        out = fn(rt.flat_values)
        return out.reshape((1,) * rank) if keepdims else out
    # One axis at a time, innermost first: each step leaves a RaggedTensor or a tensor.
    result = rt
    for ax in reversed(axes):
        result = (
            _reduce_one(kind, fn, result, ax)
            if isinstance(result, RaggedTensor)
            else fn(result, axis=ax)
        )
    if keepdims:
        if isinstance(result, RaggedTensor):
            raise NotImplementedError(
                "tork: keepdims=True in a reduction of a RaggedTensor that stays ragged."
            )
        for ax in axes:
            result = result.unsqueeze(ax)
    return result


def _reduce_one(kind: str, fn, rt: RaggedTensor, axis: int):
    ragged_rank = rt.ragged_rank
    if axis > ragged_rank:  # a uniform inner dimension of the flat values
        return rt.with_flat_values(fn(rt.flat_values, axis=axis - ragged_rank))
    if axis == ragged_rank:  # the innermost ragged dimension: one value per row
        parents = []
        node = rt
        while isinstance(node._values, RaggedTensor):
            parents.append(node)
            node = node._values
        ids = _rowids(node._row_splits).to(torch.int64)
        reduced = _segment_reduce(node._values, ids, node.nrows_int(), kind)
        # The ragged levels above the reduced one keep their partitions.
        for parent in reversed(parents):
            reduced = parent.with_values(reduced)
        return reduced
    if axis == 0 and ragged_rank == 1:
        # Column j of the result reduces value j of every row.
        ids = _rowids(rt._row_splits).to(torch.int64)
        pos = torch.arange(ids.shape[0]) - rt._row_splits[:-1].to(torch.int64)[ids]
        width = int(pos.max()) + 1 if pos.numel() else 0
        return _segment_reduce(rt._values, pos, width, kind)
    return _reduce_outer(kind, rt, axis)


def _reduce_outer(kind: str, rt: RaggedTensor, axis: int) -> RaggedTensor:
    """Reduces a ragged axis that has ragged axes below it (`axis < ragged_rank`).

    Items below the reduced axis merge when they sit at the same positions: row `i`'s
    items `rt[i, 0, j, ...]`, `rt[i, 1, j, ...]`... reduce into one (TF pads the
    shorter rows with the reduction's identity). Each level below gets new item ids,
    `(new parent id, position in its row)` made unique; the flat values are then
    reduced by segment.
    """
    splits = [t.to(torch.int64) for t in rt.nested_row_splits]
    depth = len(splits)
    parents = [None] + [_rowids(t).to(torch.int64) for t in splits]
    positions = [None] + [
        torch.arange(parents[j].shape[0]) - splits[j - 1][parents[j]] for j in range(1, depth + 1)
    ]
    if axis == 0:
        group = torch.zeros(parents[1].shape[0], dtype=torch.int64)
        groups = 1
    else:  # the items of level axis - 1 stay: group by grandparent
        group = parents[axis][parents[axis + 1]]
        groups = int(splits[axis - 2][-1]) if axis > 1 else rt.nrows_int()
    lengths = []
    for level in range(axis + 1, depth + 1):
        if level > axis + 1:
            group = group[parents[level]]  # each item in its parent's new group
        position = positions[level]
        width = int(position.max()) + 1 if position.numel() else 1
        keys, group = torch.unique(group * width + position, sorted=True, return_inverse=True)
        lengths.append(torch.bincount(keys // width, minlength=groups))
        groups = int(keys.shape[0])
    values = _segment_reduce(rt.flat_values, group, groups, kind)
    kept = [t[1:] - t[:-1] for t in splits[: max(axis - 1, 0)]]
    nested = lengths[1:] if axis == 0 else kept + lengths
    return RaggedTensor.from_nested_row_lengths(values, nested, validate=False)


def softmax(rt: RaggedTensor, axis=-1, log: bool = False, fn=None) -> RaggedTensor:
    """`tf.nn.softmax` (or `log_softmax` with `log=True`) of a RaggedTensor along `axis`.

    Along the innermost ragged axis each row is normalized over its own values (an empty
    row stays empty); along a uniform inner axis the flat values are normalized. `fn`,
    the dense op, handles the flat values and reports a non-float dtype.

    Raises:
        InvalidArgumentError: for an outer ragged axis (TensorFlow fails there too, as the
            sums over such an axis do not broadcast back to the rows).
    """
    axes = axis if isinstance(axis, (list, tuple)) else [-1 if axis is None else axis]
    axes = sorted({rt._axis(int(a)) for a in axes})
    ragged_rank = rt.ragged_rank
    flat = rt.flat_values
    if axes[0] > ragged_rank:  # uniform inner axes only: the flat values hold whole slices
        shifted = [a - ragged_rank for a in axes]
        if len(shifted) == 1:
            if fn is not None:
                return rt.with_flat_values(fn(flat, shifted[0]))
            op = torch.log_softmax if log else torch.softmax
            return rt.with_flat_values(op(flat, dim=shifted[0]))
        if log:
            return rt.with_flat_values(flat - torch.logsumexp(flat, dim=shifted, keepdim=True))
        return rt.with_flat_values(
            torch.exp(flat - torch.logsumexp(flat, dim=shifted, keepdim=True))
        )
    if axes != [ragged_rank]:
        raise InvalidArgumentError(
            f"{'log_softmax' if log else 'softmax'} of a RaggedTensor of shape {rt.shape} "
            f"(ragged_rank {ragged_rank}) along axis {axis}: only the innermost ragged axis "
            f"({ragged_rank}) or uniform inner axes (> {ragged_rank}) can be normalized, "
            "as rows of different lengths do not line up along an outer axis. Call "
            ".to_tensor() first to normalize a padded tensor."
        )
    if not flat.is_floating_point():
        if fn is not None:
            fn(flat)  # the dense op's dtype error
        from tork._backend.dtypes import dtype_name

        raise TypeError(
            f"softmax expects a floating point RaggedTensor, got {dtype_name(rt.dtype)}. "
            "Cast it first, e.g. tf.cast(x, tf.float32)."
        )
    ids = _rowids(rt.nested_row_splits[-1]).to(device=flat.device, dtype=torch.int64)
    count = int(rt.nested_row_splits[-1].shape[0]) - 1
    # Each row is shifted by its maximum first, so large logits do not overflow exp.
    peak = _segment_reduce(flat.detach(), ids, count, "max")
    shifted = flat - peak[ids]
    exp = torch.exp(shifted)
    total = torch.zeros((count,) + tuple(flat.shape[1:]), dtype=flat.dtype, device=flat.device)
    total = total.index_add(0, ids, exp)[ids]
    return rt.with_flat_values(shifted - torch.log(total) if log else exp / total)


def spread(fn, rt: RaggedTensor, axis=None, keepdims: bool = False, std: bool = False):
    """`tf.math.reduce_variance` (or `reduce_std`) of a RaggedTensor: the mean squared
    deviation from the mean over `axis`, each row over its own values. `fn` is the dense op
    (it reports a non-float dtype)."""
    flat = rt.flat_values
    if flat.dtype == torch.bool or not isinstance(flat, torch.Tensor):
        fn(flat)  # the dense op's dtype error
    if not (flat.is_floating_point() or flat.is_complex()):
        # TF's ragged version (unlike its dense one) takes integers, as truediv does:
        # int32/int64 in float64, smaller integers in float32.
        flat = flat.to(torch.float64 if flat.dtype in (torch.int32, torch.int64) else torch.float32)
        rt = rt.with_flat_values(flat)
    if axis is None:
        result = fn(flat)
        return result.reshape((1,) * rt.ndim) if keepdims else result
    try:
        # Deviations from each group's own mean: the mean broadcasts back over its group.
        mean = reduce("mean", None, rt, axis, keepdims=True)
        centered = rt - mean
    except (NotImplementedError, ValueError):
        centered = None
    if centered is not None:
        deviation = centered.flat_values
        squares = centered.with_flat_values(
            (deviation * deviation.conj()).real if deviation.is_complex() else deviation**2
        )
        variance = reduce("mean", None, squares, axis, keepdims)
    else:
        # The mean stays ragged (an outer axis): E[x^2] - E[x]^2, clipped at 0.
        mean = reduce("mean", None, rt, axis, keepdims)
        second = reduce("mean", None, rt.with_flat_values(flat * flat), axis, keepdims)
        variance = _math("maximum")(second - mean * mean, 0.0)
    if not std:
        return variance
    if isinstance(variance, RaggedTensor):
        return variance.with_flat_values(torch.sqrt(variance.flat_values))
    return torch.sqrt(variance)


def logsumexp(fn, rt: RaggedTensor, axis=None, keepdims: bool = False):
    """`tf.math.reduce_logsumexp` of a RaggedTensor over `axis`, each row over its own
    values; an empty row gives -inf. The group's largest value is taken out before
    exponentiating, as the dense op does. `fn` is the dense op (it reports a bad dtype)."""
    flat = rt.flat_values
    if not isinstance(flat, torch.Tensor) or not (flat.is_floating_point() or flat.is_complex()):
        fn(flat)  # the dense op's dtype error
    if axis is None:
        result = fn(flat)
        return result.reshape((1,) * rt.ndim) if keepdims else result
    reduce_max = _math("reduce_max")

    def finite(peak):
        return torch.where(torch.isfinite(peak), peak, 0)

    try:
        # The peak broadcasts back over its group (kept dims).
        shift = finite(reduce("max", reduce_max, rt, axis, keepdims=True))
    except NotImplementedError as err:
        # TF fails here too: its peak stays ragged and cannot broadcast back.
        raise NotImplementedError(
            f"tork: tf.math.reduce_logsumexp of a RaggedTensor of shape {rt.shape} over "
            f"axis={axis} would stay ragged; reduce so that the result is dense (for "
            f"example over every ragged axis), or apply it to rt.to_tensor() with -inf "
            f"padding."
        ) from err
    shifted = rt - shift
    exps = shifted.with_flat_values(torch.exp(shifted.flat_values))
    total = _math("log")(reduce("sum", _math("reduce_sum"), exps, axis, keepdims))
    return total + finite(reduce("max", reduce_max, rt, axis, keepdims))


def _logsumexp_handler(fn):
    def handler(input_tensor, axis=None, keepdims=False, name=None):
        return logsumexp(fn, input_tensor, axis, keepdims)

    return handler


def _spread_handler(fn, std: bool):
    def handler(input_tensor, axis=None, keepdims=False, name=None):
        return spread(fn, input_tensor, axis, keepdims, std)

    return handler


def cumsum(fn, rt: RaggedTensor, axis=0, exclusive=False, reverse=False):
    """`tf.math.cumsum` of a RaggedTensor along `axis`: along a ragged axis each row (or,
    for axis 0, each column, over the rows that reach it) is summed on its own, as TF
    does. `fn` is the dense op."""
    axis = rt._axis(int(axis.item() if isinstance(axis, torch.Tensor) else axis))
    values = rt.values
    if axis >= 2:  # inside each item of axis 1: the values hold whole slices
        if isinstance(values, RaggedTensor):
            return rt.with_values(cumsum(fn, values, axis - 1, exclusive, reverse))
        return rt.with_values(fn(values, axis - 1, exclusive, reverse))
    if isinstance(values, RaggedTensor):
        raise NotImplementedError(
            f"tork: tf.math.cumsum of a RaggedTensor of ragged_rank {rt.ragged_rank} along "
            f"axis {axis}; only the innermost ragged axis and the axes below it are supported."
        )
    # Laid out padded (zeros add nothing), summed densely, and read back at the values.
    rows = _rowids(rt.row_splits).to(device=values.device, dtype=torch.int64)
    position = (
        torch.arange(values.shape[0], device=values.device)
        - rt.row_splits.to(device=values.device, dtype=torch.int64)[rows]
    )
    width = int(position.max()) + 1 if position.numel() else 0
    padded = values.new_zeros((rt.nrows_int(), width) + tuple(values.shape[1:]))
    padded = padded.index_put((rows, position), values)
    return rt.with_values(fn(padded, axis, exclusive, reverse)[rows, position])


def _cumsum_handler(fn):
    def handler(x, axis=0, exclusive=False, reverse=False, name=None):
        return cumsum(fn, x, axis, exclusive, reverse)

    return handler


def gather_nd(fn, params, indices, batch_dims: int = 0):
    """`tf.gather_nd` with a RaggedTensor `params` and/or `indices` (TF's ragged version):
    each index row picks a value (a full index) or a row, slice by slice. `fn` is the
    dense op."""
    from tork._backend.tensor import convert_to_tensor

    if batch_dims:
        raise ValueError("batch_dims != 0 is not supported for ragged gather yet.")
    if isinstance(indices, RaggedTensor):
        # The index rows are the flat values: gathered, then given the indices' rows.
        picked = (
            gather_nd(fn, params, indices.flat_values)
            if isinstance(params, RaggedTensor)
            else fn(params, indices.flat_values)
        )
        return RaggedTensor.from_nested_row_splits(
            picked, indices.nested_row_splits, validate=False
        )
    index = indices if isinstance(indices, torch.Tensor) else convert_to_tensor(indices)
    outer = tuple(index.shape[:-1])
    rows = index.reshape(-1, index.shape[-1]).tolist() if index.dim() else []
    items = []
    for row in rows:
        try:
            items.append(params[tuple(row)])
        except (IndexError, ValueError, InvalidArgumentError) as error:
            raise InvalidArgumentError(
                f"tf.gather_nd: index {row} is out of range for a RaggedTensor of shape "
                f"{params.shape}."
            ) from error
    if not items:
        return params.flat_values[:0].reshape(outer + tuple(params.flat_values.shape[1:]))
    dense = all(isinstance(i, torch.Tensor) for i in items)
    # Items that still hold a ragged dimension (a row) stack into a RaggedTensor, even when
    # the picked rows happen to have one length.
    if dense and index.shape[-1] > params.ragged_rank:
        stacked = torch.stack(items)
        return stacked.reshape(outer + tuple(stacked.shape[1:]))
    if all(isinstance(i, RaggedTensor) for i in items):
        result = stack(items, axis=0)
    elif dense and all(i.dim() >= 1 for i in items):
        lengths = torch.tensor([int(i.shape[0]) for i in items], dtype=torch.int64)
        result = RaggedTensor.from_row_lengths(_concat_values(items), lengths, validate=False)
    else:
        raise NotImplementedError(
            f"tork: tf.gather_nd of a RaggedTensor of shape {params.shape} with indices of "
            f"shape {tuple(index.shape)}."
        )
    # The outer index dimensions, innermost first, as uniform partitions.
    for level in range(len(outer) - 1, 0, -1):
        result = RaggedTensor.from_uniform_row_length(
            result, outer[level], nrows=int(np.prod(outer[:level]))
        )
    return result


def _gather_nd_handler(fn):
    def handler(params, indices, batch_dims=0, name=None):
        return gather_nd(fn, params, indices, batch_dims)

    return handler


def _softmax_handler(fn, log: bool):
    def handler(logits, axis=None, name=None):
        return softmax(logits, axis, log, fn)

    return handler


# ---------------------------------------------------------------- dispatch


def _unary_handler(fn):
    def handler(x, *args, **kwargs):
        return x.with_flat_values(fn(x.flat_values, *args, **kwargs))

    return handler


def _binary_handler(fn, opname):
    def handler(x, y, *args, **kwargs):
        return ragged_binary(lambda a, b: fn(a, b, *args, **kwargs), x, y, opname)

    return handler


def _reduce_handler(fn, opname):
    kind = {"reduce_mean": "mean"}.get(opname) or _REDUCTIONS[opname]

    def handler(input_tensor, axis=None, keepdims=False, name=None):
        return reduce(kind, fn, input_tensor, axis, keepdims)

    return handler


def squeeze(fn, rt: RaggedTensor, axis=None):
    """`tf.squeeze` of a RaggedTensor: the listed axes, which must have size 1 (a ragged
    axis: every row of length 1). `fn` is the dense op."""
    if axis is None:
        raise ValueError("Ragged.squeeze must have an axis argument.")
    axes = axis.tolist() if isinstance(axis, torch.Tensor) else axis
    axes = axes if isinstance(axes, (list, tuple)) else [axes]
    result = rt
    # Innermost first, so that the outer axes keep their numbers.
    for ax in sorted({rt._axis(int(a)) for a in axes}, reverse=True):
        result = (
            _squeeze_one(fn, result, ax) if isinstance(result, RaggedTensor) else fn(result, ax)
        )
    return result


def _not_squeezable(axis: int) -> InvalidArgumentError:
    return InvalidArgumentError(f"the given axis (axis = {axis}) is not squeezable!")


def _squeeze_one(fn, rt: RaggedTensor, axis: int):
    ragged_rank = rt.ragged_rank
    if axis > ragged_rank:  # a uniform inner dimension of the flat values
        flat = rt.flat_values
        if flat.shape[axis - ragged_rank] != 1:
            raise _not_squeezable(axis)
        return rt.with_flat_values(fn(flat, axis - ragged_rank))
    if axis == 0:
        if rt.nrows_int() != 1:
            raise _not_squeezable(axis)
        return rt[0]
    splits = list(rt.nested_row_splits)
    lengths = splits[axis - 1][1:] - splits[axis - 1][:-1]
    if bool((lengths != 1).any()):
        raise _not_squeezable(axis)
    # Each item of this axis is its row: the partition goes, the ones below stay valid.
    del splits[axis - 1]
    if not splits:
        return rt.flat_values
    return RaggedTensor.from_nested_row_splits(rt.flat_values, splits, validate=False)


def bincount(
    fn,
    arr: RaggedTensor,
    weights=None,
    minlength=None,
    maxlength=None,
    dtype=torch.int32,
    name=None,
    axis=None,
    binary_output=False,
):
    """`tf.math.bincount` of a RaggedTensor: over all values (axis None or 0), or per row
    (`axis=-1`, a dense `(rows, length)` result). `fn` is the dense op."""
    del name
    if weights is not None:
        if not isinstance(weights, RaggedTensor) or not _same_partitions(arr, weights):
            raise ValueError(
                "tf.math.bincount: weights of a RaggedTensor must be a RaggedTensor with the "
                "same row lengths."
            )
        weights = weights.flat_values
    values = arr.flat_values
    if axis in (None, 0):
        return fn(
            values, weights, minlength, maxlength, dtype, axis=None, binary_output=binary_output
        )
    if axis != -1 or arr.ragged_rank != 1 or values.dim() != 1:
        raise ValueError(
            "tf.math.bincount of a RaggedTensor takes axis=None, 0, or -1 with ragged_rank 1 "
            f"and no inner dimensions; got axis={axis} for shape {arr.shape}."
        )
    if binary_output and weights is not None:
        raise ValueError("Arguments `binary_output` and `weights` are mutually exclusive.")
    values = values.to(torch.int64)
    if values.numel() and int(values.min()) < 0:
        raise InvalidArgumentError("tf.math.bincount: input values must be non-negative.")
    length = int(values.max()) + 1 if values.numel() else 0
    if maxlength is not None:
        length = min(length, int(maxlength))
    if minlength is not None:
        length = max(length, int(minlength))
    rows = arr.nrows_int()
    keep = values < length
    index = (_rowids(arr.row_splits).to(torch.int64) * length + values)[keep]
    if weights is not None:
        add = weights[keep.to(weights.device)]
        out = torch.zeros(rows * length, dtype=add.dtype, device=add.device)
    else:
        from tork._backend.dtypes import as_dtype

        out = torch.zeros(rows * length, dtype=as_dtype(dtype), device=values.device)
        add = torch.ones(index.shape[0], dtype=out.dtype, device=out.device)
    out.index_add_(0, index.to(out.device), add)
    if binary_output:
        out = (out != 0).to(out.dtype)
    return out.reshape(rows, length)


def _list_handler(impl):
    def handler(values, axis=0, name=None):
        return impl(values, axis)

    return handler


_BINARY = frozenset(
    "add subtract multiply truediv divide realdiv floordiv floormod mod truncatediv truncatemod "
    "pow maximum minimum squared_difference equal not_equal greater greater_equal less "
    "less_equal logical_and logical_or logical_xor divide_no_nan multiply_no_nan xdivy xlogy "
    "atan2".split()
)
_UNARY = frozenset(
    "abs negative sign sqrt rsqrt square exp expm1 log log1p sin cos tan asin acos atan sinh "
    "cosh tanh asinh acosh atanh sigmoid log_sigmoid floor ceil round rint reciprocal erf erfc "
    "erfinv lgamma digamma is_nan is_inf is_finite logical_not conj real imag cast "
    "softplus softsign zeros_like ones_like identity clip_by_value one_hot "
    # tf.nn's activations, for a namespace that installs these wrappers too.
    "relu relu6 elu selu gelu leaky_relu silu swish".split()
)
_REDUCE = frozenset(
    "reduce_sum reduce_mean reduce_max reduce_min reduce_prod reduce_any reduce_all".split()
)


def _is_ragged_list(values) -> bool:
    return isinstance(values, (list, tuple)) and any(isinstance(v, RaggedTensor) for v in values)


def install(namespace: dict) -> None:
    """Wraps the ops of a tork namespace (a module's `globals()`) that accept RaggedTensors.

    Each wrapper costs one type check when no RaggedTensor is passed.
    """
    done: dict = {}  # aliases (tf.math.mod is floormod) keep sharing one function
    for name, value in list(namespace.items()):
        if not callable(value) or getattr(value, "__module__", "") != namespace.get("__name__"):
            continue
        if id(value) in done:
            namespace[name] = done[id(value)]
        elif name in _UNARY:
            namespace[name] = _wrap(value, _unary_handler(value))
        elif name in _BINARY:
            namespace[name] = _wrap(value, _binary_handler(value, name), 2)
        elif name in _REDUCE:
            namespace[name] = _wrap(value, _reduce_handler(value, name))
        elif name in ("concat", "stack"):
            handler = _list_handler(concat if name == "concat" else stack)
            namespace[name] = _wrap(value, handler, test=_is_ragged_list)
        elif name == "gather":
            namespace[name] = _wrap(value, _gather_handler(value), 2)
        elif name == "reverse":
            namespace[name] = _wrap(value, lambda tensor, axis, name=None: reverse(tensor, axis))
        elif name == "expand_dims":
            namespace[name] = _wrap(value, lambda input, axis, name=None: expand_dims(input, axis))
        elif name == "size":
            namespace[name] = _wrap(
                value, lambda input, out_type=torch.int32, name=None: size(input, out_type)
            )
        elif name == "rank":
            namespace[name] = _wrap(
                value, lambda input, name=None: torch.tensor(input.shape.rank, dtype=torch.int32)
            )
        elif name == "where":
            namespace[name] = _wrap(value, _where_handler(value))
        elif name == "add_n":
            handler = lambda inputs, name=None: add_n(inputs)  # noqa: E731
            namespace[name] = _wrap(value, handler, test=_is_ragged_list)
        elif name == "split":
            namespace[name] = _wrap(
                value,
                lambda value, num_or_size_splits, axis=0, num=None, name=None: split(
                    value, num_or_size_splits, axis, num
                ),
            )
        elif name == "dynamic_partition":
            namespace[name] = _wrap(
                value,
                lambda data, partitions, num_partitions, name=None: dynamic_partition(
                    data, partitions, num_partitions
                ),
            )
        elif name == "tile":
            namespace[name] = _wrap(
                value, lambda input, multiples, name=None: tile(input, multiples)
            )
        elif name == "squeeze":
            namespace[name] = _wrap(value, functools.partial(_squeeze_handler, value))
        elif name == "bincount":
            namespace[name] = _wrap(value, functools.partial(bincount, value))
        elif name == "shape":  # TF's DynamicRaggedShape
            namespace[name] = _wrap(
                value,
                lambda input, out_type=torch.int32, name=None: (
                    _ragged_shape.DynamicRaggedShape.from_tensor(input, out_type)
                ),
            )
        elif name in _ragged_shape.SHAPE_OPS:  # tf.zeros(tf.shape(rt)) and the like
            namespace[name] = _ragged_shape.wrap_shape_op(value, name)
        elif name == "gather_nd":
            namespace[name] = _wrap(value, _gather_nd_handler(value), 2)
        elif name == "cumsum":
            namespace[name] = _wrap(value, _cumsum_handler(value))
        elif name == "reduce_logsumexp":
            namespace[name] = _wrap(value, _logsumexp_handler(value))
        elif name in ("reduce_variance", "reduce_std"):
            namespace[name] = _wrap(value, _spread_handler(value, name == "reduce_std"))
        elif name in ("softmax", "log_softmax"):
            namespace[name] = _wrap(value, _softmax_handler(value, name == "log_softmax"))
        elif name == "is_tensor":  # TF counts RaggedTensors as tensors
            namespace[name] = _wrap(value, lambda x: True)
        if namespace[name] is not value:
            done[id(value)] = namespace[name]


def _squeeze_handler(fn, input, axis=None, name=None):
    return squeeze(fn, input, axis)


def _is_ragged(value) -> bool:
    return type(value) is RaggedTensor


def _wrap(fn, handler, count: int = 1, test=None):
    """`fn`, calling `handler` instead when one of its first `count` (1 or 2) arguments is a
    RaggedTensor (or passes `test`, for the first argument)."""
    names = tuple(inspect.signature(fn).parameters)[:count]

    def keyword_call(args, kwargs):
        # Leading arguments given by keyword: moved to positions, unless some are missing
        # (then fn reports it).
        missing = names[len(args) :]
        if not all(n in kwargs for n in missing):
            return fn(*args, **kwargs)
        args = args + tuple(kwargs.pop(n) for n in missing)
        return wrapper(*args, **kwargs)

    # The fast paths cost one or two type checks per call. `type(x)`, not `x.__class__`:
    # torch.compile cannot read `__class__` of tork's Variable (a Parameter subclass).
    if test is not None:

        def wrapper(*args, **kwargs):
            if not args:
                return keyword_call(args, kwargs)
            if test(args[0]):
                return handler(*args, **kwargs)
            return fn(*args, **kwargs)

    elif count == 1:

        def wrapper(*args, **kwargs):
            if not args:
                return keyword_call(args, kwargs)
            if type(args[0]) is RaggedTensor:
                return handler(*args, **kwargs)
            return fn(*args, **kwargs)

    else:

        def wrapper(*args, **kwargs):
            if len(args) < 2:
                return keyword_call(args, kwargs)
            if type(args[0]) is RaggedTensor or type(args[1]) is RaggedTensor:
                return handler(*args, **kwargs)
            return fn(*args, **kwargs)

    return functools.wraps(fn)(wrapper)


def _gather_batch_dims(args, kwargs) -> int:
    # tf.gather(params, indices, validate_indices, axis, batch_dims, name)
    if "batch_dims" in kwargs:
        return int(kwargs["batch_dims"])
    return int(args[2]) if len(args) > 2 else 0


def _gather_handler(fn):
    def handler(params, indices, *args, **kwargs):
        if type(params) is RaggedTensor:
            return gather(params, indices, *args, **kwargs)
        if _gather_batch_dims(args, kwargs) == 1:
            return gather(params, indices, *args, **kwargs)
        # Dense rows picked by ragged ids: a RaggedTensor of rows.
        return indices.with_flat_values(fn(params, indices.flat_values, *args, **kwargs))

    return handler


class RaggedTensorSpec:
    """The type of a RaggedTensor: shape, dtype, ragged_rank and row_splits dtype.

    Args:
        shape: the shape (`None` for ragged or unknown dimensions).
        dtype: the dtype of the values (default float32).
        ragged_rank: the number of ragged dimensions (default: rank - 1).
        row_splits_dtype: int64 (default) or int32.
        flat_values_spec: unused, for TensorFlow compatibility.

    Example:
    >>> tf.RaggedTensorSpec([None, None], tf.int32).ragged_rank
    1
    """

    def __init__(
        self,
        shape=None,
        dtype=torch.float32,
        ragged_rank=None,
        row_splits_dtype=torch.int64,
        flat_values_spec=None,
    ):
        from tork._backend.dtypes import as_dtype

        del flat_values_spec
        # Always a TensorShape of its own (a layer's KerasShape also passes isinstance).
        self._shape = TensorShape(shape)
        self._dtype = as_dtype(dtype)
        rank = self._shape.rank
        if ragged_rank is None:
            if rank is None:
                raise ValueError("Must specify ragged_rank or a shape with a known rank.")
            ragged_rank = rank - 1
        self._ragged_rank = int(ragged_rank)
        self._row_splits_dtype = as_dtype(row_splits_dtype)

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    ragged_rank = property(lambda self: self._ragged_rank)
    row_splits_dtype = property(lambda self: self._row_splits_dtype)
    value_type = property(lambda self: RaggedTensor)

    @classmethod
    def from_value(cls, value: RaggedTensor) -> RaggedTensorSpec:
        """The spec of a RaggedTensor."""
        return cls(value.shape, value.dtype, value.ragged_rank, value.row_splits_dtype)

    def is_compatible_with(self, other) -> bool:
        if isinstance(other, RaggedTensor):
            other = RaggedTensorSpec.from_value(other)
        if not isinstance(other, RaggedTensorSpec):
            return False
        return (
            self._dtype == other._dtype
            and self._ragged_rank == other._ragged_rank
            and self._shape.is_compatible_with(other._shape)
        )

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, RaggedTensorSpec)
            and self._shape == other._shape
            and self._dtype == other._dtype
            and self._ragged_rank == other._ragged_rank
            and self._row_splits_dtype == other._row_splits_dtype
        )

    def __hash__(self) -> int:
        return hash((str(self._shape), str(self._dtype), self._ragged_rank))

    def __repr__(self) -> str:
        from tork._backend.dtypes import dtype_name

        return (
            f"RaggedTensorSpec({self._shape!r}, tf.{dtype_name(self._dtype)}, "
            f"{self._ragged_rank}, tf.{dtype_name(self._row_splits_dtype)})"
        )
