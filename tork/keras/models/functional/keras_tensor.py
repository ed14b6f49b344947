"""`KerasTensor`: a symbolic tensor of the functional API.

It holds a shape (None for unknown sizes) and a dtype, and remembers the node
that produced it. Shapes are inferred without computing: every operation runs
on two fake tensors (torch's FakeTensorMode, no data) whose unknown sizes are 61
and 97; sizes that agree are known, sizes that differ are None. torch functions
and operators applied to KerasTensors (`x + 1`, `tf.concat([a, b], -1)`)
become graph nodes too, through `__torch_function__`.
"""

from __future__ import annotations

import collections
import itertools

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype
from tork._symbolic import SymbolicTensor
from tork.keras._shape import KerasShape

_counter = itertools.count()
_MODE = None


def fake_mode():
    """The FakeTensorMode shared by all symbolic tensors of this process."""
    global _MODE
    if _MODE is None:
        from torch._subclasses.fake_tensor import FakeTensorMode

        _MODE = FakeTensorMode(allow_non_fake_inputs=True)
    return _MODE


# Stand-in sizes for unknown dimensions. Fake tensors hold no data, so they can be large:
# large enough for any kernel, and different after several strided layers.
_STAND_INS = (61, 97)


def make_fakes(shape, dtype):
    """Two fake tensors for a shape whose None sizes become two different stand-in sizes.

    Strings (`keras.Input(dtype="string")`) have no fake tensors: their twins are real
    string tensors of empty strings, which string layers (TextVectorization, StringLookup)
    process as they would real text.
    """
    a_size, b_size = _STAND_INS
    if dtype is string_tensor.string:
        return tuple(
            string_tensor.wrap(np.full(tuple(n if d is None else d for d in shape), b"", object))
            for n in (a_size, b_size)
        )
    mode = fake_mode()
    device = current_device()
    with mode:
        a = torch.empty(
            tuple(a_size if d is None else d for d in shape), dtype=dtype, device=device
        )
        b = torch.empty(
            tuple(b_size if d is None else d for d in shape), dtype=dtype, device=device
        )
    return a, b


class KerasHistory(collections.namedtuple("KerasHistory", ["layer", "node_index", "tensor_index"])):
    """Where a symbolic tensor comes from (Keras 2's `tensor._keras_history`): the layer that
    produced it, which of its calls (node) and which of that call's outputs."""

    __slots__ = ()


def _created_by(tensor, prefix: str) -> str:
    """Keras 2's `(created by layer 'name')` part of a KerasTensor's repr ('' if unknown)."""
    history = getattr(tensor, "_keras_history", None)
    name = getattr(getattr(history, "layer", None), "name", None)
    return f"{prefix}(created by layer '{name}')" if name else ""


def _keras2_str(tensor, spec) -> str:
    """tf_keras's `str()` of a KerasTensor: its type spec, name and producing layer."""
    text = f"KerasTensor(type_spec={spec!r}, name='{tensor.name}'"
    created = _created_by(tensor, "")
    if created:
        text += f', description="{created[1:-1]}"'
    return text + ")"


