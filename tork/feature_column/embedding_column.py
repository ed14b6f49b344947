"""`tf.feature_column.embedding_column`: a categorical column through a learned embedding."""

from __future__ import annotations

import math

import torch

from tork._backend.tensor_shape import TensorShape
from tork.feature_column._base import (
    CategoricalColumn,
    DenseColumn,
    FeatureCache,
    WrappingColumn,
)
from tork.feature_column._embedding_lookup import combined_lookup

_COMBINERS = ("mean", "sqrtn", "sum")


class EmbeddingColumn(WrappingColumn, DenseColumn):
    """A categorical column's ids looked up in an embedding table; see the function."""

    _suffix = "_embedding"

    _fields = (
        "categorical_column",
        "dimension",
        "combiner",
        "initializer",
        "ckpt_to_load_from",
        "tensor_name_in_ckpt",
        "max_norm",
        "trainable",
        "use_safe_embedding_lookup",
    )

    def __init__(
        self,
        categorical_column,
        dimension,
        combiner,
        initializer,
        ckpt_to_load_from,
        tensor_name_in_ckpt,
        max_norm,
        trainable,
        use_safe_embedding_lookup=True,
    ):
        self.categorical_column = categorical_column
        self.dimension = dimension
        self.combiner = combiner
        self.initializer = initializer
        self.ckpt_to_load_from = ckpt_to_load_from
        self.tensor_name_in_ckpt = tensor_name_in_ckpt
        self.max_norm = max_norm
        self.trainable = trainable
        self.use_safe_embedding_lookup = use_safe_embedding_lookup

    @property
    def variable_shape(self):
        return TensorShape((self.dimension,))

    def transform(self, cache: FeatureCache):
        return self.categorical_column.get_ids(cache)

    def create_state(self, layer) -> None:
        """Adds the `(num_buckets, dimension)` weights `<name>/embedding_weights` to `layer`."""
        shape = (self.categorical_column.num_buckets, self.dimension)
        initializer = self.initializer

        def init(shape, dtype=torch.float32, **kwargs):
            del kwargs
            return torch.as_tensor(initializer(shape, dtype=dtype), dtype=torch.float32)

        weight = layer.add_weight(
            name=f"{self.name}/embedding_weights",
            shape=shape,
            dtype="float32",
            initializer=init,
            trainable=self.trainable,
        )
        layer._tork_column_weights[self.name] = weight

    def get_dense_tensor(self, cache: FeatureCache, layer) -> torch.Tensor:
        table = layer._tork_column_weights[self.name]
        return combined_lookup(table, cache.get(self), self.combiner, self.max_norm)


def default_initializer(dimension: int):
    """TensorFlow's default: truncated normal, mean 0, stddev 1/sqrt(dimension)."""
    from tork.keras.initializers import TruncatedNormal

    return TruncatedNormal(mean=0.0, stddev=1 / math.sqrt(dimension))


def check_args(dimension, combiner, initializer, ckpt_to_load_from, tensor_name_in_ckpt):
    if dimension is None or int(dimension) < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if combiner not in _COMBINERS:
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner!r}.")
    if initializer is not None and not callable(initializer):
        raise ValueError(f"initializer must be callable if specified, got {initializer!r}.")
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none.")
    if ckpt_to_load_from is not None:
        raise NotImplementedError(
            "tf.feature_column.embedding_column(ckpt_to_load_from=...) is not implemented in "
            "tork: set the weights after building instead, e.g. "
            "layer.set_weights([...])."
        )


def embedding_column(
    categorical_column,
    dimension,
    combiner="mean",
    initializer=None,
    ckpt_to_load_from=None,
    tensor_name_in_ckpt=None,
    max_norm=None,
    trainable=True,
    use_safe_embedding_lookup=True,
):
    """A dense column that converts a categorical column's ids into learned embeddings.

    The `DenseFeatures` layer using the column owns the `(num_buckets, dimension)`
    weights, named `<column name>/embedding_weights`. Each example's embeddings
    are combined (`"mean"`, `"sqrtn"` or `"sum"`, weighted for a
    `weighted_categorical_column`); an example without ids gives zeros.

    Args:
        categorical_column: the categorical column giving the ids.
        dimension: the embedding size.
        combiner: how the embeddings of an example's several ids are combined.
        initializer: the weights' initializer; default truncated normal with
            mean 0 and stddev `1/sqrt(dimension)`.
        ckpt_to_load_from: not supported in tork (must be None).
        tensor_name_in_ckpt: not supported in tork (must be None).
        max_norm: if set, embeddings with a larger l2 norm are scaled down to it.
        trainable: whether the weights are trained.
        use_safe_embedding_lookup: accepted for compatibility; the lookup always
            prunes invalid ids, as TensorFlow's safe lookup.

    Returns:
        An `EmbeddingColumn`.

    Example:
    >>> breed = tf.feature_column.categorical_column_with_hash_bucket("breed", 100)
    >>> emb = tf.feature_column.embedding_column(breed, dimension=8)
    >>> tf.keras.layers.DenseFeatures([emb])({"breed": ["a", "b"]}).shape
    torch.Size([2, 8])
    """
    check_args(dimension, combiner, initializer, ckpt_to_load_from, tensor_name_in_ckpt)
    if not isinstance(categorical_column, CategoricalColumn):
        raise ValueError(
            "Unsupported input type. Input must be a CategoricalColumn. Given: "
            f"{categorical_column}"
        )
    if initializer is None:
        initializer = default_initializer(int(dimension))
    return EmbeddingColumn(
        categorical_column,
        int(dimension),
        combiner,
        initializer,
        ckpt_to_load_from,
        tensor_name_in_ckpt,
        max_norm,
        trainable,
        use_safe_embedding_lookup,
    )
