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

`split`, `unicode_split`, `unicode_decode` and `bytes_split` of a scalar give a
1-D tensor, and of a batch a `tf.RaggedTensor` (one row per string), as in
TensorFlow. The elementwise ops also take a `RaggedTensor` of strings: they
apply to its flat values and keep its rows.
"""

from __future__ import annotations

import builtins
import codecs
import functools
import inspect
import re
import threading

import numpy as np
import torch

from tork import _symbolic
from tork._backend import string_tensor
from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.errors import InvalidArgumentError as _InvalidArgumentError
from tork._backend.errors import module_getattr as _module_getattr
from tork._backend.ragged_tensor import RaggedTensor as _RaggedTensor
from tork._backend.string_tensor import StringTensor

__all__ = [
    "as_string",
    "bytes_split",
    "format",
    "join",
    "length",
    "lower",
    "ngrams",
    "reduce_join",
    "regex_full_match",
    "regex_replace",
    "split",
    "strip",
    "substr",
    "to_hash_bucket",
    "to_hash_bucket_fast",
    "to_hash_bucket_strong",
    "to_number",
    "unicode_decode",
    "unicode_decode_with_offsets",
    "unicode_encode",
    "unicode_script",
    "unicode_split",
    "unicode_split_with_offsets",
    "unicode_transcode",
    "unsorted_segment_join",
    "upper",
]


def _elementwise(fn):
    """Lets an elementwise op take a RaggedTensor: it runs on the flat values."""
    first = next(iter(inspect.signature(fn).parameters))

    @functools.wraps(fn)
    def op(*args, **kwargs):
        value = args[0] if args else kwargs.get(first)
        if not isinstance(value, _RaggedTensor):
            return fn(*args, **kwargs)
        if args:
            args = (value.flat_values,) + args[1:]
        else:
            kwargs[first] = value.flat_values
        return value.with_flat_values(fn(*args, **kwargs))

    return op


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


@_elementwise
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


@_elementwise
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


@_elementwise
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


@_elementwise
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


@_elementwise
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


@_elementwise
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
        # TF counts the bytes that do not continue a character (`0b10xxxxxx`): the number
        # of characters for valid UTF-8, and no decoding error for invalid bytes.
        values = [sum((c & 0xC0) != 0x80 for c in b) for b in array.reshape(-1)]
    return torch.tensor(values, dtype=torch.int32).reshape(array.shape)


@_elementwise
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

    A negative `len` means "to the end" for `unit="BYTE"` and an empty result for
    `unit="UTF8_CHAR"` (TensorFlow's kernels; a negative `pos` with a negative `len`
    raises there, as in TensorFlow).

    Raises:
        InvalidArgumentError: when `pos` is outside a string (as TensorFlow's error).

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
        start, count = int(positions[i]), int(lengths[i])
        if start < 0:
            start += size
        bad = not 0 <= start <= size
        if unit != "BYTE" and count < 0 and int(positions[i]) < 0:
            bad = True  # TF's UTF8_CHAR kernel refuses this combination
        if bad:
            raise _InvalidArgumentError(
                f"tf.strings.substr: pos {int(positions[i])} is out of range for the string "
                f"{item!r} of length {size} (unit {unit})."
            )
        if count < 0:
            # TF's BYTE kernel reads a negative length as "to the end" (an unsigned
            # size); its UTF8_CHAR kernel gives an empty string.
            count = size if unit == "BYTE" else 0
        piece = text[start : start + count]
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
    ragged = [x for x in inputs if isinstance(x, _RaggedTensor)]
    if ragged:
        # Ragged inputs share one row structure; the other inputs broadcast to its values.
        from tork._backend.ragged_tensor import _same_partitions

        for other in ragged[1:]:
            if not _same_partitions(ragged[0], other):
                raise ValueError("tf.strings.join: the RaggedTensors have different row lengths.")
        flat = [x.flat_values if isinstance(x, _RaggedTensor) else x for x in inputs]
        return ragged[0].with_flat_values(join(flat, separator))
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
    if isinstance(inputs, _RaggedTensor):
        return _reduce_join_ragged(inputs, axis, keepdims, sep)
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


def split(input, sep=None, maxsplit: int = -1, name=None):  # noqa: A002
    """Splits each string into tokens (on whitespace runs, or on `sep`).

    Args:
        input: a string tensor, str/bytes, a list of them, or a RaggedTensor of strings.
        sep: the separator; None or `""` splits on runs of whitespace.
        maxsplit: at most this many splits per string (-1: no limit).
        name: unused, for TensorFlow compatibility.

    Returns:
        For a scalar, a 1-D string tensor of tokens. For a batch, a
        `RaggedTensor` with one more (ragged) dimension: the tokens of each string.

    Example:
    >>> tf.strings.split("a b  c").numpy()
    array([b'a', b'b', b'c'], dtype=object)
    >>> tf.strings.split(["a b", "c"]).to_list()
    [[b'a', b'b'], [b'c']]
    """
    del name
    if isinstance(input, _RaggedTensor):
        return input.with_flat_values(split(input.flat_values, sep, maxsplit))
    array = _strings(input, "split")
    # TF splits on whitespace runs for an empty `sep` too.
    separator = (None if sep is None else _as_bytes(sep, "sep", "split")) or None

    def tokens(item):
        if maxsplit == 0:  # TF keeps the string whole (Python would strip whitespace)
            return [item]
        parts = item.split(separator, maxsplit)
        if separator is None and 0 < maxsplit == len(parts):
            # TF's whitespace split adds the (empty) rest of the string once it has made
            # `maxsplit` splits: split(["a b"], maxsplit=2) is [[b"a", b"b", b""]].
            parts.append(item[:0])
        return parts

    return _ragged_rows(array, tokens, _string_row)


def _string_row(items: list) -> StringTensor:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return string_tensor.wrap(out)


def _int_row(items: list) -> torch.Tensor:
    return torch.tensor(items, dtype=torch.int32)


def _ragged_rows(array: np.ndarray, row_fn, build):
    """`row_fn(item)` (a list) for each string: a 1-D tensor for a scalar, else a
    RaggedTensor with one row per string (`build` makes the values tensor)."""
    if array.ndim == 0:
        return build(row_fn(array[()]))
    rows = [row_fn(item) for item in array.reshape(-1)]
    values = build([v for row in rows for v in row])
    lengths = torch.tensor([len(row) for row in rows], dtype=torch.int64)
    return _outer(_RaggedTensor.from_row_lengths(values, lengths, validate=False), array.shape)


def _outer(result: _RaggedTensor, shape: tuple) -> _RaggedTensor:
    """Gives a RaggedTensor over the flattened strings back their outer dimensions."""
    for size in reversed(shape[1:]):
        result = _RaggedTensor.from_uniform_row_length(result, int(size))
    return result


def _segment_join(parts, sep: bytes) -> bytes:
    """TF's segment join: the separator goes only after a non-empty partial result, so
    leading empty strings leave no separator (`["", "a"]` joins to `b"a"`, not `b"|a"`).
    `unsorted_segment_join` and the ragged `reduce_join` (built on it) join this way."""
    out = b""
    for part in parts:
        if out:
            out += sep
        out += part
    return out


def _reduce_join_ragged(rt: _RaggedTensor, axis, keepdims: bool, sep: bytes):
    if not isinstance(rt.flat_values, StringTensor):
        raise TypeError("tf.strings.reduce_join expects strings, got a numeric _RaggedTensor.")
    if axis is None:
        out = np.empty((), dtype=object)
        out[()] = sep.join(np.asarray(rt.flat_values).reshape(-1))
        return string_tensor.wrap(out.reshape((1,) * rt.ndim) if keepdims else out)
    axis = rt._axis(int(axis))
    if len(rt.flat_values.shape) != 1:
        raise NotImplementedError(
            "tork: tf.strings.reduce_join of a RaggedTensor with uniform inner dimensions."
        )
    if axis == rt.ragged_rank:  # the innermost (ragged) axis: join each row
        parents, node = [], rt
        while isinstance(node.values, _RaggedTensor):
            parents.append(node)
            node = node.values
        values, splits = np.asarray(node.values), node.row_splits.tolist()
        joined = _string_row(
            [_segment_join(values[splits[i] : splits[i + 1]], sep) for i in range(len(splits) - 1)]
        )
        for parent in reversed(parents):
            joined = parent.with_values(joined)
        if keepdims:
            if parents:
                raise NotImplementedError(
                    "tork: keepdims=True in tf.strings.reduce_join of a nested _RaggedTensor."
                )
            joined = string_tensor.wrap(np.asarray(joined).reshape(-1, 1))
        return joined
    if axis == 0 and rt.ragged_rank == 1 and not keepdims:
        # Entry j joins value j of every row that has one.
        columns: list = []
        values, splits = np.asarray(rt.values), rt.row_splits.tolist()
        for i in range(len(splits) - 1):
            for j, item in enumerate(values[splits[i] : splits[i + 1]]):
                if j == len(columns):
                    columns.append([])
                columns[j].append(item)
        return _string_row([_segment_join(c, sep) for c in columns])
    raise NotImplementedError(
        f"tork: tf.strings.reduce_join of a RaggedTensor along axis {axis} (supported: None, "
        "the innermost ragged axis, and axis 0 of a ragged_rank 1 tensor)."
    )


def bytes_split(input, name=None):  # noqa: A002
    """Splits each string into its bytes.

    Args:
        input: a string tensor, str/bytes, a list of them, or a RaggedTensor of strings.
        name: unused.

    Returns:
        For a scalar, a 1-D string tensor of single bytes; for a batch, a _RaggedTensor.

    Example:
    >>> tf.strings.bytes_split("ab").numpy()
    array([b'a', b'b'], dtype=object)
    """
    del name
    if isinstance(input, _RaggedTensor):
        return input.with_flat_values(bytes_split(input.flat_values))
    array = _strings(input, "bytes_split")
    return _ragged_rows(array, lambda b: [b[i : i + 1] for i in range(len(b))], _string_row)


# ---------------------------------------------------------------- unicode

_ERRORS = ("strict", "replace", "ignore")
_BAD = chr(0xD800)  # stands for one invalid byte sequence (UTF decoders never give surrogates)
# (start, end) of each invalid sequence of the current decode, per thread (tf.data maps
# may run in threads).
_decoding = threading.local()


def _mark_invalid(err: UnicodeDecodeError):
    _decoding.spans.append((err.start, err.end))
    return _BAD, err.end


codecs.register_error("tork_mark_invalid", _mark_invalid)


def _codec(encoding, where: str) -> str:
    name = _as_bytes(encoding, "encoding", where).decode("ascii", "replace")
    try:
        codecs.lookup(name)
    except LookupError:
        raise _InvalidArgumentError(f"tf.strings.{where}: unknown encoding {name!r}.") from None
    return name


def _check_errors(errors: str, where: str) -> None:
    if errors not in _ERRORS:
        raise ValueError(
            f"tf.strings.{where}: errors must be one of {list(_ERRORS)}, got {errors!r}."
        )


def _decode(item: bytes, encoding: str, errors: str, replacement: int, controls: bool, where: str):
    """(codepoints, byte offsets) of one string."""
    _decoding.spans = spans = []
    text = item.decode(encoding, "tork_mark_invalid")
    if spans and errors == "strict":
        raise _InvalidArgumentError(
            f"tf.strings.{where}: Invalid formatting on input string {item!r:.80} "
            f"({encoding}, errors='strict')."
        )
    points, offsets, pos, bad = [], [], 0, 0
    for ch in text:
        if ch == _BAD:
            start, end = spans[bad]
            bad += 1
            if errors == "replace":
                points.append(replacement)
                offsets.append(start)
            pos = end
            continue
        code = ord(ch)
        if controls and code < 0x20:
            code = replacement
        points.append(code)
        offsets.append(pos)
        pos += len(ch.encode(encoding, "surrogatepass"))
    return points, offsets


def _encode_points(points, encoding: str, errors: str, replacement: int, where: str) -> bytes:
    chars = []
    for code in points:
        code = int(code)
        if 0 <= code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            chars.append(chr(code))
        elif errors == "replace":
            chars.append(chr(replacement))
        elif errors == "strict":
            raise _InvalidArgumentError(f"tf.strings.{where}: invalid code point {code}.")
    return "".join(chars).encode(encoding, "surrogatepass")


def unicode_decode(
    input,  # noqa: A002
    input_encoding,
    errors: str = "replace",
    replacement_char: int = 65533,
    replace_control_characters: bool = False,
    name=None,
):
    """Decodes each string into its Unicode code points.

    Args:
        input: a string tensor, str/bytes, a list of them, or a RaggedTensor of strings.
        input_encoding: the strings' encoding, e.g. `"UTF-8"`, `"UTF-16-BE"`.
        errors: for invalid input, `"replace"` (with `replacement_char`),
            `"ignore"` (drop it) or `"strict"` (raise).
        replacement_char: the code point that replaces invalid input.
        replace_control_characters: also replace C0 control characters.
        name: unused.

    Returns:
        int32 code points: a 1-D tensor for a scalar, else a _RaggedTensor.

    Example:
    >>> tf.strings.unicode_decode(["hé", "a"], "UTF-8").to_list()
    [[104, 233], [97]]
    """
    return _unicode_rows(
        input,
        input_encoding,
        errors,
        replacement_char,
        replace_control_characters,
        "unicode_decode",
        False,
        False,
    )


def unicode_decode_with_offsets(
    input,  # noqa: A002
    input_encoding,
    errors: str = "replace",
    replacement_char: int = 65533,
    replace_control_characters: bool = False,
    name=None,
):
    """`unicode_decode`, plus the byte offset where each character starts.

    Returns:
        A tuple `(codepoints, offsets)` of one structure (offsets are int64).

    Example:
    >>> codepoints, offsets = tf.strings.unicode_decode_with_offsets(["hé"], "UTF-8")
    >>> offsets.to_list()
    [[0, 1]]
    """
    return _unicode_rows(
        input,
        input_encoding,
        errors,
        replacement_char,
        replace_control_characters,
        "unicode_decode_with_offsets",
        False,
        True,
    )


def unicode_split(
    input, input_encoding, errors: str = "replace", replacement_char: int = 65533, name=None
):  # noqa: A002
    """Splits each string into its characters (each a string in `input_encoding`).

    Invalid input becomes `replacement_char` (errors="replace"), is dropped
    ("ignore") or raises ("strict").

    Returns:
        A 1-D string tensor for a scalar, else a RaggedTensor of strings.

    Example:
    >>> tf.strings.unicode_split(["abc", "xy"], "UTF-8").to_list()
    [[b'a', b'b', b'c'], [b'x', b'y']]
    """
    return _unicode_rows(
        input, input_encoding, errors, replacement_char, False, "unicode_split", True, False
    )


def unicode_split_with_offsets(
    input, input_encoding, errors: str = "replace", replacement_char: int = 65533, name=None
):  # noqa: A002
    """`unicode_split`, plus the byte offset where each character starts.

    Example:
    >>> chars, offsets = tf.strings.unicode_split_with_offsets(["hé"], "UTF-8")
    >>> offsets.to_list()
    [[0, 1]]
    """
    return _unicode_rows(
        input,
        input_encoding,
        errors,
        replacement_char,
        False,
        "unicode_split_with_offsets",
        True,
        True,
    )


def _unicode_rows(input, encoding, errors, replacement, controls, where, as_chars, with_offsets):  # noqa: A002
    if isinstance(input, _RaggedTensor):
        out = _unicode_rows(
            input.flat_values,
            encoding,
            errors,
            replacement,
            controls,
            where,
            as_chars,
            with_offsets,
        )
        if with_offsets:
            return tuple(input.with_flat_values(o) for o in out)
        return input.with_flat_values(out)
    _check_errors(errors, where)
    codec = _codec(encoding, where)
    array = _strings(input, where)
    decoded = [
        _decode(item, codec, errors, int(replacement), controls, where)
        for item in array.reshape(-1)
    ]
    if as_chars:
        rows = [[chr(c).encode(codec, "surrogatepass") for c in points] for points, _ in decoded]
        build = _string_row
    else:
        rows = [points for points, _ in decoded]
        build = _int_row
    # The rows are computed; _ragged_rows lays them out by their strings' positions.
    shaped = np.arange(len(rows)).reshape(array.shape)
    values = _ragged_rows(shaped, lambda i: rows[i], build)
    if not with_offsets:
        return values
    offset_rows = [offsets for _, offsets in decoded]
    offsets = _ragged_rows(
        shaped, lambda i: offset_rows[i], lambda items: torch.tensor(items, dtype=torch.int64)
    )
    return values, offsets


def unicode_encode(
    input, output_encoding, errors: str = "replace", replacement_char: int = 65533, name=None
):  # noqa: A002
    """Encodes code points (along the last axis) into strings.

    Args:
        input: int code points: a tensor (the last axis holds each string's
            characters) or a RaggedTensor (each innermost row is one string).
        output_encoding: `"UTF-8"`, `"UTF-16-BE"` or `"UTF-32-BE"`.
        errors: for invalid code points: `"replace"`, `"ignore"` or `"strict"`.
        replacement_char: the code point used by `errors="replace"`.
        name: unused.

    Returns:
        A string tensor with one dimension less (a RaggedTensor for input of
        `ragged_rank > 1`).

    Example:
    >>> tf.strings.unicode_encode(tf.ragged.constant([[104, 233], [97]]), "UTF-8").numpy()
    array([b'h\\xc3\\xa9', b'a'], dtype=object)
    """
    del name
    _check_errors(errors, "unicode_encode")
    codec = _codec(output_encoding, "unicode_encode")
    if isinstance(input, _RaggedTensor):
        if isinstance(input.values, _RaggedTensor):
            return input.with_values(
                unicode_encode(input.values, output_encoding, errors, replacement_char)
            )
        points, splits = _ints(input.values).reshape(-1).tolist(), input.row_splits.tolist()
        return _string_row(
            [
                _encode_points(
                    points[splits[i] : splits[i + 1]],
                    codec,
                    errors,
                    replacement_char,
                    "unicode_encode",
                )
                for i in range(len(splits) - 1)
            ]
        )
    from tork._backend.tensor import convert_to_tensor

    array = _ints(convert_to_tensor(input))
    if array.ndim == 0:
        raise ValueError("tf.strings.unicode_encode: input must have rank >= 1 (the characters).")
    rows = array.reshape(-1, array.shape[-1]).tolist()
    out = np.empty(len(rows), dtype=object)
    out[:] = [_encode_points(r, codec, errors, replacement_char, "unicode_encode") for r in rows]
    return string_tensor.wrap(out.reshape(array.shape[:-1]))


@_elementwise
def unicode_transcode(
    input,  # noqa: A002
    input_encoding,
    output_encoding,
    errors: str = "replace",
    replacement_char: int = 65533,
    replace_control_characters: bool = False,
    name=None,
) -> StringTensor:
    """Re-encodes each string from `input_encoding` to `output_encoding`.

    Example:
    >>> tf.strings.unicode_transcode(["hé"], "UTF-8", "UTF-16-BE").numpy()
    array([b'\\x00h\\x00\\xe9'], dtype=object)
    """
    del name
    _check_errors(errors, "unicode_transcode")
    source = _codec(input_encoding, "unicode_transcode")
    target = _codec(output_encoding, "unicode_transcode")

    def convert(item):
        points, _ = _decode(
            item,
            source,
            errors,
            int(replacement_char),
            replace_control_characters,
            "unicode_transcode",
        )
        return _encode_points(points, target, errors, int(replacement_char), "unicode_transcode")

    return _map(convert, _strings(input, "unicode_transcode"))


# ---------------------------------------------------------------- ngrams, segment join


def ngrams(
    data,
    ngram_width,
    separator=" ",
    pad_values=None,
    padding_width=None,
    preserve_short_sequences: bool = False,
    name=None,
):
    """Joins each run of `ngram_width` consecutive strings of a row (along the last axis).

    Args:
        data: a RaggedTensor of strings, or a string tensor (rows along its last axis).
        ngram_width: an int, or a list of ints (all widths, widest last).
        separator: placed between the joined strings.
        pad_values: None (no padding), a string for both ends, or a
            `(left, right)` pair.
        padding_width: pads per end (default `width - 1`; never more than that).
        preserve_short_sequences: a row too short for any ngram gives one ngram
            of all its (padded) strings.
        name: unused.

    Returns:
        A RaggedTensor for ragged input, else a string tensor.

    Example:
    >>> tf.strings.ngrams(["a", "b", "c"], 2).numpy()
    array([b'a b', b'b c'], dtype=object)
    """
    del name
    widths = [
        int(w) for w in (ngram_width if isinstance(ngram_width, (list, tuple)) else [ngram_width])
    ]
    if any(w < 1 for w in widths):
        raise ValueError(f"tf.strings.ngrams: ngram_width must be >= 1, got {ngram_width!r}.")
    sep = _as_bytes(separator, "separator", "ngrams")
    if pad_values is None:
        if padding_width is not None:
            raise ValueError(
                "tf.strings.ngrams: pad_values must be provided if padding_width is set "
                "(pass pad_values='' or a (left, right) pair)."
            )
        pads = None
    elif isinstance(pad_values, (tuple, list)):
        if len(pad_values) != 2:
            raise ValueError(
                "tf.strings.ngrams: pad_values must be a string or a (left, right) pair."
            )
        pads = (
            _as_bytes(pad_values[0], "pad_values", "ngrams"),
            _as_bytes(pad_values[1], "pad_values", "ngrams"),
        )
    else:
        pads = (_as_bytes(pad_values, "pad_values", "ngrams"),) * 2
    if padding_width is not None and int(padding_width) < 1:
        raise ValueError(f"tf.strings.ngrams: padding_width must be >= 1, got {padding_width}.")

    def row_ngrams(tokens: list) -> list:
        out = []
        for width in widths:
            pad = 0
            if pads is not None:
                pad = min(width - 1 if padding_width is None else int(padding_width), width - 1)
            seq = [pads[0]] * pad + tokens + [pads[1]] * pad if pad else tokens
            out.extend(sep.join(seq[i : i + width]) for i in range(len(seq) - width + 1))
        if not out and preserve_short_sequences and tokens:
            pad = 0
            if pads is not None:
                pad = min(
                    widths[0] - 1 if padding_width is None else int(padding_width), widths[0] - 1
                )
            out.append(sep.join([pads[0]] * pad + tokens + [pads[1]] * pad if pad else tokens))
        return out

    if isinstance(data, _RaggedTensor):
        if isinstance(data.values, _RaggedTensor):
            return data.with_values(
                ngrams(
                    data.values,
                    widths,
                    separator,
                    pad_values,
                    padding_width,
                    preserve_short_sequences,
                )
            )
        values, splits = list(np.asarray(data.values)), data.row_splits.tolist()
        rows = [row_ngrams(values[splits[i] : splits[i + 1]]) for i in range(len(splits) - 1)]
        lengths = torch.tensor([len(r) for r in rows], dtype=torch.int64)
        return _RaggedTensor.from_row_lengths(
            _string_row([g for r in rows for g in r]), lengths, validate=False
        )
    array = _strings(data, "ngrams")
    if array.ndim == 0:
        raise ValueError("tf.strings.ngrams: data must have rank >= 1.")
    rows = [row_ngrams(list(r)) for r in array.reshape(-1, array.shape[-1])]
    width = len(rows[0]) if rows else 0
    out = np.empty((len(rows), width), dtype=object)
    for i, r in enumerate(rows):
        out[i, :] = r
    return string_tensor.wrap(out.reshape(array.shape[:-1] + (width,)))


def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """Joins the strings of each segment (in input order); empty segments give `b""`.

    Args:
        inputs: a string tensor.
        segment_ids: ints of a prefix of `inputs`' shape; negative ids are dropped.
        num_segments: the number of segments.
        separator: placed between the joined strings.
        name: unused.

    Returns:
        A string tensor of shape `(num_segments,) + inputs.shape[segment_ids.ndim:]`.

    Example:
    >>> tf.strings.unsorted_segment_join(["a", "b", "c"], [1, 0, 1], 2).numpy()
    array([b'b', b'ac'], dtype=object)
    """
    del name
    sep = _as_bytes(separator, "separator", "unsorted_segment_join")
    array = _strings(inputs, "unsorted_segment_join")
    ids = np.asarray(_ints(segment_ids)).astype(np.int64)
    count = int(_ints(num_segments))
    if tuple(array.shape[: ids.ndim]) != tuple(ids.shape):
        raise ValueError(
            f"tf.strings.unsorted_segment_join: segment_ids shape {tuple(ids.shape)} must be a "
            f"prefix of the inputs' shape {tuple(array.shape)}."
        )
    if ids.size and int(ids.max()) >= count:
        raise _InvalidArgumentError(
            f"tf.strings.unsorted_segment_join: segment id {int(ids.max())} is out of range "
            f"for num_segments={count}."
        )
    inner = array.shape[ids.ndim :]
    items = array.reshape((-1,) + inner)
    groups: list = [[] for _ in range(count)]
    for i, seg in enumerate(ids.reshape(-1).tolist()):
        if seg >= 0:
            groups[seg].append(items[i])
    out = np.empty((count,) + inner, dtype=object)
    for seg, members in enumerate(groups):
        if not inner:
            out[seg] = _segment_join(members, sep)
            continue
        cell = np.empty(inner, dtype=object)
        flat = cell.reshape(-1)
        parts = [m.reshape(-1) for m in members]
        for j in range(flat.shape[0]):
            flat[j] = _segment_join((p[j] for p in parts), sep)
        out[seg] = cell
    return string_tensor.wrap(out)


@_elementwise
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


_MURMUR_M = 0xC6A4A7935BD1E995
_MASK64 = (1 << 64) - 1


def _hash64(data: bytes, seed: int = 0xDECAFCAFFE) -> int:
    """TensorFlow's `Hash64` (a MurmurHash64A variant), which `to_hash_bucket` uses."""
    n = len(data)
    h = (seed ^ (n * _MURMUR_M)) & _MASK64
    whole = n - n % 8
    for i in range(0, whole, 8):
        k = (int.from_bytes(data[i : i + 8], "little") * _MURMUR_M) & _MASK64
        k = ((k ^ (k >> 47)) * _MURMUR_M) & _MASK64
        h = ((h ^ k) * _MURMUR_M) & _MASK64
    if n > whole:
        h = ((h ^ int.from_bytes(data[whole:], "little")) * _MURMUR_M) & _MASK64
    h = ((h ^ (h >> 47)) * _MURMUR_M) & _MASK64
    return h ^ (h >> 47)


