"""`tf.strings`: elementwise string ops over string tensors.

The ops take string tensors (see `tork/_backend/string_tensor.py`), Python
`str`/`bytes` or (nested) lists of them, and return string tensors of the same
shape (numeric results, e.g. `length`, are torch tensors). Strings are UTF-8
bytes; ops that look at characters decode them.

Regular expressions use Python's `re` module, which agrees with TensorFlow's
RE2 syntax for common patterns (classes, escapes, `re.escape` output,
alternation, repetition); RE2-only syntax such as `\\pL` is not supported. As in
RE2, a `rewrite` refers to groups as `\\1` ... `\\9` (and `\\0` for the whole
match).

`split` of a scalar gives a 1-D string tensor. TensorFlow returns a
`RaggedTensor` for a batch; tork has no ragged tensors, so a batch is split into
a padded string tensor of shape `(batch, longest)` (padding `b""`), like
`tf.strings.split(x).to_tensor()`.
"""

from __future__ import annotations

import builtins
import re

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.dtypes import as_dtype
from tork._backend.errors import module_getattr as _module_getattr
from tork._backend.string_tensor import StringTensor

__all__ = [
    "as_string",
    "format",
    "join",
    "length",
    "lower",
    "reduce_join",
    "regex_full_match",
    "regex_replace",
    "split",
    "strip",
    "substr",
    "to_hash_bucket_fast",
    "to_hash_bucket_strong",
    "to_number",
    "upper",
]


def _strings(value, where: str) -> np.ndarray:
    """`value` as a plain object ndarray of bytes."""
    if isinstance(value, torch.Tensor):
        raise TypeError(
            f"tf.strings.{where} expects strings, got a tensor of dtype "
            f"{str(value.dtype).replace('torch.', '')}. Convert numbers with "
            "tf.strings.as_string first."
        )
    return string_tensor.make(value, f"tf.strings.{where}").view(np.ndarray)


def _map(fn, array: np.ndarray) -> StringTensor:
    out = np.empty(array.shape, dtype=object)
    flat_in, flat_out = array.reshape(-1), out.reshape(-1)
    for i, item in enumerate(flat_in):
        flat_out[i] = fn(item)
    return string_tensor.wrap(out)


def _as_bytes(value, name: str, where: str) -> bytes:
    if isinstance(value, StringTensor):
        value = value.numpy()
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes):
        return value
    raise TypeError(f"tf.strings.{where}: `{name}` must be a string, got {value!r:.80}.")


def lower(input, encoding: str = "", name=None) -> StringTensor:  # noqa: A002 - TF's name
    """Converts all uppercase characters to lowercase.

    Args:
        input: a string tensor, str/bytes or list of them.
        encoding: `""` (ASCII letters only, as TensorFlow) or `"utf-8"`.
        name: unused, for TensorFlow compatibility.

    Returns:
        A string tensor of the same shape.

    Example:
    >>> tf.strings.lower(["CamelCase"]).numpy()
    array([b'camelcase'], dtype=object)
    """
    del name
    if encoding:
        return _map(lambda b: b.decode("utf-8").lower().encode("utf-8"), _strings(input, "lower"))
    return _map(bytes.lower, _strings(input, "lower"))


def upper(input, encoding: str = "", name=None) -> StringTensor:  # noqa: A002
    """Converts all lowercase characters to uppercase.

    Args:
        input: a string tensor, str/bytes or list of them.
        encoding: `""` (ASCII letters only, as TensorFlow) or `"utf-8"`.
        name: unused, for TensorFlow compatibility.

    Returns:
        A string tensor of the same shape.

    Example:
    >>> tf.strings.upper("abc").numpy()
    b'ABC'
    """
    del name
    if encoding:
        return _map(lambda b: b.decode("utf-8").upper().encode("utf-8"), _strings(input, "upper"))
    return _map(bytes.upper, _strings(input, "upper"))


_BACKREF = re.compile(r"\\(\d)")


