"""Standalone elementwise metrics broadcast labels against predictions, as tf_keras.

tf_keras's metric objects compute MSE, BinaryAccuracy, Hinge, KLDivergence, ... with
broadcasting TF ops, so `(N, 1)` labels against `(N, C)` predictions (or the reverse)
give a value; shapes that do not broadcast fail. Reference values: tf_keras 2.21
(TF_USE_LEGACY_KERAS=1), same arrays.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
M = keras.metrics

Y1 = np.array([[1.0], [0.0], [1.0], [0.0]], "float32")
P3 = np.array([[0.9, 0.2, 0.6], [0.3, 0.8, 0.1], [0.4, 0.7, 0.5], [0.2, 0.1, 0.95]], "float32")
Y3 = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]], "float32")
P1 = np.array([[0.7], [0.2], [0.45], [0.6]], "float32")
W = np.array([1.0, 2.0, 0.5, 1.5], "float32")

# Per metric: (Y1, P3), (Y3, P1), (Y1 as (4, 1, 1), P3), (Y1, P3, sample_weight=W).
TF_KERAS = {
    "MeanSquaredError": [0.266875, 0.306458, 0.266875, 0.27125],
    "MeanAbsoluteError": [0.429167, 0.520833, 0.429167, 0.418333],
    "MeanAbsolutePercentageError": [204166688.0, 212500032.0, 204166688.0, 285000032.0],
    "MeanSquaredLogarithmicError": [0.121791, 0.143834, 0.121791, 0.134058],
    "RootMeanSquaredError": [0.516599, 0.553587, 0.516599, 0.520817],
    "BinaryAccuracy": [0.583333, 0.416667, 0.583333, 0.633333],
    "Hinge": [0.929167, 0.9375, 0.929167, 1.118333],
    "SquaredHinge": [1.175208, 1.148125, 1.175208, 1.54125],
    "CategoricalHinge": [0.9375, 0.6625, 0.9375, 1.305],
    "LogCoshError": [0.122456, 0.143494, 0.122456, 0.123521],
    "KLDivergence": [1.047932, 1.510015, 1.047932, 0.641733],
    "Poisson": [0.828478, 0.990839, 0.828478, 0.665579],
    "BinaryCrossentropy": [0.798954, 0.8248, 0.798954, 0.822532],
    "CosineSimilarity": [0.808001, 1.31066, 0.808001, 0.477746],
}
CASES = [(Y1, P3, None), (Y3, P1, None), (Y1[:, :, None], P3, None), (Y1, P3, W)]


@pytest.mark.parametrize("name", sorted(TF_KERAS))
def test_elementwise_metric_broadcasts_as_tf_keras(name):
    for (y_true, y_pred, weight), expected in zip(CASES, TF_KERAS[name]):
        metric = getattr(M, name)()
        metric.update_state(y_true, y_pred, sample_weight=weight)
        np.testing.assert_allclose(float(metric.result()), expected, rtol=2e-5, err_msg=name)


def test_broadcast_accumulates_over_batches():
    # Two batches give the mean over all broadcast elements (here equal-sized batches).
    metric = M.MeanSquaredError()
    metric.update_state(Y1[:2], P3[:2])
    metric.update_state(Y1[2:], P3[2:])
    np.testing.assert_allclose(float(metric.result()), 0.266875, rtol=2e-5)


@pytest.mark.parametrize(
    "fn, expected",
    [
        ("mae", 0.429167),
        ("mse", 0.266875),
        ("binary_accuracy", 0.583333),
        ("hinge", 0.929167),
        ("kl_divergence", 1.047932),
        ("binary_crossentropy", 0.798954),
    ],
)
def test_wrapped_builtin_function_broadcasts_as_tf_keras(fn, expected):
    metric = M.MeanMetricWrapper(getattr(M, fn))
    metric.update_state(Y1, P3)
    np.testing.assert_allclose(float(metric.result()), expected, rtol=2e-5)


@pytest.mark.parametrize("name", ["MeanSquaredError", "BinaryAccuracy", "Hinge"])
@pytest.mark.parametrize(
    "y_shape, p_shape, match",
    [
        # tf_keras fails on these too ("Incompatible shapes").
        ((4, 2), (4, 3), r"labels of shape \(4, 2\) do not match predictions of shape \(4, 3\)"),
        ((4,), (4, 3), r"labels of shape \(4,\) do not match predictions of shape \(4, 3\)"),
        ((4, 3), (4,), r"labels of shape \(4, 3\) do not match predictions of shape \(4,\)"),
    ],
)
def test_shapes_that_do_not_broadcast_still_raise(name, y_shape, p_shape, match):
    with pytest.raises(ValueError, match=rf"{name}: {match}"):
        getattr(M, name)().update_state(np.zeros(y_shape), np.full(p_shape, 0.5))


def test_accuracy_and_categorical_metrics_keep_the_shape_error():
    # tf_keras's Accuracy fails on (4, 1) vs (4, 3) too; the categorical metrics take
    # one-hot labels, and tork keeps its hint to use the sparse metric.
    with pytest.raises(ValueError, match=r"Accuracy: labels of shape \(4, 1\) do not match"):
        M.Accuracy().update_state(Y1, P3)
    with pytest.raises(ValueError, match=r"These look like integer class indices"):
        M.CategoricalAccuracy().update_state(Y1, P3)


def test_losses_keep_the_shape_error():
    # A loss with mismatched shapes is a wrong model in fit: tork keeps its clear error.
    with pytest.raises(ValueError, match=r"MeanSquaredError: labels of shape \(4, 1\)"):
        keras.losses.MeanSquaredError()(Y1, P3)
