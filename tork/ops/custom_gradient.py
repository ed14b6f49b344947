"""`tf.custom_gradient` and `tf.recompute_grad` over torch autograd.

`custom_gradient` runs `f` with recording stopped (as TensorFlow does) and joins its
outputs to its tensor inputs, and to the trainable variables it read, through one
`torch.autograd.Function` whose backward calls the user's `grad_fn`. So it works with
`tf.GradientTape`, `torch.autograd.grad` and `.backward()` alike.

Which variables `f` used: TensorFlow watches variable reads. tork runs `f` under a
`torch.overrides.TorchFunctionMode` that notes every trainable `torch.nn.Parameter`
(every trainable `tf.Variable` is one) passed to a torch function or tensor method, or
inside a list/tuple argument (`tf.concat([v, x], 0)`). Metadata reads (`v.shape`,
`v.dtype`, `v.dim()`) do not count. A variable read only through its `.data` or a
non-torch path (`v.numpy()` goes through `detach`, which does count) is not seen.

Higher-order gradients: while a gradient is itself recorded (nested tapes,
`create_graph=True`), `grad_fn` runs with recording on, so its result is differentiable
through the upstream gradient and through the inputs it closes over. Values computed
inside `f` are constants to that second differentiation (`f` ran unrecorded), exactly
as in TensorFlow.

`recompute_grad` is `torch.utils.checkpoint.checkpoint(..., use_reentrant=False)`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

import torch
from torch.overrides import TorchFunctionMode
from torch.utils.checkpoint import checkpoint

from tork import tape as _tape
from tork.nest import flatten as _flatten
from tork.nest import is_nested as _is_nested
from tork.nest import pack_sequence_as as _pack_sequence_as

__all__ = ["custom_gradient", "recompute_grad"]

_Parameter = torch.nn.Parameter

# Torch functions that only read a tensor's metadata: they are not a read of the
# variable's value (TensorFlow's variable watcher does not see `v.shape` either).
_METADATA_FUNCS = frozenset(
    ["__get__", "dim", "size", "numel", "ndimension", "__len__", "is_floating_point", "is_complex"]
)


class _VariableRecorder(TorchFunctionMode):
    """Notes the trainable Parameters passed to torch functions, in first-use order."""

    def __init__(self):
        super().__init__()
        self.found: dict[int, torch.Tensor] = {}

    def _note(self, value) -> None:
        # issubclass on the type: Parameter's isinstance hook is slow for plain tensors.
        kind = type(value)
        if issubclass(kind, _Parameter):
            if value.requires_grad:
                self.found.setdefault(id(value), value)
        elif kind is list or kind is tuple:
            for item in value:
                if issubclass(type(item), _Parameter) and item.requires_grad:
                    self.found.setdefault(id(item), item)

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if kwargs is None:
            kwargs = {}
        if getattr(func, "__name__", None) not in _METADATA_FUNCS:
            for arg in args:
                self._note(arg)
            for arg in kwargs.values():
                self._note(arg)
        return func(*args, **kwargs)


class _Spec:
    """What the backward needs: the user's grad_fn and where each gradient goes."""

    __slots__ = (
        "grad_fn",
        "variables",
        "n_flat_args",
        "arg_pos",
        "n_flat_y",
        "y_pos",
        "outputs",
        "name",
    )


def _split_result(result, name: str):
    if not (isinstance(result, (list, tuple)) and len(result) == 2 and callable(result[1])):
        raise TypeError(
            f"The function {name} decorated with @tf.custom_gradient must return a pair "
            f"(y, grad_fn) where grad_fn is callable, but it returned "
            f"{type(result).__name__} {result!r:.80}."
        )
    return result[0], result[1]


def _check_grad(g, shape: torch.Size, what: str, name: str):
    if not isinstance(g, torch.Tensor):
        # torch casts a gradient to its input's dtype and device itself.
        g = torch.as_tensor(g)
    if g.shape != shape:
        # torch sums a gradient with extra broadcast dimensions down to the input's shape.
        try:
            reducible = torch.broadcast_shapes(g.shape, shape) == g.shape
        except RuntimeError:
            reducible = False
        if not reducible:
            raise ValueError(
                f"The grad_fn of @tf.custom_gradient function {name} returned a gradient of "
                f"shape {tuple(g.shape)} for {what}, which has shape {tuple(shape)}. "
                "Return one gradient of the same shape as each input."
            )
    return g


def _as_grad_list(value, length: int) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    if value is None and length == 0:
        return []
    return [value]


