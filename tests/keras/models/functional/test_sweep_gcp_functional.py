"""Functional models from the GCP taxifare and babyweight notebooks (shapes and values from
tf_keras 2.21)."""

import numpy as np

import tork as tf

fc = tf.feature_column


def test_lambda_with_string_ops_on_a_string_input():
    # The empty-string twins of a string Input make tf.strings.substr refuse: the layer is
    # retried on strings of digits, as a string op applied directly is.
    inp = tf.keras.Input(shape=(), dtype="string")
    hour = tf.keras.layers.Lambda(
        lambda x: tf.strings.to_number(tf.strings.substr(x, 11, 2), out_type=tf.int32)
    )(inp)
    model = tf.keras.Model(inp, hour)
    out = model(tf.constant(["2012-03-05 23:06:00 UTC", "2013-01-01 07:00:00 UTC"]))
    np.testing.assert_array_equal(np.asarray(out), [23, 7])


def test_crossed_column_features_concatenate_with_plain_ones():
    inputs = {k: tf.keras.Input(name=k, shape=()) for k in "ab"}
    ba = fc.bucketized_column(fc.numeric_column("a"), [1.0, 2.0])
    bb = fc.bucketized_column(fc.numeric_column("b"), [1.0, 2.0])
    deep = tf.keras.layers.DenseFeatures([fc.embedding_column(fc.crossed_column([ba, bb], 10), 3)])(
        inputs
    )
    wide = tf.keras.layers.DenseFeatures([fc.indicator_column(ba)])(inputs)
    both = tf.keras.layers.concatenate([deep, wide])
    assert tuple(both.shape) == (None, 6)  # tf_keras
    model = tf.keras.Model(inputs, both)
    out = model.predict({"a": np.array([0.5, 2.5]), "b": np.array([1.5, 0.0])}, verbose=0)
    assert out.shape == (2, 6)
    # The indicator part: a=0.5 is bucket 0, a=2.5 bucket 2.
    np.testing.assert_array_equal(out[:, 3:], [[1, 0, 0], [0, 0, 1]])
