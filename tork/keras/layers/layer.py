"""`keras.layers.Layer`: the base class of every Keras layer and model in tork.

A Layer is a `torch.nn.Module` (through `tork.Module`): its variables are
`torch.nn.Parameter`s, its sublayers are child modules. On top of torch it adds
Keras's semantics: lazy `build` on the first call with the real input shape,
`add_weight`, the `training` flag flowing from an outer call to inner layers,
Keras masks, input specs, losses, configs and symbolic (functional) calls.
"""

from __future__ import annotations

import functools
import inspect
import warnings
import weakref

import numpy as np
import torch
from torch._subclasses.fake_tensor import unset_fake_temporarily
from torch.nn.modules import module as _torch_module

from tork import _tracking, nest
from tork._backend import dtypes as _dtypes
from tork._backend.augmented import USER_CALL, register_keras_layer
from tork._backend.device import current_device
from tork._backend.dtype_name import dtype_name_of as _dtype_name_of
from tork._backend.tensor import _is_compiling, convert_to_tensor, to_numpy
from tork._backend.tensor_shape import Dimension, dimension_value
from tork._inplace import writable_copies, writes_in_place
from tork._naming import in_scratch, to_snake_case, unique_name
from tork.keras._shape import KerasShape
from tork.keras.layers import _own_weights, _string_weights, _training_flag
from tork.keras.layers import input_spec as _input_spec
from tork.keras.layers._autocast_view import autocast_weights
from tork.keras.layers._build_args import (
    extra_build_shapes,
    first_build_parameter,
    split_shapes_dict,
)
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers._input_errors import check_training_str, unusable_input_error
from tork.keras.layers._keras2_private import Keras2PrivateLayer
from tork.keras.layers._node_api import NodeAPI
from tork.module import Module
from tork.variables import Variable, VariableSynchronization, _keep_saved_values_of

_MISSING = object()

# Layers whose add_loss() ran during the current outermost call, cleared at the next one.
_LAYERS_WITH_CALL_LOSSES: list = []
# Layers holding weight regularizers: training only collects `losses` when any exist.
_LAYERS_WITH_REGULARIZERS: weakref.WeakSet = weakref.WeakSet()
# The builds running, innermost last: (layer, len(CONTEXT.stack) when it started, the name
# scope it runs in, whether that scope ends with the layer's own name). Keras 2 names a
# weight by the name scope current at its creation: the scopes of the layers whose
# __call__ is running, then the user's. A layer enters its own scope only when a call
# builds it; a direct `build()` runs in the caller's scope.
_BUILDS: list = []


def _shape_of(value):
    """The Keras shape nest of a tensor nest (tensors -> KerasShape)."""
    if isinstance(value, torch.Tensor) or hasattr(value, "_keras_history"):
        return KerasShape(value.shape)
    from tork._backend.ragged_tensor import RaggedTensor

    if isinstance(value, RaggedTensor):
        return KerasShape(tuple(value.shape))  # None for the ragged dimensions
    from tork._backend.sparse_tensor import SparseTensor

    if isinstance(value, SparseTensor):
        return KerasShape(tuple(value.shape))
    if isinstance(value, (list, tuple)):
        return (
            type(value)(_shape_of(v) for v in value)
            if type(value) in (list, tuple)
            else [_shape_of(v) for v in value]
        )
    if isinstance(value, dict):
        return {k: _shape_of(v) for k, v in value.items()}
    return None


def _to_keras_shape(shape):
    """Normalizes a user-given shape nest (tuples, lists, TensorShape) to KerasShape nests."""
    if shape is None:
        return None
    if isinstance(shape, dict):
        return {k: _to_keras_shape(v) for k, v in shape.items()}
    if (
        isinstance(shape, (list, tuple))
        and shape
        and all(
            s is None or isinstance(s, (list, tuple, dict)) or hasattr(s, "as_list") for s in shape
        )
        # A list of shapes may hold None for its non-tensor items (`layer([x, None, y])`);
        # all-None is a shape of unknown sizes.
        and any(s is not None for s in shape)
    ):
        return [_to_keras_shape(s) for s in shape]
    if hasattr(shape, "as_list"):
        shape = shape.as_list()
    if isinstance(shape, Dimension):
        # Keras 2 refuses a bare Dimension as a shape (`build(Dimension(50))`).
        raise ValueError(
            f"Specified input shape is not one of the valid types: {shape!r}. Please specify "
            "a batch input shape of type tuple or list of input shapes, e.g. (None, 50)."
        )
    if isinstance(shape, int):
        shape = (shape,)
    # Items may be TF1 `Dimension`s (`(Dimension(None), Dimension(50))`): unknown -> None.
    return KerasShape(None if dimension_value(d) is None else int(d) for d in shape)


