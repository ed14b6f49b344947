"""Feature columns to and from configs, as Keras 2 saves them in `DenseFeatures`'s config.

A column's config is `{"class_name": <column class>, "config": {<field>: value}}`; nested
columns are configs too, dtypes are their names, initializers and normalizer functions
Keras-serialized.
"""

from __future__ import annotations

import torch

from tork._backend import string_tensor
from tork.feature_column._base import FeatureColumn


def _classes() -> dict:
    from tork import feature_column

    return {cls.__name__: cls for cls in feature_column._CLASSES}


def _dtype_name(dtype) -> str:
    if dtype is string_tensor.string:
        return "string"
    return str(dtype).replace("torch.", "")


def serialize_feature_column(column) -> dict | str:
    """`{"class_name", "config"}` of a column (a raw key string stays a string)."""
    if isinstance(column, str):
        return column
    if not isinstance(column, FeatureColumn):
        raise ValueError(f"Instance: {column} is not a FeatureColumn")
    from tork.feature_column.shared_embeddings import SharedEmbeddingColumn

    if isinstance(column, SharedEmbeddingColumn):
        raise NotImplementedError(
            "Serializing shared_embeddings columns is not implemented in tork (TensorFlow 2 "
            "does not support them in eager mode either); save the weights only "
            "(model.save_weights) and rebuild the model in code."
        )
    from tork.keras.saving.serialization import serialize_keras_object

    config = {}
    for field in column._fields:
        value = getattr(column, field)
        if isinstance(value, FeatureColumn):
            value = serialize_feature_column(value)
        elif field == "keys":
            value = [serialize_feature_column(k) for k in value]
        elif field == "dtype":
            value = _dtype_name(value)
        elif field in ("initializer", "normalizer_fn") and value is not None:
            value = serialize_keras_object(value)
        elif isinstance(value, tuple):
            value = list(value)
        config[field] = value
    return {"class_name": type(column).__name__, "config": config}


def deserialize_feature_column(config, custom_objects=None):
    """The column of a `serialize_feature_column` config."""
    if isinstance(config, str):
        return config
    classes = _classes()
    name = config.get("class_name") if isinstance(config, dict) else None
    if name not in classes:
        raise ValueError(f"Unknown feature column class in config: {config!r:.200}")
    from tork.keras.saving.serialization import deserialize_keras_object

    fields = dict(config["config"])
    for key, value in list(fields.items()):
        if isinstance(value, dict) and "class_name" in value and key != "initializer":
            if value["class_name"] in classes:
                fields[key] = deserialize_feature_column(value, custom_objects)
                continue
        if key == "keys":
            fields[key] = tuple(deserialize_feature_column(k, custom_objects) for k in value)
        elif key == "dtype":
            fields[key] = string_tensor.string if value == "string" else getattr(torch, value)
        elif key in ("initializer", "normalizer_fn") and value is not None:
            fields[key] = deserialize_keras_object(value, custom_objects=custom_objects)
        elif isinstance(value, list):
            fields[key] = _tuple(value)
    return classes[name](**fields)


def _tuple(value):
    return tuple(_tuple(v) for v in value) if isinstance(value, list) else value
