"""Names of compiled metrics in the logs, as tf.keras 2.21 writes them."""

import numpy as np
import pytest

from tork import keras

X = np.arange(24, dtype="float32").reshape(8, 3) / 10.0
Y = np.ones((8, 1), "float32")


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_initializer="ones")])
    return model


def test_weighted_metric_named_as_an_unweighted_one_gets_a_prefix():
    model = _model()
    model.compile(
        "sgd",
        "mse",
        metrics=["mae", keras.metrics.MeanAbsoluteError()],
        weighted_metrics=["mae"],
    )
    weights = np.array([1, 1, 1, 1, 0, 0, 0, 0], "float32")
    logs = model.evaluate(X, Y, sample_weight=weights, verbose=0, return_dict=True)
    # tf_keras 2.21: ['loss', 'mae', 'mean_absolute_error', 'weighted_mae']
    assert sorted(logs) == ["loss", "mae", "mean_absolute_error", "weighted_mae"]
    errors = np.abs(X.sum(axis=1) - 1.0)
    np.testing.assert_allclose(logs["mae"], errors.mean(), rtol=1e-6)
    np.testing.assert_allclose(logs["weighted_mae"], errors[:4].mean(), rtol=1e-6)


def test_two_metrics_with_one_name_are_refused():
    model = _model()
    model.compile(
        "sgd", "mse", metrics=[keras.metrics.MeanAbsoluteError(), keras.metrics.MeanAbsoluteError()]
    )
    with pytest.raises(
        ValueError, match="Found two metrics with the same name: mean_absolute_error"
    ):
        model.fit(X, Y, verbose=0)
