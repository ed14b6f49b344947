"""`tensorflow.python.feature_column.feature_column_v2` (and `feature_column_lib`,
`sequence_feature_column`) under `tork.python`: NVIDIA's Wide&Deep layers import it as
`fc` and check column types with `isinstance(col, fc.IdentityCategoricalColumn)`.
Expected isinstance results from TF 2.21's `feature_column_v2` classes."""

import importlib

import tork as tf


def _columns():
    num = tf.feature_column.numeric_column("a", shape=(2,))
    ident = tf.feature_column.categorical_column_with_identity("b", 4)
    hashed = tf.feature_column.categorical_column_with_hash_bucket("h", 5)
    emb = tf.feature_column.embedding_column(ident, 3)
    ind = tf.feature_column.indicator_column(ident)
    buck = tf.feature_column.bucketized_column(num, [0.0, 1.0])
    return [num, ident, hashed, emb, ind, buck]


# Column order: numeric, identity, hash bucket, embedding, indicator, bucketized.
_TF_ISINSTANCE = {
    "NumericColumn": [True, False, False, False, False, False],
    "CategoricalColumn": [False, True, True, False, False, True],
    "DenseColumn": [True, False, False, True, True, True],
    "IdentityCategoricalColumn": [False, True, False, False, False, False],
    "HashedCategoricalColumn": [False, False, True, False, False, False],
    "EmbeddingColumn": [False, False, False, True, False, False],
    "IndicatorColumn": [False, False, False, False, True, False],
    "BucketizedColumn": [False, False, False, False, False, True],
}


def test_feature_column_v2_classes_match_tf_isinstance():
    from tork.python.feature_column import feature_column_v2 as fc

    cols = _columns()
    for name, expected in _TF_ISINSTANCE.items():
        assert [isinstance(c, getattr(fc, name)) for c in cols] == expected, name


def test_feature_column_lib_and_sequence_module_import():
    fc = importlib.import_module("tork.python.feature_column.feature_column_v2")
    lib = importlib.import_module("tork.python.feature_column.feature_column_lib")
    seq = importlib.import_module("tork.python.feature_column.sequence_feature_column")
    assert lib.EmbeddingColumn is fc.EmbeddingColumn
    assert lib.numeric_column is tf.feature_column.numeric_column
    col = seq.sequence_numeric_column("s")
    assert isinstance(col, seq.SequenceNumericColumn)
