"""`tf.debugging`: runtime assertions, `tf.print` and `tf.executing_eagerly`.

Assertions run eagerly: they raise as soon as they are called and return None
(or the checked tensor, for `check_numerics` / `assert_all_finite`).
"""

from __future__ import annotations

import builtins
import contextvars
import sys

import numpy as np
import torch

from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import module_getattr
from tork._backend.tensor import convert_to_tensor, to_numpy
from tork._backend.tracing import values_readable

__all__ = [
    "assert_equal",
    "assert_greater",
    "assert_greater_equal",
    "assert_less",
    "assert_less_equal",
    "assert_rank",
    "executing_eagerly",
    "print",
]

_missing = module_getattr("tf.debugging")


def __getattr__(name: str):
    # `tf.debugging.Assert` is `tf.Assert` (tork/ops/array.py, which imports this module).
    if name == "Assert":
        from tork.ops.array import Assert

        return Assert
    return _missing(name)


from tork._backend.errors import InvalidArgumentError  # noqa: E402 - re-exported here
from tork.ops._check_numerics import (  # noqa: E402, F401 - re-exported here
    disable_check_numerics,
    enable_check_numerics,
)


def _t(value) -> torch.Tensor:
    return value if isinstance(value, torch.Tensor) else convert_to_tensor(value)


def _pair(x, y) -> tuple[torch.Tensor, torch.Tensor]:
    x = _t(x)
    if not isinstance(y, torch.Tensor):
        y = convert_to_tensor(y, dtype_hint=x.dtype)
    if y.device != x.device:
        y = y.to(x.device)
    return x, y


# ---------------------------------------------------------------- formatting like TensorFlow


def _float_text(value: float, wide: bool) -> str:
    """TensorFlow's float text: the short form if it reads back exactly, else more digits.

    float32 (and narrower types, printed as float32) try 6 significant digits, then 9;
    float64 tries 15, then 17 (`0.333333343`, `0.33333333333333331`).
    """
    if wide:
        short = f"{value:.15g}"
        return short if float(short) == value else f"{value:.17g}"
    value = np.float32(value)
    short = f"{value:.6g}"
    return short if np.float32(short) == value else f"{value:.9g}"


def _format_scalar(value, kind: str) -> str:
    if kind == "b":
        return "1" if value else "0"
    if kind in ("f", "d"):
        return _float_text(value, kind == "d")
    if kind == "c":
        return f"({value.real:g},{value.imag:g})"
    if kind == "s":
        if isinstance(value, bytes):
            value = value.decode("utf-8", "backslashreplace")
        return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _kind(arr: np.ndarray) -> str:
    kind = arr.dtype.kind
    if kind == "f":
        return "d" if arr.dtype.itemsize > 4 else "f"
    if kind in ("O", "S", "U"):
        return "s"
    return kind if kind in ("b", "c") else "i"


def _item(value):
    return value.item() if hasattr(value, "item") else value


def _format_array(arr: np.ndarray, summarize: int | None, indent: int = 1) -> str:
    kind = _kind(arr)
    if arr.ndim == 0:
        return _format_scalar(_item(arr[()]), kind)
    n = arr.shape[0]
    cut = summarize is not None and summarize >= 0 and n > 2 * summarize
    idx = list(range(summarize)) + [None] + list(range(n - summarize, n)) if cut else range(n)
    if arr.ndim == 1:
        parts = ["..." if i is None else _format_scalar(_item(arr[i]), kind) for i in idx]
        return "[" + " ".join(parts) + "]"
    rows = ["..." if i is None else _format_array(arr[i], summarize, indent + 1) for i in idx]
    sep = "\n" * (arr.ndim - 1) + " " * indent
    return "[" + sep.join(rows) + "]"


def _format_tensor(value, summarize: int | None) -> str:
    arr = to_numpy(value)
    return _format_array(arr, summarize)


def _is_printed_tensor(value) -> bool:
    """Whether tf.print formats `value` as a tensor (NumPy arrays print as their repr)."""
    from tork._backend.ragged_tensor import RaggedTensor
    from tork._backend.string_tensor import StringTensor

    return isinstance(value, (torch.Tensor, StringTensor, RaggedTensor))


