"""`keras.Model`: a Layer with training, saving and summaries.

`keras.Model(inputs, outputs)` builds a functional model; subclassing `Model`
with `__init__`/`call` builds a subclassed model.
"""

from __future__ import annotations

import copy
import inspect
import sys
import warnings

import numpy as np
import torch

from tork._backend import dtypes as _dtypes
from tork._backend.device import current_device
from tork._backend.tensor import convert_to_tensor
from tork.keras.layers import _placeholder_batch
from tork.keras.layers._call_context import CONTEXT
from tork.keras.layers.layer import KerasShape, Layer, _to_keras_shape
from tork.keras.models._keras2_private import Keras2PrivateModel
from tork.keras.models.functional.node import _map, flatten
from tork.keras.saving.model_saving import SavingMixin
from tork.keras.trainers.trainer import Trainer
from tork.ops import gradients as _gradients

# The size `build()` gives the batch and other unknown sizes of its placeholder inputs.
_PLACEHOLDER_SIZE = 2


# Stand-ins tried in turn for unknown sizes other than the batch's: a fully convolutional
# model built with `build((None, None, None, 3))` fails on 2x2 images (a 3x3 'valid'
# convolution empties them), where Keras's unknown sizes are no numbers.
_INNER_RETRY_SIZES = (64, 331)


def _placeholder(shape, dtype, inner: int = _PLACEHOLDER_SIZE):
    if isinstance(shape, dict):
        return {k: _placeholder(v, dtype, inner) for k, v in shape.items()}
    if isinstance(shape, list):
        return [_placeholder(s, dtype, inner) for s in shape]
    # Batch and other unknown sizes get 2: not 1, so no axis looks squeezable.
    return torch.zeros(
        tuple(
            (_PLACEHOLDER_SIZE if i == 0 else inner) if d is None else d
            for i, d in enumerate(shape)
        ),
        dtype=dtype,
        device=current_device(),
    )


def _has_unknown_inner_size(shape) -> bool:
    if isinstance(shape, dict):
        return any(_has_unknown_inner_size(v) for v in shape.values())
    if isinstance(shape, list):
        return any(_has_unknown_inner_size(s) for s in shape)
    return shape is not None and any(d is None for d in tuple(shape)[1:])


def _forget_placeholder_batch(model, known: set) -> None:
    """Puts the unknown batch size (None) back into the shapes layers were built with.

    `build((None, ...))` runs call() on placeholder values with batch size 2; the layers
    it built should record (and save in their build config) the batch size None, as Keras
    does. `known` holds the ids of layers built before, which keep their shapes.
    """

    def forget(shape):
        if isinstance(shape, tuple) and shape and shape[0] == _PLACEHOLDER_SIZE:
            return _to_keras_shape((None, *shape[1:]))
        if isinstance(shape, list):
            return [forget(s) for s in shape]
        return shape

    for layer in model._flatten_layers(include_self=False):
        built = layer.__dict__.get("_build_shapes")
        if built is not None and id(layer) not in known:
            layer.__dict__["_build_shapes"] = forget(built)
            forget_graph = getattr(layer, "_tork_forget_batch", None)
            if forget_graph is not None:  # a nested Sequential's graph, inferred from them
                forget_graph(_PLACEHOLDER_SIZE)


