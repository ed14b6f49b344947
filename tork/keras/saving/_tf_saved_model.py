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
(`_tf_saved_model_state`, `_tf_saved_model_graph`), vocabulary files from `assets/`.
"""

from __future__ import annotations

import json
import os
import warnings

from tork.keras.saving._tf_saved_model_graph import GRAPH_NAME
from tork.keras.saving._tf_saved_model_state import (
    LOOKUP_CLASSES,
    check_vocabularies,
    restore_discretization_summaries,
)
from tork.keras.saving.errors import KerasFileError

METADATA_NAME = "keras_metadata.pb"
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
    if config.get("class_name") in LOOKUP_CLASSES and isinstance(inner, dict):
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
    restore_discretization_summaries(model, checkpoint)
    check_vocabularies(model, metadata, path, checkpoint)
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