def _is_sparse(value) -> bool:
    from tork._backend.sparse_tensor import SparseTensor

    return isinstance(value, SparseTensor)


def _ragged_item_text(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_ragged_item_text(v) for v in value) + "]"
    if isinstance(value, bytes):
        return repr(value.decode("utf-8", "backslashreplace"))
    if isinstance(value, float):
        return f"{value:f}"  # TF's string_format writes ragged floats as %f
    return str(value)


def _format_leaf(value, summarize) -> str:
    from tork._backend.ragged_tensor import RaggedTensor

    if isinstance(value, RaggedTensor):
        return _ragged_item_text(value.to_list())
    return _format_tensor(value, summarize)


def _format_inputs(inputs, summarize, sep: str) -> str:
    """TF's print_v2 text: each input's structure is `pprint.pformat`ted with a placeholder
    for every tensor (so dicts print with sorted keys, long lists wrap at 80 columns and
    NumPy arrays as their repr), then the placeholders become the tensors' text."""
    import pprint

    from tork import nest

    free = nest.map_structure(
        lambda x: "" if _is_printed_tensor(x) or _is_sparse(x) else x, list(inputs)
    )
    free_text = " ".join(pprint.pformat(x) for x in free)
    placeholder = "{}"
    while placeholder in free_text:
        placeholder += "0"
    templates, texts = [], []
    for value in inputs:
        holders = []
        for x in nest.flatten(value):
            if _is_sparse(x):
                texts.extend(
                    _format_tensor(t, summarize) for t in (x.indices, x.values, x.dense_shape)
                )
                holders.append(
                    f"SparseTensor(indices={placeholder}, values={placeholder}, "
                    f"shape={placeholder})"
                )
            elif _is_printed_tensor(x):
                texts.append(_format_leaf(x, summarize))
                holders.append(placeholder)
            else:
                holders.append(x)
        if isinstance(value, str):
            templates.append(value)
        else:
            templates.append(pprint.pformat(nest.pack_sequence_as(value, holders)))
    template = sep.join(templates).replace(f"'{placeholder}'", placeholder)
    pieces = template.split(placeholder)
    out = [pieces[0]]
    for i, piece in enumerate(pieces[1:]):
        out.append(texts[i] if i < len(texts) else placeholder)
        out.append(piece)
    return "".join(out)


