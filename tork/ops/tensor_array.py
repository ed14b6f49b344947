"""`tf.TensorArray`: a list of tensors with TensorFlow's TensorArray API.

Eagerly a TensorArray is a Python list of torch tensors, so gradients flow from
what is written to what is read or stacked. Methods that change it return the
TensorArray itself, so TensorFlow's `ta = ta.write(i, x)` style works.
"""

from __future__ import annotations

import builtins

import torch

from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import InvalidArgumentError, OutOfRangeError, module_getattr
from tork._backend.tensor import convert_to_tensor
from tork._backend.tensor_shape import TensorShape

__all__ = ["TensorArray"]

__getattr__ = module_getattr("tf")


def _as_int(value, what: str) -> int:
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise ValueError(f"TensorArray {what} must be a scalar, got shape {list(value.shape)}.")
        return int(value.item())
    return int(value)


def _as_index_list(indices) -> list[int]:
    if isinstance(indices, torch.Tensor):
        return [int(i) for i in indices.reshape(-1).tolist()]
    if isinstance(indices, (int, builtins.bool)):
        return [int(indices)]
    return [_as_int(i, "index") for i in indices]


class TensorArray:
    """Class wrapping dynamic-sized, per-time-step, write-once Tensor arrays.

    Eagerly this is a list of tensors: `write` stores a tensor, `read` returns it
    and `stack` stacks them, all differentiably. `clear_after_read` is accepted but
    values stay readable, as in TensorArrays inside a `tf.function`.

    Args:
        dtype: the data type of the elements.
        size: the initial number of elements (required).
        dynamic_size: whether writes past the end grow the array (default False).
        clear_after_read: accepted for compatibility; values stay readable.
        tensor_array_name: unused.
        handle: must be None (TensorArray handles do not exist eagerly).
        flow: unused.
        infer_shape: whether the first written element fixes the element shape
            that later writes must match (default True).
        element_shape: the shape every element must have (a `TensorShape`, list
            or tuple; `None` entries are unknown).
        colocate_with_first_write_call: unused.
        name: unused.

    Example:
    >>> ta = tf.TensorArray(tf.float32, size=3)
    >>> for i in range(3):
    ...     ta = ta.write(i, tf.constant([i, i + 1.0]))
    >>> ta.stack().shape
    torch.Size([3, 2])
    """

    def __init__(
        self,
        dtype,
        size=None,
        dynamic_size=None,
        clear_after_read=None,
        tensor_array_name=None,
        handle=None,
        flow=None,
        infer_shape: builtins.bool = True,
        element_shape=None,
        colocate_with_first_write_call: builtins.bool = True,
        name: str | None = None,
    ):
        if handle is not None:
            raise ValueError(
                "TensorArray handles are not supported when executing eagerly; pass dtype "
                "and size instead."
            )
        if size is None:
            raise ValueError(
                "Size must be declared for TensorArrays when executing eagerly: pass size=n "
                "(and dynamic_size=True to let writes grow the array)."
            )
        size = _as_int(size, "size")
        if size < 0:
            raise ValueError(f"TensorArray size must be >= 0, got {size}.")
        self._dtype = as_dtype(dtype)
        self._dynamic_size = builtins.bool(dynamic_size)
        self._clear_after_read = True if clear_after_read is None else clear_after_read
        self._infer_shape = builtins.bool(infer_shape)
        self._element_shape = TensorShape(element_shape)
        self._items: list[torch.Tensor | None] = [None] * size

    # -- properties ------------------------------------------------------------------
    @property
    def dtype(self) -> torch.dtype:
        """The data type of this TensorArray."""
        return self._dtype

    @property
    def element_shape(self) -> TensorShape:
        """The `TensorShape` of elements in this TensorArray (partly known until written)."""
        return self._element_shape

    @property
    def dynamic_size(self) -> builtins.bool:
        """Python bool; whether writes past the end grow this TensorArray."""
        return self._dynamic_size

    @property
    def handle(self) -> None:
        """Always None eagerly (kept for compatibility)."""
        return None

    @property
    def flow(self) -> torch.Tensor:
        """A dummy flow tensor (kept for compatibility with graph-era code)."""
        return torch.zeros((), dtype=torch.float32)

    # -- helpers ---------------------------------------------------------------------
    def _check_value(self, value) -> torch.Tensor:
        if not isinstance(value, torch.Tensor):
            value = convert_to_tensor(value, dtype_hint=self._dtype)
        if value.dtype != self._dtype:
            raise InvalidArgumentError(
                f"TensorArray dtype is {dtype_name(self._dtype)} but the value written has "
                f"dtype {dtype_name(value.dtype)}. Cast it first, e.g. tf.cast(value, "
                f"tf.{dtype_name(self._dtype)})."
            )
        shape = TensorShape(tuple(value.shape))
        if not self._element_shape.is_compatible_with(shape):
            raise ValueError(
                f"Incompatible shape for value ({shape}), expected ({self._element_shape}): "
                "every element of a TensorArray must have the same shape."
            )
        if self._infer_shape:
            self._element_shape = self._element_shape.merge_with(shape)
        return value

    def _check_write_index(self, index: int) -> None:
        if index < 0:
            raise OutOfRangeError(
                f"Writing to negative indices (index {index}) is not allowed in a TensorArray."
            )
        size = len(self._items)
        if index >= size:
            if not self._dynamic_size:
                raise OutOfRangeError(
                    f"Tried to write to index {index} but the TensorArray is not resizeable "
                    f"and its size is {size}. Create it with a larger size or "
                    "dynamic_size=True."
                )
            self._items.extend([None] * (index + 1 - size))

    def _device(self):
        for item in self._items:
            if item is not None:
                return item.device
        return current_device()

    def _get(self, index: int) -> torch.Tensor:
        item = self._items[index]
        if item is not None:
            return item
        if not self._element_shape.is_fully_defined():
            # TensorFlow's traced tf.function infers the element shape from every `write`
            # in the code, even one in a branch that never ran (yolov3-tf2's target
            # transform writes only when a box matches); tork runs the function eagerly.
            raise InvalidArgumentError(
                f"Could not read from TensorArray index {index}: it was never written and the "
                f"element shape {self._element_shape} is not fully defined, so it cannot be "
                "filled with zeros. Write every index before reading it, or create the array "
                "with its element shape, e.g. tf.TensorArray(tf.float32, size=1, "
                "dynamic_size=True, element_shape=(4,)). Inside a tf.function TensorFlow "
                "infers the element shape from writes that did not run (an `if` branch not "
                "taken); tork runs the function eagerly, so it only knows the writes that ran."
            )
        # TensorFlow reads an unwritten element of known shape as zeros.
        return torch.zeros(self._element_shape.as_list(), dtype=self._dtype, device=self._device())

    def _all(self) -> list[torch.Tensor]:
        return [self._get(i) for i in range(len(self._items))]

    def _empty(self) -> torch.Tensor:
        shape = [0]
        if self._element_shape.is_fully_defined():
            shape += self._element_shape.as_list()
        return torch.zeros(shape, dtype=self._dtype, device=self._device())

    def _replace(self, tensors: list[torch.Tensor], what: str) -> TensorArray:
        if len(tensors) > len(self._items) and not self._dynamic_size:
            raise ValueError(
                f"Cannot {what} {len(tensors)} tensors into a TensorArray of static size "
                f"{len(self._items)}. Create it with a larger size or dynamic_size=True."
            )
        self._items = [self._check_value(t) for t in tensors]
        return self

    # -- API -------------------------------------------------------------------------
    def write(self, index, value, name: str | None = None) -> TensorArray:
        """Writes `value` into index `index` of the TensorArray.

        Args:
            index: 0-D int32 scalar with the index to write to.
            value: a tensor (or convertible value) of the array's dtype.
            name: a name for the operation (unused).

        Returns:
            This TensorArray, so that `ta = ta.write(i, x)` works.

        Raises:
            tf.errors.OutOfRangeError: if `index` is negative, or past the end of an
                array that is not `dynamic_size`.
            tf.errors.InvalidArgumentError: if `value` has another dtype.
            ValueError: if `value`'s shape does not match the element shape.
        """
        index = _as_int(index, "index")
        value = self._check_value(value)
        self._check_write_index(index)
        self._items[index] = value
        return self

    def read(self, index, name: str | None = None) -> torch.Tensor:
        """Reads the value at location `index` in the TensorArray.

        Args:
            index: 0-D int32 tensor with the index to read from.
            name: a name for the operation (unused).

        Returns:
            The tensor at index `index` (zeros of the element shape if it was never
            written and that shape is known).

        Raises:
            tf.errors.OutOfRangeError: if `index` is outside the array.
            tf.errors.InvalidArgumentError: if the index was never written and the
                element shape is unknown.
        """
        index = _as_int(index, "index")
        if index < 0:
            raise OutOfRangeError(
                f"Reading from negative indices (index {index}) is not allowed in a TensorArray."
            )
        if index >= len(self._items):
            raise OutOfRangeError(
                f"Tried to read from index {index} but the TensorArray size is {len(self._items)}."
            )
        return self._get(index)

    def stack(self, name: str | None = None) -> torch.Tensor:
        """Returns the values in the TensorArray as a stacked tensor.

        Args:
            name: a name for the operation (unused).

        Returns:
            A tensor of shape `[size] + element_shape`.
        """
        if not self._items:
            return self._empty()
        return torch.stack(self._all())

    def gather(self, indices, name: str | None = None) -> torch.Tensor:
        """Returns selected values in the TensorArray as a packed tensor.

        Args:
            indices: a 1-D int tensor or list of indices to read.
            name: a name for the operation (unused).

        Returns:
            A tensor of shape `[len(indices)] + element_shape`.
        """
        idx = _as_index_list(indices)
        if not idx:
            return self._empty()
        return torch.stack([self.read(i) for i in idx])

    def concat(self, name: str | None = None) -> torch.Tensor:
        """Returns the values in the TensorArray concatenated along their first axis.

        Args:
            name: a name for the operation (unused).

        Returns:
            A tensor of shape `[sum of the elements' first dims] + element_shape[1:]`.
        """
        scalars = self._element_shape.rank == 0
        if self._items:
            values = self._all()
            scalars = any(v.dim() == 0 for v in values)
        if scalars:
            raise ValueError(
                "TensorArray.concat needs elements of rank >= 1; this array holds scalars. "
                "Use stack() instead."
            )
        if not self._items:
            # Nothing to concatenate: the first axis is 0 and the rest of the element
            # shape stays (TensorFlow: element_shape (3,) gives (0,), (None, 2) gives (0, 2)).
            dims = self._element_shape.as_list()[1:] if self._element_shape.rank else []
            if any(d is None for d in dims):
                dims = []
            return torch.zeros([0, *dims], dtype=self._dtype, device=self._device())
        return torch.cat(values, dim=0)

    def unstack(self, value, name: str | None = None) -> TensorArray:
        """Unstacks the values of a tensor along its first axis into the TensorArray.

        Args:
            value: a tensor of the array's dtype and rank >= 1.
            name: a name for the operation (unused).

        Returns:
            This TensorArray, now holding `value[0], value[1], ...`.

        Raises:
            ValueError: if `value` has more rows than a non-dynamic array's size.
        """
        if not isinstance(value, torch.Tensor):
            value = convert_to_tensor(value, dtype_hint=self._dtype)
        if value.dim() == 0:
            raise ValueError("TensorArray.unstack needs a tensor of rank >= 1, got a scalar.")
        return self._replace(list(torch.unbind(value, 0)), "unstack")

    def scatter(self, indices, value, name: str | None = None) -> TensorArray:
        """Scatters the rows of `value` into the TensorArray at `indices`.

        Args:
            indices: a 1-D int tensor or list with the indices to write to.
            value: a tensor whose first dimension has `len(indices)` rows.
            name: a name for the operation (unused).

        Returns:
            This TensorArray.

        Raises:
            ValueError: if `value` has a different number of rows than `indices`.
            tf.errors.OutOfRangeError: as for `write`.
        """
        idx = _as_index_list(indices)
        if not isinstance(value, torch.Tensor):
            value = convert_to_tensor(value, dtype_hint=self._dtype)
        if value.dim() == 0 or value.shape[0] != len(idx):
            raise ValueError(
                f"TensorArray.scatter got {len(idx)} indices but value of shape "
                f"{list(value.shape)}: its first dimension must equal the number of indices."
            )
        for i, row in zip(idx, torch.unbind(value, 0)):
            self.write(i, row)
        return self

    def split(self, value, lengths, name: str | None = None) -> TensorArray:
        """Splits `value` along its first axis into the TensorArray, `lengths[i]` rows each.

        Args:
            value: a tensor of the array's dtype and rank >= 1.
            lengths: a 1-D int tensor or list of row counts, summing to `value.shape[0]`.
            name: a name for the operation (unused).

        Returns:
            This TensorArray.

        Raises:
            ValueError: if `lengths` do not sum to the first dimension of `value`, or
                name more pieces than a non-dynamic array's size.
        """
        if not isinstance(value, torch.Tensor):
            value = convert_to_tensor(value, dtype_hint=self._dtype)
        sizes = _as_index_list(lengths)
        if value.dim() == 0 or sum(sizes) != value.shape[0]:
            raise ValueError(
                f"TensorArray.split: lengths {sizes} sum to {sum(sizes)} but value has shape "
                f"{list(value.shape)}; they must sum to its first dimension."
            )
        if any(s < 0 for s in sizes):
            raise ValueError(f"TensorArray.split: lengths must be >= 0, got {sizes}.")
        return self._replace(list(torch.split(value, sizes, dim=0)), "split")

    def size(self, name: str | None = None) -> torch.Tensor:
        """Returns the number of elements in the TensorArray as an int32 scalar tensor."""
        return torch.tensor(len(self._items), dtype=torch.int32)

    def identity(self) -> TensorArray:
        """Returns this TensorArray (there is no flow to thread through eagerly)."""
        return self

    def close(self, name: str | None = None) -> None:
        """Closes the TensorArray, dropping its elements."""
        self._items = []

    def grad(self, source, flow=None, name: str | None = None):
        """Not available eagerly: use `tf.GradientTape` on what the array holds."""
        raise NotImplementedError(
            "TensorArray.grad is a graph-mode API; take gradients with tf.GradientTape "
            "through read()/stack() instead."
        )

    def __repr__(self) -> str:
        return (
            f"<TensorArray dtype={dtype_name(self._dtype)} size={len(self._items)} "
            f"element_shape={self._element_shape}>"
        )
