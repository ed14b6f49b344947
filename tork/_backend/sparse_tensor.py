"""`tf.SparseTensor`: a tensor stored as (indices, values, dense_shape).

As in TensorFlow, a SparseTensor is three dense tensors: `indices`, an int64
`(nnz, rank)` matrix of coordinates; `values`, the `(nnz,)` values at those
coordinates (numbers as a torch tensor, or a tork string tensor); and
`dense_shape`, the int64 `(rank,)` shape of the dense tensor it stands for.
Coordinates not listed hold zero (or `b""`). Most `tf.sparse` ops expect the
indices in row-major order (what `tf.sparse.reorder` gives).

The class is a plain container: the ops live in `tork/ops/sparse.py`.
"""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.dtypes import as_dtype
from tork._backend.tensor import convert_to_tensor
from tork._backend.tensor_shape import TensorShape


class SparseConversionError(TypeError, ValueError):
    """Raised when a SparseTensor is used where a dense tensor is needed.

    TensorFlow raises a `ValueError` there; Python's convention for a wrong
    argument type is a `TypeError`. This class is both, so either `except` works.
    """


def dtype_name(dtype) -> str:
    return str(dtype).replace("torch.", "")


def tensor_text(tensor) -> str:
    """TensorFlow's `str()` of an eager tensor: `tf.Tensor([1 2], shape=(2,), dtype=int32)`."""
    if isinstance(tensor, string_tensor.StringTensor):
        return str(tensor)
    array = tensor.detach().cpu()
    if array.dtype == torch.bfloat16:
        array = array.float()
    text = np.array2string(array.numpy(), separator=" ")
    if "\n" in text:
        text = "\n" + text
    return f"tf.Tensor({text}, shape={tuple(tensor.shape)}, dtype={dtype_name(tensor.dtype)})"


def _as_int64(value, what: str) -> torch.Tensor:
    if isinstance(value, string_tensor.StringTensor):
        raise TypeError(f"tf.SparseTensor: {what} must hold integers, got a string tensor.")
    tensor = convert_to_tensor(value, dtype_hint=torch.int64)
    if tensor.is_floating_point() or tensor.is_complex():
        raise TypeError(
            f"tf.SparseTensor: {what} must hold integers, got dtype {dtype_name(tensor.dtype)}."
        )
    return tensor.to(torch.int64)