class _CallSpec:
    """Facts about a `call` signature, computed once per class (no inspect per call)."""

    __slots__ = (
        "has_training",
        "has_mask",
        "training_index",
        "mask_index",
        "first_arg",
        "has_var_kwargs",
        "required_extra",
        "required_positional",
        "params",
        "training_default",
    )

    def __init__(self, call):
        sig = inspect.signature(call)
        params = list(sig.parameters.values())
        if params and params[0].name == "self":
            params = params[1:]
        self.params = [p.name for p in params]
        names = self.params
        self.has_var_kwargs = any(p.kind is p.VAR_KEYWORD for p in params)
        self.has_training = "training" in names
        self.has_mask = "mask" in names
        positional = [
            p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        self.training_index = positional.index("training") if "training" in positional else -1
        self.mask_index = positional.index("mask") if "mask" in positional else -1
        self.first_arg = positional[0] if positional else None
        self.training_default = None
        if self.has_training:
            default = sig.parameters["training"].default
            self.training_default = None if default is inspect.Parameter.empty else default
        self.required_extra = [
            p.name
            for p in params[1:]
            if p.default is inspect.Parameter.empty
            and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
            and p.name not in ("training", "mask")
        ]
        # Those the caller must pass by position (Keras 2's fit check: `call(self, x, x2)`).
        self.required_positional = [
            p.name
            for p in params[1:]
            if p.name in self.required_extra and p.kind is not p.KEYWORD_ONLY
        ]


def _contains_symbolic(value) -> bool:
    if hasattr(value, "_keras_history") and not isinstance(value, torch.Tensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(_contains_symbolic(v) for v in value)
    if isinstance(value, dict):
        return any(_contains_symbolic(v) for v in value.values())
    return False


def _missing_super_init(layer) -> str:
    kind = "Model" if any(c.__name__ == "Model" for c in type(layer).__mro__) else "Layer"
    return (
        f"It looks like you are subclassing `{kind}` and you forgot to call "
        f"`super().__init__()`: {type(layer).__name__}.__init__ must start with "
        "`super().__init__(**kwargs)` before it creates layers or weights or the object is used."
    )


# torch's global module hooks (`register_module_forward_hook`...), checked on each call;
# the dicts are torch's own (mutated in place), read without a function call.
_GLOBAL_HOOKS = (
    _torch_module._global_forward_hooks,
    _torch_module._global_forward_pre_hooks,
    _torch_module._global_backward_hooks,
    _torch_module._global_backward_pre_hooks,
)


def _set_own_trainable(layer, value: bool) -> None:
    """`layer`'s own trainable flag and weights (not its sublayers'): see `trainable`.

    Variables created non-trainable (BatchNormalization's moving statistics) stay so.
    """
    layer.__dict__["_trainable"] = value
    for v in layer._tork_direct()[0]:
        if isinstance(v, Variable):
            if getattr(v, "_tork_created_trainable", True):
                v.trainable = value
        elif v.is_floating_point():
            v.requires_grad_(value)


def _copy_checked(variables, arrays, what: str, source: str) -> None:
    """Copies `arrays` into `variables` once every shape matches (else nothing is written).

    `what` starts the error ("<layer>.set_weights: weight"), `source` names the arrays.
    """
    arrays = [np.asarray(a) for a in arrays]
    for variable, array in zip(variables, arrays):
        if getattr(variable, "_tork_any_length", False):
            # Its length follows data (the vocabulary and idf weights of a lookup layer to
            # adapt: shape (None,) in tf_keras): any length of the same rank.
            if array.ndim != len(variable.shape):
                raise ValueError(
                    f"{what} '{_short(variable)}' has rank {len(variable.shape)} (any length), "
                    f"but {source} has shape {tuple(array.shape)}."
                )
            continue
        if tuple(array.shape) != tuple(variable.shape):
            raise ValueError(
                f"{what} '{_short(variable)}' has shape {tuple(variable.shape)}, but "
                f"{source} has shape {tuple(array.shape)}."
            )
    # Graphs of persistent tapes that read these variables keep the values they read.
    _keep_saved_values_of(variables)
    with torch.no_grad():
        for variable, array in zip(variables, arrays):
            if _string_weights.is_string_weight(variable) or not isinstance(variable, torch.Tensor):
                # String weights and a lookup layer's vocabulary entry.
                variable.assign(array)
                continue
            if getattr(variable, "_tork_any_length", False):
                variable.data = torch.as_tensor(array, dtype=variable.dtype, device=variable.device)
                continue
            variable.copy_(torch.as_tensor(array, dtype=variable.dtype))


class _LossList(list):
    """`layer.losses`: a list that adds to tensors as TensorFlow adds a list.

    TF converts `loss + model.losses` to `loss + tf.stack(model.losses)` (shape
    `(n,)`); d2l's WeightDecay writes `super().loss(y_hat, y) + self.net.losses`.
    """

    def _as_tensor(self, like: torch.Tensor) -> torch.Tensor:
        if not self:
            return like.new_zeros((0,))
        return torch.stack([torch.as_tensor(v, dtype=like.dtype, device=like.device) for v in self])

    def __add__(self, other):
        if isinstance(other, torch.Tensor):
            return self._as_tensor(other) + other
        return list.__add__(self, other)

    def __radd__(self, other):
        if isinstance(other, torch.Tensor):
            return other + self._as_tensor(other)
        return NotImplemented


class _LayerNameScope:
    """`layer.name_scope`: TF's Module context manager, also callable as Keras 2's method.

    tf.Module code writes `with layer.name_scope:`; Keras 2 layers made `name_scope` a
    method returning the scope's name (`tf.name_scope(self.name_scope())`, giving
    `"outer/dense/"` inside `tf.name_scope("outer")`). Both spellings work.
    """

    def __init__(self, scope, name: str):
        self._scope = scope
        self._name = name

    def __enter__(self):
        return self._scope.__enter__()

    def __exit__(self, *exc_info):
        return self._scope.__exit__(*exc_info)

    def __call__(self) -> str:
        from tork.ops.scopes import get_current_name_scope

        current = get_current_name_scope()
        return f"{current}/{self._name}/" if current else f"{self._name}/"


def _is_boolean(value) -> bool:
    """True for Python/numpy booleans and boolean tensors (Keras 2 accepts tf.constant(True))."""
    if isinstance(value, (bool, np.bool_)):
        return True
    return isinstance(value, torch.Tensor) and value.dtype == torch.bool and value.numel() == 1


class Layer(Module, NodeAPI, Keras2PrivateLayer):
    """Base class for Keras layers: state (weights) and computation (`call`).

    Subclass it, create sublayers in `__init__`, create weights in `build`
    (which runs on the first call with the real input shape) and write the
    computation in `call`. Layers are `torch.nn.Module`s.

    Args:
        trainable: whether the layer's weights are updated by training.
        name: the layer's name; unique snake_case of the class name by default.
        dtype: the dtype of the weights (and computations), default float32.
        input_shape: the input shape without the batch size, for the first
            layer of a `Sequential` model.
        input_dim: shorthand for `input_shape=(input_dim,)`.

    Example:
    >>> class Scale(keras.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, inputs):
    ...         return inputs * self.w
    >>> Scale()(tf.ones((2, 3))).shape
    torch.Size([2, 3])
    """

    _tork_call_specs: dict = {}
    # A user's `self.training` is theirs (tf.keras has no such attribute); torch's own
    # train/eval flag is kept apart by train() (_training_flag.py).
    training = _training_flag.training
    train = _training_flag.train

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_tork_marks_built", False):
            cls.build = _marking_built(build)

    def __new__(cls, *args, **kwargs):
        self = super().__new__(cls)
        # Remember constructor arguments: the default get_config() of a subclass uses them.
        object.__setattr__(self, "_tork_init_args", (args, kwargs))
        return self

    def __init__(
        self,
        trainable: bool = True,
        name: str | None = None,
        dtype=None,
        dynamic: bool = False,
        **kwargs,
    ):
        input_shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        input_length = kwargs.pop("input_length", None)
        activity_regularizer = kwargs.pop("activity_regularizer", None)
        # Keras 2: autocast=False leaves floating inputs in their own dtype (no cast to the
        # compute dtype); weights are still read in the compute dtype.
        autocast = kwargs.pop("autocast", True)
        initial_weights = kwargs.pop("weights", None)
        kwargs.pop("input_dtype", None)
        if kwargs:
            raise TypeError(
                f"Keyword argument not understood by {type(self).__name__}: "
                f"{', '.join(repr(k) for k in kwargs)}."
            )
        if "_tork_layer_ready" in self.__dict__:
            # A second __init__ (diamond inheritance): keep the first identity.
            return
        if name is None:
            name = unique_name(to_snake_case(type(self).__name__))
        elif not isinstance(name, str):
            raise TypeError(f"Expected `name` argument to be a string, but got: {name}")
        for arg, value in (("trainable", trainable), ("dynamic", dynamic)):
            if not _is_boolean(value):
                raise TypeError(
                    f"Expected `{arg}` argument to be a boolean, but got: {value!r} (in "
                    f"{type(self).__name__} '{name}'). Pass True or False."
                )
        # name="" stays "" (Keras 2 makes a name only for None).
        Module.__init__(self, name=name)
        _alias_registries(self)
        self._tork_layer_ready = True
        self._trainable = bool(trainable)
        self._autocast = bool(autocast)
        self._set_dtype(dtype)
        self.built = False
        self._build_shapes = None
        self.input_spec = None
        # Keras 2: a layer that overrides compute_mask supports masking unless it says not.
        # Stored under the property's key, so a subclass's class attribute
        # `supports_masking = True` still reads as declared (it does not turn masking on,
        # as in tf_keras, which also reads its private flag).
        self.__dict__["_tork_supports_masking"] = type(self).compute_mask is not Layer.compute_mask
        self._dynamic = dynamic
        self._tork_call_losses: list = []
        self._tork_added_losses: list = []
        self._tork_regularizers: list = []
        self._tork_out_shape = None
        self._tork_inbound_nodes: list = []
        self._tork_auto_named: set = set()
        self._tork_initial_weights = initial_weights
        if activity_regularizer is not None and not callable(activity_regularizer):
            # Names and configs ('l2', {'class_name': 'L1', ...}), as Keras resolves them.
            from tork.keras import regularizers

            activity_regularizer = regularizers.get(activity_regularizer)
        self.activity_regularizer = activity_regularizer
        if batch_input_shape is not None:
            self._batch_input_shape = tuple(batch_input_shape)
        elif input_shape is not None or input_dim is not None:
            shape = input_shape if input_shape is not None else (input_dim,)
            if isinstance(shape, int):
                shape = (shape,)
            if input_length is not None and input_shape is None:
                shape = (input_length,) + tuple(shape)
            self._batch_input_shape = (batch_size,) + tuple(shape)
        elif input_length is not None:
            self._batch_input_shape = (batch_size, input_length)
        else:
            self._batch_input_shape = None
        pending = self.__dict__.pop("_tork_early_attrs", None)
        if pending:
            # Sublayers and weights assigned before super().__init__() (Keras accepts it):
            # assign them again now that the layer can track them.
            order = dict(self.__dict__.get("_tork_attr_seq", {}))
            for attr in pending:
                if attr in self.__dict__:
                    setattr(self, attr, self.__dict__.pop(attr))
            # They keep the place where they were assigned among the other attributes.
            seqs = self.__dict__.get("_tork_attr_seq")
            if seqs:
                seqs.update((attr, order[attr]) for attr in pending if attr in order)
                restored = sorted(seqs.items(), key=lambda item: item[1])
                seqs.clear()
                seqs.update(restored)  # in order: the last entry holds the largest number
            _order_modules(self)

    # -- dtype --------------------------------------------------------------------
    def _set_dtype(self, dtype) -> None:
        # Imported here: the policy module sits beside keras.layers, and this runs once per layer.
        from tork.keras.mixed_precision.policy import _layer_policy

        # dtype=None takes the global policy as it is now (Keras): set_global_policy affects
        # only layers created after it.
        policy = _layer_policy(dtype)
        self._dtype_policy = policy
        self._variable_dtype = policy._variable
        self._tork_compute_dtype = policy._compute
        self._dtype_policy_name = policy.name

    # The names below equal both the string and the dtype (`layer.dtype == tf.float32`), as
    # TF's dtypes equal their names.
    @property
    def dtype(self) -> str:
        """The dtype of the layer's weights, e.g. `'float32'`."""
        return _dtype_name_of(self._variable_dtype)

    @property
    def compute_dtype(self) -> str:
        """The dtype of the layer's computations."""
        return _dtype_name_of(self._tork_compute_dtype)

    @property
    def variable_dtype(self) -> str:
        """The dtype of the layer's weights."""
        return _dtype_name_of(self._variable_dtype)

    @property
    def _compute_dtype(self) -> str:
        """The compute dtype's name, as Keras 2's private `_compute_dtype` (read-only).

        User layers write `tf.cast(x, self._compute_dtype)` and
        `if self._compute_dtype == 'float16'`: a name, as in Keras 2 (which also
        equals the torch dtype). tork's own code reads the torch dtype,
        `_tork_compute_dtype`.
        """
        return _dtype_name_of(self._tork_compute_dtype)

    @property
    def dtype_policy(self) -> str:
        """The layer's `DTypePolicy` (a `str` subclass), e.g. `<DTypePolicy "mixed_float16">`.

        A policy is also its name: `layer.dtype_policy == "mixed_float16"`.
        """
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value) -> None:
        # Keras 3 allows it; weights already created keep their dtype.
        self._set_dtype(value)

    def _apply(self, fn, recurse=True):
        # torch's `double()`, `half()`, `to(dtype)`, `type(dtype)`... end here: the dtype
        # policy (and a model's graph and optimizer) follow the weights' new dtype.
        from tork.keras.layers import _torch_dtype

        return _torch_dtype.apply(self, super()._apply, fn, recurse)

    @property
    def name_scope(self) -> _LayerNameScope:
        """A `tf.name_scope` for the layer (`with layer.name_scope:`), also callable as in
        Keras 2: `layer.name_scope()` is the scope's name, e.g. `"outer/dense/"`."""
        return _LayerNameScope(Module.name_scope.fget(self), self.name)

    def _name_scope(self) -> str:
        """Keras 2's name of the layer's scope under the active one (`"outer/dense/"`)."""
        return self.name_scope()

    # -- trainable ----------------------------------------------------------------
    @property
    def trainable(self) -> bool:
        """Whether training updates this layer's weights; setting it applies to sublayers."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        value = bool(value)
        self.__dict__["_trainable"] = value
        for layer in self._flatten_layers(include_self=True):
            _set_own_trainable(layer, value)

    @property
    def dynamic(self) -> bool:
        """Kept for compatibility: tork always runs eagerly."""
        return self._dynamic

    # -- sublayers -------------------------------------------------------------------
    def _flatten_layers(self, include_self: bool = True, recursive: bool = True) -> list:
        """This layer and its sublayers (depth first, each once)."""
        result = [self] if include_self else []
        seen = {id(self)}

        def visit(layer):
            children = layer._tork_direct()[1] if isinstance(layer, Module) else []
            for child in children:
                if id(child) in seen or not isinstance(child, Layer):
                    continue
                seen.add(id(child))
                result.append(child)
                if recursive:
                    visit(child)

        visit(self)
        return result

    @property
    def _activity_regularizer(self):
        """Keras 2/3's private name of `activity_regularizer` (tf-models' layers read it)."""
        return self.activity_regularizer

    @_activity_regularizer.setter
    def _activity_regularizer(self, value) -> None:
        self.activity_regularizer = value

    @property
    def _layers(self) -> list:
        """The direct sublayers, in the order they were assigned."""
        return [c for c in self._tork_direct()[1] if isinstance(c, Layer)]

    @_layers.setter
    def _layers(self, value) -> None:
        # tf_keras has no `_layers` property: a custom layer's `self._layers = [Conv2D(...),
        # ...]` (keras_mixnets' GroupConvolution) is an ordinary tracked list there. Stored
        # under another name, its layers become direct sublayers, which the getter lists.
        self._tork_assigned_layers = value

    # -- weights --------------------------------------------------------------------
    def add_weight(self, *args, **kwargs) -> Variable:
        """Creates a weight of this layer and tracks it.

        Takes Keras 3's argument order, `add_weight(shape, initializer, dtype, trainable,
        autocast, regularizer, constraint, aggregation, overwrite_with_gradient, name)`,
        and Keras 2's, `add_weight(name, shape, dtype, initializer, regularizer, trainable,
        constraint, ...)` (chosen when the first positional argument is a string), and any
        of these arguments as keywords.

        Args:
            shape: the weight's shape (tuple), default scalar.
            initializer: initializer instance, name or callable; default
                `'glorot_uniform'` for floats and `'zeros'` otherwise.
            dtype: the weight's dtype, default the layer's dtype.
            trainable: whether training updates it (None: True, as in Keras 2).
            regularizer: optional regularizer whose penalty joins `losses`.
            constraint: optional function applied after each optimizer update.
            name: the weight's name, e.g. `'kernel'`.

        Returns:
            The new `Variable`.

        Example:
        >>> class Scale(keras.layers.Layer):
        ...     def build(self, input_shape):
        ...         self.w = self.add_weight("w", (input_shape[-1],), initializer="ones")
        ...         self.n = self.add_weight(shape=(), initializer="zeros", trainable=False)
        """
        order = _ADD_WEIGHT_K2 if args and isinstance(args[0], str) else _ADD_WEIGHT_K3
        if len(args) > len(order):
            raise TypeError(
                f"add_weight takes at most {len(order)} positional arguments "
                f"({', '.join(order)}), got {len(args)}."
            )
        for key, value in zip(order, args):
            if key in kwargs:
                raise TypeError(f"add_weight got multiple values for argument '{key}'.")
            kwargs[key] = value
        shape = kwargs.pop("shape", None)
        initializer = kwargs.pop("initializer", None)
        dtype = kwargs.pop("dtype", None)
        trainable = kwargs.pop("trainable", None)
        synchronization = kwargs.pop("synchronization", None)
        if synchronization in (VariableSynchronization.ON_READ, "on_read"):
            # Keras 2: an ON_READ weight (a running count) is never trained.
            if trainable:
                raise ValueError(
                    f"{where(self)}: synchronization value can be set to "
                    "VariableSynchronization.ON_READ only for non-trainable variables. You have "
                    f"specified trainable=True and synchronization={synchronization} for weight "
                    f"'{kwargs.get('name')}'. Pass trainable=False (or leave it out)."
                )
            trainable = False
        trainable = True if trainable is None else trainable
        aggregation = kwargs.pop("aggregation", None)
        regularizer = kwargs.pop("regularizer", None)
        constraint = kwargs.pop("constraint", None)
        name = kwargs.pop("name", None)
        # autocast=False (Keras 2: experimental_autocast=False): a user layer's call reads
        # the weight in its own dtype under a mixed policy (BatchNormalization's statistics).
        autocast = kwargs.pop("autocast", True)
        autocast = kwargs.pop("experimental_autocast", True) and autocast
        # Accepted for compatibility; they change nothing on torch.
        for ignored in (
            "use_resource",
            "overwrite_with_gradient",
            "caching_device",
            "getter",
            "collections",
            "partitioner",
        ):
            kwargs.pop(ignored, None)
        if kwargs:
            raise TypeError(f"add_weight got unexpected arguments: {sorted(kwargs)}.")
        from tork.keras import constraints as _constraints
        from tork.keras import initializers as _initializers
        from tork.keras import regularizers as _regularizers

        if shape is None:
            shape = ()
        if hasattr(shape, "as_list"):
            shape = shape.as_list()
        if isinstance(shape, int):
            shape = (shape,)
        shape = tuple(shape)
        if any(d is None for d in shape):
            raise ValueError(
                f"{where(self)}: cannot create weight '{name}' with unknown dimensions {shape}. "
                "Weights need a fully known shape: create them in build(input_shape) from the "
                "known (non-batch) sizes."
            )
        dtype = _dtypes.as_dtype(dtype) if dtype is not None else self._variable_dtype
        if dtype == _dtypes.string:
            # torch Parameters hold numbers only: strings (TF Recommenders' BruteForce keeps
            # its candidate ids so) live on the host, listed with the non-trainable weights.
            return _string_weights.add(self, name, shape, initializer, where(self))
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating_point else "zeros"
        init = _initializers.get(initializer)
        auto_named = name is None
        key = self._unique_weight_key(name or "variable")
        # A name taken by a layer attribute (`weights`, `trainable`, `name`, ...) gets another
        # torch registry key, but the variable keeps its name; a repeated weight name is
        # shown with its key's suffix.
        shown = key
        scope = _weight_scope(self)
        if name and key != name and not _path_taken(self, scope + name):
            # Only a name repeated in the same scope gets the suffix (so h5 files keep one
            # dataset per weight); HF BERT's `token_type_embeddings/embeddings` and
            # `position_embeddings/embeddings` keep their names, which checkpoints load by.
            shown = name
        # Real values also when call() creates its weights while a functional-API call runs
        # on fake tensors (Keras 2's "create weights in call()" layers): a fake value cannot
        # become a Variable.
        with unset_fake_temporarily():
            with torch.no_grad():
                value = init(shape, dtype=dtype)
            value = convert_to_tensor(value, dtype=dtype).to(current_device())
            if tuple(value.shape) != shape:
                value = value.expand(shape).clone()
            var = Variable(
                value,
                trainable=trainable and self._trainable,
                name=shown,
                dtype=dtype,
                constraint=_constraints.get(constraint) if constraint is not None else None,
                aggregation=aggregation,
                synchronization=synchronization,
            )
        var._tork_created_trainable = bool(trainable)
        if not autocast:
            var._tork_no_autocast = True
        # The registry key stays unique (torch needs it); Keras 2 calls an unnamed weight
        # `Variable` (the key, `variable`/`w`, only keys the torch registry).
        var._path = scope + (shown if name else "Variable")
        self.register_parameter(key, var)
        if auto_named:
            self._tork_auto_named.add(key)
        if regularizer is not None:
            self._tork_regularizers.append((var, _regularizers.get(regularizer)))
            _LAYERS_WITH_REGULARIZERS.add(self)
        return var

    def add_variable(self, *args, **kwargs) -> Variable:
        """Alias of `add_weight` (Keras 3 spelling)."""
        return self.add_weight(*args, **kwargs)

    def _unique_weight_key(self, base: str) -> str:
        """A free torch registry key: not a weight, sublayer, attribute or class member."""
        key, i = base, 1
        cls = type(self)
        while (
            key in self._parameters
            or key in self._modules
            or key in self.__dict__
            or key in self._buffers
            # A class member torch's register_parameter refuses (a property that raises
            # AttributeError on this instance does not count, as for torch).
            or (hasattr(cls, key) and hasattr(self, key))
        ):
            key = f"{base}_{i}"
            i += 1
        return key

    def __setattr__(self, name: str, value) -> None:
        if "_tork_layer_ready" not in self.__dict__ and isinstance(
            value, (torch.nn.Module, torch.Tensor)
        ):
            # Before super().__init__(): keep the value as a plain attribute and remember its
            # name; Layer.__init__ tracks it. Using the layer without super().__init__() at all
            # still fails with _missing_super_init's message (in __getattr__).
            object.__setattr__(self, name, value)
            self.__dict__.setdefault("_tork_early_attrs", {})[name] = None
            _note_assignment(self, name, value)
            return
        if name in _GUARDED:
            if name in _OWN_LISTS:
                # Keras 2's own-weight lists: `self._trainable_weights = [self.W]`.
                _own_weights.assign(self, name == "_trainable_weights", value)
                return
            raise AttributeError(
                f"Cannot set attribute '{name}' of {type(self).__name__} '{self.__dict__.get('_name')}'"
                f": it is a read-only Keras property computed from the tracked layers and "
                f"variables. Store your value under another name, e.g. self.my_{name}."
            )
        params = self.__dict__.get("_parameters")
        if (
            params is not None
            and isinstance(value, torch.nn.Parameter)
            and name not in params
            and not name.startswith("_")
        ):
            for key, existing in list(params.items()):
                if existing is value and key in self.__dict__.get("_tork_auto_named", ()):
                    # An unnamed add_weight result assigned to `self.w`: key it as `w` for torch.
                    items = [(name if k == key else k, v) for k, v in params.items()]
                    params.clear()
                    params.update(items)
                    self._tork_auto_named.discard(key)
                    return
        modules = self.__dict__.get("_modules")
        if modules is not None:
            previous = modules.get(name)
            if (
                previous is not None
                and previous is not value
                and isinstance(value, torch.nn.Module)
            ):
                # Keras 2 untracks the layer an attribute held and tracks the new one last:
                # a norm layer created in build() over an __init__ placeholder (keras-tcn)
                # lists its weights after the other sublayers'.
                del modules[name]
        _note_assignment(self, name, value)
        try:
            super().__setattr__(name, value)
        except AttributeError as error:
            # torch's "property 'name' of 'M' object has no setter": Keras 2's words.
            prop = getattr(type(self), name, None)
            if isinstance(prop, property) and prop.fset is None:
                raise AttributeError(
                    f'Can\'t set the attribute "{name}", likely because it conflicts with an '
                    "existing read-only @property of the object. Please choose a different name."
                ) from error
            raise

    def _own_split(self) -> tuple[list, list]:
        """This layer's own weights as (trainable, non-trainable), each in creation order.

        A frozen layer (`trainable=False`) marks its variables non-trainable; Keras 2 still
        lists the ones created trainable first, so they are split by how they were created.
        """
        own = _string_weights.merged(self, self._tork_direct()[0])
        if _own_weights._ATTR in self.__dict__:
            # User code touched `_trainable_weights`/`_non_trainable_weights`: they decide.
            created = _trainable if self._trainable else _created_trainable
            return _own_weights.split(self, own, created)
        if self._trainable:
            trainable = [v for v in own if _trainable(v)]
        else:
            trainable = [v for v in own if _created_trainable(v)]
        ids = {id(v) for v in trainable}
        return trainable, [v for v in own if id(v) not in ids]

    def _own_weights(self) -> list:
        trainable, frozen = self._own_split()
        return trainable + frozen

    def _tork_sync_attribute(self, name: str) -> None:
        new = name not in self._modules
        super()._tork_sync_attribute(name)
        if new and name in self._modules:
            # `self.blocks = []` in __init__, filled in build(): Keras 2 tracked the list
            # when it was assigned, so its layers come before those assigned after it.
            _order_modules(self)

    @property
    def _trainable_weights(self) -> list:
        """Keras 2's list of this layer's own trainable weights (not its sublayers').

        User code may append to it or assign it (`self._trainable_weights.append(v)`,
        `self._trainable_weights = [self.W]`): the variables then are the layer's own
        trainable weights, tracked and trained. See `_own_weights`.
        """
        return _own_weights.view(self, True)

    @property
    def _non_trainable_weights(self) -> list:
        """Keras 2's list of this layer's own non-trainable weights; mutable as
        `_trainable_weights`."""
        return _own_weights.view(self, False)

    @property
    def weights(self) -> list:
        """All weights, in Keras 2's order (the order of `get_weights`/`set_weights`).

        A layer lists its trainable weights (its own, then its sublayers') before its
        non-trainable ones (own, then sublayers'). A model lists each sublayer's weights in
        turn, then its own; the layers it keeps in a list, tuple or dict count as one
        sublayer: all their trainable weights, then all their non-trainable ones.
        """
        if _weights_per_layer(type(self)):
            result = []
            for group in _child_groups(self, metrics=True):
                if len(group) == 1 and not group.in_container:
                    result.extend(_weights_of(group[0]))
                    continue
                # Keras 2 tracks a list (or dict) of layers as one object whose weights are
                # all its layers' trainable weights, then all their non-trainable ones.
                result.extend(_group_weights(group, trainable=True))
                result.extend(_group_weights(group, trainable=False))
            result.extend(self._own_weights())
            return _dedup(result)
        # Keras 2 joins the two (each deduplicated) as they are: a variable a user put in
        # both `_trainable_weights` and `_non_trainable_weights` is listed twice.
        return self.trainable_weights + self.non_trainable_weights

    @property
    def trainable_weights(self) -> list:
        """The weights updated by training (empty while the layer is frozen)."""
        if not self._trainable:
            return []
        own = self._own_split()[0]
        children = []
        if _weights_per_layer(type(self)):
            # A model lists variables held in a list/dict attribute where it was assigned.
            for group in _child_groups(self, metrics=True):
                children.extend(_group_weights(group, trainable=True))
            return _dedup(children + own)
        for child in self._tork_direct()[1]:
            if isinstance(child, Layer):
                children.extend(child.trainable_weights)
            else:
                children.extend(p for p in child.parameters() if p.requires_grad)
        if _weights_per_layer(type(self)):
            return _dedup(children + own)
        return _dedup(own + children)

    @property
    def non_trainable_weights(self) -> list:
        """The weights training leaves alone (e.g. BatchNorm moving statistics).

        For a frozen layer, all its weights.
        """
        own_trainable, own_frozen = self._own_split()
        children_trainable, children_frozen = [], []
        per_layer = _weights_per_layer(type(self))
        if per_layer:
            # Keras 2 models track a Metric attribute (`self.loss_tracker = Mean()`) among
            # their layers, in assignment order: its state counts as non-trainable.
            children = [c for group in _child_groups(self, metrics=True) for c in group]
        else:
            # A plain layer's metric attributes hold no weights of the layer (Keras 2).
            children = self._tork_direct()[1]
        for child in children:
            if isinstance(child, torch.Tensor):
                # A variable a model keeps in a list/dict attribute (see `_child_groups`).
                (children_trainable if _trainable(child) else children_frozen).append(child)
            elif _is_metric(child):
                children_frozen.extend(child.variables)
            elif isinstance(child, Layer):
                children_frozen.extend(child.non_trainable_weights)
                if not self._trainable:
                    children_trainable.extend(child.trainable_weights)
            else:
                for p in child.parameters():
                    (children_trainable if p.requires_grad else children_frozen).append(p)
        if self._trainable:
            children_trainable = []
            own_trainable = []
        if per_layer:
            return _dedup(children_trainable + own_trainable + children_frozen + own_frozen)
        return _dedup(own_trainable + own_frozen + children_trainable + children_frozen)

    @property
    def variables(self) -> list:
        """The variables of `weights` (without a lookup layer's listed vocabulary)."""
        # tf_keras lists them in `variables` too, but they are no variables: tork's savers
        # and `tf.Module.variables` read this list.
        return [w for w in self.weights if getattr(w, "_tork_lookup_state", False) is not True]

    @property
    def trainable_variables(self) -> list:
        """Same as `trainable_weights`."""
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list:
        """The variables of `non_trainable_weights` (without a lookup layer's listed
        vocabulary and document count, as `variables`)."""
        return [
            w
            for w in self.non_trainable_weights
            if getattr(w, "_tork_lookup_state", False) is not True
        ]

    def get_weights(self) -> list:
        """Returns copies of the weights as NumPy arrays, in `weights` order."""
        return [to_numpy(w, copy=True) for w in self.weights]

    def set_weights(self, weights) -> None:
        """Sets the weights from NumPy arrays, in `weights` order.

        Args:
            weights: a list of arrays with the shapes of `layer.weights`.
        """
        params = self.weights
        weights = list(weights)
        if len(weights) != len(params):
            # A lookup layer lists its vocabulary only when created without one (tf_keras),
            # but tork's configs keep an adapted vocabulary: a clone or a loaded copy lists
            # none. Lists with or without those entries both fit.
            from tork.keras.layers.preprocessing import _lookup_state

            params = _lookup_state.matching_weights(self, params, len(weights))
        if len(weights) != len(params):
            unbuilt = (
                ""
                if params or self.built
                else " The layer has not created its weights yet: build it first, e.g. "
                "layer.build(input_shape), or call it on a batch of data."
            )
            raise ValueError(
                f"{type(self).__name__} layer '{self.name}'.set_weights: expected "
                f"{len(params)} arrays (for {[_short(p) for p in params]}), got "
                f"{len(weights)}.{unbuilt}"
            )
        _copy_checked(
            params,
            weights,
            f"{type(self).__name__} layer '{self.name}'.set_weights: weight",
            "the array given",
        )

    def save_own_variables(self, store) -> None:
        """Writes this layer's own variables (not its sublayers') into `store` (Keras 3).

        The keys are `"0"`, `"1"`, ...: the variables created trainable first, then the
        others, each in creation order, as the `vars` entries of a `.keras` file.
        Override it (with `load_own_variables`) to save state that is not a weight.

        Args:
            store: a dict-like object that takes NumPy arrays by string key.

        Example:
        >>> layer = tf.keras.layers.Dense(2)
        >>> layer.build((None, 3))
        >>> store = {}
        >>> layer.save_own_variables(store)
        >>> [(k, v.shape) for k, v in store.items()]
        [('0', (3, 2)), ('1', (2,))]
        """
        from tork.keras.saving._structure import own_variables

        for index, variable in enumerate(own_variables(self)):
            store[str(index)] = to_numpy(variable, copy=True)

    def load_own_variables(self, store) -> None:
        """Sets this layer's own variables from a `store` written by `save_own_variables`.

        Args:
            store: a dict-like object with the arrays under keys `"0"`, `"1"`, ...

        Raises:
            ValueError: if `store` holds another number of arrays than the layer has
                variables, or an array's shape differs from its variable's.
        """
        from tork.keras.saving._structure import own_variables

        variables = own_variables(self)
        if len(store.keys()) != len(variables):
            raise ValueError(
                f"Layer '{self.name}' expected {len(variables)} variables, but received "
                f"{len(store.keys())} variables during loading. Expected: "
                f"{[getattr(v, '_var_name', None) or _short(v) for v in variables]}"
            )
        _copy_checked(
            variables,
            [store[str(index)] for index in range(len(variables))],
            f"Layer '{self.name}'.load_own_variables: variable",
            "the stored array",
        )

    def count_params(self) -> int:
        """Returns the number of scalars in this layer's weights."""
        if not self.built and not self.weights:
            raise ValueError(
                # tf_keras's sentence first (users search for it), then tork's hint.
                f"You tried to call `count_params` on layer {self.name}, but the layer isn't "
                f"built. You can build it manually via: `{self.name}.build(batch_input_shape)`. "
                f"Build layer '{self.name}' first with layer.build(input_shape) or by calling it "
                "on a batch of data."
            )
        # A weight whose length follows data (a tf_idf lookup's idf weights, shape (None,)
        # in tf_keras) counts no parameters, as in Keras 2.
        return int(
            sum(
                w.numel()
                for w in _dedup(self.weights)
                if not getattr(w, "_tork_dynamic_shape", False)
            )
        )

    # -- losses -----------------------------------------------------------------------
    @property
    def metrics(self) -> list:
        """The metrics of this layer and its sublayers (Keras 2).

        For each layer (this one first, then its sublayers depth first): the
        `Metric` objects set as its attributes, then those its `add_metric`
        calls created.
        """
        result: list = []
        seen: set[int] = set()
        for layer in self._flatten_layers(include_self=True):
            # Keras 2 also tracks metrics held in a list/tuple/dict attribute, and keeps
            # one that an attribute no longer holds.
            found = _attribute_metrics(layer)
            found.extend(layer.__dict__.get("_tork_added_metrics", {}).values())
            for metric in found:
                if id(metric) not in seen:
                    seen.add(id(metric))
                    result.append(metric)
        return result

    def add_metric(self, value, name: str | None = None, aggregation: str | None = None) -> None:
        """Keras 2: reports the running mean of `value` as a metric named `name`.

        Call it inside `call()`: each call adds `value` (its mean) to a `Mean`
        metric of this layer, which the model's `fit`/`evaluate` logs list under
        `name` and reset at each epoch. Keras 3 removed it (write a `Metric`).

        Args:
            value: a tensor computed in `call()`.
            name: the metric's name in the logs.
            aggregation: `'mean'` (or None, the same here).

        Example:
        >>> class Probe(keras.layers.Layer):  # doctest: +SKIP
        ...     def call(self, x):
        ...         self.add_metric(tf.math.reduce_std(x), name="std_of_activation")
        ...         return x
        """
        from tork.keras.models.functional.keras_tensor import KerasTensor

        if aggregation not in (None, "mean"):
            raise ValueError(
                f"{where(self)}.add_metric: aggregation must be 'mean' (or None), got "
                f"{aggregation!r}."
            )
        metric_obj = getattr(value, "_tork_metric_obj", None)
        if metric_obj is not None:
            # The value a Metric's __call__ returned: Keras 2 reports that metric (already
            # updated by the call) under its own name, whatever `name` says.
            if name is not None:
                # Keras 2 looks the name up among the layer's metrics: two of that name
                # would share one log entry (one of them silently lost).
                same = [m for m in _attribute_metrics(self) if m.name == name]
                if len(same) > 1:
                    raise ValueError(
                        f"{where(self)}.add_metric: Please provide different names for the "
                        f"metrics you have added. We found {len(same)} metrics with the "
                        f'name: "{name}". Pass name=... to each Metric.'
                    )
            metrics = self.__dict__.setdefault("_tork_added_metrics", {})
            if all(m is not metric_obj for m in metrics.values()):
                metrics[f"<metric {id(metric_obj)}>"] = metric_obj
            return
        if not name:
            raise ValueError(
                f"{where(self)}.add_metric needs a `name` for the metric, e.g. "
                "self.add_metric(value, name='mean_activation')."
            )
        if isinstance(value, KerasTensor):
            from tork.keras.layers.core.add_loss import AddMetric

            # Keras 2's `model.add_metric(x)` on a functional model's tensors.
            self._tork_insert_symbolic("add_metric", value, lambda: AddMetric(aggregation, name))
            return
        metrics = self.__dict__.setdefault("_tork_added_metrics", {})
        metric = metrics.get(name)
        if metric is None:
            from torch.utils._python_dispatch import _disable_current_modes

            from tork.keras.metrics.reduction import Mean

            # Real variables, also when the first call is a symbolic one (fake tensors).
            with _disable_current_modes():
                metric = metrics[name] = Mean(name=name)
        if CONTEXT.symbolic:
            return  # a symbolic (functional API) call: nothing to measure
        # (Also while a compiled training step is traced: the update is part of the step.)
        metric.update_state(value)

    def add_loss(self, loss, **kwargs) -> None:
        """Adds a loss (tensor or zero-argument callable) to this layer's `losses`.

        Args:
            loss: a scalar tensor computed in `call()`, a zero-argument callable, a list
                of them, or (on a functional model) a tensor computed from the model's
                inputs, which the model then computes at every call (Keras 2).
            **kwargs: Keras 2's `inputs=` (accepted for compatibility, not needed).

        Example:
        >>> class ActivityPenalty(keras.layers.Layer):  # doctest: +SKIP
        ...     def call(self, x):
        ...         self.add_loss(1e-3 * tf.reduce_sum(tf.square(x)))
        ...         return x
        """
        unknown = sorted(set(kwargs) - {"inputs"})
        if unknown:
            raise TypeError(f"{where(self)}.add_loss() got unexpected keyword arguments {unknown}.")
        if callable(loss) and not isinstance(loss, torch.Tensor):
            self._tork_added_losses.append(loss)
            # Like a regularizer, the callable is a standing loss: fit/compute_loss read
            # `losses` only while some layer is in this set (else it is silently dropped).
            _LAYERS_WITH_REGULARIZERS.add(self)
            return
        if _contains_symbolic(loss):
            from tork.keras.layers.core.add_loss import AddLoss

            # Keras 2's `model.add_loss(kl)` on functional-API tensors (e.g. the VAE example).
            for value in loss if isinstance(loss, (list, tuple)) else [loss]:
                self._tork_insert_symbolic("add_loss", value, AddLoss)
            return
        self._tork_call_losses.append(convert_to_tensor(loss))
        _LAYERS_WITH_CALL_LOSSES.append(self)

    def _tork_insert_symbolic(self, what: str, value, make_layer) -> None:
        """`add_loss`/`add_metric` of a symbolic tensor: only functional models accept one."""
        if any(layer is self for layer in CONTEXT.stack):
            # Inside this layer's own call: the value uses functional tensors captured from
            # outside (Keras 2's old VAE layer reading the outer z_mean), not its inputs.
            raise ValueError(
                f"{where(self)}.{what}() in call() received a value computed from "
                f"functional-API tensors that are not this layer's inputs ({value!r:.120}). "
                "Pass every tensor the value needs as an input of the layer, e.g. "
                "layer([x, x_decoded, z_mean, z_log_var]), and use them from call()'s inputs."
            )
        raise ValueError(
            f"{where(self)}.{what}() received a symbolic tensor ({value!r:.120}). Only a "
            f"functional model takes those: call model.{what}(...) on the keras.Model(inputs, "
            f"outputs) whose tensors the value is computed from, or call self.{what}(...) "
            "inside a layer's call()."
        )

    @property
    def updates(self) -> list:
        """Always `[]`, with Keras 2's deprecation warning: updates run where they happen."""
        warnings.warn(
            "`layer.updates` will be removed in a future version. This property should not be "
            "used in TensorFlow 2.0, as `updates` are applied automatically.",
            UserWarning,
            stacklevel=2,
        )
        return []

    def add_update(self, updates, inputs=None) -> None:
        """Keras 2's `add_update`: runs callable updates; others already took effect.

        In eager execution `variable.assign(...)` has already changed the variable when
        its result reaches `add_update` (d2l's from-scratch BatchNorm passes those).

        Callables do not run while this layer or one calling it has `trainable=False`.

        Args:
            updates: an update op, a zero-argument callable, or a list of them.
            inputs: Keras 2.0-2.3's conditional-update inputs (`self.add_update(ops, inputs)`
                in 2017 custom layers such as BatchRenormalization); ignored, with a warning,
                as TF 2.0-2.3 did (tf_keras 2.21 no longer takes it).
        """
        if inputs is not None:
            warnings.warn(
                f"{type(self).__name__}.add_update: the `inputs` argument is deprecated and "
                "ignored (updates take effect where they are made). Call "
                "add_update(updates) without it.",
                stacklevel=2,
            )
        # Keras 2: callable updates are disabled by `trainable = False` on this layer or a
        # layer calling it (a frozen custom normalization keeps its statistics), and none
        # run while the functional API builds a graph.
        if CONTEXT.symbolic or not self.trainable or any(not x.trainable for x in CONTEXT.stack):
            return
        for update in updates if isinstance(updates, (list, tuple)) else [updates]:
            if callable(update) and not isinstance(update, torch.Tensor):
                update()

    @property
    def losses(self) -> list:
        """Losses from `add_loss` in the last call, plus weight regularization penalties."""
        result = _LossList()
        for layer in self._flatten_layers(include_self=True):
            result.extend(layer._tork_call_losses)
            result.extend(fn() for fn in layer._tork_added_losses)
            for var, reg in layer._tork_regularizers:
                result.append(reg(var))
        return result

    # -- building ------------------------------------------------------------------------
    def build(self, input_shape=None) -> None:
        """Creates the layer's weights; runs once, on the first call.

        Args:
            input_shape: the input's shape (batch size first), or a nest of
                shapes for several inputs.
        """
        self._build_shapes = input_shape
        self.built = True

    def _tork_build(self, shapes, scoped: bool = True) -> None:
        """Builds the layer as its first call does, in its name scope.

        With `scoped=False` it builds in the current name scope, as Keras 2's wrappers
        (`TimeDistributed`, `Wrapper`) call `self.layer.build(...)` directly: their inner
        layer's weights are `time_distributed/kernel:0`.
        """
        from tork.ops.scopes import get_current_name_scope, name_scope

        # Keras 2 builds inside the layer's name scope: a plain `tf.Variable(..., name='w')`
        # created in `build` is named `outer_layer/layer/w:0`, as `add_weight` names are.
        current = get_current_name_scope()
        if not scoped:
            names = []
        elif _BUILDS:
            # Inside another build: the current scope is that build's (with the user's scopes
            # opened in it); the layers called from it since then add theirs.
            builder, start = _BUILDS[-1][:2]
            called = _stack_after(start, builder)
            names = [layer.name for layer in called if layer is not self] + [self.name]
        else:
            if in_scratch():
                # A functional-API build runs in tf.keras's scratch graph, whose name scope
                # does not include the user's tf.name_scope.
                current = ""
            names = _scopes_of_calls(current, [x for x in CONTEXT.stack if x is not self])
            if names is None:
                names = [layer.name for layer in CONTEXT.stack if layer is not self]
            else:
                current = ""  # placed among the calling layers' names
            names.append(self.name)
        # A layer named '' (automl's EfficientDetNet) adds no scope level, as in Keras 2.
        scope = "/".join(([current] if current else []) + [n for n in names if n])
        scope = scope + "/" if scope else ""
        CONTEXT.in_build += 1
        _BUILDS.append((self, len(CONTEXT.stack), scope, scoped))
        try:
            with name_scope(scope):
                if CONTEXT.symbolic:
                    # Weights must be real even when the first call is a symbolic (fake) one.
                    from torch._subclasses.fake_tensor import unset_fake_temporarily

                    with unset_fake_temporarily():
                        _run_build(self, shapes)
                else:
                    _run_build(self, shapes)
        finally:
            _BUILDS.pop()
            CONTEXT.in_build -= 1
        self.__dict__["built"] = True
        if self._build_shapes is None:
            self._build_shapes = shapes
        initial = self.__dict__.get("_tork_initial_weights")
        if initial is not None:
            # Keras 2's `weights=` constructor argument: initial values set once built.
            self.__dict__["_tork_initial_weights"] = None
            self.set_weights(initial)

    def __setstate__(self, state):
        super().__setstate__(state)
        _alias_registries(self)  # after copy.deepcopy and pickle

    def __getattr__(self, name: str):
        try:
            return super().__getattr__(name)
        except AttributeError:
            if "_tork_layer_ready" not in self.__dict__ and not name.startswith("__"):
                raise AttributeError(_missing_super_init(self)) from None
            # A Keras property that raised AttributeError lands here: re-raise its message.
            prop = getattr(type(self), name, None)
            if isinstance(prop, property):
                prop.fget(self)
            if not self.__dict__.get("built", True) and not name.startswith("_"):
                # Weights such as `kernel` exist only once built (Keras 3 says so too).
                raise AttributeError(
                    f"'{type(self).__name__}' object has no attribute '{name}'. Layer "
                    f"'{self.__dict__.get('_name')}' is not built yet: if `{name}` is created in "
                    f"build(), you must build the layer before accessing `{name}` (call the "
                    "layer on inputs, or call layer.build(input_shape))."
                ) from None
            raise

    def build_from_config(self, config: dict) -> None:
        """Builds the layer from `get_build_config()` output."""
        if config and "shapes_dict" in config:
            # Keras 3's config of a multi-argument `build(self, a_shape, b_shape)`.
            first, others = split_shapes_dict(self, config["shapes_dict"])
            self.__dict__["_tork_extra_build_shapes"] = {
                k: _to_keras_shape(v) for k, v in others.items()
            }
            self._tork_build(_to_keras_shape(first))
            return
        shape = config.get("input_shape") if config else None
        if shape is not None:
            self._tork_build(_to_keras_shape(shape))

    def get_build_config(self) -> dict | None:
        """Returns the shape the layer was built with, for saving."""
        if self._build_shapes is None:
            return None
        extra = self.__dict__.get("_tork_build_shapes_dict")
        if extra:
            # Built by Keras 3's multi-argument rule: Keras 3 saves every shape by name.
            first = first_build_parameter(self)
            shapes = {first: self._build_shapes, **extra}
            return {"shapes_dict": {k: _plain_shape(v) for k, v in shapes.items()}}
        return {"input_shape": _plain_shape(self._build_shapes)}

    # -- calling ---------------------------------------------------------------------------
    @classmethod
    def _tork_spec(cls) -> _CallSpec:
        spec = _CALL_SPECS.get(cls)
        if spec is None:
            spec = _CALL_SPECS[cls] = _CallSpec(cls.call)
        return spec

    def call(self, inputs, *args, **kwargs):
        """The layer's computation. Override it.

        Args:
            inputs: a tensor or a nest of tensors.
            *args: extra positional arguments passed by the caller.
            **kwargs: extra keyword arguments, e.g. `training` and `mask`.

        Returns:
            A tensor or a nest of tensors.
        """
        return inputs

    def _tork_call_with_hooks(self, args, kwargs):
        """The call through `torch.nn.Module.__call__`, which runs torch's hooks around it.

        torch's forward/backward hooks (`register_forward_hook`, profilers' global hooks)
        live in `nn.Module.__call__`, which `Layer.__call__` replaces for speed: a layer
        with hooks (rare) goes through it, and its `forward` comes back to this call.
        Symbolic calls (functional-model construction) run without the hooks.
        """
        if _contains_symbolic(args) or _contains_symbolic(kwargs):
            self.__dict__["_tork_in_hooks"] = True
            try:
                return self.__call__(*args, **kwargs)
            finally:
                self.__dict__["_tork_in_hooks"] = False
        self.__dict__["_tork_in_hooks"] = True
        try:
            return torch.nn.Module.__call__(self, *args, **kwargs)
        finally:
            self.__dict__["_tork_in_hooks"] = False

    def forward(self, *args, **kwargs):
        """torch entry point: same as calling the layer."""
        return self.__call__(*args, **kwargs)

    def __call__(self, *args, **kwargs):
        if (
            self._forward_hooks
            or self._forward_pre_hooks
            or self._backward_hooks
            or self._backward_pre_hooks
            or _GLOBAL_HOOKS[0]
            or _GLOBAL_HOOKS[1]
            or _GLOBAL_HOOKS[2]
            or _GLOBAL_HOOKS[3]
        ) and not self.__dict__.get("_tork_in_hooks"):
            return self._tork_call_with_hooks(args, kwargs)
        spec = _CALL_SPECS.get(type(self)) or self._tork_spec()
        if args:
            inputs = args[0]
        elif spec.first_arg is not None and spec.first_arg in kwargs:
            inputs = kwargs.pop(spec.first_arg)
            args = (inputs,)
        elif "inputs" in kwargs:
            inputs = kwargs.pop("inputs")
            args = (inputs,)
        else:
            raise TypeError(f"{where(self)} was called without inputs.")

        given = inputs  # the caller's object (conversions below make private tensors)
        if not isinstance(inputs, torch.Tensor):
            if _contains_symbolic(args) or _contains_symbolic(kwargs):
                from tork.keras.models.functional import composite
                from tork.keras.models.functional.node import call_symbolic

                if composite.wants_composite(self, args, kwargs):  # ragged/sparse tensors
                    return composite.call_layer(self, args, kwargs)
                return call_symbolic(self, args, kwargs)
            target = self._tork_compute_dtype if self._tork_autocast() else None
            inputs = _convert_inputs(inputs, target)
            args = (inputs, *args[1:])
        elif inputs.dtype is not self._tork_compute_dtype and inputs.is_floating_point():
            if self._tork_compute_dtype.is_floating_point and self._tork_autocast():
                inputs = inputs.to(self._tork_compute_dtype)
                args = (inputs, *args[1:])

        ctx = CONTEXT
        if _ACCELERATOR and not ctx.stack and not ctx.symbolic:
            args, kwargs = self._tork_to_own_device(args, kwargs)
            inputs = args[0]
        outer_training = ctx.training
        # Resolve `training`: explicit argument, else the outer call's value, else the global
        # learning phase when set, else the default (Keras 2's order).
        training = kwargs.get("training", _MISSING)
        positional = 0 < spec.training_index < len(args)
        if positional:
            training = args[spec.training_index]
        if not spec.has_training and not spec.has_var_kwargs:
            kwargs.pop("training", None)  # Keras passes training only to calls that take it
        if training is _MISSING or training is None:
            # Not given: inherit the outer call's value, else the signature's default.
            if outer_training is not None:
                training = outer_training
            elif ctx.learning_phase is not None:
                training = bool(ctx.learning_phase)  # set_learning_phase (Keras 2)
            else:
                training = spec.training_default if spec.has_training else None
            # Keras 2 passes the resolved value to every call that takes `training` (also a
            # required one, and `**kwargs`), so `call(x, training)` works without it.
            if (spec.has_training or spec.has_var_kwargs) and not positional:
                kwargs["training"] = training
        if training.__class__ is str:  # 'False' is truthy: it would switch training on
            check_training_str(self, spec, training)

        in_mask = (
            getattr(inputs, "_keras_mask", None)
            if isinstance(inputs, torch.Tensor)
            else _mask_of(inputs)
        )
        # An explicit `mask=None` is this call's mask: compute_mask gets None then, not the
        # input's mask (Keras 2).
        mask_given = "mask" in kwargs
        if spec.has_mask:
            if "mask" in kwargs:
                # An explicit `mask=` (None included) is the mask of this call, as in Keras 2:
                # `call` gets it and the default compute_mask passes it on.
                in_mask = kwargs["mask"]
                if isinstance(in_mask, np.ndarray):
                    # Keras converts a NumPy mask like the inputs (layers call tensor methods on it).
                    in_mask = kwargs["mask"] = torch.as_tensor(in_mask, device=current_device())
            elif in_mask is not None:
                kwargs["mask"] = in_mask
        elif "mask" in kwargs and not spec.has_var_kwargs:
            in_mask = kwargs.pop("mask")

        if _LAYERS_WITH_CALL_LOSSES and not ctx.stack:
            _clear_call_losses(self)
        input_spec = self.input_spec
        if input_spec is not None and not (
            isinstance(input_spec, _input_spec.InputSpec)
            and isinstance(inputs, torch.Tensor)
            and input_spec._accepts(inputs)
        ):
            _input_spec.check(self, input_spec, inputs)
        if not self.__dict__["built"]:
            self._tork_maybe_build(inputs, args, kwargs)

        swap = None
        if ctx.symbolic:
            from tork.keras.models.functional.node import _fake_refuses_variables, _swap_variables

            if _fake_refuses_variables():
                swap = _swap_variables(self)
        autocast = None
        if self._variable_dtype is not self._tork_compute_dtype and _user_layer(type(self)):
            autocast = autocast_weights(self, self.__dict__["_parameters"].values())
        # The input's version counter, to catch `x -= 1.0` in call(): tork tensors are torch
        # tensors, so an in-place change would reach the caller's tensor (TF makes a new one).
        # Plain tensors the caller holds only (not Variables, not tensor subclasses, not
        # the copies made above from NumPy or for another dtype or device).
        version = -1
        if _call_writes_in_place(type(self)):
            # `inputs -= mean` in a user's call written for TF's immutable tensors (Keras's
            # antirectifier example): the call gets private copies (see tork/_inplace.py).
            inputs = writable_copies(inputs)
            args = (inputs, *args[1:])
        elif type(inputs) is torch.Tensor and inputs is given and not _is_compiling():
            # (Not while dynamo traces: the counter is an unbacked symbol there, and a
            # guard on it would break the graph at every layer.)
            try:
                version = inputs._version
            except RuntimeError:  # inference tensors (torch.inference_mode) have no counter
                pass
        ctx.training = training
        ctx.stack.append(self)
        # Augmented assignments in a user layer's call (or a Lambda's function) give new
        # tensors, as in TF (tork/_backend/augmented.py): the flag says whose call is innermost.
        outer_user = USER_CALL[0]
        USER_CALL[0] = _runs_user_code(type(self))
        try:
            outputs = self.call(*args, **kwargs)
        except Exception as error:
            better = unusable_input_error(self, inputs, error)
            if better is not None:
                raise better from error
            _annotate(error, self)
            raise
        finally:
            USER_CALL[0] = outer_user
            ctx.stack.pop()
            ctx.training = outer_training
            if autocast is not None:
                autocast.restore()
            if swap is not None:
                swap.restore()

        if version >= 0 and inputs._version != version and not torch.compiler.is_compiling():
            _raise_in_place(self)  # (under torch.compile the counter means nothing)
        # Keras 2 computes an output mask only for layers that support masking (an
        # overridden compute_mask included: `supports_masking = False` turns it off); other
        # layers drop the input's mask silently.
        if self._tork_supports_masking and (
            in_mask is not None or type(self).compute_mask is not Layer.compute_mask
        ):
            mask = kwargs.get("mask", in_mask)
            if "mask" not in kwargs and 0 < spec.mask_index < len(args):
                # `layer(x, mask)`: a mask given positionally is the one compute_mask gets,
                # as Keras 2 passes it.
                mask = args[spec.mask_index]
                mask_given = True
            self._tork_set_output_mask(inputs, outputs, mask, mask_given)
        if self.activity_regularizer is not None:
            self._tork_activity_loss(outputs)
        # Not while torch.compile traces: reading the attribute there would make the
        # compiled graph depend on (and recompile for) the recorded shape.
        if (
            not ctx.symbolic
            and not torch.compiler.is_compiling()
            and self.__dict__["_tork_out_shape"] is None
        ):
            self.__dict__["_tork_out_shape"] = _batchless_shape(outputs)
        return outputs

    def stateless_call(
        self,
        trainable_variables,
        non_trainable_variables,
        *args,
        return_losses: bool = False,
        **kwargs,
    ):
        """Calls the layer on given variable values, leaving its own unchanged (Keras 3).

        Args:
            trainable_variables: Tensors, one per `self.trainable_variables`, in order.
            non_trainable_variables: Tensors, one per `self.non_trainable_variables`.
            *args: Positional arguments of `call`.
            return_losses: Whether to also return the losses added during the call.
            **kwargs: Keyword arguments of `call` (`training=True`...).

        Returns:
            `(outputs, non_trainable_variables)` (the non-trainable values after the call,
            e.g. updated BatchNormalization statistics), plus the losses with
            `return_losses=True`. Gradients flow to `trainable_variables`.

        Example:
        >>> layer = tf.keras.layers.Dense(2)
        >>> layer.build((None, 3))
        >>> tv = [v.detach() * 2 for v in layer.trainable_variables]
        >>> y, _ = layer.stateless_call(tv, [], tf.ones((1, 3)))
        """
        if not self.built:
            raise ValueError(
                f"To call stateless_call, {type(self).__name__} must be built (i.e. its "
                "variables must have been already created). You can build it by calling it "
                "on some data."
            )
        from tork.keras.layers._stateless import stateless_call

        return stateless_call(
            self,
            trainable_variables,
            non_trainable_variables,
            *args,
            return_losses=return_losses,
            **kwargs,
        )

    def _tork_autocast(self) -> bool:
        """Whether floating inputs are cast to the compute dtype (the `autocast` argument)."""
        return self.__dict__.get("_autocast", True)

    def _tork_device(self) -> torch.device:
        """Where the layer's weights are (its first weight or buffer), else the current device."""
        for tensor in self.parameters():
            return tensor.device
        for tensor in self.buffers():
            return tensor.device
        return current_device()

    def _tork_to_own_device(self, args, kwargs):
        """Moves tensor arguments of an outermost call onto the layer's device.

        Keras (TensorFlow, and Keras 3 on torch) copies inputs to where the weights live, so
        that CPU tensors from a data pipeline or NumPy work with a model on the GPU. Only the
        outermost call pays for the check: what inner layers get was computed on the device.
        """
        target = self._tork_device()

        def move(value):
            if isinstance(value, torch.Tensor):
                if value.device != target:
                    moved = value.to(target, non_blocking=True)
                    mask = getattr(value, "_keras_mask", None)
                    if mask is not None:
                        moved._keras_mask = mask.to(target, non_blocking=True)
                    return moved
                return value
            if type(value) is list:
                return [move(v) for v in value]
            if type(value) is tuple:
                return tuple(move(v) for v in value)
            if isinstance(value, dict):
                return {k: move(v) for k, v in value.items()}
            return value

        return tuple(move(a) for a in args), {k: move(v) for k, v in kwargs.items()}

    def _tork_maybe_build(self, inputs, args, kwargs) -> None:
        shapes = _shape_of(inputs)
        if shapes is None and self.input_spec is not None and _is_opaque(inputs):
            # Keras 2 refuses non-tensors in its layers that declare an input spec (its
            # own); a custom layer may take any object.
            raise TypeError(
                f"Inputs to a layer should be tensors. Got '{inputs!r}' (of type "
                f"{type(inputs)}) as input for layer '{self.name}' ({type(self).__name__}). "
                "Pass a tensor or a numpy array."
            )
        stack = CONTEXT.stack
        if not _BUILDS:
            from tork.ops.scopes import get_current_name_scope

            # The user's name scope this (first) call runs in: Keras 2 opens the layer's
            # scope inside it, and the scopes its call opens inside the layer's.
            self.__dict__["_tork_call_scope"] = get_current_name_scope()
        stack.append(self)
        try:
            # Keras 3's `build(self, x_shape, y_shape)` gets the other call arguments' shapes.
            self.__dict__["_tork_extra_build_shapes"] = extra_build_shapes(
                self, args, kwargs, _shape_of
            )
            self._tork_build(shapes)
        except Exception as error:
            better = None if shapes is not None else unusable_input_error(self, inputs, error)
            if better is not None:
                raise better from error
            _annotate(error, self, during="build")
            raise
        finally:
            stack.pop()

    def _tork_activity_loss(self, outputs) -> None:
        if isinstance(outputs, torch.Tensor):
            penalty = self.activity_regularizer(outputs)
            self.add_loss(penalty / outputs.shape[0] if outputs.ndim else penalty)

    @property
    def supports_masking(self) -> bool:
        """Whether the layer passes masks on (computes an output mask); settable."""
        return self.__dict__.get("_tork_supports_masking", False)

    @supports_masking.setter
    def supports_masking(self, value: bool) -> None:
        self.__dict__["_tork_supports_masking"] = value

    # tf_keras's private name of the same flag: Keras 2 layers copied from its source set
    # `self._supports_masking = True` to pass masks on.
    _supports_masking = supports_masking

    def compute_mask(self, inputs, mask=None):
        """Returns the output mask for `inputs` and their `mask`.

        Layers that support masking (`supports_masking = True`) pass the input
        mask on unchanged. Called directly on a layer that does not support
        masking, a mask other than None (or a list of only None) raises
        TypeError, as in Keras 2; in a model such a layer drops the mask.

        Args:
            inputs: the layer's input tensor(s).
            mask: the input mask(s), or None.

        Returns:
            The output mask(s), or None.

        Raises:
            TypeError: if the layer does not support masking and `mask` is set.
        """
        if not self._tork_supports_masking:
            if any(m is not None for m in nest.flatten(mask)):
                raise TypeError(
                    f"Layer {self.name} does not support masking, but was passed an "
                    f"input_mask: {_describe_mask(mask)}. Set `supports_masking = True` on "
                    f"{type(self).__name__} if its output keeps the input's timesteps, or "
                    "pass mask=None."
                )
            return None
        return mask

    def _tork_set_output_mask(self, inputs, outputs, mask, mask_given: bool = False) -> None:
        if isinstance(outputs, torch.Tensor) and getattr(outputs, "_keras_mask", None) is not None:
            # Keras 2 keeps a mask the output already carries (a call that returns its input,
            # or an inner layer's masked output) and does not call compute_mask; setting it
            # here would also change the mask of the caller's input tensor.
            return
        if mask is None and not mask_given:
            mask = _mask_of(inputs)
        out_mask = self.compute_mask(inputs, mask)
        if out_mask is None:
            return
        if isinstance(outputs, torch.Tensor):
            if isinstance(out_mask, (list, tuple)):
                # One output from several masked inputs (the default compute_mask passes
                # the inputs' list on): Keras pairs flat outputs with flat masks, so the
                # output takes the first input's mask.
                out_mask = _first_leaf(out_mask)
                if out_mask is None:
                    return
            try:
                outputs._keras_mask = out_mask
            except (AttributeError, RuntimeError):
                pass
        elif isinstance(outputs, (list, tuple)) and isinstance(out_mask, (list, tuple)):
            for o, m in zip(outputs, out_mask):
                if isinstance(o, torch.Tensor) and m is not None:
                    o._keras_mask = m
        elif _is_ragged(outputs) and not isinstance(out_mask, (list, tuple)):
            outputs._keras_mask = out_mask

    def compute_output_shape(self, input_shape):
        """Returns the output shape for an input shape, by running `call` on fake tensors."""
        from tork.keras.models.functional.shape_inference import infer_output_shape

        return infer_output_shape(self, input_shape)

    def compute_output_signature(self, input_signature):
        """Returns the output `tf.TensorSpec`(s) for input `tf.TensorSpec`(s) (Keras 2 API).

        Shapes come from `compute_output_shape`; the dtype is the layer's compute dtype
        (the input's when the layer has none).

        Args:
            input_signature: a `tf.TensorSpec` or a nest of them.

        Returns:
            A `tf.TensorSpec` or a nest of them.
        """
        from tork.data.tensor_spec import TensorSpec

        specs = nest.flatten(input_signature)
        if not all(isinstance(s, TensorSpec) for s in specs):
            raise TypeError(
                f"{type(self).__name__} '{self.name}'.compute_output_signature expects "
                f"tf.TensorSpec objects, got {input_signature!r}."
            )
        shapes = nest.map_structure(lambda s: tuple(s.shape), input_signature)
        output_shape = self.compute_output_shape(shapes)
        dtype = self.compute_dtype or specs[0].dtype

        def to_spec(shape):
            # A shape is a sequence of ints/None; a nest of shapes is a dict or a sequence
            # of sequences (None standing for an unknown one). A sequence of only None is
            # a shape of unknown dims (Flatten on (None, None, 4) gives (None, None)).
            if isinstance(shape, dict):
                return {k: to_spec(v) for k, v in shape.items()}
            if shape is not None and not hasattr(shape, "as_list"):
                items = list(shape)
                if any(isinstance(i, (list, tuple, dict)) for i in items) and all(
                    i is None or isinstance(i, (list, tuple, dict)) for i in items
                ):
                    return [to_spec(i) if i is not None else None for i in items]
            return TensorSpec(shape=tuple(shape), dtype=dtype)

        return to_spec(output_shape)

    def compute_output_spec(self, *args, **kwargs):
        """Returns symbolic outputs for symbolic inputs (Keras 3 API)."""
        from tork.keras.models.functional.node import call_symbolic

        return call_symbolic(self, args, kwargs)

    # -- config -------------------------------------------------------------------------------
    def get_config(self) -> dict:
        """Returns the layer's constructor arguments as a serializable dict.

        The base config holds `name`, `trainable` and `dtype`. A subclass that
        does not override `get_config` gets the arguments it was constructed
        with, when they are plain Python values (values given to `*args` are
        left out); as in Keras 2, it keeps the base keys only when its
        `__init__` takes `**kwargs` under that exact name or names them as
        arguments, so that `from_config` can pass them back.
        """
        config = {"name": self.name, "trainable": self.trainable, "dtype": _policy_config(self)}
        if self._batch_input_shape is not None and not self.__dict__.get(
            "_tork_implicit_input_shape"
        ):
            config["batch_input_shape"] = self._batch_input_shape
        cls_get_config = type(self).get_config
        if cls_get_config is Layer.get_config and type(self).__init__ is not Layer.__init__:
            config.update(_init_arguments_config(self))
            _drop_base_keys_init_cannot_take(type(self), config)
        return config

    # Keras 2's `generic_utils.default` marker: code tests it to see whether a class
    # overrides get_config (HF transformers' @keras_serializable installs its own then).
    get_config._is_default = True

    @classmethod
    def from_config(cls, config: dict):
        """Creates a layer from its `get_config()` output."""
        config = dict(config)
        if "batch_input_shape" in config and config["batch_input_shape"] is not None:
            pass
        return cls(**config)

    # -- misc --------------------------------------------------------------------------------
    @property
    def stateful(self) -> bool:
        """Whether the layer keeps state across calls (False unless a subclass sets it)."""
        return self.__dict__.get("_stateful", False)

    @stateful.setter
    def stateful(self, value: bool) -> None:
        # Keras layers assign it, even before super().__init__() (keras-tcn's TCN does).
        self.__dict__["_stateful"] = bool(value)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    def extra_repr(self) -> str:
        return f"name={self.name}"


# -- helpers ---------------------------------------------------------------------------------


def _is_opaque(value) -> bool:
    """True for a call input that is no tensor, array, number, string or nest of them."""
    if value is None or isinstance(
        value, (torch.Tensor, np.ndarray, np.generic, int, float, complex, str, bytes)
    ):
        return False
    if isinstance(value, (list, tuple, dict)):
        return False
    return not (hasattr(value, "shape") or hasattr(value, "dtype"))


def _drop_base_keys_init_cannot_take(cls, config: dict) -> None:
    """Keras 2's automatic config drops `name`, `trainable`, `dtype` (and the input shape)
    unless `__init__` takes `**kwargs` under that exact name or lists them as
    positional-or-keyword arguments (keyword-only ones do not count in Keras 2): a layer
    with `__init__(self, units)` or `(self, units, **kw)` gets `{'units': ...}` and a
    fresh name from `from_config` and `clone_model`."""
    try:
        spec = inspect.getfullargspec(cls.__init__)
    except TypeError:
        return
    if spec.varkw == "kwargs":
        return
    for key in ("name", "trainable", "dtype", "batch_input_shape"):
        if key not in spec.args[1:]:
            config.pop(key, None)


def _init_arguments_config(layer) -> dict:
    """The arguments `layer` was constructed with (Keras 2's automatic config).

    Only the arguments the caller passed (no defaults); `**kwargs` are spread out. Raises
    NotImplementedError when one is not a plain (JSON-serializable) value.
    """
    args, kwargs = layer.__dict__.get("_tork_init_args", ((), {}))
    signature = inspect.signature(type(layer).__init__)
    try:
        bound = signature.bind(None, *args, **kwargs)
    except TypeError:
        return {}
    extra = {k: v for k, v in bound.arguments.items() if k != "self"}
    for k, v in list(extra.items()):
        param = signature.parameters.get(k)
        if param is not None and param.kind is param.VAR_KEYWORD:
            extra.pop(k)
            extra.update(v)
        elif param is not None and param.kind is param.VAR_POSITIONAL:
            extra.pop(k)  # no name to pass them back by (Keras 2 leaves them out too)
    if not all(_is_plain(v) for v in extra.values()):
        raise NotImplementedError(
            f"Layer {type(layer).__name__} was constructed with arguments that are not "
            f"plain values ({', '.join(k for k, v in extra.items() if not _is_plain(v))})"
            ", so tork cannot write its config. Override get_config() to return "
            "serializable constructor arguments (and from_config() if needed)."
        )
    return extra


def _run_build(layer, shapes) -> None:
    """Calls `layer.build(shapes)`; a Keras 3 style `def build(self)` that takes no input
    shape is called without one (Keras 3 does so; keras.io's GRN/VSN example has one).

    Outside autograd, as Keras builds in TF's `init_scope` (which pauses gradient tapes):
    a tensor that `build` computes from the weights (`self.k = K.concatenate([k1, k2])`,
    Nested-LSTM) is a constant to the training steps, so it neither sends gradients to the
    weights it was made from nor keeps a graph that the second step's backward would
    find freed.
    """
    with torch.no_grad():
        _call_build(layer, shapes)


def _call_build(layer, shapes) -> None:
    try:
        params = inspect.signature(layer.build).parameters.values()
    except (TypeError, ValueError):  # a builtin or C callable: pass the shape
        params = None
    positional = (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.VAR_POSITIONAL,
    )
    if params is not None and not any(p.kind in positional for p in params):
        layer.build()
    else:
        extra = layer.__dict__.pop("_tork_extra_build_shapes", None) or {}
        if extra:
            layer.__dict__["_tork_build_shapes_dict"] = extra  # for get_build_config
        layer.build(shapes, **extra)


def _marking_built(build):
    """Wraps a subclass's build so that calling it directly also marks the layer built."""

    @functools.wraps(build)
    def wrapper(self, *args, **kwargs):
        if _BUILDS and _BUILDS[-1][0] is self:
            result = build(self, *args, **kwargs)  # from _tork_build, or super().build()
        else:
            # A direct `layer.build(shape)`: it runs in the caller's name scope (Keras 2;
            # inside a call, the calling layers' scopes), and layers it calls name their
            # weights from there.
            from tork.ops.scopes import get_current_name_scope, name_scope

            if _BUILDS:
                scope = _weight_scope(None)
            else:
                # As `_tork_build`: the user's scope (around the outermost call), then the
                # layers being called.
                current = "" if in_scratch() else get_current_name_scope()
                parts = ([current] if current else []) + [x.name for x in CONTEXT.stack if x.name]
                scope = "/".join(parts) + "/" if parts else ""
            own = any(layer is self for layer in CONTEXT.stack)  # built in its own call
            _BUILDS.append((self, len(CONTEXT.stack), scope, own))
            try:
                with name_scope(scope):
                    result = build(self, *args, **kwargs)
            finally:
                _BUILDS.pop()
        self.__dict__["built"] = True
        if self.__dict__.get("_build_shapes") is None and args:
            self.__dict__["_build_shapes"] = _to_keras_shape(args[0])
        return result

    wrapper._tork_marks_built = True
    return wrapper


class _AliasingDict(dict):
    """torch's `_parameters`/`_modules` registry that mirrors each entry into `__dict__`.

    `self.kernel` inside `call` then is a plain attribute hit instead of torch's slow
    `Module.__getattr__` fallback. Every change to the registry, from any code path
    (register_parameter, del, `_apply`, `torch.func.functional_call` swapping weights),
    goes through these methods, so the alias is always the registered object.
    """

    __slots__ = ("_attrs",)

    def __init__(self, attrs: dict, items):
        super().__init__()
        self._attrs = attrs
        for key, value in dict(items).items():
            self[key] = value

    def _alias(self, key, value) -> None:
        previous = dict.get(self, key)
        if previous is not None and self._attrs.get(key) is previous:
            del self._attrs[key]
        # Tracking containers mirror a list/dict attribute of the same name: no alias.
        if value is not None and not _tracking.is_container(value):
            self._attrs[key] = value

    def _unalias(self, key) -> None:
        value = dict.get(self, key)
        if value is not None and self._attrs.get(key) is value:
            del self._attrs[key]

    def __setitem__(self, key, value) -> None:
        self._alias(key, value)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key) -> None:
        self._unalias(key)
        dict.__delitem__(self, key)

    def pop(self, key, *default):
        self._unalias(key)
        return dict.pop(self, key, *default)

    def popitem(self):
        key = next(reversed(self))
        return key, self.pop(key)

    def clear(self) -> None:
        for key in list(self):
            self._unalias(key)
        dict.clear(self)

    def update(self, *args, **kwargs) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def __reduce_ex__(self, protocol):
        return (dict, (dict(self),))

    def __deepcopy__(self, memo):
        import copy

        return {copy.deepcopy(k, memo): copy.deepcopy(v, memo) for k, v in self.items()}


def _alias_registries(layer) -> None:
    attrs = layer.__dict__
    for registry in ("_parameters", "_modules"):
        current = attrs[registry]
        if not isinstance(current, _AliasingDict):
            attrs[registry] = _AliasingDict(attrs, current)


# Keras 2's own-weight lists: settable (see `_own_weights`).
_OWN_LISTS = frozenset({"_trainable_weights", "_non_trainable_weights"})

_READ_ONLY = frozenset(
    {
        "weights",
        "trainable_weights",
        "non_trainable_weights",
        "variables",
        "trainable_variables",
        "non_trainable_variables",
        "losses",
        "submodules",
    }
)
_GUARDED = _READ_ONLY | _OWN_LISTS

# Attribute values Keras 2 tracks as structures (see `_note_assignment`).
_STRUCTURE_TYPES = (list, dict, tuple, _tracking.TrackedList, _tracking.TrackedDict)


# add_weight's positional orders: Keras 3's, and Keras 2's (name first).
_ADD_WEIGHT_K3 = (
    "shape",
    "initializer",
    "dtype",
    "trainable",
    "autocast",
    "regularizer",
    "constraint",
    "aggregation",
    "overwrite_with_gradient",
    "name",
)
_ADD_WEIGHT_K2 = (
    "name",
    "shape",
    "dtype",
    "initializer",
    "regularizer",
    "trainable",
    "constraint",
    "use_resource",
    "synchronization",
    "aggregation",
)


# The frame of `Layer.__call__` tells the augmented operators that the code above it on the
# stack is a Keras layer's call (tork/_backend/augmented.py).
register_keras_layer(Layer)

# Facts about layer classes, computed once per class. Dicts keyed by the class rather than
# attributes set on it: a subclass never inherits its parent's answer, and torch.compile
# reads them as plain dict lookups (dynamo refuses to read `cls.__dict__` once anything in
# the traced code has written a dict, which broke `torch.compile(model, fullgraph=True)`).
_CALL_SPECS: dict = {}
_CALL_WRITES: dict = {}
_USER_CODE: dict = {}
_USER_LAYER: dict = {}
_WEIGHTS_PER_LAYER: dict = {}


def _call_writes_in_place(cls) -> bool:
    """Whether a user's layer class has an augmented assignment (`x -= m`) in its call."""
    value = _CALL_WRITES.get(cls)
    if value is None:
        value = _CALL_WRITES[cls] = _user_layer(cls) and writes_in_place(cls.call)
    return value


def _runs_user_code(cls) -> bool:
    """Whether `call` runs the user's code: a user's layer, or a Lambda's function."""
    value = _USER_CODE.get(cls)
    if value is None:
        value = _USER_CODE[cls] = _user_layer(cls) or getattr(cls, "_tork_runs_user_code", False)
    return value


def _user_layer(cls) -> bool:
    """Whether `cls` is a user's subclass: tork's own layers cast their weights themselves."""
    value = _USER_LAYER.get(cls)
    if value is None:
        value = _USER_LAYER[cls] = not cls.__module__.startswith("tork.")
    return value


class fresh_name_scope:  # noqa: N801 - used as a context manager
    """Layers built inside start from the top-level name scope, outside any layer's.

    Keras 2 builds a Sequential model's graph (its first call or `build`) under
    `tf.init_scope()` in a graph of its own: its layers' weights are `dense/kernel:0` also
    when the model sits in another model or layer.
    """

    __slots__ = ("_scope",)

    def __enter__(self) -> None:
        from tork.ops.scopes import name_scope

        self._scope = name_scope("")
        self._scope.__enter__()
        _BUILDS.append((None, len(CONTEXT.stack), "", False))

    def __exit__(self, *exc) -> bool:
        _BUILDS.pop()
        self._scope.__exit__(*exc)
        return False


class own_name_scope:  # noqa: N801 - used as a context manager
    """In `layer.build()`: sublayers built inside take `layer`'s name as a scope.

    For layers whose sublayers Keras builds when `call` runs them (MultiHeadAttention's
    `query`...): `mha/query/kernel:0`, also when tork builds them in a direct `build()`.
    """

    __slots__ = ("_layer", "_scope")

    def __init__(self, layer):
        self._layer = layer
        self._scope = None

    def __enter__(self) -> None:
        from tork.ops.scopes import get_current_name_scope, name_scope

        record = _BUILDS[-1] if _BUILDS else None
        if record is not None and record[0] is self._layer and record[3]:
            return  # its scope already ends with its name
        current = get_current_name_scope()
        scope = "/".join(p for p in (current, self._layer.name) if p)
        scope = scope + "/" if scope else ""
        self._scope = name_scope(scope)
        self._scope.__enter__()
        _BUILDS.append((self._layer, len(CONTEXT.stack), scope, True))

    def __exit__(self, *exc) -> bool:
        if self._scope is not None:
            _BUILDS.pop()
            self._scope.__exit__(*exc)
            self._scope = None
        return False


def _policy_config(layer):
    """The `dtype` entry of a layer's config, as Keras 2 writes it.

    A plain `str` for a single-dtype policy (`'float32'`), and a mixed precision policy as
    its serialized `Policy` dict.
    """
    name = str.__str__(layer._dtype_policy.name)
    if not name.startswith("mixed_"):
        return name
    return {
        "module": "keras.mixed_precision",
        "class_name": "Policy",
        "config": {"name": name},
        "registered_name": None,
    }


def _scopes_of_calls(current: str, stack: list) -> list | None:
    """The name scope of a layer built inside the calls of `stack`, as Keras 2 nests it.

    Keras 2 runs each layer's call in the layer's name scope, so a `tf.name_scope` a model
    opens in its call nests under the model's name (`model/block/dense`), while one opened
    around the model's call comes first (`outer/model/dense`). Each layer of `stack` has
    the user scope its first call started in (`_tork_call_scope`); the user scopes are
    interleaved with the layers' names from those. None when a layer lacks it or it does
    not match `current` (then the user scopes go first, as before).
    """
    if not stack:
        return None
    parts: list = []
    consumed = ""
    for layer in stack:
        start = layer.__dict__.get("_tork_call_scope")
        if start is None:
            return None
        if start != consumed:
            if not (start.startswith(consumed + "/") or not consumed):
                return None
            parts.extend(s for s in start[len(consumed) :].split("/") if s)
            consumed = start
        if layer.name:
            parts.append(layer.name)
    if consumed and not (current == consumed or current.startswith(consumed + "/")):
        return None
    parts.extend(s for s in current[len(consumed) :].split("/") if s)
    return parts


def _stack_after(start: int, builder) -> list:
    """The layers called since a build started (the builder itself left out)."""
    return [layer for layer in CONTEXT.stack[start:] if layer is not builder]


def _path_taken(layer, path: str) -> bool:
    """Whether one of `layer`'s own weights already has the scoped name `path`."""
    return any(getattr(v, "_path", None) == path for v in layer._parameters.values())


def _weight_scope(layer) -> str:
    """The name scope (with a trailing `/`) of a weight `layer` creates now (Keras 2's rule).

    In the layer's own build: the build's scope (the layer's, or the caller's for a direct
    `build()`) with the user's `tf.name_scope`s opened in it. Elsewhere (a weight created
    in `call`, or in `__init__`): the scopes of the layers being called (the innermost
    build's, then the layers called since), then the user's scopes opened inside them.
    """
    from tork.ops.scopes import get_current_name_scope

    current = get_current_name_scope()
    if _BUILDS and _BUILDS[-1][0] is layer and layer is not None:
        return current + "/" if current else ""
    if _BUILDS:
        builder, start, base = _BUILDS[-1][:3]
        if base and current and not (current + "/").startswith(base):
            # An absolute `tf.name_scope("x/")` opened in the build replaces its scope (HF
            # T5 builds its shared embedding in `shared/shared/`, the name its files use).
            return current + "/"
        rest = current[len(base) :] if (current + "/").startswith(base) else current
        parts = [base.rstrip("/")] if base else []
    else:
        start, builder, rest, parts = 0, None, current, []
    parts += [called.name for called in _stack_after(start, builder) if called.name]
    if rest:
        parts.append(rest)
    return "/".join(parts) + "/" if parts else ""


_METRIC_CLASS: list = []


def _is_metric(value) -> bool:
    if not _METRIC_CLASS:
        # Imported on first use: the metrics package imports the layers.
        from tork.keras.metrics.metric import Metric

        _METRIC_CLASS.append(Metric)
    return isinstance(value, _METRIC_CLASS[0])


def _is_metric_attribute(value) -> bool:
    """A Metric, or a list/tuple of them (Keras 2 tracks both as a model's sublayers)."""
    if isinstance(value, (list, tuple)):
        return bool(value) and _is_metric(value[0])
    return _is_metric(value)


def _note_assignment(layer, name: str, value) -> None:
    """Records when attribute `name` last received a new layer, structure or metric.

    Keras 2 tracks sublayers, lists/dicts/tuples (even empty ones) and metrics in the
    order they were assigned; re-assigning another object tracks it last. `_modules`
    (`_order_modules`) and a model's metrics (`_child_groups`) follow this order.
    """
    if not name.startswith("_tork"):
        _record_metrics(layer, value)
    tracked = (
        isinstance(value, torch.nn.Module)
        or type(value) in _STRUCTURE_TYPES
        or _is_metric_attribute(value)
    )
    seqs = layer.__dict__.get("_tork_attr_seq")
    if not tracked:
        if seqs is not None:
            seqs.pop(name, None)
        return
    if seqs is None:
        seqs = layer.__dict__["_tork_attr_seq"] = {}
    elif name in seqs and layer.__dict__.get(name) is value:
        return  # the same object again keeps its place
    # Per layer (a pickled layer keeps counting where it was): the dict is in assignment
    # order, so its last entry holds the largest number.
    following = next(reversed(seqs.values()), -1) + 1
    seqs.pop(name, None)
    seqs[name] = following


def _record_metrics(layer, value) -> None:
    """Remembers every Metric assigned to an attribute of `layer` (also in a list, tuple or
    dict), in assignment order.

    Keras 2 appends them to the layer's metrics when assigned and never removes one: a
    replaced metric (`self.m = Mean("old"); self.m = Mean("new")`) stays in `metrics`.
    """
    found: list = []

    def walk(item):
        if _is_metric(item):
            found.append(item)
        elif isinstance(item, dict):
            # tf.nest order, as Keras 2 flattens the value: dicts by sorted key.
            for _, sub in _tracking._dict_items(item, sort_keys=True):
                walk(sub)
        elif isinstance(item, (list, tuple)):
            for sub in item:
                walk(sub)

    walk(value)
    if found:
        record = layer.__dict__.setdefault("_tork_assigned_metrics", [])
        record.extend(m for m in found if all(m is not r for r in record))


def _attribute_metrics(layer) -> list:
    """The metrics `layer` holds in its attributes, Keras 2's `layer._metrics`: every one
    assigned (see `_record_metrics`), then any set around `__setattr__`."""
    result = list(layer.__dict__.get("_tork_assigned_metrics", ()))
    for name, value in layer.__dict__.items():
        if name.startswith("_tork"):
            continue
        items = value if isinstance(value, (list, tuple)) else (value,)
        result.extend(v for v in items if _is_metric(v) and all(v is not r for r in result))
    return result


def _order_modules(layer) -> None:
    """Sorts `layer._modules` by assignment order (see `_note_assignment`).

    A key with no recorded assignment (torch's `add_module`, Sequential's `layers`)
    stays right after the key before it.
    """
    seqs = layer.__dict__.get("_tork_attr_seq")
    modules = layer.__dict__.get("_modules")
    if not seqs or not modules:
        return
    keyed, running = [], -1
    for index, (key, module) in enumerate(modules.items()):
        running = max(running, seqs.get(key, running))
        keyed.append((seqs.get(key, running), index, key, module))
    ordered = sorted(keyed)
    if [item[2] for item in ordered] == list(modules):
        return
    modules.clear()
    for _, _, key, module in ordered:
        modules[key] = module


def _metric_groups(layer) -> list:
    """`[(order, group)]` for the metric attributes of `layer`, in assignment order.

    A metric with no recorded assignment gets order None (listed after the sublayers).
    """
    seqs = layer.__dict__.get("_tork_attr_seq") or {}
    found = []
    for name, value in layer.__dict__.items():
        if name.startswith("_tork") or not _is_metric_attribute(value):
            continue  # tork's own bookkeeping (e.g. fit's cached list of metrics)
        group = _Group(value if isinstance(value, (list, tuple)) else (value,))
        group.in_container = isinstance(value, (list, tuple))
        found.append((seqs.get(name), group))
    found.sort(key=lambda item: (item[0] is None, item[0] or 0))
    return found


class _Group(list):
    """Direct child modules reached through one attribute (a layer, or a list/dict of them)."""

    in_container = False


def _child_groups(layer, metrics: bool = False) -> list:
    """`layer._tork_direct()`'s children, grouped by the attribute that holds them.

    With `metrics`, the Metric attributes are groups too, where they were assigned.
    """
    pending = _metric_groups(layer) if metrics else []
    seqs = layer.__dict__.get("_tork_attr_seq") or {}
    children = layer._tork_direct()[1]
    index = {id(c) for c in children}
    groups: list = []
    placed: set = set()

    def leaves(module, out):
        for m in module._modules.values():
            if m is None:
                continue
            if _tracking.is_container(m):
                leaves(m, out)
            elif id(m) in index and id(m) not in placed:
                placed.add(id(m))
                out.append(m)

    for key, m in layer._modules.items():
        # The metrics assigned before this attribute come first.
        order = seqs.get(key)
        while pending and order is not None and pending[0][0] is not None and pending[0][0] < order:
            groups.append(pending.pop(0)[1])
        group = _Group()
        if m is None:
            pass
        elif _tracking.is_container(m) and key == "layers":
            # Sequential/Functional keep their layers in `layers` (read-only for users):
            # Keras 2 tracks those one by one.
            leaves(m, group)
            groups.extend(_Group([c]) for c in group)
            group = None
        elif _tracking.is_container(m):
            group.in_container = True
            leaves(m, group)
            # Keras 2 tracks a list/dict/tuple of variables (`self.ws = [w0, w1]`) as one
            # object where it was assigned: its variables come at that place, not last.
            _structure_variables(layer.__dict__.get(key), group, placed)
        elif id(m) in index and id(m) not in placed:
            placed.add(id(m))
            group.append(m)
        if group:
            groups.append(group)
    groups.extend(item[1] for item in pending)  # assigned after every sublayer
    # Anything not reached above (none expected) keeps _tork_direct's order at the end.
    groups.extend(_Group([c]) for c in children if id(c) not in placed)
    return groups


def _structure_variables(value, out: list, placed: set) -> None:
    """Appends the variables held in the (nested) list/tuple/dict `value` to `out`, in the
    user's order (dicts by insertion, as Keras 2 lists a dict of variables)."""
    if isinstance(value, torch.nn.Parameter):
        if id(value) not in placed:
            placed.add(id(value))
            out.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _structure_variables(item, out, placed)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _structure_variables(item, out, placed)


def _weights_of(child) -> list:
    """The weights of one tracked child: a layer, a metric or a plain torch module."""
    if isinstance(child, Layer):
        return child.weights
    if _is_metric(child):
        return list(child.variables)
    return list(child.parameters())


def _created_trainable(variable) -> bool:
    """Whether `variable` was created trainable (a frozen layer's weights are not now)."""
    return bool(getattr(variable, "_tork_created_trainable", _trainable(variable)))


def _group_weights(group, trainable: bool) -> list:
    out: list = []
    for child in group:
        if isinstance(child, torch.Tensor):
            if _trainable(child) == trainable:
                out.append(child)
        elif _is_metric(child):
            out.extend(() if trainable else child.variables)
        elif isinstance(child, Layer):
            out.extend(child.trainable_weights if trainable else child.non_trainable_weights)
        else:
            out.extend(p for p in child.parameters() if p.requires_grad == trainable)
    return out


def _dedup(weights) -> list:
    result, seen = [], set()
    for w in weights:
        if id(w) not in seen:
            seen.add(id(w))
            result.append(w)
    return result


def _weights_per_layer(cls) -> bool:
    """Whether `cls` is a Model: Keras 2 models list weights layer by layer, own last."""
    value = _WEIGHTS_PER_LAYER.get(cls)
    if value is None:
        value = _WEIGHTS_PER_LAYER[cls] = any(
            c.__name__ == "Model" and c.__module__.startswith("tork.") for c in cls.__mro__
        )
    return value


def _trainable(variable) -> bool:
    if isinstance(variable, Variable) or _string_weights.is_string_weight(variable):
        return variable.trainable
    return bool(variable.requires_grad)


def _short(variable) -> str:
    return getattr(variable, "path", None) or "weight"


def _is_plain(value) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


def _plain_shape(shape):
    if isinstance(shape, KerasShape):
        return tuple(shape)
    if isinstance(shape, (list, tuple)):
        return [_plain_shape(s) for s in shape]
    if isinstance(shape, dict):
        return {k: _plain_shape(v) for k, v in shape.items()}
    return shape


def _batchless_shape(outputs):
    if isinstance(outputs, torch.Tensor):
        return (None, *outputs.shape[1:]) if outputs.ndim else ()
    if isinstance(outputs, (list, tuple)):
        return [_batchless_shape(o) for o in outputs]
    if isinstance(outputs, dict):
        return {k: _batchless_shape(v) for k, v in outputs.items()}
    return None


# Whether tensors can live on more than one device here: only then do calls check devices.
_ACCELERATOR = torch.cuda.is_available() or (
    getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
)


def _convert_inputs(value, dtype):
    """Converts array-like inputs to tensors; floats go to `dtype` (None: keep their dtype)."""
    cast = dtype is not None and dtype.is_floating_point
    if isinstance(value, torch.Tensor):
        if cast and value.is_floating_point() and value.dtype is not dtype:
            return value.to(dtype)
        return value
    # NumPy scalars too (np.float32 is no Python float): as arrays, the input spec then
    # names the layer and the shape, as Keras does, instead of build failing on no shape.
    if isinstance(value, (np.ndarray, np.number, np.bool_)):
        tensor = convert_to_tensor(value)
        if cast and tensor.is_floating_point():
            tensor = tensor.to(dtype)
        return tensor
    if isinstance(value, list):
        if value and _is_numeric_nest(value):
            return _convert_inputs(convert_to_tensor(value), dtype)
        return [_convert_inputs(v, dtype) for v in value]
    if isinstance(value, tuple):
        items = [_convert_inputs(v, dtype) for v in value]
        # A namedtuple input (an RNN over `NestedInput(t1=..., t2=...)`) keeps its type.
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return {k: _convert_inputs(v, dtype) for k, v in value.items()}
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return convert_to_tensor(value)
    return value


def _is_numeric_nest(value) -> bool:
    """True for (nested) lists of plain numbers: one array, not a list of inputs."""
    if isinstance(value, (list, tuple)):
        return bool(value) and all(_is_numeric_nest(v) for v in value)
    return isinstance(value, (int, float, bool)) and not isinstance(value, np.ndarray)


def _is_ragged(value) -> bool:
    from tork._backend.ragged_tensor import RaggedTensor

    return isinstance(value, RaggedTensor)


def _mask_of(inputs):
    if isinstance(inputs, torch.Tensor):
        return getattr(inputs, "_keras_mask", None)
    if isinstance(inputs, (list, tuple)):
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
        return masks if any(m is not None for m in masks) else None
    if _is_ragged(inputs):
        # A ragged mask (Embedding(mask_zero=True) on ragged ids) travels on as a dense one
        # does, so a later RNN can refuse it as tf.keras does.
        return getattr(inputs, "_keras_mask", None)
    return None


def _clear_call_losses(root=None) -> None:
    """Forgets the losses added by earlier calls: of `root`'s layers, or of all with None.

    Keras 2 resets the call losses of the called layer and its sublayers only: a GAN loop
    reads `generator.losses` after calling the discriminator.
    """
    if root is None:
        for layer in _LAYERS_WITH_CALL_LOSSES:
            layer._tork_call_losses.clear()
        _LAYERS_WITH_CALL_LOSSES.clear()
        return
    tree = {id(layer) for layer in root._flatten_layers(include_self=True)}
    kept = []
    for layer in _LAYERS_WITH_CALL_LOSSES:
        if id(layer) in tree:
            layer._tork_call_losses.clear()
        else:
            kept.append(layer)
    _LAYERS_WITH_CALL_LOSSES[:] = kept


def _raise_in_place(layer) -> None:
    raise ValueError(
        f"{where(layer)} changed its input tensor in place in call() (e.g. `x -= 1.0`, "
        "`x[0] = 0.0` or `x.add_(1.0)`). tork tensors are torch tensors, so this would also "
        "change the caller's tensor and what other layers reading it see; TensorFlow always "
        "makes a new tensor. Compute a new tensor instead, e.g. `x = x - 1.0`."
    )


def _annotate(error: BaseException, layer, during: str = "call") -> None:
    """Adds, once, a note naming the innermost layer where an error happened."""
    if getattr(error, "_tork_annotated", False):
        return
    try:
        error._tork_annotated = True
    except AttributeError:
        return
    if " layer '" in str(error):
        return  # tork's own messages already name the layer
    if CONTEXT.symbolic and all(other is layer for other in CONTEXT.stack):
        return  # the functional API's note names this layer and its symbolic inputs
    if hasattr(error, "add_note"):
        # Keras 2's words (it rewrites the message; a note keeps the type and message).
        verb = "building" if during == "build" else "calling"
        outer = where(layer)[len(f"{type(layer).__name__} layer '{layer.name}'") :]
        error.add_note(
            f"Exception encountered when {verb} layer '{layer.name}' "
            f"(type {type(layer).__name__}){outer}."
        )


def _describe_mask(mask) -> str:
    """A short description of a mask for messages: shapes and dtypes, not the values."""
    if isinstance(mask, (list, tuple)):
        return "[" + ", ".join(_describe_mask(m) for m in mask) + "]"
    if isinstance(mask, dict):
        return "{" + ", ".join(f"{k!r}: {_describe_mask(m)}" for k, m in mask.items()) + "}"
    shape = getattr(mask, "shape", None)
    if shape is None:
        return repr(mask)
    dtype = _dtype_name_of(mask.dtype) if hasattr(mask, "dtype") else None
    return f"mask of shape {tuple(shape)}" + (f" and dtype {dtype}" if dtype else "")


def _first_leaf(value):
    """The first non-list item of a nested list/tuple (None if there is none)."""
    while isinstance(value, (list, tuple)):
        if not value:
            return None
        value = value[0]
    return value