def _text(data: bytes) -> str:
    # RE2 matches UTF-8 text character by character (`.` is one character,
    # not one byte); bytes that are not UTF-8 survive the round trip as
    # surrogate escapes.
    return data.decode("utf-8", "surrogateescape")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _compile(pattern, where: str) -> re.Pattern:
    raw = _as_bytes(pattern, "pattern", where)
    try:
        # re.ASCII: RE2's \w, \d, \s and \b are ASCII-only.
        return re.compile(_text(raw), re.ASCII)
    except re.error as err:
        raise ValueError(
            f"tf.strings.{where}: invalid regular expression {raw.decode('utf-8', 'replace')!r}: "
            f"{err}."
        ) from None


def regex_replace(
    input,  # noqa: A002
    pattern,
    rewrite,
    replace_global: bool = True,
    name=None,
) -> StringTensor:
    """Replaces the matches of a regular expression in each string.

    Args:
        input: a string tensor, str/bytes or list of them.
        pattern: the regular expression (RE2 syntax; see the module notes).
        rewrite: the replacement; `\\1` ... `\\9` insert captured groups,
            `\\0` the whole match.
        replace_global: replace every match (True) or only the first.
        name: unused, for TensorFlow compatibility.

    Returns:
        A string tensor of the same shape.

    Example:
    >>> tf.strings.regex_replace("a<br />b", "<br />", " ").numpy()
    b'a b'
    """
    del name
    regex = _compile(pattern, "regex_replace")
    template = _text(_as_bytes(rewrite, "rewrite", "regex_replace"))
    count = 0 if replace_global else 1
    if "\\" in template:
        # RE2 rewrites know only \0-\9 and \\; Python's expand() would also read \n, \g<1>.
        def repl(match, template=template):
            def group(ref):
                return match.group(int(ref.group(1))) or ""

            return _BACKREF.sub(group, template).replace("\\\\", "\\")

    else:

        def repl(match, template=template):
            return template

    return _map(
        lambda b: _bytes(regex.sub(repl, _text(b), count=count)), _strings(input, "regex_replace")
    )


def regex_full_match(input, pattern, name=None) -> torch.Tensor:  # noqa: A002
    """Checks whether each whole string matches a regular expression.

    Args:
        input: a string tensor, str/bytes or list of them.
        pattern: the regular expression.
        name: unused, for TensorFlow compatibility.

    Returns:
        A bool tensor of the input's shape.

    Example:
    >>> tf.strings.regex_full_match(["ab", "abc"], "a.").tolist()
    [True, False]
    """
    del name
    regex = _compile(pattern, "regex_full_match")
    array = _strings(input, "regex_full_match")
    values = [regex.fullmatch(_text(b)) is not None for b in array.reshape(-1)]
    return torch.tensor(values, dtype=torch.bool).reshape(array.shape)


def strip(input, name=None) -> StringTensor:  # noqa: A002
    """Strips leading and trailing whitespace.

    Args:
        input: a string tensor, str/bytes or list of them.
        name: unused, for TensorFlow compatibility.

    Returns:
        A string tensor of the same shape.

    Example:
    >>> tf.strings.strip(" a b ").numpy()
    b'a b'
    """
    del name
    return _map(bytes.strip, _strings(input, "strip"))


_UNITS = ("BYTE", "UTF8_CHAR")


def _check_unit(unit: str, where: str) -> None:
    if unit not in _UNITS:
        raise ValueError(f"tf.strings.{where}: unit must be one of {list(_UNITS)}, got {unit!r}.")


def length(input, unit: str = "BYTE", name=None) -> torch.Tensor:  # noqa: A002
    """Returns the length of each string, in bytes or UTF-8 characters.

    Args:
        input: a string tensor, str/bytes or list of them.
        unit: `"BYTE"` or `"UTF8_CHAR"`.
        name: unused, for TensorFlow compatibility.

    Returns:
        An int32 tensor of the input's shape.

    Example:
    >>> tf.strings.length(["ab", "é"]).tolist()
    [2, 2]
    """
    del name
    _check_unit(unit, "length")
    array = _strings(input, "length")
    if unit == "BYTE":
        values = [len(b) for b in array.reshape(-1)]
    else:
        values = [len(b.decode("utf-8")) for b in array.reshape(-1)]
    return torch.tensor(values, dtype=torch.int32).reshape(array.shape)


