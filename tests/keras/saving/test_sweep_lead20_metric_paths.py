"""Saved metric-state paths of string metrics, and tf_idf weights in count_params (tf_keras)."""

import numpy as np

import tork as tf
from tork.keras.saving import _structure

keras = tf.keras


def test_string_metric_functions_save_under_mean_metric_wrapper_paths():
    # tf_keras 2.21 wraps 'mae' (a function name) in a MeanMetricWrapper: its .keras file
    # holds metrics/mean (the loss), metrics/mean_metric_wrapper, .../mean_metric_wrapper_1.
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile("sgd", "mse", metrics=["mae", "accuracy"])
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0)
    paths = [path for path, _ in _structure.metric_paths(model)]
    assert paths == ["metrics/mean", "metrics/mean_metric_wrapper", "metrics/mean_metric_wrapper_1"]


def test_metric_class_names_keep_their_own_paths():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile("sgd", "mse", metrics=["MeanAbsoluteError"])
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0)
    paths = [path for path, _ in _structure.metric_paths(model)]
    assert paths == ["metrics/mean", "metrics/mean_absolute_error"]


def test_tf_idf_weights_count_no_parameters():
    # tf_keras 2.21: count_params() of a tf_idf StringLookup is 0 (the idf variable has
    # shape (None,)).
    layer = keras.layers.StringLookup(
        output_mode="tf_idf", vocabulary=["a", "b"], idf_weights=[0.5, 0.7]
    )
    assert len(layer.weights) == 1
    assert layer.count_params() == 0
