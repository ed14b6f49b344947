"""Keras 3's scikit-learn wrappers: `SKLearnClassifier`, `SKLearnRegressor`, `SKLearnTransformer`.

They are scikit-learn estimators (`get_params`, `clone`, pipelines, grid searches): `fit`
makes the model (calling `model(X=..., y=..., **model_kwargs)`, or cloning a compiled
model), trains it with `fit_kwargs` and keeps it as `model_`, its `History` as `history_`.
They need scikit-learn installed.
"""

from __future__ import annotations

import numpy as np

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
    from sklearn.preprocessing import OneHotEncoder
    from sklearn.utils.validation import check_array, check_is_fitted, check_X_y
except ImportError:  # pragma: no cover - scikit-learn is a test dependency
    _SKLEARN = False

    class BaseEstimator:
        def __init__(self, *args, **kwargs) -> None:
            raise ImportError(
                f"keras.wrappers.{type(self).__name__} needs scikit-learn: pip install scikit-learn"
            )

    class ClassifierMixin:
        pass

    class RegressorMixin:
        pass

    class TransformerMixin:
        pass

else:
    _SKLEARN = True

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]


class _SKLearnWrapper(BaseEstimator):
    """Model making, fitting and input checks shared by the three wrappers."""

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None) -> None:
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _make_model(self, X, y):
        from tork.keras.models.model import Model

        if isinstance(self.model, Model):
            if self.warm_start:
                return self.model
            if not getattr(self.model, "compiled", False):
                raise ValueError(
                    f"{type(self).__name__}: the model passed as `model` must be compiled "
                    "(model.compile(...)) before it is wrapped, or pass a function that "
                    "returns a compiled model."
                )
            from tork.keras.saving.clone import clone_model

            fresh = clone_model(self.model)
            fresh.compile_from_config(self.model.get_compile_config())
            return fresh
        if not callable(self.model):
            raise TypeError(
                f"{type(self).__name__}: `model` must be a compiled keras.Model or a "
                f"function returning one, got {self.model!r:.80}."
            )
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def fit(self, X, y, **kwargs):
        """Makes the model and trains it on `(X, y)` (the classifier encodes `y` first).

        Args:
            X: `(n_samples, n_features)` data.
            y: `(n_samples,)` or `(n_samples, n_outputs)` targets.
            **kwargs: `model.fit` arguments, over `fit_kwargs`.

        Returns:
            `self`.

        Example:
        >>> reg.fit(X, y)
        """
        X, y = self._validated(X, y)
        y = np.asarray(y)
        self._single_output = y.ndim == 1 or y.shape[1] == 1
        return self._fit(X, _as_columns(y), kwargs)

    def _fit(self, X, y, kwargs):
        if self.warm_start and hasattr(self, "model_"):
            model = self.model_
        else:
            model = self._make_model(X, y)
        fit_kwargs = {**(self.fit_kwargs or {}), **kwargs}
        self.history_ = model.fit(X, y, **fit_kwargs)
        self.model_ = model
        return self

    def _checked_X(self, X):
        check_is_fitted(self)
        X = check_array(X)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input."
            )
        return X

    def _validated(self, X, y):
        X, y = check_X_y(X, y, multi_output=True, y_numeric=not self._keeps_label_dtype)
        self.n_features_in_ = X.shape[1]
        return X, y

    _keeps_label_dtype = False


def _as_columns(y: np.ndarray) -> np.ndarray:
    return y.reshape(-1, 1) if y.ndim == 1 else y


