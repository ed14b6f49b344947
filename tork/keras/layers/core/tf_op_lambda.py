"""`TFOpLambda` and `SlicingOpLambda`: Keras 2's layers for ops on functional-API tensors.

In Keras 2 (tf_keras), `tf.nn.relu(x)`, `x + y` or `x[:, 0]` on a symbolic tensor of the
functional API becomes a layer of the model, named after the TensorFlow function
(`tf.nn.relu`, `tf.__operators__.add`, `tf.math.multiply_1`): it is listed in
`model.layers`, found by `model.get_layer`, printed by `summary()` and saved in the
model's config. tork records such a call as an op node of the functional graph (the node
runs the op itself, see tork/keras/models/functional/node.py) and gives each op node one
of these layers: the object users see in `model.layers`.

This module is the one place that names ops the Keras 2 way: a layer's `symbol` (the
TensorFlow function relative to `tf`, e.g. `"nn.relu"`), its default name, and the
positional parameter names Keras 2's config records for its call.
"""

from __future__ import annotations

import inspect

from tork._naming import unique_name
from tork.keras.layers.layer import Layer

# Python operators on symbolic tensors run torch functions; Keras 2 recorded the tf
# function that the operator calls, with that function's positional parameter names.
_OPERATORS = {
    "add": ("__operators__.add", ("x", "y")),
    "sub": ("math.subtract", ("x", "y")),
    "mul": ("math.multiply", ("x", "y")),
    "div": ("math.truediv", ("x", "y")),
    # `x // y` runs tf.compat.v1.floor_div (TF exports it as tf.math.floordiv too).
    "floor_divide": ("compat.v1.floor_div", ("x", "y")),
    "remainder": ("math.floormod", ("x", "y")),
    "pow": ("math.pow", ("x", "y")),
    "matmul": ("linalg.matmul", ("a", "b")),
    "neg": ("math.negative", ("x",)),
    "abs": ("math.abs", ("x",)),
    "lt": ("math.less", ("x", "y")),
    "le": ("math.less_equal", ("x", "y")),
    "gt": ("math.greater", ("x", "y")),
    "ge": ("math.greater_equal", ("x", "y")),
    "logical_and": ("math.logical_and", ("x", "y")),
    "logical_or": ("math.logical_or", ("x", "y")),
    "logical_not": ("math.logical_not", ("x",)),
    "eq": ("__operators__.eq", ("self", "other")),
    "ne": ("__operators__.ne", ("self", "other")),
}
_GETITEM = ("__operators__.getitem", ("x", "slice_spec"))

# Keras 2 symbols of Python operators, revived as the tf function they run (Keras 2's node
# data names their arguments as that function does: `x`, `y`).
_OPERATOR_TARGETS = {
    "__operators__.add": "math.add",
    "__operators__.eq": "math.equal",
    "__operators__.ne": "math.not_equal",
}


# Keras 2 backend functions that tf_keras records whole, as a TFOpLambda of their own (their
# Python code cannot run on a symbolic tensor, so TensorFlow's dispatch takes the call):
# named `tf.keras.backend.binary_crossentropy`, function `keras.backend.binary_crossentropy`.
_KERAS2_BACKEND_OPS = frozenset(
    {
        "keras.backend.binary_crossentropy",
        "keras.backend.categorical_crossentropy",
        "keras.backend.sparse_categorical_crossentropy",
        "keras.backend.batch_flatten",
    }
)


def _is_getitem(function) -> bool:
    from tork.keras.models.functional.keras_tensor import _getitem

    return function is _getitem


def _torch_name(function):
    """`add` for `torch.add` (what Python operators on symbolic tensors call), else None."""
    import torch

    name = getattr(function, "__name__", None)
    if isinstance(name, str) and getattr(torch, name, None) is function:
        return name
    return None


def op_symbol(function) -> str | None:
    """The TensorFlow function an op is in Keras 2, relative to `tf` (`"nn.relu"`), or None.

    None for functions that are not TensorFlow's (`torch.sin`, `keras.ops.sum`, Tensor
    methods): Keras 2 has no op layer for them.
    """
    if _is_getitem(function):
        return _GETITEM[0]
    api_name = getattr(function, "_tork_keras2_name", None)
    if api_name is not None:
        if api_name in _KERAS2_BACKEND_OPS:
            return api_name
        return api_name[len("tf.") :] if api_name.startswith("tf.") else None
    operator = _OPERATORS.get(_torch_name(function))
    return operator[0] if operator is not None else None


