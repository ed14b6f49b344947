"""`keras.Sequential`: a plain stack of layers, each with one input and one output."""

from __future__ import annotations

import torch

from tork import _tracking, nest
from tork._backend import string_tensor
from tork._backend.string_tensor import StringTensor
from tork._naming import unique_name
from tork.keras.layers._call_context import CONTEXT
from tork.keras.layers.layer import Layer, _to_keras_shape, fresh_name_scope
from tork.keras.models import _sequential_branches as _branches
from tork.keras.models.functional.functional import (
    _input_shape_hint,
    _is_one_sample,
    adjust_input_rank,
)
from tork.keras.models.functional.input_layer import InputLayer
from tork.keras.models.functional.keras_tensor import KerasTensor
from tork.keras.models.model import Model
from tork.keras.trainers.trainer import Trainer


def _takes_feature_dict(layer) -> bool:
    """Whether `layer` reads a dict of features (DenseFeatures): its own errors stand."""
    from tork.keras.layers.preprocessing.dense_features import _FeatureColumnsLayer

    return isinstance(layer, _FeatureColumnsLayer)


def _incompatible_input(model, declared, x) -> ValueError:
    """tf_keras's error for data that does not have the declared input shape."""
    declared, shape = tuple(declared), tuple(x.shape)
    hint = _input_shape_hint(
        declared,
        shape,
        "input_shape= excludes the batch axis: for this data use input_shape={sample} (or "
        "keras.Input(shape={sample})).",
    )
    return ValueError(
        f'Input 0 of layer "{model.name}" is incompatible with the layer: expected '
        f"shape={declared}, found shape={shape}. Check which array is passed "
        "(reshape it to the model's input shape), or the model's input shape (input_shape= "
        f"or keras.Input(shape=...)).{hint}"
    )


def _sizes_differ(declared, x) -> bool:
    """Whether a known non-batch size of `declared` differs from `x`'s (same rank)."""
    return any(d is not None and d != n for d, n in zip(tuple(declared)[1:], x.shape[1:]))


def _is_flat_shape(shape) -> bool:
    return isinstance(shape, (tuple, list)) and all(d is None or isinstance(d, int) for d in shape)


