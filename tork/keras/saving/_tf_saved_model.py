"""Keras models in TensorFlow SavedModel directories written by tf.keras 2.

`model.save('my_model')` in tf.keras 2 (a path without `.keras`/`.h5`) writes a
TensorFlow SavedModel: TensorFlow graphs in `saved_model.pb`, which tork cannot
run, and beside them `keras_metadata.pb`, which describes every Keras object of
the model as JSON (the root's entry holds the model config and, once compiled,
the training config). The weights and the optimizer state are a TensorFlow
checkpoint at `variables/variables`.

tork rebuilds the model from the config, restores the checkpoint into it through
the checkpoint's object graph (as `model.load_weights` does) and compiles it as
it was saved. Models that tf.keras could only revive from the graphs (subclassed
models without `get_config`, unless their class is passed in `custom_objects`)
raise an error that says so.

State tf.keras keeps outside the config and the layers' variables is read where it
lies: adapted Discretization boundaries from their `summary` variable, adapted lookup
vocabularies from the lookup tables' initializer constants in `saved_model.pb`
(`_tf_saved_model_graph`), vocabulary files from `assets/`.
"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np

from tork.keras.saving.errors import KerasFileError

METADATA_NAME = "keras_metadata.pb"
GRAPH_NAME = "saved_model.pb"
_VARIABLES_PREFIX = os.path.join("variables", "variables")

# SavedMetadata: `repeated SavedObject nodes = 1`; SavedObject: `int32 node_id = 2;
# string node_path = 3; string identifier = 4; string metadata = 5`.
_NODES_FIELD = 1
_PATH_FIELD = 3
_METADATA_FIELD = 5


def is_tf_keras_saved_model(path: str) -> bool:
    """Whether `path` is a SavedModel directory with tf.keras's `keras_metadata.pb`."""
    return os.path.isfile(os.path.join(path, GRAPH_NAME)) and os.path.isfile(
        os.path.join(path, METADATA_NAME)
    )


def _root_metadata(path: str) -> dict:
    """The JSON description tf.keras recorded for the model itself (node path `root`)."""
    from tork.train._wire import DecodeError, _fields

    file = os.path.join(path, METADATA_NAME)
    with open(file, "rb") as f:
        data = f.read()
    try:
        for field, _, node in _fields(data):
            if field != _NODES_FIELD or not isinstance(node, bytes):
                continue
            entries = {number: value for number, _, value in _fields(node)}
            if entries.get(_PATH_FIELD) == b"root":
                return _decode(json.loads(entries.get(_METADATA_FIELD, b"{}").decode("utf8")))
    except (DecodeError, UnicodeDecodeError, ValueError) as error:
        raise KerasFileError(f"{file!r} is not a readable Keras metadata file: {error}") from None
    raise KerasFileError(f"{file!r} describes no model (it has no 'root' entry).")


def _decode(value):
    """Undoes tf.keras's JSON encoding of tuples and shapes (`{"class_name": "__tuple__", ...}`)."""
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    if value.get("class_name") in ("__tuple__", "TensorShape") and set(value) == {
        "class_name",
        "items",
    }:
        items = value["items"]
        return None if items is None else [_decode(item) for item in items]
    return {key: _decode(item) for key, item in value.items()}


def _model_config(metadata: dict, path: str) -> dict:
    # The root's own `class_name` is the registered name (`package>Class`) that
    # `register_keras_serializable` finds; `model_config` repeats the bare class name.
    config = {"class_name": metadata.get("class_name"), "config": metadata.get("config")}
    if not isinstance(config["config"], dict) and isinstance(metadata.get("model_config"), dict):
        config = metadata["model_config"]
    if not isinstance(config.get("config"), dict):
        raise KerasFileError(
            f"The SavedModel {path!r} holds a {metadata.get('class_name')!r} model saved "
            "without a config: tf.keras revives such models from the TensorFlow graphs in "
            f"{GRAPH_NAME}, which tork cannot run. Define get_config() on the model class and "
            "save it again in TensorFlow, or save it as a '.keras' file there."
        )
    return config


