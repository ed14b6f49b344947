"""The functional model: a graph of layer calls from `keras.Input`s to outputs."""

from __future__ import annotations

import warnings
from collections.abc import MappingView

import torch

from tork import _tracking
from tork._backend.string_tensor import StringTensor
from tork._naming import unique_name
from tork.keras.layers._call_context import CONTEXT
from tork.keras.layers.layer import KerasShape, Layer
from tork.keras.models.functional.input_layer import InputLayer
from tork.keras.models.functional.keras_tensor import KerasTensor
from tork.keras.models.functional.node import _map, flatten
from tork.keras.models.model import Model
from tork.keras.trainers.trainer import Trainer
from tork.ops.gradients import detached, recorded, recording


def _flatten_sorted(structure) -> list:
    """The KerasTensors of a model's inputs or outputs, dict entries by sorted key.

    Keras flattens with `tf.nest` (Keras 3: `keras.tree`), which orders dict keys: the
    model's `inputs`, `outputs`, `output_names`, layer order and weight order follow it,
    and so do weight files written by Keras.
    """
    if isinstance(structure, dict):
        return [t for key in sorted(structure) for t in _flatten_sorted(structure[key])]
    if isinstance(structure, (list, tuple)):
        return [t for item in structure for t in _flatten_sorted(item)]
    return [structure]


def _walk(outputs, inputs) -> list:
    """The nodes between `inputs` and `outputs`, in execution order."""
    input_ids = {id(t) for t in inputs}
    order: list = []
    done: set = set()
    visiting: set = set()

    def visit(tensor, consumer):
        if id(tensor) in input_ids:
            return
        node = tensor._tork_node
        if node is None or isinstance(node.operation, InputLayer):
            where = f" at layer '{consumer.name}'" if consumer is not None else ""
            raise ValueError(
                f"Graph disconnected: cannot obtain value for tensor {tensor.name} (shape "
                f"{tensor.shape}){where}. It comes from an Input that is not in the model's "
                f"inputs {[t.name for t in inputs]}. Pass every Input the outputs depend on to "
                "keras.Model(inputs=[...], ...)."
            )
        if id(node) in done:
            return
        if id(node) in visiting:
            raise ValueError("The functional graph has a cycle.")
        visiting.add(id(node))
        operation = node.operation if node.is_layer else None
        for parent in node.inputs:
            visit(parent, operation)
        visiting.discard(id(node))
        done.add(id(node))
        order.append(node)

    for tensor in outputs:
        visit(tensor, None)
    return order


