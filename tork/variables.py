"""`tf.Variable`: a `torch.nn.Parameter` with TensorFlow's variable API."""

from __future__ import annotations

import copy
import enum
import itertools
import weakref

import numpy as np
import torch
from torch._subclasses.fake_tensor import is_fake
from torch.utils.weak import WeakIdKeyDictionary

from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.string_tensor import StringTensor
from tork._backend.tensor import (
    _is_compiling,
    _refuse_conversion,
    check_python_value,
    convert_to_tensor,
    to_numpy,
)

# Creation order of variables: TensorFlow lists a tape's watched variables in it.
_creation_counter = itertools.count()
# How many variables were created so far: tf.function compares it around a call
# (only the first call of a tf.function may create variables, as in TensorFlow).
_created = 0
# While a tf.function runs its first call: weak references to the variables created
# (it checks that they outlive the call, see tork/function.py).
_recording: list | None = None
# While a `keras.StatelessScope` is open: called with a variable when it is created and
# just before a write to it (assign, assign_add/sub, scatters, slice assigns), so that the
# scope can keep the variable's own value and collect the write instead. None otherwise.
_before_write = None
# While a Lambda layer's function runs: called with the name of a variable about to be
# created, before it is made (Keras 2 refuses variables created in a Lambda). None otherwise.
_creation_check = None


class VariableAggregation(enum.Enum):
    """How a distributed variable's per-replica updates combine, as `tf.VariableAggregation`.

    tork accepts it on `tf.Variable(..., aggregation=...)` and `add_weight` and keeps it on
    the variable; single-process training does not use it.
    """

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


class VariableSynchronization(enum.Enum):
    """When a distributed variable is synchronized, as `tf.VariableSynchronization`.

    Accepted on `tf.Variable(..., synchronization=...)` and kept on the variable.
    """

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


def _check_assign_dtype(value: torch.Tensor, dtype) -> None:
    """TensorFlow's ValueError for a tensor of another dtype written to a variable.

    As in TensorFlow, a float32 tensor is not cast into a float64 (or float16) variable,
    nor an int64 tensor into an int32 one: the caller casts with `tf.cast`. Python
    numbers and NumPy arrays convert to the variable's dtype.
    """
    if value.dtype != dtype:
        _refuse_conversion(value, dtype)


def _flexible_shape(shape):
    """`shape` as a tuple with None for unknown dims, or None for an unknown rank.

    Returns False when `shape` was not given (the variable's shape is then fixed).
    """
    if shape is None:
        return False
    dims = getattr(shape, "dims", shape)
    if dims is None:
        return None
    return tuple(None if d is None else int(getattr(d, "value", d)) for d in dims)


def _index_tensor(indices, device) -> torch.Tensor:
    index = convert_to_tensor(indices)
    return index.to(device=device, dtype=torch.int64)


def _check_initial_value(value, dtype) -> None:
    """TensorFlow's errors for an `initial_value` that does not convert to `dtype`.

    A tensor (or variable) of another dtype raises ValueError, a Python float given for an
    integer dtype TypeError; NumPy arrays and Python ints are cast, as in TensorFlow. Keras
    3's `keras.Variable(initializer=..., dtype=...)` casts and is not checked here.
    """
    if isinstance(value, torch.Tensor):
        if value.dtype == dtype:
            return
        if isinstance(value, Variable):
            _refuse_conversion(value, dtype)
        try:
            _refuse_conversion(value, dtype)
        except ValueError as error:
            raise ValueError(f"initial_value: {error}") from None
    elif not isinstance(value, (np.ndarray, np.generic)):
        check_python_value(value, dtype)


def _rebuild_variable(data, trainable, state):
    var = Variable(data, trainable)
    var.__dict__.update(state)
    return var


def _initial_value(initializer, shape, dtype):
    """The value of Keras 3's `keras.Variable(initializer=..., shape=...)`.

    `initializer` is a Keras initializer (object, name or config), a callable taking
    `(shape, dtype)`, or a value (array, tensor, number) used as it is.
    """
    from tork.keras import initializers

    if isinstance(initializer, (str, dict)):
        initializer = initializers.get(initializer)
    if not callable(initializer) or isinstance(initializer, torch.Tensor):
        return initializer
    if shape is None:
        raise ValueError(
            "When creating a Variable from an initializer, the `shape` argument should be "
            f"specified. Received: initializer={initializer} and shape=None"
        )
    return initializer(tuple(shape), dtype=dtype)


