"""`tf.feature_column.shared_embeddings`: several categorical columns, one embedding table."""

from __future__ import annotations

import torch

from tork._backend.tensor_shape import TensorShape
from tork.feature_column._base import (
    CategoricalColumn,
    DenseColumn,
    FeatureCache,
    WrappingColumn,
)
from tork.feature_column._embedding_lookup import combined_lookup
from tork.feature_column.embedding_column import check_args, default_initializer


class SharedEmbeddingColumnCreator:
    """Holds the one weight table that a group of `SharedEmbeddingColumn`s share.

    The first `DenseFeatures` layer that builds one of the columns creates the
    weights (named after the collection); later layers use the same variable.
    """

    def __init__(self, dimension, initializer, trainable, num_buckets, name):
        self.dimension = dimension
        self.initializer = initializer
        self.trainable = trainable
        self.num_buckets = num_buckets
        self.name = name
        self.weight = None

    def embedding_weights(self, layer):
        if self.weight is None:
            initializer = self.initializer

            def init(shape, dtype=torch.float32, **kwargs):
                del kwargs
                return torch.as_tensor(initializer(shape, dtype=dtype), dtype=torch.float32)

            self.weight = layer.add_weight(
                name=self.name,
                shape=(self.num_buckets, self.dimension),
                dtype="float32",
                initializer=init,
                trainable=self.trainable,
            )
        return self.weight


class SharedEmbeddingColumn(WrappingColumn, DenseColumn):
    """One categorical column of a shared embedding; see `shared_embeddings`."""

    _suffix = "_shared_embedding"

    _fields = (
        "categorical_column",
        "shared_embedding_column_creator",
        "combiner",
        "max_norm",
        "use_safe_embedding_lookup",
    )

    def __init__(
        self, categorical_column, creator, combiner, max_norm, use_safe_embedding_lookup=True
    ):
        self.categorical_column = categorical_column
        self.shared_embedding_column_creator = creator
        self.combiner = combiner
        self.max_norm = max_norm
        self.use_safe_embedding_lookup = use_safe_embedding_lookup

    @property
    def variable_shape(self):
        return TensorShape((self.shared_embedding_column_creator.dimension,))

    def transform(self, cache: FeatureCache):
        return self.categorical_column.get_ids(cache)

    def create_state(self, layer) -> None:
        creator = self.shared_embedding_column_creator
        created = creator.weight is None
        weight = creator.embedding_weights(layer)
        if not created and all(w is not weight for w in layer.weights):
            # Made by another layer: this layer tracks the same variable too.
            setattr(layer, f"_tork_shared_{len(layer._tork_column_weights)}", weight)
        layer._tork_column_weights[self.name] = weight

    def get_dense_tensor(self, cache: FeatureCache, layer) -> torch.Tensor:
        table = layer._tork_column_weights[self.name]
        return combined_lookup(table, cache.get(self), self.combiner, self.max_norm)


def shared_embeddings(
    categorical_columns,
    dimension,
    combiner="mean",
    initializer=None,
    shared_embedding_collection_name=None,
    ckpt_to_load_from=None,
    tensor_name_in_ckpt=None,
    max_norm=None,
    trainable=True,
    use_safe_embedding_lookup=True,
):
    """A list of dense columns that look their ids up in one shared embedding table.

    All columns must have the same `num_buckets`. The table is named
    `shared_embedding_collection_name` (default: the sorted column names joined
    by `_`, plus `_shared_embedding`). TensorFlow 2 raises a `RuntimeError` here
    under eager execution; tork implements it for eager code as well.

    Args:
        categorical_columns: categorical columns with the same `num_buckets`.
        dimension: the embedding size.
        combiner: `"mean"`, `"sqrtn"` or `"sum"`.
        initializer: the weights' initializer (default truncated normal with
            stddev `1/sqrt(dimension)`).
        shared_embedding_collection_name: the name of the shared weights.
        ckpt_to_load_from: not supported in tork (must be None).
        tensor_name_in_ckpt: not supported in tork (must be None).
        max_norm: if set, embeddings with a larger l2 norm are scaled down to it.
        trainable: whether the weights are trained.
        use_safe_embedding_lookup: accepted for compatibility.

    Returns:
        A list of `SharedEmbeddingColumn`s, one per categorical column, in order.

    Example:
    >>> a = tf.feature_column.categorical_column_with_identity("a", 5)
    >>> b = tf.feature_column.categorical_column_with_identity("b", 5)
    >>> [c.name for c in tf.feature_column.shared_embeddings([a, b], 2)]
    ['a_shared_embedding', 'b_shared_embedding']
    """
    check_args(dimension, combiner, initializer, ckpt_to_load_from, tensor_name_in_ckpt)
    columns = list(categorical_columns)
    if not columns:
        raise ValueError("categorical_columns must not be empty.")
    for column in columns:
        if not isinstance(column, CategoricalColumn):
            raise ValueError(
                f"All categorical_columns must be subclasses of CategoricalColumn. Given: "
                f"{column}, of type: {type(column)}"
            )
    num_buckets = columns[0].num_buckets
    for column in columns[1:]:
        if column.num_buckets != num_buckets:
            raise ValueError(
                "To use shared_embedding_column, all categorical_columns must have the same "
                f"number of buckets. Given column: {columns[0]} with buckets: {num_buckets}, "
                f"and column: {column} with buckets: {column.num_buckets}"
            )
    if not shared_embedding_collection_name:
        names = sorted(c.name for c in columns)
        shared_embedding_collection_name = "_".join(names) + "_shared_embedding"
    if initializer is None:
        initializer = default_initializer(int(dimension))
    creator = SharedEmbeddingColumnCreator(
        int(dimension), initializer, trainable, num_buckets, shared_embedding_collection_name
    )
    return [
        SharedEmbeddingColumn(c, creator, combiner, max_norm, use_safe_embedding_lookup)
        for c in columns
    ]
