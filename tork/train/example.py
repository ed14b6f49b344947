"""`tf.train.Example` and friends: the messages of TensorFlow's `example.proto`.

These are small pure-Python classes that read and write the real protocol
buffer wire format of `tensorflow/core/example/example.proto` and
`feature.proto`, so records written by tork are read by TensorFlow and the
reverse. tork does not depend on the `protobuf` package.

Field numbers (all from the .proto files):

- `BytesList.value = 1` (repeated bytes), `FloatList.value = 1` (packed float),
  `Int64List.value = 1` (packed int64);
- `Feature`: oneof `bytes_list = 1`, `float_list = 2`, `int64_list = 3`;
- `Features.feature = 1`: map<string, Feature> (entries with `key = 1`, `value = 2`);
- `FeatureList.feature = 1`: repeated Feature;
- `FeatureLists.feature_list = 1`: map<string, FeatureList>;
- `Example.features = 1`; `SequenceExample.context = 1`, `feature_lists = 2`.

Example:
>>> example = tf.train.Example(features=tf.train.Features(feature={
...     "x": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0])),
...     "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[3])),
... }))
>>> data = example.SerializeToString()
>>> tf.train.Example.FromString(data).features.feature["label"].int64_list.value
[3]
"""

from __future__ import annotations

import numpy as np

# The wire format lives in `_wire`; its names stay importable from here.
from tork.train._wire import (  # noqa: F401
    _I32,
    _I64,
    _LEN,
    _VARINT,
    DecodeError,
    _decode_packed_varints,
    _fields,
    _len_field,
    _read_varint,
    _tag,
    _varint,
    _varints,
)

__all__ = [
    "BytesList",
    "Example",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FloatList",
    "Int64List",
    "SequenceExample",
]

# --- messages -----------------------------------------------------------------


_TEXT_ESCAPES = {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_TEXT_ESCAPES.update({ord(c): "\\" + c for c in "\"'\\"})


def _text_bytes(value: bytes) -> str:
    """Bytes as protobuf's text format writes them: C escapes, octal outside printable ASCII."""
    out = []
    for byte in bytes(value):
        if byte in _TEXT_ESCAPES:
            out.append(_TEXT_ESCAPES[byte])
        elif 32 <= byte < 127:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)


def _text_float(value: float) -> str:
    """A float32 as protobuf's text format writes it: 6 significant digits when they
    give the same float32 back, else 9."""
    value = float(value)
    if value != value:
        return "nan"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    text = f"{value:.6g}"
    if float(np.float32(float(text))) != float(np.float32(value)):
        text = f"{value:.9g}"
    return text


def _text_block(name: str, message) -> list:
    return [f"{name} {{", *("  " + line for line in message._text_lines()), "}"]


def _text_map(name: str, entries) -> list:
    lines = []
    for key, value in entries.items():
        body = [f'key: "{_text_bytes(str(key).encode())}"', *_text_block("value", value)]
        lines += [f"{name} {{", *("  " + line for line in body), "}"]
    return lines


class _Message:
    """Shared protobuf-like methods: serialization, parsing, equality."""

    __slots__ = ()

    def __str__(self) -> str:
        # print() shows protobuf's text format, as TensorFlow's messages do.
        lines = self._text_lines()
        return "".join(line + "\n" for line in lines)

    def _text_lines(self) -> list:
        return []

    def SerializeToString(self, deterministic: bool | None = None) -> bytes:  # noqa: N802
        """Returns the message in the protocol buffer wire format."""
        del deterministic
        return self._encode()

    def ParseFromString(self, serialized: bytes) -> int:  # noqa: N802
        """Replaces this message's contents by those parsed from `serialized`.

        Returns:
            The number of bytes read.
        """
        data = _to_bytes(serialized, f"{type(self).__name__}.ParseFromString")
        fresh = type(self)._decode(data)
        for slot in type(self).__slots__:
            setattr(self, slot, getattr(fresh, slot))
        return len(data)

    def MergeFromString(self, serialized: bytes) -> int:  # noqa: N802
        """Parses `serialized` and merges it into this message (repeated fields append)."""
        data = _to_bytes(serialized, f"{type(self).__name__}.MergeFromString")
        return self.ParseFromString(self._encode() + data)

    @classmethod
    def FromString(cls, serialized: bytes):  # noqa: N802
        """Parses a message from its wire format."""
        return cls._decode(_to_bytes(serialized, f"{cls.__name__}.FromString"))

    def CopyFrom(self, other) -> None:  # noqa: N802
        """Replaces this message's contents by a copy of `other`'s."""
        if type(other) is not type(self):
            raise TypeError(
                f"{type(self).__name__}.CopyFrom expects a {type(self).__name__}, "
                f"got {type(other).__name__}."
            )
        self.ParseFromString(other._encode())

    def Clear(self) -> None:  # noqa: N802
        """Resets every field to its default."""
        self.ParseFromString(b"")

    def ByteSize(self) -> int:  # noqa: N802
        """The size of the serialized message in bytes."""
        return len(self._encode())

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._encode() == other._encode()

    __hash__ = None  # mutable, as protobuf messages

    def __reduce__(self):
        return (type(self).FromString, (self._encode(),))