def op_display_name(function) -> str:
    """An op layer's name before numbering: `tf.<symbol>`, else the function's own name."""
    symbol = op_symbol(function)
    if symbol is not None:
        return "tf." + symbol
    api_name = getattr(function, "_tork_api_name", None)
    if api_name is not None:
        return api_name  # keras.ops.sum, keras.backend.sum
    return "torch." + str(getattr(function, "__name__", "op"))


def op_parameters(symbol: str, function) -> tuple:
    """The positional parameter names of an op's call, as Keras 2's node data names them."""
    from tork import _symbolic

    if symbol == _GETITEM[0]:
        return _GETITEM[1]
    for operator_symbol, parameters in _OPERATORS.values():
        if operator_symbol == symbol:
            return parameters
    named = _symbolic.resolve("tf." + symbol)
    try:
        signature = inspect.signature(named if named is not None else function)
    except (TypeError, ValueError):
        return ()
    return tuple(
        p.name
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    )


def function_for_symbol(symbol: str, what: str = "TFOpLambda"):
    """The tork op a Keras 2 op layer's `function` names (`"math.reduce_sum"`, `"nn.relu"`).

    tork's own names of ops without a tf function (`"torch.sin"`, `"keras.ops.sum"`,
    `"getitem"`, `"input.row_lengths"`) are read too.

    Raises:
        KerasFileError: when tork has no such op.
    """
    from tork import _symbolic
    from tork.keras.models.functional.config import _resolve_op
    from tork.keras.models.functional.keras_tensor import _getitem
    from tork.keras.saving.errors import KerasFileError

    if not isinstance(symbol, str):
        raise KerasFileError(f"Invalid {what} function in the model config: {symbol!r:.100}.")
    if symbol in (_GETITEM[0], "getitem"):
        return _getitem
    if symbol.startswith(("torch.", "keras.", "input.")):  # input.values: a ragged attribute
        return _resolve_op(symbol)
    target = _OPERATOR_TARGETS.get(symbol, symbol)
    function = _symbolic.resolve("tf." + target)
    if target.startswith("compat.v1."):
        target = target[len("compat.v1.") :]
    if function is None:
        raise KerasFileError(
            f"The Keras 2 model applies tf.{symbol} to symbolic tensors (a {what} layer); "
            f"tork has no op 'tf.{target}' to revive it. Rebuild the model in code and load "
            "its weights with load_weights()."
        )
    return function


def _observe(name: str) -> None:
    # Automatic op names skip names given explicitly (a model loaded from a file, a clone),
    # so ops added afterwards never share a name with them; clear_session forgets them.
    from tork import _naming

    _naming.observe_name(name)


def _unique_op_name(base: str) -> str:
    return unique_name(base, avoid_observed=True)


