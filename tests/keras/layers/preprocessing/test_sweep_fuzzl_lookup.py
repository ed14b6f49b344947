"""compute_output_shape of the lookup layers (found by differential layer fuzzing).

Reference values: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), `layer.compute_output_shape(shape)`:
Keras 2 returns the input shape for output_mode='int' and `(batch, depth)` otherwise.
"""

import pytest

import tork as tf


@pytest.mark.parametrize(
    "mode, shape, expected",
    [
        ("int", (3, 2), (3, 2)),
        ("one_hot", (4,), (4, 5)),
        ("multi_hot", (3, 2), (3, 5)),
        ("count", (3, 2), (3, 5)),
        ("tf_idf", (3, 2), (3, 5)),
    ],
)
def test_string_lookup_compute_output_shape(mode, shape, expected):
    kwargs = {"idf_weights": [0.5, 0.75, 1.0, 1.25]} if mode == "tf_idf" else {}
    layer = tf.keras.layers.StringLookup(
        vocabulary=["a", "b", "c", "hello"], output_mode=mode, **kwargs
    )
    # Used to run `call` on a float tensor and fail: "StringLookup expects strings".
    assert tuple(layer.compute_output_shape(shape)) == expected


def test_string_lookup_compute_output_shape_special_cases():
    layers = tf.keras.layers
    # The mask token's column is dropped from multi-hot outputs: tf_keras gives (3, 5).
    lookup = layers.StringLookup(
        vocabulary=["a", "b", "c", "hello"], mask_token="", output_mode="multi_hot"
    )
    assert tuple(lookup.compute_output_shape((3, 2))) == (3, 5)
    assert tuple(
        layers.StringLookup(
            output_mode="count", max_tokens=9, pad_to_max_tokens=True
        ).compute_output_shape((3, 2))
    ) == (3, 9)
    assert tuple(
        layers.StringLookup(vocabulary=["a"], invert=True).compute_output_shape((3, 2))
    ) == (3, 2)
    assert tuple(
        layers.IntegerLookup(vocabulary=[3, 7], output_mode="one_hot").compute_output_shape((4,))
    ) == (4, 3)


# adapt() on a 1-D array with output_mode='tf_idf': Keras 2 reads the array in batches of
# `batch_size` (32 by default) and each 1-D batch of terms is one document. tork used to
# count the whole array as a single document (idf log(1 + 1/2) = 0.405 for every term).
# Reference: tf_keras 2.21, StringLookup(output_mode="tf_idf").adapt(DATA[, batch_size]),
# then layer([["a", "c"], ["b", "zz"]]) (vocabulary ['[UNK]', 'b', 'a', 'c']).
TFIDF_DATA = ["a", "b"] * 16 + ["b", "c"] * 4


@pytest.mark.parametrize(
    "batch_size, expected",
    [
        (None, [[0.0, 0.0, 0.693147, 0.693147], [0.632373, 0.510826, 0.0, 0.0]]),
        (10, [[0.0, 0.0, 0.587787, 1.098612], [0.758062, 0.587787, 0.0, 0.0]]),
    ],
)
def test_tf_idf_adapt_flat_array_counts_batches_as_documents(batch_size, expected):
    import numpy as np

    layer = tf.keras.layers.StringLookup(output_mode="tf_idf")
    kwargs = {"batch_size": batch_size} if batch_size else {}
    layer.adapt(np.array(TFIDF_DATA), **kwargs)
    assert layer.get_vocabulary() == ["[UNK]", "b", "a", "c"]
    out = layer(tf.constant([["a", "c"], ["b", "zz"]]))
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)
    # Independent formula: 2 documents of 32 and 8 terms; idf = log(1 + n / (1 + df)).
    if batch_size is None:
        assert np.isclose(expected[0][2], np.log1p(2 / 2))  # 'a' in one document
        assert np.isclose(expected[1][1], np.log1p(2 / 3))  # 'b' in both


def test_tf_idf_adapt_rows_are_documents_and_flat_lists_are_batched():
    import numpy as np

    # 2-D data: one document per row, whatever the batching (tf_keras: [[0, 0, 0.777705,
    # 1.609438]]).
    layer = tf.keras.layers.StringLookup(output_mode="tf_idf")
    layer.adapt(np.array(TFIDF_DATA).reshape(-1, 2))
    np.testing.assert_allclose(
        layer(tf.constant([["a", "c"]])).numpy(), [[0.0, 0.0, 0.777705, 1.609438]], rtol=1e-5
    )
    # A flat Python list of ints, 40 values = 2 batches (tf_keras: 0.510826 for 1 and 2).
    ints = tf.keras.layers.IntegerLookup(output_mode="tf_idf")
    ints.adapt(list(range(5)) * 8)
    np.testing.assert_allclose(
        ints(tf.constant([[1, 2]])).numpy(), [[0.0, 0.0, 0.0, 0.510826, 0.510826, 0.0]], rtol=1e-5
    )
