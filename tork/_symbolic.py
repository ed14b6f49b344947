"""TensorFlow and Keras ops applied to functional-API symbolic tensors.

tf.keras users write `x = tf.nn.relu(inputs)` or `keras.ops.sum(x, axis=1)` between
layers of a functional model. Keras 2 turned such calls into `TFOpLambda` layers; tork
records them as graph nodes of the op itself: the op runs on the symbolic tensors' fake
twins to infer its output shapes, and on real tensors when the model runs.

tork's ops convert their inputs with `convert_to_tensor`, which a symbolic tensor cannot
pass, so every public op function is wrapped once, when its namespace is loaded, by
`install`: the wrapper looks for symbolic tensors among the arguments (top level and
one list/tuple/dict level, as in `tf.concat([a, b], -1)`) and records a node instead
of computing. On ordinary tensors it adds one argument scan per call.
"""

from __future__ import annotations

import functools
import types


class SymbolicTensor:
    """Marker base of the functional API's symbolic tensors (`KerasTensor`)."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _TYPES.add(cls)


# The symbolic tensor classes: ops test `type(value) in _TYPES`, cheaper than isinstance
# on the hot path of every eager op call.
_TYPES: set = set()

# wrapped function -> wrapper, so that one op keeps one identity in every namespace
# (`tf.reduce_sum is tf.math.reduce_sum`).
_WRAPPERS: dict = {}

# Functions that read a symbolic tensor's static facts (or take none) rather than compute:
# they must see the symbolic tensor itself.
_STATIC = frozenset(
    {
        "convert_to_tensor",
        "convert_to_numpy",
        "is_tensor",
        "is_keras_tensor",
        "int_shape",
        "get_value",
        "set_value",
        "batch_get_value",
        "batch_set_value",
        "get_static_value",
        "executing_eagerly",
        "is_symbolic_tensor",
        "standardize_dtype",
        "result_type",
        "is_float_dtype",
        "is_int_dtype",
        "count_params",
        "dtype",
        "ndim",
        "name_scope",
        "print",
        "Print",
        "set_seed",
        "get_global_generator",
        "set_global_generator",
        "get",
        "serialize",
        "deserialize",
    }
)

# File and codec functions (re-exported by `tf.image`) take bytes and paths, not tensors.
_SKIPPED_MODULES = ("tork.ops.io", "tork.ops._gfile", "tork.ops.summary")

# Keras 3's `keras.ops.shape` returns the static shape of a symbolic tensor (a tuple with
# None), unlike TensorFlow's `tf.shape`, which is an op.
_STATIC_IN = {
    "keras.ops": frozenset({"shape"}),
    # Keras 2 backend functions that take callables, variables or nothing tensor-like.
    "keras.backend": frozenset(
        {
            "function",
            "rnn",
            "map_fn",
            "foldl",
            "foldr",
            "variable",
            "update",
            "update_add",
            "update_sub",
            "moving_average_update",
            "eval",
            "print_tensor",
            "learning_phase",
            "set_learning_phase",
            "get_uid",
            "reset_uids",
            "is_sparse",
            "to_dense",
            "clear_session",
            "floatx",
            "set_floatx",
            "epsilon",
            "set_epsilon",
            "image_data_format",
            "set_image_data_format",
            "backend",
        }
    ),
}


# TensorFlow's shape-reading ops. On symbolic tensors they give real values (computed from
# the fake twins' sizes), so that `tf.reshape(x, [tf.shape(x)[0], -1])` can be inferred.
_SHAPE_OPS = frozenset({"shape", "shape_n", "size", "rank"})


def _has_fake(args) -> bool:
    from torch._subclasses.fake_tensor import FakeTensor

    return any(isinstance(v, FakeTensor) for v in args)


def _constant_shape(function, args, kwargs):
    """A shape op on fake tensors (shape inference): its value, as a constant fake tensor.

    Fake tensors carry no data, so `tf.shape(x)[0]` would otherwise be unreadable inside
    a layer's `call` during inference (`tf.random.normal((tf.shape(z)[0], 2))`); a
    constant keeps its value through indexing and `int()`.
    """
    from torch._subclasses.fake_tensor import FakeTensor
    from torch.fx import Proxy
    from torch.fx.experimental import proxy_tensor
    from torch.utils._python_dispatch import _disable_current_modes

    static = all(isinstance(d, int) for v in args if isinstance(v, FakeTensor) for d in v.shape)
    if not static:
        # A symbolic size (torch.export's dynamic batch): the op must be traced as an op
        # of the graph, not baked in as a constant holding the example's size.
        return function(*args, **kwargs)
    # None outside make_fx (and on torch builds without the accessor).
    tracing = getattr(proxy_tensor, "get_proxy_mode", lambda: None)()
    with _disable_current_modes():
        real = function(*args, **kwargs)
    if isinstance(real, FakeTensor):
        # A shape op built on another one (K.shape is tf.shape): the inner call ran with the
        # modes disabled, so make_fx's tracer has not seen its constant; take its value and
        # register it below, or the compiled graph would hold a fake tensor as a constant.
        real = getattr(real, "constant", None)
        if real is None:
            return function(*args, **kwargs)
    mode = next(v.fake_mode for v in args if isinstance(v, FakeTensor))
    fake = mode.fake_tensor_converter.from_real_tensor(mode, real, make_constant=True)
    if tracing is not None:
        # make_fx is tracing a step (fit with jit_compile=True): its tracer must know the
        # value too, or `int(tf.shape(x)[-1])` (`tf.range(tf.shape(x)[-1])` in a positional
        # embedding) fails the trace as a data-dependent read and the step runs eagerly.
        tracer = tracing.tracer
        proxy = Proxy(tracer.create_arg(real), tracer)
        proxy_tensor.track_tensor_tree(fake, proxy, constant=real, tracer=tracer)
    return fake


def _in(value, types) -> bool:
    kind = type(value)
    if kind in types:
        return True
    if kind is list or kind is tuple:
        return any(type(v) in types for v in value)
    if kind is dict:
        return any(type(v) in types for v in value.values())
    return False


def _has_symbolic(args, kwargs) -> bool:
    types = _TYPES
    for value in args:
        if _in(value, types):
            return True
    if kwargs:
        for value in kwargs.values():
            if _in(value, types):
                return True
    return False


# TensorFlow's canonical names of functions it exports in several namespaces, where the
# namespace tork installs first names them otherwise: Keras 2 names op layers (`tf.nn.softmax`)
# and saves ops by these.
_CANONICAL = {
    "tf.linalg.eye": "tf.eye",
    "tf.linalg.norm": "tf.norm",
    "tf.nn.gather": "tf.gather",
    "tf.math.clip_by_value": "tf.clip_by_value",
    "tf.math.clip_by_norm": "tf.clip_by_norm",
    "tf.math.matmul": "tf.linalg.matmul",
    "tf.math.einsum": "tf.einsum",
    "tf.math.tensordot": "tf.tensordot",
    "tf.math.sort": "tf.sort",
    "tf.math.argsort": "tf.argsort",
    "tf.math.cast": "tf.cast",
    "tf.math.log_softmax": "tf.nn.log_softmax",
    "tf.math.softmax": "tf.nn.softmax",
    "tf.math.softsign": "tf.nn.softsign",
    "tf.math.special.bessel_i0": "tf.math.bessel_i0",
    "tf.math.special.bessel_i0e": "tf.math.bessel_i0e",
    "tf.math.special.bessel_i1": "tf.math.bessel_i1",
    "tf.math.special.bessel_i1e": "tf.math.bessel_i1e",
    "tf.nn.learned_unigram_candidate_sampler": "tf.random.learned_unigram_candidate_sampler",
    # swish is the function's own name (as TF/tf.keras 2 name it); configs keep `silu`.
    "tf.nn.swish": "tf.nn.silu",
    "keras.activations.swish": "keras.activations.silu",
}

from tork._symbolic_keras2 import (  # noqa: E402 - Keras 2's op names and paths
    _KERAS2_NAMES,
    _KERAS2_PATHS,
    _V1_TARGETS,
    _convert_to_tensor,
)


def _wrap(function, api_name: str):
    wrapper = _WRAPPERS.get(function)
    if wrapper is not None:
        return wrapper
    api_name = _CANONICAL.get(api_name, api_name)
    keras2_path = _KERAS2_PATHS.get(api_name)
    keras2_name = _KERAS2_NAMES.get(api_name, api_name)

    reads_shape = api_name.rpartition(".")[2] in _SHAPE_OPS and not api_name.startswith("keras.ops")

    @functools.wraps(function)
    def op(*args, **kwargs):
        if _has_symbolic(args, kwargs):
            from tork.keras.models.functional.node import call_torch_op

            if keras2_path is not None:
                outputs = keras2_path(*args, **kwargs)
                if outputs is not NotImplemented:
                    return outputs
            return call_torch_op(op, args, kwargs)
        if reads_shape and _has_fake(args):
            return _constant_shape(function, args, kwargs)
        return function(*args, **kwargs)

    op._tork_api_name = api_name
    op._tork_keras2_name = keras2_name
    op._tork_reads_shape = reads_shape
    _WRAPPERS[function] = op
    _WRAPPERS[op] = op
    return op


def symbolic_op(namespace: str):
    """Decorator: the function also records a graph node when given symbolic tensors.

    For functions that other modules import by identity (loss functions, found by
    `losses.get` and re-exported by `keras.metrics`), so the one wrapped function is the
    only one: `install` would put a wrapper in the public namespace alone.

    Args:
        namespace: the public namespace, e.g. `"keras.losses"`; the function is named in
            model configs by `namespace + "." + its __name__`.
    """

    def decorate(function):
        return _wrap(function, f"{namespace}.{function.__name__}")

    return decorate


def install(namespace: dict, api_prefix: str, only_wrapped: bool = False) -> None:
    """Makes the public op functions of a tork namespace accept symbolic tensors.

    Args:
        namespace: a module's `globals()` (or `__dict__`); its public functions defined in
            tork are replaced by wrappers, in place.
        api_prefix: the public name of the namespace, e.g. `"tf.math"` or `"keras.ops"`;
            a model config names the op by it (`"tf.math.reduce_sum"`).
        only_wrapped: replace only functions already wrapped for another namespace (for
            namespaces that also hold decorators and context managers, such as `tf`).
    """
    static = _STATIC | _STATIC_IN.get(api_prefix, frozenset())
    for name, value in list(namespace.items()):
        if name.startswith("_") or name in static or not isinstance(value, types.FunctionType):
            continue
        if only_wrapped:
            if value in _WRAPPERS:
                namespace[name] = _WRAPPERS[value]
            continue
        module = getattr(value, "__module__", None) or ""
        if module.startswith("tork.") and not module.startswith(_SKIPPED_MODULES):
            # An alias (`keras.losses.BCE`) is named by its function's own name when the
            # namespace has that too (`binary_crossentropy`), whichever comes first here.
            own = getattr(value, "__name__", name)
            if own != name and namespace.get(own) in (value, _WRAPPERS.get(value)):
                name_in_config = own
            else:
                name_in_config = name
            namespace[name] = _wrap(value, f"{api_prefix}.{name_in_config}")


def resolve(api_name: str):
    """The op function a model config names (`"tf.math.reduce_sum"`), or None.

    Only functions that `install` wrapped are returned: a config can name tork's ops, not
    arbitrary callables.
    """
    import importlib

    if api_name == _convert_to_tensor._tork_api_name:
        return _convert_to_tensor
    if api_name.startswith("tf.compat.v1."):
        # Keras 2's v1 names of v2 functions (see _CANONICAL): tork has them as tf.*.
        api_name = _V1_TARGETS.get(api_name, "tf." + api_name[len("tf.compat.v1.") :])
    parts = api_name.split(".")
    roots = {"tf": "tork", "keras": "tork.keras"}
    if len(parts) < 2 or parts[0] not in roots or not all(p.isidentifier() for p in parts):
        return None
    value = importlib.import_module(roots[parts[0]])
    for part in parts[1:]:
        if part.startswith("_"):
            return None
        value = getattr(value, part, None)
        if value is None:
            return None
    return value if _WRAPPERS.get(value) is value else None