def _to_bytes(value, where: str) -> bytes:
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{where} expects bytes, got {type(value).__name__}.")


def _as_list(value, where: str):
    if value is None:
        return []
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{where}: `value` must be a list of values, got a single {type(value).__name__} "
            f"({value!r:.40}). Wrap it in a list: value=[...]."
        )
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    return value


class BytesList(_Message):
    """A list of byte strings (`value`), one kind of `tf.train.Feature`.

    Args:
        value: byte strings (`str` is encoded as UTF-8).

    Example:
    >>> tf.train.BytesList(value=[b"cat", b"dog"]).value
    [b'cat', b'dog']
    """

    __slots__ = ("value",)

    def __init__(self, value=None):
        items = _as_list(value, "tf.train.BytesList")
        out = []
        for v in np.asarray(items, dtype=object).reshape(-1) if len(items) else []:
            if isinstance(v, np.ndarray) and v.ndim == 0:
                # A scalar string tensor (e.g. from tf.io.encode_png or
                # tf.io.serialize_tensor). The TF tutorial's `_bytes_feature` only
                # unwraps values whose type is `type(tf.constant(0))`, which is
                # torch.Tensor here, so string tensors reach this point.
                v = v.item()
            if isinstance(v, str):
                v = v.encode("utf-8")
            elif isinstance(v, (bytes, bytearray, np.bytes_)):
                v = bytes(v)
            else:
                raise TypeError(
                    f"tf.train.BytesList: every value must be bytes (or str), got "
                    f"{v!r:.40} of type {type(v).__name__}. Use FloatList/Int64List for numbers."
                )
            out.append(v)
        self.value = out

    def _encode(self) -> bytes:
        return b"".join(_len_field(1, v) for v in self.value)

    @classmethod
    def _decode(cls, data: bytes) -> BytesList:
        out = cls()
        for field, wire_type, value in _fields(data):
            if field == 1 and wire_type == _LEN:
                out.value.append(value)
        return out

    def __repr__(self) -> str:
        return f"BytesList(value={self.value!r})"

    def _text_lines(self) -> list:
        return [f'value: "{_text_bytes(v)}"' for v in self.value]


class FloatList(_Message):
    """A list of float32 numbers (`value`), one kind of `tf.train.Feature`.

    Values are stored as float32, as in TensorFlow.

    Args:
        value: numbers (a list, NumPy array or tensor; flattened).

    Example:
    >>> tf.train.FloatList(value=[1.5, 2.0]).value
    [1.5, 2.0]
    """

    __slots__ = ("value",)

    def __init__(self, value=None):
        items = _as_list(value, "tf.train.FloatList")
        try:
            array = np.asarray(items, dtype=np.float32).reshape(-1)
        except (TypeError, ValueError):
            raise TypeError(
                f"tf.train.FloatList: every value must be a number, got {items!r:.80}."
            ) from None
        self.value = array.tolist()

    def _array(self) -> np.ndarray:
        return np.asarray(self.value, dtype=np.float32)

    def _encode(self) -> bytes:
        if not self.value:
            return b""
        return _len_field(1, self._array().astype("<f4").tobytes())

    @classmethod
    def _decode(cls, data: bytes) -> FloatList:
        chunks = []
        for field, wire_type, value in _fields(data):
            if field != 1:
                continue
            if wire_type == _LEN:
                if len(value) % 4:
                    raise DecodeError("Packed floats: length is not a multiple of 4.")
                chunks.append(np.frombuffer(value, dtype="<f4"))
            elif wire_type == _I32:
                chunks.append(np.array([value], dtype=np.uint32).view(np.float32))
        out = cls()
        if chunks:
            out.value = np.concatenate(chunks).astype(np.float32).tolist()
        return out

    def __repr__(self) -> str:
        return f"FloatList(value={self.value!r})"

    def _text_lines(self) -> list:
        return [f"value: {_text_float(v)}" for v in self.value]


