"""Standalone metrics ignore a Keras mask carried by the predictions, as tf_keras.

In tf_keras 2.x `metric.update_state(y_true, y_pred)` does not read
`y_pred._keras_mask`; only compile()'s metrics container (and the losses) apply it.
Reference numbers: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), same inputs.
"""

import numpy as np
import pytest
import torch

import tork as tf

keras = tf.keras

Y = [[0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]
SW = [1.0, 2.0, 3.0]


def _masked_pred():
    p = torch.tensor([[0.2, 0.8], [0.6, 0.4], [0.1, 0.9]])
    p._keras_mask = torch.tensor([True, False, True])
    return p


# (metric factory, result unweighted, result with SW) from tf_keras.
CASES = [
    (keras.metrics.CategoricalAccuracy, 0.333333, 0.166667),
    (keras.metrics.MeanSquaredError, 0.403333, 0.531667),
    (keras.metrics.Precision, 0.333333, 0.166667),
    (keras.metrics.AUC, 0.333333, 0.138889),
    (keras.metrics.RootMeanSquaredError, 0.635085, 0.729155),
    (lambda: keras.metrics.MeanRelativeError(normalizer=[1.0, 2.0]), 0.425, 0.5125),
    (keras.metrics.CosineSimilarity, 0.545091, 0.401806),
    (keras.metrics.LogCoshError, 0.183278, 0.239938),
    (keras.metrics.TruePositives, 1.0, 1.0),
]


@pytest.mark.parametrize("make, plain, weighted", CASES)
def test_metric_ignores_prediction_mask(make, plain, weighted):
    m = make()
    m.update_state(Y, _masked_pred())
    np.testing.assert_allclose(float(m.result()), plain, rtol=1e-4)
    m.reset_state()
    m.update_state(Y, _masked_pred(), sample_weight=SW)
    np.testing.assert_allclose(float(m.result()), weighted, rtol=1e-4)


@pytest.mark.parametrize("cls, plain, weighted", [("Mean", 2.0, 2.333333), ("Sum", 6.0, 14.0)])
def test_reduce_metrics_ignore_values_mask(cls, plain, weighted):
    def values():
        v = torch.tensor([1.0, 2.0, 3.0])
        v._keras_mask = torch.tensor([True, False, True])
        return v

    m = getattr(keras.metrics, cls)()
    m.update_state(values())
    np.testing.assert_allclose(float(m.result()), plain, rtol=1e-5)
    m.reset_state()
    m.update_state(values(), sample_weight=SW)
    np.testing.assert_allclose(float(m.result()), weighted, rtol=1e-5)


def test_wrapper_applies_mask_of_the_values_its_function_returns():
    # tf_keras's MeanMetricWrapper masks the values `fn` returns by their own mask.
    def fn(y_true, y_pred):
        values = tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)
        values._keras_mask = torch.tensor([True, False, True])
        return values

    y = torch.tensor(Y)
    m = keras.metrics.MeanMetricWrapper(fn)
    m.update_state(y, y + 0.5)
    np.testing.assert_allclose(float(m.result()), 0.25, rtol=1e-6)
    m = keras.metrics.MeanMetricWrapper(fn)
    m.update_state(y, y + 0.5, sample_weight=SW)
    np.testing.assert_allclose(float(m.result()), 0.25, rtol=1e-6)
