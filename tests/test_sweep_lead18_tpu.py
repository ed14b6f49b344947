"""`tf.tpu`: TPU names that libraries read at import (TF Recommenders' embedding layer).

Reference: TensorFlow 2.21's reprs and enum values (eighteenth session).
"""

import typing

import pytest

import tork as tf

embedding = tf.tpu.experimental.embedding


def test_configuration_records_keep_their_arguments_with_tf_reprs():
    table = embedding.TableConfig(vocabulary_size=10, dim=4)
    # TF 2.21's repr.
    assert repr(table) == (
        "TableConfig(vocabulary_size=10, dim=4, initializer=None, optimizer=None, "
        "combiner='mean', name=None, quantization_config=None)"
    )
    feature = embedding.FeatureConfig(table=table, name="movie")
    assert feature.table is table and feature.max_sequence_length == 0
    adam = embedding.Adam(learning_rate=0.1)
    assert (adam.learning_rate, adam.beta_1, adam.epsilon) == (0.1, 0.9, 1e-07)
    assert embedding.SGD().learning_rate == 0.01
    assert embedding.FTRL().learning_rate_power == -0.5
    assert embedding.Adagrad().initial_accumulator_value == 0.1


def test_classes_can_be_combined_in_annotations():
    # TF Recommenders: Union[TPUEmbedding, TPUEmbeddingV0, TPUEmbeddingForServing].
    union = embedding.TPUEmbedding | embedding.TPUEmbeddingV0 | embedding.TPUEmbeddingForServing
    assert embedding.TPUEmbeddingV0 in typing.get_args(union)
    feature = tf.tpu.experimental.HardwareFeature.EmbeddingFeature
    assert [f.value for f in feature] == ["UNSUPPORTED", "V1", "V2"]


def test_tpu_only_parts_raise_clear_errors():
    with pytest.raises(NotImplementedError, match="needs a TPU.*layers.Embedding"):
        embedding.TPUEmbedding(feature_config={}, optimizer=embedding.SGD())
    with pytest.raises(NotImplementedError, match="initialize_tpu_system.*CPUs and GPUs"):
        tf.tpu.experimental.initialize_tpu_system(None)
    with pytest.raises(ValueError, match="TableConfig: dim must be a positive integer, got 0"):
        embedding.TableConfig(vocabulary_size=10, dim=0)
    with pytest.raises(ValueError, match="FeatureConfig: table must be a TableConfig"):
        embedding.FeatureConfig(table=3)