def substr(input, pos, len, unit: str = "BYTE", name=None) -> StringTensor:  # noqa: A002
    """Returns substrings of `len` units starting at `pos` (negative: from the end).

    Args:
        input: a string tensor, str/bytes or list of them.
        pos: the start position (an int, or one per string).
        len: the maximum substring length (an int, or one per string).
        unit: `"BYTE"` or `"UTF8_CHAR"`.
        name: unused, for TensorFlow compatibility.

    Returns:
        A string tensor of the input's shape.

    Raises:
        ValueError: when `pos` is outside a string (as TensorFlow's error).

    Example:
    >>> tf.strings.substr("Hello", 1, 3).numpy()
    b'ell'
    """
    del name
    _check_unit(unit, "substr")
    array = _strings(input, "substr")
    flat = array.reshape(-1)
    positions = np.broadcast_to(_ints(pos), array.shape).reshape(-1)
    lengths = np.broadcast_to(_ints(len), array.shape).reshape(-1)
    out = np.empty(flat.shape, dtype=object)
    for i, item in enumerate(flat):
        text = item if unit == "BYTE" else item.decode("utf-8")
        size = text.__len__()
        start = int(positions[i])
        if start < 0:
            start += size
        if not 0 <= start <= size:
            raise ValueError(
                f"tf.strings.substr: pos {int(positions[i])} is out of range for the string "
                f"{item!r} of length {size}."
            )
        piece = text[start : start + max(int(lengths[i]), 0)]
        out[i] = piece if unit == "BYTE" else piece.encode("utf-8")
    return string_tensor.wrap(out.reshape(array.shape))


def _ints(value) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def join(inputs, separator="", name=None) -> StringTensor:
    """Joins a list of string tensors elementwise (shapes broadcast).

    Args:
        inputs: a list of string tensors (or strings).
        separator: the string placed between the joined parts.
        name: unused, for TensorFlow compatibility.

    Returns:
        A string tensor.

    Example:
    >>> tf.strings.join(["a", ["b", "c"]], separator="-").numpy()
    array([b'a-b', b'a-c'], dtype=object)
    """
    del name
    if isinstance(inputs, StringTensor) or not isinstance(inputs, (list, tuple)):
        raise TypeError(
            "tf.strings.join expects a list of string tensors to join elementwise, got "
            f"{type(inputs).__name__}. To join the elements of one tensor use "
            "tf.strings.reduce_join."
        )
    sep = _as_bytes(separator, "separator", "join")
    arrays = [_strings(x, "join") for x in inputs]
    try:
        parts = np.broadcast_arrays(*arrays)
    except ValueError:
        raise ValueError(
            "tf.strings.join: the inputs' shapes "
            f"{[tuple(a.shape) for a in arrays]} do not broadcast."
        ) from None
    shape = parts[0].shape
    flats = [p.reshape(-1) for p in parts]
    out = np.empty(int(np.prod(shape)), dtype=object)
    for i in range(out.shape[0]):
        out[i] = sep.join(f[i] for f in flats)
    return string_tensor.wrap(out.reshape(shape))


def reduce_join(inputs, axis=None, keepdims: bool = False, separator="", name=None):
    """Joins the strings of a tensor along an axis (all of them by default).

    Args:
        inputs: a string tensor, str/bytes or list of them.
        axis: the axis to join along; None joins everything into a scalar.
        keepdims: keep the reduced axis with size 1.
        separator: the string placed between the joined parts.
        name: unused, for TensorFlow compatibility.

    Returns:
        A string tensor.

    Example:
    >>> tf.strings.reduce_join([["a", "b"], ["c", "d"]], axis=1).numpy()
    array([b'ab', b'cd'], dtype=object)
    """
    del name
    sep = _as_bytes(separator, "separator", "reduce_join")
    array = _strings(inputs, "reduce_join")
    if axis is None:
        result = np.empty((), dtype=object)
        result[()] = sep.join(array.reshape(-1))
        if keepdims:
            result = result.reshape((1,) * array.ndim)
        return string_tensor.wrap(result)
    axis = int(axis)
    if not -array.ndim <= axis < max(array.ndim, 1):
        raise ValueError(
            f"tf.strings.reduce_join: axis {axis} is out of range for a tensor of rank "
            f"{array.ndim}."
        )
    moved = np.moveaxis(array, axis, -1)
    out = np.empty(moved.shape[:-1], dtype=object)
    flat_in = moved.reshape(-1, moved.shape[-1])
    flat_out = out.reshape(-1)
    for i in range(flat_out.shape[0]):
        flat_out[i] = sep.join(flat_in[i])
    if keepdims:
        out = np.expand_dims(out, axis)
    return string_tensor.wrap(out)