class Model(Trainer, SavingMixin, Keras2PrivateModel, Layer):
    """A model: layers grouped with training (`compile`/`fit`) and saving.

    Two ways to make one:
    1. Functional: `keras.Model(inputs=Input(...), outputs=...)`.
    2. Subclassing: define layers in `__init__` and the forward pass in `call`.

    Example:
    >>> class MLP(keras.Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.dense1 = keras.layers.Dense(64, activation="relu")
    ...         self.dense2 = keras.layers.Dense(10)
    ...     def call(self, inputs):
    ...         return self.dense2(self.dense1(inputs))
    >>> MLP()(tf.ones((2, 100))).shape
    torch.Size([2, 10])
    """

    # `model.input_shape`/`output_shape` are those of the model's own inputs and outputs
    # (Keras 2's functional models), also after calls in other models on other shapes.
    _tork_shapes_from_nodes = False

    def __deepcopy__(self, memo):
        # A model's graph is copied by recursion through its nodes and tensors, about a
        # dozen frames per layer: deep models (DenseNet, 100 chained layers) would pass
        # Python's default limit of 1000. Raised for the copy only.
        limit = sys.getrecursionlimit()
        layers = sum(1 for _ in self._flatten_layers(include_self=False))
        sys.setrecursionlimit(max(limit, 2000 + 40 * layers))
        try:
            reduced = self.__reduce_ex__(4)
            return copy._reconstruct(self, memo, *reduced)
        finally:
            sys.setrecursionlimit(limit)

    def __new__(cls, *args, **kwargs):
        if cls is Model and ("input" in kwargs or "output" in kwargs):
            # Keras 1's keywords (tf_keras: "Keyword argument not understood").
            raise TypeError(
                "keras.Model() got the Keras 1 keyword(s) "
                f"{', '.join(repr(k) for k in ('input', 'output') if k in kwargs)}: Keras 2 "
                "names them inputs= and outputs=, e.g. keras.Model(inputs=x, outputs=y)."
            )
        if cls is Model and ("inputs" in kwargs or "outputs" in kwargs or (len(args) >= 2)):
            from tork.keras.models.functional.functional import Functional

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        if "inputs" in kwargs or "outputs" in kwargs or len(args) >= 2:
            # A subclass built like a functional model (the "customizing fit()" pattern:
            # `CustomModel(inputs, outputs)` with its own train_step): as in Keras, the
            # instance becomes a functional model that keeps the subclass's methods.
            from tork._naming import to_snake_case, unique_name
            from tork.keras.models.functional.functional import Functional

            cls = type(self)
            self.__class__ = _functional_subclass(cls)
            if "name" not in kwargs and len(args) < 3:
                kwargs["name"] = unique_name(to_snake_case(cls.__name__))
            Functional.__init__(self, *args, **kwargs)
            return
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        Layer.__init__(self, trainable=trainable, name=name, dtype=dtype, **kwargs)
        Trainer.__init__(self)

    # -- layers ----------------------------------------------------------------------
    @property
    def layers(self) -> list:
        """The model's direct sublayers; a subclass may assign its own `self.layers` list."""
        own = self.__dict__.get("_tork_user_layers")
        if own is not None:
            return own
        return self._layers

    @layers.setter
    def layers(self, value) -> None:
        from tork import _tracking

        if not isinstance(value, (list, tuple)):
            raise TypeError(
                f"{type(self).__name__}.layers must be a list of layers (Keras tracks them for "
                f"training), got {type(value).__name__}. Use e.g. self.layers = [Dense(8), ...]."
            )
        wrapped = _tracking.wrap(value, self, "layers")
        self.__dict__["_tork_user_layers"] = wrapped
        self._tork_sync_attribute("layers")

    @property
    def _feed_inputs(self) -> list:
        # Keras 2's list of the input tensors a graph model is fed with (its `inputs`):
        # libraries (keract) pass it to `K.function` to evaluate intermediate outputs.
        inputs = self.inputs
        if inputs is None:
            raise AttributeError(f"Model '{self.name}' has no inputs yet: call or build it.")
        return list(inputs)

    def _tork_structure(self, name: str):
        if name == "layers":
            return self.__dict__.get("_tork_user_layers")
        return super()._tork_structure(name)

    def get_layer(self, name: str | None = None, index: int | None = None):
        """Returns a layer by name or by index in `layers`.

        Args:
            name: the layer's name.
            index: the layer's position in `model.layers`.

        Returns:
            The layer.
        """
        if index is not None and name is not None:
            raise ValueError("Provide only a layer name or a layer index, not both.")
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has "
                    f"{len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            for layer in self._flatten_layers(include_self=False):
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: {[la.name for la in layers]}."
            )
        raise ValueError("Provide either a layer name or a layer index to get_layer().")

    def call(self, inputs, training=None, mask=None):
        """The model's forward pass: subclasses override it (Keras's `Model.call`).

        A subclassed model that only overrides `train_step` (the keras.io VAE and GAN
        pattern) trains, but cannot be called, evaluated or used to predict.
        """
        raise NotImplementedError(
            f"Unimplemented `tf.keras.Model.call()` in model '{self.name}' "
            f"({type(self).__name__}): if you intend to create a `Model` with the Functional "
            "API, please provide `inputs` and `outputs` arguments. Otherwise, subclass "
            "`Model` with an overridden `call()` method."
        )

    # -- building ---------------------------------------------------------------------
    def build(self, input_shape=None) -> None:
        """Builds a subclassed model by calling it once on placeholder inputs.

        Args:
            input_shape: the input shape with the batch size first (None allowed),
                or a list/dict of shapes for several inputs.
        """
        if type(self).build is not Model.build or input_shape is None:
            # A user-defined build (that then calls super().build) or a no-shape build.
            user_graph = self.__dict__.get("_tork_user_is_graph_network", False)  # user-set
            if input_shape is not None and not user_graph:
                # Keras 2: `super().build(shape)` from a user build runs call() on
                # placeholders, so the sublayers the user build created get their weights.
                if not any(layer is self for layer in CONTEXT.stack):
                    self._tork_build_by_calling(input_shape)  # a direct model.build(shape)
                    return
                # From the model's first call too: Keras 2 builds them in a graph of its
                # own, outside the model's name scope (`d1/kernel:0`, not `m/d1/kernel:0`).
                from tork.keras.layers.layer import _BUILDS
                from tork.ops.scopes import name_scope

                with name_scope(""):
                    # Depth + 1: the model's own call on the placeholders is skipped.
                    _BUILDS.append((None, len(CONTEXT.stack) + 1, "", False))
                    try:
                        self._tork_build_by_calling(input_shape)
                    finally:
                        _BUILDS.pop()
                return
            self._build_shapes = _to_keras_shape(input_shape) if input_shape else None
            self.__dict__["built"] = True
            return
        from tork.keras.layers.layer import _BUILDS

        if (
            self._tork_spec().required_extra
            and _BUILDS
            and _BUILDS[-1][0] is self
            and any(layer is self for layer in CONTEXT.stack)
        ):
            # The first call of a model whose call() takes more required inputs
            # (`call(self, x, y)`): Keras 2 runs no default build then; the call itself
            # builds the sublayers.
            self._build_shapes = _to_keras_shape(input_shape)
            self.__dict__["built"] = True
            return
        self._tork_build_by_calling(input_shape)

    def _tork_build_by_calling(self, input_shape) -> None:
        """Builds every sublayer by running call() once on zeros of `input_shape`."""
        from tork.keras.models import _save_spec

        spec = self._tork_spec()
        if spec.required_extra:
            args = ", ".join(spec.params)
            raise ValueError(
                f"{type(self).__name__}.build(input_shape) cannot build this model: its "
                f"call({args}) needs the extra argument(s) "
                f"{', '.join(repr(a) for a in spec.required_extra)}, which build cannot guess. "
                "Call the model on real inputs instead, e.g. "
                f"model(inputs, {', '.join(spec.required_extra)}), which builds it; or give "
                "the extra argument(s) a default value in call()."
            )
        shapes = _to_keras_shape(input_shape)
        self._build_shapes = shapes
        inner_sizes = [_PLACEHOLDER_SIZE]
        if _has_unknown_inner_size(shapes):
            inner_sizes += _INNER_RETRY_SIZES
        known = {
            id(layer)
            for layer in self._flatten_layers(include_self=False)
            if layer.__dict__.get("_build_shapes") is not None
        }
        CONTEXT.in_build += 1
        # Marked built first, so the call below does not come back here to build.
        self.__dict__["built"] = True
        # With an unknown batch size the placeholder's is made up: shape errors raised in
        # call() show it as None (`_placeholder_batch.shown_shape`).
        unknown_batch = isinstance(shapes, tuple) and bool(shapes) and shapes[0] is None
        _placeholder_batch.enter(unknown_batch)
        try:
            for attempt, inner in enumerate(inner_sizes):
                try:
                    placeholder = _placeholder(shapes, self._tork_compute_dtype, inner)
                    self._tork_call_placeholder(placeholder)
                    _save_spec.record_built(self, placeholder, shapes)
                    break
                except Exception:
                    if attempt == len(inner_sizes) - 1:
                        raise
        except Exception as error:
            self.__dict__["built"] = False
            if hasattr(error, "add_note"):
                error.add_note(
                    f"({type(self).__name__}.build({input_shape}) runs call() once on zeros of "
                    "that shape; the error above happened there. Check the shape, or call the "
                    "model on real data instead of build().)"
                )
            raise
        finally:
            CONTEXT.in_build -= 1
            _placeholder_batch.leave(unknown_batch)
        self.__dict__["built"] = True
        if isinstance(shapes, tuple) and shapes and shapes[0] is None:
            _forget_placeholder_batch(self, known)

    def _tork_call_placeholder(self, placeholder) -> None:
        """Runs call() once on `placeholder` (zeros) to build the sublayers."""
        if self.__dict__.get("_tork_input_dtypes") == _dtypes.string and isinstance(
            placeholder, torch.Tensor
        ):
            # A model first called on strings (build_from_config of a loaded model) is
            # rebuilt on empty strings: numeric zeros would fail its StringLookup.
            placeholder = convert_to_tensor(np.full(tuple(placeholder.shape), "", dtype=object))
        try:
            with torch.no_grad():
                self(placeholder)
        except _gradients.InputsNotRecordedError:
            # tf.gradients w.r.t. the inputs in call(): TF builds in a graph holding them.
            from tork.keras.trainers.data_adapters import map_structure

            with _gradients.recording():
                self(map_structure(_gradients.recorded, placeholder))

    def _tork_maybe_build(self, inputs, args, kwargs) -> None:
        from tork.keras.models import _save_spec

        # The first call's specs (Keras 2's `_get_save_spec()`/`save_spec()`).
        _save_spec.record_first_call(self, inputs, args[1:], kwargs)
        # A model builds its sublayers by running call; only a user build() needs the shape.
        if type(self).build is not Model.build:
            super()._tork_maybe_build(inputs, args, kwargs)
        else:
            from tork.keras.layers.layer import _BUILDS, _shape_of

            if not _BUILDS:
                from tork.ops.scopes import get_current_name_scope

                # The user's scope this first call runs in (see Layer._tork_maybe_build).
                self.__dict__["_tork_call_scope"] = get_current_name_scope()
            self._build_shapes = _shape_of(inputs)
            if self._build_shapes is None and getattr(inputs, "dtype", None) == _dtypes.string:
                # A model called on strings (a StringLookup first) has a shape too.
                self._build_shapes = _to_keras_shape(tuple(inputs.shape))
            # Keras 2's save spec keeps the first call's dtypes too: the serving_default
            # of a model called on int32 ids takes int32 (see export._specs_from_model).
            self.__dict__["_tork_input_dtypes"] = _dtypes_of(inputs)
            self.__dict__["built"] = True

    def get_build_config(self) -> dict | None:
        config = super().get_build_config()
        dtypes = self.__dict__.get("_tork_input_dtypes")
        if config is not None and _has_non_float(dtypes):
            # Only where it matters (int ids, bools), so other configs stay Keras 3's.
            config["input_dtype"] = _dtype_names(dtypes)
        return config

    def build_from_config(self, config: dict) -> None:
        if config and config.get("input_dtype") is not None:
            # Set first: a model saved after a call on strings is built on strings.
            self.__dict__["_tork_input_dtypes"] = _dtype_nest(config["input_dtype"])
        super().build_from_config(config)

    def reset_states(self) -> None:
        """Resets the states of every stateful sublayer (e.g. `LSTM(stateful=True)`)."""
        for layer in self._flatten_layers(include_self=False):
            if getattr(layer, "stateful", False) and hasattr(layer, "reset_states"):
                layer.reset_states()

    # -- state tree (Keras 3) -----------------------------------------------------------
    @property
    def metrics_variables(self) -> list:
        """The variables of the model's metrics (`loss` tracker included), as in Keras 3."""
        return [v for m in self.metrics for v in m.variables]

    def _state_groups(self) -> dict:
        """`(path, variable)` pairs per state-tree group, paths as Keras 3 writes them."""
        optimizer = getattr(self, "optimizer", None)
        metric_pairs = []
        for metric in self.metrics:
            for v in metric.variables:
                # A metric's own variables carry bare paths here ("total"): Keras 3 nests
                # them under the metric's name ("loss/total").
                path = v.path if "/" in v.path else f"{metric.name}/{v.path}"
                metric_pairs.append((path, v))
        return {
            "trainable_variables": [(v.path, v) for v in self.trainable_variables],
            "non_trainable_variables": [(v.path, v) for v in self.non_trainable_variables],
            "optimizer_variables": [(v.path, v) for v in optimizer.variables]
            if optimizer is not None
            else [],
            "metrics_variables": metric_pairs,
        }

    def get_weight_paths(self) -> dict:
        """Returns a dict mapping each variable's attribute path to the variable (Keras 2).

        A subclassed model's paths follow its attributes (`"dense1.kernel"`,
        `"blocks.0.bias"`); a functional or Sequential model starts each path with the
        layer's name (`"dense.kernel"`). An unbuilt model gives `{}`.

        Returns:
            A dict from path strings to variables.

        Example:
        >>> model = keras.Sequential([keras.layers.Dense(2, name="d")])
        >>> model.build((None, 3))
        >>> sorted(model.get_weight_paths())
        ['d.bias', 'd.kernel']
        """
        from tork.keras.models._weight_paths import weight_paths

        return weight_paths(self)

    def get_state_tree(self, value_format: str = "backend_tensor") -> dict:
        """Returns the model's variables as nested dicts keyed by their paths (Keras 3).

        Args:
            value_format: `"backend_tensor"` (torch tensors) or `"numpy_array"`.

        Returns:
            A dict with `trainable_variables`, `non_trainable_variables`,
            `optimizer_variables` and `metrics_variables`, each a nested dict that
            follows the variables' paths split at `/` (`{"dense": {"kernel": ...}}`).

        Example:
        >>> model.get_state_tree()["trainable_variables"]["dense"]["kernel"].shape
        """
        if value_format not in ("backend_tensor", "numpy_array"):
            raise ValueError(
                "Invalid `value_format` argument. Expected one of "
                f"{{'numpy_array', 'backend_tensor'}}. Received: value_format={value_format}"
            )
        tree = {}
        for group, pairs in self._state_groups().items():
            nested, seen = {}, set()
            for path, v in pairs:
                if path in seen:
                    raise ValueError(
                        f"The following variable path is found twice in the model: '{path}'. "
                        "`get_state_tree()` can only be called when all variable paths are "
                        "unique. Make sure to give unique names to your layers (and other "
                        "objects)."
                    )
                seen.add(path)
                value = v.detach() if value_format == "backend_tensor" else v.numpy()
                *parents, leaf = path.split("/")
                node = nested
                for part in parents:
                    node = node.setdefault(part, {})
                node[leaf] = value
            tree[group] = nested
        return tree

    def set_state_tree(self, state_tree: dict) -> None:
        """Assigns values from a `get_state_tree()`-style dict to the model's variables.

        Args:
            state_tree: Dict of groups (`"trainable_variables"`, ...) whose nested dicts
                hold the new values at the variables' paths. Paths the model lacks are
                ignored, as in Keras 3.
        """
        groups = self._state_groups()
        for group, nested in state_tree.items():
            if group not in groups:
                raise ValueError(f"Unknown variable name: {group}")
            flat = {}

            def walk(node, prefix, flat=flat):
                for key, value in node.items():
                    if isinstance(value, dict):
                        walk(value, f"{prefix}{key}/")
                    else:
                        flat[f"{prefix}{key}"] = value

            walk(nested, "")
            for path, v in groups[group]:
                if path in flat:
                    v.assign(flat[path])

    # -- save spec (Keras 2) -------------------------------------------------------------
    def _set_save_spec(self, inputs, args=None, kwargs=None) -> None:
        """Records the `TensorSpec`s of the call arguments (Keras 2; HF transformers calls it).

        Args:
            inputs: a nest of tensors or `tf.TensorSpec`s passed as the first argument.
            args: the other positional arguments.
            kwargs: the keyword arguments; non-tensor ones are left out.
        """
        from tork.keras.models import _save_spec

        _save_spec.set_save_spec(self, inputs, args, kwargs)

    def save_spec(self, dynamic_batch: bool = True):
        """Returns the `tf.TensorSpec`s of the call arguments as `(args, kwargs)`.

        Args:
            dynamic_batch: whether the batch sizes become `None`.

        Returns:
            `(args, kwargs)` of `tf.TensorSpec`s once the first call (or `_set_save_spec`)
            recorded them, else `None`.
        """
        from tork.keras.models import _save_spec

        return _save_spec.get_save_spec(self, dynamic_batch, inputs_only=False)

    def _get_save_spec(self, dynamic_batch: bool = True, inputs_only: bool = True):
        from tork.keras.models import _save_spec

        return _save_spec.get_save_spec(self, dynamic_batch, inputs_only)

    # -- summary -----------------------------------------------------------------------
    def summary(
        self,
        line_length: int | None = None,
        positions=None,
        print_fn=None,
        expand_nested: bool = False,
        show_trainable: bool = False,
        layer_range=None,
    ) -> None:
        """Prints a table of the model's layers, output shapes and parameter counts.

        Args:
            line_length: total width of the table.
            positions: relative or absolute column positions.
            print_fn: function called with each line (default `print`).
            expand_nested: whether to list the layers of nested models.
            show_trainable: whether to add a column saying if each layer is trainable.
            layer_range: a list of two layer names (or name patterns): print only the rows
                from the first match to the last, as Keras 2.
        """
        from tork.keras.models.summary import print_summary

        print_summary(
            self,
            line_length=line_length,
            positions=positions,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
            layer_range=layer_range,
        )

    def get_config(self) -> dict:
        """Returns the config of a subclassed model: the arguments it was constructed with.

        As Keras 2: a subclass that does not override `get_config` gets the arguments its
        `__init__` was called with (the base `name`/`trainable`/`dtype` only where
        `__init__` accepts them), or `{}` (with a warning) when one is not a plain value; a
        subclass's own `get_config` calling `super().get_config()` starts from `{}`.
        """
        if type(self).get_config is not Model.get_config:
            return {}
        config = Layer.get_config(self)
        init = type(self).__init__
        if init is Model.__init__:
            return config
        from tork.keras.layers.layer import _init_arguments_config

        try:
            extra = _init_arguments_config(self)
        except NotImplementedError:
            warnings.warn(
                f"Model '{self.name}' ({type(self).__name__}) was constructed with arguments "
                "that are not plain values, so its get_config() is empty. Implement "
                "get_config() (and from_config()) to make the model serializable.",
                stacklevel=2,
            )
            return {}
        params = inspect.signature(init).parameters
        if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
            config = {k: v for k, v in config.items() if k in params}
        config.update(extra)
        return config

    get_config._is_default = True  # Keras 2's `generic_utils.default` marker

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """Creates a model from its config; a functional config gives a functional model."""
        if "layers" in config and "input_layers" in config:
            from tork.keras.models.functional.config import functional_from_config

            # A subclass built from inputs and outputs comes back as that subclass.
            return functional_from_config(
                config, custom_objects=custom_objects, cls=None if cls is Model else cls
            )
        return cls(**config)