class KerasTensor(SymbolicTensor):
    """A symbolic tensor: the output of `keras.Input` or of a layer called on one.

    Attributes:
        shape: a tuple (with Keras 2's `as_list()`); None marks sizes unknown until
            data arrives.
        dtype: a torch dtype.
        name: a unique name.

    Example:
    >>> x = keras.Input(shape=(8,))
    >>> x.shape
    (None, 8)
    """

    # Keras 3's flags (set by the ragged and sparse subclasses below).
    ragged = False
    sparse = False

    def __init__(self, shape, dtype=torch.float32, name=None, fakes=None, node=None, index=0):
        # Keras 3 code builds specs by hand: `keras.KerasTensor((None, 4), dtype="int32")`.
        dtype = torch.float32 if dtype is None else as_dtype(dtype)
        self.shape = KerasShape(shape)
        self.dtype = dtype
        # Given names (Inputs') are kept; a layer's output is named as Keras 2 names it
        # (`dense/BiasAdd:0`, see _tensor_names.py), other tensors `keras_tensor_<n>`.
        self._tork_name = name
        if not name:
            self._tork_auto_name = f"keras_tensor_{next(_counter)}"
        self._fakes = fakes if fakes is not None else make_fakes(self.shape, dtype)
        self._tork_node = node
        self._tork_index = index

    # copy.deepcopy and pickle (of a functional model, which holds its graph): fake tensors
    # are bound to this process's fake mode and cannot be copied, so they are dropped and
    # made anew from the shape and dtype, with a fake mask of the same shape if one was set.
    def __getstate__(self):
        state = dict(self.__dict__)
        fakes = state.pop("_fakes", None)
        state.pop("_tork_mask", None)
        mask = getattr(fakes[0], "_keras_mask", None) if fakes else None
        if isinstance(mask, torch.Tensor):
            b_mask = fakes[1]._keras_mask
            shape = tuple(a if a == b else None for a, b in zip(mask.shape, b_mask.shape))
            state["_tork_mask_spec"] = (shape, mask.dtype)
        return state

    def __setstate__(self, state):
        state = dict(state)
        mask_spec = state.pop("_tork_mask_spec", None)
        self.__dict__.update(state)
        fakes = make_fakes(self.shape, self.dtype)
        if mask_spec is not None:
            for fake, mask in zip(fakes, make_fakes(*mask_spec)):
                fake._keras_mask = mask
        self.__dict__["_fakes"] = fakes

    @property
    def name(self) -> str:
        """The tensor's name: an Input's name, or Keras 2's `layer_name/Op:index`."""
        state = self.__dict__
        if state.get("_tork_name"):
            return state["_tork_name"]
        from tork.keras.models.functional._tensor_names import keras2_name

        return keras2_name(self) or state.get("_tork_auto_name") or "keras_tensor"

    @name.setter
    def name(self, value) -> None:
        self.__dict__["_tork_name"] = value

    @property
    def _keras_history(self):
        node = self._tork_node
        layer = getattr(node, "layer", None)  # an op's TFOpLambda layer, as Keras 2
        node_index = 0
        if layer is not None and hasattr(layer, "_tork_inbound_nodes"):
            nodes = layer._tork_inbound_nodes
            node_index = nodes.index(node) if node in nodes else 0
        return KerasHistory(layer, node_index, self._tork_index)

    @property
    def _keras_mask(self):
        """The mask the producing layer attached (e.g. `Embedding(mask_zero=True)`), or None.

        A symbolic view of it, for inspection (`print(x._keras_mask)`); layers receive the
        real mask when the model runs.
        """
        cached = self.__dict__.get("_tork_mask")
        if cached is not None:
            return cached
        a, b = (getattr(fake, "_keras_mask", None) for fake in self._fakes)
        if not isinstance(a, torch.Tensor) or not isinstance(b, torch.Tensor):
            return None
        shape = tuple(da if da == db else None for da, db in zip(a.shape, b.shape))
        mask = KerasTensor(shape, a.dtype, name=f"{self.name}_mask", fakes=(a, b))
        self.__dict__["_tork_mask"] = mask
        return mask

    @property
    def _keras_shape(self) -> tuple:
        """Standalone Keras 2's static shape attribute: the shape as a plain tuple.

        2017-2018 model code reads it (`if init._keras_shape[-1] != 2 * filters:`) where
        today's code writes `K.int_shape(init)`.
        """
        return tuple(self.shape)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def get_shape(self):
        from tork._backend.tensor_shape import TensorShape

        return TensorShape(self.shape)

    @property
    def type_spec(self):
        """The `tf.TensorSpec` of this tensor (Keras 2's `KerasTensor.type_spec`)."""
        from tork.data.tensor_spec import TensorSpec

        return TensorSpec(self.shape, self.dtype, self.name)

    def __repr__(self) -> str:
        # tf_keras's text: `<KerasTensor: shape=(None, 3) dtype=float32 (created by layer 'd')>`.
        dtype = str(self.dtype).replace("torch.", "")
        shape = "<unknown>" if self.shape is None else tuple(self.shape)
        return f"<KerasTensor: shape={shape} dtype={dtype}{_created_by(self, ' ')}>"

    def __str__(self) -> str:
        # tf_keras's `KerasTensor(type_spec=..., name='...', description="created by ...")`;
        # a layer output's spec has no name there, an Input's has the Input's name.
        from tork.data.tensor_spec import TensorSpec

        spec = TensorSpec(self.shape, self.dtype, self.__dict__.get("_tork_name") or None)
        return _keras2_str(self, spec)

    def __len__(self):
        if self.shape and self.shape[0] is not None:
            return self.shape[0]
        raise TypeError(
            "len() of a symbolic KerasTensor with an unknown first dimension is undefined: "
            "the batch size is only known when data arrives."
        )

    def __bool__(self):
        raise TypeError(
            "A symbolic KerasTensor has no value, so it cannot be used as a Python bool (e.g. in "
            "`if x > 0`). Use ops such as tf.where, or write the logic in a Layer's call()."
        )

    def __iter__(self):
        raise TypeError(
            "Iterating over a symbolic KerasTensor is not supported: its values are unknown. "
            "Use ops such as tf.unstack inside a Layer's call()."
        )

    def numpy(self):
        raise TypeError(
            "A symbolic KerasTensor has no value: it only describes the inputs of a functional "
            "model. Call the model on real data to get values."
        )

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        from tork.keras.models.functional.node import call_torch_op

        if not kwargs:
            # `tf.constant(...) * x`: the constant's own operator (a Tensor method) comes
            # here; record the torch function that `x`'s operators record, operands in the
            # same order, so the op is Keras 2's (`tf.math.multiply`) and can be saved.
            func = _tensor_operators().get(func, func)
        return call_torch_op(func, args, kwargs or {})

    # Python operators route through torch functions, which come back to __torch_function__.
    def __add__(self, other):
        return torch.add(self, _operand(self, other))

    def __radd__(self, other):
        return torch.add(_operand(self, other), self)

    def __sub__(self, other):
        return torch.sub(self, _operand(self, other))

    def __rsub__(self, other):
        return torch.sub(_operand(self, other), self)

    def __mul__(self, other):
        return torch.mul(self, _operand(self, other))

    def __rmul__(self, other):
        return torch.mul(_operand(self, other), self)

    def __truediv__(self, other):
        return torch.div(self, _operand(self, other))

    def __rtruediv__(self, other):
        return torch.div(_operand(self, other), self)

    def __floordiv__(self, other):
        return _floordiv()(self, _operand(self, other))

    def __rfloordiv__(self, other):
        return _floordiv()(_operand(self, other), self)

    def __mod__(self, other):
        return torch.remainder(self, _operand(self, other))

    def __rmod__(self, other):
        return torch.remainder(_operand(self, other), self)

    def __pow__(self, other):
        return torch.pow(self, _operand(self, other))

    def __rpow__(self, other):
        return torch.pow(_operand(self, other), self)

    def __matmul__(self, other):
        return torch.matmul(self, _operand(self, other))

    def __rmatmul__(self, other):
        return torch.matmul(_operand(self, other), self)

    def __neg__(self):
        return torch.neg(self)

    def __abs__(self):
        return torch.abs(self)

    def __lt__(self, other):
        return torch.lt(self, _operand(self, other))

    def __le__(self, other):
        return torch.le(self, _operand(self, other))

    def __gt__(self, other):
        return torch.gt(self, _operand(self, other))

    def __ge__(self, other):
        return torch.ge(self, _operand(self, other))

    def __and__(self, other):
        return torch.logical_and(self, _operand(self, other))

    def __or__(self, other):
        return torch.logical_or(self, _operand(self, other))

    def __invert__(self):
        return torch.logical_not(self)

    def __xor__(self, other):
        # TensorFlow's `^` is logical_xor, which it computes as these three ops (the
        # layers tf_keras records: logical_or, logical_and, logical_not, logical_and).
        other = _operand(self, other)
        if isinstance(other, (bool, int, float)):
            other = torch.tensor(other, device=current_device())  # torch's logical ops want tensors
        return torch.logical_and(
            torch.logical_or(self, other), torch.logical_not(torch.logical_and(self, other))
        )

    __rxor__ = __xor__  # symmetric; the symbolic tensor first, as torch wants a tensor there

    # `ids != 0` (a padding mask) is elementwise, an op as in tf_keras (`tf.__operators__.ne`).
    # Between two symbolic tensors (and with None) `==` stays identity: tork's graph code
    # and `x in [a, b]` compare symbolic tensors (tf_keras makes an op there too).
    def __eq__(self, other):
        if other is None or isinstance(other, SymbolicTensor):
            return self is other
        return _comparison("equal", torch.eq)(self, _operand(self, other))

    def __ne__(self, other):
        if other is None or isinstance(other, SymbolicTensor):
            return self is not other
        return _comparison("not_equal", torch.ne)(self, _operand(self, other))

    def __getitem__(self, key):
        return symbolic_getitem(self, key)

    __hash__ = object.__hash__

    # `anchors * x` with a NumPy array on the left: NumPy then hands the operator to
    # `x.__rmul__` instead of making an object array, as for Keras 2's KerasTensor.
    __array_priority__ = 100

    def __getattr__(self, name):
        if name == "graph":
            # TF1-style training code (keras-rl's DDPG: `with loss.graph.as_default():
            # optimizer.get_updates(...)`) needs TensorFlow graphs, which tork has not.
            # Still an AttributeError, so `hasattr(x, "graph")` stays False.
            raise AttributeError(
                "'KerasTensor' object has no attribute 'graph': tork runs eagerly on PyTorch "
                "and has no TensorFlow graphs (tf.compat.v1.disable_eager_execution() is "
                "ignored). Graph-mode training code (`loss.graph.as_default()`, "
                "`optimizer.get_updates(params, loss)`, `K.function(..., updates=...)`) must "
                "be written eagerly: compute the loss inside a tf.GradientTape and call "
                "optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))."
            )
        # Tensor methods (x.reshape(...), x.sum(...)) become graph ops too.
        if name.startswith("_") or not hasattr(torch.Tensor, name):
            raise AttributeError(f"'KerasTensor' object has no attribute '{name}'")
        method = getattr(torch.Tensor, name)

        def bound(*args, **kwargs):
            from tork.keras.models.functional.node import call_torch_op

            return call_torch_op(method, (self, *args), kwargs)

        return bound