class SKLearnClassifier(ClassifierMixin, _SKLearnWrapper):
    """scikit-learn classifier wrapper for a Keras model (Keras 3).

    Labels (any values: strings, integers) are one-hot encoded for training, so the model
    ends in one unit per class (`y.shape[1]` in the model function) and is compiled with
    `categorical_crossentropy`; `classes_` holds the labels in sorted order and `predict`
    returns them.

    Args:
        model: a compiled `keras.Model` (cloned for each `fit` unless `warm_start`), or a
            function called as `model(X=X, y=y, **model_kwargs)` returning a compiled
            model (`y` one-hot encoded).
        warm_start: keep training the same model on later `fit` calls.
        model_kwargs: more keyword arguments for the model function.
        fit_kwargs: keyword arguments for `model.fit` (`epochs`, `batch_size`,
            `verbose`...); those given to `fit` take precedence.

    Example:
    >>> def make_model(X, y):
    ...     model = keras.Sequential([keras.Input((X.shape[1],)),
    ...                               keras.layers.Dense(y.shape[1], "softmax")])
    ...     model.compile("adam", "categorical_crossentropy")
    ...     return model
    >>> clf = keras.wrappers.SKLearnClassifier(make_model, fit_kwargs={"epochs": 5})
    >>> clf.fit(X, ["cat", "dog", ...]).predict(X[:2])
    """

    _keeps_label_dtype = True

    def fit(self, X, y, **kwargs):
        """One-hot encodes the labels, makes the model and trains it.

        Args:
            X: `(n_samples, n_features)` data.
            y: `(n_samples,)` labels (or `(n_samples, n_outputs)`).
            **kwargs: `model.fit` arguments, over `fit_kwargs`.

        Returns:
            `self`.

        Example:
        >>> clf.fit(X, y)
        """
        X, y = self._validated(X, y)
        y = np.asarray(y)
        self._single_output = y.ndim == 1 or y.shape[1] == 1
        self._encoder = OneHotEncoder(sparse_output=False).fit(_as_columns(y))
        categories = self._encoder.categories_
        self.classes_ = categories[0] if self._single_output else categories
        return self._fit(X, self._encoder.transform(_as_columns(y)), kwargs)

    def predict(self, X):
        """Returns the predicted labels.

        Args:
            X: `(n_samples, n_features)` data.

        Returns:
            `(n_samples,)` labels, values of `classes_`.

        Raises:
            NotFittedError: before `fit`.
            ValueError: `X` with another number of features than in `fit`.

        Example:
        >>> clf.predict(X[:3])
        """
        X = self._checked_X(X)
        scores = np.asarray(self.model_.predict(X))
        labels = self._encoder.inverse_transform(scores)
        return labels.ravel() if self._single_output else labels


class SKLearnRegressor(RegressorMixin, _SKLearnWrapper):
    """scikit-learn regressor wrapper for a Keras model (Keras 3).

    Args:
        model: a compiled `keras.Model` (cloned for each `fit` unless `warm_start`), or a
            function called as `model(X=X, y=y, **model_kwargs)` returning a compiled
            model (`y` of shape `(n_samples, n_outputs)`).
        warm_start: keep training the same model on later `fit` calls.
        model_kwargs: more keyword arguments for the model function.
        fit_kwargs: keyword arguments for `model.fit`; those given to `fit` take
            precedence.

    Example:
    >>> reg = keras.wrappers.SKLearnRegressor(make_model, fit_kwargs={"epochs": 5})
    >>> sklearn.model_selection.cross_val_score(reg, X, y, cv=3)  # R^2 scores
    """

    def predict(self, X):
        """Returns the model's predictions, `(n_samples,)` for a single target.

        Args:
            X: `(n_samples, n_features)` data.

        Returns:
            The predictions.

        Example:
        >>> reg.predict(X[:3]).shape
        (3,)
        """
        X = self._checked_X(X)
        out = np.asarray(self.model_.predict(X))
        return out.ravel() if self._single_output else out


class SKLearnTransformer(TransformerMixin, _SKLearnWrapper):
    """scikit-learn transformer wrapper for a Keras model (Keras 3): `transform` predicts.

    Use it to put a trained Keras model (an encoder, say) in a scikit-learn pipeline.

    Args:
        model: a compiled `keras.Model` (cloned for each `fit` unless `warm_start`), or a
            function called as `model(X=X, y=y, **model_kwargs)` returning a compiled
            model.
        warm_start: keep training the same model on later `fit` calls.
        model_kwargs: more keyword arguments for the model function.
        fit_kwargs: keyword arguments for `model.fit`.

    Example:
    >>> pipe = sklearn.pipeline.make_pipeline(
    ...     keras.wrappers.SKLearnTransformer(make_encoder), sklearn.linear_model.Ridge())
    """

    def transform(self, X):
        """Returns the model's outputs for `X`.

        Args:
            X: `(n_samples, n_features)` data.

        Returns:
            `model_.predict(X)`.

        Example:
        >>> transformer.transform(X[:3])
        """
        X = self._checked_X(X)
        return np.asarray(self.model_.predict(X))