__all__ = ["KerasShape", "Model"]


_FUNCTIONAL_SUBCLASSES: dict = {}


def _functional_subclass(cls: type) -> type:
    """`cls` with `Functional` right after it in the MRO (one class per subclass)."""
    from tork.keras.models.functional.functional import Functional

    if issubclass(cls, Functional):
        return cls
    made = _FUNCTIONAL_SUBCLASSES.get(cls)
    if made is None:
        made = _TwinType(
            cls.__name__,
            (cls, Functional),
            {
                "__module__": cls.__module__,
                "__qualname__": cls.__qualname__,
                # As the user's class resolves it (its own, else Model's, which takes both
                # functional configs and `cls(**config)`), not Functional's.
                "from_config": classmethod(
                    lambda twin, *args, **kwargs: twin._tork_twin_of.from_config(*args, **kwargs)
                ),
            },
        )
        made._tork_twin_of = cls
        _FUNCTIONAL_SUBCLASSES[cls] = made
    return made


class _TwinType(type):
    """The metaclass of `_functional_subclass` classes: calling one builds the user's class.

    An instance's class becomes the twin when its `__init__` reaches the functional
    `super().__init__(inputs, outputs)` (tf.keras 2 changes the class itself, so
    `type(model) is MyModel`). Code that instantiates `type(model)` again (`from_config`
    on the class, tf-models' `cls(**config)`, cloning) must run the user's `__init__` from
    the start as the user's class: on the twin, `self.inputs = [...]` before
    `super().__init__` would hit Functional's read-only `inputs`.
    """

    def __call__(cls, *args, **kwargs):
        return cls._tork_twin_of(*args, **kwargs)


def _dtypes_of(value):
    """The dtype nest of a tensor nest: None for non-tensors and floating tensors (a
    float64 array fed once must not fix the signature's floatx inputs)."""
    if isinstance(value, torch.Tensor):
        return None if value.dtype.is_floating_point else value.dtype
    if isinstance(value, (list, tuple)):
        return [_dtypes_of(v) for v in value]
    if isinstance(value, dict):
        return {k: _dtypes_of(v) for k, v in value.items()}
    dtype = getattr(value, "dtype", None) if hasattr(value, "shape") else None
    if dtype == _dtypes.string:
        # String ids (a retrieval index's query model): the signature takes strings.
        return dtype
    return dtype if isinstance(dtype, torch.dtype) and not dtype.is_floating_point else None


def _has_non_float(dtypes) -> bool:
    # `_dtypes_of` keeps only the non-floating dtypes (the rest are None).
    return any(d is not None for d in flatten(dtypes))


def _dtype_names(dtypes):
    return _map(lambda d: None if d is None else str(d).removeprefix("torch."), dtypes)


def _dtype_nest(names):
    from tork._backend import dtypes

    return _map(lambda n: None if n is None else dtypes.as_dtype(n), names)
