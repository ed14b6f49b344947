"""`KerasTensor`: a symbolic tensor of the functional API.

It holds a shape (None for unknown sizes) and a dtype, and remembers the node
that produced it. Shapes are inferred without computing: every operation runs
on two fake tensors (torch's FakeTensorMode, no data) whose unknown sizes are 61
and 97; sizes that agree are known, sizes that differ are None. torch functions
and operators applied to KerasTensors (`x + 1`, `tf.concat([a, b], -1)`)
become graph nodes too, through `__torch_function__`.
"""

from __future__ import annotations

import itertools

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.device import current_device
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

    def __init__(self, shape, dtype=torch.float32, name=None, fakes=None, node=None, index=0):
        self.shape = KerasShape(shape)
        self.dtype = dtype
        self.name = name or f"keras_tensor_{next(_counter)}"
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
    def _keras_history(self):
        node = self._tork_node
        layer = getattr(node, "operation", None)
        node_index = 0
        if layer is not None and hasattr(layer, "_tork_inbound_nodes"):
            nodes = layer._tork_inbound_nodes
            node_index = nodes.index(node) if node in nodes else 0
        return (layer, node_index, self._tork_index)

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
    def ndim(self) -> int:
        return len(self.shape)

    def get_shape(self):
        from tork._backend.tensor_shape import TensorShape

        return TensorShape(self.shape)

    def __repr__(self) -> str:
        dtype = str(self.dtype).replace("torch.", "")
        return f"<KerasTensor shape={self.shape}, dtype={dtype}, name={self.name}>"

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

        return call_torch_op(func, args, kwargs or {})

    # Python operators route through torch functions, which come back to __torch_function__.
    def __add__(self, other):
        return torch.add(self, other)

    def __radd__(self, other):
        return torch.add(other, self)

    def __sub__(self, other):
        return torch.sub(self, other)

    def __rsub__(self, other):
        return torch.sub(other, self)

    def __mul__(self, other):
        return torch.mul(self, other)

    def __rmul__(self, other):
        return torch.mul(other, self)

    def __truediv__(self, other):
        return torch.div(self, other)

    def __rtruediv__(self, other):
        return torch.div(other, self)

    def __floordiv__(self, other):
        return torch.floor_divide(self, other)

    def __mod__(self, other):
        return torch.remainder(self, other)

    def __pow__(self, other):
        return torch.pow(self, other)

    def __rpow__(self, other):
        return torch.pow(other, self)

    def __matmul__(self, other):
        return torch.matmul(self, other)

    def __rmatmul__(self, other):
        return torch.matmul(other, self)

    def __neg__(self):
        return torch.neg(self)

    def __abs__(self):
        return torch.abs(self)

    def __lt__(self, other):
        return torch.lt(self, other)

    def __le__(self, other):
        return torch.le(self, other)

    def __gt__(self, other):
        return torch.gt(self, other)

    def __ge__(self, other):
        return torch.ge(self, other)

    def __and__(self, other):
        return torch.logical_and(self, other)

    def __or__(self, other):
        return torch.logical_or(self, other)

    def __invert__(self):
        return torch.logical_not(self)

    def __getitem__(self, key):
        from tork.keras.models.functional.node import call_torch_op

        return call_torch_op(_getitem, (self, key), {})

    __hash__ = object.__hash__

    def __getattr__(self, name):
        # Tensor methods (x.reshape(...), x.sum(...)) become graph ops too.
        if name.startswith("_") or not hasattr(torch.Tensor, name):
            raise AttributeError(f"'KerasTensor' object has no attribute '{name}'")
        method = getattr(torch.Tensor, name)

        def bound(*args, **kwargs):
            from tork.keras.models.functional.node import call_torch_op

            return call_torch_op(method, (self, *args), kwargs)

        return bound


def _getitem(x, key):
    return x[key]


def is_keras_tensor(value) -> bool:
    """True for symbolic tensors of the functional API."""
    return isinstance(value, KerasTensor)