def to_hash_bucket(
    input=None,  # noqa: A002
    num_buckets=None,
    name=None,
    string_tensor=None,
) -> torch.Tensor:
    """Hashes each string into one of `num_buckets` buckets (TF's legacy `Hash64`).

    Deprecated in TensorFlow in favour of `to_hash_bucket_fast`; the buckets
    here are TensorFlow's, bit for bit.

    Args:
        input: a string tensor, str/bytes, a list of them, or a RaggedTensor.
        num_buckets: the number of buckets (>= 1).
        name: unused, for TensorFlow compatibility.
        string_tensor: TensorFlow 1's name for `input`.

    Returns:
        An int64 tensor of the input's shape.

    Example:
    >>> tf.strings.to_hash_bucket(["a", "hello"], 10).tolist()
    [8, 8]
    """
    del name
    where = "tf.strings.to_hash_bucket"
    if string_tensor is not None:
        if input is not None:
            raise ValueError(
                f"{where}: cannot specify both 'string_tensor' and 'input' (the same "
                "argument: TF 1 named it string_tensor); pass only `input`."
            )
        input = string_tensor  # noqa: A001
    if input is None or num_buckets is None:
        raise TypeError(f"{where}: `input` and `num_buckets` are required.")
    return _hash64_buckets(input, num_buckets)


