"""`keras.metrics.accuracy` (what `get('accuracy')` returns) is elementwise, as tf_keras.

Expected values were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same
calls, with `tf_keras.metrics.get("accuracy")` applied to `tf.constant` inputs.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

Y_TRUE = np.array([[1, 2, 3], [1, 0, 1]], "float32")
Y_PRED = np.array([[1, 0, 3], [1, 0, 0]], "float32")


def test_function_is_elementwise():
    f = keras.metrics.get("accuracy")
    assert f is keras.metrics.accuracy
    np.testing.assert_array_equal(f([1, 2], [1, 0]).numpy(), [1.0, 0.0])
    np.testing.assert_array_equal(f(Y_TRUE, Y_PRED).numpy(), [[1, 0, 1], [1, 1, 0]])
    np.testing.assert_array_equal(f([[1], [2]], [[1], [3]]).numpy(), [[1.0], [0.0]])
    got = f(np.array([[[1, 2], [3, 4]]]), np.array([[[1, 2], [0, 4]]]))
    np.testing.assert_array_equal(got.numpy(), [[[1, 1], [0, 1]]])


def test_int_labels_float_predictions():
    got = keras.metrics.accuracy(
        np.array([[1, 2], [3, 4]], "int32"), np.array([[1.0, 0.0], [3.0, 4.0]], "float32")
    )
    assert got.dtype == tf.float32
    np.testing.assert_array_equal(got.numpy(), [[1.0, 0.0], [1.0, 1.0]])


@pytest.mark.parametrize(
    "sample_weight, expected",
    [
        (None, 0.6666667),
        (np.array([1.0, 3.0]), 0.6666667),
        (np.array([[1.0, 2.0, 0.0], [0.5, 1.0, 4.0]]), 0.29411766),
    ],
)
def test_accuracy_class_and_wrapper_unchanged(sample_weight, expected):
    for metric in (
        keras.metrics.Accuracy(),
        keras.metrics.MeanMetricWrapper(keras.metrics.accuracy),
    ):
        metric.update_state(Y_TRUE, Y_PRED, sample_weight=sample_weight)
        np.testing.assert_allclose(float(metric.result()), expected, rtol=1e-6)


def test_rank_one_weights_per_element():
    m = keras.metrics.Accuracy()
    m.update_state([1, 2, 3, 4], [1, 0, 3, 3], sample_weight=[1, 2, 3, 4])
    np.testing.assert_allclose(float(m.result()), 0.4, rtol=1e-6)


def _identity_model(width):
    inputs = keras.Input((width,))
    return keras.Model(inputs, keras.layers.Lambda(lambda t: t * 1.0)(inputs))


def test_compile_string_and_function():
    x = np.array([[0.0], [1.0], [2.0], [3.0]], "float32")
    y = np.array([[0.0], [1.0], [5.0], [3.0]], "float32")
    model = _identity_model(1)
    model.compile(loss="mse", metrics=["accuracy"])
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), [2.25, 0.5])
    weights = np.array([1.0, 1.0, 4.0, 1.0])
    np.testing.assert_allclose(model.evaluate(x, y, sample_weight=weights, verbose=0), [9.0, 0.5])

    x2 = np.array([[0.0, 1.0], [1.0, 2.0]], "float32")
    y2 = np.array([[0.0, 0.0], [1.0, 2.0]], "float32")
    model = _identity_model(2)
    model.compile(loss="mse", metrics=[keras.metrics.accuracy])
    np.testing.assert_allclose(model.evaluate(x2, y2, verbose=0), [0.25, 0.75])
    model.compile(loss="mse", weighted_metrics=[keras.metrics.accuracy, "accuracy"])
    np.testing.assert_allclose(model.evaluate(x2, y2, verbose=0), [0.25, 0.75, 0.5])
    got = model.evaluate(x2, y2, sample_weight=np.array([1.0, 3.0]), verbose=0)
    np.testing.assert_allclose(got, [0.25, 0.875, 0.75])
