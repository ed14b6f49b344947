"""keras.metrics.get follows Keras 2 (tf_keras): function names give the functions.

Reference values from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) on
y = [[1, 0], [0, 1]], p = [[0.8, 0.2], [0.6, 0.4]].
"""

import numpy as np
import pytest

from tork import keras
from tork.keras import losses, metrics

Y = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")
P = np.array([[0.8, 0.2], [0.6, 0.4]], "float32")


@pytest.mark.parametrize(
    "name,function,expected",
    [
        ("mae", metrics.mean_absolute_error, [0.2, 0.6]),
        ("mse", metrics.mean_squared_error, [0.04, 0.36]),
        ("MSE", metrics.mean_squared_error, [0.04, 0.36]),
        ("binary_accuracy", metrics.binary_accuracy, [1.0, 0.0]),
        ("categorical_accuracy", metrics.categorical_accuracy, [1.0, 0.0]),
        ("categorical_crossentropy", metrics.categorical_crossentropy, [0.2231435, 0.9162907]),
        ("cosine_proximity", metrics.cosine_similarity, [0.9701425, 0.5547002]),
        ("logcosh", metrics.log_cosh, [0.0198681, 0.1701353]),
    ],
)
def test_get_function_names_give_the_functions(name, function, expected):
    fn = metrics.get(name)
    assert fn is function
    np.testing.assert_allclose(np.asarray(fn(Y, P)), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["accuracy", "acc"])
def test_get_accuracy_gives_the_exact_match_function(name):
    # tf_keras: get('accuracy') and get('acc') are `accuracy` (exact equality), not
    # compile()'s shape-dependent choice; accuracy([1, 2], [1, 0]) is [1, 0] (tork
    # averages over the last axis, hence the mean).
    fn = metrics.get(name)
    assert fn is metrics.accuracy
    assert float(np.mean(np.asarray(fn(np.array([1.0, 2.0]), np.array([1.0, 0.0]))))) == 0.5


def test_get_class_names_configs_classes_still_give_instances():
    assert isinstance(metrics.get("MeanAbsoluteError"), metrics.MeanAbsoluteError)
    assert isinstance(metrics.get("AUC"), metrics.AUC)
    config = {"class_name": "MeanAbsoluteError", "config": {"name": "m"}}
    assert metrics.get(config).name == "m"
    # Metrics that exist only as classes: tork gives an instance (tf_keras returns
    # the string unchanged, for compile() to resolve).
    assert isinstance(metrics.get("auc"), metrics.AUC)
    assert isinstance(metrics.get("precision"), metrics.Precision)
    assert metrics.get("crossentropy") == "crossentropy"


def test_get_custom_object_shadows_builtin_function_name():
    def mae(y_true, y_pred):
        return y_true

    with keras.utils.custom_object_scope({"mae": mae}):
        assert metrics.get("mae") is mae


def test_losses_get_function_names_give_functions():
    # tf_keras: losses.get('mae') is mean_absolute_error, get('Huber') a Huber().
    assert losses.get("mae") is losses.mean_absolute_error
    assert losses.get("huber_loss") is losses.huber
    assert isinstance(losses.get("Huber"), losses.Huber)


def test_compile_names_still_log_and_compute_as_tf_keras():
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(2,), use_bias=False)])
    model.set_weights([np.eye(2, dtype="float32")])
    model.compile(loss="mse", metrics=["accuracy", "mae", metrics.get("mae"), "AUC"])
    logs = model.evaluate(P, Y, verbose=0, return_dict=True)
    # tf_keras 2.21: {'loss': 0.2, 'accuracy': 0.5, 'mae': 0.4,
    # 'mean_absolute_error': 0.4, 'auc': 0.75}
    assert list(logs) == ["loss", "accuracy", "mae", "mean_absolute_error", "auc"]
    np.testing.assert_allclose(
        [logs[k] for k in logs], [0.2, 0.5, 0.4, 0.4, 0.75], rtol=1e-5, atol=1e-6
    )


def test_compile_with_functions_from_get_matches_tf_keras():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(2,), use_bias=False)])
    model.set_weights([np.array([[1.0], [0.0]], "float32")])
    model.compile(loss="mse", metrics=[metrics.get("accuracy"), metrics.get("mae")])
    x = np.array([[1.0, 2.0], [0.6, 0.0], [1.0, 1.0]], "float32")
    y = np.ones((3, 1), "float32")
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    # tf_keras 2.21: {'loss': 0.0533333, 'accuracy': 0.6666667 (exact matches),
    # 'mean_absolute_error': 0.1333333}
    assert list(logs) == ["loss", "accuracy", "mean_absolute_error"]
    np.testing.assert_allclose(list(logs.values()), [0.0533333, 0.6666667, 0.1333333], rtol=1e-5)