def split(input, sep=None, maxsplit: int = -1, name=None) -> StringTensor:  # noqa: A002
    """Splits each string into tokens (on whitespace runs, or on `sep`).

    Args:
        input: a string tensor of rank 0 or 1, or str/bytes or a list of them.
        sep: the separator; None or `""` splits on runs of whitespace.
        maxsplit: at most this many splits per string (-1: no limit).
        name: unused, for TensorFlow compatibility.

    Returns:
        For a scalar, a 1-D string tensor of tokens. For a batch of shape
        `(n,)`, a `(n, longest)` string tensor padded with `b""` (TensorFlow
        returns a RaggedTensor; tork has none, see the module notes).

    Example:
    >>> tf.strings.split("a b  c").numpy()
    array([b'a', b'b', b'c'], dtype=object)
    """
    del name
    array = _strings(input, "split")
    # TF splits on whitespace runs for an empty `sep` too.
    separator = (None if sep is None else _as_bytes(sep, "sep", "split")) or None
    if array.ndim > 1:
        raise ValueError(
            f"tf.strings.split: tork splits scalars and 1-D batches only, got shape "
            f"{array.shape}. Reshape the input to 1-D first."
        )

    def tokens(item):
        if maxsplit == 0:  # TF keeps the string whole (Python would strip whitespace)
            return [item]
        return item.split(separator, maxsplit)

    if array.ndim == 0:
        return string_tensor.make(tokens(array[()]) or np.empty(0, dtype=object), "split")
    rows = [tokens(item) for item in array]
    width = max((r.__len__() for r in rows), default=0)
    out = np.full((array.shape[0], width), b"", dtype=object)
    for i, row in enumerate(rows):
        out[i, : row.__len__()] = row
    return string_tensor.wrap(out)


def to_number(input, out_type=torch.float32, name=None) -> torch.Tensor:  # noqa: A002
    """Parses each string as a number.

    Args:
        input: a string tensor, str/bytes or list of them.
        out_type: the dtype of the result (default float32).
        name: unused, for TensorFlow compatibility.

    Returns:
        A tensor of `out_type` and the input's shape.

    Raises:
        ValueError: naming a string that is not a number.

    Example:
    >>> tf.strings.to_number(["1.5", "-2"]).tolist()
    [1.5, -2.0]
    """
    del name
    dtype = as_dtype(out_type)
    array = _strings(input, "to_number")
    floating = dtype.is_floating_point
    values = []
    for item in array.reshape(-1):
        try:
            values.append(_parse_number(item, floating, dtype))
        except ValueError:
            kind = "a floating point number" if floating else "an integer"
            raise ValueError(
                f"tf.strings.to_number: StringToNumberOp could not correctly convert string: "
                f"{item!r} is not {kind} (out_type={str(dtype).replace('torch.', '')})."
            ) from None
    return torch.tensor(values, dtype=dtype).reshape(array.shape)


def _hash_buckets(input, num_buckets, hash_fn, where: str) -> torch.Tensor:  # noqa: A002
    buckets = int(_ints(num_buckets))
    if buckets < 1:
        raise ValueError(f"tf.strings.{where}: num_buckets must be >= 1, got {buckets}.")
    array = _strings(input, where)
    values = [hash_fn(item) % buckets for item in array.reshape(-1)]
    return torch.tensor(values, dtype=torch.int64).reshape(array.shape)