class SparseTensor:
    """A sparse tensor: TensorFlow's `tf.SparseTensor`.

    Args:
        indices: int64 tensor (or nested list) of shape `(N, rank)`: the
            coordinates of the `N` stored values.
        values: tensor of shape `(N,)`: the stored values (numbers or strings).
        dense_shape: int64 tensor of shape `(rank,)`: the shape of the dense
            tensor this sparse tensor stands for.

    Example:
    >>> sp = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])
    >>> sp.shape
    TensorShape([3, 4])
    >>> tf.sparse.to_dense(sp)[1, 2]
    tensor(2.)
    """

    __slots__ = ("_indices", "_values", "_dense_shape")

    def __init__(self, indices, values, dense_shape):
        indices = _as_int64(indices, "indices")
        if isinstance(values, string_tensor.StringTensor) or string_tensor.is_string(values):
            values = string_tensor.make(values, "tf.SparseTensor")
        else:
            values = convert_to_tensor(values)
        dense_shape = _as_int64(dense_shape, "dense_shape")
        if indices.dim() != 2:
            raise ValueError(
                f"tf.SparseTensor: indices must be a matrix of shape (N, rank), got shape "
                f"{tuple(indices.shape)} (Shape {tuple(indices.shape)} must have rank 2). "
                "Give one [i, j, ...] row per value, e.g. [[0, 0], [1, 2]]."
            )
        if values.dim() != 1:
            raise ValueError(
                f"tf.SparseTensor: values must be a vector, got shape {tuple(values.shape)} "
                f"(Shape {tuple(values.shape)} must have rank 1)."
            )
        if dense_shape.dim() != 1:
            raise ValueError(
                f"tf.SparseTensor: dense_shape must be a vector, got shape "
                f"{tuple(dense_shape.shape)} (Shape {tuple(dense_shape.shape)} must have rank 1)."
            )
        if indices.shape[0] != values.shape[0]:
            raise ValueError(
                f"tf.SparseTensor: indices has {indices.shape[0]} rows but values has "
                f"{values.shape[0]} elements (Dimensions {indices.shape[0]} and "
                f"{values.shape[0]} are not compatible); give one index row per value."
            )
        if indices.shape[1] != dense_shape.shape[0]:
            raise ValueError(
                f"tf.SparseTensor: indices have {indices.shape[1]} columns but dense_shape has "
                f"{dense_shape.shape[0]} dimensions (Dimensions {indices.shape[1]} and "
                f"{dense_shape.shape[0]} are not compatible); each index row names one "
                "coordinate per dimension."
            )
        if isinstance(values, torch.Tensor) and indices.device != values.device:
            indices = indices.to(values.device)
        self._indices = indices
        self._values = values
        self._dense_shape = dense_shape

    @classmethod
    def from_value(cls, sparse_tensor_value):
        """A SparseTensor from a SparseTensor or a `SparseTensorValue`-like object."""
        if isinstance(sparse_tensor_value, SparseTensor):
            return cls(
                sparse_tensor_value.indices,
                sparse_tensor_value.values,
                sparse_tensor_value.dense_shape,
            )
        for attr in ("indices", "values", "dense_shape"):
            if not hasattr(sparse_tensor_value, attr):
                raise TypeError(
                    "SparseTensor.from_value: expected a SparseTensor or SparseTensorValue, got "
                    f"{type(sparse_tensor_value).__name__}. Use tf.sparse.from_dense for a "
                    "dense tensor."
                )
        return cls(
            sparse_tensor_value.indices,
            sparse_tensor_value.values,
            sparse_tensor_value.dense_shape,
        )

    @property
    def indices(self) -> torch.Tensor:
        """The int64 `(N, rank)` coordinates of the stored values."""
        return self._indices

    @property
    def values(self):
        """The `(N,)` stored values."""
        return self._values

    @property
    def dense_shape(self) -> torch.Tensor:
        """The int64 `(rank,)` shape of the dense tensor."""
        return self._dense_shape

    @property
    def dtype(self):
        """The dtype of the values."""
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        """The dense shape as a `tf.TensorShape`."""
        return TensorShape([int(d) for d in self._dense_shape.tolist()])

    def get_shape(self) -> TensorShape:
        """The dense shape as a `tf.TensorShape` (same as `.shape`)."""
        return self.shape

    @property
    def device(self):
        return self._indices.device

    def set_shape(self, shape) -> None:
        """Checks that `shape` is compatible with the dense shape (eager tensors keep theirs)."""
        if not self.shape.is_compatible_with(TensorShape(shape)):
            raise ValueError(
                f"SparseTensor.set_shape: shape {TensorShape(shape)} is not compatible with the "
                f"dense shape {self.shape}."
            )

    def with_values(self, new_values) -> SparseTensor:
        """The same indices and dense_shape with other values (one per index)."""
        return SparseTensor(self._indices, new_values, self._dense_shape)

    def _densify_error(self, where: str) -> SparseConversionError:
        return SparseConversionError(
            f"{where}: got a SparseTensor of dense shape {tuple(self.shape)}, but a dense tensor "
            "is needed. Convert it with tf.sparse.to_dense(sp) (or use a tf.sparse op)."
        )

    def _tork_convert_to_tensor(self, dtype=None):
        raise self._densify_error("tf.convert_to_tensor")

    # Elementwise ops with a dense operand: TensorFlow's SparseDenseCwise ops. The dense
    # side broadcasts to the dense shape and only the stored coordinates are computed.
    def _cwise(self, other, op, symbol: str):
        if isinstance(other, SparseTensor):
            raise TypeError(
                f"SparseTensor {symbol} SparseTensor is not supported (as in TensorFlow). "
                "Densify one side with tf.sparse.to_dense, or use tf.sparse.add / "
                "tf.sparse.maximum / tf.sparse.minimum."
            )
        if isinstance(self._values, string_tensor.StringTensor):
            raise TypeError(f"SparseTensor {symbol}: string values do not support arithmetic.")
        dense = convert_to_tensor(other, dtype=self._values.dtype)
        shape = tuple(self.shape)
        try:
            dense = dense.to(self._values.device).broadcast_to(shape)
        except RuntimeError as err:
            raise ValueError(
                f"SparseTensor {symbol} dense: the dense operand of shape {tuple(dense.shape)} "
                f"does not broadcast to the sparse tensor's dense shape {shape}; only the dense "
                "side broadcasts."
            ) from err
        gathered = dense[tuple(self._indices.t())] if shape else dense.reshape(1)
        return self.with_values(op(self._values, gathered))

    def __mul__(self, other):
        return self._cwise(other, torch.mul, "*")

    def __rmul__(self, other):
        return self._cwise(other, torch.mul, "*")

    def __truediv__(self, other):
        if self._values.is_floating_point() or self._values.is_complex():
            return self._cwise(other, torch.div, "/")
        return self._cwise(other, lambda a, b: torch.div(a, b, rounding_mode="trunc"), "/")

    __div__ = __truediv__

    def __add__(self, other):
        raise TypeError(
            "SparseTensor + tensor is not supported (as in TensorFlow). Use tf.sparse.add(sp, "
            "other), which returns a dense tensor for a dense `other`."
        )

    __radd__ = __add__

    def __bool__(self):
        raise self._densify_error("bool(SparseTensor)")

    def __iter__(self):
        raise self._densify_error("iterating over a SparseTensor")

    def __getitem__(self, key):
        raise self._densify_error("indexing a SparseTensor")

    def __repr__(self) -> str:
        return (
            f"SparseTensor(indices={tensor_text(self._indices)}, "
            f"values={tensor_text(self._values)}, "
            f"dense_shape={tensor_text(self._dense_shape)})"
        )

    __str__ = __repr__


class SparseTensorSpec:
    """The type of a SparseTensor: TensorFlow's `tf.SparseTensorSpec`.

    Args:
        shape: the dense shape (may hold `None` dimensions).
        dtype: the values' dtype (default float32).

    Example:
    >>> tf.SparseTensorSpec([None, 3], tf.float32)
    SparseTensorSpec(TensorShape([None, 3]), tf.float32)
    """

    def __init__(self, shape=None, dtype=torch.float32):
        self._shape = TensorShape(shape)
        self._dtype = as_dtype(dtype)

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def value_type(self) -> type:
        """The Python type of the values this spec describes: `tf.SparseTensor`."""
        return SparseTensor

    @classmethod
    def from_value(cls, value: SparseTensor) -> SparseTensorSpec:
        return cls(value.shape, value.dtype)

    def is_compatible_with(self, other) -> bool:
        if isinstance(other, SparseTensor):
            other = SparseTensorSpec.from_value(other)
        if not isinstance(other, SparseTensorSpec):
            return False
        return self._dtype == other.dtype and self._shape.is_compatible_with(other.shape)

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, SparseTensorSpec)
            and self._dtype == other.dtype
            and self._shape == other.shape
        )

    def __hash__(self) -> int:
        return hash((str(self._shape), str(self._dtype)))

    def __repr__(self) -> str:
        return f"SparseTensorSpec({self._shape!r}, tf.{dtype_name(self._dtype)})"