class Sequential(Model):
    """A linear stack of layers.

    The model builds as soon as the input shape is known: from a `keras.Input`
    first, an `input_shape=` on the first layer, `build(input_shape)`, or the
    first call on data (deferred build).

    Args:
        layers: optional list of layers to add.
        name: the model's name (default `sequential`, `sequential_1`...).

    Example:
    >>> model = keras.Sequential([
    ...     keras.layers.Dense(8, activation="relu", input_shape=(4,)),
    ...     keras.layers.Dense(1),
    ... ])
    >>> model(tf.ones((2, 4))).shape
    torch.Size([2, 1])
    """

    def __init__(self, layers=None, name=None, trainable=True, **kwargs):
        kwargs.pop("dtype", None)
        Layer.__init__(self, trainable=trainable, name=name or unique_name("sequential"), **kwargs)
        # Keras 2: a Sequential does not cast its inputs to its compute dtype; its keras.Input
        # and its layers cast to theirs. (Under a float16 policy, float token ids for an
        # Embedding would otherwise round: 4999 -> 5000.)
        self._autocast = False
        Trainer.__init__(self)
        self.__dict__["_tork_seq_layers"] = []
        self.__dict__["_tork_input_layer"] = None
        # The symbolic graph (input KerasTensor, output, the nodes it added to the layers),
        # made by a symbolic build: what `input`, `output` and `layer.output` read.
        self.__dict__["_tork_graph"] = None
        # The input shape inferred from data (no shape declared), relaxed as Keras 2 does.
        self.__dict__["_tork_inferred_shape"] = None
        self._tork_resync()
        if layers is not None and not isinstance(layers, (list, tuple)):
            # Keras 2 takes a single layer too: d2l's `Sequential(self.b1())`.
            layers = [layers]
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._tork_build_if_shape_known()

    def _tork_resync(self) -> None:
        self._modules["layers"] = _tracking._Container(self.__dict__["_tork_seq_layers"])

    @property
    def layers(self) -> list:
        """The model's layers (without the InputLayer, as in Keras).

        A layer added twice (applied twice, sharing its weights) is listed once, as Keras 2
        lists it.
        """
        layers: list = []
        for layer in self.__dict__["_tork_seq_layers"]:
            if not any(layer is seen for seen in layers):
                layers.append(layer)
        return layers

    @layers.setter
    def layers(self, value) -> None:
        raise AttributeError("Use Sequential.add() and pop() to change a Sequential's layers.")

    def add(self, layer, rebuild: bool = True) -> None:
        """Adds a layer on top of the stack.

        Args:
            layer: a Layer instance, or a `keras.Input` tensor to fix the input shape.
        """
        if isinstance(layer, KerasTensor):
            node = layer._tork_node
            layer = node.operation if node is not None else None
        if isinstance(layer, InputLayer):
            if self.__dict__["_tork_seq_layers"]:
                raise ValueError(
                    "An InputLayer (keras.Input) can only be the first layer of a Sequential."
                )
            self.__dict__["_tork_input_layer"] = layer
            if rebuild:
                self._tork_build_if_shape_known()
            return
        if not isinstance(layer, Layer):
            hint = (
                " It looks like a layer class: instantiate it, e.g. Dense(10)."
                if isinstance(layer, type)
                else ""
            )
            raise TypeError(
                f"Sequential.add expects a keras layer instance, got {layer!r} "
                f"({type(layer).__name__}).{hint}"
            )
        existing = self.__dict__["_tork_seq_layers"]
        if any(other.name == layer.name and other is not layer for other in existing):
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. Name "
                f'"{layer.name}" is already the name of a layer in this model. Update the `name` '
                "argument to pass a unique name."
            )
        if any(other is layer for other in existing) and self._tork_known_input_shape() is None:
            # Keras 2 accepts a layer added again. With the input shape known, its graph
            # applies the layer once more (sharing its weights); otherwise the model
            # keeps its layers once and runs each once.
            return
        existing.append(layer)
        self._tork_resync()
        if rebuild:
            self._tork_rebuild_after_change()

    def pop(self, rebuild: bool = True):
        """Removes and returns the last layer."""
        layers = self.__dict__["_tork_seq_layers"]
        if not layers:
            raise TypeError("There are no layers in the model.")
        layer = layers.pop()
        self._tork_resync()
        inferred = self._tork_graph_shape()
        self._tork_drop_graph()
        self.__dict__["built"] = False
        self._build_shapes = None
        self._tork_out_shape = None
        if rebuild and layers:
            self._tork_rebuild(inferred)
        return layer

    def _tork_graph_shape(self):
        """The input shape of the current symbolic graph, if one was inferred from data."""
        if self.__dict__["_tork_inferred_shape"] is None:
            return None
        graph = self.__dict__["_tork_graph"]
        return tuple(graph[0].shape) if graph is not None else None

    def _tork_rebuild_after_change(self) -> None:
        # A model built from data rebuilds for the shape it inferred, as Keras 2 extends
        # its graph with the new layer; otherwise a declared shape builds it.
        self._tork_rebuild(self._tork_graph_shape())

    def _tork_rebuild(self, inferred) -> None:
        self._tork_out_shape = None
        shape = self._tork_known_input_shape()
        if shape is not None:
            self.build(shape)
        elif inferred is not None and self.__dict__["_tork_seq_layers"]:
            self.build(inferred)
            self.__dict__["_tork_inferred_shape"] = inferred  # still relaxed by later calls

    def _tork_known_input_shape(self):
        input_layer = self.__dict__["_tork_input_layer"]
        if input_layer is not None:
            return input_layer.batch_shape
        layers = self.__dict__["_tork_seq_layers"]
        if not layers:
            return None
        first = layers[0]
        if first._batch_input_shape is not None:
            return first._batch_input_shape
        # A nested model (e.g. a data-augmentation Sequential) knows its own input (Keras 2
        # looks through nested models for the first layer's input shape).
        if isinstance(first, Sequential):
            shape = first._tork_known_input_shape()
            built = first.__dict__.get("_build_shapes")
            if shape is None and first.built and _is_flat_shape(built):
                # A Sequential built inside another model (Keras 3 reads its input_shape).
                return (None, *tuple(built)[1:])
            return shape
        flat = first.__dict__.get("_tork_flat_inputs")
        if flat is not None and len(flat) == 1:
            return flat[0].shape
        return None

    def _tork_build_if_shape_known(self) -> None:
        shape = self._tork_known_input_shape()
        if shape is not None and self.__dict__["_tork_seq_layers"]:
            self.build(shape)

    def build(self, input_shape=None) -> None:
        """Builds every layer for `input_shape` (batch size first)."""
        if input_shape is None:
            input_shape = self._tork_known_input_shape()
        if input_shape is None:
            raise ValueError(
                f"Sequential model '{self.name}' cannot build without an input shape: pass "
                "build((None, features)), add a keras.Input(shape=...) first, or call the model on "
                "data."
            )
        shape = _to_keras_shape(input_shape)
        input_layer = self.__dict__["_tork_input_layer"]
        declared = self._tork_known_input_shape() if self.built else None
        if (
            declared is not None
            and self.__dict__["_tork_graph"] is not None
            and self.__dict__["_tork_inferred_shape"] is None
            and tuple(shape) != tuple(declared)
        ):
            # Keras 2: a Sequential built from its declared input (keras.Input or a first
            # layer's input_shape) keeps that graph; build() with another shape changes
            # nothing (`model.build((None, 784))` in book code, `build((1, 4))`).
            return
        self.__dict__["_tork_inferred_shape"] = None
        self._tork_out_shape = None  # the output shape of the layers as they are now
        if input_layer is not None and input_layer._input_dtype is string_tensor.string:
            # keras.Input(dtype="string"): no placeholder values exist, only symbolic text.
            self._tork_build_symbolically(shape)
            return
        # A symbolic input first, as Keras builds a Sequential's graph: no size is guessed
        # and every layer gets its symbolic `input`/`output` (feature extraction).
        try:
            self._tork_build_symbolically(shape)
        except Exception:  # noqa: BLE001 - e.g. a layer branching on tensor values
            # Layers that cannot run symbolically still build on placeholder values.
            self._tork_drop_graph()
        else:
            if self._tork_known_input_shape() is None:
                # Keras 2: a shape given to build() alone is relaxed by later calls too.
                self.__dict__["_tork_inferred_shape"] = tuple(shape)
            return
        self._tork_build_by_calling(shape)

    def _tork_drop_graph(self) -> None:
        """Forgets the symbolic graph, removing its nodes from the layers (before a rebuild)."""
        graph = self.__dict__["_tork_graph"]
        self.__dict__["_tork_graph"] = None
        # Branches of `seq.add_loss(t)` hang on the old graph's tensors.
        self.__dict__["_tork_graph_layer_outputs"] = None
        self.__dict__.pop("_tork_branch_ends", None)
        self.__dict__.pop("_tork_branch_nodes", None)
        if graph is None:
            return
        for node in graph[2]:
            for parent in node.parent_nodes:  # no longer among their outbound nodes
                consumers = parent.__dict__.get("_tork_consumers")
                if consumers is not None:
                    consumers[:] = [n for n in consumers if n is not node]
            inbound = node.operation.__dict__.get("_tork_inbound_nodes")
            if inbound is not None:
                inbound[:] = [n for n in inbound if n is not node]
                if not inbound:
                    # Its output shape came from that node: the rebuild sets it anew.
                    node.operation.__dict__["_tork_out_shape"] = None

    def _tork_build_symbolically(self, shape: tuple, dtype=None) -> None:
        self._tork_drop_graph()
        input_layer = self.__dict__["_tork_input_layer"]
        layers = self.__dict__["_tork_seq_layers"]
        if input_layer is not None and tuple(input_layer.batch_shape) == tuple(shape):
            x = input_layer.output
        else:
            # Keras 2 names the input it makes for a Sequential `<first layer>_input`.
            first = layers[0]
            x = InputLayer(
                batch_shape=shape,
                dtype=dtype or first._tork_compute_dtype,
                name=f"{first.name}_input",
            ).output
        graph_input = x
        self._build_shapes = _to_keras_shape(shape)
        self.__dict__["built"] = True
        nodes = []
        layer_outputs = []
        try:
            with fresh_name_scope():  # `dense/kernel:0`, also when nested (Keras 2)
                for layer in layers:
                    x = layer(x)
                    layer_outputs.append(x)
                    produced = [t for t in nest.flatten(x) if isinstance(t, KerasTensor)]
                    if produced and produced[0]._tork_node is not None:
                        nodes.append(produced[0]._tork_node)
        except Exception:
            self.__dict__["built"] = False
            self.__dict__["_tork_graph"] = (graph_input, None, nodes)
            raise
        self.__dict__["_tork_graph"] = (graph_input, x, nodes)
        # Each layer's symbolic output, for `seq.add_loss(t)` branches (_sequential_branches).
        self.__dict__["_tork_graph_layer_outputs"] = layer_outputs
        self._tork_out_shape = _plain_output_shape(x)

    def _tork_maybe_build(self, inputs, args, kwargs) -> None:
        if not isinstance(inputs, (torch.Tensor, StringTensor, dict)) and string_tensor.is_string(
            inputs
        ):
            # Python or NumPy strings (TF Recommenders' `movie_title_model(["Star Wars"])`):
            # string data, not a shape to build from.
            inputs = string_tensor.make(inputs, f"Sequential '{self.name}'")
        if isinstance(inputs, (StringTensor, dict)):
            # String tensors have no Keras shape, and Keras 2 makes no graph for a dict of
            # features (DenseFeatures): the layers build as the real inputs go through.
            self.__dict__["built"] = True
            if isinstance(inputs, StringTensor) and not CONTEXT.symbolic:
                # Keras 2's graph for the first call's shape squeezes a trailing axis of
                # size 1 from later inputs (see `call`).
                self.__dict__.setdefault("_tork_string_input_shape", tuple(inputs.shape))
            if isinstance(inputs, dict) and all(
                isinstance(v, torch.Tensor) for v in inputs.values()
            ):
                # Keras 2 keeps the first call's inputs (any batch size) as the spec that
                # `tf.saved_model.save` writes as the serving signature.
                self.__dict__.setdefault(
                    "_tork_dict_input_specs",
                    {k: ((None, *v.shape[1:]), v.dtype) for k, v in inputs.items()},
                )
            return
        if (
            isinstance(inputs, torch.Tensor)
            and self.__dict__["_tork_seq_layers"]
            and not CONTEXT.symbolic
            and not torch.compiler.is_compiling()
        ):
            # As Keras 2: the first call on data builds the graph for the data's shape;
            # fit/evaluate/predict build it for any batch size (their traced functions do
            # not know it), falling back to the batch's own shape.
            shape = tuple(inputs.shape)
            shapes = [shape]
            if self.__dict__.pop("_tork_loop_build", False) and shape:
                shapes.insert(0, (None, *shape[1:]))
            for candidate in shapes:
                try:
                    self._tork_build_symbolically(candidate, dtype=inputs.dtype)
                    self.__dict__["_tork_inferred_shape"] = candidate
                    return
                except Exception:  # noqa: BLE001 - layers that cannot run symbolically
                    self._tork_drop_graph()
                    self._tork_out_shape = None
        super()._tork_maybe_build(inputs, args, kwargs)

    def _tork_relax_inferred_shape(self, x) -> None:
        """Rebuilds the graph inferred from data for a more general shape (Keras 2).

        After a call on (1, 4) and one on (5, 4), the graph input is (None, 4): sizes
        that differ become None.
        """
        inferred = self.__dict__["_tork_inferred_shape"]
        shape = tuple(x.shape)
        if shape == inferred or CONTEXT.symbolic:
            return
        if len(shape) != len(inferred):
            return  # Keras 2 gives up on the graph here; keep the one there is
        relaxed = tuple(a if a == b else None for a, b in zip(inferred, shape))
        if relaxed == inferred:
            return
        try:
            self._tork_build_symbolically(relaxed, dtype=x.dtype)
        except Exception:  # noqa: BLE001 - keep running on data, as built
            self._tork_drop_graph()
            self.__dict__["built"] = True
        self.__dict__["_tork_inferred_shape"] = relaxed

    def _tork_forget_batch(self, size: int) -> None:
        """Rebuilds a graph inferred from placeholder data of batch `size` with batch None.

        A subclassed model's `build((None, ...))` calls its nested Sequentials on placeholder
        values: their graph (summary, `output_shape`) must say None, as in Keras.
        """
        inferred = self.__dict__["_tork_inferred_shape"]
        if not inferred or inferred[0] != size:
            return
        graph = self.__dict__["_tork_graph"]
        dtype = graph[0].dtype if graph is not None else None
        relaxed = (None, *inferred[1:])
        try:
            self._tork_build_symbolically(relaxed, dtype=dtype)
        except Exception:  # noqa: BLE001 - keep running on data, as built
            self._tork_drop_graph()
            self.__dict__["built"] = True
        self.__dict__["_tork_inferred_shape"] = relaxed

    @property
    def losses(self) -> list:
        """Losses from `add_loss` in the last call, plus weight regularization penalties.

        Before the model has run on data, the losses its layers added in `call()` while
        the model was built (activity regularizers) are listed as symbolic tensors, as a
        Keras 2 Sequential with a known input shape (a functional model) shows them.
        """
        result = Model.losses.fget(self)
        if not self.__dict__.get("_tork_ran"):
            for layer in self._flatten_layers(include_self=False):
                if not layer._tork_call_losses:  # a real call's losses replace them
                    result.extend(layer.__dict__.get("_tork_symbolic_losses", ()))
        return result

    def _flatten_layers(self, include_self: bool = True, recursive: bool = True) -> list:
        result = super()._flatten_layers(include_self, recursive)
        if self.__dict__.get("_tork_branch_ends"):
            # The AddLoss/AddMetric layers of `seq.add_loss(t)`: their losses and metrics
            # are the model's (they are no torch submodules, so the weights stay the same).
            result.extend(_branches.branch_layers(self))
        return result

    def _tork_insert_symbolic(self, what: str, value, make_layer) -> None:
        # Keras 2: a Sequential with a known input shape is a functional model, so
        # `seq.add_loss(tf.reduce_mean(seq.output))` adds a branch to its graph.
        if not _branches.insert(self, what, value, make_layer):
            super()._tork_insert_symbolic(what, value, make_layer)

    def call(self, inputs, training=None, mask=None):
        if not CONTEXT.symbolic:
            self.__dict__["_tork_ran"] = True  # model.losses: no symbolic ones from now on
        x = inputs
        input_layer = self.__dict__["_tork_input_layer"]
        if isinstance(x, dict) and input_layer is not None:
            # Keras: data for a Sequential with a named keras.Input may come keyed by its name.
            x = inputs = _input_by_name(x, input_layer.name)
        # Checked first, so that a compiled graph reads (and guards on) no graph state.
        if not torch.compiler.is_compiling() and isinstance(x, torch.Tensor):
            if self.__dict__["_tork_inferred_shape"] is not None:
                self._tork_relax_inferred_shape(x)
        declared = self._tork_known_input_shape() if isinstance(x, torch.Tensor) else None
        first_strings = self.__dict__.get("_tork_string_input_shape")
        if (
            isinstance(x, StringTensor)
            and first_strings is not None
            and x.ndim != len(first_strings)
        ):
            # Keras 2 built a graph for the first strings' shape, and its functional call
            # takes (batch, 1) for (batch,) and back: TF Recommenders' candidate tower, built
            # on a dataset of titles, then gets the (batch, 1) labels of a parsed TFRecord.
            x = adjust_input_rank(x, (None, *first_strings[1:]))
        if declared is not None and x.ndim != len(declared):
            given = x
            x = adjust_input_rank(x, tuple(declared))
            if x is not given and not CONTEXT.symbolic and _sizes_differ(declared, x):
                # The trailing axis of size 1 Keras adds (Input((1,)) takes (batch,)) only
                # helps when the result fits: (12, 8, 8, 1) for input_shape=(10, 8, 8, 1)
                # would reach Conv2D as (12, 8, 8, 1, 1), a misleading spatial-size error.
                raise _incompatible_input(self, declared, given)
            if x.ndim > len(declared) and not CONTEXT.symbolic:
                # Keras 2 refuses data of a higher rank (its layers would run on the wrong
                # axes: Dense on (4, 1, 8) gives (4, 1, units), which a loss may broadcast).
                # A missing axis gets the layers' own hints (an unbatched sample).
                raise ValueError(
                    f"Sequential model '{self.name}' expects inputs of shape "
                    f"{tuple(declared)} (None = any size), but received shape "
                    f"{tuple(x.shape)}. Check which array is passed, or the model's input "
                    "shape (input_shape= or keras.Input(shape=...)); a Flatten or Reshape "
                    "layer may be missing."
                )
            if (
                x.ndim < len(declared)
                and not CONTEXT.symbolic
                and not _is_one_sample(tuple(declared), tuple(x.shape))
            ):
                # (2, 784) into Flatten(input_shape=(28, 28)): Keras 2 refuses it; the
                # layers would run on (an unbatched sample keeps the layers' own hints).
                raise _incompatible_input(self, declared, x)
        elif (
            declared is not None
            and not CONTEXT.symbolic
            and not torch.compiler.is_compiling()
            and any(d is not None and d != n for d, n in zip(tuple(declared)[1:], x.shape[1:]))
        ):
            # Keras 2 checks the declared sizes too: (2, 784) into Flatten(input_shape=(28,
            # 28)) would run on silently, and (2, 14, 56) would be flattened wrongly.
            raise _incompatible_input(self, declared, x)
        if input_layer is not None and isinstance(x, torch.Tensor):
            dtype = input_layer._input_dtype
            if x.dtype != dtype and isinstance(dtype, torch.dtype):
                # As a functional model: inputs take their keras.Input's dtype (tf.cast's
                # rules: float -> int truncates).
                x = x.to(dtype)
        if mask is not None and isinstance(x, torch.Tensor) and not CONTEXT.symbolic:
            # `model(x, mask=m)`: the mask rides on an alias of the input into the layers,
            # as Keras 2 sets `_keras_mask` (the caller's tensor keeps its own).
            x = x.view_as(x)
            x._keras_mask = torch.as_tensor(mask, device=x.device)
        layers = self.__dict__["_tork_seq_layers"]
        if self.__dict__.get("_tork_branch_ends") and not CONTEXT.symbolic:
            # `seq.add_loss(t)` on the graph's tensors: the branches run after the layers.
            return _branches.call(self, layers, x)
        try:
            for layer in layers:
                x = layer(x)
        except Exception as error:
            if (
                isinstance(inputs, (list, tuple))
                and len(inputs) == 1
                and layer is layers[0]
                and not torch.compiler.is_compiling()
            ):
                # Keras matches `[x]` to a Sequential's single input: model([x]) and
                # predict_on_batch([x]) run on x (handled here, off the usual path).
                return self.call(inputs[0], training=training, mask=mask)
            # `x` is what the failing layer got: several outputs of the previous layer.
            if isinstance(x, (list, tuple)) and layer is not layers[0]:
                previous = layers[layers.index(layer) - 1]
                raise ValueError(
                    "All layers in a Sequential model should have a single output tensor. "
                    f"Layer '{previous.name}' of Sequential model '{self.name}' returned "
                    f"{len(x)} outputs (a {type(x).__name__}), which layer '{layer.name}' "
                    "cannot take. For multi-output layers, use the functional API "
                    "(keras.Model(inputs, outputs))."
                ) from error
            if (
                isinstance(inputs, (list, tuple))
                and len(inputs) > 1
                and layer is layers[0]
                and self._tork_known_input_shape() is not None
            ):
                # model.predict([a, b]) on a model with one declared input (sentdex's
                # `predict([img])` with two images): Keras 2 checks the number of inputs
                # against its graph's single input first.
                raise ValueError(
                    f'Layer "{self.name}" expects 1 input(s), but it received {len(inputs)} '
                    f"input tensors (a {type(inputs).__name__} of {len(inputs)} arrays). A "
                    "Sequential model takes a single array: stack the samples into one array "
                    "(np.concatenate or np.stack) instead of passing a list of them."
                ) from error
            if (
                isinstance(inputs, dict)
                and layer is layers[0]
                and type(layer).__module__.startswith("tork.")  # a user layer may take dicts
                and not _takes_feature_dict(layer)
            ):
                raise ValueError(
                    f"Sequential model '{self.name}' takes a single input tensor, but received "
                    f"a dict with keys {sorted(map(str, inputs))}. Pass the array itself (e.g. "
                    "x['features']), or build a functional model with named keras.Input "
                    "layers to take a dict."
                ) from error
            raise
        return x

    def _tork_output_names(self):
        # Keras 2 names a Sequential's output after its last layer: compile(loss={name: ...}),
        # and the `y` and `sample_weight` dicts of fit, match their keys to that name.
        layers = self.__dict__["_tork_seq_layers"]
        return [layers[-1].name] if layers else None

    @property
    def input_names(self) -> list | None:
        """The input layer's name in a list (`['dense_input']`); None before the model is
        built, as in Keras 2."""
        if not self.built:
            return None
        declared = self.__dict__["_tork_input_layer"]
        if declared is not None:
            return [declared.name]
        graph = self.__dict__["_tork_graph"]
        if graph is not None and graph[1] is not None:
            return [graph[0].name]
        layers = self.__dict__["_tork_seq_layers"]
        return [f"{layers[0].name}_input"] if layers else None

    @property
    def output_names(self) -> list | None:
        """The last layer's name in a list (`['dense_1']`); None before the model is built,
        as in Keras 2."""
        return self._tork_output_names() if self.built else None

    @property
    def inputs(self) -> list:
        """The model's input KerasTensors (a list of one)."""
        graph = self.__dict__["_tork_graph"]
        if graph is not None and graph[1] is not None:
            return [graph[0]]
        shape = self._build_shapes
        if shape is None:
            raise AttributeError(f"Sequential model '{self.name}' has not been built yet.")
        layer = self.__dict__["_tork_input_layer"]
        if layer is None:
            return [KerasTensor(tuple(shape))]
        return [layer.output]

    @property
    def outputs(self) -> list:
        """The model's output KerasTensors (a list of one)."""
        return [self._tork_graph_end(1, "outputs")]

    @property
    def input(self):
        """The model's input KerasTensor."""
        return self._tork_graph_end(0, "input")

    @property
    def output(self):
        """The model's output KerasTensor."""
        return self._tork_graph_end(1, "output")

    def _tork_graph_end(self, index: int, what: str):
        graph = self.__dict__["_tork_graph"]
        if graph is not None and graph[1] is not None:
            return graph[index]
        if self._build_shapes is None:
            raise AttributeError(
                f"Sequential model '{self.name}' has not been built yet, so it has no {what}: "
                "give it an input shape (keras.Input first, or build()) or call it on data."
            )
        raise AttributeError(
            f"Sequential model '{self.name}' has no symbolic {what}: one of its layers cannot "
            "run on symbolic tensors, so it was built by running it on placeholder values."
        )

    def get_config(self) -> dict:
        from tork.keras.saving.serialization import serialize_keras_object

        if self.__dict__.get("_tork_branch_ends"):
            # `seq.add_loss(t)`/`add_metric(t)` branches: tf_keras writes their layers in a
            # Sequential config it cannot rebuild; the graph saved as a functional model
            # reloads with them (load_model and clone_model then give a functional model).
            config = _branches.functional_twin(self).get_config()
            config["trainable"] = self.trainable
            return config
        layers = [serialize_keras_object(layer) for layer in self.layers]
        first = layers[0].get("config") if layers and isinstance(layers[0], dict) else None
        declared = self.__dict__["_tork_input_layer"]
        graph = self.__dict__["_tork_graph"]
        if declared is not None:
            # The declared input goes first with its name and flags, as Keras writes it (a
            # text, ragged or sparse input cannot be rebuilt from a shape alone).
            config = declared.get_config()
            entry = _input_layer_entry(config["batch_shape"], config["dtype"], config["name"])
            entry["config"]["sparse"] = bool(config["sparse"])
            entry["config"]["ragged"] = bool(config["ragged"])
            layers.insert(0, entry)
        elif isinstance(first, dict) and first.get("batch_input_shape") is not None:
            # Keras 3 refuses `batch_input_shape` in a layer's config: the declared input
            # goes into an InputLayer entry first, as Keras 3 writes it (tork reads both).
            first = dict(first)
            shape = first.pop("batch_input_shape")
            dtype = first.get("dtype")
            layers[0] = {**layers[0], "config": first}
            layers.insert(0, _input_layer_entry(shape, dtype, f"{self.layers[0].name}_input"))
        elif graph is not None and graph[1] is not None and layers:
            # Built from data or by build(shape): Keras 2 lists the input its graph made,
            # `<first layer>_input`, first (and from_config rebuilds from it).
            tensor = graph[0]
            name = getattr(getattr(tensor, "_tork_node", None), "operation", None)
            name = getattr(name, "name", None) or f"{self.layers[0].name}_input"
            layers.insert(0, _input_layer_entry(tuple(tensor.shape), _dtype_name(tensor), name))
        config = {"name": self.name, "trainable": self.trainable, "layers": layers}
        if self._build_shapes is not None:
            config["build_input_shape"] = tuple(self._build_shapes)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from tork.keras.saving.serialization import deserialize_keras_object

        if "input_layers" in config:
            # The functional config of a Sequential with add_loss(tensor) branches.
            from tork.keras.models.functional.functional import Functional

            return Functional.from_config(config, custom_objects=custom_objects)
        _reject_branch_layers(config)
        model = cls(name=config.get("name"))
        for spec in config.get("layers", []):
            model.add(deserialize_keras_object(spec, custom_objects=custom_objects), rebuild=False)
        shape = config.get("build_input_shape")
        if shape is not None:
            model.build(shape)
        else:
            # Keras 2 configs give the input shape only through a leading InputLayer.
            model._tork_build_if_shape_known()
        if config.get("trainable", True) is False:
            model.trainable = False  # a frozen container (e.g. a transfer-learning base)
        return model


