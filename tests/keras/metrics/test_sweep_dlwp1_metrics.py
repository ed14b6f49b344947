"""Keras 2.0-era metric names met in Deep Learning with Python (1st edition) code."""

import numpy as np
import pytest

from tork import keras


def test_cosine_proximity_resolves_to_cosine_similarity():
    # As tf_keras, the name gives the metric function cosine_similarity.
    assert keras.metrics.get("cosine_proximity") is keras.metrics.cosine_similarity
    metric = keras.metrics.get("CosineSimilarity")
    metric.update_state(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 1.0], [0.0, 2.0]]))
    # Rows: 1/sqrt(2) and 1; the metric is their mean.
    assert float(metric.result()) == pytest.approx((1 / np.sqrt(2) + 1) / 2, rel=1e-6)


def test_cosine_proximity_in_compile_logs_under_given_name():
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(2,), use_bias=False)])
    model.set_weights([np.eye(2, dtype="float32")])
    model.compile(loss="mse", metrics=["cosine_proximity"])
    x = np.array([[1.0, 1.0], [0.0, 2.0]], "float32")
    y = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert sorted(logs) == ["cosine_proximity", "loss"]
    assert logs["cosine_proximity"] == pytest.approx((1 / np.sqrt(2) + 1) / 2, rel=1e-6)
    assert logs["loss"] == pytest.approx(np.mean((x - y) ** 2), rel=1e-6)