class _CustomGradientFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, spec: _Spec, *inputs):
        outputs = spec.outputs
        spec.outputs = None  # the outputs must not outlive the call through the spec
        ctx.spec = spec
        # Shapes only, for the gradient checks: holding the inputs would keep them alive.
        ctx.input_shapes = [t.shape for t in inputs]
        return outputs

    @staticmethod
    def backward(ctx, *grads):
        spec: _Spec = ctx.spec
        grad_ys: list = [None] * spec.n_flat_y
        for pos, g in zip(spec.y_pos, grads):
            grad_ys[pos] = g
        variables = spec.variables
        if variables:
            result = spec.grad_fn(*grad_ys, variables=list(variables))
            if not (isinstance(result, (list, tuple)) and len(result) == 2):
                raise TypeError(
                    f"@tf.custom_gradient function {spec.name} uses variables, so its grad_fn "
                    "must return a pair (input_gradients, variable_gradients), but it returned "
                    f"{type(result).__name__}."
                )
            input_grads, var_grads = result
            var_grads = _as_grad_list(var_grads, len(variables))
            if len(var_grads) != len(variables):
                raise ValueError(
                    f"@tf.custom_gradient function {spec.name} used {len(variables)} "
                    f"variable(s), but its grad_fn returned {len(var_grads)} variable "
                    "gradient(s). Must return one gradient (or None) for each variable in "
                    "`variables`, in the same order."
                )
        else:
            input_grads = spec.grad_fn(*grad_ys)
            var_grads = []
        flat = [] if input_grads is None and spec.n_flat_args == 0 else _flatten(input_grads)
        if len(flat) != spec.n_flat_args:
            raise ValueError(
                f"@tf.custom_gradient function {spec.name} expected its grad_fn to return "
                f"{spec.n_flat_args} gradient(s), one per (flattened) positional input, but "
                f"it returned {len(flat)} instead."
            )
        needs = ctx.needs_input_grad
        out: list = [None]
        shapes = ctx.input_shapes
        for i, pos in enumerate(spec.arg_pos):
            g = flat[pos]
            if g is None or not needs[1 + i]:
                out.append(None)
            else:
                out.append(_check_grad(g, shapes[i], f"input {pos}", spec.name))
        offset = 1 + len(spec.arg_pos)
        for j, g in enumerate(var_grads):
            if g is None or not needs[offset + j]:
                out.append(None)
            else:
                out.append(_check_grad(g, shapes[offset - 1 + j], f"variable {j}", spec.name))
        return tuple(out)


def _function_name(f) -> str:
    return getattr(f, "__qualname__", None) or getattr(f, "__name__", None) or repr(f)


def _accepts_variables(grad_fn) -> bool:
    try:
        params = inspect.signature(grad_fn).parameters
    except (TypeError, ValueError):
        return True  # builtins and the like: let the call itself say what is wrong
    if "variables" in params:
        return params["variables"].kind is not inspect.Parameter.POSITIONAL_ONLY
    return any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


def _call_custom_gradient(f, args: tuple, kwargs: dict):
    if not torch.is_grad_enabled():
        # Nothing records, so the gradient function is never needed.
        return _split_result(f(*args, **kwargs), _function_name(f))[0]
    recorder = _VariableRecorder()
    with torch.no_grad(), recorder:
        result = f(*args, **kwargs)
    y, grad_fn = _split_result(result, _function_name(f))

    flat_args = _flatten(args)
    arg_pos: list[int] = []
    inputs: list[torch.Tensor] = []
    for pos, a in enumerate(flat_args):
        if isinstance(a, torch.Tensor):
            arg_pos.append(pos)
            inputs.append(a)
    variables: list[torch.Tensor] = []
    if recorder.found:
        passed = {id(a) for a in flat_args}
        if kwargs:
            passed.update(id(a) for a in _flatten(kwargs))
        variables = [v for key, v in recorder.found.items() if key not in passed]
        if variables:
            if not _accepts_variables(grad_fn):
                names = ", ".join(getattr(v, "name", None) or "<parameter>" for v in variables)
                raise TypeError(
                    f"@tf.custom_gradient function {_function_name(f)} uses variables "
                    f"({names}) that are not among its inputs, so its grad_fn must accept a "
                    "keyword argument `variables` and return (input_gradients, "
                    "variable_gradients)."
                )
            if _tape._recording:
                _tape._record_accessed_variables(variables)
    if not variables and not any(t.requires_grad for t in inputs):
        return y

    flat_y = _flatten(y)
    y_pos: list[int] = []
    outputs: list[torch.Tensor] = []
    seen: set[int] = set()
    for pos, t in enumerate(flat_y):
        if isinstance(t, torch.Tensor):
            # A result with history of its own (a tape inside f, a returned variable) or
            # returned twice must become a fresh tensor that only our node produces.
            if t.requires_grad or id(t) in seen:
                t = t.detach()
            seen.add(id(t))
            y_pos.append(pos)
            outputs.append(t)
    if not outputs:
        return y

    spec = _Spec()
    spec.grad_fn = grad_fn
    spec.variables = variables
    spec.n_flat_args = len(flat_args)
    spec.arg_pos = arg_pos
    spec.n_flat_y = len(flat_y)
    spec.y_pos = y_pos
    spec.outputs = tuple(outputs)
    spec.name = _function_name(f)
    results = _CustomGradientFunction.apply(spec, *inputs, *variables)
    if isinstance(results, torch.Tensor):
        results = (results,)
    if not _is_nested(y):
        return results[0]
    for pos, r in zip(y_pos, results):
        flat_y[pos] = r
    return _pack_sequence_as(y, flat_y)


