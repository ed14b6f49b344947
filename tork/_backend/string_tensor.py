"""String tensors: what `tf.constant("text")` gives in tork.

torch tensors hold numbers only, so a TensorFlow string tensor is represented by
`StringTensor`, a NumPy `ndarray` subclass of dtype `object` whose elements are
Python `bytes` (TensorFlow string tensors hold bytes; `str` is encoded as UTF-8).
It is the one non-torch tensor type in tork, and it stays on the CPU.

It behaves as TensorFlow's eager string tensors where user code looks:

- `.numpy()` returns a plain `ndarray` of `bytes` (a 0-d tensor gives `bytes`);
- `.dtype` is `tf.string` (the `StringDType` singleton below; `.dtype == tf.string`);
- `.shape` is a tuple (as `torch.Size` is for tork's other tensors), `.get_shape()`
  a `tf.TensorShape`;
- indexing and iteration give string tensors (a scalar element is a 0-d tensor);
- `==` / `!=` compare elementwise and give a `torch.bool` tensor;
- printing reads `tf.Tensor([b'a' b'b'], shape=(2,), dtype=string)`.

It also answers the few torch methods that tork's shape ops call on their input
(`dim()`, `numel()`, `unsqueeze(d)`, `is_floating_point()`), so
`tf.expand_dims(strings, -1)` works and Keras layers accept string inputs.

NumPy ufuncs are disabled on it (`np.char` & co. work on `t.numpy()`); string
ops are in `tf.strings`. `tf.data` carries string components, batching them into
1-D (or higher) string tensors.
"""

from __future__ import annotations

import numpy as np
import torch


class StringDType:
    """The dtype of string tensors: `tf.string`.

    tork's other dtypes are torch dtypes; torch has no string dtype, so this
    object stands in for it. It answers the attributes code commonly asks a
    dtype (`name`, `is_floating_point`, `is_complex`, `is_signed`).
    """

    name = "string"
    is_floating_point = False
    is_complex = False
    is_signed = False
    is_bool = False
    as_numpy_dtype = object

    def __repr__(self) -> str:
        return "tf.string"

    def __str__(self) -> str:
        return "string"

    def __eq__(self, other) -> bool:
        return other is self or (isinstance(other, str) and other in ("string", "tf.string"))

    def __hash__(self) -> int:
        return hash("tf.string")

    def __reduce__(self):
        return "string"


string = StringDType()


def _encode_leaf(value, where: str):
    # np.bytes_ subclasses bytes: test the exact type first so its elements become plain
    # bytes (TF's .numpy() gives bytes, never np.bytes_).
    if type(value) is bytes:
        return value
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, np.str_):
        return str(value).encode("utf-8")
    raise TypeError(
        f"{where}: a string tensor holds only str or bytes values, got {value!r:.80} "
        f"({type(value).__name__}). Convert numbers with tf.strings.as_string, or keep "
        "numbers and strings in separate tensors."
    )


def _encoded(value, where: str):
    """`value` as nested lists of bytes (str encoded as UTF-8)."""
    if isinstance(value, np.ndarray):
        value = value.view(np.ndarray)
        if value.ndim == 0:
            return _encode_leaf(value[()], where)
        return [_encoded(v, where) for v in value]
    if isinstance(value, (list, tuple)):
        return [_encoded(v, where) for v in value]
    return _encode_leaf(value, where)


def make(value, where: str = "tf.constant") -> StringTensor:
    """Builds a `StringTensor` from str/bytes, nested lists of them or NumPy string arrays.

    Raises:
        TypeError: for a non-string element.
        ValueError: for nested lists of unequal lengths.
    """
    if isinstance(value, StringTensor):
        return value
    if isinstance(value, np.ndarray) and value.dtype.kind == "O":
        flat = [_encode_leaf(v, where) for v in value.reshape(-1)]
        return _from_flat(flat, value.shape)
    if isinstance(value, np.ndarray) and value.dtype.kind == "S":
        flat = [bytes(v) for v in value.reshape(-1)]
        return _from_flat(flat, value.shape)
    if isinstance(value, np.ndarray) and value.dtype.kind == "U":
        flat = [str(v).encode("utf-8") for v in value.reshape(-1)]
        return _from_flat(flat, value.shape)
    nested = _encoded(value, where)
    if isinstance(nested, bytes):
        out = np.empty((), dtype=object)
        out[()] = nested
        return out.view(StringTensor)
    shape = _nested_shape(nested, where)
    flat: list = []
    _flatten(nested, flat)
    return _from_flat(flat, shape)


