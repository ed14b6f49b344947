"""Keras 2's tf.keras.wrappers.scikit_learn: KerasClassifier / KerasRegressor with build_fn.

TF 2.12 removed these wrappers, so the expected values come from their documented
contract and NumPy: models are built with fixed weights and `epochs=0` (no training) where
predictions are checked.
"""

from __future__ import annotations

import numpy as np
import pytest

from tork import keras

sklearn = pytest.importorskip("sklearn")
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from tork.keras.wrappers.scikit_learn import KerasClassifier, KerasRegressor  # noqa: E402

RNG = np.random.RandomState(0)
X = RNG.rand(30, 4).astype("float32")
BIAS = np.array([0.0, 2.0, 1.0], "float32")


def _softmax_model(loss="sparse_categorical_crossentropy", metrics=("accuracy",)):
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(3, activation="softmax", kernel_initializer="zeros")]
    )
    model.layers[0].bias.assign(BIAS)
    model.compile("sgd", loss, metrics=list(metrics))
    return model


def test_labels_are_encoded_as_sorted_classes_and_decoded_by_predict():
    labels = np.array(["virginica", "setosa", "versicolor"] * 10)
    clf = KerasClassifier(build_fn=_softmax_model, epochs=0, verbose=0)
    clf.fit(X, labels)
    assert clf.classes_.tolist() == ["setosa", "versicolor", "virginica"]
    assert clf.n_classes_ == 3
    expected = np.exp(BIAS) / np.exp(BIAS).sum()
    np.testing.assert_allclose(clf.predict_proba(X[:2]), [expected, expected], rtol=1e-6)
    assert clf.predict(X[:2]).tolist() == ["versicolor", "versicolor"]  # argmax of the bias
    # Accuracy from evaluate: a third of the labels are "versicolor".
    assert clf.score(X, labels) == pytest.approx(1 / 3)


def test_categorical_crossentropy_gets_one_hot_labels():
    clf = KerasClassifier(
        build_fn=_softmax_model, loss="categorical_crossentropy", epochs=1, verbose=0
    )
    history = clf.fit(X, np.array([2, 0, 1] * 10))  # (N,) labels against (N, 3) outputs
    assert np.isfinite(history.history["loss"][0])
    assert 0.0 <= clf.score(X, np.array([2, 0, 1] * 10)) <= 1.0


def test_a_single_sigmoid_unit_gives_two_probability_columns():
    def make_model():
        model = keras.Sequential(
            [keras.Input((4,)), keras.layers.Dense(1, "sigmoid", kernel_initializer="zeros")]
        )
        model.layers[0].bias.assign([1.0])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        return model

    p = 1 / (1 + np.exp(-1.0))
    wrapper = KerasClassifier(build_fn=make_model, epochs=0, verbose=0)
    wrapper.fit(X, [0, 1] * 15)
    np.testing.assert_allclose(wrapper.predict_proba(X[:2]), [[1 - p, p]] * 2, rtol=1e-6)
    assert wrapper.predict(X[:2]).tolist() == [[1], [1]]  # Keras 2 keeps the unit axis


def test_grid_search_sets_build_fn_and_fit_parameters():
    seen = []

    def make_model(units=2):
        seen.append(units)
        model = keras.Sequential(
            [keras.Input((4,)), keras.layers.Dense(units, "relu"), keras.layers.Dense(1, "sigmoid")]
        )
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
        return model

    y = (X[:, 0] > 0.5).astype(int)
    search = GridSearchCV(
        KerasClassifier(build_fn=make_model, epochs=1, verbose=0),
        param_grid={"units": [3, 5], "batch_size": [10, 30]},
        cv=2,
    )
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert set(seen) == {3, 5}
    assert search.best_params_["units"] in (3, 5)


def test_regressor_predicts_squeezed_and_scores_minus_the_loss():
    def make_model():
        model = keras.Sequential(
            [keras.Input((4,)), keras.layers.Dense(1, kernel_initializer="ones")]
        )
        model.compile("sgd", "mse")
        return model

    y = X[:, 0] * 2
    reg = KerasRegressor(build_fn=make_model, epochs=0, verbose=0)
    reg.fit(X, y)
    prediction = X.sum(axis=1)
    np.testing.assert_allclose(reg.predict(X), prediction, rtol=1e-5)
    assert reg.predict(X).shape == (30,)
    assert reg.score(X, y) == pytest.approx(-np.mean((prediction - y) ** 2), rel=1e-5)


def test_pipeline_cross_validation_runs():
    def make_model():
        model = keras.Sequential([keras.layers.Dense(4, input_shape=(4,)), keras.layers.Dense(1)])
        model.compile("adam", "mse")
        return model

    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("mlp", KerasRegressor(build_fn=make_model, epochs=1, verbose=0)),
        ]
    )
    scores = cross_val_score(pipe, X, X[:, 0], cv=KFold(n_splits=3))
    assert scores.shape == (3,) and np.all(np.isfinite(scores)) and np.all(scores <= 0)


def test_errors_name_the_parameter_the_metric_and_the_missing_fit():
    with pytest.raises(ValueError, match="epoch is not a legal parameter"):
        KerasClassifier(build_fn=_softmax_model, epoch=3)
    clf = KerasClassifier(build_fn=_softmax_model, metrics=(), epochs=0, verbose=0)
    clf.fit(X, [0, 1, 2] * 10)
    with pytest.raises(ValueError, match=r'pass `metrics=\["accuracy"\]` to the `model.compile'):
        clf.score(X, [0, 1, 2] * 10)
    with pytest.raises(AttributeError, match="call fit"):
        KerasRegressor(build_fn=_softmax_model).predict(X)
    with pytest.raises(ValueError, match=r"Invalid shape for y: \(30, 2, 2\)"):
        KerasClassifier(build_fn=_softmax_model).fit(X, np.zeros((30, 2, 2)))
