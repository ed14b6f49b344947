"""Sequence feature columns and tf.keras.experimental.SequenceFeatures against tf_keras 2.21
(the constants were printed by TensorFlow on the same sparse inputs)."""

import numpy as np
import pytest

import tork as tf
from tork import feature_column as fc
from tork import keras

NUM = fc.sequence_numeric_column("t")
CAT = fc.sequence_categorical_column_with_identity("ids", 4)
WORDS = fc.sequence_categorical_column_with_vocabulary_list("w", ["a", "b", "c"], num_oov_buckets=1)


def features():
    return {
        "t": tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([1.0, 2.0, 3.0]), [2, 3]),
        "t2": tf.SparseTensor(
            [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1]],
            tf.constant([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
            [2, 6],
        ),
        "ids": tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([1, 3, 2], tf.int64), [2, 3]),
        "w": tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant(["b", "zz", "a"]), [2, 3]),
    }


def run(columns, feats=None):
    layer = keras.experimental.SequenceFeatures(columns)
    x, length = layer(features() if feats is None else feats)
    return layer, np.asarray(x).tolist(), np.asarray(length).tolist()


def test_reprs_and_names():
    assert repr(NUM) == (
        "SequenceNumericColumn(key='t', shape=(1,), default_value=0.0, dtype=tf.float32, "
        "normalizer_fn=None)"
    )
    assert repr(CAT) == (
        "SequenceCategoricalColumn(categorical_column=IdentityCategoricalColumn(key='ids', "
        "number_buckets=4, default_value=None))"
    )
    assert (CAT.name, NUM.name, WORDS.num_buckets) == ("ids", "t", 4)
    spec = fc.make_parse_example_spec([NUM, CAT, WORDS])
    assert spec == {
        "ids": tf.io.VarLenFeature(tf.int64),
        "t": tf.io.VarLenFeature(tf.float32),
        "w": tf.io.VarLenFeature(tf.string),
    }


def test_numeric_embedding_and_indicator_match_tf_keras():
    embedding = fc.embedding_column(CAT, 2, initializer=keras.initializers.Constant(0.5))
    layer, x, length = run([NUM, embedding, fc.indicator_column(CAT)])
    # ids_embedding | ids_indicator | t
    assert x == [
        [[0.5, 0.5, 0, 1, 0, 0, 1.0], [0.5, 0.5, 0, 0, 0, 1, 2.0], [0, 0, 0, 0, 0, 0, 0]],
        [[0.5, 0.5, 0, 0, 1, 0, 3.0], [0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0]],
    ]
    assert length == [2, 1]
    assert [w.name for w in layer.weights] == [f"{layer.name}/ids_embedding/embedding_weights:0"]


def test_vocabulary_hash_and_shaped_numeric_match_tf_keras():
    _, x, length = run([fc.indicator_column(WORDS)])
    # 'zz' is out of vocabulary: OOV bucket 3.
    assert x == [
        [[0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]],
        [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
    ]
    assert length == [2, 1]
    hashed = fc.sequence_categorical_column_with_hash_bucket("w", 5)
    _, x, _ = run([fc.indicator_column(hashed)])
    assert np.argwhere(np.array(x)).tolist() == [[0, 0, 2], [0, 1, 2], [1, 0, 4]]
    num2 = fc.sequence_numeric_column(
        "t2", shape=(2,), default_value=-1.0, normalizer_fn=lambda v: v * 10
    )
    _, x, length = run([num2, fc.indicator_column(CAT)])
    assert x == [
        [[0, 1, 0, 0, 10, 20], [0, 0, 0, 1, 30, 40], [0, 0, 0, 0, -1, -1]],
        [[0, 0, 1, 0, 50, 60], [0, 0, 0, 0, -1, -1], [0, 0, 0, 0, -1, -1]],
    ]
    assert length == [2, 1]


def test_several_values_per_step():
    sparse = tf.SparseTensor(
        [[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]], tf.constant(["b", "c", "zz", "a"]), [2, 3, 2]
    )
    embedding = fc.embedding_column(
        WORDS, 2, combiner="sum", initializer=keras.initializers.Constant(0.0)
    )
    layer = keras.experimental.SequenceFeatures([fc.indicator_column(WORDS), embedding])
    layer({"w": sparse})
    layer.set_weights([np.arange(8, dtype="float32").reshape(4, 2)])
    x, length = layer({"w": sparse})
    assert np.asarray(x).tolist() == [
        [[6, 8, 0, 1, 1, 0], [6, 7, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0]],
        [[0, 1, 1, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]],
    ]
    assert np.asarray(length).tolist() == [2, 1]


def test_errors():
    with pytest.raises(ValueError, match="All feature_columns must be SequenceDenseColumn"):
        keras.experimental.SequenceFeatures([fc.numeric_column("a")])
    with pytest.raises(ValueError, match="can only be used in SequenceFeatures"):
        keras.layers.DenseFeatures([fc.indicator_column(CAT)])({"ids": features()["ids"]})
    layer = keras.experimental.SequenceFeatures([NUM])
    with pytest.raises(TypeError, match="Input must be a SparseTensor"):
        layer({"t": np.ones((2, 3))})
    mismatched = dict(
        features(), ids=tf.SparseTensor([[0, 0], [1, 1]], tf.constant([1, 2], tf.int64), [2, 3])
    )
    with pytest.raises(ValueError, match="the sequence lengths of the columns differ"):
        run([NUM, fc.indicator_column(CAT)], mismatched)


def test_sequence_features_config_round_trip():
    layer = keras.experimental.SequenceFeatures([NUM, fc.indicator_column(WORDS)])
    config = layer.get_config()
    assert [c["class_name"] for c in config["feature_columns"]] == [
        "SequenceNumericColumn",
        "IndicatorColumn",
    ]
    restored = keras.experimental.SequenceFeatures.from_config(config)
    assert restored._feature_columns == layer._feature_columns
    _, x, _ = run(restored._feature_columns)
    assert x == run([NUM, fc.indicator_column(WORDS)])[1]


def test_sequence_numeric_column_parents_is_its_key():
    # TF 2.21: sequence_numeric_column('a').parents == ['a'], like numeric_column.
    assert tf.feature_column.sequence_numeric_column("a").parents == ["a"]
