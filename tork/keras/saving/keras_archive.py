"""The Keras 3 `.keras` format: a zip of `metadata.json`, `config.json` and `model.weights.h5`.

- `metadata.json`: `{"keras_version", "date_saved"}`.
- `config.json`: the model serialized by `serialize_keras_object`, with its
  `build_config` and `compile_config`, in the spellings that tf_keras reads
  too (`_portable_archive`).
- `model.weights.h5`: the weights and optimizer state (see `weights_h5`).
- `assets/<path>/...`: files written by layers that define Keras's
  `save_assets(dir)` (e.g. vocabularies), read back with `load_assets(dir)`.

The archive is written uncompressed (ZIP_STORED) like Keras's, to a temporary
file renamed into place. Reading checks the archive (CRCs, sizes), the JSON,
and every weight before the model is returned; anything wrong raises
`KerasFileError` (or `FileNotFoundError`). A directory holding the same three
files (Keras's `zipped=False`) loads too.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import tempfile
import warnings
import zipfile

from tork.keras.saving import _keras3_activations, _structure, weights_h5
from tork.keras.saving.errors import KerasFileError

ASSETS_DIR = "assets"
CONFIG_NAME = "config.json"
METADATA_NAME = "metadata.json"
WEIGHTS_NAME = "model.weights.h5"
# The Keras release whose file layout tork writes.
KERAS_VERSION = "3.15.1"
# Larger members are refused: a corrupted size field must not make tork read gigabytes.
_MAX_JSON_BYTES = 256 * 1024 * 1024
_MAX_WEIGHTS_BYTES = 64 * 1024 * 1024 * 1024


def json_default(value):
    """`json.dumps(default=...)` for the NumPy and torch values configs may hold."""
    import numpy as np
    import torch

    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, torch.dtype):
        return str(value).replace("torch.", "")
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if hasattr(value, "as_list"):
        return value.as_list()
    raise TypeError(
        f"Cannot write {value!r:.100} ({type(value).__name__}) to a JSON config: a get_config() "
        "returned a value that is not a plain Python value. Return numbers, strings, lists and "
        "dicts (use keras.saving.serialize_keras_object for Keras objects)."
    )


def serialize_model(model) -> dict:
    """Serializes `model` for a file; a model without a usable config keeps its weights.

    A subclassed model whose `get_config` fails is written with its base
    config and the reason, so the file still holds its weights and loading
    explains what to add.
    """
    from tork.keras.models.functional.functional import Functional
    from tork.keras.models.sequential import Sequential
    from tork.keras.saving._compile_config import serialize_compile_config
    from tork.keras.saving.object_registration import get_registered_name
    from tork.keras.saving.serialization import serialize_keras_object

    try:
        return serialize_keras_object(model)
    except (NotImplementedError, TypeError, ValueError, AttributeError) as error:
        if isinstance(model, (Sequential, Functional)):
            raise
        cls = type(model)
        reason = f"{type(error).__name__} in {cls.__name__}.get_config(): {error}"
        warnings.warn(
            f"{cls.__name__}.get_config() does not work ({error}). The file stores the "
            "weights, but load_model() cannot recreate the model: add a get_config() that "
            "returns the constructor arguments, or recreate the model in code and call "
            "load_weights() on the file.",
            stacklevel=4,
        )
        entry = {
            "module": cls.__module__,
            "class_name": cls.__name__,
            "config": {"name": model.name, "trainable": model.trainable},
            "registered_name": get_registered_name(cls),
            "tork_config_error": reason,
        }
        build_config = model.get_build_config()
        if build_config:
            entry["build_config"] = serialize_keras_object(build_config)
        entry["compile_config"] = serialize_compile_config(model)
        return entry


def _metadata() -> dict:
    from tork.version import TORK_VERSION as tork_version

    return {
        "keras_version": KERAS_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
        "tork_version": tork_version,
    }


def save_keras_archive(
    model, filepath, zipped: bool = True, include_optimizer: bool = True
) -> None:
    """Writes `model` as a `.keras` archive (or, with `zipped=False`, a directory).

    With `include_optimizer=False` the compile config and the optimizer's state are
    left out: `load_model` gives an uncompiled model (Keras 2's SavedModel does so).
    """
    from tork.keras.models.functional.config import keras3_op_entries
    from tork.keras.saving._atomic import atomic_path
    from tork.keras.saving._portable_archive import portable_config

    entry = serialize_model(model)
    if not include_optimizer and isinstance(entry, dict):
        entry = {k: v for k, v in entry.items() if k != "compile_config"}
    # keras.ops calls on symbolic tensors are written as Keras 3's Operation entries, which
    # Keras 3 loads; `.h5` files (Keras 2) keep tork's own op entries. The spellings that
    # both Keras 3 and tf_keras read are used where they differ (`_portable_archive`).
    if isinstance(entry, dict):
        entry = portable_config(entry, model)
    config = json.dumps(keras3_op_entries(entry), default=json_default)
    metadata = json.dumps(_metadata())
    weights = io.BytesIO()
    weights_h5.write_weights(model, weights, include_optimizer=include_optimizer)
    files = {METADATA_NAME: metadata.encode(), CONFIG_NAME: config.encode()}
    files.update(_collect_assets(model))
    files[WEIGHTS_NAME] = weights.getvalue()
    if not zipped:
        os.makedirs(filepath, exist_ok=True)
        for name, data in files.items():
            target = os.path.join(filepath, *name.split("/"))
            with atomic_path(target) as tmp, open(tmp, "wb") as f:
                f.write(data)
        return
    with atomic_path(filepath) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)


def _collect_assets(model) -> dict:
    """`{'assets/<path>/<file>': bytes}` from every layer's Keras `save_assets(dir)` hook."""
    owners = [(p, o) for p, o in _structure.walk(model) if weights_h5.has_hook(o, "save_assets")]
    if not owners:
        return {}
    files = {}
    with tempfile.TemporaryDirectory() as root:
        for path, obj in owners:
            directory = os.path.join(root, *([path] if path else []))
            os.makedirs(directory, exist_ok=True)
            obj.save_assets(directory)
        for folder, _, names in os.walk(root):
            for name in names:
                full = os.path.join(folder, name)
                relative = os.path.relpath(full, root).replace(os.sep, "/")
                with open(full, "rb") as f:
                    files[f"{ASSETS_DIR}/{relative}"] = f.read()
    return files


def _restore_assets(model, assets: dict, label: str) -> None:
    """Writes the archive's assets to a temporary directory and calls each `load_assets(dir)`."""
    owners = [(p, o) for p, o in _structure.walk(model) if weights_h5.has_hook(o, "load_assets")]
    if not owners:
        return
    with tempfile.TemporaryDirectory() as root:
        for name, data in assets.items():
            parts = name.split("/")[1:]
            if not parts or any(part in ("", ".", "..") or "\\" in part for part in parts):
                raise KerasFileError(f"{label} holds an invalid asset path {name!r}.")
            target = os.path.join(root, *parts)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(data)
        for path, obj in owners:
            directory = os.path.join(root, *([path] if path else []))
            os.makedirs(directory, exist_ok=True)
            try:
                obj.load_assets(directory)
            except Exception as error:
                raise KerasFileError(
                    f"{_structure.describe(obj)}.load_assets() failed on {label}: "
                    f"{type(error).__name__}: {error}"
                ) from error


def _read_member(archive, name: str, label: str, limit: int) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise KerasFileError(f"{label} has no '{name}'.") from None
    if info.file_size > limit or (
        info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size
    ):
        raise KerasFileError(
            f"{label} is corrupted: its member '{name}' declares an invalid size "
            f"({info.file_size} bytes)."
        )
    try:
        return archive.read(name)
    except Exception as error:
        # zipfile raises BadZipFile, zlib.error, EOFError, NotImplementedError, ... on bad data.
        raise KerasFileError(
            f"{label} is corrupted: cannot read its member '{name}' ({type(error).__name__}: "
            f"{error})."
        ) from None


def parse_json(data: bytes, what: str) -> dict:
    """Parses a JSON object; bad JSON raises `KerasFileError`."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise KerasFileError(
            f"{what} is not valid JSON ({error}); the file is corrupted."
        ) from None
    if not isinstance(value, dict):
        raise KerasFileError(f"{what} should hold a JSON object, not {type(value).__name__}.")
    return value


def read_archive(filepath) -> tuple[dict, dict, bytes, dict]:
    """Returns `(config, metadata, weights bytes, assets)` of a `.keras` file or directory."""
    path = os.fspath(filepath)
    label = f"The Keras file {path!r}"
    if os.path.isdir(path):
        return _read_directory(path, label)
    try:
        archive = zipfile.ZipFile(path, "r")
    except FileNotFoundError:
        raise
    except Exception as error:
        raise KerasFileError(
            f"{label} is not a valid .keras archive (a zip file); it may be truncated or "
            f"corrupted ({type(error).__name__}: {error})."
        ) from None
    with archive:
        try:
            names = set(archive.namelist())
        except Exception as error:  # pragma: no cover - namelist reads parsed data
            raise KerasFileError(f"{label} is corrupted: {error}") from None
        if WEIGHTS_NAME not in names:
            other = sorted(n for n in names if n.startswith("model.weights"))
            hint = (
                f" It holds {other}: sharded or .npz weights, which tork cannot read yet."
                if other
                else ""
            )
            raise KerasFileError(
                f"{label} has no '{WEIGHTS_NAME}' (members: {sorted(names)[:10]}); it is "
                f"not a complete Keras model file.{hint}"
            )
        config = parse_json(
            _read_member(archive, CONFIG_NAME, label, _MAX_JSON_BYTES),
            f"'{CONFIG_NAME}' in {path!r}",
        )
        metadata = {}
        if METADATA_NAME in names:
            metadata = parse_json(
                _read_member(archive, METADATA_NAME, label, _MAX_JSON_BYTES),
                f"'{METADATA_NAME}' in {path!r}",
            )
        weights = _read_member(archive, WEIGHTS_NAME, label, _MAX_WEIGHTS_BYTES)
        assets = {
            name: _read_member(archive, name, label, _MAX_WEIGHTS_BYTES)
            for name in sorted(names)
            if name.startswith(ASSETS_DIR + "/") and not name.endswith("/")
        }
    return config, metadata, weights, assets


def _read_directory(path: str, label: str) -> tuple[dict, dict, bytes]:
    config_path = os.path.join(path, CONFIG_NAME)
    weights_path = os.path.join(path, WEIGHTS_NAME)
    if not os.path.isfile(config_path) or not os.path.isfile(weights_path):
        from tork.saved_model import _format as saved_model_format

        if os.path.isfile(os.path.join(path, saved_model_format.METADATA_NAME)):
            raise KerasFileError(
                f"{path!r} is a SavedModel written by tf.saved_model.save or model.export, not "
                "a Keras model: load it with tf.saved_model.load(path), or use it as a layer "
                "with keras.layers.TFSMLayer(path, call_endpoint='serving_default'). To reload "
                "the Keras model itself, save it with model.save('model.keras')."
            )
        if os.path.exists(os.path.join(path, "saved_model.pb")):
            raise KerasFileError(
                f"{path!r} is a TensorFlow SavedModel directory without 'keras_metadata.pb' "
                "(written by tf.saved_model.save, or by tf.keras before TF 2.5), so it holds "
                "no Keras config, only TensorFlow graphs, which tork cannot run. Build the "
                "model in code and call model.load_weights(os.path.join(path, 'variables', "
                "'variables')) to restore its weights, or in TensorFlow load it and save it "
                "as a '.keras' file."
            )
        raise KerasFileError(
            f"{path!r} is a directory without '{CONFIG_NAME}' and '{WEIGHTS_NAME}': it is not a "
            "Keras model. Pass the path of a '.keras' file."
        )
    with open(config_path, "rb") as f:
        config = parse_json(f.read(), f"{config_path!r}")
    metadata = {}
    metadata_path = os.path.join(path, METADATA_NAME)
    if os.path.isfile(metadata_path):
        with open(metadata_path, "rb") as f:
            metadata = parse_json(f.read(), f"{metadata_path!r}")
    with open(weights_path, "rb") as f:
        weights = f.read()
    assets = {}
    assets_root = os.path.join(path, ASSETS_DIR)
    for folder, _, names in os.walk(assets_root):
        for name in names:
            full = os.path.join(folder, name)
            relative = os.path.relpath(full, path).replace(os.sep, "/")
            with open(full, "rb") as f:
                assets[relative] = f.read()
    return config, metadata, weights, assets


def model_from_saved_config(config: dict, custom_objects, compile: bool, safe_mode):
    """Recreates the model of a saved config; any failure raises `KerasFileError`."""
    from tork.keras.saving.serialization import deserialize_keras_object

    if not compile:
        config = {k: v for k, v in config.items() if k != "compile_config"}
    try:
        return deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
    except (KerasFileError, FileNotFoundError):
        raise
    except RecursionError:
        raise KerasFileError("The saved model config is nested too deeply to read.") from None
    except Exception as error:
        raise KerasFileError(
            f"Could not recreate the model from its saved config: {type(error).__name__}: {error}"
        ) from error


def load_keras_archive(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a `.keras` file (or directory) into a new model."""
    config, metadata, weights, assets = read_archive(filepath)
    if _keras3_activations.written_by_keras3(
        metadata.get("keras_version"), metadata.get("tork_version")
    ):
        config = _keras3_activations.translate_keras3_config(config)
    model = model_from_saved_config(config, custom_objects, compile, safe_mode)
    label = f"the weights in {os.fspath(filepath)!r}"
    with weights_h5.open_h5(weights, label) as f:
        weights_h5.load_weights_from(model, f, label)
    _restore_assets(model, assets, f"the assets in {os.fspath(filepath)!r}")
    return model


def load_archive_weights(model, filepath, skip_mismatch: bool = False) -> None:
    """Loads only the weights (and optimizer state) of a `.keras` file into `model`."""
    _, _, weights, assets = read_archive(filepath)
    label = f"the weights in {os.fspath(filepath)!r}"
    with weights_h5.open_h5(weights, label) as f:
        weights_h5.load_weights_from(model, f, label, skip_mismatch=skip_mismatch)
    _restore_assets(model, assets, f"the assets in {os.fspath(filepath)!r}")
