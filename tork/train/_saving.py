"""Turns an object graph into a payload of tork's older checkpoint format (see `_format`).

Written only when `_format.WRITE_TF_FORMAT` is off; tork writes TensorFlow's format
(`_tf_saving`) otherwise.
"""

from __future__ import annotations

import json

import torch

from tork.train import _format
from tork.train._graph import OPTIMIZER, TORCH_OPTIMIZER, VARIABLE, Graph, escape


def _plain(tensor: torch.Tensor) -> torch.Tensor:
    """The tensor's values as a plain `torch.Tensor` that owns no more storage than it needs."""
    value = tensor.detach()
    if type(value) is not torch.Tensor:
        value = value.as_subclass(torch.Tensor)
    if value.untyped_storage().nbytes() > value.numel() * value.element_size():
        # A view into a larger buffer (e.g. flattened weights): don't save the whole buffer.
        value = value.clone()
    return value


def _dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def slot_key(graph: Graph, variable_node: int, optimizer_node: int, slot_name: str) -> str:
    """The tensor key of an optimizer slot: keyed by its model variable, as TensorFlow does."""
    return (
        f"{graph.paths[variable_node]}/.OPTIMIZER_SLOT/{graph.paths[optimizer_node]}/"
        f"{escape(slot_name)}"
    )


def build_payload(graph: Graph) -> dict:
    """The payload `_format.write_checkpoint` stores for `graph`.

    Args:
        graph: the object graph of the checkpoint's root.

    Returns:
        A dict with the object graph (JSON text), the tensors by key and the
        `state_dict()` of each torch optimizer.
    """
    nodes = []
    tensors: dict[str, torch.Tensor] = {}
    torch_optimizers: dict[str, dict] = {}
    for position, (obj, kind) in enumerate(zip(graph.objects, graph.kinds)):
        node: dict = {"kind": kind, "class": type(obj).__name__, "children": graph.edges[position]}
        if kind == VARIABLE:
            key = graph.paths[position]
            tensors[key] = _plain(obj)
            node.update(tensor=key, shape=list(obj.shape), dtype=_dtype_name(obj.dtype))
        elif kind == OPTIMIZER:
            trainable = [graph.index.get(id(v), -1) for v in obj._trainable_variables]
            trainable = [i if i >= 0 and graph.kinds[i] == VARIABLE else -1 for i in trainable]
            slots = []
            for name, slot_list in obj._slots.items():
                for index, slot in enumerate(slot_list):
                    variable_node = trainable[index] if index < len(trainable) else -1
                    if variable_node < 0:
                        # As in TensorFlow: slots of variables outside the checkpoint are skipped.
                        continue
                    key = slot_key(graph, variable_node, position, name)
                    tensors[key] = _plain(slot)
                    slots.append([variable_node, name, key])
            node.update(trainable=trainable, slots=slots)
        elif kind == TORCH_OPTIMIZER:
            key = graph.paths[position]
            torch_optimizers[key] = obj.state_dict()
            node["state"] = key
        nodes.append(node)
    return {
        "format": _format.FORMAT,
        "version": _format.VERSION,
        "graph": json.dumps({"nodes": nodes}),
        "tensors": tensors,
        "torch_optimizers": torch_optimizers,
    }
