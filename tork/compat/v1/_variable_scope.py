"""TF 1's `tf.compat.v1.variable_scope` and `get_variable`, eager, owned by Keras layers.

TF 1 code (DIEN's attention GRU cells, `_linear` helpers, seq2seq cells) creates its
weights with `get_variable(name, shape, initializer=...)` inside `variable_scope(...)`
blocks rather than `add_weight`. Here:

- `variable_scope(name)` nests names (`"att/gates/kernel"`); `reuse` (True or
  `AUTO_REUSE`) is inherited by inner scopes; `initializer` and `dtype` are the inner
  `get_variable`s' defaults. A `VariableScope` object re-enters its own name.
- `get_variable` called while a Keras layer is being called (its `call`, or a TF 1
  `RNNCell` run by `dynamic_rnn`) makes the variable a weight of that layer with
  `add_weight`, so `fit` trains it and `get_weights`/`save_weights` see it, and the
  next call with the same full name returns the same variable. This is what TF 2 gives
  with the `tf.compat.v1.keras.utils.track_tf1_style_variables` decorator on `call`
  (without it TF 2 creates untracked variables, new on every call).
- Outside any layer each call makes a new `tf.Variable`, as eager TF 2 does.

TF 1's partitioners, caching devices and custom getters are accepted and unused
(`custom_getter` is called if given).
"""

from __future__ import annotations

import contextlib
import enum
import functools

import numpy as np
import torch

__all__ = [
    "AUTO_REUSE",
    "VariableScope",
    "get_variable",
    "get_variable_scope",
    "track_tf1_style_variables",
    "variable_scope",
]


class _ReuseMode(enum.Enum):
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


class VariableScope:
    """A TF 1 variable scope: its `name` and the defaults of the `get_variable`s inside.

    Args:
        reuse: True, `AUTO_REUSE` or None/False.
        name: the full name (`"outer/inner"`, `""` at the root).
        initializer: default initializer of the variables made inside.
        regularizer: default regularizer.
        caching_device: unused.
        partitioner: unused (TF 1's variable partitioning).
        custom_getter: optional `getter(getter, name, *args, **kwargs)`.
        name_scope: unused.
        dtype: default dtype of the variables made inside.
        use_resource: unused.
        constraint: default constraint.
    """

    def __init__(
        self,
        reuse=None,
        name="",
        initializer=None,
        regularizer=None,
        caching_device=None,
        partitioner=None,
        custom_getter=None,
        name_scope="",
        dtype="float32",
        use_resource=None,
        constraint=None,
    ):
        self.name = name
        self.reuse = reuse
        self.initializer = initializer
        self.regularizer = regularizer
        self.caching_device = caching_device
        self.partitioner = partitioner
        self.custom_getter = custom_getter
        self.original_name_scope = name_scope or (name + "/" if name else "")
        self.dtype = dtype
        self.use_resource = use_resource
        self.constraint = constraint

    def reuse_variables(self) -> None:
        """Makes this scope reuse its variables (`reuse=True`)."""
        self.reuse = True

    def set_initializer(self, initializer) -> None:
        self.initializer = initializer

    def set_regularizer(self, regularizer) -> None:
        self.regularizer = regularizer

    def set_partitioner(self, partitioner) -> None:
        self.partitioner = partitioner

    def set_dtype(self, dtype) -> None:
        self.dtype = dtype

    def set_caching_device(self, caching_device) -> None:
        self.caching_device = caching_device

    def set_custom_getter(self, custom_getter) -> None:
        self.custom_getter = custom_getter

    def set_use_resource(self, use_resource) -> None:
        self.use_resource = use_resource

    def get_variable(self, var_store=None, name=None, *args, **kwargs):
        """`get_variable(name, ...)` inside this scope."""
        with variable_scope(self):
            return get_variable(name, *args, **kwargs)

    def __repr__(self) -> str:
        return f"VariableScope(name={self.name!r}, reuse={self.reuse!r})"


_STACK: list = [VariableScope()]
# Names given to `variable_scope(None, default_name=...)`, per parent scope.
_DEFAULT_NAMES: dict = {}


def get_variable_scope() -> VariableScope:
    """The current `VariableScope` (the root one, named `""`, outside any scope)."""
    return _STACK[-1]


