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
"""

from __future__ import annotations

import json
import os
import warnings

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


def _build(model, metadata: dict) -> None:
    """Builds a subclassed model at the input shape it was saved with, so weights restore now."""
    if getattr(model, "built", True):
        return
    shape = metadata.get("build_input_shape")
    if isinstance(shape, list):
        try:
            model.build(tuple(shape))
        except Exception as error:  # noqa: BLE001 - restoration is deferred to the first call then
            warnings.warn(
                f"Could not build the loaded model {model.name!r} at its saved input shape "
                f"{tuple(shape)} ({type(error).__name__}: {error}); its weights are restored "
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
    from tork.keras.saving._compile_config import compile_from_config, from_training_config
    from tork.keras.saving.keras_archive import model_from_saved_config

    metadata = _root_metadata(path)
    model = model_from_saved_config(_model_config(metadata, path), custom_objects, False, safe_mode)
    _build(model, metadata)
    training = metadata.get("training_config")
    if compile and isinstance(training, dict):
        compile_config = from_training_config(training, getattr(model, "output_names", None))
        try:
            compile_from_config(model, compile_config, custom_objects)
        except (KerasFileError, FileNotFoundError):
            raise
        except Exception as error:
            raise KerasFileError(
                f"Could not compile the model from the training config of {path!r}: "
                f"{type(error).__name__}: {error}"
            ) from error
    elif compile:
        warnings.warn(
            "No training configuration found in save file, so the model was *not* compiled. "
            "Compile it manually.",
            stacklevel=3,
        )
    prefix = os.path.join(path, _VARIABLES_PREFIX)
    status = model.load_weights(prefix)
    if status is not None and hasattr(status, "expect_partial"):
        # The checkpoint also holds the SavedModel's own objects (signatures, traced
        # functions' captures) that a rebuilt model has no place for.
        status.expect_partial()
    return model