def _operand(tensor: KerasTensor, other):
    """A NumPy operand of an operator, converted as TensorFlow converts it.

    torch's functions refuse NumPy arrays before `__torch_function__` is reached, while
    Keras 2 converts them to the KerasTensor's dtype (`conv * ANCHORS[i]`, the anchors a
    NumPy array, in a functional YOLO head). 0-d values become Python numbers.
    """
    if isinstance(other, (np.ndarray, np.generic)) and isinstance(tensor.dtype, torch.dtype):
        from tork._backend.tensor import convert_operand

        return convert_operand(other, torch.empty((), dtype=tensor.dtype, device=current_device()))
    return other


def _comparison(name: str, function):
    """The function `x == other` / `x != other` records: torch's (Keras 2's
    `tf.__operators__.eq` layer), or tork's `tf.math.<name>` where torch's cannot take the
    operands (strings: `text != ""`; lists: `x == [1.0, 2.0]`; ragged tensors)."""

    def compare(x, other):
        if (
            x.dtype is string_tensor.string
            or x.ragged
            or x.sparse
            or isinstance(other, (str, bytes, list, tuple))
        ):
            from tork import _symbolic

            return _symbolic.resolve(f"tf.math.{name}")(x, other)
        return function(x, other)

    return compare


def _floordiv():
    """tork's `tf.math.floordiv`, what `x // y` records (Keras 2's `tf.compat.v1.floor_div`
    layer): unlike torch.floor_divide it has a gradient (none, zeros, as TensorFlow's), so
    a GradientTape through a model with `x // 2.0` does not fail."""
    from tork import _symbolic

    return _symbolic.resolve("tf.math.floordiv")


