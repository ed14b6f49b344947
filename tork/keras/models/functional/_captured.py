"""Symbolic tensors a layer's `call` uses without receiving them as inputs.

A functional model infers a layer's outputs by running its `call` on stand-ins of the
tensors it is called on. A KerasTensor the call reaches some other way (a closure over
`mu` in a VAE's sampling Lambda: `K.random_normal(shape=K.shape(mu))`) has no stand-in in
that run, and no value when the model runs on data: its stand-in sizes would leak into the
layer's static shape (a wrong `(61, 2)` for `(None, 2)`). tf.keras refuses it with a
TypeError when the layer is called; so does tork, naming the layer and the tensor.
"""

from __future__ import annotations

import keyword
import re

import torch

from tork.keras.layers._call_context import CONTEXT
from tork.keras.models.functional.keras_tensor import KerasTensor


class CapturedSymbolicError(TypeError):
    """A KerasTensor met the stand-ins of a layer call it is no input of.

    Raised by the op that mixes them; `for_layer` gives the message naming the layer. The
    functional API's shape-inference retries let it through (another stand-in size cannot
    help).
    """

    def __init__(self, op_name: str, captured: list):
        self.op_name = op_name
        self.captured = captured
        super().__init__(_message(None, op_name, captured, None, []))

    def for_layer(self, layer, first_order: int, inputs: list) -> CapturedSymbolicError:
        """The error with the message naming `layer`, the call that used the tensors
        (`inputs`: the KerasTensors it was called on)."""
        if getattr(self, "_tork_layer_named", False):
            return self
        error = CapturedSymbolicError.__new__(CapturedSymbolicError)
        error.op_name, error.captured = self.op_name, self.captured
        message = _message(layer, self.op_name, self.captured, first_order, inputs)
        TypeError.__init__(error, message)
        error._tork_layer_named = True
        return error


def check_operands(op_name: str, args, kwargs) -> None:
    """Raises CapturedSymbolicError when an op inside a layer's shape inference gets a
    KerasTensor together with tensors: the stand-ins of that layer's inputs (fake, or real
    ones of a retry) or values computed from them.

    KerasTensors alone inside a layer's call are let through, and so is all of a build (a
    sublayer built there may make a functional model of its own).
    """
    if not CONTEXT.symbolic or CONTEXT.in_build:
        return
    from tork.keras.models.functional.node import flatten

    flat = flatten((args, kwargs))
    captured = [v for v in flat if isinstance(v, KerasTensor)]
    if captured and any(isinstance(v, torch.Tensor) for v in flat):
        raise CapturedSymbolicError(op_name, captured)


def check_outputs(outputs: list) -> None:
    """Raises CapturedSymbolicError when a layer call on stand-ins returned a KerasTensor
    (computed from captured ones only, e.g. `Lambda(lambda x: mu * 2.0)(x)`)."""
    captured = [v for v in outputs if isinstance(v, KerasTensor)]
    if captured:
        raise CapturedSymbolicError("the layer's return value", captured)


def _sources(tensors: list, first_order: int | None) -> list:
    """The KerasTensors made before the layer call (`first_order`: the first node order of
    it) that `tensors` were computed from: the ones the user's code captured."""
    if first_order is None:
        return tensors
    found: list = []
    seen: set = set()
    stack = list(tensors)
    while stack:
        tensor = stack.pop()
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        node = getattr(tensor, "_tork_node", None)
        if node is None or node._tork_order < first_order:
            found.append(tensor)
        else:
            stack.extend(reversed(node.inputs))
    return found or tensors


def _describe(tensor) -> str:
    from tork.keras.models.functional.input_layer import InputLayer

    layer = tensor._keras_history.layer
    shape = tuple(tensor.shape)
    if isinstance(layer, InputLayer):
        return f"the keras.Input '{layer.name}' of shape {shape}"
    if layer is not None:
        return f"the output of layer '{layer.name}' of shape {shape}"
    return f"the symbolic tensor '{tensor.name}' of shape {shape}"


def _python_name(layer_name) -> str:
    """A variable name for the example in the message: the layer's name when it is one,
    else its last dotted part (`tf.math.sqrt` -> `sqrt`), else `t`."""
    name = (layer_name or "t").rsplit(".", 1)[-1]
    name = re.sub(r"\W", "_", name)
    return name if name.isidentifier() and not keyword.iskeyword(name) else "t"


def _message(layer, op_name: str, captured: list, first_order, inputs: list) -> str:
    sources = _sources(captured, first_order)
    described = " and ".join(dict.fromkeys(_describe(t) for t in sources))
    where = (
        f"Layer '{layer.name}' ({type(layer).__name__})" if layer is not None else "A layer call"
    )
    example = _python_name(getattr(sources[0]._keras_history.layer, "name", None))
    if all(any(t is i for i in inputs) for t in sources):
        # `Lambda(sample)([self.mu, self.log_var])` whose function reads `self.mu`.
        return (
            f"{where} reads {described} from outside its arguments (in {op_name}), though "
            "it is one of the tensors the layer is called on: a KerasTensor reached that way "
            "(a closure, `self.` attribute or global) has no value when the model runs. Use "
            f"the argument the layer receives instead: e.g. `def f(args): {example}, "
            f"other = args` and `K.shape({example})` inside the function."
        )
    return (
        f"{where} uses {described}, which is not one of its inputs (in {op_name}). A layer "
        "computes on the tensors it is called on; a KerasTensor reached another way (a "
        "closure, `self.` attribute or global) has no value when the model runs. Pass it "
        f"as an input: e.g. `Lambda(f)([x, {example}])` with `def f(args): x, {example} = "
        f"args` (for your own layer: `layer([x, {example}])`)."
    )
