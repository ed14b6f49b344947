"""`tf.keras.experimental.SequenceFeatures`: sequence feature columns as a `(batch, time, size)` tensor."""

from __future__ import annotations

import torch

from tork.feature_column._base import FeatureCache
from tork.keras.layers._call_context import where
from tork.keras.layers.preprocessing.dense_features import _FeatureColumnsLayer, sorted_columns


def _is_sequence_dense(column) -> bool:
    from tork.feature_column.embedding_column import EmbeddingColumn
    from tork.feature_column.indicator_column import IndicatorColumn
    from tork.feature_column.sequence_feature_column import (
        SequenceCategoricalColumn,
        SequenceNumericColumn,
    )

    if isinstance(column, SequenceNumericColumn):
        return True
    return isinstance(column, (EmbeddingColumn, IndicatorColumn)) and isinstance(
        column.categorical_column, SequenceCategoricalColumn
    )


class SequenceFeatures(_FeatureColumnsLayer):
    """A layer for sequence input: sequence feature columns to one padded tensor.

    Called on a dict of `tf.SparseTensor` sequence features, it returns
    `(sequence_input, sequence_length)`: the columns' per-step outputs
    concatenated (in column-name order) into `(batch, max_time, size)`, and the
    `(batch,)` int64 lengths (which must agree across the columns). Use it before
    an RNN. Keras 2 / tf_keras API.

    Args:
        feature_columns: `sequence_numeric_column`s and `embedding_column` /
            `indicator_column`s of `sequence_categorical_column_with_*` columns.
        trainable: whether the embedding weights are trained.
        name: the layer name.
        **kwargs: base `Layer` arguments.

    Example:
    >>> ids = tf.feature_column.sequence_categorical_column_with_identity("ids", 3)
    >>> layer = tf.keras.experimental.SequenceFeatures([tf.feature_column.indicator_column(ids)])
    >>> sp = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([1, 2, 0], tf.int64), [2, 2])
    >>> x, length = layer({"ids": sp})
    >>> x.tolist(), length.tolist()
    ([[[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], [2, 1])
    """

    def __init__(self, feature_columns, trainable=True, name=None, **kwargs):
        kwargs.pop("partitioner", None)  # in Keras 2 configs; no variable partitioning here
        super().__init__(name=name, trainable=trainable, **kwargs)
        columns = (
            list(feature_columns)
            if isinstance(feature_columns, (list, tuple))
            else [feature_columns]
        )
        for column in columns:
            if not _is_sequence_dense(column):
                raise ValueError(
                    "All feature_columns must be SequenceDenseColumn (a sequence_numeric_column, "
                    "or an embedding_column / indicator_column of a "
                    f"sequence_categorical_column_with_*). Given: {column}"
                )
        self._feature_columns = sorted_columns(columns, "SequenceFeatures", object)
        self.__dict__["_tork_column_weights"] = {}

    def build(self, input_shape=None):
        for column in self._feature_columns:
            column.create_state(self)
        self.built = True

    def _tork_maybe_build(self, inputs, args, kwargs) -> None:
        self._tork_build(None)  # in the layer's name scope, as a first call builds

    def call(self, features, training=None):
        """Returns `(sequence_input, sequence_length)` for a dict of sparse sequence features."""
        from tork.feature_column.sequence_feature_column import sequence_dense_tensor

        del training
        if not isinstance(features, dict):
            raise ValueError(
                f"{where(self)}: We expected a dictionary here. Instead we got: "
                f"{type(features).__name__}."
            )
        cache = FeatureCache(features, where(self))
        outputs, lengths = [], None
        for column in self._feature_columns:
            if hasattr(column, "get_sequence_dense_tensor"):
                dense, length = column.get_sequence_dense_tensor(cache, self)
            else:
                dense, length = sequence_dense_tensor(column, cache, self)
            if lengths is not None and not torch.equal(lengths, length):
                raise ValueError(
                    f"{where(self)}: the sequence lengths of the columns differ "
                    f"({lengths.tolist()} and {length.tolist()} for {column.name!r}); every "
                    "sequence feature of an example needs the same number of steps."
                )
            lengths = length
            outputs.append(dense)
        steps = max(o.shape[1] for o in outputs)
        device = self._tork_device()
        padded = [
            torch.nn.functional.pad(o, (0, 0, 0, steps - o.shape[1])).to(device) for o in outputs
        ]
        return torch.cat(padded, dim=-1), lengths.to(device)

    def compute_output_shape(self, input_shape):
        """The `(batch, time, size)` shape of `sequence_input` for a `(batch, time, ...)` shape.

        As in Keras 2, `input_shape` is one sequence feature's shape (its first two
        dims are kept); a dict of shapes uses its first entry.
        """
        if isinstance(input_shape, dict):
            input_shape = next(iter(input_shape.values()), (None, None))
        leading = tuple(input_shape)[:2]
        return leading + (sum(c._output_size for c in self._feature_columns),)

    def get_config(self) -> dict:
        config = super().get_config()
        config["partitioner"] = None  # Keras 2 lists it; unused (no variable partitioning)
        return config