class Functional(Model):
    """A model defined by `keras.Model(inputs, outputs)`.

    Args:
        inputs: a KerasTensor from `keras.Input`, or a list/dict of them.
        outputs: the KerasTensor(s) computed from the inputs (list/dict allowed).
        name: the model's name (default `model`, `model_1`, ... as Keras 2).

    Example:
    >>> x = keras.Input(shape=(4,))
    >>> y = keras.layers.Dense(2)(x)
    >>> keras.Model(inputs=x, outputs=y)(tf.ones((3, 4))).shape
    torch.Size([3, 2])
    """

    def __new__(cls, *args, **kwargs):
        return Layer.__new__(cls, *args, **kwargs)

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        kwargs.pop("dtype", None)
        Layer.__init__(self, trainable=trainable, name=name or unique_name("model"), **kwargs)
        # Keras 2: a functional model does not cast its inputs to its compute dtype; call()
        # casts each to its Input's dtype and the layers cast to theirs. (Under a float16
        # policy, float token ids for an Embedding would otherwise round: 4999 -> 5000.)
        self._autocast = False
        Trainer.__init__(self)
        if isinstance(inputs, dict) and not all(
            isinstance(v, KerasTensor) for v in inputs.values()
        ):
            raise TypeError("Functional model inputs must be keras.Input tensors.")
        # tf.nest flattens dict views as lists: `Model(x, outputs=d.values())` (keract).
        if isinstance(inputs, MappingView):
            inputs = list(inputs)
        if isinstance(outputs, MappingView):
            outputs = list(outputs)
        # Keras 2: a list holding one tensor stands for that tensor, so `outputs=[y]`
        # makes `model(x)` and `predict` return a tensor/array, not a one-item list.
        if isinstance(inputs, list) and len(flatten(inputs)) == 1:
            inputs = inputs[0]
        if isinstance(outputs, list) and len(flatten(outputs)) == 1:
            outputs = outputs[0]
        flat_inputs = _flatten_sorted(inputs)
        flat_outputs = _flatten_sorted(outputs)
        for t in flat_inputs:
            if not isinstance(t, KerasTensor):
                raise TypeError(
                    f"keras.Model(inputs, outputs): every input must be a keras.Input(...) tensor, "
                    f"got {type(t).__name__}. Create inputs with keras.Input(shape=...)."
                )
        for t in flat_outputs:
            if not isinstance(t, KerasTensor):
                raise TypeError(
                    f"keras.Model(inputs, outputs): every output must be a tensor computed from "
                    f"the inputs with layers, got {type(t).__name__}."
                )
        if len({id(t) for t in flat_inputs}) != len(flat_inputs):
            names = [t.name for t in flat_inputs]
            raise ValueError(
                "The list of inputs passed to the model contains the same input multiple "
                f"times (inputs: {names}). All inputs should only appear once: pass each "
                "keras.Input once to keras.Model(inputs, outputs)."
            )
        from tork.keras.models.functional._intermediate_inputs import (
            has_intermediate_inputs,
            reroot_intermediate_inputs,
        )

        if has_intermediate_inputs(flat_inputs):
            inputs, outputs = reroot_intermediate_inputs(
                inputs, outputs, flat_inputs, _walk(flat_outputs, flat_inputs)
            )
            flat_inputs = _flatten_sorted(inputs)
            flat_outputs = _flatten_sorted(outputs)
        self._tork_input_struct = inputs
        self._tork_output_struct = outputs
        self.__dict__["_tork_flat_inputs"] = flat_inputs
        self.__dict__["_tork_flat_outputs"] = flat_outputs
        # Ends of graph branches added by model.add_loss/add_metric (AddLoss/AddMetric outputs).
        self.__dict__["_tork_branch_ends"] = []
        self.__dict__["_tork_nodes"] = _walk(flat_outputs, flat_inputs)
        self._tork_set_layers()
        self._build_shapes = _map(lambda t: KerasShape(t.shape), inputs)
        self.__dict__["built"] = True

    def _tork_set_layers(self) -> None:
        # Keras's order: by depth from the inputs, ties in traversal order (so a branch's
        # layers interleave with the other branch's as in Keras's summary and weights).
        # Keras 2 lists the op layers (TFOpLambda) of tf ops on symbolic tensors among them;
        # the others alone are torch submodules (and name weights, as in Keras 3's files).
        from tork.keras.models.functional.config import ordered_nodes

        operations = ordered_nodes(self)[0]
        all_layers = [node.layer for _, node in operations]
        layers = [node.layer for _, node in operations if node.is_layer]
        names = [layer.name for layer in all_layers]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(
                f"The name {duplicates[0]!r} is used {names.count(duplicates[0])} times in the "
                f"model '{self.name}'. All layer names should be unique: pass distinct name= "
                "arguments."
            )
        self.__dict__["_tork_functional_layers"] = layers
        self.__dict__["_tork_keras2_layers"] = all_layers
        self._modules["layers"] = _tracking._Container({layer.name: layer for layer in layers})
        self.__dict__["_tork_trainable_cache"] = None

    def _tork_insert_symbolic(self, what: str, value, make_layer) -> None:
        """Keras 2's `model.add_loss(t)`/`add_metric(t)` for a tensor `t` of this model's graph.

        `t` gets an AddLoss/AddMetric layer, and the branch from the model's inputs to that
        layer runs at every call of the model (after its outputs), as in Keras 2.
        """
        if not isinstance(value, KerasTensor):
            raise TypeError(
                f"model.{what}() takes a tensor computed from the model's inputs (or a "
                f"zero-argument callable); got {type(value).__name__} {value!r:.120}."
            )
        try:
            _walk([value], self.__dict__["_tork_flat_inputs"])
        except ValueError as error:
            raise ValueError(
                f"model.{what}() on model '{self.name}': the tensor must be computed from the "
                f"model's inputs only. {error}"
            ) from None
        self._tork_add_branch_end(make_layer()(value))

    def _tork_add_branch_end(self, end: KerasTensor) -> None:
        """Runs the graph up to `end` (an AddLoss/AddMetric output) at every call."""
        ends = self.__dict__["_tork_branch_ends"]
        ends.append(end)
        if self.__dict__.get("_tork_ran"):
            # Added after the model ran (Mask R-CNN: predict, then add_loss): `losses` lists
            # its symbolic loss until the layer runs, as Keras 2 does.
            self.__dict__.setdefault("_tork_late_branch_layers", []).append(end._tork_node.layer)
        flat_inputs = self.__dict__["_tork_flat_inputs"]
        self.__dict__["_tork_nodes"] = _walk(
            self.__dict__["_tork_flat_outputs"] + ends, flat_inputs
        )
        self.__dict__.pop("_tork_grad_sources", None)  # new nodes: found again
        self._tork_set_layers()

    @property
    def trainable(self) -> bool:
        """Whether training updates the model's weights; setting it applies to all its layers."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        Layer.trainable.fset(self, value)
        # Op layers (TFOpLambda) are no torch submodules, so the loop over sublayers above
        # misses them; Keras 2 sets their flag too (summary's "Trainable" column shows it).
        for layer in self._flatten_layers(include_self=True):
            ops = layer.__dict__.get("_tork_keras2_layers")
            if ops is not None and len(ops) != len(layer.__dict__["_tork_functional_layers"]):
                for op in ops:
                    op.__dict__["_trainable"] = layer._trainable

    @property
    def layers(self) -> list:
        """The model's layers in graph order, InputLayers first.

        As in Keras 2, the tf ops and Python operators applied to the model's symbolic
        tensors are layers too (`TFOpLambda`, `SlicingOpLambda`, named `tf.nn.relu`,
        `tf.__operators__.add`...).
        """
        graph = list(self.__dict__["_tork_keras2_layers"])
        # A functional subclass may assign more layers as attributes after `__init__`
        # (a distiller's `self.teacher`); tf_keras lists them after the graph's layers.
        seen = {id(layer) for layer in graph}
        extra = [layer for layer in self._layers if id(layer) not in seen]
        return graph + extra

    @layers.setter
    def layers(self, value) -> None:
        raise AttributeError("The layers of a functional model are fixed by its graph.")

    @property
    def losses(self) -> list:
        """Losses from `add_loss` in the last call, plus weight regularization penalties.

        Before the model has run on data, the losses its layers added in `call()` while the
        model was built are listed as symbolic tensors, as in Keras 2.
        """
        result = Layer.losses.fget(self)
        if not self.__dict__.get("_tork_ran"):
            for layer in self._flatten_layers(include_self=True):
                if not layer._tork_call_losses:  # a real call's losses replace them
                    result.extend(layer.__dict__.get("_tork_symbolic_losses", ()))
        elif self.__dict__.get("_tork_late_branch_layers"):
            late = self.__dict__["_tork_late_branch_layers"]
            late[:] = [layer for layer in late if not layer._tork_call_losses]
            for layer in late:
                result.extend(layer.__dict__.get("_tork_symbolic_losses", ()))
        return result

    @property
    def inputs(self) -> list:
        """The model's input KerasTensors."""
        return list(self.__dict__["_tork_flat_inputs"])

    @inputs.setter
    def inputs(self, value) -> None:
        _raise_graph_fixed(self, "inputs")

    @property
    def outputs(self) -> list:
        """The model's output KerasTensors."""
        return list(self.__dict__["_tork_flat_outputs"])

    @outputs.setter
    def outputs(self, value) -> None:
        _raise_graph_fixed(self, "outputs")

    @property
    def _input_layers(self) -> list:
        """The InputLayers of the model's inputs, in input order (Keras 2 attribute)."""
        return [t._tork_node.layer for t in self.inputs]

    @property
    def _output_layers(self) -> list:
        """The layers that produce the model's outputs, in output order (Keras 2 attribute)."""
        return [t._tork_node.layer for t in self.outputs]

    @property
    def input(self):
        """The input KerasTensor(s), structured as given."""
        return self._tork_input_struct

    @property
    def output(self):
        """The output KerasTensor(s), structured as given."""
        return self._tork_output_struct

    @property
    def input_names(self) -> list:
        return [t.name for t in self.inputs]

    @property
    def output_names(self) -> list:
        """The outputs' names: their layers' names, repeats numbered as Keras 2 does.

        A layer giving several outputs (a tuple, or an RNN's states) names them `rnn`,
        `rnn_1`, ...: each output needs its own name for its loss and metrics logs. An
        output of an op is named by its op layer (`tf.nn.softmax`), as in Keras 2.
        """
        names: list = []
        counts: dict = {}
        for t in self.outputs:
            node = t._tork_node
            base = node.layer.name if node is not None else t.name
            name = base
            while name in names:
                counts[base] = counts.get(base, 0) + 1
                name = f"{base}_{counts[base]}"
            names.append(name)
        return names

    @property
    def input_shape(self):
        """The inputs' shapes (batch size None), structured as the inputs were given.

        A tuple, namedtuple or dict of inputs gives a tuple, namedtuple or dict of shapes
        (nests kept), as Keras 2 does; a one-item list of inputs gives the one shape.
        """
        return _map(lambda t: tuple(t.shape), self._tork_input_struct)

    @property
    def output_shape(self):
        """The outputs' shapes (batch size None), structured as the outputs were given.

        A tuple, namedtuple or dict of outputs gives a tuple, namedtuple or dict of shapes
        (nests kept), as Keras 2 does; a one-item list of outputs gives the one shape.
        """
        return _map(lambda t: tuple(t.shape), self._tork_output_struct)

    def build(self, input_shape=None) -> None:
        self.__dict__["built"] = True

    def _tork_maybe_build(self, inputs, args, kwargs) -> None:
        self.__dict__["built"] = True

    def _flatten_inputs(self, inputs) -> list:
        struct = self._tork_input_struct
        expected = self.__dict__["_tork_flat_inputs"]
        if isinstance(struct, dict):
            if not isinstance(inputs, dict):
                if isinstance(inputs, (list, tuple)) and len(inputs) == len(expected):
                    return list(inputs)
                raise ValueError(
                    f"Model '{self.name}' expects a dict of inputs with keys {sorted(struct)}, "
                    f"got {type(inputs).__name__}."
                )
            missing = [k for k in struct if k not in inputs]
            if missing:
                raise ValueError(
                    f"Model '{self.name}' is missing inputs {missing}; it expects keys "
                    f"{sorted(struct)} and got {sorted(inputs)}."
                )
            self._tork_warn_extra_keys(sorted(set(inputs) - set(struct)))
            return [inputs[k] for k in sorted(struct)]
        if isinstance(inputs, dict):
            return self._inputs_by_name(inputs, expected)
        if len(expected) == 1:
            if isinstance(inputs, (list, tuple)) and len(inputs) == 1:
                return [inputs[0]]
            return [inputs]
        flat = flatten(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if len(flat) != len(expected):
            raise ValueError(
                f"Model '{self.name}' expects {len(expected)} inputs "
                f"({', '.join(f'{t.name} {t.shape}' for t in expected)}), but it received "
                f"{len(flat)} input tensor(s). Pass a list with one tensor per Input."
            )
        return flat

    def _tork_warn_extra_keys(self, extra: list) -> None:
        """Warns (once per model) that data keys matching no Input are ignored, as Keras 2."""
        if extra and not self.__dict__.get("_tork_warned_extra_keys"):
            self.__dict__["_tork_warned_extra_keys"] = True
            warnings.warn(
                f"Input dict contained keys {extra} which did not match any model input. "
                "They will be ignored by the model.",
                stacklevel=5,
            )

    def _inputs_by_name(self, inputs: dict, expected: list) -> list:
        """A dict of data for a model whose Inputs are a list: matched by the Inputs' names."""
        names = [t.name for t in expected]
        if all(name in inputs for name in names):
            self._tork_warn_extra_keys(sorted(set(inputs) - set(names)))
            return [inputs[name] for name in names]
        if len(expected) == 1 and len(inputs) == 1:
            return list(inputs.values())
        missing = [name for name in names if name not in inputs]
        raise ValueError(
            f"Missing data for input {missing[0]!r} of model '{self.name}'. You passed a data "
            f"dictionary with keys {sorted(inputs)}. Expected the following keys: {names}."
        )

    def call(self, inputs, training=None, mask=None):
        if not CONTEXT.symbolic:
            self.__dict__["_tork_ran"] = True  # model.losses: no symbolic ones from now on
        flat = self._flatten_inputs(inputs)
        expected = self.__dict__["_tork_flat_inputs"]
        values = {}
        for index, (symbol, value) in enumerate(zip(expected, flat)):
            if isinstance(value, torch.Tensor):
                adjusted = adjust_input_rank(value, symbol.shape)
                if adjusted is not value:
                    if not CONTEXT.symbolic and not _fits(symbol.shape, adjusted):
                        # The trailing axis of size 1 (Input((1,)) takes (batch,)) only
                        # helps when the result fits: (12, 8, 8, 1) for Input((10, 8, 8, 1))
                        # would be reported as (12, 8, 8, 1, 1), one image as (28, 28, 1, 1).
                        raise _incompatible_input(self, index, symbol.shape, value)
                    value = adjusted
                _check_input(self, symbol, value)
                if value.dtype != symbol.dtype and isinstance(symbol.dtype, torch.dtype):
                    # Keras casts each input to its Input's dtype (float -> int truncates,
                    # int -> narrower int wraps, as tf.cast does); not numbers to strings.
                    value = value.to(symbol.dtype)
            elif isinstance(value, StringTensor):  # strings: a NumPy array of bytes
                value = adjust_input_rank(value, symbol.shape)
            values[id(symbol)] = value
        if mask is not None:
            _attach_input_masks(self, values, expected, mask)
        sources = self.__dict__.get("_tork_grad_sources")
        if sources is None:
            sources = self.__dict__["_tork_grad_sources"] = _gradient_sources(self)
        if sources and not CONTEXT.symbolic:
            return _run_recording(self, values, frozenset(id(t) for t in sources))
        for node in self.__dict__["_tork_nodes"]:
            node.run(values)
        return _map(lambda t: values[id(t)], self._tork_output_struct)

    def get_config(self) -> dict:
        from tork.keras.models.functional import _custom_init_config as custom
        from tork.keras.models.functional.config import functional_config

        if not custom.takes_functional_arguments(type(self)):
            # A subclass building its own graph in __init__: Keras 2 saves its arguments.
            return custom.custom_constructor_config(self)
        return functional_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from tork.keras.models.functional.config import functional_from_config

        return functional_from_config(config, custom_objects=custom_objects)


def _attach_input_masks(model, values: dict, expected: list, mask) -> None:
    """`model(x, mask=m)`: the masks ride on the inputs into the graph, as in Keras 2.

    Keras 2's functional call sets each given mask as its input's `_keras_mask`, so the
    layers that read masks (RNNs, attention, pooling) see it. Here an alias of the input
    carries it, so that the caller's tensor keeps its own mask.
    """
    if isinstance(mask, dict):
        masks = [mask.get(t.name) for t in expected]
    elif isinstance(mask, (list, tuple)) and (
        len(expected) > 1 or (len(mask) == 1 and (mask[0] is None or hasattr(mask[0], "shape")))
    ):
        masks = list(mask)
    else:
        masks = [mask]
    if len(masks) != len(expected):
        raise ValueError(
            f"Model '{model.name}' has {len(expected)} inputs, but it received {len(masks)} "
            "masks. Pass mask= as a list with one mask (or None) per input."
        )
    for symbol, m in zip(expected, masks):
        value = values[id(symbol)]
        if m is None or not isinstance(value, torch.Tensor):
            continue
        alias = value.view_as(value)
        alias._keras_mask = torch.as_tensor(m, device=value.device)
        values[id(symbol)] = alias


def _raise_graph_fixed(model, name: str) -> None:
    # Keras 2.1 code (SRGAN's VGG feature extractor) cut a model with `model.outputs = [...]`;
    # tf_keras accepts the assignment and then fails when the model runs.
    raise AttributeError(
        f"Cannot set `{name}` of functional model '{model.name}': the graph it was built "
        "from fixes its inputs and outputs. Build a new model on the tensors you want "
        "instead, e.g. keras.Model(model.input, model.layers[9].output)."
    )


def _gradient_sources(model) -> tuple:
    """The model's KerasTensors that a `tf.gradients` call differentiates by.

    Kept as the tensors themselves (not their ids), so that a deep copy or a pickle of the
    model keeps pointing at its own graph.
    """
    tensors = list(model.__dict__["_tork_flat_inputs"])
    for node in model.__dict__["_tork_nodes"]:
        tensors.extend(node.outputs)
    return tuple(t for t in tensors if getattr(t, "_tork_grad_source", False))


def _run_recording(model, values: dict, sources: frozenset):
    """Runs the graph recording gradients w.r.t. `sources` (the `xs` of tf.gradients).

    TensorFlow's `tf.gradients` differentiates the graph itself, in `predict` and
    `evaluate` as well: here autograd must record from those tensors on, also under
    `torch.no_grad()` (predict) or `torch.inference_mode()`. Outputs computed with
    gradients switched on only for this are detached again.
    """
    with recording() as was_off:
        for key, value in list(values.items()):
            if isinstance(value, torch.Tensor) and value.is_inference():
                value = value.clone()  # inference tensors cannot be saved for backward
            values[key] = recorded(value) if key in sources else value
        for node in model.__dict__["_tork_nodes"]:
            node.run(values)
            for t in node.outputs:
                if id(t) in sources:
                    values[id(t)] = recorded(values[id(t)])
        outputs = _map(lambda t: values[id(t)], model._tork_output_struct)
    return _map(detached, outputs) if was_off else outputs


def adjust_input_rank(value: torch.Tensor, expected: tuple) -> torch.Tensor:
    """Adds or drops a trailing axis of size 1 so that `value` has the rank of `expected`.

    As Keras does for functional models: a model declared with `Input((1,))` takes a batch
    of scalars of shape `(batch,)`, and `Input(())`-style models take `(batch, 1)`.
    """
    rank = len(expected)
    if value.ndim == rank - 1 and rank > 1 and expected[-1] == 1:
        return value.unsqueeze(-1) if isinstance(value, torch.Tensor) else value[..., None]
    if value.ndim == rank + 1 and value.shape[-1] == 1:
        return value.squeeze(-1) if isinstance(value, torch.Tensor) else value[..., 0]
    return value


def _is_one_sample(expected, shape) -> bool:
    # Only a value shaped like one sample is "unbatched": (2, 784) for an input of
    # (None, 28, 28) is flattened data, where the hint would mislead.
    return len(shape) == len(expected) - 1 and all(
        e is None or e == v for e, v in zip(expected[1:], shape)
    )


def _fits(expected, value) -> bool:
    """Whether `value` has the rank and the known non-batch sizes of `expected`."""
    return value.ndim == len(expected) and all(
        e is None or e == v for e, v in zip(expected[1:], value.shape[1:])
    )


def _input_shape_hint(expected, shape, batch_fix: str) -> str:
    """The likely fix for data of `shape` that does not fit the declared `expected`, or "".

    `batch_fix` (formatted with the data's `sample` shape) is the hint for a batch size
    declared as part of the sample's shape: Input(shape=(n, 8, 8, 1)) for data (n, 8, 8, 1).
    """
    expected, shape = tuple(expected), tuple(shape)
    if _is_one_sample(expected, shape):
        return (
            " The input looks like a single sample without its batch axis: add one, e.g. "
            "x[None] or np.expand_dims(x, 0)."
        )
    if len(expected) == len(shape) + 1 and all(
        e is None or e == v for e, v in zip(expected[2:], shape[1:])
    ):
        return " " + batch_fix.format(sample=shape[1:])
    return ""


def _incompatible_input(model, index: int, expected, value) -> ValueError:
    """tf_keras's error for data that does not fit an Input, with the likely fix."""
    expected, shape = tuple(expected), tuple(value.shape)
    hint = _input_shape_hint(
        expected,
        shape,
        "keras.Input(shape=...) excludes the batch axis: for this data use "
        "keras.Input(shape={sample}).",
    ) or (" Check which array is passed, or change keras.Input(shape=...).")
    return ValueError(
        f'Input {index} of layer "{model.name}" is incompatible with the layer: expected '
        f"shape={expected}, found shape={shape}.{hint}"
    )


def _check_input(model, symbol: KerasTensor, value: torch.Tensor) -> None:
    expected = symbol.shape
    if (
        value.ndim == len(expected)
        and len(expected) > 0
        and expected[0] is not None
        and expected[0] != value.shape[0]
        and all(e is None or e == v for e, v in zip(expected[1:], value.shape[1:]))
    ):
        # Only the batch size differs (a model built from a batch of data): Keras 2 warns
        # and runs the model, whose layers do not depend on the batch size.
        if not model.__dict__.get("_tork_warned_batch"):
            model.__dict__["_tork_warned_batch"] = True
            warnings.warn(
                f"Model '{model.name}' was constructed with shape {expected} for input "
                f"'{symbol.name}', but it was called on an input with incompatible shape "
                f"{tuple(value.shape)}.",
                stacklevel=4,
            )
        return
    if value.ndim != len(expected) or any(
        e is not None and e != v for e, v in zip(expected, value.shape)
    ):
        raise ValueError(
            f"Input '{symbol.name}' of model '{model.name}' is incompatible: the model expects "
            f"shape {expected} (None = any size), but received shape {tuple(value.shape)}. "
            + (
                "The input looks unbatched: add a batch axis (e.g. x[None]) or batch the "
                "dataset with .batch(...)."
                if _is_one_sample(expected, value.shape)
                else "Check which array is passed, or change keras.Input(shape=...)."
            )
        )
