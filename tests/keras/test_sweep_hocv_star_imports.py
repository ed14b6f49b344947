"""`from tensorflow.keras.layers import *` brings in Input (hocv sweep).

Hands-On Computer Vision's FCN-8s (ch. 6) does `from tensorflow.keras.layers import *`
and then calls `Input(...)`; tork loads Input, Model and the saving helpers lazily,
which a star import missed. The name lists are what tf_keras 2.21's star imports give.
"""

import tork.keras
import tork.keras.models
import tork.keras.saving


def _star(module: str) -> dict:
    namespace: dict = {}
    exec(f"from {module} import *", namespace)
    return namespace


def test_layers_star_import_has_input():
    names = _star("tork.keras.layers")
    assert names["Input"] is tork.keras.Input
    assert names["InputLayer"] is tork.keras.layers.InputLayer
    assert {"Conv2D", "Dense", "add", "concatenate"} <= set(names)


def test_models_star_import():
    names = _star("tork.keras.models")
    expected = {
        "Model",
        "Sequential",
        "clone_model",
        "load_model",
        "model_from_config",
        "model_from_json",
        "model_from_yaml",
        "save_model",
    }
    assert expected <= set(names)
    assert names["Sequential"] is tork.keras.Sequential


def test_utils_and_saving_star_imports():
    utils = _star("tork.keras.utils")
    for name in (
        "CustomObjectScope",
        "custom_object_scope",
        "deserialize_keras_object",
        "get_custom_objects",
        "get_registered_name",
        "get_registered_object",
        "register_keras_serializable",
        "serialize_keras_object",
        "to_categorical",
    ):
        assert name in utils, name
    saving = _star("tork.keras.saving")
    assert saving["load_model"] is tork.keras.saving.load_model
    assert {"save_model", "register_keras_serializable"} <= set(saving)


def test_keras_star_import_gives_tf_keras_names_only():
    names = {n for n in _star("tork.keras") if not n.startswith("_")}
    assert names == {
        "Input",
        "Model",
        "Sequential",
        "activations",
        "applications",
        "backend",
        "callbacks",
        "constraints",
        "datasets",
        "experimental",
        "export",
        "initializers",
        "layers",
        "losses",
        "metrics",
        "mixed_precision",
        "models",
        "optimizers",
        "preprocessing",
        "regularizers",
        "saving",
        "utils",
    }
    assert _star("tork.keras")["Model"] is tork.keras.Model