_TENSOR_OPERATORS = None


def _tensor_operators() -> dict:
    """Tensor methods and operators -> the torch function KerasTensor's operators call."""
    global _TENSOR_OPERATORS
    if _TENSOR_OPERATORS is None:
        table = {}
        pairs = {
            "add": torch.add,
            "sub": torch.sub,
            "mul": torch.mul,
            "div": torch.div,
            "truediv": torch.div,
            "floordiv": _floordiv(),
            "floor_divide": _floordiv(),
            "mod": torch.remainder,
            "remainder": torch.remainder,
            "pow": torch.pow,
            "matmul": torch.matmul,
            "lt": torch.lt,
            "le": torch.le,
            "gt": torch.gt,
            "ge": torch.ge,
        }
        for name, function in pairs.items():
            for attribute in (name, f"__{name}__"):
                method = getattr(torch.Tensor, attribute, None)
                if method is not None:
                    table[method] = function
        # A tensor's own `//` (`tf.constant(...) // x`) calls torch.floor_divide, which has
        # no gradient: record tork's op as for `x // y`.
        table[torch.floor_divide] = _floordiv()
        _TENSOR_OPERATORS = table
    return _TENSOR_OPERATORS


# ---------------------------------------------------------------- ragged and sparse inputs
# `keras.Input(ragged=True)` / `keras.Input(sparse=True)` and the layers that produce
# RaggedTensors or SparseTensors. Fake tensors cannot hold a row partition (its sizes are
# data), so the twins of these symbolic tensors are small REAL RaggedTensors/SparseTensors
# whose unknown sizes are stand-ins; the layers they meet run on real data
# (tork/keras/models/functional/composite.py), and dense results become fake twins again.