def _readable(value) -> bool:
    if isinstance(value, torch.Tensor):
        return values_readable(value)
    if isinstance(value, dict):
        return all(_readable(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_readable(v) for v in value)
    return True


def _single_string_text(inputs) -> str | None:
    # TensorFlow prints a lone scalar string tensor as its raw text, without the
    # quotes it puts around strings everywhere else (`tf.print(tf.constant("a"))`
    # shows `a`, `tf.print(tf.constant("a"), 1)` shows `"a" 1`).
    # Only NumPy-backed values (StringTensor is an ndarray) qualify: torch tensors are
    # never converted here (they may be traced by torch.export, where `.numpy()` is not
    # allowed).
    if len(inputs) != 1 or not isinstance(inputs[0], np.ndarray):
        return None
    arr = to_numpy(inputs[0])
    if arr.ndim != 0 or _kind(arr) != "s":
        return None
    value = _item(arr[()])
    if isinstance(value, bytes):
        value = value.decode("utf-8", "backslashreplace")
    return str(value)


# Set by tf.data while it traces a user function on stand-in values (see
# tork.data._spec.trace).
STAND_IN_TRACE: contextvars.ContextVar = contextvars.ContextVar(
    "tork_stand_in_trace", default=False
)


def print(*inputs, **kwargs) -> None:
    """Prints tensors and Python values the way TensorFlow does.

    Tensors print like `[0 1 2 ... 7 8 9]`: only the first and last `summarize`
    entries of each dimension are shown.

    Args:
        *inputs: tensors, Python values, or lists/dicts holding tensors.
        **kwargs: `output_stream` (default `sys.stderr`; also `sys.stdout`, a
            file object, or a `'file://path'` string to append to),
            `summarize` (default 3, also when None; -1 prints everything), `sep`
            (default ' '), `end` (default '\\n') and `name` (unused).

    Example:
    >>> tf.print(tf.range(10), output_stream=sys.stdout)
    [0 1 2 ... 7 8 9]
    """
    stream = kwargs.pop("output_stream", sys.stderr)
    summarize = kwargs.pop("summarize", 3)
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", "\n")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"tf.print got unexpected arguments {sorted(kwargs)}.")
    if summarize is None:
        summarize = 3
    elif summarize < 0:
        summarize = None
    from tork import _whole_function

    if STAND_IN_TRACE.get():
        # tf.data is running the function on stand-in values to learn its element_spec:
        # printing them would show made-up data, so the trace gives up instead.
        raise RuntimeError("tf.print during a tf.data element_spec trace")
    trace = _whole_function.ACTIVE
    if trace is not None and trace.tracing:
        # TensorFlow prints at every call of a compiled step; a traced graph cannot.
        trace.fail("it calls tf.print, which must print at every call")
    if torch.compiler.is_exporting() and not _readable(inputs):
        # torch.export (tf.saved_model.save) traces the function without values:
        # nothing to print then, and the traced graph keeps no print.
        return
    text = _single_string_text(inputs)
    if text is None:
        text = _format_inputs(inputs, summarize, sep)
    text += end
    if isinstance(stream, str):
        if not stream.startswith("file://"):
            raise ValueError(
                f"tf.print: output_stream string must start with 'file://', got {stream!r}."
            )
        with open(stream[len("file://") :], "a", encoding="utf-8") as handle:
            handle.write(text)
        return
    stream.write(text)
    if hasattr(stream, "flush"):
        stream.flush()


def executing_eagerly() -> bool:
    """Returns True: tork always runs eagerly (on torch).

    Example:
    >>> tf.executing_eagerly()
    True
    """
    return True


def set_log_device_placement(enabled: bool) -> None:
    """Accepted and ignored: tork does not log where each op runs.

    TensorFlow prints the device of every op when enabled. On torch an op
    runs on the device of its input tensors (`tensor.device`); to see where
    time goes, use `torch.profiler`.

    Args:
        enabled: whether TensorFlow would log placements; ignored.

    Example:
    >>> tf.debugging.set_log_device_placement(True)  # does nothing
    """
    del enabled


# ---------------------------------------------------------------- assertions


def _first(arr: np.ndarray, summarize: int) -> str:
    flat = arr.reshape(-1)
    return _format_array(flat[:summarize], None)


def _fail(
    message, condition: str, x: torch.Tensor, y: torch.Tensor | None, holds, summarize
) -> None:
    summarize = 3 if summarize is None else int(summarize)
    lines = [] if not message else [str(message)]
    lines.append(f"Condition {condition} did not hold.")
    ok = to_numpy(holds)
    xa = to_numpy(x)
    if y is not None:
        ya = to_numpy(y)
        xb, yb = np.broadcast_arrays(xa, ya)
        bad = np.argwhere(~np.broadcast_to(ok, xb.shape))[:summarize]
        lines.append(f"Indices of first {len(bad)} different values:\n{bad.tolist()}")
        lines.append(f"Corresponding x values:\n{[xb[tuple(i)].item() for i in bad]}")
        lines.append(f"Corresponding y values:\n{[yb[tuple(i)].item() for i in bad]}")
        lines.append(f"First {summarize} elements of x:\n{_first(xa, summarize)}")
        lines.append(f"First {summarize} elements of y:\n{_first(ya, summarize)}")
    else:
        bad = np.argwhere(~np.broadcast_to(ok, xa.shape))[:summarize]
        lines.append(f"Indices of first {len(bad)} failing values:\n{bad.tolist()}")
        lines.append(f"First {summarize} elements of x:\n{_first(xa, summarize)}")
    raise InvalidArgumentError("\n".join(lines))


def _described(check, opname: str, summary: str, operands: str, raises: str, example: str):
    """Names `check` as the public `opname` and gives it the assertions' shared docstring."""
    check.__name__ = check.__qualname__ = opname
    check.__module__ = __name__
    check.__doc__ = f"""{summary}

    Args:
        {operands}
        message: text to put at the start of the error.
        summarize: how many failing entries to show (default 3).
        name: unused.

    Raises:
        InvalidArgumentError: {raises}

    Example:
    {example}
    """
    return check


def _holds(holds: torch.Tensor) -> bool:
    """Whether a check passed; True for tf.data's shape-only stand-ins (no values to check)."""
    return holds.device.type == "meta" or bool(torch.all(holds))


def _comparison(op, opname: str, symbol: str, summary: str, raises: str, example: str):
    """Builds an `assert_*` function that checks `x <symbol> y` elementwise, broadcasting."""
    condition = f"x {symbol} y"

    def check(x, y, message=None, summarize=None, name: str | None = None) -> None:
        x, y = _pair(x, y)
        try:
            holds = op(x, y)
        except RuntimeError as err:
            raise ValueError(
                f"{message + ': ' if message else ''}cannot compare shapes {tuple(x.shape)} and "
                f"{tuple(y.shape)}: they do not broadcast."
            ) from err
        if not _holds(holds):
            _fail(message, condition, x, y, holds, summarize)

    operands = "x: a tensor-like value.\n        y: a tensor-like value."
    return _described(check, opname, summary, operands, raises, example)


def _sign_check(op, opname: str, bound: str, summary: str, raises: str, example: str):
    """Builds an `assert_*` function that checks `x <bound>` (a comparison with 0) elementwise."""
    condition = f"x {bound}"

    def check(x, message=None, summarize=None, name: str | None = None) -> None:
        t = _t(x)
        holds = op(t, 0)
        if not _holds(holds):
            _fail(message, condition, t, None, holds, summarize)

    return _described(check, opname, summary, "x: a tensor-like value.", raises, example)


assert_equal = _comparison(
    torch.eq,
    "assert_equal",
    "==",
    "Checks that `x == y` holds for every element (after broadcasting).",
    "if some element differs.",
    ">>> tf.debugging.assert_equal(tf.constant([1, 2]), [1, 2])",
)
assert_none_equal = _comparison(
    torch.ne,
    "assert_none_equal",
    "!=",
    "Checks that `x != y` holds for every element.",
    "if some elements are equal.",
    ">>> tf.debugging.assert_none_equal([1, 2], [3, 4])",
)
assert_greater = _comparison(
    torch.gt,
    "assert_greater",
    ">",
    "Checks that `x > y` holds for every element.",
    "if some element is not greater.",
    ">>> tf.debugging.assert_greater([2, 3], 1)",
)
assert_greater_equal = _comparison(
    torch.ge,
    "assert_greater_equal",
    ">=",
    "Checks that `x >= y` holds for every element.",
    "if some element is smaller.",
    ">>> tf.debugging.assert_greater_equal([1, 3], 1)",
)
assert_less = _comparison(
    torch.lt,
    "assert_less",
    "<",
    "Checks that `x < y` holds for every element.",
    "if some element is not less.",
    ">>> tf.debugging.assert_less([1, 2], 3)",
)
assert_less_equal = _comparison(
    torch.le,
    "assert_less_equal",
    "<=",
    "Checks that `x <= y` holds for every element.",
    "if some element is greater.",
    ">>> tf.debugging.assert_less_equal([1, 3], 3)",
)
assert_positive = _sign_check(
    torch.gt,
    "assert_positive",
    "> 0",
    "Checks that every element of `x` is > 0.",
    "if some element is <= 0.",
    ">>> tf.debugging.assert_positive([1, 2])",
)
assert_non_negative = _sign_check(
    torch.ge,
    "assert_non_negative",
    ">= 0",
    "Checks that every element of `x` is >= 0.",
    "if some element is negative.",
    ">>> tf.debugging.assert_non_negative([0, 2])",
)
assert_negative = _sign_check(
    torch.lt,
    "assert_negative",
    "< 0",
    "Checks that every element of `x` is < 0.",
    "if some element is >= 0.",
    ">>> tf.debugging.assert_negative([-1, -2])",
)
assert_non_positive = _sign_check(
    torch.le,
    "assert_non_positive",
    "<= 0",
    "Checks that every element of `x` is <= 0.",
    "if some element is positive.",
    ">>> tf.debugging.assert_non_positive([0, -2])",
)


def assert_near(
    x, y, rtol=None, atol=None, message=None, summarize=None, name: str | None = None
) -> None:
    """Checks that `|x - y| <= atol + rtol * |y|` for every element.

    The tolerances default to 10 times the machine epsilon of the dtype.

    Args:
        x: a float tensor-like value.
        y: a float tensor-like value.
        rtol: relative tolerance.
        atol: absolute tolerance.
        message: text to put at the start of the error.
        summarize: how many failing entries to show.
        name: unused.

    Raises:
        InvalidArgumentError: if some elements are too far apart.

    Example:
    >>> tf.debugging.assert_near([1.0], [1.0 + 1e-7])
    """
    del name
    x, y = _pair(x, y)
    kind = torch.promote_types(x.dtype, y.dtype)
    if not kind.is_floating_point:
        kind = torch.float32
    eps = 10 * torch.finfo(kind).eps
    rtol = eps if rtol is None else rtol
    atol = eps if atol is None else atol
    holds = torch.abs(x - y) <= atol + rtol * torch.abs(y)
    if not _holds(holds):
        _fail(message, f"x and y are close (rtol={rtol:g}, atol={atol:g})", x, y, holds, summarize)


def _check_rank(x, rank, message, at_least: bool) -> None:
    t = _t(x)
    expected = int(rank.item() if isinstance(rank, torch.Tensor) else rank)
    if t.dim() < expected if at_least else t.dim() != expected:
        prefix = f"{message}. " if message else ""
        bound = "at least " if at_least else ""
        raise ValueError(
            f"{prefix}Tensor must have rank {bound}{expected}. Received rank {t.dim()}, "
            f"shape {tuple(t.shape)}."
        )


def assert_rank(x, rank, message=None, name: str | None = None) -> None:
    """Checks that `x` has the given rank.

    Args:
        x: a tensor-like value.
        rank: the expected number of dimensions.
        message: text to put at the start of the error.
        name: unused.

    Raises:
        ValueError: if the rank differs.

    Example:
    >>> tf.debugging.assert_rank(tf.zeros((2, 3)), 2)
    """
    del name
    _check_rank(x, rank, message, at_least=False)


def assert_rank_at_least(x, rank, message=None, name: str | None = None) -> None:
    """Checks that `x` has at least the given rank.

    Args:
        x: a tensor-like value.
        rank: the minimum number of dimensions.
        message: text to put at the start of the error.
        name: unused.

    Raises:
        ValueError: if the rank is smaller.

    Example:
    >>> tf.debugging.assert_rank_at_least(tf.zeros((2, 3)), 1)
    """
    del name
    _check_rank(x, rank, message, at_least=True)


def assert_type(tensor, tf_type, message=None, name: str | None = None) -> None:
    """Checks that `tensor` has dtype `tf_type`.

    Args:
        tensor: a tensor.
        tf_type: the expected dtype.
        message: text to put at the start of the error.
        name: unused.

    Raises:
        TypeError: if the dtype differs.

    Example:
    >>> tf.debugging.assert_type(tf.constant(1.0), tf.float32)
    """
    del name
    t = _t(tensor)
    expected = as_dtype(tf_type)
    if t.dtype != expected:
        prefix = f"{message}: " if message else ""
        raise TypeError(
            f"{prefix}tensor must be of type {dtype_name(expected)}; got {dtype_name(t.dtype)}."
        )


def _is_any(entry) -> bool:
    return entry is None or entry == "."


def _as_size(entry):
    if isinstance(entry, (builtins.bool, np.bool_)):
        return None
    if isinstance(entry, (int, np.integer)):
        return int(entry)
    if isinstance(entry, str):
        try:
            return int(entry)
        except ValueError:
            return None
    return None


def assert_shapes(shapes, data=None, summarize=None, message=None, name: str | None = None) -> None:
    """Checks tensor shapes and that named dimensions agree across tensors.

    Each spec is an iterable of entries: an int (an exact size), None or '.'
    (any size), or any other value such as 'N' (a symbol: every dimension with
    that symbol must have the same size). A first entry `...` or '*' lets any
    number of outer dimensions come before the rest. Scalars and empty specs
    count as one dimension of size 1.

    Args:
        shapes: a list of `(tensor, spec)` pairs, or a dict from tensor to spec.
        data: unused.
        summarize: unused.
        message: text to put at the start of the error.
        name: unused.

    Raises:
        ValueError: naming the tensor, the dimension and the conflicting sizes.

    Example:
    >>> tf.debugging.assert_shapes([(tf.zeros((4, 3)), ('N', 3)), (tf.zeros(4), ('N',))])
    """
    del data, summarize, name
    pairs = list(shapes.items()) if isinstance(shapes, dict) else list(shapes)
    prefix = f"{message}. " if message else ""
    symbols: dict = {}
    for number, (tensor, spec) in enumerate(pairs):
        t = _t(tensor)
        actual = tuple(t.shape) or (1,)
        entries = list(spec)
        open_prefix = bool(entries) and (entries[0] is Ellipsis or entries[0] == "*")
        if open_prefix:
            entries = entries[1:]
        if not entries and not open_prefix:
            entries = [1]
        label = f"tensor {number} (shape {tuple(t.shape)})"
        if open_prefix:
            if len(actual) < len(entries):
                raise ValueError(
                    f"{prefix}{label} must have at least rank {len(entries)} for spec {tuple(spec)}."
                )
            dims = actual[len(actual) - len(entries) :]
            offset = len(actual) - len(entries)
        else:
            if len(actual) != len(entries):
                raise ValueError(
                    f"{prefix}{label} must have rank {len(entries)} to match spec "
                    f"{tuple(spec)}; it has rank {t.dim()}."
                )
            dims, offset = actual, 0
        for i, (entry, size) in enumerate(zip(entries, dims)):
            if _is_any(entry):
                continue
            exact = _as_size(entry)
            if exact is not None:
                if exact != size:
                    raise ValueError(
                        f"{prefix}{label}: dimension {i + offset} must be {exact} (spec "
                        f"{tuple(spec)}), got {size}."
                    )
                continue
            if entry in symbols and symbols[entry][0] != size:
                seen, where = symbols[entry]
                raise ValueError(
                    f"{prefix}{label}: dimension {i + offset} ({entry!r}) is {size}, but "
                    f"{entry!r} is {seen} in {where}."
                )
            symbols.setdefault(entry, (size, label))


def _check_finite(tensor, message: str) -> torch.Tensor:
    t = _t(tensor)
    if not (t.is_floating_point() or t.is_complex()):
        return t
    finite = torch.isfinite(t)
    if not _holds(finite):
        kind = "NaN" if bool(torch.isnan(t).any()) else "Inf"
        bad_inf = kind == "NaN" and bool(torch.isinf(t).any())
        what = "NaN and Inf" if bad_inf else kind
        raise InvalidArgumentError(
            f"{message} : Tensor had {what} values (shape {tuple(t.shape)}, "
            f"{int((~finite).sum())} non-finite of {t.numel()})."
        )
    return t


def check_numerics(tensor, message, name: str | None = None) -> torch.Tensor:
    """Raises if `tensor` holds NaN or Inf; otherwise returns it.

    Args:
        tensor: a float tensor.
        message: text to put at the start of the error.
        name: unused.

    Returns:
        `tensor`.

    Raises:
        InvalidArgumentError: naming whether NaN or Inf was found.

    Example:
    >>> tf.debugging.check_numerics(tf.constant([1.0]), "weights").tolist()
    [1.0]
    """
    del name
    return _check_finite(tensor, message)


def assert_all_finite(x, message, name: str | None = None) -> torch.Tensor:
    """Raises if `x` holds NaN or Inf; otherwise returns it.

    Args:
        x: a float tensor.
        message: text to put at the start of the error.
        name: unused.

    Returns:
        The tensor.

    Raises:
        InvalidArgumentError: naming whether NaN or Inf was found.

    Example:
    >>> tf.debugging.assert_all_finite(tf.constant([1.0]), "ok").tolist()
    [1.0]
    """
    del name
    return _check_finite(x, message)


def is_numeric_tensor(tensor) -> bool:
    """Returns True for a tensor of a numeric (non-bool) dtype.

    Args:
        tensor: any value.

    Returns:
        A Python bool.

    Example:
    >>> tf.debugging.is_numeric_tensor(tf.constant(1.0))
    True
    """
    return isinstance(tensor, torch.Tensor) and tensor.dtype != torch.bool
