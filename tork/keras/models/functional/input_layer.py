"""`keras.Input` and `keras.layers.InputLayer`: the entry points of functional models."""

from __future__ import annotations

from tork._backend import dtypes as _dtypes
from tork._naming import unique_name
from tork.keras.layers.layer import Layer
from tork.keras.models.functional.keras_tensor import (
    KerasTensor,
    RaggedKerasTensor,
    SparseKerasTensor,
    ragged_rank_of,
)
from tork.keras.models.functional.node import Node


def _input_policy(input_dtype):
    """The dtype policy of an InputLayer of `input_dtype` (a float32 one for strings)."""
    from tork.keras.mixed_precision.policy import DTypePolicy

    if input_dtype is _dtypes.string:
        # tork has no string policy; a string input is never cast anyway.
        return DTypePolicy(_dtypes.floatx_dtype())
    return DTypePolicy(input_dtype)


def _spec_facts(value, what: str):
    """(batch shape, dtype, kind) of a TensorSpec-like spec or a tensor for `keras.Input`."""
    from tork._backend.ragged_tensor import RaggedTensor, RaggedTensorSpec
    from tork._backend.sparse_tensor import SparseTensorSpec

    shape = getattr(value, "shape", None)
    if shape is None or not hasattr(value, "dtype"):
        raise TypeError(
            f"keras.Input({what}=...) expects a tf.TensorSpec or a tensor with a shape and a "
            f"dtype, got {type(value).__name__}."
        )
    if hasattr(shape, "as_list"):
        shape = shape.as_list() if shape.rank is not None else None
    if shape is None:
        raise ValueError(
            f"keras.Input({what}=...) needs a known rank; got a spec of unknown shape."
        )
    batch_shape = tuple(None if d is None else int(d) for d in shape)
    if isinstance(value, (RaggedTensor, RaggedTensorSpec)):
        kind = "ragged"
    elif isinstance(value, SparseTensorSpec) or type(value).__name__ == "SparseTensor":
        kind = "sparse"
    else:
        kind = None
    return batch_shape, value.dtype, kind


class InputLayer(Layer):
    """The layer behind `keras.Input`: it outputs its input unchanged.

    Args:
        shape: the input shape without the batch size.
        batch_size: optional fixed batch size.
        dtype: the input dtype (default float32).
        name: the layer's name (Keras 2 style default `input_1`, `input_2`...).
        batch_shape: the full shape including the batch size (instead of shape).
        sparse: the input is a `tf.SparseTensor`.
        ragged: the input is a `tf.RaggedTensor`; its ragged dimensions are the None
            sizes of `shape` (the ragged rank is the position of the last one).

    Example:
    >>> layer = keras.layers.InputLayer(shape=(8,))
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        batch_shape=None,
        input_tensor=None,
        name=None,
        **kwargs,
    ):
        if "input_shape" in kwargs and shape is None:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs and batch_shape is None:
            batch_shape = kwargs.pop("batch_input_shape")
        ragged = bool(kwargs.pop("ragged", False))
        if ragged and sparse:
            raise ValueError(
                "keras.Input: `sparse` and `ragged` cannot both be True (a tensor is either a "
                "SparseTensor or a RaggedTensor)."
            )
        kwargs.pop("optional", None)  # Keras 2.13+ configs; inputs here are never optional
        if not name:  # Keras 2 names an input also for name=""
            count = unique_name("input")
            # Keras 2 numbers inputs from 1: input_1, input_2, ...
            name = "input_1" if count == "input" else f"input_{int(count.rsplit('_', 1)[1]) + 1}"
        input_dtype = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.floatx_dtype()
        # Keras 2: the layer's dtype policy is its input dtype, whatever the global policy
        # (under mixed_float16 `model.layers[0].compute_dtype` is 'float32').
        super().__init__(name=name, dtype=_input_policy(input_dtype), **kwargs)
        if batch_shape is None:
            if shape is None:
                raise ValueError(
                    "keras.Input needs a shape, e.g. keras.Input(shape=(784,)) for vectors of 784 "
                    "features (the batch size is left out)."
                )
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size, *tuple(shape))
        self._batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self._input_dtype = input_dtype
        self.built = True
        self._build_shapes = self._batch_shape
        self._tork_out_shape = self._batch_shape
        self._ragged = ragged
        self._sparse = bool(sparse)
        if ragged and ragged_rank_of(self._batch_shape):
            tensor = RaggedKerasTensor(self._batch_shape, self._input_dtype, name=self.name)
        elif sparse:
            tensor = SparseKerasTensor(self._batch_shape, self._input_dtype, name=self.name)
        else:
            tensor = KerasTensor(self._batch_shape, self._input_dtype, name=self.name)
        Node(self, (), {}, tensor, is_layer=True)

    @property
    def batch_shape(self):
        return self._batch_shape

    def call(self, inputs):
        return inputs

    def get_config(self) -> dict:
        return {
            "batch_shape": self._batch_shape,
            "dtype": _dtypes.dtype_name(self._input_dtype),
            "sparse": self._sparse,
            "ragged": self._ragged,
            "name": self.name,
            "optional": False,  # tf_keras 2.13+ and Keras 3 write it
        }


def Input(  # noqa: N802 - Keras's public name
    shape=None,
    batch_size=None,
    name=None,
    dtype=None,
    sparse=None,
    batch_shape=None,
    tensor=None,
    **kwargs,
) -> KerasTensor:
    """Creates a symbolic input for a functional model.

    Args:
        shape: the shape without the batch size, e.g. `(784,)`; None entries
            are sizes known only when data arrives.
        batch_size: optional fixed batch size.
        name: optional name of the input layer.
        dtype: the input dtype, default float32.
        sparse: the input is a `tf.SparseTensor` (e.g. `Input((5,), sparse=True)`).
        batch_shape: the full shape including the batch size, instead of `shape`.
        ragged: (keyword) the input is a `tf.RaggedTensor`, e.g.
            `Input(shape=(None,), dtype="int64", ragged=True)` for rows of ids of any length.

    Returns:
        A `KerasTensor`.

    Example:
    >>> inputs = keras.Input(shape=(784,))
    >>> outputs = keras.layers.Dense(10)(inputs)
    >>> model = keras.Model(inputs, outputs)
    """
    type_spec = kwargs.pop("type_spec", None)
    if type_spec is not None:
        given = {
            "shape": shape,
            "batch_size": batch_size,
            "dtype": dtype,
            "sparse": sparse,
            "batch_shape": batch_shape,
            "tensor": tensor,
            **{k: v for k, v in kwargs.items() if k in ("ragged", "batch_input_shape")},
        }
        extra = {k: v for k, v in given.items() if v is not None and v is not False}
        if extra:
            raise ValueError(
                "When `type_spec` is not None, all other args except `name` must be None, "
                f"but keras.Input got {extra}. Pass the shape and dtype in the type_spec "
                "alone, e.g. keras.Input(type_spec=tf.TensorSpec((None, 32), tf.float32))."
            )
        batch_shape, dtype, kind = _spec_facts(type_spec, "type_spec")
    elif tensor is not None:
        # Keras 2 takes the tensor's shape (batch size included) and dtype; the model runs
        # on the data it is called with.
        batch_shape, dtype, kind = _spec_facts(tensor, "tensor")
        shape = batch_size = None
    else:
        kind = None
    if kind == "ragged":
        kwargs["ragged"] = True
    elif kind == "sparse":
        sparse = True
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        batch_shape=batch_shape,
        name=name,
        **kwargs,
    )
    return layer.output