# Rows of the two twins along each ragged dimension cycle through 1..3 and 1..5 values:
# every row is non-empty and the longest rows differ, so a padded length is seen as None.
_RAGGED_CYCLES = (3, 5)


def ragged_rank_of(batch_shape) -> int:
    """Keras 2's ragged rank for `keras.Input(ragged=True)`: the last unknown axis."""
    return max((i for i, d in enumerate(batch_shape) if i and d is None), default=0)


def make_ragged_twins(shape, dtype, ragged_rank: int, row_splits_dtype=torch.int64):
    """Two real RaggedTensors of `shape`, with stand-in sizes for its unknown dimensions."""
    from tork._backend.ragged_tensor import RaggedTensor

    twins = []
    for which, cycle in enumerate(_RAGGED_CYCLES):
        rows = shape[0] if shape[0] is not None else _STAND_INS[which]
        partitions = []
        for dim in shape[1 : ragged_rank + 1]:
            if dim is None:
                lengths = torch.arange(rows, dtype=row_splits_dtype) % cycle + 1
            else:
                lengths = torch.full((rows,), int(dim), dtype=row_splits_dtype)
            partitions.append((dim, lengths))
            rows = int(lengths.sum())
        inner = tuple(1 if d is None else d for d in shape[ragged_rank + 1 :])
        if dtype is string_tensor.string:
            values = string_tensor.wrap(np.full((rows, *inner), b"", object))
        else:
            values = torch.zeros((rows, *inner), dtype=dtype, device=current_device())
        for dim, lengths in reversed(partitions):
            if dim is None:
                values = RaggedTensor.from_row_lengths(values, lengths, validate=False)
            else:
                values = RaggedTensor.from_uniform_row_length(values, dim, validate=False)
        twins.append(values)
    return tuple(twins)


def make_sparse_twins(shape, dtype):
    """Two real SparseTensors of `shape` (stand-in sizes for None) holding a few values."""
    from tork._backend.sparse_tensor import SparseTensor

    twins = []
    for which in (0, 1):
        dense = [d if d is not None else _STAND_INS[which] for d in shape]
        count = min(dense) if dense else 0
        if which and count >= 2:
            # Different numbers of entries in the twins: `st.values`/`st.indices` of a
            # symbolic SparseTensor then get an unknown first dimension, as in tf_keras.
            count -= 1
        # A diagonal of `count` entries: valid, ordered coordinates for any rank.
        indices = torch.arange(count, dtype=torch.int64)[:, None].expand(count, len(dense))
        if dtype is string_tensor.string:
            values = string_tensor.wrap(np.full((count,), b"", object))
        else:
            values = torch.zeros((count,), dtype=dtype)
        twins.append(SparseTensor(indices.contiguous(), values, dense))
    return tuple(twins)


def _spec_shape(shape) -> str:
    return "TensorShape([" + ", ".join("None" if d is None else str(d) for d in shape) + "])"


