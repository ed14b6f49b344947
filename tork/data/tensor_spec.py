"""`tf.TensorSpec`: the shape and dtype a tensor is expected to have."""

from __future__ import annotations

import numpy as np
import torch

from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.tensor_shape import TensorShape


class TensorSpec:
    """Describes a tensor by shape and dtype, as `tf.TensorSpec`.

    Used as `tf.data.Dataset.element_spec` leaves and as the
    `output_signature` of `Dataset.from_generator`.

    Args:
        shape: the shape; `None` entries are unknown dimensions and `None`
            alone is an unknown rank.
        dtype: the dtype (default `tf.float32`).
        name: an optional name.

    Example:
    >>> spec = tf.TensorSpec(shape=(None, 3), dtype=tf.int32)
    >>> spec.shape.as_list()
    [None, 3]
    """

    __slots__ = ("_dtype", "_name", "_shape")

    def __init__(self, shape, dtype=torch.float32, name: str | None = None):
        self._shape = TensorShape(shape)
        self._dtype = as_dtype(dtype)
        self._name = name

    @classmethod
    def from_tensor(cls, tensor, name: str | None = None) -> TensorSpec:
        """Returns the spec of a tensor (or NumPy array).

        Args:
            tensor: a `torch.Tensor` or NumPy array.
            name: an optional name for the spec.

        Returns:
            A `TensorSpec` with the tensor's shape and dtype.
        """
        if isinstance(tensor, torch.Tensor):
            return cls(tuple(tensor.shape), tensor.dtype, name)
        array = np.asarray(tensor)
        return cls(array.shape, as_dtype(array.dtype), name)

    @property
    def shape(self) -> TensorShape:
        """The `TensorShape` of the described tensor."""
        return self._shape

    @property
    def dtype(self) -> torch.dtype:
        """The dtype of the described tensor."""
        return self._dtype

    @property
    def name(self) -> str | None:
        """The name of the spec, or None."""
        return self._name

    @property
    def value_type(self) -> type:
        """The Python type of the values this spec describes: `torch.Tensor` (tf.Tensor)."""
        return torch.Tensor

    def is_compatible_with(self, spec_or_tensor) -> bool:
        """True when a spec or tensor could be described by this spec.

        Args:
            spec_or_tensor: a `TensorSpec`, `torch.Tensor` or NumPy array.

        Returns:
            True when the dtypes are equal and the shapes compatible.
        """
        if not isinstance(spec_or_tensor, TensorSpec):
            try:
                spec_or_tensor = TensorSpec.from_tensor(spec_or_tensor)
            except (TypeError, ValueError, NotImplementedError):
                return False
        return self._dtype == spec_or_tensor.dtype and self._shape.is_compatible_with(
            spec_or_tensor.shape
        )

    def _relaxed(self, other: TensorSpec) -> TensorSpec:
        """The most specific spec describing both: differing dimensions become None."""
        a, b = self._shape, other.shape
        if a.rank is None or b.rank is None or a.rank != b.rank:
            shape = TensorShape(None)
        else:
            shape = TensorShape([x if x == y else None for x, y in zip(a, b)])
        return TensorSpec(shape, self._dtype, self._name)

    def __eq__(self, other) -> bool:
        if not isinstance(other, TensorSpec):
            return NotImplemented
        return (self._shape, self._dtype, self._name) == (other.shape, other.dtype, other.name)

    def __hash__(self) -> int:
        return hash((self._shape, self._dtype, self._name))

    def __repr__(self) -> str:
        return (
            f"TensorSpec(shape={self._shape}, dtype=tf.{dtype_name(self._dtype)}, "
            f"name={self._name!r})"
        )


class DatasetSpec:
    """Describes a dataset-valued component, as `tf.data.DatasetSpec`.

    The elements of `Dataset.window` are (nests of) datasets; their
    `element_spec` leaves are `DatasetSpec`s.

    Args:
        element_spec: the element_spec of the described datasets.
        dataset_shape: the shape of the dataset component (scalar: `[]`).

    Example:
    >>> tf.data.Dataset.range(5).window(2).element_spec
    DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))
    """

    __slots__ = ("_dataset_shape", "_element_spec")

    def __init__(self, element_spec, dataset_shape=()):
        self._element_spec = element_spec
        self._dataset_shape = TensorShape(dataset_shape)

    @property
    def element_spec(self):
        """The element_spec of the described datasets."""
        return self._element_spec

    @property
    def shape(self) -> TensorShape:
        """The shape of the dataset component (always scalar in tork)."""
        return self._dataset_shape

    @property
    def value_type(self) -> type:
        """The Python type of the values this spec describes: `tf.data.Dataset`."""
        from tork.data.dataset import Dataset

        return Dataset

    def __eq__(self, other) -> bool:
        if not isinstance(other, DatasetSpec):
            return NotImplemented
        return (self._element_spec, self._dataset_shape) == (
            other._element_spec,
            other._dataset_shape,
        )

    def __hash__(self) -> int:
        return hash(self._dataset_shape)

    def __repr__(self) -> str:
        return f"DatasetSpec({self._element_spec!r}, {self._dataset_shape!r})"


def type_spec_from_value(value):
    """Returns the spec that describes `value`, as `tf.type_spec_from_value`.

    Args:
        value: a tensor, NumPy array, Python value, `tf.RaggedTensor`,
            `tf.SparseTensor` or `tf.data.Dataset`.

    Returns:
        A `TensorSpec` (also for a `tf.Variable`, where TF gives a
        `VariableSpec`), `RaggedTensorSpec`, `SparseTensorSpec` or
        `DatasetSpec`.

    Example:
    >>> tf.type_spec_from_value(tf.constant([1.0]))
    TensorSpec(shape=(1,), dtype=tf.float32, name=None)
    """
    from tork._backend.tensor import convert_to_tensor
    from tork.data import _composite
    from tork.data.dataset import Dataset

    if isinstance(value, Dataset):
        return DatasetSpec(value.element_spec)
    if isinstance(value, _composite.COMPOSITES):
        return _composite.value_spec(value)
    tensor = convert_to_tensor(value)
    return TensorSpec(tuple(tensor.shape), tensor.dtype)