def _nested_shape(nested, where: str) -> tuple:
    shape = []
    level = nested
    while isinstance(level, list):
        shape.append(len(level))
        if not level:
            break
        level = level[0]

    def check(item, depth):
        if depth == len(shape):
            if isinstance(item, list):
                raise ValueError(f"{where}: nested lists of strings must be rectangular.")
            return
        if not isinstance(item, list) or len(item) != shape[depth]:
            raise ValueError(
                f"{where}: nested lists of strings must be rectangular, but the lengths differ "
                f"at depth {depth} (expected {shape[depth]} items). Pad the lists to the same "
                "length, or make a ragged tensor with tf.ragged.constant(...)."
            )
        for sub in item:
            check(sub, depth + 1)

    check(nested, 0)
    return tuple(shape)


def _flatten(nested, out: list) -> None:
    if isinstance(nested, list):
        for item in nested:
            _flatten(item, out)
    else:
        out.append(nested)


def _from_flat(flat: list, shape) -> StringTensor:
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(shape).view(StringTensor)


def wrap(array: np.ndarray) -> StringTensor:
    """Views an object ndarray of bytes as a `StringTensor` (no copy, no checks)."""
    return np.asarray(array, dtype=object).view(StringTensor)


def is_string(value) -> bool:
    """True for string tensors and for str/bytes and NumPy string arrays."""
    if isinstance(value, (StringTensor, str, bytes)):
        return True
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "SU":
            return True
        if value.dtype.kind == "O" and value.size:
            first = value.reshape(-1)[0]
            return isinstance(first, (str, bytes))
    if isinstance(value, (list, tuple)) and value:
        first = value[0]
        while isinstance(first, (list, tuple)) and first:
            first = first[0]
        return isinstance(first, (str, bytes, StringTensor))
    return False


def stack(values: list) -> StringTensor:
    """Stacks string tensors of one shape on a new first axis (`tf.stack`)."""
    return np.stack([np.asarray(v) for v in values]).view(StringTensor)


def unbind(value: StringTensor) -> list:
    """The slices of a string tensor along its first axis."""
    return [value[i] for i in range(value.shape[0])]