class RaggedKerasTensor(KerasTensor):
    """A symbolic `tf.RaggedTensor`: the output of `keras.Input(ragged=True)`, or of a layer
    returning a RaggedTensor in a functional model.

    Attributes:
        shape: the shape, None for ragged (and other unknown) dimensions.
        dtype: the dtype of the values.
        ragged_rank: the number of ragged dimensions.
        row_splits_dtype: int64 (default) or int32.
        type_spec: the `tf.RaggedTensorSpec`.

    Example:
    >>> x = keras.Input(shape=(None,), dtype="int64", ragged=True)
    >>> x.type_spec
    RaggedTensorSpec(TensorShape([None, None]), tf.int64, 1, tf.int64)
    """

    ragged = True
    sparse = False

    def __init__(
        self,
        shape,
        dtype=torch.float32,
        ragged_rank=None,
        row_splits_dtype=torch.int64,
        name=None,
        fakes=None,
        node=None,
        index=0,
    ):
        shape = KerasShape(shape)
        self.ragged_rank = ragged_rank_of(shape) if ragged_rank is None else int(ragged_rank)
        self.row_splits_dtype = row_splits_dtype
        if fakes is None:
            fakes = make_ragged_twins(shape, dtype, self.ragged_rank, row_splits_dtype)
        super().__init__(shape, dtype, name=name, fakes=fakes, node=node, index=index)

    @property
    def type_spec(self):
        from tork._backend.ragged_tensor import RaggedTensorSpec

        return RaggedTensorSpec(self.shape, self.dtype, self.ragged_rank, self.row_splits_dtype)

    @property
    def _keras_mask(self):
        return None  # a RaggedTensor carries its lengths itself

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_fakes", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__["_fakes"] = make_ragged_twins(
            self.shape, self.dtype, self.ragged_rank, self.row_splits_dtype
        )

    def __repr__(self) -> str:
        return f"<KerasTensor: type_spec={self.type_spec!r}{_created_by(self, ' ')}>"

    def __str__(self) -> str:
        return _keras2_str(self, self.type_spec)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        from tork.keras.models.functional.composite import call_op

        return call_op(func, args, kwargs or {})

    def __getitem__(self, key):
        from tork.keras.models.functional.composite import call_op

        return call_op(_getitem, (self, key), {})

    def __getattr__(self, name):
        # RaggedTensor's methods and properties (x.row_lengths(), x.flat_values) become
        # graph ops, as Keras 2's `input.row_lengths` layers.
        from tork._backend.ragged_tensor import RaggedTensor

        if name.startswith("_") or not hasattr(RaggedTensor, name):
            raise AttributeError(f"'RaggedKerasTensor' object has no attribute '{name}'")
        if name in ("to_list", "tolist"):
            return self.numpy  # no values: the same TypeError as numpy()
        from tork.keras.models.functional.composite import call_op

        if isinstance(getattr(RaggedTensor, name), property):
            return call_op(_ATTRIBUTES[name], (self,), {})

        def bound(*args, **kwargs):
            return call_op(_method(name), (self, *args), kwargs)

        return bound


class SparseKerasTensor(KerasTensor):
    """A symbolic `tf.SparseTensor`: the output of `keras.Input(sparse=True)`.

    Example:
    >>> x = keras.Input(shape=(5,), sparse=True)
    >>> x.type_spec
    SparseTensorSpec(TensorShape([None, 5]), tf.float32)
    """

    ragged = False
    sparse = True

    def __init__(self, shape, dtype=torch.float32, name=None, fakes=None, node=None, index=0):
        shape = KerasShape(shape)
        if fakes is None:
            fakes = make_sparse_twins(shape, dtype)
        super().__init__(shape, dtype, name=name, fakes=fakes, node=node, index=index)

    @property
    def type_spec(self):
        from tork._backend.sparse_tensor import SparseTensorSpec

        return SparseTensorSpec(self.shape, self.dtype)

    @property
    def _keras_mask(self):
        return None

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_fakes", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.__dict__["_fakes"] = make_sparse_twins(self.shape, self.dtype)

    def __repr__(self) -> str:
        return f"<KerasTensor: type_spec={self.type_spec!r}{_created_by(self, ' ')}>"

    def __str__(self) -> str:
        return _keras2_str(self, self.type_spec)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        from tork.keras.models.functional.composite import call_op

        return call_op(func, args, kwargs or {})

    def __getattr__(self, name):
        # A SparseTensor's components become graph ops, as tf_keras's `input.values` layers.
        if name in _SPARSE_ATTRIBUTES:
            from tork.keras.models.functional.composite import call_op

            return call_op(_ATTRIBUTES[name], (self,), {})
        raise AttributeError(f"'SparseKerasTensor' object has no attribute '{name}'")