def to_hash_bucket_fast(input, num_buckets, name=None) -> torch.Tensor:  # noqa: A002
    """Hashes each string into one of `num_buckets` buckets (FarmHash Fingerprint64).

    The bucket is `Fingerprint64(string) % num_buckets`, bit for bit as in
    TensorFlow (and the Keras `Hashing` layer without a salt).

    Args:
        input: a string tensor, str/bytes or list of them.
        num_buckets: the number of buckets (>= 1).
        name: unused, for TensorFlow compatibility.

    Returns:
        An int64 tensor of the input's shape.

    Example:
    >>> tf.strings.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3).tolist()
    [0, 2, 2]
    """
    del name
    # Imported here: the hashes live with the Keras preprocessing layers.
    from tork.keras.layers.preprocessing._fingerprint import fingerprint64

    return _hash_buckets(input, num_buckets, fingerprint64, "to_hash_bucket_fast")


def to_hash_bucket_strong(input, num_buckets, key, name=None) -> torch.Tensor:  # noqa: A002
    """Hashes each string into one of `num_buckets` buckets with keyed SipHash-2-4.

    Args:
        input: a string tensor, str/bytes or list of them.
        num_buckets: the number of buckets (>= 1).
        key: two non-negative integers, the SipHash key.
        name: unused, for TensorFlow compatibility.

    Returns:
        An int64 tensor of the input's shape.

    Example:
    >>> tf.strings.to_hash_bucket_strong(["Hello", "TensorFlow", "2.x"], 3, [1, 2]).tolist()
    [2, 2, 1]
    """
    del name
    from tork.keras.layers.preprocessing._fingerprint import siphash64

    words = [int(k) for k in np.asarray(_ints(key)).reshape(-1)]
    if len(words) != 2:
        raise ValueError(
            f"tf.strings.to_hash_bucket_strong: `key` must hold 2 integers, got {key!r}."
        )
    return _hash_buckets(
        input, num_buckets, lambda b: siphash64(words[0], words[1], b), "to_hash_bucket_strong"
    )


# What TF's parsers (strtod / strto64) accept: ASCII digits only, no `_`
# separators (Python's float()/int() take both), hex floats, inf/nan.
_DECIMAL_FLOAT = re.compile(
    r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)", re.IGNORECASE
)
_HEX_FLOAT = re.compile(r"[+-]?0x(?:[0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p[+-]?\d+)?", re.I)
_INTEGER = re.compile(r"[+-]?\d+")


def _parse_number(item: bytes, floating: bool, dtype: torch.dtype):
    text = item.decode("ascii", "replace").strip(" \t\n\r\f\v")
    if floating:
        if _DECIMAL_FLOAT.fullmatch(text):
            return float(text)
        if _HEX_FLOAT.fullmatch(text):
            sign = -1.0 if text.startswith("-") else 1.0
            return sign * float.fromhex(text.lstrip("+-"))
        raise ValueError(text)
    if not _INTEGER.fullmatch(text):
        raise ValueError(text)
    value = int(text)
    info = torch.iinfo(dtype)
    if not info.min <= value <= info.max:  # TF reports out-of-range integers
        raise ValueError(text)
    return value


def as_string(
    input,  # noqa: A002
    precision: int = -1,
    scientific: bool = False,
    shortest: bool = False,
    width: int = -1,
    fill: str = "",
    name=None,
) -> StringTensor:
    """Formats each number of a tensor as a string.

    Floats use 6 decimals by default (TensorFlow's `%f`), or `precision`
    decimals; `shortest` picks the shortest of `%f`/`%e`, `scientific` `%e`.

    Args:
        input: a numeric tensor, array or Python number(s).
        precision: decimals for floats (-1: the default of 6).
        scientific: use scientific notation.
        shortest: use the shortest representation (`%g`).
        width: pad to at least this many characters.
        fill: `""` (pad with spaces) or `"0"`.
        name: unused, for TensorFlow compatibility.

    Returns:
        A string tensor of the input's shape.

    Example:
    >>> tf.strings.as_string([1, 2]).numpy()
    array([b'1', b'2'], dtype=object)
    """
    del name
    from tork._backend.tensor import convert_to_tensor, to_numpy

    tensor = convert_to_tensor(input)
    if isinstance(tensor, StringTensor):
        raise TypeError("tf.strings.as_string expects numbers, got a string tensor.")
    array = to_numpy(tensor)
    pad = ("0" if fill == "0" else "") + (str(width) if width > 0 else "")
    if tensor.is_floating_point() or tensor.is_complex():
        kind = "g" if shortest else ("e" if scientific else "f")
        spec = pad + (f".{precision}" if precision >= 0 else "") + kind
        if tensor.is_complex():
            # TF prints complex numbers as "(real,imag)", each part formatted alike.
            return _map(
                lambda v: (
                    f"({builtins.format(v.real, spec)},{builtins.format(v.imag, spec)})".encode()
                ),
                array.astype(object),
            )
    elif tensor.dtype == torch.bool:
        return _map(lambda v: b"true" if v else b"false", array.astype(object))
    else:
        spec = pad + "d"
    return _map(lambda v: builtins.format(v, spec).encode("utf-8"), array.astype(object))