class Int64List(_Message):
    """A list of int64 numbers (`value`), one kind of `tf.train.Feature`.

    Args:
        value: integers (a list, NumPy array or tensor; flattened).

    Example:
    >>> tf.train.Int64List(value=[1, 150]).SerializeToString()
    b'\\n\\x03\\x01\\x96\\x01'
    """

    __slots__ = ("value",)

    def __init__(self, value=None):
        items = _as_list(value, "tf.train.Int64List")
        array = np.asarray(items)
        if (array.size and array.dtype.kind == "b") or (
            isinstance(items, (list, tuple)) and any(isinstance(v, bool) for v in items)
        ):
            # TF's protobuf refuses booleans (numpy's too) rather than storing 0/1.
            raise TypeError(
                "tf.train.Int64List: expected integers, got a boolean in "
                f"{items!r:.80}. Convert first, e.g. value=[int(flag)] or "
                "np.asarray(flags).astype(np.int64)."
            )
        if array.size and array.dtype.kind not in "iu":
            raise TypeError(
                f"tf.train.Int64List: every value must be an integer, got {items!r:.80} "
                f"(dtype {array.dtype}). Use FloatList for floats, BytesList for strings."
            )
        self.value = [int(v) for v in array.reshape(-1).tolist()]

    def _array(self) -> np.ndarray:
        return np.asarray(self.value, dtype=np.int64)

    def _encode(self) -> bytes:
        if not self.value:
            return b""
        return _len_field(1, _varints(self._array()))

    @classmethod
    def _decode(cls, data: bytes) -> Int64List:
        chunks = []
        for field, wire_type, value in _fields(data):
            if field != 1:
                continue
            if wire_type == _LEN:
                chunks.append(_decode_packed_varints(value))
            elif wire_type == _VARINT:
                chunks.append(np.array([value], dtype=np.uint64).view(np.int64))
        out = cls()
        if chunks:
            out.value = np.concatenate(chunks).tolist()
        return out

    def __repr__(self) -> str:
        return f"Int64List(value={self.value!r})"

    def _text_lines(self) -> list:
        return [f"value: {int(v)}" for v in self.value]


_KINDS = ("bytes_list", "float_list", "int64_list")
_KIND_TYPES = {"bytes_list": BytesList, "float_list": FloatList, "int64_list": Int64List}


class Feature(_Message):
    """One feature: exactly one of `bytes_list`, `float_list`, `int64_list`.

    Args:
        bytes_list: a `tf.train.BytesList`.
        float_list: a `tf.train.FloatList`.
        int64_list: a `tf.train.Int64List`.

    Example:
    >>> f = tf.train.Feature(float_list=tf.train.FloatList(value=[1.0]))
    >>> f.WhichOneof("kind")
    'float_list'
    """

    __slots__ = ("bytes_list", "float_list", "int64_list", "_kind")

    def __init__(
        self,
        bytes_list: BytesList | None = None,
        float_list: FloatList | None = None,
        int64_list: Int64List | None = None,
    ):
        given = {
            k: v for k, v in zip(_KINDS, (bytes_list, float_list, int64_list)) if v is not None
        }
        if len(given) > 1:
            raise ValueError(
                "tf.train.Feature holds one kind of list (a oneof), got "
                f"{', '.join(sorted(given))}. Use one Feature per list."
            )
        for kind, value in given.items():
            if not isinstance(value, _KIND_TYPES[kind]):
                raise TypeError(
                    f"tf.train.Feature: `{kind}` must be a tf.train.{_KIND_TYPES[kind].__name__}, "
                    f"got {type(value).__name__}."
                )
        self.bytes_list = bytes_list if bytes_list is not None else BytesList()
        self.float_list = float_list if float_list is not None else FloatList()
        self.int64_list = int64_list if int64_list is not None else Int64List()
        self._kind = next(iter(given), None)

    def WhichOneof(self, oneof_group: str) -> str | None:  # noqa: N802
        """The name of the list that is set (`'bytes_list'`, ...) or None."""
        if oneof_group != "kind":
            raise ValueError(f"Feature has no oneof named {oneof_group!r}; it has 'kind'.")
        if self._kind is not None:
            return self._kind
        # Lists filled in place (feature.float_list.value.append(...)) count as set.
        for kind in _KINDS:
            if getattr(self, kind).value:
                return kind
        return None

    def HasField(self, field_name: str) -> bool:  # noqa: N802
        """Whether `field_name` (a list kind, or `'kind'`) is set."""
        if field_name == "kind":
            return self.WhichOneof("kind") is not None
        if field_name not in _KINDS:
            raise ValueError(f"Feature has no field {field_name!r}; fields are {_KINDS}.")
        return self.WhichOneof("kind") == field_name

    def _encode(self) -> bytes:
        kind = self.WhichOneof("kind")
        if kind is None:
            return b""
        return _len_field(_KINDS.index(kind) + 1, getattr(self, kind)._encode())

    @classmethod
    def _decode(cls, data: bytes) -> Feature:
        out = cls()
        for field, wire_type, value in _fields(data):
            if wire_type == _LEN and 1 <= field <= 3:
                kind = _KINDS[field - 1]
                setattr(out, kind, _KIND_TYPES[kind]._decode(value))
                out._kind = kind
        return out

    def __repr__(self) -> str:
        kind = self.WhichOneof("kind")
        return f"Feature({kind}={getattr(self, kind)!r})" if kind else "Feature()"

    def _text_lines(self) -> list:
        kind = self.WhichOneof("kind")
        return _text_block(kind, getattr(self, kind)) if kind else []