def _unique_default(parent: str, default_name: str) -> str:
    key = (parent, default_name)
    count = _DEFAULT_NAMES.get(key, 0)
    _DEFAULT_NAMES[key] = count + 1
    return default_name if count == 0 else f"{default_name}_{count}"


@contextlib.contextmanager
def variable_scope(
    name_or_scope,
    default_name=None,
    values=None,
    initializer=None,
    regularizer=None,
    caching_device=None,
    partitioner=None,
    custom_getter=None,
    reuse=None,
    dtype=None,
    use_resource=None,
    constraint=None,
    auxiliary_name_scope=True,
):
    """TF 1's `tf.compat.v1.variable_scope`: a context naming the variables made inside.

    Args:
        name_or_scope: a name (nested under the current scope) or a `VariableScope`
            (entered by its own full name).
        default_name: the name used when `name_or_scope` is None, made unique
            (`rnn`, `rnn_1`...).
        values: unused.
        initializer: default initializer of the variables made inside.
        regularizer: default regularizer.
        caching_device: unused.
        partitioner: unused.
        custom_getter: optional custom getter.
        reuse: True or `tf.compat.v1.AUTO_REUSE` to return existing variables (inherited
            by inner scopes); None inherits the outer scope's.
        dtype: default dtype of the variables made inside.
        use_resource: unused.
        constraint: default constraint.
        auxiliary_name_scope: unused.

    Yields:
        The entered `VariableScope`.

    Example:
    >>> with tf.compat.v1.variable_scope("att", reuse=tf.compat.v1.AUTO_REUSE) as scope:
    ...     scope.name
    'att'
    """
    del values, auxiliary_name_scope
    parent = get_variable_scope()
    if isinstance(name_or_scope, VariableScope):
        base = name_or_scope
        name = base.name
    elif name_or_scope is None and default_name is None:
        raise TypeError(
            "tf.compat.v1.variable_scope: give a name_or_scope, or a default_name when "
            "name_or_scope is None."
        )
    else:
        base = parent
        if name_or_scope is None:
            own = _unique_default(parent.name, str(default_name))
        else:
            own = str(name_or_scope)
        name = f"{parent.name}/{own}" if parent.name else own
    if reuse is False:
        reuse = None
    if reuse is None:
        reuse = parent.reuse if parent.reuse is not None else base.reuse
    elif parent.reuse is True:
        reuse = True  # TF 1: once reusing, inner scopes reuse too
    scope = VariableScope(
        reuse=reuse,
        name=name,
        initializer=initializer if initializer is not None else base.initializer,
        regularizer=regularizer if regularizer is not None else base.regularizer,
        caching_device=caching_device or base.caching_device,
        partitioner=partitioner if partitioner is not None else base.partitioner,
        custom_getter=custom_getter or base.custom_getter,
        dtype=dtype if dtype is not None else base.dtype,
        use_resource=use_resource,
        constraint=constraint if constraint is not None else base.constraint,
    )
    _STACK.append(scope)
    try:
        yield scope
    finally:
        _STACK.remove(scope)


def _owner():
    """The Keras layer being called, which owns the variables made now; None outside."""
    from tork.keras.layers._call_context import CONTEXT

    return CONTEXT.stack[-1] if CONTEXT.stack else None


def _is_value(initializer) -> bool:
    return isinstance(initializer, (torch.Tensor, np.ndarray, list, tuple, float, int))