# Ops standing for RaggedTensor attributes, one function per name so that graph nodes of
# the same attribute share it (and it has a readable name in errors).
_METHODS: dict = {}


def _method(name: str):
    fn = _METHODS.get(name)
    if fn is None:

        def fn(value, *args, **kwargs):
            return getattr(value, name)(*args, **kwargs)

        fn.__name__ = fn.__qualname__ = name
        # Model configs and layer names call it `input.<name>`, as tf_keras names the
        # InstanceMethod layers of these calls (config.py revives it from that name).
        fn._tork_api_name = f"{INSTANCE_PREFIX}{name}"
        _METHODS[name] = fn
    return fn


# The prefix of the op names of RaggedTensor/SparseTensor attributes and methods.
INSTANCE_PREFIX = "input."


# Python operators of a symbolic RaggedTensor/SparseTensor -> the tf op recorded for them
# (by name in tork.ops.math, looked up when used: the model config can name those ops).
_OPERATORS = {
    "add": "add",
    "sub": "subtract",
    "mul": "multiply",
    "truediv": "truediv",
    "floordiv": "floordiv",
    "mod": "floormod",
    "pow": "pow",
    "lt": "less",
    "le": "less_equal",
    "gt": "greater",
    "ge": "greater_equal",
    "and": "logical_and",
    "or": "logical_or",
}
_UNARY_OPERATORS = {"neg": "negative", "abs": "abs", "invert": "logical_not"}


def _composite_operators(cls) -> None:
    """Python operators of a symbolic RaggedTensor/SparseTensor: graph nodes of tf ops."""

    def call_op(op_name, args):
        from tork.keras.models.functional.composite import call_op as record
        from tork.ops import math as tf_math

        return record(getattr(tf_math, op_name), args, {})

    def binary(op_name, reflected=False):
        if reflected:
            return lambda self, other: call_op(op_name, (other, self))
        return lambda self, other: call_op(op_name, (self, other))

    for dunder, op_name in _OPERATORS.items():
        setattr(cls, f"__{dunder}__", binary(op_name))
        if dunder in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow"):
            setattr(cls, f"__r{dunder}__", binary(op_name, reflected=True))
    for dunder, op_name in _UNARY_OPERATORS.items():
        setattr(cls, f"__{dunder}__", lambda self, op_name=op_name: call_op(op_name, (self,)))
    # No matmul of ragged tensors in TF either; sparse @ dense is tf.sparse.sparse_dense_matmul.
    cls.__matmul__ = cls.__rmatmul__ = None


class _Attributes(dict):
    def __missing__(self, name):
        def fn(value):
            return getattr(value, name)

        fn.__name__ = fn.__qualname__ = name
        fn._tork_api_name = f"{INSTANCE_PREFIX}{name}"  # tf_keras's InstanceProperty name
        self[name] = fn
        return fn


_ATTRIBUTES = _Attributes()
_SPARSE_ATTRIBUTES = ("dense_shape", "indices", "values")


def is_composite(value) -> bool:
    """True for the symbolic RaggedTensors and SparseTensors of the functional API."""
    return type(value) in (RaggedKerasTensor, SparseKerasTensor)


def is_keras_tensor(value) -> bool:
    """True for symbolic tensors of the functional API."""
    return isinstance(value, KerasTensor)


_composite_operators(RaggedKerasTensor)
_composite_operators(SparseKerasTensor)


# Modules that need the classes above: `x[...]` (`_getitem` is the op that model configs and
# pickles name from here), and `tf.RaggedTensor.from_tensor(keras.Input(...), lengths=...)`.
from tork.keras.models.functional import _ragged_constructors  # noqa: E402, F401
from tork.keras.models.functional._symbolic_getitem import (  # noqa: E402
    _getitem,
    symbolic_getitem,
)
