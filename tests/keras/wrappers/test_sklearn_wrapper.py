"""Keras 3's keras.wrappers: SKLearnClassifier, SKLearnRegressor, SKLearnTransformer.

Attribute names, shapes and error texts are Keras 3.15's (same script run under Keras 3 on
its torch backend); predicted values come from fixed weights and NumPy.
"""

from __future__ import annotations

import numpy as np
import pytest

from tork import keras

sklearn = pytest.importorskip("sklearn")
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.metrics import r2_score  # noqa: E402
from sklearn.model_selection import cross_val_score  # noqa: E402

RNG = np.random.RandomState(0)
X = RNG.rand(24, 3).astype("float32")
LABELS = np.array(["b", "a", "c", "b"] * 6)


def _classifier_model(X, y, bias=(0.0, 0.0, 3.0)):
    model = keras.Sequential(
        [
            keras.Input((X.shape[1],)),
            keras.layers.Dense(y.shape[1], "softmax", kernel_initializer="zeros"),
        ]
    )
    model.layers[0].bias.assign(np.asarray(bias, "float32"))
    model.compile("sgd", "categorical_crossentropy")
    return model


def _regression_model(X, y):
    model = keras.Sequential(
        [keras.Input((X.shape[1],)), keras.layers.Dense(y.shape[1], kernel_initializer="ones")]
    )
    model.compile("sgd", "mse")
    return model


def test_classifier_one_hot_encodes_and_predicts_labels():
    seen = {}

    def model(X, y, **kwargs):
        seen["y"] = y
        return _classifier_model(X, y, **kwargs)

    clf = keras.wrappers.SKLearnClassifier(
        model, model_kwargs={"bias": (0.0, 0.0, 3.0)}, fit_kwargs={"epochs": 0, "verbose": 0}
    )
    assert clf.fit(X, LABELS) is clf
    assert seen["y"].shape == (24, 3)
    np.testing.assert_array_equal(seen["y"][0], [0, 1, 0])  # "b" is the second class
    assert clf.classes_.tolist() == ["a", "b", "c"]
    assert clf.predict(X[:2]).tolist() == ["c", "c"]  # the largest bias
    assert clf.score(X, LABELS) == pytest.approx(0.25)
    assert clf.n_features_in_ == 3
    assert sorted(clf.get_params()) == ["fit_kwargs", "model", "model_kwargs", "warm_start"]
    assert not hasattr(clf, "predict_proba")


def test_regressor_ravels_a_single_target_and_scores_r2():
    y = X[:, 0] * 3
    reg = keras.wrappers.SKLearnRegressor(
        _regression_model, fit_kwargs={"epochs": 0, "verbose": 0}
    ).fit(X, y)
    prediction = X.sum(axis=1)
    np.testing.assert_allclose(reg.predict(X), prediction, rtol=1e-5)
    assert reg.predict(X).shape == (24,)
    assert reg.score(X, y) == pytest.approx(r2_score(y, prediction), rel=1e-5)
    assert type(reg.history_).__name__ == "History"
    scores = cross_val_score(
        keras.wrappers.SKLearnRegressor(_regression_model, fit_kwargs={"epochs": 1, "verbose": 0}),
        X,
        y,
        cv=2,
    )
    assert scores.shape == (2,)


def test_a_compiled_model_is_cloned_unless_warm_start():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("adam", "mse")
    reg = keras.wrappers.SKLearnRegressor(model, fit_kwargs={"epochs": 1, "verbose": 0})
    reg.fit(X, X[:, 0])
    assert reg.model_ is not model and reg.model_.compiled
    first = reg.model_
    reg.fit(X, X[:, 0])
    assert reg.model_ is not first
    warm = keras.wrappers.SKLearnRegressor(
        model, warm_start=True, fit_kwargs={"epochs": 1, "verbose": 0}
    )
    warm.fit(X, X[:, 0])
    kept = warm.model_
    warm.fit(X, X[:, 0])
    assert warm.model_ is kept


def test_transformer_returns_the_model_outputs():
    transformer = keras.wrappers.SKLearnTransformer(
        _regression_model, fit_kwargs={"epochs": 0, "verbose": 0}
    )
    out = transformer.fit_transform(X, X[:, 0])
    np.testing.assert_allclose(out, X.sum(axis=1, keepdims=True), rtol=1e-5)


def test_errors_match_keras3():
    clf = keras.wrappers.SKLearnClassifier(_classifier_model)
    with pytest.raises(NotFittedError, match="This SKLearnClassifier instance is not fitted yet"):
        clf.predict(X)
    clf.set_params(fit_kwargs={"epochs": 0, "verbose": 0}).fit(X, LABELS)
    with pytest.raises(ValueError, match="X has 2 features, but SKLearnClassifier is expecting 3"):
        clf.predict(X[:, :2])
    with pytest.raises(ValueError, match="Found array with dim 3"):
        keras.wrappers.SKLearnRegressor(_regression_model).fit(X, np.zeros((24, 2, 2)))
    uncompiled = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="must be compiled"):
        keras.wrappers.SKLearnRegressor(uncompiled).fit(X, X[:, 0])
    with pytest.raises(TypeError, match="must be a compiled keras.Model or a function"):
        keras.wrappers.SKLearnRegressor(3).fit(X, X[:, 0])


def test_a_model_compiled_with_objects_is_cloned_and_compiled_alike():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.Adam(0.01), loss=keras.losses.Huber())
    reg = keras.wrappers.SKLearnRegressor(model, fit_kwargs={"epochs": 1, "verbose": 0})
    reg.fit(X, X[:, 0])
    assert isinstance(reg.model_.loss, keras.losses.Huber)
    assert reg.model_.optimizer is not model.optimizer
    assert reg.model_.optimizer.learning_rate == pytest.approx(0.01)
