"""Keras 2 training behaviour found by the tf_keras engine-test sweep (training_test's
metric tests).

A `metrics=` list holding a nested list, e.g. `[m1, [m2, m3]]`, is per-output in Keras 2
(only a flat list is given to every output); tork raised "Could not interpret metric
identifier" on the inner list. With one output, Keras 2 flattens nested lists
(`[["mae", "mse"]]` is mae and mse), which tork refused the same way. The numbers are hand-computed and match what tf_keras 2.21
printed for the same script.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.layers


def _two_output_model():
    i1 = L.Input((1,), name="input_1")
    i2 = L.Input((1,), name="input_2")
    o1 = L.Dense(1, kernel_initializer="ones", name="output_1")(i1)
    o2 = L.Dense(1, kernel_initializer="ones", name="output_2")(i2)
    return keras.Model([i1, i2], [o1, o2])


def test_mixed_nested_metric_list_is_per_output():
    model = _two_output_model()
    model.compile(
        optimizer="sgd",
        loss="mse",
        metrics=[
            keras.metrics.MeanAbsoluteError(),
            [keras.metrics.MeanSquaredError(), keras.metrics.Accuracy()],
        ],
    )
    x = np.array([[1.0], [2.0]], "float32")  # both outputs predict x
    y1 = x + 1  # error 1 everywhere
    y2 = np.array([[1.0], [4.0]], "float32")  # errors 0 and 2
    result = model.evaluate([x, x], [y1, y2], return_dict=True, verbose=0)
    expected = {
        "loss": 3.0,
        "output_1_loss": 1.0,
        "output_2_loss": 2.0,
        "output_1_mean_absolute_error": 1.0,
        "output_2_mean_squared_error": 2.0,
        "output_2_accuracy": 0.5,
    }
    assert list(result) == list(expected)
    for key, value in expected.items():
        assert result[key] == pytest.approx(value, abs=1e-6), key


def test_mixed_nested_weighted_metrics_are_per_output():
    model = _two_output_model()
    model.compile(
        optimizer="sgd",
        loss="mse",
        metrics=[keras.metrics.MeanSquaredError(), [keras.metrics.MeanSquaredError()]],
        weighted_metrics=[
            keras.metrics.MeanSquaredError(),
            [keras.metrics.MeanSquaredError(), keras.metrics.Accuracy()],
        ],
    )
    x = np.ones((4, 1), "float32")
    model.evaluate([x, x], [x, x], verbose=0)
    # tf_keras 2.21 metrics_names for the same compile call (the weighted Accuracy has
    # no unweighted twin, so it keeps its plain name).
    assert model.metrics_names == [
        "loss",
        "output_1_loss",
        "output_2_loss",
        "output_1_mean_squared_error",
        "output_1_weighted_mean_squared_error",
        "output_2_mean_squared_error",
        "output_2_weighted_mean_squared_error",
        "output_2_accuracy",
    ]


@pytest.mark.parametrize(
    "metrics", [[["mae", "mse"]], [["mae"], "mse"]], ids=["one_inner_list", "mixed"]
)
def test_single_output_flattens_nested_metric_lists(metrics):
    inputs = L.Input((1,))
    model = keras.Model(inputs, L.Dense(1, kernel_initializer="ones")(inputs))
    model.compile("sgd", "mse", metrics=metrics)
    result = model.evaluate(np.ones((2, 1)), np.zeros((2, 1)), return_dict=True, verbose=0)
    # Prediction 1 against label 0: every error is 1 (tf_keras 2.21 gives the same dict).
    assert result == {"loss": 1.0, "mae": 1.0, "mse": 1.0}


def test_single_output_empty_inner_list_adds_no_metric():
    inputs = L.Input((1,))
    model = keras.Model(inputs, L.Dense(1, kernel_initializer="ones")(inputs))
    model.compile("sgd", "mse", metrics=[[]])
    result = model.evaluate(np.ones((2, 1)), np.zeros((2, 1)), return_dict=True, verbose=0)
    assert result == {"loss": 1.0}


def test_nested_metric_list_of_wrong_length_is_a_clear_error():
    model = _two_output_model()
    # Keras 2 also raises a ValueError (its nest structures differ in length).
    model.compile("sgd", "mse", metrics=[["mae"], ["mse"], ["mae"]])
    x = np.ones((2, 1), "float32")
    with pytest.raises(ValueError, match=r"one entry per output.*3 entries.*2 outputs"):
        model.evaluate([x, x], [x, x], verbose=0)
