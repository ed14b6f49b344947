"""Reads adapted lookup-layer vocabularies out of a tf.keras SavedModel's `saved_model.pb`.

tf.keras 2 keeps an adapted StringLookup / IntegerLookup / TextVectorization vocabulary
nowhere but in the initializer of the layer's lookup table: two constants (the tokens
and their indices) captured by the table's `_initialize` function. tork runs none of
TensorFlow's graphs, but these constants are plain tensors in the MetaGraph's GraphDef,
found through the SavedObjectGraph: layer -> `lookup_table` -> `_initialize` ->
`trace_0` -> `capture_1` (keys) / `capture_2` (values), each a SavedConstant naming a
`Const` node.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

# SavedModel: meta_graphs = 2. MetaGraphDef: graph_def = 2, object_graph_def = 7.
# GraphDef: node = 1. NodeDef: name = 1, attr = 5 (map entry: key = 1, value = 2).
# AttrValue: tensor = 8. TensorProto: dtype = 1, tensor_content = 4, string_val = 8,
# int64_val = 10. SavedObjectGraph: nodes = 1. SavedObject: children = 1
# (ObjectReference: node_id = 1, local_name = 2), constant = 9 (SavedConstant:
# operation = 1).
_DT_STRING, _DT_INT64 = 7, 9

GRAPH_NAME = "saved_model.pb"


@dataclass
class _Object:
    children: list = field(default_factory=list)  # (node_id, local_name), as the checkpoint's
    constant: str | None = None


def _messages(data: bytes, number: int) -> list:
    from tork.train._wire import _fields

    return [value for f, _, value in _fields(data) if f == number]


def _first(data: bytes, number: int, default=None):
    found = _messages(data, number)
    return found[0] if found else default


class SavedModelGraph:
    """The object graph and constants of `saved_model.pb` (read lazily, once)."""

    def __init__(self, path: str):
        from tork.train._wire import _fields

        with open(os.path.join(path, GRAPH_NAME), "rb") as f:
            data = f.read()
        meta = _first(data, 2, b"")
        self.nodes = []
        for raw in _messages(_first(meta, 7, b""), 1):
            node = _Object()
            for number, _, value in _fields(raw):
                if number == 1:
                    parts = {f: v for f, _, v in _fields(value)}
                    node.children.append((int(parts.get(1, 0)), bytes(parts.get(2, b"")).decode()))
                elif number == 9:
                    node.constant = bytes(_first(value, 1, b"")).decode()
            self.nodes.append(node)
        self._graph = _first(meta, 2, b"")
        self._constants: dict | None = None

    def child(self, node: int, *names: str) -> int | None:
        for name in names:
            node = dict((n, c) for c, n in self.nodes[node].children).get(name)
            if node is None:
                return None
        return node

    def constant(self, node: int):
        """The value of the SavedConstant `node` (a numpy array), or None."""
        name = self.nodes[node].constant
        if name is None:
            return None
        if self._constants is None:
            self._constants = {}
            for raw in _messages(self._graph, 1):
                self._constants[bytes(_first(raw, 1, b"")).decode()] = raw
        raw = self._constants.get(name)
        if raw is None:
            return None
        for entry in _messages(raw, 5):
            if _first(entry, 1) == b"value":
                tensor = _first(_first(entry, 2, b""), 8)
                return None if tensor is None else _tensor(tensor)
        return None


def _tensor(data: bytes):
    from tork.train._wire import _decode_packed_varints, _fields

    dtype = _first(data, 1, 0)
    if dtype == _DT_STRING:
        return np.array([bytes(v) for v in _messages(data, 8)], dtype=object)
    if dtype == _DT_INT64:
        content = _first(data, 4)
        if content:
            return np.frombuffer(bytes(content), dtype="<i8").copy()
        values = []
        for number, wire_type, value in _fields(data):
            if number == 10:
                values.extend(
                    _decode_packed_varints(bytes(value)).tolist() if wire_type == 2 else [value]
                )
        return np.array(values, dtype=np.int64)
    return None


def table_vocabulary(graph: SavedModelGraph, node: int, invert: bool = False):
    """The tokens of the lookup table under the layer `node`, in index order, or None.

    An inverted layer's table maps indices to tokens (its keys are the indices).
    """
    table = graph.child(node, "lookup_table")
    if table is None:
        table = graph.child(node, "_lookup_layer", "lookup_table")
    trace = None if table is None else graph.child(table, "_initialize", "trace_0")
    if trace is None:
        return None
    keys_node, values_node = graph.child(trace, "capture_1"), graph.child(trace, "capture_2")
    if keys_node is None or values_node is None:
        return None
    keys, values = graph.constant(keys_node), graph.constant(values_node)
    if invert:
        keys, values = values, keys
    if keys is None or values is None or len(keys) != len(values):
        return None
    order = np.argsort(np.asarray(values, dtype=np.int64), kind="stable")
    tokens = [keys[i] for i in order]
    return [t.decode("utf-8") if isinstance(t, bytes) else int(t) for t in tokens]