# The layers tf_keras inserts for `seq.add_loss(tensor)`/`add_metric(tensor)`.
_BRANCH_CLASSES = ("TFOpLambda", "SlicingOpLambda", "AddLoss", "AddMetric")


def _reject_branch_layers(config: dict) -> None:
    """Refuses a tf_keras Sequential config listing add_loss(tensor) branch layers."""
    from tork.keras.saving.errors import KerasFileError

    for spec in config.get("layers") or []:
        if isinstance(spec, dict) and spec.get("class_name") in _BRANCH_CLASSES:
            name = (spec.get("config") or {}).get("name")
            raise KerasFileError(
                f"Sequential model '{config.get('name')}': its config lists the layer "
                f"'{name}' ({spec['class_name']}), which tf_keras inserts for "
                "model.add_loss(tensor)/add_metric(tensor) without saving how it connects to "
                "the other layers; tf_keras cannot rebuild such a model either. Build the "
                "model in code and load the weights with model.load_weights(path) (tork "
                "saves such a Sequential as a functional model, which reloads)."
            )


def _input_layer_entry(shape, dtype, name: str) -> dict:
    """The serialized InputLayer Keras 3 writes first in a Sequential config."""
    if isinstance(dtype, dict):  # a serialized dtype policy
        dtype = dtype.get("config", {}).get("name", "float32")
    if not isinstance(dtype, str) or dtype.startswith("mixed_"):
        dtype = "float32"
    return {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": {
            "batch_shape": list(shape),
            "dtype": dtype,
            "sparse": False,
            "ragged": False,
            "name": name,
            "optional": False,  # tf_keras 2.13+ and Keras 3 write it
        },
        "registered_name": None,
    }


def _dtype_name(tensor) -> str:
    from tork._backend import dtypes as _dtypes

    try:
        return _dtypes.dtype_name(tensor.dtype)
    except Exception:  # noqa: BLE001 - a dtype without a Keras name
        return "float32"


def _plain_output_shape(outputs):
    if isinstance(outputs, (list, tuple)):
        return [tuple(o.shape) for o in outputs]
    return tuple(outputs.shape)


def _input_by_name(data: dict, name: str):
    """The value of a data dict for the Sequential's keras.Input named `name`."""
    if name in data:
        return data[name]
    raise ValueError(
        f'Missing data for input "{name}". You passed a data dictionary with keys '
        f"{sorted(data)}. Expected the following keys: ['{name}']. A Sequential model takes "
        "a single input: pass the array itself, or key it by its keras.Input's name."
    )
