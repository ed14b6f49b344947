"""`tf.keras.layers.DenseFeatures`: a dict of features through feature columns, as one tensor."""

from __future__ import annotations

import torch

from tork.feature_column._base import DenseColumn, FeatureCache
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.layer import Layer


def sorted_columns(feature_columns, owner: str, kind=DenseColumn, advice: str = "") -> list:
    """The columns checked and sorted by name, as Keras 2's feature-column layers use them."""
    if feature_columns is None:
        raise ValueError("Expected feature_columns to be iterable, found None.")
    if isinstance(feature_columns, dict):
        feature_columns = list(feature_columns.values())
    elif not isinstance(feature_columns, (list, tuple)):
        feature_columns = (
            [feature_columns] if hasattr(feature_columns, "name") else list(feature_columns)
        )
    columns = list(feature_columns)
    if not columns:
        raise ValueError("Expected feature_columns to not be empty.")
    for column in columns:
        if not isinstance(column, kind):
            raise ValueError(
                f"Items of feature_columns must be a {kind.__name__}. {advice}Given (type "
                f"{type(column)}): {column}."
            )
    names = [c.name for c in columns]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(
            f"Duplicate feature column name found for columns: {duplicates}. {owner} needs "
            "each column once."
        )
    return sorted(columns, key=lambda c: c.name)


class _FeatureColumnsLayer(Layer):
    """A layer configured by `feature_columns`: their config form, as Keras 2 writes it."""

    def get_config(self) -> dict:
        from tork.feature_column.serialization import serialize_feature_column

        config = super().get_config()
        config["feature_columns"] = [serialize_feature_column(c) for c in self._feature_columns]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tork.feature_column.serialization import deserialize_feature_column

        config = dict(config)
        config["feature_columns"] = [
            deserialize_feature_column(c, custom_objects) for c in config["feature_columns"]
        ]
        return cls(**config)


class DenseFeatures(_FeatureColumnsLayer):
    """A layer that produces a dense tensor based on given `feature_columns`.

    Called on a dict of features (from `tf.data`, a DataFrame, or a dict of
    `keras.Input`s in a functional model), it applies each dense column
    (`numeric_column`, `bucketized_column`, `indicator_column`,
    `embedding_column`, ...) and concatenates their outputs, each flattened to
    `(batch, size)`, in the order of the column names. The layer owns the
    embedding columns' weights (`<column name>/embedding_weights`). Keras 2 /
    tf_keras API.

    Args:
        feature_columns: an iterable of dense columns; wrap categorical columns
            in `indicator_column` or `embedding_column`.
        trainable: whether the layer's weights are trained.
        name: the layer name.
        partitioner: unused (variable partitioning is a TensorFlow 1 feature).
        **kwargs: base `Layer` arguments.

    Example:
    >>> price = tf.feature_column.numeric_column("price")
    >>> kind = tf.feature_column.indicator_column(
    ...     tf.feature_column.categorical_column_with_vocabulary_list("kind", ["a", "b"]))
    >>> layer = tf.keras.layers.DenseFeatures([price, kind])
    >>> layer({"price": [1.0, 2.0], "kind": ["b", "a"]}).tolist()
    [[0.0, 1.0, 1.0], [1.0, 0.0, 2.0]]
    """

    _ADVICE = "You can wrap a categorical column with an embedding_column or indicator_column. "

    def __init__(self, feature_columns, trainable=True, name=None, partitioner=None, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        del partitioner
        self._feature_columns = sorted_columns(
            feature_columns, "DenseFeatures", DenseColumn, self._ADVICE
        )
        self.__dict__["_tork_column_weights"] = {}

    def build(self, input_shape=None):
        for column in self._feature_columns:
            column.create_state(self)
        self.built = True

    def _tork_maybe_build(self, inputs, args, kwargs) -> None:
        # String features have no Keras shape; the columns' weights need none. Built in the
        # layer's name scope: `dense_features/Type_embedding/embedding_weights:0`.
        self._tork_build(None)

    def call(self, features, cols_to_output_tensors=None, training=None):
        """Returns the concatenated dense outputs `(batch, total size)` of the columns.

        Args:
            features: a dict from feature keys to tensors (or arrays, lists,
                string tensors, `tf.SparseTensor`s).
            cols_to_output_tensors: if a dict, it receives each column's output.
            training: unused (Keras passes it).
        """
        del training
        if not isinstance(features, dict):
            raise ValueError(
                f"{where(self)}: We expected a dictionary here. Instead we got: "
                f"{type(features).__name__}. Call DenseFeatures on a dict of features, e.g. "
                "from tf.data.Dataset.from_tensor_slices(dict(dataframe))."
            )
        cache = FeatureCache(features, where(self))
        outputs = []
        for column in self._feature_columns:
            dense = column.get_dense_tensor(cache, self)
            flat = dense.reshape(dense.shape[0], column._output_size)
            if cols_to_output_tensors is not None:
                cols_to_output_tensors[column] = flat
            outputs.append(flat)
        device = next((o.device for o in outputs if o.device.type != "cpu"), outputs[0].device)
        if CONTEXT.symbolic:
            device = outputs[0].device
        return torch.cat([o.to(device) for o in outputs], dim=-1)

    def compute_output_shape(self, input_shape):
        batch = None
        if isinstance(input_shape, dict):
            for shape in input_shape.values():
                if shape is not None and len(shape):
                    batch = shape[0]
                    break
        return (batch, sum(c._output_size for c in self._feature_columns))

    def get_config(self) -> dict:
        config = super().get_config()
        config["partitioner"] = None
        return config
