"""A flat compile(metrics=[...]) list on a model with a sparse classifier head.

tf_keras applies a flat list to every output; its elementwise metrics broadcast the
head's (N, 1) class-index labels against its (N, C) predictions and log `b_mae`.
Reference numbers: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), same weights and data.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0], [-1.0, 0.0, 1.0]], "float32")
YA = np.array([[0.5], [1.0], [-1.0]], "float32")
YB = np.array([[1], [0], [1]], "int32")
LOSSES = {"a_loss": 1.75083, "b_loss": 0.60582, "loss": 2.35666}


def _model():
    inp = keras.Input((3,))
    a = keras.layers.Dense(1, name="a")(inp)
    b = keras.layers.Dense(2, activation="softmax", name="b")(inp)
    model = keras.Model(inp, [a, b])
    model.get_layer("a").set_weights(
        [np.array([[0.3], [-0.5], [0.8]], "float32"), np.zeros(1, "float32")]
    )
    model.get_layer("b").set_weights(
        [np.linspace(-1, 1, 6).reshape(3, 2).astype("float32"), np.zeros(2, "float32")]
    )
    return model


def _check(result, expected):
    assert sorted(result) == sorted(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(float(result[key]), value, rtol=2e-4, err_msg=key)


@pytest.mark.parametrize(
    "metrics, expected",
    [
        (["mae"], {"a_mae": 1.31667, "b_mae": 0.5}),
        (["mae", "mse"], {"a_mae": 1.31667, "a_mse": 1.75083, "b_mae": 0.5, "b_mse": 0.31499}),
        (
            ["accuracy", "mae"],
            {"a_accuracy": 0.33333, "a_mae": 1.31667, "b_accuracy": 0.33333, "b_mae": 0.5},
        ),
    ],
)
def test_flat_metrics_broadcast_sparse_labels_as_tf_keras(metrics, expected):
    model = _model()
    model.compile("sgd", ["mse", "sparse_categorical_crossentropy"], metrics=metrics)
    result = model.evaluate(X, [YA, YB], verbose=0, return_dict=True)
    _check(result, dict(LOSSES, **expected))


def test_flat_weighted_metrics_broadcast_sparse_labels_as_tf_keras():
    model = _model()
    model.compile("sgd", ["mse", "sparse_categorical_crossentropy"], weighted_metrics=["mae"])
    weights = [np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.5, 2.0])]
    result = model.evaluate(X, [YA, YB], sample_weight=weights, verbose=0, return_dict=True)
    expected = {"a_loss": 3.77167, "a_mae": 1.36667, "b_loss": 0.66396, "b_mae": 0.5}
    _check(result, dict(expected, loss=4.43563))


def test_flat_metrics_broadcast_in_fit():
    model = _model()
    model.compile("sgd", ["mse", "sparse_categorical_crossentropy"], metrics=["mae"])
    history = model.fit(X, [YA, YB], batch_size=3, epochs=1, verbose=0)
    _check({k: v[0] for k, v in history.history.items()}, dict(LOSSES, a_mae=1.31667, b_mae=0.5))


def test_metrics_named_for_the_sparse_head_broadcast_as_tf_keras():
    # tf_keras broadcasts a metric named for the sparse head as well (a string, a metric
    # object, or a function wrapper): tf_keras 2.21 values.
    model = _model()
    model.compile(
        "sgd",
        ["mse", "sparse_categorical_crossentropy"],
        metrics={
            "b": [
                "mae",
                keras.metrics.MeanSquaredError(),
                "binary_accuracy",
                keras.metrics.CosineSimilarity(),
            ]
        },
    )
    result = model.evaluate(X, [YA, YB], verbose=0, return_dict=True)
    expected = {
        "b_mae": 0.5,
        "b_mean_squared_error": 0.31499,
        "b_binary_accuracy": 0.33333,
        "b_cosine_similarity": 0.83349,
    }
    _check(result, dict(LOSSES, **expected))
