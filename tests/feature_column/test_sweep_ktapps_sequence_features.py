"""`SequenceFeatures.compute_output_shape` and its config, as Keras 2 gives them.

Swept from tf-keras's sequence feature column tests. Expected shapes and config values come
from tf_keras 2.21 in the reference env (TF_USE_LEGACY_KERAS=1) with the same columns:
`compute_output_shape((None, 5))` -> `(None, 5, 10)`, `((2, 7, 1))` -> `(2, 7, 10)`, and
`get_config()["partitioner"]` is None.
"""

import numpy as np

import tork as tf

fc = tf.feature_column


def _layer():
    cols = [
        fc.sequence_numeric_column("a", shape=2),  # 2 values per step
        fc.indicator_column(fc.sequence_categorical_column_with_identity("c", 3)),  # 3
        fc.embedding_column(fc.sequence_categorical_column_with_identity("e", 4), 5),  # 5
    ]
    return tf.keras.experimental.SequenceFeatures(cols, name="seq_feats")


def test_compute_output_shape_keeps_batch_and_time_and_sums_column_sizes():
    layer = _layer()
    assert layer.compute_output_shape((None, 5)) == (None, 5, 10)
    assert layer.compute_output_shape((2, 7, 1)) == (2, 7, 10)


def test_compute_output_shape_matches_the_called_output():
    layer = tf.keras.experimental.SequenceFeatures([fc.sequence_numeric_column("a", shape=2)])
    sparse = tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0], [1, 1]], [1.0, 2.0, 3.0, 4.0], [2, 4])
    out, length = layer({"a": sparse})
    # hand-computed: 2 values per step -> steps (2, 1), padded to 2 steps
    np.testing.assert_allclose(out.numpy(), [[[1, 2], [0, 0]], [[3, 4], [0, 0]]])
    assert length.tolist() == [1, 1]
    assert layer.compute_output_shape((2, 4)) == (2, 4, 2)


def test_config_has_partitioner_and_round_trips():
    layer = _layer()
    config = layer.get_config()
    assert config["partitioner"] is None
    clone = tf.keras.experimental.SequenceFeatures.from_config(config)
    assert clone.name == "seq_feats"
    assert clone.compute_output_shape((None, 3)) == (None, 3, 10)