class _VariableValue(torch.Tensor):
    """What `variable.value` gives: the variable's value, which can also be called.

    Keras 3 reads `v.value` as a property (`self.total.value`, `v.value.numpy()`) and its
    torch guide reads `v.value.grad`; TensorFlow calls `v.value()`. This tensor aliases the
    variable (same storage, same autograd path); calling it returns a copy. Ops on it
    return plain tensors.
    """

    __torch_function__ = torch._C._disabled_torch_function_impl

    def __call__(self) -> torch.Tensor:
        return torch.Tensor.clone(self)

    def __repr__(self) -> str:
        return repr(self.as_subclass(torch.Tensor))

    @property
    def grad(self):
        # The alias never accumulates a gradient itself: the variable does.
        return self._tork_variable.grad

    @grad.setter
    def grad(self, value) -> None:
        self._tork_variable.grad = value


class Variable(torch.nn.Parameter):
    """A mutable tensor, as `tf.Variable`; it is a `torch.nn.Parameter`.

    Any torch op accepts it and returns a plain `torch.Tensor`. `assign`,
    `assign_add` and `assign_sub` update it in place without autograd history.
    Non-trainable variables do not require grad, so torch optimizers and
    `model.parameters()` treat them as Keras does.

    Args:
        initial_value: a tensor, array, Python value, or a zero-argument
            callable returning one. Keras 3's `initializer=` (with `shape=`) is
            accepted in its place: a Keras initializer, its name, or a callable
            taking `(shape, dtype)`.
        trainable: whether gradients flow to it and optimizers update it (default True;
            False for `synchronization=tf.VariableSynchronization.ON_READ`, as TF).
        name: the variable's name; `.name` adds TensorFlow's `:0` suffix.
        dtype: optional dtype; the initial value is cast to it.
        constraint: optional callable applied by optimizers after each update.
        shape: optional shape with `None` for dimensions (or `tf.TensorShape(None)`
            for a rank) that `assign` may change; by default the shape is fixed.
        aggregation: a `tf.VariableAggregation`, kept on the variable.
        synchronization: a `tf.VariableSynchronization`, kept on the variable.

    Unnamed variables are called `Variable`, and names get the enclosing
    `tf.name_scope`, as in eager TensorFlow (names are not made unique).

    As in TensorFlow, a slice assigns into the variable: `v[0].assign(x)`,
    `v[1:3, 2].assign(y)` (integers, slices with positive steps, `...`, `None`;
    the call returns the variable). Reads are snapshots, as in TensorFlow: `v[0]`,
    `tf.reshape(v, ...)`, `tf.transpose(v)`... keep the value they read when the
    variable is written later (gradients flow through them to the variable).

    Example:
    >>> v = tf.Variable(1.0)
    >>> v.assign_add(2.0).numpy()
    np.float32(3.0)
    """

    def __new__(
        cls,
        initial_value=None,
        trainable=None,
        name=None,
        dtype=None,
        constraint=None,
        **kwargs,
    ):
        if _creation_check is not None:
            _creation_check(name)
        if initial_value is None:
            if kwargs.get("initializer") is None:
                raise ValueError("tf.Variable needs an initial_value.")
            initial_value = _initial_value(kwargs["initializer"], kwargs.get("shape"), dtype)
        if callable(initial_value) and not isinstance(initial_value, torch.Tensor):
            initial_value = initial_value()
        if dtype is not None and "initializer" not in kwargs:
            _check_initial_value(initial_value, as_dtype(dtype))
        value = convert_to_tensor(initial_value, dtype=dtype)
        if isinstance(value, StringTensor):
            raise TypeError(
                f"tork does not support string tf.Variables (got {value!r:.80}): a tf.Variable "
                "is a torch Parameter, which holds numbers only. Keep the strings in a Python "
                "list or a tf.constant, and rebind it instead of assign()."
            )
        if not isinstance(initial_value, torch.Tensor):
            value = value.to(current_device())
        if trainable is None:
            # As TF: an ON_READ variable (a metric's accumulator) is not trainable by default.
            trainable = kwargs.get("synchronization") not in (
                VariableSynchronization.ON_READ,
                "on_read",
            )
        trainable = bool(trainable)
        if trainable and not (value.is_floating_point() or value.is_complex()):
            # Integer variables (counters, step numbers) cannot carry gradients.
            trainable_grad = False
        else:
            trainable_grad = trainable
        # A variable is state that training updates later: never an inference tensor, also
        # when a lazy layer builds under `torch.inference_mode()` (a first `predict`).
        with torch.inference_mode(False):
            value = value.detach().clone()
            self = torch.Tensor._make_subclass(cls, value, trainable_grad)
        self._trainable = trainable
        return self

    def __init__(
        self,
        initial_value=None,
        trainable=None,
        name=None,
        dtype=None,
        constraint=None,
        shape=None,
        aggregation=None,
        synchronization=None,
        **kwargs,
    ):
        # validate_shape, caching_device, import_scope... are accepted and unused.
        from tork.ops.scopes import get_current_name_scope

        self._var_name = name if name is not None else "Variable"
        scope = get_current_name_scope()
        self._path = f"{scope}/{self._var_name}" if scope else self._var_name
        self.constraint = constraint
        self._unique_id = next(_creation_counter)
        global _created
        _created += 1
        if _recording is not None:
            _recording.append(weakref.ref(self))
        # Kept as given: a tf.VariableAggregation, or Keras 3's strings ('mean', 'sum'...).
        self._aggregation = VariableAggregation.NONE if aggregation is None else aggregation
        self._synchronization = (
            VariableSynchronization.AUTO if synchronization is None else synchronization
        )
        flexible = _flexible_shape(shape)
        if flexible is not False and not _shape_fits(flexible, tuple(self.shape)):
            raise ValueError(
                f"tf.Variable: the initial value has shape {tuple(self.shape)}, which does not "
                f"fit the given shape {flexible}."
            )
        self._flexible_shape = flexible
        if _before_write is not None:
            # Created inside a keras.StatelessScope: writes in the block stay in the scope.
            _before_write(self)

    @property
    def aggregation(self):
        """The aggregation given at creation (default `tf.VariableAggregation.NONE`)."""
        return self._aggregation

    @aggregation.setter
    def aggregation(self, value) -> None:
        self._aggregation = value

    @property
    def synchronization(self):
        """The synchronization given at creation (default `tf.VariableSynchronization.AUTO`)."""
        return self._synchronization

    @synchronization.setter
    def synchronization(self, value) -> None:
        self._synchronization = value

    # -- naming ---------------------------------------------------------------
    @property
    def name(self) -> str:
        """The TensorFlow-style name, e.g. `'dense/kernel:0'`."""
        return f"{self._path}:0"

    @name.setter
    def name(self, value: str) -> None:
        self._var_name = value
        self._path = value

    @property
    def path(self) -> str:
        """The full path without `:0`, as Keras 3's `Variable.path`."""
        return self._path

    # -- trainability -----------------------------------------------------------
    @property
    def trainable(self) -> bool:
        """Whether optimizers update this variable and tapes watch it.

        torch's way of freezing a weight, `requires_grad_(False)` (also through
        `module.requires_grad_(False)`), makes it non-trainable too.
        """
        if self._trainable and not self.requires_grad:
            return not (self.is_floating_point() or self.is_complex())
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        if self.is_floating_point() or self.is_complex():
            self.requires_grad_(self._trainable)

    # -- value access -----------------------------------------------------------
    def numpy(self, *, force: bool = False) -> np.ndarray:
        """Returns a NumPy copy of the value (a NumPy scalar for a 0-d variable, as TF)."""
        array = to_numpy(self, copy=True)
        return array[()] if array.ndim == 0 else array

    def __float__(self) -> float:
        return float(self.detach())

    def __int__(self) -> int:
        return int(self.detach())

    @property
    def handle(self) -> Variable:
        """The variable itself: TensorFlow's resource handle, which `tf.raw_ops`' training
        kernels (`ResourceApplyAdam(var=var.handle, ...)`) take to update it in place."""
        return self

    def read_value(self) -> torch.Tensor:
        """Returns the current value as a tensor (gradients flow to the variable)."""
        return self.clone()

    @property
    def value(self) -> torch.Tensor:
        """The current value: `v.value` (Keras 3) or `v.value()` (TensorFlow).

        Gradients flow to the variable either way. `v.value` shares the variable's storage
        (later `assign`s show through it, and `v.value.grad` is the variable's gradient);
        `v.value()` is a copy, as TensorFlow's.
        """
        out = self.as_subclass(_VariableValue)
        out._tork_variable = self
        return out

    # -- snapshot reads ------------------------------------------------------------
    # Reading a TensorFlow variable gives its value at that moment: `old = w[:]` keeps the
    # old weights after an optimizer step or an `assign` (Reptile, hand-written EMA,
    # before/after checks). torch's basic indexing gives a view that later in-place writes
    # show through, so a slice that is a view is copied (differentiably: gradients still
    # flow to the variable). The copy remembers where it came from, for
    # `v[1:3].assign(x)`. Under `torch.no_grad()` (PyTorch code such as
    # `p[0].zero_()`) and while torch.compile traces, indexing stays torch's view.
    def __getitem__(self, index):
        out = _Tensor.__getitem__(self, index)
        # The compile check first: dynamo gives up on code that reads `_base`.
        if _is_compiling() or not torch.is_grad_enabled() or out._base is None:
            return out  # torch's view on purpose, or a copy already (index lists, masks)
        snapshot = out.clone()
        # Kept beside the tensor, not on it: the slice pickles and copies as any tensor.
        _snapshot_slices[snapshot] = (self, index)
        return snapshot

    def __iter__(self):
        # `for row in v` reads rows as `v[i]` does: copies, not views.
        rows = _Tensor.__iter__(self)
        if _is_compiling() or not torch.is_grad_enabled():
            return rows
        return iter([row.clone() for row in rows])

    def _as_value(self, value, resize: bool = False) -> torch.Tensor:
        dtype = self.dtype  # read once: attribute reads of a Parameter subclass are slow
        if isinstance(value, torch.Tensor):
            if value.dtype != dtype:
                _check_assign_dtype(value, dtype)
        else:
            check_python_value(value, dtype)
            value = convert_to_tensor(value)
            if not isinstance(value, torch.Tensor):  # strings (a StringTensor)
                raise ValueError(
                    f"Cannot assign a value of dtype {getattr(value, 'dtype', type(value))} to "
                    f"variable '{self._path}' of dtype {dtype_name(dtype)}: strings are not "
                    "numbers. Convert them first, e.g. tf.strings.to_number(value)."
                )
        if value.device != self.device or value.dtype != dtype:
            value = value.to(device=self.device, dtype=dtype)
        if value.shape != self.shape:
            flexible = self.__dict__.get("_flexible_shape", False)
            if resize and flexible is not False and _shape_fits(flexible, tuple(value.shape)):
                return value
            if is_fake(value):
                # A functional-API call runs on stand-ins whose unknown sizes (the batch)
                # are made-up numbers; Keras 2 checks such an update when the model
                # runs (`self.total.assign_add(inputs)` on a (None, 1) input).
                return value.new_zeros(self.shape)
            # As TensorFlow, no broadcasting: `v.assign(0.0)` on a (3, 2) variable raises.
            raise ValueError(
                f"Cannot assign a value of shape {tuple(value.shape)} to variable "
                f"'{self._path}' of shape {tuple(self.shape)}: TensorFlow's assign, "
                "assign_add and assign_sub need the variable's exact shape (no broadcasting). "
                "Give a value of that shape, e.g. tf.fill(v.shape, value) or "
                "tf.broadcast_to(value, v.shape)."
            )
        return value

    def _as_update(self, value) -> torch.Tensor:
        """`value` as a tensor of this variable's dtype and device, for scatters and slices.

        As TensorFlow, a tensor of another dtype raises (no silent cast).
        """
        dtype = self.dtype
        if isinstance(value, torch.Tensor):
            _check_assign_dtype(value, dtype)
        else:
            check_python_value(value, dtype)
            value = convert_to_tensor(value, dtype=dtype)
        return value.to(device=self.device)

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Sets the variable to `value` in place (no gradient flows through).

        Args:
            value: a tensor or array of the variable's shape.
            read_value: if False, return None instead of the variable.

        Returns:
            The variable (None with `read_value=False`).
        """
        if _before_write is not None:
            _before_write(self)
        _keep_saved_values(self)
        value = self._as_value(value, resize=True)
        with torch.no_grad():
            if value.shape != self.shape:
                # A variable created with a `None` dimension in `shape` takes the new shape.
                self.data = value.detach().clone()
            else:
                self.copy_(value)
        # As TensorFlow: read_value=False returns nothing (the update op, in graphs).
        return self if read_value else None

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Adds `delta` to the variable in place.

        Returns:
            The variable (None with `read_value=False`).
        """
        if _before_write is not None:
            _before_write(self)
        _keep_saved_values(self)
        with torch.no_grad():
            self.add_(self._as_value(delta))
        # As TensorFlow: read_value=False returns nothing (the update op, in graphs).
        return self if read_value else None

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Subtracts `delta` from the variable in place.

        Returns:
            The variable (None with `read_value=False`).
        """
        if _before_write is not None:
            _before_write(self)
        _keep_saved_values(self)
        with torch.no_grad():
            self.sub_(self._as_value(delta))
        # As TensorFlow: read_value=False returns nothing (the update op, in graphs).
        return self if read_value else None

    # -- sparse reads and updates -------------------------------------------------------
    def sparse_read(self, indices, name=None) -> torch.Tensor:
        """Gathers rows of the variable along axis 0 (`tf.gather(v, indices)`)."""
        index = _index_tensor(indices, self.device)
        return self[index]

    def gather_nd(self, indices, name=None) -> torch.Tensor:
        """Gathers slices addressed by the last axis of `indices` (`tf.gather_nd`)."""
        index = _index_tensor(indices, self.device)
        depth = index.shape[-1]
        return self[tuple(index[..., k] for k in range(depth))]

    def _scatter(self, sparse_delta, how: str, method: str):
        indices = getattr(sparse_delta, "indices", None)
        values = getattr(sparse_delta, "values", None)
        if indices is None or values is None:
            raise TypeError(
                f"Variable.{method} expects a tf.IndexedSlices (an object with `indices` and "
                f"`values`), got {type(sparse_delta).__name__}."
            )
        index = _index_tensor(indices, self.device).reshape(-1)
        rows = self._as_update(values)
        rows = rows.reshape((index.numel(),) + tuple(self.shape[1:]))
        self._apply_scatter((index,), rows, how)
        return self

    def _apply_scatter(self, index: tuple, updates: torch.Tensor, how: str) -> None:
        if _before_write is not None:
            _before_write(self)
        _keep_saved_values(self)
        with torch.no_grad():
            if how == "update":
                self.index_put_(index, updates)
            elif how in ("add", "sub"):
                # accumulate=True sums repeated indices, as TensorFlow's scatter_add does.
                self.index_put_(index, updates if how == "add" else -updates, accumulate=True)
            else:
                reduce = {"max": "amax", "min": "amin", "mul": "prod", "div": "prod"}[how]
                if how == "div":
                    if not (self.is_floating_point() or self.is_complex()):
                        self.index_put_(
                            index, torch.div(self[index], updates, rounding_mode="floor")
                        )
                        return
                    updates = 1.0 / updates
                # Row-major position of each index tuple among the indexed leading axes.
                position = torch.zeros_like(index[0])
                for axis, i in enumerate(index):
                    position = position * self.shape[axis] + i
                rest = tuple(self.shape[len(index) :])
                flat = self.data.reshape((-1,) + rest)
                updates = updates.reshape((position.numel(),) + rest)
                where = position.reshape((-1,) + (1,) * len(rest)).expand(updates.shape)
                flat.scatter_reduce_(0, where, updates, reduce=reduce, include_self=True)
                if flat.data_ptr() != self.data_ptr():  # reshape copied a non-contiguous value
                    self.copy_(flat.reshape(self.shape))

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Sets the rows `sparse_delta.indices` to `sparse_delta.values`; returns the variable."""
        return self._scatter(sparse_delta, "update", "scatter_update")

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        """Adds `sparse_delta.values` to the rows `sparse_delta.indices` (repeats add up)."""
        return self._scatter(sparse_delta, "add", "scatter_add")

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        """Subtracts `sparse_delta.values` from the rows `sparse_delta.indices`."""
        return self._scatter(sparse_delta, "sub", "scatter_sub")

    def scatter_mul(self, sparse_delta, use_locking=False, name=None):
        """Multiplies the rows `sparse_delta.indices` by `sparse_delta.values`."""
        return self._scatter(sparse_delta, "mul", "scatter_mul")

    def scatter_div(self, sparse_delta, use_locking=False, name=None):
        """Divides the rows `sparse_delta.indices` by `sparse_delta.values`."""
        return self._scatter(sparse_delta, "div", "scatter_div")

    def scatter_max(self, sparse_delta, use_locking=False, name=None):
        """Sets the rows `sparse_delta.indices` to their maximum with `sparse_delta.values`."""
        return self._scatter(sparse_delta, "max", "scatter_max")

    def scatter_min(self, sparse_delta, use_locking=False, name=None):
        """Sets the rows `sparse_delta.indices` to their minimum with `sparse_delta.values`."""
        return self._scatter(sparse_delta, "min", "scatter_min")

    def batch_scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Sets entries along the last axis, one index list per batch row."""
        indices = _index_tensor(sparse_delta.indices, self.device)
        values = self._as_update(sparse_delta.values)
        _keep_saved_values(self)
        with torch.no_grad():
            self.scatter_(indices.dim() - 1, indices, values)
        return self

    def _scatter_nd(self, indices, updates, how: str):
        index = _index_tensor(indices, self.device)
        depth = index.shape[-1]
        index = index.reshape(-1, depth)
        rows = self._as_update(updates)
        rows = rows.reshape((index.shape[0],) + tuple(self.shape[depth:]))
        self._apply_scatter(tuple(index[:, k] for k in range(depth)), rows, how)
        return self

    def scatter_nd_update(self, indices, updates, use_locking=True, name=None):
        """Sets the slices addressed by `indices` (last axis: coordinates) to `updates`."""
        return self._scatter_nd(indices, updates, "update")

    def scatter_nd_add(self, indices, updates, use_locking=True, name=None):
        """Adds `updates` to the slices addressed by `indices` (repeats add up)."""
        return self._scatter_nd(indices, updates, "add")

    def scatter_nd_sub(self, indices, updates, use_locking=True, name=None):
        """Subtracts `updates` from the slices addressed by `indices`."""
        return self._scatter_nd(indices, updates, "sub")

    def scatter_nd_max(self, indices, updates, use_locking=True, name=None):
        """Sets the slices addressed by `indices` to their maximum with `updates`."""
        return self._scatter_nd(indices, updates, "max")

    def scatter_nd_min(self, indices, updates, use_locking=True, name=None):
        """Sets the slices addressed by `indices` to their minimum with `updates`."""
        return self._scatter_nd(indices, updates, "min")

    # -- TensorFlow 1 leftovers ----------------------------------------------------
    @property
    def initial_value(self):
        """Not available in eager TensorFlow 2, nor in tork.

        Raises:
            RuntimeError: always, with TensorFlow 2's message.
        """
        raise RuntimeError("This property is not supported when eager execution is enabled.")

    def count_up_to(self, limit):
        """Increments an integer variable until it reaches `limit` (deprecated in TensorFlow).

        Args:
            limit: the value at which counting stops.

        Returns:
            The value before the increment, as a tensor.

        Raises:
            InvalidArgumentError: the variable is not int32 or int64.
            OutOfRangeError: the variable already holds `limit` (or more).

        Example:
        >>> c = tf.Variable(0)
        >>> int(c.count_up_to(2)), int(c.count_up_to(2)), int(c)
        (0, 1, 2)
        """
        from tork._backend.errors import InvalidArgumentError, OutOfRangeError

        if self.dtype not in (torch.int32, torch.int64):
            raise InvalidArgumentError(
                f"Variable.count_up_to: the variable must be int32 or int64, not "
                f"{dtype_name(self.dtype)}."
            )
        old = self.detach().clone()
        if int(old) >= int(limit):
            raise OutOfRangeError(f"Reached limit of {int(limit)}")
        _keep_saved_values(self)
        with torch.no_grad():
            self.add_(1)
        return old

    # -- sliced assignment ---------------------------------------------------------
    def _assign_view(self, view: torch.Tensor, value) -> Variable:
        """Writes `value` into the elements of this variable that `view` (a view of it) covers."""
        from tork._backend.errors import InvalidArgumentError

        if _before_write is not None:
            _before_write(self)
        _keep_saved_values(self)
        value = self._as_update(value)
        target = tuple(view.shape)
        try:
            fits = torch.broadcast_shapes(tuple(value.shape), target) == target
        except RuntimeError:
            fits = False
        if not fits:
            raise InvalidArgumentError(
                f"Cannot broadcast input shape {list(value.shape)} into final shape "
                f"{list(target)} (assigning to a slice of variable '{self._path}')."
            )
        with torch.no_grad():
            # The view's own geometry on the variable: the write never goes through the
            # view's autograd history, and torch's version counter still sees it.
            self.as_strided(view.size(), view.stride(), view.storage_offset()).copy_(value)
        return self

    def get_shape(self):
        """Returns the shape as a `TensorShape`."""
        from tork._backend.tensor_shape import TensorShape

        return TensorShape(tuple(self.shape))

    def __setitem__(self, index, value) -> None:
        # TensorFlow variables refuse item assignment; torch's would raise a leaf error on
        # trainable variables and silently write non-trainable ones. Under no_grad it stays
        # torch's (PyTorch code writes `p[0] = 0` there).
        if torch.is_grad_enabled():
            raise TypeError(
                "'ResourceVariable' object does not support item assignment. Use "
                "`variable[index].assign(value)` (or `variable.scatter_nd_update`) to write "
                "part of a tf.Variable."
            )
        _keep_saved_values(self)
        super().__setitem__(index, value)

    # -- augmented assignment -----------------------------------------------------
    # TensorFlow variables have no in-place operators: `v += 1` raises (`+=`, `-=`, `*=`,
    # `/=`, `**=`) or rebinds `v` to a new tensor (`//=`, `%=`, `@=`). torch's in-place
    # operators would raise a leaf error on trainable variables and silently change
    # non-trainable ones, so tork follows TensorFlow. Under `torch.no_grad()` they stay
    # torch's in-place updates: PyTorch loops write `p -= lr * p.grad` there.
    def __iadd__(self, other):
        if torch.is_grad_enabled():
            _raise_augmented("variable += value", "variable.assign_add(value)", "variable + value")
        _keep_saved_values(self)
        return super().__iadd__(other)

    def __isub__(self, other):
        if torch.is_grad_enabled():
            _raise_augmented("variable -= value", "variable.assign_sub(value)", "variable - value")
        _keep_saved_values(self)
        return super().__isub__(other)

    def __imul__(self, other):
        if torch.is_grad_enabled():
            _raise_augmented("var *= value", "var.assign(var * value)", "var * value")
        _keep_saved_values(self)
        return super().__imul__(other)

    def __itruediv__(self, other):
        if torch.is_grad_enabled():
            _raise_augmented("var /= value", "var.assign(var / value)", "var / value")
        _keep_saved_values(self)
        return super().__itruediv__(other)

    def __ipow__(self, other):
        if torch.is_grad_enabled():
            _raise_augmented("var **= value", "var.assign(var ** value)", "var ** value")
        _keep_saved_values(self)
        return super().__ipow__(other)

    def __ifloordiv__(self, other):
        if torch.is_grad_enabled():
            return self // other
        _keep_saved_values(self)
        return super().__ifloordiv__(other)

    def __imod__(self, other):
        if torch.is_grad_enabled():
            return self % other
        _keep_saved_values(self)
        return super().__imod__(other)

    def __imatmul__(self, other):
        return self @ other

    # -- copying ------------------------------------------------------------------
    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self).__new__(type(self), self.data.clone(), self._trainable)
        result.__dict__.update(copy.deepcopy(self.__dict__, memo))
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        return (_rebuild_variable, (self.data, self._trainable, dict(self.__dict__)))

    def __repr__(self) -> str:
        # TensorFlow's text: a scalar as NumPy prints it, an array as its NumPy repr
        # (on a new line when it spans several).
        array = self.numpy()
        if array.ndim == 0:
            value = str(array.item())
        else:
            value = repr(array)
            if "\n" in value:
                value = "\n" + value
        return (
            f"<tf.Variable '{self.name}' shape={tuple(self.shape)} "
            f"dtype={dtype_name(self.dtype)}, numpy={value}>"
        )

    __str__ = __repr__


class _SliceAssign:
    """`v[1:3].assign(x)`: the `assign` of a slice of a variable.

    TensorFlow lets a strided slice of a variable be assigned to. Basic indexing
    (integers, slices with positive steps, `...`, `None`) of a variable gives a
    snapshot copy that remembers the variable and the index (`Variable.__getitem__`),
    or under `torch.no_grad()` torch's view of it (`view._base`): this descriptor on
    `torch.Tensor` gives both an `assign` that writes into the variable. Variables
    override it with their own method, and any other tensor raises the usual
    AttributeError. Copies (negative steps, index lists, masks) cannot be assigned to.
    """

    def __get__(self, tensor, owner=None):
        if tensor is None:
            return self
        base = tensor._base
        if isinstance(base, Variable):  # a view (under no_grad or torch.compile)

            def assign(value, name=None):
                """Writes `value` into the variable at this slice; returns the variable."""
                return base._assign_view(tensor, value)

            return assign
        # A snapshot slice (`Variable.__getitem__`): the variable is indexed again. (Kept
        # apart from the view case: dynamo compiles that one as it is.)
        target = _slice_target(tensor)
        if target is None:
            raise AttributeError(f"'{type(tensor).__name__}' object has no attribute 'assign'")
        variable, index = target

        def assign_snapshot(value, name=None):
            """Writes `value` into the variable at this slice; returns the variable."""
            return variable._assign_view(_Tensor.__getitem__(variable, index), value)

        return assign_snapshot

    def __set__(self, tensor, value):
        # A data descriptor, as torch.Tensor's own attributes are: torch.compile (Dynamo)
        # expects that of a torch.Tensor attribute, and gives up compiling any code that
        # reads `.assign` (even a Variable's own) otherwise.
        raise AttributeError("'assign' of a tensor cannot be set")


def _slice_target(tensor: torch.Tensor):
    """`(variable, index)` for a slice of a variable that `assign` may write through.

    `index` is None for a view of the variable (`tensor` itself covers the elements), or
    the index a snapshot slice was read with. None when `tensor` is no such slice.
    """
    base = tensor._base
    if isinstance(base, Variable):
        return base, None
    if _is_compiling():
        return None  # slices read inside compiled code are torch's views (see above)
    return _snapshot_slices.get(tensor)


# Snapshot slice -> (variable, index) it was read with, for its `assign`.
_snapshot_slices = WeakIdKeyDictionary()


def _install_slice_assign() -> None:
    if not isinstance(torch.Tensor.__dict__.get("assign"), _SliceAssign):
        torch.Tensor.assign = _SliceAssign()


_install_slice_assign()


def _shape_fits(flexible, shape: tuple) -> bool:
    if flexible is None:
        return True
    return len(flexible) == len(shape) and all(f is None or f == d for f, d in zip(flexible, shape))


# -- read snapshots for GradientTape ---------------------------------------------------
# TensorFlow's tape keeps the value a variable had when the forward pass read it: an
# optimizer step or an `assign` between that forward pass and `tape.gradient` (a GAN's
# second tape, an actor-critic's persistent tape) does not change the gradient. torch
# saves the variable itself and refuses a backward pass after an in-place write. While a
# tape records, tork.tape installs `_pack_saved`/`_unpack_saved` as autograd's saved-tensor
# hooks: a variable (or a view of one) that an op saves is registered here, and tork's own
# writes (`assign*`, scatters, slice assigns, optimizer steps) call `_keep_saved_values`
# first, which copies the old value once for the saved reads that still need it
# (copy-on-write: nothing is copied when no live graph holds the variable).


class _SavedRead:
    """A variable, or a view of one, that autograd saved for a backward pass."""

    __slots__ = ("tensor", "version", "snapshot", "__weakref__")


# id(variable) -> weak references to its `_SavedRead`s (each dies with its graph). Plain
# references without callbacks (cheap to make): dead ones are skipped, and dropped when a
# write takes the list or when it grows long.
_saved_reads: dict[int, list] = {}
# Pruned of dead entries when it reaches this size (doubles when pruning frees too little).
_saved_reads_limit = 256
_Tensor = torch.Tensor
_ref = weakref.ref


def _modified_error(saved: int, now: int) -> RuntimeError:
    # The words tork.tape recognizes (torch's own) for its explanation of the failure.
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: it was at version {saved} when the op saved it and is now at "
        f"version {now}."
    )


def _prune_saved_reads() -> None:
    global _saved_reads_limit
    for key in list(_saved_reads):
        alive = [r for r in _saved_reads[key] if r() is not None]
        if alive:
            _saved_reads[key] = alive
        else:
            del _saved_reads[key]
    if len(_saved_reads) * 2 > _saved_reads_limit:
        _saved_reads_limit *= 2


def _register_read(variable: Variable, tensor: torch.Tensor) -> _SavedRead:
    read = _SavedRead()
    read.tensor = tensor
    read.version = tensor._version
    read.snapshot = None
    reads = _saved_reads.get(id(variable))
    if reads is None:
        if len(_saved_reads) >= _saved_reads_limit:
            _prune_saved_reads()
        _saved_reads[id(variable)] = [_ref(read)]
    else:
        reads.append(_ref(read))
        if len(reads) > 64:  # a variable read in many graphs and never written
            reads[:] = [r for r in reads if r() is not None]
    return read


def _pack_saved(tensor: torch.Tensor):
    """Autograd pack hook while a tape records: see `_SavedRead`."""
    cls = type(tensor)
    if cls is not _Tensor and issubclass(cls, Variable):
        return _register_read(tensor, tensor)
    base = tensor._base
    if base is not None and issubclass(type(base), Variable):
        # A view (a transposed kernel): the detached alias shares its storage and version.
        return _register_read(base, tensor.detach())
    # Other tensors keep torch's check against in-place changes (which hooks turn off),
    # through their version counter, which a detached alias shares. One with a graph is
    # detached, so that a saved output does not keep its own graph alive (a cycle).
    if tensor.requires_grad:
        return (tensor.detach(), tensor._version)
    return (tensor, tensor._version)


def _unpack_saved(packed) -> torch.Tensor:
    """Autograd unpack hook: the saved value, or its copy from before a write."""
    if type(packed) is tuple:
        tensor, version = packed
    else:
        snapshot = packed.snapshot
        if snapshot is not None:
            return snapshot
        tensor, version = packed.tensor, packed.version
    if tensor._version != version:
        raise _modified_error(version, tensor._version)
    return tensor


def _keep_saved_values(variable) -> None:
    """Before an in-place write to `variable`: copies the value its live saved reads need.

    Nothing to do (and nothing read) under torch.compile, which traces no saved-tensor
    hooks (tork.tape pushes none there; reading `_saved_reads` would make the compiled code
    depend on it), or while no saved reads are live.
    """
    if _is_compiling() or not _saved_reads:
        return
    reads = _saved_reads.pop(id(variable), None)
    if not reads:
        return
    version = variable._version
    copy_ = None
    for ref in reads:
        read = ref()
        # A read already changed behind tork's back (a raw torch in-place op) keeps
        # torch's error: its value is gone.
        if read is None or read.snapshot is not None or read.version != version:
            continue
        # Copies of detached tensors: no graph is recorded.
        if read.tensor is variable:
            if copy_ is None:
                copy_ = variable.detach().clone()
            read.snapshot = copy_
        else:
            read.snapshot = read.tensor.clone()


def _keep_saved_values_of(variables) -> None:
    """`_keep_saved_values` for each variable that has live saved reads (optimizer steps)."""
    if not _is_compiling() and _saved_reads:
        for v in variables:
            if id(v) in _saved_reads:
                _keep_saved_values(v)


def is_variable(value) -> bool:
    """True when `value` is a tork `Variable`."""
    return isinstance(value, Variable)


__all__ = [
    "Variable",
    "VariableAggregation",
    "VariableSynchronization",
    "as_dtype",
    "is_variable",
]


def _raise_augmented(statement: str, update: str, expression: str):
    raise RuntimeError(
        f"`{statement}` with `tf.Variable`s is not supported. Use `{update}` to modify the "
        f"variable, or `out = {expression}` if you need to get a new output Tensor."
    )
