"""`tf.feature_column`: describe how raw features become model input.

Columns are consumed by `tf.keras.layers.DenseFeatures` (and the premade
`tf.keras.experimental.LinearModel`), which turns a dict of features into one
dense tensor. Ids and hashes match TensorFlow's bit for bit.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.feature_column._base import CategoricalColumn, DenseColumn, FeatureColumn
from tork.feature_column.bucketized_column import BucketizedColumn, bucketized_column
from tork.feature_column.categorical_hash_bucket import (
    HashedCategoricalColumn,
    categorical_column_with_hash_bucket,
)
from tork.feature_column.categorical_identity import (
    IdentityCategoricalColumn,
    categorical_column_with_identity,
)
from tork.feature_column.categorical_vocabulary_file import (
    VocabularyFileCategoricalColumn,
    categorical_column_with_vocabulary_file,
)
from tork.feature_column.categorical_vocabulary_list import (
    VocabularyListCategoricalColumn,
    categorical_column_with_vocabulary_list,
)
from tork.feature_column.crossed_column import CrossedColumn, crossed_column
from tork.feature_column.embedding_column import EmbeddingColumn, embedding_column
from tork.feature_column.indicator_column import IndicatorColumn, indicator_column
from tork.feature_column.make_parse_example_spec import make_parse_example_spec
from tork.feature_column.numeric_column import NumericColumn, numeric_column
from tork.feature_column.sequence_feature_column import (
    SequenceCategoricalColumn,
    SequenceNumericColumn,
    sequence_categorical_column_with_hash_bucket,
    sequence_categorical_column_with_identity,
    sequence_categorical_column_with_vocabulary_file,
    sequence_categorical_column_with_vocabulary_list,
    sequence_numeric_column,
)
from tork.feature_column.shared_embeddings import SharedEmbeddingColumn, shared_embeddings
from tork.feature_column.weighted_categorical_column import (
    WeightedCategoricalColumn,
    weighted_categorical_column,
)

__all__ = [
    "bucketized_column",
    "categorical_column_with_hash_bucket",
    "categorical_column_with_identity",
    "categorical_column_with_vocabulary_file",
    "categorical_column_with_vocabulary_list",
    "crossed_column",
    "embedding_column",
    "indicator_column",
    "make_parse_example_spec",
    "numeric_column",
    "sequence_categorical_column_with_hash_bucket",
    "sequence_categorical_column_with_identity",
    "sequence_categorical_column_with_vocabulary_file",
    "sequence_categorical_column_with_vocabulary_list",
    "sequence_numeric_column",
    "shared_embeddings",
    "weighted_categorical_column",
]

_CLASSES = (
    BucketizedColumn,
    CategoricalColumn,
    CrossedColumn,
    DenseColumn,
    EmbeddingColumn,
    FeatureColumn,
    HashedCategoricalColumn,
    IdentityCategoricalColumn,
    IndicatorColumn,
    NumericColumn,
    SequenceCategoricalColumn,
    SequenceNumericColumn,
    SharedEmbeddingColumn,
    VocabularyFileCategoricalColumn,
    VocabularyListCategoricalColumn,
    WeightedCategoricalColumn,
)

__getattr__ = _module_getattr("tf.feature_column")