class TFOpLambda(Layer):
    """A TensorFlow op applied to functional-API tensors, as a layer (Keras 2).

    The functional API makes one for every call of a tf function or Python operator on
    symbolic tensors: `tf.nn.relu(x)` in a model built from `keras.Input` gives a layer
    named `tf.nn.relu` (`tf.nn.relu_1` for the next one) in `model.layers`. It has no
    weights. Called on symbolic tensors it adds the op to the graph again; called on
    tensors it runs the op.

    Args:
        function: the op (a tork `tf.*` function, or a torch function for operators).
        name: the layer's name; default `tf.<symbol>`, numbered to be unique.
        **kwargs: other Layer arguments (`trainable`, `dtype`).

    Attributes:
        function: the op.
        symbol: its TensorFlow name relative to `tf` (`"nn.relu"`,
            `"__operators__.add"`), or None for ops TensorFlow does not have.

    Example:
    >>> x = keras.Input((4,))
    >>> model = keras.Model(x, tf.nn.relu(x))
    >>> [layer.name for layer in model.layers]  # doctest: +SKIP
    ['input_1', 'tf.nn.relu']
    """

    def __init__(self, function, name: str | None = None, **kwargs):
        if isinstance(function, str):
            function = function_for_symbol(function, type(self).__name__)
        if name is None:
            name = _unique_op_name(op_display_name(function))
        else:
            _observe(name)
        super().__init__(name=name, **kwargs)
        self.function = function
        self.symbol = op_symbol(function)
        self.built = True

    def __call__(self, *args, **kwargs):
        from tork._symbolic import _has_symbolic

        if _has_symbolic(args, kwargs):
            symbolic_call = getattr(self.function, "_tork_symbolic_call", None)
            if symbolic_call is not None:  # tf.RaggedTensor.from_tensor (_ragged_constructors)
                return symbolic_call(args, kwargs, layer=self)
            from tork.keras.models.functional.node import call_torch_op

            return call_torch_op(self.function, args, kwargs, layer=self)
        return self.function(*args, **kwargs)

    def call(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    @property
    def input_shape(self):
        """The shape(s) of the op's first argument in its first call."""
        from tork.keras.models.functional.keras_tensor import KerasTensor
        from tork.keras.models.functional.node import _map

        first = self.input
        return _map(lambda v: tuple(v.shape) if isinstance(v, KerasTensor) else (), first)

    @property
    def output_shape(self):
        """The shape(s) of the op's output in its first call."""
        from tork.keras.models.functional.keras_tensor import KerasTensor
        from tork.keras.models.functional.node import _map

        output = self.output
        return _map(lambda v: tuple(v.shape) if isinstance(v, KerasTensor) else None, output)

    def get_config(self) -> dict:
        """Keras 2's config: `name`, `trainable`, `dtype` and `function` (relative to `tf`).

        An op TensorFlow does not have (`torch.sin`) is named by tork's name for it.
        """
        config = super().get_config()
        config.pop("batch_input_shape", None)
        if self.symbol is not None:
            config["function"] = self.symbol
        else:
            from tork.keras.models.functional.config import _op_name

            config["function"] = _op_name(self.function)
        return config

    @classmethod
    def from_config(cls, config: dict):
        config = dict(config)
        function = config.pop("function", None)
        return cls(function_for_symbol(function, cls.__name__), **config)


class SlicingOpLambda(TFOpLambda):
    """`x[...]` on a functional-API tensor, as a layer (Keras 2): `tf.__operators__.getitem`."""

    def __call__(self, *args, **kwargs):
        from tork._symbolic import _has_symbolic

        if _is_getitem(self.function) and len(args) == 2 and not kwargs:
            from tork.keras.models.functional.keras_tensor import KerasTensor, symbolic_getitem

            # Symbolic slice bounds (`x[:, :tf.shape(y)[1]]`) hide inside slice objects,
            # where `_has_symbolic` does not look.
            key = args[1] if isinstance(args[1], (tuple, list)) else (args[1],)
            bounds = [b for k in key if isinstance(k, slice) for b in (k.start, k.stop, k.step)]
            if _has_symbolic(args, kwargs) or any(isinstance(b, KerasTensor) for b in bounds):
                return symbolic_getitem(args[0], args[1], layer=self)
        return super().__call__(*args, **kwargs)


class ClassMethod(TFOpLambda):
    """A class method on functional-API tensors, as a layer (tf_keras's ClassMethod):
    `tf.RaggedTensor.from_tensor(x, lengths=...)`, named `tf.RaggedTensor.from_tensor`."""


def op_layer_class(function) -> type:
    """The op layer class for `function`: SlicingOpLambda for indexing and boolean masks
    (as tf_keras, whose summary shows that class), else TFOpLambda."""
    if _is_getitem(function) or op_symbol(function) in _SLICING_SYMBOLS:
        return SlicingOpLambda
    if getattr(function, "_tork_symbolic_call", None) is not None:
        return ClassMethod  # tf.RaggedTensor.from_tensor (functional/_ragged_constructors.py)
    return TFOpLambda


# The ops besides `x[...]` that tf_keras records as SlicingOpLambda layers.
_SLICING_SYMBOLS = frozenset({"boolean_mask", "compat.v1.boolean_mask"})


__all__ = [
    "ClassMethod",
    "SlicingOpLambda",
    "TFOpLambda",
    "function_for_symbol",
    "op_display_name",
    "op_layer_class",
    "op_parameters",
    "op_symbol",
]