def format(template: str, inputs, placeholder: str = "{}", summarize: int = 3, name=None):  # noqa: A001
    """Formats a template, replacing each `placeholder` with one of `inputs`.

    Tensors print as TensorFlow prints them: nested brackets, elements
    separated by spaces, floats in their shortest round-tripping form, strings
    in double quotes, and each dimension longer than `2 * summarize` cut to
    its first and last `summarize` entries around `...`.

    Args:
        template: the template string.
        inputs: a tensor or list of tensors/values, one per placeholder.
        placeholder: the placeholder text.
        summarize: entries kept at each end of every dimension (-1: all).
        name: unused, for TensorFlow compatibility.

    Returns:
        A scalar string tensor.

    Example:
    >>> tf.strings.format("x={}", [1]).numpy()
    b'x=1'
    """
    del name
    values = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
    parts = template.split(placeholder)
    if len(parts) - 1 != len(values):
        raise ValueError(
            f"tf.strings.format: the template has {len(parts) - 1} placeholder(s) "
            f"{placeholder!r} but {len(values)} input(s) were given."
        )
    out = parts[0]
    for value, rest in zip(values, parts[1:]):
        out += _format_value(value, int(summarize)) + rest
    return string_tensor.make(out, "tf.strings.format")


def _format_value(value, summarize: int) -> str:
    from tork._backend.tensor import convert_to_tensor, to_numpy

    tensor = convert_to_tensor(value)
    if isinstance(tensor, StringTensor):
        array = np.asarray(tensor.view(np.ndarray), dtype=object)
        dtype = None
    else:
        array = to_numpy(tensor)
        dtype = tensor.dtype
    if array.ndim == 0:
        return _format_element(array[()], dtype)
    ends = array.size if summarize < 0 else min(summarize, array.size)
    return _format_dims(array, ends, dtype, 0)


def _format_dims(array: np.ndarray, ends: int, dtype, depth: int) -> str:
    """One dimension of TF's tensor printing (`PrintOneDimV2`), recursively."""
    if not isinstance(array, np.ndarray):  # one element of an object (string) array
        return _format_element(array, dtype)
    if array.ndim == 0:
        return _format_element(array[()], dtype)
    spacing = " " if array.ndim == 1 else "\n" * (array.ndim - 1) + " " * (depth + 1)
    count = array.shape[0]
    pieces = [_format_dims(array[i], ends, dtype, depth + 1) for i in range(min(ends, count))]
    text = spacing.join(pieces)
    if count > 2 * ends:
        text += spacing + "..."
    for i in range(max(ends, count - ends), count):
        text += spacing + _format_dims(array[i], ends, dtype, depth + 1)
    return "[" + text + "]"


def _format_element(value, dtype) -> str:
    if dtype is None:
        text = value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else value
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return '"' + escaped.replace("\t", "\\t").replace("\r", "\\r") + '"'
    if dtype == torch.bool:
        return "1" if value else "0"
    if dtype.is_complex:
        return "?"
    if dtype.is_floating_point:
        value = float(value)
        if value != value or value in (float("inf"), float("-inf")):
            return "nan" if value != value else ("inf" if value > 0 else "-inf")
        # TF's FloatToBuffer/DoubleToBuffer: %g with 6 (15) digits, 9 (17) when
        # that does not read back as the same value.
        short, full = (15, 17) if dtype == torch.float64 else (6, 9)
        text = f"{value:.{short}g}"
        same = float(text) == value if dtype == torch.float64 else np.float32(text) == value
        return text if same else f"{value:.{full}g}"
    return str(int(value))


__getattr__ = _module_getattr("tf.strings")
