"""TensorFlow's `TrackableObjectGraph` message: the object graph stored in a checkpoint.

A checkpoint's `_CHECKPOINTABLE_OBJECT_GRAPH` entry is this message, serialized.
Node 0 is the root; each node lists

- `children`: edges (`node_id`, `local_name`) to the objects it tracks;
- `attributes`: the tensors it saves (`name` such as `VARIABLE_VALUE`, the
  variable's `full_name`, and the `checkpoint_key` of its value in the bundle);
- `slot_variables` (optimizers): (`original_variable_node_id`, `slot_name`,
  `slot_variable_node_id`) for each optimizer slot, keyed by its model variable.
"""

from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass, field

from tork.train._wire import _fields, _len_field, _tag, _varint

GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
VALUE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"


@dataclass
class Attribute:
    name: str
    full_name: str
    checkpoint_key: str


@dataclass
class Slot:
    original_variable_node_id: int
    slot_name: str
    slot_variable_node_id: int


@dataclass
class Node:
    children: list = field(default_factory=list)  # (node_id, local_name)
    attributes: list = field(default_factory=list)
    slot_variables: list = field(default_factory=list)
    has_checkpoint_values: bool | None = None


@contextlib.contextmanager
def no_gc():
    """Pauses Python's cyclic garbage collector while a graph's many small objects are made.

    They are not cyclic garbage; a full collection after a large model has trained can
    take a second, and building the graph of such a model would trigger several.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _text(data: bytes) -> str:
    return bytes(data).decode("utf-8", "surrogateescape")


def parse(data: bytes) -> list[Node]:
    """The nodes of a serialized `TrackableObjectGraph`."""
    nodes = []
    for number, _, value in _fields(data):
        if number != 1:
            continue
        node = Node()
        for sub, _, item in _fields(value):
            if sub == 1:
                parts = dict((f, v) for f, _, v in _fields(item))
                node.children.append((int(parts.get(1, 0)), _text(parts.get(2, b""))))
            elif sub == 2:
                parts = dict((f, v) for f, _, v in _fields(item))
                node.attributes.append(
                    Attribute(
                        _text(parts.get(1, b"")),
                        _text(parts.get(2, b"")),
                        _text(parts.get(3, b"")),
                    )
                )
            elif sub == 3:
                parts = dict((f, v) for f, _, v in _fields(item))
                node.slot_variables.append(
                    Slot(int(parts.get(1, 0)), _text(parts.get(2, b"")), int(parts.get(3, 0)))
                )
            elif sub == 5:
                node.has_checkpoint_values = bool(
                    next((v for f, _, v in _fields(item) if f == 1), 0)
                )
        nodes.append(node)
    return nodes


def _string(number: int, text: str) -> bytes:
    return _len_field(number, text.encode("utf-8"))


def serialize(nodes: list[Node]) -> bytes:
    """`nodes` as a serialized `TrackableObjectGraph`."""
    out = bytearray()
    for node in nodes:
        body = bytearray()
        for node_id, name in node.children:
            reference = (_tag(1, 0) + _varint(node_id) if node_id else b"") + _string(2, name)
            body += _len_field(1, reference)
        for attribute in node.attributes:
            body += _len_field(
                2,
                _string(1, attribute.name)
                + _string(2, attribute.full_name)
                + _string(3, attribute.checkpoint_key),
            )
        for slot in node.slot_variables:
            reference = (
                (_tag(1, 0) + _varint(slot.original_variable_node_id))
                + _string(2, slot.slot_name)
                + (_tag(3, 0) + _varint(slot.slot_variable_node_id))
            )
            body += _len_field(3, reference)
        if node.has_checkpoint_values is not None:
            flag = _tag(1, 0) + _varint(1) if node.has_checkpoint_values else b""
            body += _len_field(5, flag)
        out += _len_field(1, bytes(body))
    return bytes(out)