def _vocabulary_files_in_assets(config, path: str):
    """Points lookup layers' vocabulary files at the copies in the SavedModel's `assets/`.

    A layer created with `vocabulary='/some/vocab.txt'` keeps that path in its config,
    and TensorFlow copies the file into `assets/` (the graphs read the copy there, so
    the directory works where the original file is gone).
    """
    if isinstance(config, list):
        return [_vocabulary_files_in_assets(item, path) for item in config]
    if not isinstance(config, dict):
        return config
    config = {key: _vocabulary_files_in_assets(value, path) for key, value in config.items()}
    inner = config.get("config")
    if config.get("class_name") in _LOOKUP_CLASSES and isinstance(inner, dict):
        vocabulary = inner.get("vocabulary")
        if isinstance(vocabulary, str) and vocabulary:
            copy = os.path.join(path, "assets", os.path.basename(vocabulary))
            if os.path.isfile(copy):
                config["config"] = {**inner, "vocabulary": copy}
    return config


def _build_shape(shape):
    """tf.keras's `build_input_shape` as `build` takes it: a shape tuple, or a list or
    dict of them for a model called on several inputs."""
    if isinstance(shape, dict):
        shapes = {key: _build_shape(value) for key, value in shape.items()}
        return None if any(value is None for value in shapes.values()) else shapes
    if not isinstance(shape, list):
        return None
    if shape and all(isinstance(item, (list, dict)) for item in shape):
        shapes = [_build_shape(item) for item in shape]
        return None if any(value is None for value in shapes) else shapes
    return tuple(shape)


def _build(model, metadata: dict) -> None:
    """Builds a subclassed model at the input shape it was saved with, so weights restore now."""
    if getattr(model, "built", True):
        return
    from tork.ops.scopes import name_scope

    shape = _build_shape(metadata.get("build_input_shape"))
    if shape is not None:
        try:
            # tf.keras rebuilds the model through a call, in the model's name scope: its
            # layers' weights are `model_name/dense/kernel:0`, as when first called.
            with name_scope(model.name):
                model.build(shape)
        except Exception as error:  # noqa: BLE001 - restoration is deferred to the first call then
            warnings.warn(
                f"Could not build the loaded model {model.name!r} at its saved input shape "
                f"{shape} ({type(error).__name__}: {error}); its weights are restored "
                "when it is first called.",
                stacklevel=4,
            )


def load_tf_keras_saved_model(path: str, custom_objects=None, compile=True, safe_mode=True):
    """Loads the Keras model of a tf.keras 2 SavedModel directory.

    Args:
        path: the SavedModel directory (`saved_model.pb`, `keras_metadata.pb`,
            `variables/`).
        custom_objects: your classes and functions the config names.
        compile: whether to compile the model as it was saved, with its
            optimizer state.
        safe_mode: refuse configs that would run arbitrary code (Lambda
            bytecode).

    Returns:
        The model with its weights (and optimizer state when compiled).

    Example:
    >>> model = keras.models.load_model("saved_model_dir")  # doctest: +SKIP
    """
    from tork.keras.saving._compile_config import compile_from_training_config
    from tork.keras.saving.keras_archive import model_from_saved_config

    metadata = _root_metadata(path)
    config = _vocabulary_files_in_assets(_model_config(metadata, path), path)
    model = model_from_saved_config(config, custom_objects, False, safe_mode)
    _build(model, metadata)
    training = _keras2_optimizer_names(metadata.get("training_config"))
    if compile and isinstance(training, dict):
        compile_from_training_config(model, training, custom_objects, repr(path))
    elif compile:
        warnings.warn(
            "No training configuration found in save file, so the model was *not* compiled. "
            "Compile it manually.",
            stacklevel=3,
        )
    checkpoint = _SavedCheckpoint(os.path.join(path, _VARIABLES_PREFIX))
    # A model of preprocessing layers only has no variable in the checkpoint to match
    # (lookup tables are not variables), which load_weights would report as a mismatch.
    status = model.load_weights(checkpoint.prefix) if checkpoint.holds_model_variables() else None
    if status is not None and hasattr(status, "expect_partial"):
        # The checkpoint also holds the SavedModel's own objects (signatures, traced
        # functions' captures) that a rebuilt model has no place for.
        status.expect_partial()
    _restore_discretization_summaries(model, checkpoint)
    _check_vocabularies(model, metadata, path, checkpoint)
    return model


