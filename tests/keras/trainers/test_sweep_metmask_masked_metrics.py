"""compile()'s metrics fold a Keras mask on the outputs into the sample weights.

As tf_keras's MetricsContainer: unweighted metrics get the mask as their sample
weights, weighted metrics the sample weights times the mask ((N,) weights get a
trailing axis under a (N, T) mask). Standalone metrics ignore the mask, so this
must happen in the container. Reference numbers: tf_keras 2.21
(TF_USE_LEGACY_KERAS=1), same weights and data.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = np.array([[1, 2, 0, 0], [3, 1, 2, 0], [2, 0, 0, 0]], dtype="int32")
SW = np.array([1.0, 2.0, 0.5], dtype="float32")
SW2D = np.array([[1, 2, 3, 4], [0.5, 1, 1, 1], [2, 2, 1, 1]], "float32")


def _labels():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 3, size=(3, 4)).astype("int32")
    return y, np.eye(3, dtype="float32")[y], rng.rand(3, 4, 1).astype("float32")


def _embedding(name="emb"):
    return keras.layers.Embedding(5, 3, mask_zero=True, name=name)


def _set(model, name, *weights):
    model.get_layer(name).set_weights([np.asarray(w, "float32") for w in weights])


def _sequence_model():
    inp = keras.Input((4,), dtype="int32")
    h = _embedding()(inp)
    out = keras.layers.Dense(3, activation="softmax", name="d")(h)
    model = keras.Model(inp, out)
    _set(model, "emb", np.linspace(-1, 1, 15).reshape(5, 3))
    _set(model, "d", np.linspace(-0.7, 0.9, 9).reshape(3, 3), [0.1, -0.2, 0.05])
    return model


def _check(result, expected):
    assert sorted(result) == sorted(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(float(result[key]), value, rtol=2e-4, err_msg=key)


BASE = {"accuracy": 0.5, "auc": 0.51389, "mse": 0.22489, "prec": 0.0}
CASES = {
    None: dict(BASE, loss=1.1113, mae=0.44216, wacc=0.5),
    "sw": dict(BASE, loss=1.63305, mae=0.45162, wacc=0.41176),
    "sw2d": dict(BASE, loss=1.38228, mae=0.44158, wacc=0.53333),
}


def _compiled():
    model = _sequence_model()
    model.compile(
        "sgd",
        "categorical_crossentropy",
        metrics=[
            "accuracy",
            "mse",
            keras.metrics.AUC(name="auc"),
            keras.metrics.Precision(name="prec"),
        ],
        weighted_metrics=["mae", keras.metrics.CategoricalAccuracy(name="wacc")],
    )
    return model


@pytest.mark.parametrize("weights", [None, "sw", "sw2d"])
def test_masked_sequence_evaluate_matches_tf_keras(weights):
    _, yoh, _ = _labels()
    sw = {None: None, "sw": SW, "sw2d": SW2D}[weights]
    result = _compiled().evaluate(X, yoh, sample_weight=sw, verbose=0, return_dict=True)
    _check(result, CASES[weights])


def test_masked_sequence_fit_logs_match_tf_keras():
    _, yoh, _ = _labels()
    history = _compiled().fit(
        X, yoh, sample_weight=SW, epochs=1, batch_size=3, verbose=0, shuffle=False
    )
    _check({k: v[0] for k, v in history.history.items()}, CASES["sw"])


def test_masked_sparse_labels_match_tf_keras():
    y, _, _ = _labels()
    model = _sequence_model()
    model.compile(
        "sgd",
        "sparse_categorical_crossentropy",
        metrics=["accuracy", keras.metrics.SparseTopKCategoricalAccuracy(k=2, name="top2")],
        weighted_metrics=["sparse_categorical_accuracy"],
    )
    plain = {"accuracy": 0.5, "loss": 1.1113, "sparse_categorical_accuracy": 0.5, "top2": 0.5}
    _check(model.evaluate(X, y, verbose=0, return_dict=True), plain)
    weighted = dict(plain, loss=1.63305, sparse_categorical_accuracy=0.41176)
    _check(model.evaluate(X, y, sample_weight=SW, verbose=0, return_dict=True), weighted)


def test_masked_multi_output_matches_tf_keras():
    _, yoh, yr = _labels()
    inp = keras.Input((4,), dtype="int32")
    h = _embedding()(inp)
    o1 = keras.layers.Dense(3, activation="softmax", name="a")(h)
    o2 = keras.layers.Dense(1, name="b")(h)
    model = keras.Model(inp, [o1, o2])
    _set(model, "emb", np.linspace(-1, 1, 15).reshape(5, 3))
    _set(model, "a", np.linspace(-0.7, 0.9, 9).reshape(3, 3), np.zeros(3))
    _set(model, "b", [[0.3], [-0.5], [0.8]], [0.0])
    model.compile(
        "sgd",
        ["categorical_crossentropy", "mse"],
        metrics=[["accuracy"], ["mae"]],
        weighted_metrics=[["accuracy"], ["mse"]],
    )
    plain = {
        "a_accuracy": 0.5,
        "a_loss": 1.10957,
        "a_weighted_accuracy": 0.5,
        "b_loss": 0.43952,
        "b_mae": 0.64953,
        "b_mse": 0.43952,
        "loss": 1.54909,
    }
    _check(model.evaluate(X, [yoh, yr], verbose=0, return_dict=True), plain)
    weighted = {
        "a_accuracy": 0.5,
        "a_loss": 1.61749,
        "a_weighted_accuracy": 0.41176,
        "b_loss": 1.03624,
        "b_mae": 0.64953,
        "b_mse": 0.36573,
        "loss": 2.65373,
    }
    result = model.evaluate(X, [yoh, yr], sample_weight=[SW, SW * 2], verbose=0, return_dict=True)
    _check(result, weighted)


def test_unweighted_metric_receives_the_mask_as_sample_weight():
    # tf_keras passes the boolean mask itself as `sample_weight` (checked with run_eagerly).
    seen = []

    class Probe(keras.metrics.Metric):
        def __init__(self, name="probe"):
            super().__init__(name=name)

        def update_state(self, y_true, y_pred, sample_weight=None):
            seen.append(None if sample_weight is None else np.asarray(sample_weight))

        def result(self):
            return tf.constant(0.0)

    _, yoh, _ = _labels()
    model = _sequence_model()
    model.compile("sgd", "categorical_crossentropy", metrics=[Probe()])
    model.evaluate(X, yoh, batch_size=3, verbose=0)
    np.testing.assert_array_equal(seen[-1], X != 0)
    assert seen[-1].dtype == np.bool_