class StringTensor(np.ndarray):
    """An eager `tf.string` tensor: a NumPy object array of `bytes`.

    Created by `tf.constant`/`tf.convert_to_tensor` of strings, by `tf.strings`
    ops and by `tf.data` pipelines over strings.

    Example:
    >>> t = tf.constant(["hello", "world"])
    >>> t
    tf.Tensor([b'hello' b'world'], shape=(2,), dtype=string)
    >>> t[0].numpy()
    b'hello'
    """

    # ndarray math on strings would return object arrays of the wrong type; TF offers
    # tf.strings instead.
    __array_ufunc__ = None

    @property
    def dtype(self) -> StringDType:  # type: ignore[override]
        """`tf.string`."""
        return string

    @property
    def shape(self) -> torch.Size:  # type: ignore[override]
        """The shape as a `torch.Size`, as for every other tork tensor: a tuple with TF's
        `TensorShape` methods (`ndims`, `rank`, `as_list`), so code written for TF
        (OpenNMT's `WordNoiser`: `rank = tokens.shape.ndims`) works on strings too."""
        return torch.Size(np.ndarray.shape.__get__(self))

    @shape.setter
    def shape(self, value) -> None:
        np.ndarray.shape.__set__(self, value)

    @property
    def device(self) -> torch.device:
        """String tensors live on the CPU."""
        return torch.device("cpu")

    def numpy(self):
        """Returns the values as a plain NumPy array of `bytes` (`bytes` for a scalar)."""
        array = np.array(self.view(np.ndarray), dtype=object)
        if array.ndim:
            return array
        # A scalar may hold an np.bytes_ put there by code that wraps arrays directly.
        value = array[()]
        return bytes(value) if isinstance(value, bytes) else value

    def dim(self) -> int:
        """The rank (torch's name, used by tork's shape ops)."""
        return self.ndim

    def numel(self) -> int:
        """The number of strings (torch's name)."""
        return int(self.size)

    def is_floating_point(self) -> bool:
        """False: strings are not floats (torch's name, asked before casting inputs)."""
        return False

    def is_complex(self) -> bool:
        """False (torch's name)."""
        return False

    def unsqueeze(self, dim: int) -> StringTensor:
        """Inserts an axis of size 1 at `dim` (torch's name; `tf.expand_dims`)."""
        return np.expand_dims(self.view(np.ndarray), dim).view(StringTensor)

    def get_shape(self):
        """Returns the shape as a `tf.TensorShape`."""
        from tork._backend.tensor_shape import TensorShape

        return TensorShape(self.shape)

    def __getitem__(self, key):
        if isinstance(key, torch.Tensor):
            key = key.detach().cpu().numpy()
        elif isinstance(key, tuple):
            key = tuple(k.detach().cpu().numpy() if isinstance(k, torch.Tensor) else k for k in key)
        result = super().__getitem__(key)
        if isinstance(result, np.ndarray):
            return result
        out = np.empty((), dtype=object)
        out[()] = result
        return out.view(StringTensor)

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        return (self[i] for i in range(self.shape[0]))

    def _compare(self, other):
        try:
            other_array = np.asarray(make(other, "=="))
        except (TypeError, ValueError):
            return None
        return torch.from_numpy(np.asarray(self.view(np.ndarray) == other_array, dtype=bool))

    def __eq__(self, other):  # type: ignore[override]
        result = self._compare(other)
        if result is None:
            return NotImplemented
        return result

    def __ne__(self, other):  # type: ignore[override]
        result = self._compare(other)
        if result is None:
            return NotImplemented
        return ~result

    __hash__ = None  # type: ignore[assignment]

    def _no_bytes(self, what: str) -> TypeError:
        # NumPy would hand out the object array's memory: element pointers, not the strings.
        return TypeError(
            f"{what} of a string tensor would give memory addresses, not its strings. Use "
            "t.numpy(): a 0-d string tensor gives bytes (e.g. io.BytesIO(t.numpy())), a "
            "larger one a NumPy array of bytes."
        )

    def __bytes__(self):
        """Refuses `bytes(t)` (TensorFlow raises too): `t.numpy()` gives the bytes."""
        raise self._no_bytes("bytes()")

    def __buffer__(self, flags):
        """Refuses the buffer protocol (Python >= 3.12: `io.BytesIO(t)`, `memoryview(t)`)."""
        raise self._no_bytes("The buffer protocol (io.BytesIO, memoryview, bytearray)")

    def _concat(self, other, reverse: bool):
        try:
            other_array = np.asarray(make(other, "+"))
        except (TypeError, ValueError):
            return NotImplemented
        mine = self.view(np.ndarray)
        try:
            joined = np.add(other_array, mine) if reverse else np.add(mine, other_array)
        except ValueError:
            raise ValueError(
                f"Cannot add string tensors of shapes {tuple(self.shape)} and "
                f"{tuple(other_array.shape)}: the shapes do not broadcast."
            ) from None
        out = np.empty(np.shape(joined), dtype=object)
        out[...] = joined
        return out.view(StringTensor)

    def __add__(self, other):
        """Concatenates strings elementwise (shapes broadcast), as TensorFlow's `+`."""
        return self._concat(other, reverse=False)

    def __radd__(self, other):
        return self._concat(other, reverse=True)

    def __repr__(self) -> str:
        """TensorFlow's repr: `<tf.Tensor: shape=(2,), dtype=string, numpy=array([...])>`."""
        return (
            f"<tf.Tensor: shape={tuple(self.shape)}, dtype=string, numpy={self._values_text(True)}>"
        )

    def __str__(self) -> str:
        """TensorFlow's `print()` text: `tf.Tensor([b'a' b'bc'], shape=(2,), dtype=string)`."""
        return f"tf.Tensor({self._values_text(False)}, shape={tuple(self.shape)}, dtype=string)"

    def __format__(self, spec: str) -> str:
        # TensorFlow formats the NumPy value: f"{t}" shows b'abc', not the tf.Tensor(...) text.
        return format(self.numpy(), spec)

    def _values_text(self, is_repr: bool) -> str:
        """The values as NumPy prints them, on a new line when they span several (as TF)."""
        value = self.numpy()
        text = repr(value) if is_repr else str(value)
        return "\n" + text if "\n" in text else text

    def __reduce__(self):
        # Pickles (and torch.save's) as a plain array, rebuilt as a string tensor.
        return (wrap, (np.asarray(self.view(np.ndarray)),))
