"""`tf.function`: eager by default, `torch.compile` with `jit_compile=True`.

TensorFlow traces a `tf.function` into a graph; tork runs the Python function
itself, which gives the same numbers with PyTorch's eager speed, and keeps
tracebacks pointing at the user's own lines. The one behaviour that differs:
Python side effects (`print`, appending to a list, counters) run on *every*
call in tork, not only while TensorFlow traces. Use `tf.print` or ordinary
Python for output that should appear each step.

With `jit_compile=True` the first call runs eagerly. A function that applies
gradients (a `GradientTape` training step) is then traced and compiled as one
graph, backward pass and optimizer update included (see `tork/_whole_function.py`
for the TensorFlow-like capture rules); any other function is compiled with
`torch.compile`. Either falls back to eager, with a warning, where it cannot
compile.
`tf.config.run_functions_eagerly(True)` turns compilation off everywhere.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import inspect
import types
import warnings
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from tork import config as _config
from tork import variables
from tork._backend import host_memory
from tork._inplace import writable_copies, writes_in_place
from tork._whole_function import WholeFunction
from tork.ops import gradients as _gradients
from tork.ops.py_function import graph_function

# TF 2.21's text. TF fails on the first call; tork too for variables nothing keeps, and on
# the second call for the others (tork runs the function once per call, it cannot trace it
# a second time silently).
_VARIABLE_PER_CALL_MESSAGE = (
    "tf.function only supports singleton tf.Variables created on the first call. Make sure "
    "the tf.Variable is only created once or created outside tf.function. See "
    "https://www.tensorflow.org/guide/function#creating_tfvariables for more information."
)

__all__ = ["Function", "function"]

# Distinct call signatures remembered per function.
_MAX_SEEN = 4096

# Marks a tensor in a trace key: (_TENSOR, dtype, shape).
_TENSOR = object()


_SCALARS = frozenset({bool, int, float, str, complex, type(None)})


def _tf_dtype_name(dtype) -> str:
    """`torch.float32` -> `float32`: error messages speak TensorFlow's dtype names."""
    return str(dtype).replace("torch.", "")


class _SignatureMismatchError(TypeError, ValueError):
    """An argument does not fit `input_signature`.

    TensorFlow 2.21 raises TypeError here and earlier TF 2 versions ValueError, so code
    catching either keeps working.
    """


def _trace_key(value):
    """A hashable summary of an argument under TF's retracing rules.

    Tensors count by dtype and shape, Python scalars and strings by value,
    containers by their items, other objects by identity.
    """
    if isinstance(value, torch.Tensor):
        return (_TENSOR, value.dtype, value.shape)
    if value.__class__ in _SCALARS:
        return (value.__class__, value)
    if isinstance(value, (list, tuple)):
        return (type(value), _args_key(value))
    if isinstance(value, dict):
        items = [(k, _trace_key(v)) for k, v in value.items()]
        try:
            items.sort(key=lambda item: item[0])
        except TypeError:
            pass
        return (dict, tuple(items))
    if isinstance(value, np.ndarray):
        # String tensors are ndarrays whose dtype is tf.string (no NumPy `.str`).
        dtype = value.dtype
        return (_TENSOR, getattr(dtype, "str", dtype), tuple(value.shape))
    if isinstance(value, (bool, int, float, str)):  # subclasses such as numpy scalars
        return (type(value), value)
    return (type(value), id(value))