@_elementwise
def _hash64_buckets(input, num_buckets) -> torch.Tensor:  # noqa: A002
    return _hash_buckets(input, num_buckets, _hash64, "to_hash_bucket")


@_elementwise
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


@_elementwise
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


@_elementwise
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
        fill: a printf flag, as in TensorFlow: `""` (pad with spaces), `"0"` (pad with
            zeros), `" "` or `"+"` (a space or plus sign before non-negative numbers, with
            or without `width`), `"-"` (left-justify) or `"#"` (alternate form).
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
    pad = _as_string_flags(fill) + (str(width) if width > 0 else "")
    _check_as_string_options(tensor, precision, scientific, shortest)
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


def _check_as_string_options(tensor, precision, scientific, shortest) -> None:
    """TF's refusals: float-only options on other dtypes, and two notations at once."""
    from tork._backend.errors import InvalidArgumentError

    floating = tensor.is_floating_point() or tensor.is_complex()
    if scientific and shortest:
        raise InvalidArgumentError(
            "tf.strings.as_string: cannot select both scientific and shortest notation."
        )
    for option, given in (("precision", precision > -1), ("scientific", scientific)):
        if given and not floating:
            raise InvalidArgumentError(
                f"tf.strings.as_string: {option} not supported for datatype "
                f"{dtype_name(tensor.dtype)} (only for floating and complex numbers)."
            )
    if shortest and not floating:
        raise InvalidArgumentError(
            f"tf.strings.as_string: shortest not supported for datatype "
            f"{dtype_name(tensor.dtype)} (only for floating and complex numbers)."
        )


# TF's `fill` is a printf flag; these are Python's format-spec spellings of each.
_AS_STRING_FLAGS = {"": "", "0": "0", " ": " ", "+": "+", "-": "<", "#": "#"}


def _as_string_flags(fill) -> str:
    from tork._backend.errors import InvalidArgumentError

    fill = fill.decode() if isinstance(fill, bytes) else str(fill)
    if len(fill) > 1:
        raise InvalidArgumentError(
            f"tf.strings.as_string: fill must be one or fewer characters, got {fill!r}."
        )
    if fill not in _AS_STRING_FLAGS:
        raise InvalidArgumentError(
            f"tf.strings.as_string: fill argument not supported: {fill!r}; use '', '0', ' ', "
            "'+', '-' or '#' (a printf flag)."
        )
    return _AS_STRING_FLAGS[fill]


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


from tork.ops._unicode_script import unicode_script  # noqa: E402

__getattr__ = _module_getattr("tf.strings")

# Called on string `keras.Input`s in a functional model, these become graph nodes (Keras 2's
# `TFOpLambda` layers) like other tf ops.
_symbolic.install(globals(), "tf.strings")