def get_variable(
    name,
    shape=None,
    dtype=None,
    initializer=None,
    regularizer=None,
    trainable=None,
    collections=None,
    caching_device=None,
    partitioner=None,
    validate_shape=True,
    use_resource=None,
    custom_getter=None,
    constraint=None,
    synchronization=None,
    aggregation=None,
):
    """TF 1's `tf.compat.v1.get_variable`: the variable `name` of the current scope.

    Inside a Keras layer's call the variable is created once, as a weight of that
    layer (`add_weight`), and returned again by later calls with the same full name;
    outside layers every call makes a new `tf.Variable` (as eager TF 2).

    Args:
        name: the variable's name in the current `variable_scope`.
        shape: its shape (may be left out when `initializer` is a value).
        dtype: its dtype (default the scope's, float32).
        initializer: an initializer (TF 1's `tf.compat.v1.constant_initializer(...)`, a
            Keras initializer or name) or a value (tensor, array); default the scope's
            initializer, else Glorot uniform for floats and zeros otherwise.
        regularizer: optional regularizer (its penalty joins the layer's `losses`).
        trainable: whether training updates it (default True).
        collections: unused (TF 1's graph collections).
        caching_device: unused.
        partitioner: unused.
        validate_shape: unused.
        use_resource: unused.
        custom_getter: optional `getter(getter, name, *args, **kwargs)`.
        constraint: optional constraint applied after optimizer updates.
        synchronization: unused.
        aggregation: unused.

    Returns:
        The variable.

    Example:
    >>> class Scale(tf.keras.layers.Layer):
    ...     def call(self, x):
    ...         with tf.compat.v1.variable_scope("scale"):
    ...             w = tf.compat.v1.get_variable("w", [x.shape[-1]], initializer=tf.ones_initializer())
    ...         return x * w
    """
    del collections, caching_device, partitioner, validate_shape, use_resource
    del synchronization, aggregation
    scope = get_variable_scope()
    getter = custom_getter or scope.custom_getter
    kwargs = {
        "shape": shape,
        "dtype": dtype,
        "initializer": initializer,
        "regularizer": regularizer,
        "trainable": trainable,
        "constraint": constraint,
    }
    if getter is not None:
        return getter(_get_variable, name, **kwargs)
    return _get_variable(name, **kwargs)


def _get_variable(
    name,
    shape=None,
    dtype=None,
    initializer=None,
    regularizer=None,
    trainable=None,
    constraint=None,
    **unused,
):
    from tork._backend import dtypes

    scope = get_variable_scope()
    full_name = f"{scope.name}/{name}" if scope.name else str(name)
    dtype = dtypes.as_dtype(dtype if dtype is not None else scope.dtype or "float32")
    initializer = initializer if initializer is not None else scope.initializer
    regularizer = regularizer if regularizer is not None else scope.regularizer
    constraint = constraint if constraint is not None else scope.constraint
    trainable = True if trainable is None else bool(trainable)
    if shape is not None:
        shape = tuple(None if d is None else int(d) for d in shape)
    what = f"tf.compat.v1.get_variable({full_name!r})"
    owner = _owner()
    store = None if owner is None else owner.__dict__.setdefault("_tork_v1_variables", {})
    if store is not None and full_name in store:
        variable = store[full_name]
        if shape is not None and tuple(variable.shape) != shape:
            raise ValueError(
                f"{what}: Trying to share variable {full_name}, but specified shape "
                f"{list(shape)} and found shape {list(variable.shape)}. Give the shape it "
                "was created with, or another name."
            )
        return variable
    if _is_value(initializer):
        value = np.asarray(initializer)
        if shape is not None and tuple(value.shape) != shape:
            raise ValueError(
                f"{what}: the initial value has shape {list(value.shape)} but shape "
                f"{list(shape)} was given; leave out shape when the initializer is a value."
            )
        shape = tuple(value.shape)
        initializer = _constant(value)
    if shape is None or None in shape:
        raise ValueError(
            f"{what}: Shape of a new variable must be fully defined, but got {shape}. Give "
            "shape=[...] (or a value as the initializer)."
        )
    if initializer is None:
        initializer = "glorot_uniform" if dtype.is_floating_point else "zeros"
    if owner is None:
        from tork import Variable
        from tork.keras import initializers

        init = initializers.get(initializer)
        return Variable(init(shape, dtype=dtype), name=full_name, trainable=trainable)
    variable = owner.add_weight(
        name=full_name,
        shape=shape,
        dtype=dtype,
        initializer=initializer,
        regularizer=regularizer,
        trainable=trainable,
        constraint=constraint,
    )
    store[full_name] = variable
    return variable


def _constant(value: np.ndarray):
    def initializer(shape, dtype=None, **kwargs):
        return torch.as_tensor(value.copy()).to(dtype) if dtype is not None else value

    return initializer


def track_tf1_style_variables(method):
    """TF 2's `tf.compat.v1.keras.utils.track_tf1_style_variables`: returns `method`.

    In TF 2 this decorator on a layer's `call` makes the `get_variable`s inside create
    their variables once, as the layer's weights. tork always does that for
    `get_variable` called during a layer's call, so the decorator changes nothing.

    Args:
        method: the layer's `call` (or a method it calls).

    Returns:
        `method`, wrapped.
    """

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        return method(*args, **kwargs)

    return wrapper