class _SavedCheckpoint:
    """The `variables/variables` checkpoint's index and object graph, each read once for
    the steps after `load_weights` (which reads the checkpoint through its own machinery)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self._reader = None
        self._nodes = None

    @property
    def reader(self):
        if self._reader is None:
            from tork.train._tensor_bundle import BundleReader

            self._reader = BundleReader(self.prefix)
        return self._reader

    @property
    def nodes(self) -> list:
        """The object graph's nodes ([] for a checkpoint without one)."""
        if self._nodes is None:
            from tork.train._object_graph_proto import GRAPH_KEY, parse

            reader = self.reader
            graph = reader.get(GRAPH_KEY).item() if GRAPH_KEY in reader.entries else None
            self._nodes = [] if graph is None else parse(bytes(graph))
        return self._nodes

    def value(self, node: int):
        """The saved value of the variable `node`, or None."""
        for attribute in self.nodes[node].attributes:
            if attribute.checkpoint_key in self.reader.entries:
                return self.reader.get(attribute.checkpoint_key)
        return None

    def holds_model_variables(self) -> bool:
        """Whether the checkpoint holds a variable besides the optimizer's and metrics'."""
        try:
            keys = self.reader.entries
        except Exception:  # noqa: BLE001 - load_weights reports an unreadable checkpoint
            return True
        return any(
            key.endswith("/.ATTRIBUTES/VARIABLE_VALUE")
            and not key.startswith(("optimizer/", "keras_api/"))
            for key in keys
        )


# tf.keras 2's names of its mixed-precision wrapper (`LossScaleOptimizerV3` around a Keras
# 2.11+ optimizer, `LossScaleOptimizer` around a legacy one): tork has one class for both.
_LOSS_SCALE_NAMES = ("LossScaleOptimizerV3", "LossScaleOptimizerV1")


def _keras2_optimizer_names(training):
    """The training config with tf.keras's loss-scale optimizer names as tork's."""
    if not isinstance(training, dict):
        return training
    optimizer = training.get("optimizer_config")
    if isinstance(optimizer, dict) and optimizer.get("class_name") in _LOSS_SCALE_NAMES:
        config = dict(optimizer.get("config") or {})
        inner = config.get("inner_optimizer")
        if isinstance(inner, dict) and str(inner.get("class_name", "")).startswith("Custom>"):
            # tf.keras registers its own optimizers as `Custom>Name` in this nested config.
            config["inner_optimizer"] = {**inner, "class_name": inner["class_name"][7:]}
        training = dict(training)
        training["optimizer_config"] = {"class_name": "LossScaleOptimizer", "config": config}
    return training


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


def _restore_discretization_summaries(model, checkpoint: _SavedCheckpoint) -> None:
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


_LOOKUP_CLASSES = ("StringLookup", "IntegerLookup", "TextVectorization")


def _saved_lookup_configs(config, found: dict) -> dict:
    """Layer name -> config for the lookup layers of a saved model config (nested too)."""
    if isinstance(config, dict):
        if config.get("class_name") in _LOOKUP_CLASSES and isinstance(config.get("config"), dict):
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


def _idf_weights(model, layer, checkpoint: _SavedCheckpoint):
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


def _check_vocabularies(model, metadata: dict, path: str, checkpoint) -> None:
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