class _MessageMap(dict):
    """A protobuf map of messages: reading a missing key inserts an empty message."""

    def __init__(self, value_type, items=None, where: str = ""):
        super().__init__()
        self._value_type = value_type
        for key, value in (items or {}).items():
            if isinstance(key, bytes):
                key = key.decode("utf-8")
            if not isinstance(key, str):
                raise TypeError(f"{where}: keys must be str, got {key!r}.")
            if not isinstance(value, value_type):
                raise TypeError(
                    f"{where}: the value of {key!r} must be a tf.train.{value_type.__name__}, "
                    f"got {type(value).__name__}."
                )
            self[key] = value

    def __missing__(self, key):
        value = self._value_type()
        self[key] = value
        return value

    def get_or_create(self, key):
        return self[key]


def _encode_map(mapping: dict) -> bytes:
    # Keys sorted, as protobuf's deterministic serialization: equal maps give equal bytes.
    return b"".join(
        _len_field(1, _len_field(1, key.encode("utf-8")) + _len_field(2, mapping[key]._encode()))
        for key in sorted(mapping)
    )


def _decode_map_entry(data: bytes, value_type):
    key, value = "", None
    for field, wire_type, item in _fields(data):
        if wire_type != _LEN:
            continue
        if field == 1:
            key = item.decode("utf-8")
        elif field == 2:
            value = value_type._decode(item)
    return key, value if value is not None else value_type()


class Features(_Message):
    """A map from feature names to `tf.train.Feature`s (`feature`).

    Args:
        feature: a dict from str to `tf.train.Feature`.

    Example:
    >>> features = tf.train.Features(feature={
    ...     "x": tf.train.Feature(int64_list=tf.train.Int64List(value=[1]))})
    >>> list(features.feature)
    ['x']
    """

    __slots__ = ("feature",)

    def __init__(self, feature: dict | None = None):
        self.feature = _MessageMap(Feature, feature, "tf.train.Features")

    def _encode(self) -> bytes:
        return _encode_map(self.feature)

    @classmethod
    def _decode(cls, data: bytes) -> Features:
        out = cls()
        for field, wire_type, value in _fields(data):
            if field == 1 and wire_type == _LEN:
                key, feature = _decode_map_entry(value, Feature)
                out.feature[key] = feature
        return out

    def __repr__(self) -> str:
        return f"Features(feature={dict(self.feature)!r})"

    def _text_lines(self) -> list:
        return _text_map("feature", self.feature)


class FeatureList(_Message):
    """A list of `tf.train.Feature`s (`feature`), one step per entry.

    Args:
        feature: a list of `tf.train.Feature`.

    Example:
    >>> steps = tf.train.FeatureList(feature=[
    ...     tf.train.Feature(int64_list=tf.train.Int64List(value=[t])) for t in range(3)])
    """

    __slots__ = ("feature",)

    def __init__(self, feature: list | None = None):
        feature = list(feature or [])
        for f in feature:
            if not isinstance(f, Feature):
                raise TypeError(
                    f"tf.train.FeatureList: every item must be a tf.train.Feature, got "
                    f"{type(f).__name__}."
                )
        self.feature = feature

    def _encode(self) -> bytes:
        return b"".join(_len_field(1, f._encode()) for f in self.feature)

    @classmethod
    def _decode(cls, data: bytes) -> FeatureList:
        out = cls()
        for field, wire_type, value in _fields(data):
            if field == 1 and wire_type == _LEN:
                out.feature.append(Feature._decode(value))
        return out

    def __repr__(self) -> str:
        return f"FeatureList(feature={self.feature!r})"

    def _text_lines(self) -> list:
        return [line for f in self.feature for line in _text_block("feature", f)]