def _numpy_to_tensors(value):
    """`value` with its NumPy arrays and scalars made tensors, as TensorFlow's trace does.

    `tf.function` traces NumPy arguments as tensor inputs, so inside the function they are
    tensors (`tape.watch(image)` on an array passed in works; NumPy's in-place operators
    do not write into the caller's array). Python numbers stay Python numbers, as in TF.
    Arrays that are not numbers (strings, objects) are left as they are.
    """
    if type(value) is np.ndarray or isinstance(value, np.generic):
        if value.dtype.kind not in "biufc":
            return value
        from tork._backend.tensor import convert_to_tensor

        return convert_to_tensor(value)
    if isinstance(value, (list, tuple)):
        items = [_numpy_to_tensors(v) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        if hasattr(value, "_fields"):  # a namedtuple
            return type(value)(*items)
        return type(value)(items)
    if isinstance(value, dict):
        converted = {k: _numpy_to_tensors(v) for k, v in value.items()}
        if all(converted[k] is v for k, v in value.items()):
            return value
        if type(value) is dict:
            return converted
        try:
            return type(value)(converted)
        except TypeError:  # e.g. a defaultdict: its first argument is the factory
            return converted
    return value


def _python_numbers_to_tensors(result):
    """Returns a function's result with Python and NumPy numbers made tensors.

    A TensorFlow graph can only return tensors, so `tf.function` turns a returned `0` or
    `np.float64(1.5)` into a constant tensor (`if x > 0: return x else: return 0` gives a
    tensor on both branches), and a returned Python string into a `tf.string` tensor
    (`return 'Positive'` gives `b'Positive'`, with `.numpy()`). Other objects (None,
    layers...) are returned as they are.
    """
    if isinstance(result, variables.Variable):
        # A graph returns a variable's value, not the variable: a later assign must not
        # change what an earlier call returned (`r = increment(); increment()`).
        return result.read_value()
    if isinstance(result, torch.Tensor) or result is None:
        return result
    if isinstance(result, (str, bytes)):
        from tork._backend.tensor import convert_to_tensor

        return convert_to_tensor(result)
    numeric = isinstance(result, (bool, int, float, complex)) or (
        # Exact NumPy types only: string tensors subclass np.ndarray.
        type(result) in (np.ndarray,) or isinstance(result, np.generic)
    )
    if numeric:
        if getattr(getattr(result, "dtype", None), "kind", "f") not in "biufc":
            return result
        from tork._backend.tensor import convert_to_tensor

        return convert_to_tensor(result)
    if isinstance(result, dict):
        return type(result)((k, _python_numbers_to_tensors(v)) for k, v in result.items())
    if isinstance(result, (list, tuple)):
        items = [_python_numbers_to_tensors(v) for v in result]
        if hasattr(result, "_fields"):  # a namedtuple
            return type(result)(*items)
        return type(result)(items)
    return result


def _args_key(args) -> tuple:
    # The common case (tensors and Python scalars) inline: this runs on every call.
    out = []
    for v in args:
        if isinstance(v, torch.Tensor):
            out.append((_TENSOR, v.dtype, v.shape))
        elif v.__class__ in _SCALARS:
            out.append((v.__class__, v))
        else:
            out.append(_trace_key(v))
    return tuple(out)


def _map_tensors(fn, value):
    """`value` with `fn` applied to each tensor in its lists, tuples and dicts."""
    if isinstance(value, torch.Tensor):
        return fn(value)
    if isinstance(value, (list, tuple)):
        items = [_map_tensors(fn, v) for v in value]
        if all(a is b for a, b in zip(items, value)):
            return value
        if hasattr(value, "_fields"):  # a namedtuple
            return type(value)(*items)
        return type(value)(items)
    if isinstance(value, dict) and type(value) is dict:
        return {k: _map_tensors(fn, v) for k, v in value.items()}
    return value


def _names_gradients(function) -> bool:
    """Whether `function`'s code (nested functions included) names `gradients`/`hessians`."""
    code = getattr(inspect.unwrap(function), "__code__", None)
    if code is None:  # a callable object: its class's __call__
        code = getattr(vars(type(function)).get("__call__"), "__code__", None)
    stack = [code] if code is not None else []
    while stack:
        code = stack.pop()
        if "gradients" in code.co_names or "hessians" in code.co_names:
            return True
        stack.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return False


def _record_arguments(value):
    """`value` with its floating-point tensors recorded by autograd (variables kept).

    A variable stays itself: a recorded copy would take its `assign`s.
    """
    return _map_tensors(
        lambda t: t if isinstance(t, variables.Variable) else _gradients.recorded(t), value
    )


def _is_tensor_key(key) -> bool:
    return type(key) is tuple and len(key) == 3 and key[0] is _TENSOR


def _covers(spec, key) -> bool:
    """True when the (possibly relaxed) trace `spec` accepts the call `key`."""
    if _is_tensor_key(spec):
        if not _is_tensor_key(key) or spec[1] != key[1] or len(spec[2]) != len(key[2]):
            return False
        return all(s is None or s == k for s, k in zip(spec[2], key[2]))
    if type(spec) is tuple and type(key) is tuple and len(spec) == len(key):
        return all(_covers(s, k) for s, k in zip(spec, key))
    return spec == key


def _relax(spec, key):
    """`spec` widened to also accept `key` (differing dims become None), or None."""
    if _is_tensor_key(spec):
        if not _is_tensor_key(key) or spec[1] != key[1] or len(spec[2]) != len(key[2]):
            return None
        shape = tuple(s if s == k else None for s, k in zip(spec[2], key[2]))
        return (_TENSOR, spec[1], shape)
    if type(spec) is tuple and type(key) is tuple and len(spec) == len(key):
        items = []
        for s, k in zip(spec, key):
            r = _relax(s, k)
            if r is None and not (s is None and k is None):
                return None
            items.append(r)
        return tuple(items)
    return spec if spec == key else None


def _is_compiler_error(error: BaseException) -> bool:
    """True for errors raised by torch.compile's machinery rather than user code."""
    for cls in type(error).__mro__:
        module = cls.__module__ or ""
        if module.startswith(("torch._dynamo", "torch._inductor", "torch._functorch")):
            return True
    return False


def _spec_dtype(spec):
    from tork._backend.dtypes import as_dtype

    dtype = getattr(spec, "dtype", None)
    return None if dtype is None else as_dtype(dtype)


def _spec_shape(spec):
    shape = getattr(spec, "shape", None)
    if shape is None:
        return None
    dims = getattr(shape, "dims", shape)
    if dims is None:
        return None
    return tuple(None if d is None else int(getattr(d, "value", d)) for d in dims)


def _is_spec(obj) -> bool:
    return (
        not isinstance(obj, (torch.Tensor, np.ndarray))
        and hasattr(obj, "shape")
        and hasattr(obj, "dtype")
    )


def _describe(value) -> str:
    if isinstance(value, torch.Tensor):
        return f"tensor(shape={tuple(value.shape)}, dtype={value.dtype})"
    return repr(value)


def _type_text(value, output: bool = False) -> str:
    """TensorFlow's text for a traced value's type: `TensorSpec(...)`, `Literal[2]`, `List[...]`.

    Outputs are what TF's trace returns: Python numbers became tensors.
    """
    from tork._backend.dtypes import as_dtype, dtype_name

    if isinstance(value, torch.Tensor) or (
        isinstance(value, np.ndarray) and (not output or value.dtype != object)
    ):
        dtype = value.dtype if isinstance(value, torch.Tensor) else as_dtype(value.dtype)
        return f"TensorSpec(shape={tuple(value.shape)}, dtype=tf.{dtype_name(dtype)}, name=None)"
    if _is_spec(value):
        return repr(value)
    if isinstance(value, list):
        return "List[" + ", ".join(_type_text(v, output) for v in value) + "]"
    if isinstance(value, tuple):
        return "Tuple[" + ", ".join(_type_text(v, output) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"[{k!r}, {_type_text(v, output)}]" for k, v in value.items())
        return f"Dict[{items}]"
    if output and isinstance(value, (bool, int, float, complex, np.generic)):
        return _type_text(np.asarray(value if not isinstance(value, int) else np.int32(value)))
    return f"Literal[{value!r}]"


def _signature_text(parameters: str, output: str | None) -> str:
    """One concrete function as TF's `pretty_printed_concrete_signatures` shows it."""
    lines = ["Input Parameters:"]
    if parameters:
        lines.append(parameters)
    lines.append("Output Type:")
    # tork does not trace: the output type is known once a call has returned.
    lines.append("  " + (output if output is not None else "unknown until called (tork)"))
    # tork does not track captured variables (TF lists one resource per variable read).
    lines += ["Captures:", "  None"]
    return "\n".join(lines)


def _throwaway(created: list) -> bool:
    """Whether a variable of `created` (weak references) is kept by no Python object.

    Such a variable was local to the call, or is only returned (the caller's local
    variables and the result's autograd graph, which hold it, are no gc referrers).
    """
    alive = [ref() for ref in created]
    if any(v is None for v in alive):
        return True
    ids = {id(v) for v in alive}
    kept = set()
    for holder in gc.get_referrers(*alive):
        if holder is alive:
            continue
        kept.update(id(v) for v in gc.get_referents(holder) if id(v) in ids)
    return len(kept) < len(ids)


class Function:
    """A callable made by `tf.function`; runs the Python function eagerly.

    It keeps the wrapped function's name and docstring, binds to instances when
    used on a method (one `Function` per instance), and with `jit_compile=True`
    compiles with `torch.compile` on first call.

    Unlike TensorFlow, Python side effects inside the function run on every call.

    Args:
        python_function: the function to wrap.
        input_signature: optional list of `tf.TensorSpec`-like objects (with
            `shape` and `dtype`); calls are checked against it and Python or
            NumPy arguments converted to tensors of the spec's dtype.
        jit_compile: compile with `torch.compile` when True.
        reduce_retracing: count traces as TensorFlow does with relaxed shapes.
    """

    def __init__(
        self,
        python_function: Callable,
        input_signature=None,
        jit_compile: bool | None = None,
        reduce_retracing: bool = False,
        autograph: bool = True,
    ):
        if not callable(python_function):
            raise TypeError(
                f"tf.function expects a callable, got {type(python_function).__name__}."
            )
        functools.update_wrapper(self, python_function)
        for attr in ("__name__", "__qualname__"):
            if not hasattr(self, attr):
                # A callable object (d2l's `net = tf.function(net)` on a Keras model) has
                # neither; error messages and repr() name the function by them.
                setattr(self, attr, type(python_function).__name__)
        try:
            # For inspect.getfullargspec, which does not follow __wrapped__.
            self.__signature__ = inspect.signature(python_function)
        except (TypeError, ValueError):
            pass
        self._python_function = python_function
        if input_signature is not None and not isinstance(input_signature, (list, tuple)):
            # TF refuses a bare spec too; `list(spec)` would fail with "not iterable".
            raise TypeError(
                "input_signature must be either a tuple or a list, got "
                f"{type(input_signature).__name__}. Wrap a single spec in a list: "
                "input_signature=[tf.TensorSpec(...)]."
            )
        self._input_signature = None if input_signature is None else list(input_signature)
        self._jit_compile = bool(jit_compile)
        self._reduce_retracing = bool(reduce_retracing)
        self._autograph = autograph
        self._seen: set = set()
        self._relaxed: list = []
        self._trace_count = 0
        self._first_call_done = False
        # (parameters text, output type text) of each trace, for pretty_printed_...().
        self._signatures: list = []
        # ConcreteFunctions by parameters text (see get_concrete_function).
        self._concrete: dict = {}
        self._compiled = None
        self._whole = None
        self._compile_disabled = False
        self._bound: dict[int, Function] | None = None
        self._bind_signature = None
        # Set on the per-instance Functions of a method: a weak reference, so that
        # caching them per instance does not keep instances alive.
        self._instance_ref = None
        # Whether the function has augmented assignments (`img /= 255.0`): see __call__.
        self._copies_args = None
        # Whether its tensor arguments must be recorded for tf.gradients (_call_eagerly).
        self._record_inputs = None

    # -- public attributes -------------------------------------------------------
    @property
    def python_function(self) -> Callable:
        """The wrapped Python function (a bound method for an instance's function)."""
        if self._instance_ref is not None:
            return types.MethodType(self._python_function, self._instance())
        return self._python_function

    @property
    def input_signature(self):
        """The `input_signature` given to `tf.function`, or None."""
        return self._input_signature

    def experimental_get_tracing_count(self) -> int:
        """How many traces TensorFlow would have made for the calls so far.

        A new trace is counted for each new combination of tensor shapes and
        dtypes, Python scalar values and object identities (shapes relaxed with
        `reduce_retracing=True`, one trace with an `input_signature`).
        """
        return self._trace_count

    def get_concrete_function(self, *args, **kwargs) -> Callable:
        """Returns a callable for these argument types; in tork, the function itself.

        Args:
            *args: example arguments or `tf.TensorSpec`-like objects.
            **kwargs: example keyword arguments.

        Returns:
            A callable taking the same arguments.
        """
        if not args and not kwargs and self._input_signature is not None:
            args = tuple(self._input_signature)
        elif not args and not kwargs:
            self._check_bindable()
        elif not any(_is_spec(a) for a in args) and not any(_is_spec(v) for v in kwargs.values()):
            self._note_call(args, kwargs)
        elif self._input_signature is None:
            self._note_spec_trace(args, kwargs)
        # As TensorFlow, the same argument types give the same concrete function object.
        parameters = self._parameters_text(args, kwargs)
        cache = self.__dict__.setdefault("_concrete", {})
        concrete = cache.get(parameters)
        if concrete is None:
            concrete = cache[parameters] = ConcreteFunction(self, args, kwargs)
        return concrete

    def _check_bindable(self) -> None:
        """TF refuses `get_concrete_function()` without the arguments the function needs."""
        # A method's bound Function carries a signature without `self` (see `_bind`).
        signature = self.__dict__.get("__signature__")
        if signature is None:
            return
        try:
            signature.bind()
        except TypeError as error:
            raise TypeError(
                f"Binding inputs to tf.function `{self.__name__}` failed due to `{error}`: "
                "get_concrete_function() needs an example argument or a tf.TensorSpec for "
                "each parameter, e.g. f.get_concrete_function(tf.TensorSpec([None], "
                "tf.float32))."
            ) from None

    def experimental_get_compiler_ir(self, *args, **kwargs):
        """Not available: tork compiles with torch.compile, not XLA."""
        from tork._backend.errors import not_implemented

        raise not_implemented("tf.function.experimental_get_compiler_ir")

    def pretty_printed_concrete_signatures(self, verbose: bool = True) -> str:
        """The signatures of the traces so far, one block each, as TensorFlow prints them.

        A trace is listed once its first call has returned (tork runs the function instead
        of tracing it). Captured variables are not listed (`Captures: None`).

        Args:
            verbose: False gives one line per trace: `(x: TensorSpec(...)) -> TensorSpec(...)`.

        Returns:
            The text, blocks separated by blank lines.
        """
        signatures = self._signatures
        if not signatures and self._input_signature is not None:
            # TF traces an input_signature function when asked; tork knows its inputs.
            signatures = [(self._parameters_text(tuple(self._input_signature), {}), None)]
        if not verbose:
            return "\n".join(f"({_one_line(params)}) -> {output}" for params, output in signatures)
        return "\n\n".join(_signature_text(p, o) for p, o in signatures)

    def _parameters_text(self, args, kwargs) -> str:
        """`  x (POSITIONAL_OR_KEYWORD): TensorSpec(...)` lines for these arguments."""
        try:
            signature = inspect.signature(self.python_function)
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
        except (TypeError, ValueError):
            return "\n".join(
                f"  {i} (POSITIONAL_ONLY): {_type_text(a)}" for i, a in enumerate(args)
            )
        return "\n".join(
            f"  {name} ({signature.parameters[name].kind.name}): {_type_text(value)}"
            for name, value in bound.arguments.items()
        )

    def _record_signature(self, args, kwargs, result) -> None:
        if len(self._signatures) >= _MAX_SEEN:
            return
        if self._input_signature is not None:
            # TF shows the signature's specs (None sizes, names), not the call's shapes.
            args, kwargs = tuple(self._input_signature), {}
        self._signatures.append(
            (self._parameters_text(args, kwargs), _type_text(result, output=True))
        )

    # -- calling -------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        key = None
        traces = self._trace_count
        if self._input_signature is not None:
            args, kwargs = self._apply_signature(args, kwargs)
        else:
            if not _config.functions_run_eagerly():
                # TF traces NumPy arguments as tensors; run_functions_eagerly(True) calls the
                # Python function with the arguments as given.
                args = _numpy_to_tensors(args)
                if kwargs:
                    kwargs = _numpy_to_tensors(kwargs)
            key = (_args_key(args), _trace_key(kwargs)) if kwargs else _args_key(args)
            self._note_call(args, kwargs, key)
        if self._copies_args is None:
            self._copies_args = writes_in_place(self._python_function, follow_helpers=True)
        if self._copies_args:
            # TF's tensors are immutable: `img = tf.image.resize(img, size); img /= 255.0`
            # must not write into the caller's tensor (a resize to the same size, a cast to
            # the same dtype return their input). Such functions get private copies.
            args, kwargs = writable_copies(args), writable_copies(kwargs)
        call_args = args if self._instance_ref is None else (self._instance(),) + args
        # A training step frees its activations before it returns: keep them for the next
        # call (see host_memory).
        # TF runs the function as a graph: numpy_function in it gets graph mode's inputs.
        graph = contextlib.nullcontext() if _config.functions_run_eagerly() else graph_function()
        with host_memory.retained(release=False), graph:
            if (
                self._jit_compile
                and not self._compile_disabled
                and not _config.functions_run_eagerly()
                # enable_check_numerics checks each op: a compiled graph would skip them.
                and not _config._checking_numerics
            ):
                result = self._call_compiled(call_args, kwargs, key)
            else:
                result = self._call_eagerly(call_args, kwargs)
        if traces != self._trace_count:
            # A call TensorFlow would trace: its signature is listed once it returns.
            self._record_signature(args, kwargs, result)
        return result

    def _call_eagerly(self, args, kwargs):
        """Runs the Python function, recording its tensor arguments when it needs them.

        `tf.gradients(y, x)` on an argument `x` works in TensorFlow's graph, but autograd
        only differentiates with respect to tensors recorded before `y` was computed. A
        function that meets such an argument (`InputsNotRecordedError`) runs again with its
        floating-point tensor arguments recorded, and so do its later calls. The Python
        code before the `tf.gradients` call has then run twice in that first call, unless
        the function's own code names `gradients`/`hessians` (it records from the start).
        """
        if self._record_inputs is None:
            # Known from the code when it calls tf.gradients itself: no second run then.
            self._record_inputs = _names_gradients(self._python_function)
        if self._record_inputs:
            return self._call_recording_inputs(args, kwargs)
        try:
            return self._call_python(args, kwargs)
        except _gradients.InputsNotRecordedError:
            result = self._call_recording_inputs(args, kwargs)
            self._record_inputs = True
            return result

    def _call_recording_inputs(self, args, kwargs):
        """`_call_python` with its tensor arguments recorded (see `_call_eagerly`)."""
        with _gradients.recording() as was_off:
            args, kwargs = _record_arguments(args), _record_arguments(kwargs)
            result = self._call_python(args, kwargs)
        # Under no_grad (a predict step) the result must not carry a graph.
        return _map_tensors(_gradients.detached, result) if was_off else result

    def _call_python(self, args, kwargs):
        if self._first_call_done:
            created = variables._created
            result = self._python_function(*args, **kwargs)
            # As TensorFlow, only the first call may create variables.
            if created != variables._created and not _config.functions_run_eagerly():
                raise ValueError(_VARIABLE_PER_CALL_MESSAGE)
            return _python_numbers_to_tensors(result)
        result = _python_numbers_to_tensors(self._first_call(args, kwargs))
        self._first_call_done = True
        return result

    def _first_call(self, args, kwargs):
        """Runs the first call, raising TensorFlow's error if it creates throwaway variables.

        TensorFlow traces a first call that creates variables twice and raises at once when
        the second trace creates more. tork runs the function once: a variable that nothing
        keeps after the call (a local one, or one the function returns) would be created
        again by every call, so the first call raises for it too. Variables kept elsewhere
        are checked on the second call (see __call__).
        """
        previous = variables._recording
        variables._recording = created = []
        try:
            result = self._python_function(*args, **kwargs)
        finally:
            variables._recording = previous
            if previous is not None:  # an enclosing tf.function's first call sees them too
                previous.extend(created)
        if created and not _config.functions_run_eagerly() and _throwaway(created):
            raise ValueError(_VARIABLE_PER_CALL_MESSAGE)
        return result

    def _instance(self):
        instance = self._instance_ref()
        if instance is None:
            raise ReferenceError(
                f"`{self.__qualname__}` was bound to an object that no longer exists. Keep a "
                "reference to the object while calling its tf.function methods."
            )
        return instance

    def _note_call(self, args, kwargs, key=None) -> None:
        if key is not None and key in self._seen:
            return  # the same call as before: binding it again changes nothing
        given = key
        bound_args, bound_kwargs = self._bound_arguments(args, kwargs)
        if key is None or bound_args is not args or bound_kwargs is not kwargs:
            args, kwargs = bound_args, bound_kwargs
            key = (_args_key(args), _trace_key(kwargs)) if kwargs else _args_key(args)
        if given is not None and given != key:
            self._seen.add(given)  # later calls written the same way skip the binding
        if key not in self._seen:
            spec_traces = self.__dict__.get("_spec_traces", ())
            if any(_covers(spec, key) for spec in spec_traces):
                # A call that fits a get_concrete_function(TensorSpec...) trace reuses it.
                self._seen.add(key)
                return
            self._new_key(key)

    def _note_spec_trace(self, args, kwargs) -> None:
        """Counts the trace `get_concrete_function(tf.TensorSpec(...), ...)` makes.

        TF traces once for the specs; later calls whose tensors fit them (None dims
        match any size) reuse that trace.
        """
        args, kwargs = self._bound_arguments(args, kwargs)

        def spec_key(value):
            if _is_spec(value):
                shape = _spec_shape(value)
                if shape is None:  # unknown rank: nothing to compare calls with
                    return None
                return (_TENSOR, _spec_dtype(value), shape)
            if isinstance(value, (list, tuple)):
                items = [spec_key(v) for v in value]
                return None if any(i is None for i in items) else (type(value), tuple(items))
            return _trace_key(value)

        if kwargs:
            return  # keyword-only specs: counted by the calls, as before
        items = [spec_key(a) for a in args]
        if any(i is None for i in items):
            return
        key = tuple(items)
        spec_traces = self.__dict__.setdefault("_spec_traces", [])
        if any(_covers(spec, key) for spec in spec_traces):
            return
        spec_traces.append(key)
        self._trace_count += 1

    def _bound_arguments(self, args, kwargs) -> tuple[tuple, dict]:
        """`args`/`kwargs` bound to the Python signature, defaults filled in.

        TF traces the bound arguments: `f(x)`, `f(x, 1)` and `f(x, k=1)` for
        `def f(a, k=1)` are one trace. Calls that do not bind are counted as given.
        """
        cached = self.__dict__.get("_python_signature", False)
        if cached is False:
            try:
                signature = inspect.signature(self._python_function)
            except (TypeError, ValueError):
                signature = None
            plain = signature is not None and all(
                p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                for p in signature.parameters.values()
            )
            # (signature, how many parameters when all are plain positional, else -1)
            cached = (signature, len(signature.parameters) if plain else -1)
            self.__dict__["_python_signature"] = cached
        signature, n_plain = cached
        if signature is None:
            return args, kwargs
        bound_self = self._instance_ref is not None
        if not kwargs and len(args) + bound_self == n_plain:
            return args, kwargs  # every parameter given positionally: nothing to bind
        try:
            bound = signature.bind(*((None,) + tuple(args) if bound_self else args), **kwargs)
        except TypeError:
            return args, kwargs
        bound.apply_defaults()
        return (bound.args[1:] if bound_self else bound.args), bound.kwargs

    def _new_key(self, key) -> None:
        if len(self._seen) >= _MAX_SEEN:
            # Bounded memory for loops passing ever-new Python values (TF retraces each).
            self._seen.clear()
        self._seen.add(key)
        if not self._reduce_retracing:
            self._trace_count += 1
            return
        for spec in self._relaxed:
            if _covers(spec, key):
                return
        for i, spec in enumerate(self._relaxed):
            relaxed = _relax(spec, key)
            if relaxed is not None:
                self._relaxed[i] = relaxed
                self._trace_count += 1
                return
        self._relaxed.append(key)
        self._trace_count += 1

    def _call_compiled(self, args, kwargs, key=None):
        whole = self._whole
        if whole is None:
            whole = self._whole = WholeFunction(self._python_function, self.__name__)
        if whole.reason is not None:
            # A training step that cannot be one graph: eager beats dynamo's fragments.
            return self._python_function(*args, **kwargs)
        if not whole.delegate:
            # Training steps (they apply gradients) become one graph; see _whole_function.
            if key is None:  # an input_signature call: the key of the converted arguments
                key = (_args_key(args), _trace_key(kwargs)) if kwargs else _args_key(args)
            return whole(key, args, kwargs)
        compiled = self._compiled
        if compiled is None:
            try:
                # Half-precision intermediates rounded as eager (see compiled_step).
                compiled = self._compiled = torch.compile(
                    self._python_function, options={"emulate_precision_casts": True}
                )
            except Exception as error:  # torch.compile missing or unsupported here
                self._give_up_compiling(error)
                return self._python_function(*args, **kwargs)
        try:
            return compiled(*args, **kwargs)
        except Exception as error:
            if not _is_compiler_error(error):
                raise
            compile_error = error
        # Run eagerly: a genuine user error then surfaces with the user's own line,
        # and compilation stays on. If eager works, the compiler was at fault.
        result = self._python_function(*args, **kwargs)
        self._give_up_compiling(compile_error)
        return result

    def _give_up_compiling(self, error: BaseException) -> None:
        self._compile_disabled = True
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        warnings.warn(
            f"tf.function(jit_compile=True) could not compile `{self.__name__}` with "
            f"torch.compile ({type(error).__name__}: {first_line}); it runs eagerly instead "
            "(same results, no compilation speed-up).",
            RuntimeWarning,
            stacklevel=4,
        )

    # -- input_signature -------------------------------------------------------------
    def _apply_signature(self, args, kwargs):
        signature = self._input_signature
        if kwargs:
            if self._bind_signature is None:
                self._bind_signature = inspect.signature(self.python_function)
            bound = self._bind_signature.bind(*args, **kwargs)
            ordered = list(bound.args)
            extra = dict(bound.kwargs)
        else:
            ordered, extra = list(args), {}
        if len(ordered) != len(signature) or extra:
            raise TypeError(
                f"`{self.__name__}` was called with {len(ordered) + len(extra)} argument(s) "
                f"but its input_signature has {len(signature)}: "
                f"inputs {[_describe(a) for a in ordered]}, input_signature {signature}. "
                "Pass exactly one argument per spec."
            )
        converted = tuple(
            self._match_spec(spec, value, i)
            for i, (spec, value) in enumerate(zip(signature, ordered))
        )
        if self._trace_count == 0:
            self._trace_count = 1
        return converted, {}

    def _match_spec(self, spec, value, position):
        if isinstance(spec, (list, tuple)):
            if not isinstance(value, (list, tuple)) or len(value) != len(spec):
                raise _SignatureMismatchError(
                    f"Python inputs incompatible with input_signature of `{self.__name__}`: "
                    f"argument {position} is {_describe(value)}, expected a sequence of "
                    f"{len(spec)} matching {spec}."
                )
            return type(value)(self._match_spec(s, v, position) for s, v in zip(spec, value))
        if isinstance(spec, dict):
            return {k: self._match_spec(spec[k], value[k], position) for k in spec}
        composite = self._match_composite_spec(spec, value, position)
        if composite is not None:
            return composite
        dtype = _spec_dtype(spec)
        shape = _spec_shape(spec)
        if not isinstance(value, torch.Tensor):
            from tork._backend.tensor import convert_to_tensor

            value = convert_to_tensor(value, dtype=dtype)
        if dtype is not None and value.dtype != dtype:
            raise _SignatureMismatchError(
                f"Python inputs incompatible with input_signature of `{self.__name__}`: "
                f"argument {position} has dtype {_tf_dtype_name(value.dtype)}, but the "
                f"signature expects {_tf_dtype_name(dtype)}. Cast it with "
                f"tf.cast(x, tf.{_tf_dtype_name(dtype)})."
            )
        if shape is not None and (
            len(shape) != value.dim()
            or any(s is not None and s != d for s, d in zip(shape, value.shape))
        ):
            raise _SignatureMismatchError(
                f"Python inputs incompatible with input_signature of `{self.__name__}`: "
                f"argument {position} has shape {tuple(value.shape)}, but the signature "
                f"expects {shape} (None matches any size)."
            )
        return value

    def _match_composite_spec(self, spec, value, position):
        """A RaggedTensor/SparseTensor for a RaggedTensorSpec/SparseTensorSpec (else None)."""
        from tork._backend.ragged_tensor import RaggedTensor, RaggedTensorSpec
        from tork._backend.sparse_tensor import SparseTensor, SparseTensorSpec

        if isinstance(spec, RaggedTensorSpec):
            if not isinstance(value, RaggedTensor):
                from tork.ops.ragged import constant

                value = constant(value, dtype=spec.dtype, ragged_rank=spec.ragged_rank)
            kind = "RaggedTensor"
        elif isinstance(spec, SparseTensorSpec):
            if not isinstance(value, SparseTensor):
                raise _SignatureMismatchError(
                    f"Python inputs incompatible with input_signature of `{self.__name__}`: "
                    f"argument {position} is {_describe(value)}, but the signature expects a "
                    "tf.SparseTensor."
                )
            kind = "SparseTensor"
        else:
            return None
        expected = tuple(spec.shape) if spec.shape is not None else None
        if value.dtype != spec.dtype or (
            expected is not None
            and (
                len(expected) != len(value.shape)
                or any(e is not None and e != d for e, d in zip(expected, value.shape))
            )
        ):
            raise _SignatureMismatchError(
                f"Python inputs incompatible with input_signature of `{self.__name__}`: "
                f"argument {position} is a {kind} of dtype {value.dtype} and shape "
                f"{tuple(value.shape)}, but the signature expects {spec}."
            )
        return value

    # -- methods -----------------------------------------------------------------------
    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        cache = self._bound
        if cache is None:
            cache = self._bound = {}
        key = id(instance)
        bound = cache.get(key)
        if bound is not None and bound._instance_ref() is instance:
            return bound
        bound = self._bind(instance)
        try:
            # Keyed by id (instances may be unhashable); dropped when the instance dies.
            weakref.finalize(instance, cache.pop, key, None)
        except TypeError:  # not weak-referenceable: bind afresh on each access
            return bound
        cache[key] = bound
        return bound

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        # Compiled code, per-instance caches and trace keys are rebuilt after loading.
        state.update(
            _compiled=None,
            _bound=None,
            _bind_signature=None,
            _python_signature=False,
            _spec_traces=[],
            _seen=set(),
            _relaxed=[],
            _concrete={},
        )
        return state

    def _bind(self, instance) -> Function:
        bound = Function(
            self._python_function,
            input_signature=self._input_signature,
            jit_compile=self._jit_compile,
            reduce_retracing=self._reduce_retracing,
            autograph=self._autograph,
        )
        try:
            bound._instance_ref = weakref.ref(instance)
        except TypeError:  # no weak references: the bound Function is not cached anyway
            bound._instance_ref = lambda: instance
        # Signature without `self` (Keras inspects `call` for `training`/`mask`);
        # no __wrapped__ bound method, which would hold the instance strongly.
        del bound.__wrapped__
        try:
            bound.__signature__ = inspect.signature(
                types.MethodType(self._python_function, instance)
            )
        except (TypeError, ValueError):
            pass
        return bound

    def __repr__(self) -> str:
        return f"<tork.function.Function {self.__qualname__}>"


class ConcreteFunction:
    """What `get_concrete_function` returns: calls the function it came from."""

    def __init__(self, function: Function, args: tuple, kwargs: dict):
        self._function = function
        self.structured_input_signature = (args, kwargs)
        self.python_function = function.python_function
        functools.update_wrapper(self, function.python_function)
        self._parameters = function._parameters_text(args, kwargs)
        # Known when a call with these argument types has returned already.
        self._output = next((o for p, o in function._signatures if p == self._parameters), None)

    def __call__(self, *args, **kwargs):
        args, kwargs = self._check_inputs(args, kwargs)
        result = self._function(*args, **kwargs)
        if self._output is None:
            self._output = _type_text(result, output=True)
        return result

    def _check_inputs(self, args, kwargs):
        """TensorFlow's checks of a concrete function's arguments against its trace.

        A tensor of another dtype than the traced one raises InvalidArgumentError (its
        shape is not checked, as in TensorFlow); Python lists and NumPy arrays given for
        a tensor convert to the traced dtype.
        """
        try:
            signature = inspect.signature(self._function.python_function)
            traced = signature.bind(*self.structured_input_signature[0])
            traced.arguments.update(self.structured_input_signature[1])
            given = signature.bind(*args, **kwargs)
        except (TypeError, ValueError):
            return args, kwargs  # the call itself reports a wrong number of arguments
        for position, (name, value) in enumerate(given.arguments.items()):
            example = traced.arguments.get(name)
            if example is None or not (_is_spec(example) or isinstance(example, torch.Tensor)):
                continue
            dtype = _spec_dtype(example)
            if dtype is None:
                continue
            if isinstance(value, torch.Tensor):
                if value.dtype != dtype:
                    from tork._backend.dtypes import dtype_name
                    from tork._backend.errors import InvalidArgumentError

                    raise InvalidArgumentError(
                        f"cannot compute {self.__name__} as input #{position}(zero-based) was "
                        f"expected to be a {dtype_name(dtype)} tensor but is a "
                        f"{dtype_name(value.dtype)} tensor. Cast it with tf.cast, or get "
                        "another concrete function for this dtype."
                    )
            elif isinstance(value, (list, tuple, np.ndarray)):
                from tork._backend.tensor import convert_to_tensor

                given.arguments[name] = convert_to_tensor(value, dtype=dtype)
        return given.args, given.kwargs

    @property
    def graph(self):
        """Not available: tork runs functions eagerly, so there is no graph to inspect."""
        raise _no_graph("ConcreteFunction.graph")

    @property
    def function_def(self):
        """Not available: tork runs functions eagerly, so there is no FunctionDef."""
        raise _no_graph("ConcreteFunction.function_def")

    @property
    def structured_outputs(self):
        """Not available: the outputs of a graph trace; call the function instead."""
        raise _no_graph("ConcreteFunction.structured_outputs")

    @property
    def outputs(self):
        """Not available: the graph's output tensors; call the function instead."""
        raise _no_graph("ConcreteFunction.outputs")

    @property
    def inputs(self):
        """Not available: the graph's placeholders (and captures); see
        `structured_input_signature` for the argument specs."""
        raise _no_graph("ConcreteFunction.inputs")

    def pretty_printed_signature(self, verbose: bool = True) -> str:
        """This function's signature as TensorFlow prints it (see `tf.function`'s)."""
        if not verbose:
            return f"({_one_line(self._parameters)}) -> {self._output}"
        return _signature_text(self._parameters, self._output)

    def __str__(self) -> str:
        return "ConcreteFunction " + self.pretty_printed_signature()

    def __repr__(self) -> str:
        return f"<ConcreteFunction {self.pretty_printed_signature(verbose=False)} at {id(self):#X}>"


def _no_graph(name: str) -> Exception:
    from tork._backend.errors import TorkNotImplementedError

    # Also an AttributeError, so `hasattr(concrete, "graph")` stays False.
    return TorkNotImplementedError(
        f"tork does not implement `{name}`: tf.function runs the Python function eagerly "
        "on PyTorch, so there is no FuncGraph of operations to inspect. Call the function "
        "and inspect its results, or use `pretty_printed_signature()` for its signature."
    )


def _one_line(parameters: str) -> str:
    """`x: TensorSpec(...), y: Literal[2]` from the parameter lines."""
    parts = []
    for line in parameters.splitlines():
        name, _, rest = line.strip().partition(" (")
        parts.append(f"{name}: {rest.split('): ', 1)[1]}")
    return ", ".join(parts)


def function(
    func: Callable | None = None,
    input_signature=None,
    autograph: bool = True,
    jit_compile: bool | None = None,
    reduce_retracing: bool = False,
    experimental_implements: Any = None,
    experimental_autograph_options: Any = None,
    experimental_attributes: Any = None,
    experimental_relax_shapes: bool | None = None,
    experimental_compile: bool | None = None,
    experimental_follow_type_hints: bool | None = None,
):
    """Wraps a Python function as `tf.function`; in tork it runs eagerly.

    Results are identical to calling the function directly. Unlike TensorFlow,
    Python side effects run on every call (TensorFlow runs them only while
    tracing). With `jit_compile=True` the function is compiled by
    `torch.compile` on first call; where that fails it runs eagerly and warns once.
    `tf.config.run_functions_eagerly(True)` disables compilation.

    Args:
        func: the function to wrap; omit it to use `tf.function(...)` as a decorator.
        input_signature: optional list of `tf.TensorSpec`-like objects; calls must
            match it (None dims match any size).
        autograph: accepted for compatibility (Python control flow always works).
        jit_compile: compile with `torch.compile` when True.
        reduce_retracing: relax shapes when counting traces.
        experimental_implements: accepted and ignored.
        experimental_autograph_options: accepted and ignored.
        experimental_attributes: accepted and ignored.
        experimental_relax_shapes: deprecated alias of `reduce_retracing`.
        experimental_compile: deprecated alias of `jit_compile`.
        experimental_follow_type_hints: accepted and ignored.

    Returns:
        A `Function`, or a decorator making one when `func` is None.

    Example:
    >>> @tf.function
    ... def f(x, y):
    ...     return x ** 2 + y
    >>> f(tf.constant([2, 3]), tf.constant([3, -2])).numpy()
    array([7, 7], dtype=int32)
    """
    if jit_compile is None and experimental_compile is not None:
        jit_compile = experimental_compile
    if experimental_relax_shapes:
        reduce_retracing = True

    def decorate(f: Callable) -> Function:
        return Function(
            f,
            input_signature=input_signature,
            jit_compile=jit_compile,
            reduce_retracing=reduce_retracing,
            autograph=autograph,
        )

    if func is None:
        return decorate
    return decorate(func)