class _CustomGradientWrapper:
    """The callable `tf.custom_gradient` returns; binds like a function on classes."""

    def __init__(self, f):
        self._f = f
        functools.update_wrapper(self, f, updated=())

    def __call__(self, *args, **kwargs):
        return _call_custom_gradient(self._f, args, kwargs)

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        # Bound as a method: `self` is not an input and gets no gradient (as in TF).
        return functools.partial(_call_bound, self._f.__get__(instance, owner))


def _call_bound(bound, *args, **kwargs):
    return _call_custom_gradient(bound, args, kwargs)


def custom_gradient(f: Callable | None = None) -> Callable:
    """Decorator to define a function with a custom gradient.

    `f(*x)` returns `(y, grad_fn)`. The decorated function returns `y`; its gradient
    is `grad_fn(*upstream)`, called with one upstream gradient per (flattened) tensor of
    `y`, which returns the gradient for each (flattened) positional input of `f`: a tensor,
    `None`, or a list/tuple of them. If `f` reads trainable variables that are not among
    its inputs, `grad_fn` must accept a keyword argument `variables` (the list of those
    variables, in first-use order) and return `(input_gradients, variable_gradients)`.

    `f` runs with gradient recording stopped, as in TensorFlow. Keyword arguments are
    passed to `f` but receive no gradient. `grad_fn` runs with recording on only while a
    gradient is itself recorded (nested tapes), which gives second-order gradients through
    what `grad_fn` computes from its upstream gradients and from the inputs.

    Args:
        f: function `f(*x)` returning `(y, grad_fn)`. With `f=None`, returns a decorator
            (so `@tf.custom_gradient()` works too).

    Returns:
        A function `h(*x)` returning the same value as `f(*x)[0]`, whose gradient is
        determined by `f(*x)[1]`.

    Example:
    >>> @tf.custom_gradient
    ... def log1pexp(x):
    ...     e = tf.exp(x)
    ...     def grad(upstream):
    ...         return upstream * (1 - 1 / (1 + e))
    ...     return tf.math.log(1 + e), grad
    >>> x = tf.constant(100.0)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = log1pexp(x)
    >>> tape.gradient(y, x).numpy()
    array(1., dtype=float32)
    """
    if f is None:
        return custom_gradient
    return _CustomGradientWrapper(f)


def recompute_grad(f: Callable) -> Callable:
    """Defines a function as a recompute-checkpoint for the tape auto-diff.

    The returned function keeps only its inputs for the backward pass, not the
    intermediate activations of `f`, and runs `f` again during back-propagation to
    recompute them: less memory for more compute. Gradients flow to its positional and
    keyword tensor arguments and to the variables `f` uses. Random ops replay the same
    random numbers on recomputation (the RNG state is saved). Built on
    `torch.utils.checkpoint.checkpoint(..., use_reentrant=False)`.

    Args:
        f: function `f(*x)` that returns a tensor or a structure of tensors.

    Returns:
        A function `g` that wraps `f`, but which recomputes `f` on the backwards pass of
        a gradient call.

    Example:
    >>> w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    >>> layer = tf.recompute_grad(lambda x: tf.nn.relu(tf.matmul(x, w)))
    >>> with tf.GradientTape() as tape:
    ...     y = tf.reduce_sum(layer(tf.ones((1, 2))))
    >>> tape.gradient(y, w).numpy()
    array([[1., 1.],
           [1., 1.]], dtype=float32)
    """

    def inner(*args, **kwargs):
        if not torch.is_grad_enabled():
            return f(*args, **kwargs)
        return checkpoint(f, *args, use_reentrant=False, **kwargs)

    functools.update_wrapper(inner, f, updated=())
    return inner
