"""State tf.keras keeps outside a SavedModel's config and its layers' variables.

Adapted Discretization layers keep their quantile summary as a `summary` variable
(their config says `bin_boundaries: null`); adapted lookup layers keep their
vocabulary only in the lookup table's initializer inside `saved_model.pb`. Both are
found by walking the model's layers beside the object graph's nodes (`layer-N` edges
for Functional/Sequential models, attribute names for subclassed ones).
"""

from __future__ import annotations

import numpy as np

from tork.keras.saving._tf_saved_model_graph import GRAPH_NAME
from tork.keras.saving.errors import KerasFileError


def _walk(layer, node: int, nodes: list):
    """(layer, object-graph node) pairs for `layer` and the layers under it (`layer-N` edges)."""
    from tork.keras.layers.layer import Layer

    yield layer, node
    children = {name: child for child, name in nodes[node].children}
    sublayers = list(getattr(layer, "layers", None) or [])
    for i, sublayer in enumerate(sublayers):
        child = children.get(f"layer-{i}")
        if child is not None:
            yield from _walk(sublayer, child, nodes)
    if not any(name.startswith("layer-") for name in children):
        # A subclassed model or layer: its sublayers are edges named by attribute.
        for name, child in children.items():
            sublayer = getattr(layer, name, None) if name.isidentifier() else None
            if isinstance(sublayer, Layer) and sublayer is not layer:
                yield from _walk(sublayer, child, nodes)


def restore_discretization_summaries(model, checkpoint) -> None:
    """Sets adapted Discretization layers' boundaries from tf.keras's `summary` variable.

    tf.keras writes `bin_boundaries: null` for a layer adapted with `num_bins` and keeps
    its quantile summary as a variable, from which it recomputes the boundaries; tork
    keeps no such variable, so it reads the summary from the checkpoint here.
    """
    pending = [
        layer
        for layer in _all_layers(model)
        if hasattr(layer, "_tork_set_summary")
        and layer._tork_takes_summary()
        and getattr(layer, "_boundaries", None) is None
    ]
    if not pending or not checkpoint.nodes:
        return
    nodes = checkpoint.nodes
    for layer, node in _walk(model, 0, nodes):
        if not any(layer is item for item in pending):
            continue
        # The `summary` variable is a child object; its value is that child's attribute.
        for child, name in nodes[node].children:
            if name != "summary":
                continue
            summary = checkpoint.value(child)
            if summary is not None:
                layer._tork_set_summary(summary)


def _all_layers(model) -> list:
    found = []
    stack = [model]
    while stack:
        layer = stack.pop()
        found.append(layer)
        stack.extend(getattr(layer, "layers", None) or [])
    return found


LOOKUP_CLASSES = ("StringLookup", "IntegerLookup", "TextVectorization")


def _saved_lookup_configs(config, found: dict) -> dict:
    """Layer name -> config for the lookup layers of a saved model config (nested too)."""
    if isinstance(config, dict):
        if config.get("class_name") in LOOKUP_CLASSES and isinstance(config.get("config"), dict):
            found[config["config"].get("name")] = config["config"]
        for value in config.values():
            _saved_lookup_configs(value, found)
    elif isinstance(config, list):
        for value in config:
            _saved_lookup_configs(value, found)
    return found


def _graph_or_none(path: str):
    from tork.keras.saving._tf_saved_model_graph import SavedModelGraph

    try:
        return SavedModelGraph(path)
    except Exception:  # noqa: BLE001 - an unreadable graph leaves the clear error below
        return False


def _vocabulary_from_graph(model, layer, graph, config: dict, checkpoint) -> None:
    """Sets `layer`'s vocabulary from its lookup table's initializer in saved_model.pb."""
    from tork.keras.saving._tf_saved_model_graph import table_vocabulary

    if not graph or not graph.nodes:
        return
    for candidate, node in _walk(model, 0, graph.nodes):
        if candidate is layer:
            tokens = table_vocabulary(graph, node, bool(config.get("invert")))
            if not tokens:
                return
            if config.get("output_mode") == "tf_idf":
                idf = _idf_weights(model, layer, checkpoint)
                oov = config.get("oov_token", "[UNK]")
                if idf is None or len(idf) != len(tokens) + 1 or not isinstance(oov, str):
                    return
                # The saved weights start with the OOV token's (one OOV index in tf_idf
                # mode): given with it, set_vocabulary keeps that weight as saved.
                layer.set_vocabulary([oov, *tokens], idf_weights=idf)
            else:
                layer.set_vocabulary(tokens)
            return


def _idf_weights(model, layer, checkpoint):
    """A tf_idf lookup layer's `idf_weights` variable from the checkpoint, or None."""
    nodes = checkpoint.nodes
    if not nodes:
        return None
    for candidate, node in _walk(model, 0, nodes):
        if candidate is not layer:
            continue
        for edges in (("idf_weights",), ("_lookup_layer", "idf_weights")):
            current = node
            for edge in edges:
                current = dict((n, c) for c, n in nodes[current].children).get(edge)
                if current is None:
                    break
            if current is not None:
                value = checkpoint.value(current)
                if value is not None:
                    return np.asarray(value, dtype=np.float32)
    return None


def check_vocabularies(model, metadata: dict, path: str, checkpoint) -> None:
    """Restores adapted lookup vocabularies from `saved_model.pb`, or refuses the model.

    tf.keras writes an adapted StringLookup / IntegerLookup / TextVectorization layer's
    vocabulary into the lookup table's initializer inside `saved_model.pb`, not into the
    config or the checkpoint. tork reads it from there; where it cannot, such a layer
    would map every input to the OOV index (a silent wrong result), hence the error.
    """
    saved = _saved_lookup_configs(metadata.get("config"), {})
    graph = None
    for layer in _all_layers(model):
        config = saved.get(getattr(layer, "name", None))
        if config is None or not hasattr(layer, "vocabulary_size"):
            continue
        size = config.get("vocabulary_size")
        if config.get("vocabulary") is None and isinstance(size, int):
            if layer.vocabulary_size() != size:
                graph = graph if graph is not None else _graph_or_none(path)
                _vocabulary_from_graph(model, layer, graph, config, checkpoint)
            if layer.vocabulary_size() != size:
                raise KerasFileError(
                    f"The SavedModel {path!r} holds the {type(layer).__name__} layer "
                    f"{layer.name!r} with an adapted vocabulary of {size} entries, which "
                    "tf.keras keeps only inside the TensorFlow graphs of "
                    f"{GRAPH_NAME}, and tork could not read it from there (a tf_idf layer's "
                    "IDF weights, or a graph tork does not recognise). In TensorFlow, load the "
                    "model and save it as a '.keras' or '.h5' file (both keep the "
                    "vocabulary), or pass the vocabulary to the layer's constructor "
                    "(`vocabulary=layer.get_vocabulary()`) before saving."
                )
