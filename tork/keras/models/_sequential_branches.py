"""`seq.add_loss(t)` / `seq.add_metric(t)` for a tensor `t` of a Sequential's graph.

A Keras 2 Sequential with a known input shape is a functional model, so
`seq.add_loss(tf.reduce_mean(seq.output))` works there: the branch from the model's
tensors to an AddLoss (or AddMetric) layer runs at every call. tork's Sequential runs
its layers one after the other; the branch's nodes run after them, on the real output
of each layer (one forward pass, so Dropout's draws are the ones the loss sees).
"""

from __future__ import annotations

from tork.keras.models.functional.functional import _walk
from tork.keras.models.functional.keras_tensor import KerasTensor


def insert(seq, what: str, value, make_layer) -> bool:
    """Adds the branch ending in `value`; False when `seq` has no graph to take it."""
    graph = seq.__dict__["_tork_graph"]
    outputs = seq.__dict__.get("_tork_graph_layer_outputs")
    if graph is None or graph[1] is None or outputs is None:
        return False
    if not isinstance(value, KerasTensor):
        raise TypeError(
            f"model.{what}() takes a tensor computed from the model's tensors (or a "
            f"zero-argument callable); got {type(value).__name__} {value!r:.120}."
        )
    known = [graph[0], *outputs]
    try:
        _walk([value], known)
    except ValueError as error:
        raise ValueError(
            f"model.{what}() on Sequential model '{seq.name}': the tensor must be computed "
            f"from the model's input and its layers' outputs only. {error}"
        ) from None
    end = make_layer()(value)
    seq.__dict__.setdefault("_tork_branch_ends", []).append(end)
    seq.__dict__.pop("_tork_branch_nodes", None)
    return True


def branch_layers(seq) -> list:
    """The AddLoss/AddMetric layers at the branches' ends."""
    return [end._tork_node.operation for end in seq.__dict__.get("_tork_branch_ends", ())]


def branch_node_layers(seq) -> list:
    """The layers of the branches' nodes (TFOpLambda, AddLoss, AddMetric), in graph order.

    Keras 2 lists them after the Sequential's own layers (its summary rows).
    """
    ends = seq.__dict__.get("_tork_branch_ends")
    if not ends:
        return []
    graph = seq.__dict__["_tork_graph"]
    nodes = _walk(ends, [graph[0], *seq.__dict__["_tork_graph_layer_outputs"]])
    return [node.layer for node in nodes]


def call(seq, layers: list, x):
    """Runs the layers, then the branches on their outputs; returns the model's output."""
    graph = seq.__dict__["_tork_graph"]
    symbols = seq.__dict__["_tork_graph_layer_outputs"]
    values = {id(graph[0]): x}
    for layer, symbol in zip(layers, symbols):
        x = layer(x)
        values[id(symbol)] = x
    nodes = seq.__dict__.get("_tork_branch_nodes")
    if nodes is None:
        ends = seq.__dict__["_tork_branch_ends"]
        nodes = seq.__dict__["_tork_branch_nodes"] = _walk(ends, [graph[0], *symbols])
    for node in nodes:
        node.run(values)
    return x


def functional_twin(seq):
    """A functional model of `seq`'s graph and its branches, for saving.

    tf_keras lists the branches' layers in such a Sequential's config and then cannot
    rebuild it (`load_model`, `from_config` and `clone_model` fail). Its graph saved as a
    functional model reloads, in tork and in tf_keras, with the losses and metrics. The
    twin shares `seq`'s layers; it is made anew each time, so it never goes stale.
    """
    from tork.keras.models.functional.functional import Functional

    graph = seq.__dict__["_tork_graph"]
    twin = Functional(graph[0], graph[1], name=seq.name)
    for end in seq.__dict__["_tork_branch_ends"]:
        twin._tork_add_branch_end(end)
    return twin
