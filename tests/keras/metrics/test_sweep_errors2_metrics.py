"""Errors for user mistakes found by the second errors sweep: metrics."""

import numpy as np
import pytest

import tork as tf
from tork import keras


def test_mean_update_with_strings_says_numbers_are_needed():
    # TF: UnimplementedError "Cast string to float is not supported".
    metric = keras.metrics.Mean(name="m")
    with pytest.raises(TypeError, match=r"Mean metric 'm' accumulates numbers.*StringTensor"):
        metric.update_state("abc")


def test_sum_update_with_string_tensor_says_numbers_are_needed():
    metric = keras.metrics.Sum()
    with pytest.raises(TypeError, match="accumulates numbers"):
        metric.update_state(tf.constant(["1", "2"]))


def test_mean_numbers_still_work():
    metric = keras.metrics.Mean()
    metric.update_state([1.0, 3.0], sample_weight=[1.0, 0.0])
    assert float(metric.result()) == 1.0


def test_metric_function_returning_none_names_the_function():
    def my_metric(y_true, y_pred):
        y_true - y_pred  # noqa: B018  (the mistake: no `return`)

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=[my_metric])
    x, y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
    with pytest.raises(TypeError, match=r"Metric function 'my_metric' .*returned None"):
        model.fit(x, y, verbose=0)


def test_cosine_similarity_axis_out_of_range_is_a_clear_error():
    # TF: InvalidArgumentError "Invalid reduction dimension (3 for input with 2 dimension(s)".
    metric = keras.metrics.CosineSimilarity(axis=3)
    with pytest.raises(
        ValueError, match=r"axis=3 is out of range for predictions of shape \(1, 2\)"
    ):
        metric.update_state(np.array([[1.0, 0.0]]), np.array([[1.0, 1.0]]))


def test_cosine_similarity_value_unchanged():
    metric = keras.metrics.CosineSimilarity()
    metric.update_state(np.array([[1.0, 0.0]]), np.array([[1.0, 1.0]]))
    assert float(metric.result()) == pytest.approx(1 / np.sqrt(2), rel=1e-6)


def test_binary_accuracy_string_threshold_is_refused():
    with pytest.raises(TypeError, match=r"threshold must be a number such as 0.5, got the string"):
        keras.metrics.BinaryAccuracy(threshold="0.5")
