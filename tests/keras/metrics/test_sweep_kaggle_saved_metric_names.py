"""A user metric function saved by name must not come back as tork's built-in metric.

Kaggle notebooks often define `def f1(y_true, y_pred)`, `auc`, `precision` or `rmse`
metric functions. tf_keras saves them by name; loading the model without
`custom_objects` raises "Unknown metric function". tork knows these short names as
its own stateful metric classes (F1Score, AUC, Precision, RootMeanSquaredError) and
silently compiled those instead, reporting other numbers.
"""

import numpy as np
import pytest

import tork as tf

K = tf.keras.backend


def f1(y_true, y_pred):
    return K.mean(K.round(y_pred) * y_true)


def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true)))


def auc(y_true, y_pred):
    return K.mean(y_pred)


def precision(y_true, y_pred):
    return K.mean(y_pred) * 2


# evaluate()'s metric value for each function on the data below, from
# TF_USE_LEGACY_KERAS=1 tf_keras 2.21 (the same script; the loss is 0.61267).
_TF_VALUES = {"f1": 0.625, "rmse": 0.46095, "auc": 0.66597, "precision": 1.33194}


def _data():
    x = np.random.RandomState(0).rand(8, 4).astype("float32")
    y = (x.sum(1, keepdims=True) > 2).astype("float32")
    return x, y


def _model(fn):
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(4,))])
    model.set_weights([np.full((4, 1), 0.3, "float32"), np.zeros(1, "float32")])
    model.compile("adam", "binary_crossentropy", metrics=[fn])
    return model


@pytest.mark.parametrize("fn", [f1, rmse, auc, precision], ids=lambda f: f.__name__)
@pytest.mark.parametrize("ext", ["h5", "keras"])
def test_user_metric_named_like_builtin_needs_custom_objects(tmp_path, fn, ext):
    x, y = _data()
    model = _model(fn)
    loss, value = model.evaluate(x, y, verbose=0)
    np.testing.assert_allclose([loss, value], [0.61267, _TF_VALUES[fn.__name__]], atol=1e-5)
    path = str(tmp_path / f"model.{ext}")
    model.save(path)
    name = fn.__name__
    with pytest.raises(ValueError, match=f"Unknown metric function: '{name}'.*custom_objects"):
        tf.keras.models.load_model(path)
    loaded = tf.keras.models.load_model(path, custom_objects={name: fn})
    np.testing.assert_allclose(
        loaded.evaluate(x, y, verbose=0), [0.61267, _TF_VALUES[name]], atol=1e-5
    )
    with tf.keras.utils.custom_object_scope({name: fn}):
        scoped = tf.keras.models.load_model(path)
    np.testing.assert_allclose(scoped.evaluate(x, y, verbose=0)[1], _TF_VALUES[name], atol=1e-5)
    uncompiled = tf.keras.models.load_model(path, compile=False)
    assert uncompiled.optimizer is None


def test_builtin_metrics_still_load(tmp_path):
    x, y = _data()
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(4,))])
    model.set_weights([np.full((4, 1), 0.3, "float32"), np.zeros(1, "float32")])
    model.compile(
        "adam",
        "binary_crossentropy",
        metrics=["AUC", "mse", "binary_accuracy", tf.keras.metrics.Precision(name="precision")],
    )
    expected = model.evaluate(x, y, verbose=0)
    # mse and binary accuracy by numpy formulas.
    p = 1 / (1 + np.exp(-(x @ np.full((4, 1), 0.3))))
    np.testing.assert_allclose(
        expected[2:4], [np.mean((p - y) ** 2), np.mean((p > 0.5) == y)], atol=1e-6
    )
    path = str(tmp_path / "builtin.h5")
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    np.testing.assert_allclose(loaded.evaluate(x, y, verbose=0), expected, atol=1e-6)


@pytest.mark.parametrize("ext", ["h5", "keras"])
def test_builtin_short_names_round_trip(tmp_path, ext):
    # tork's own short names ('f1', 'rmse', 'auc', 'precision' given as strings) are saved as
    # the built-in metrics, not as user functions, so they load without custom_objects.
    x, y = _data()
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, activation="sigmoid", input_shape=(4,))])
    model.set_weights([np.full((4, 1), 0.3, "float32"), np.zeros(1, "float32")])
    model.compile("adam", "binary_crossentropy", metrics=["rmse", "auc", "precision"])
    expected = model.evaluate(x, y, verbose=0)
    # rmse by the numpy formula over the whole data (one batch).
    p = 1 / (1 + np.exp(-(x @ np.full((4, 1), 0.3))))
    np.testing.assert_allclose(expected[1], np.sqrt(np.mean((p - y) ** 2)), atol=1e-6)
    path = str(tmp_path / f"aliases.{ext}")
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    np.testing.assert_allclose(loaded.evaluate(x, y, verbose=0), expected, atol=1e-6)