class FeatureLists(_Message):
    """A map from names to `tf.train.FeatureList`s (`feature_list`).

    Args:
        feature_list: a dict from str to `tf.train.FeatureList`.

    Example:
    >>> lists = tf.train.FeatureLists(feature_list={"tokens": tf.train.FeatureList()})
    """

    __slots__ = ("feature_list",)

    def __init__(self, feature_list: dict | None = None):
        self.feature_list = _MessageMap(FeatureList, feature_list, "tf.train.FeatureLists")

    def _encode(self) -> bytes:
        return _encode_map(self.feature_list)

    @classmethod
    def _decode(cls, data: bytes) -> FeatureLists:
        out = cls()
        for field, wire_type, value in _fields(data):
            if field == 1 and wire_type == _LEN:
                key, feature_list = _decode_map_entry(value, FeatureList)
                out.feature_list[key] = feature_list
        return out

    def __repr__(self) -> str:
        return f"FeatureLists(feature_list={dict(self.feature_list)!r})"

    def _text_lines(self) -> list:
        return _text_map("feature_list", self.feature_list)


def _check_field(value, expected, name: str, where: str):
    if value is None:
        return expected()
    if not isinstance(value, expected):
        raise TypeError(
            f"{where}: `{name}` must be a tf.train.{expected.__name__}, got {type(value).__name__}."
        )
    return value


class Example(_Message):
    """One training example: named features (`features`), TFRecord's usual payload.

    Args:
        features: a `tf.train.Features`.

    Example:
    >>> example = tf.train.Example(features=tf.train.Features(feature={
    ...     "x": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0]))}))
    >>> example.features.feature["x"].float_list.value
    [1.0]
    """

    __slots__ = ("features",)

    def __init__(self, features: Features | None = None):
        self.features = _check_field(features, Features, "features", "tf.train.Example")

    def _encode(self) -> bytes:
        payload = self.features._encode()
        return _len_field(1, payload) if payload else b""

    @classmethod
    def _decode(cls, data: bytes) -> Example:
        out = cls()
        for field, wire_type, value in _fields(data):
            if field == 1 and wire_type == _LEN:
                out.features = Features._decode(value)
        return out

    def __repr__(self) -> str:
        return f"Example(features={self.features!r})"

    def _text_lines(self) -> list:
        return _text_block("features", self.features) if self.features.feature else []


class SequenceExample(_Message):
    """An example with per-sequence `context` features and per-step `feature_lists`.

    Args:
        context: a `tf.train.Features`.
        feature_lists: a `tf.train.FeatureLists`.

    Example:
    >>> seq = tf.train.SequenceExample(
    ...     context=tf.train.Features(feature={}),
    ...     feature_lists=tf.train.FeatureLists(feature_list={}))
    """

    __slots__ = ("context", "feature_lists")

    def __init__(self, context: Features | None = None, feature_lists: FeatureLists | None = None):
        self.context = _check_field(context, Features, "context", "tf.train.SequenceExample")
        self.feature_lists = _check_field(
            feature_lists, FeatureLists, "feature_lists", "tf.train.SequenceExample"
        )

    def _encode(self) -> bytes:
        context = self.context._encode()
        lists = self.feature_lists._encode()
        return (_len_field(1, context) if context else b"") + (
            _len_field(2, lists) if lists else b""
        )

    @classmethod
    def _decode(cls, data: bytes) -> SequenceExample:
        out = cls()
        for field, wire_type, value in _fields(data):
            if wire_type != _LEN:
                continue
            if field == 1:
                out.context = Features._decode(value)
            elif field == 2:
                out.feature_lists = FeatureLists._decode(value)
        return out

    def __repr__(self) -> str:
        return f"SequenceExample(context={self.context!r}, feature_lists={self.feature_lists!r})"

    def _text_lines(self) -> list:
        lines = _text_block("context", self.context) if self.context.feature else []
        if self.feature_lists.feature_list:
            lines += _text_block("feature_lists", self.feature_lists)
        return lines
