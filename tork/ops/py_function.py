"""`tf.py_function` and `tf.numpy_function`: Python functions as ops.

tork runs eagerly, so both simply call the function. `py_function` hands it the
tensors themselves, so gradients flow through the torch ops inside it;
`numpy_function` hands it NumPy arrays, and its outputs carry no gradient.

Inside the functions of a tf.data transformation (`Dataset.map`, `filter`...) and of a
`tf.function` (unless functions run eagerly), which TensorFlow runs as graphs,
`numpy_function` hands 0-d inputs over as TF's graph mode does:
NumPy scalars, and `bytes` for strings, so `tf.numpy_function(np.load, [path], tf.float32)`
and `path.decode()` work as in TF.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools

import numpy as np
import torch

from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import InvalidArgumentError, module_getattr
from tork._backend.tensor import convert_to_tensor, to_numpy

__all__ = ["numpy_function", "py_function"]

__getattr__ = module_getattr("tf")


def _out_dtypes(Tout, api: str) -> tuple[list[torch.dtype] | None, bool]:  # noqa: N803
    """Tout as a list of dtypes (None: no outputs) and whether it named a single dtype."""
    if Tout is None:
        return None, False
    if isinstance(Tout, (list, tuple)):
        return [_one_dtype(t, api) for t in Tout], False
    return [_one_dtype(Tout, api)], True


def _one_dtype(t, api: str) -> torch.dtype:
    spec_dtype = getattr(t, "dtype", None)  # a tf.TensorSpec stands for its dtype
    if isinstance(spec_dtype, torch.dtype) and not isinstance(t, torch.dtype):
        return spec_dtype
    try:
        return as_dtype(t)
    except TypeError as error:
        raise TypeError(
            f"tf.{api}: Tout must be a dtype, a list of dtypes or None, got {t!r}."
        ) from error


def _convert_out(value, dtype: torch.dtype, device, api: str, position: int) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        out = value if value.dtype == dtype else value.to(dtype)
        return out if device is None or out.device == device else out.to(device)
    if value is None:
        raise InvalidArgumentError(
            f"tf.{api}: output {position} of func is None but Tout expects {dtype_name(dtype)}."
        )
    out = convert_to_tensor(value, dtype=dtype)
    return out if device is None or out.device == device else out.to(device)


def _outputs(result, dtypes, single: bool, device, api: str):
    if dtypes is None:
        if result is not None:
            raise InvalidArgumentError(
                f"tf.{api}: func returned {_count(result)} output(s) but Tout is None (no "
                "outputs). Pass Tout=<dtype> or a list of dtypes for what func returns."
            )
        return None
    if single:
        if isinstance(result, (list, tuple)):
            if len(result) != 1:
                raise InvalidArgumentError(
                    f"tf.{api}: func returned {len(result)} outputs but Tout names 1 dtype "
                    f"({dtype_name(dtypes[0])}). Pass a list of {len(result)} dtypes as Tout."
                )
            result = result[0]
        return _convert_out(result, dtypes[0], device, api, 0)
    if result is None:
        values = []
    elif isinstance(result, (list, tuple)):
        values = list(result)
    else:
        values = [result]
    if len(values) != len(dtypes):
        names = [dtype_name(d) for d in dtypes]
        raise InvalidArgumentError(
            f"tf.{api}: func returned {len(values)} output(s) but Tout names {len(dtypes)} "
            f"dtype(s) {names}. Make func return one value per entry of Tout."
        )
    return [_convert_out(v, d, device, api, i) for i, (v, d) in enumerate(zip(values, dtypes))]


def _count(result) -> int:
    return len(result) if isinstance(result, (list, tuple)) else 1


def _inputs(inp) -> list:
    if inp is None:
        return []
    if isinstance(inp, (list, tuple)):
        return list(inp)
    return [inp]


def _device_of(values) -> torch.device | None:
    for v in values:
        if isinstance(v, torch.Tensor):
            return v.device
    return None


def _run_py(func, inp, Tout, api="py_function"):  # noqa: N803
    dtypes, single = _out_dtypes(Tout, api)
    args = [v if isinstance(v, torch.Tensor) else convert_to_tensor(v) for v in _inputs(inp)]
    device = _device_of(args) or current_device()
    return _outputs(func(*args), dtypes, single, device, api)


# Nonzero while a function TensorFlow would run as a graph runs: the user function of a
# tf.data transformation, a tf.function (per thread: parallel map workers set their own).
GRAPH_FUNCTION: contextvars.ContextVar = contextvars.ContextVar("tork_graph_function", default=0)


@contextlib.contextmanager
def graph_function():
    """Marks a user function that TensorFlow would run as a graph (a tf.function's).

    `numpy_function` then passes 0-d inputs as NumPy scalars (`bytes` for strings), as
    TensorFlow's graph-mode `numpy_function` does; eagerly TF passes 0-d arrays.
    """
    token = GRAPH_FUNCTION.set(1)
    try:
        yield
    finally:
        GRAPH_FUNCTION.reset(token)


def _graph_mode_value(value: np.ndarray):
    # `value[()]` of a 0-d array is its NumPy scalar, or the bytes object of a string.
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value[()]
    return value


def _run_numpy(func, inp, Tout, api="numpy_function"):  # noqa: N803
    dtypes, single = _out_dtypes(Tout, api)
    values = _inputs(inp)
    device = _device_of(values) or current_device()
    args = [to_numpy(v) if isinstance(v, torch.Tensor) else np.asarray(v) for v in values]
    if GRAPH_FUNCTION.get():
        args = [_graph_mode_value(a) for a in args]
    result = func(*args)
    with torch.no_grad():
        out = _outputs(result, dtypes, single, device, api)
    if out is None:
        return None
    if single:  # one output: a tensor, or a string tensor (no gradient to cut)
        return _detached(out)
    return [_detached(o) for o in out]


def _detached(value):
    return value.detach() if isinstance(value, torch.Tensor) else value


def _decorate(run, func, Tout, api: str):  # noqa: N803
    if func is None:
        return lambda f: _decorate(run, f, Tout, api)

    @functools.wraps(func)
    def wrapper(*args):
        return run(func, list(args), Tout, api)

    return wrapper


def py_function(func=None, inp=None, Tout=None, name: str | None = None):  # noqa: N803
    """Wraps a Python function into an op that runs it eagerly (as tork always does).

    `func` receives the input tensors; the torch ops it runs are differentiable, so
    gradients flow through it. Called without `inp` (or used as a decorator with
    `Tout=`), it returns the wrapped function instead.

    Args:
        func: a Python function taking one tensor per entry of `inp`.
        inp: a list of tensors (or values convertible to tensors).
        Tout: a dtype (func returns one value; a tensor is returned), a list or tuple
            of dtypes (a list of tensors is returned; `[]` when func returns None),
            or None (func returns None; None is returned). `tf.TensorSpec`s count as
            their dtype.
        name: a name for the operation (unused).

    Returns:
        A tensor, a list of tensors or None, as `Tout` says; outputs are cast to
        the `Tout` dtypes.

    Raises:
        tf.errors.InvalidArgumentError: if func returns a different number of
            outputs than `Tout` names.

    Example:
    >>> y = tf.py_function(lambda a, b: a * b, [tf.constant(2.0), 3.0], Tout=tf.float32)
    >>> float(y)
    6.0
    """
    if func is None or inp is None:
        return _decorate(_run_py, func, Tout, "py_function")
    return _run_py(func, inp, Tout)


def numpy_function(
    func=None,
    inp=None,
    Tout=None,  # noqa: N803
    stateful: bool = True,
    name: str | None = None,
):
    """Wraps a Python function that takes and returns NumPy arrays into an op.

    Tensors in `inp` are passed to `func` as NumPy arrays; its outputs become tensors
    of the `Tout` dtypes on the inputs' device. The op is not differentiable: its
    outputs carry no gradient. Called without `inp` (or used as a decorator with
    `Tout=`), it returns the wrapped function instead.

    Args:
        func: a Python function taking one NumPy array per entry of `inp`.
        inp: a list of tensors (or values convertible to NumPy arrays).
        Tout: a dtype (a tensor is returned), a list or tuple of dtypes (a list of
            tensors is returned) or None (func returns None; None is returned).
        stateful: whether the function has side effects (unused eagerly: it always runs).
        name: a name for the operation (unused).

    Returns:
        A tensor, a list of tensors or None, as `Tout` says.

    Raises:
        tf.errors.InvalidArgumentError: if func returns a different number of
            outputs than `Tout` names.

    Example:
    >>> y = tf.numpy_function(np.sinc, [tf.constant([0.0, 0.5])], Tout=tf.float32)
    >>> y.shape
    torch.Size([2])
    """
    if func is None or inp is None:
        return _decorate(_run_numpy, func, Tout, "numpy_function")
    return _run_numpy(func, inp, Tout)
