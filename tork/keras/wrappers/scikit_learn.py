"""`tf.keras.wrappers.scikit_learn` (Keras 2): `KerasClassifier` and `KerasRegressor`.

TensorFlow 2.12 removed these (pointing to SciKeras); the many older programs that run a
`GridSearchCV` or `cross_val_score` over a `build_fn` still work with tork. The wrappers
keep Keras 2's contract: `build_fn` makes a compiled model, every other constructor
argument (`sk_params`) goes to `build_fn`, `fit`, `predict` or `evaluate`, whichever
accepts it by name.
"""

from __future__ import annotations

import inspect
import types

import numpy as np

try:  # sklearn's estimator tags (classifier or regressor) guide its model selection tools
    from sklearn.base import BaseEstimator as _Estimator
    from sklearn.base import ClassifierMixin as _ClassifierMixin
    from sklearn.base import RegressorMixin as _RegressorMixin
except ImportError:  # the wrappers still work by duck typing without scikit-learn

    class _Estimator:
        pass

    class _ClassifierMixin:
        pass

    class _RegressorMixin:
        pass


__all__ = ["KerasClassifier", "KerasRegressor"]

# Keras 2's Sequential.fit/predict/evaluate arguments that tork takes through **kwargs.
_KERAS2_ONLY = ("max_queue_size", "workers", "use_multiprocessing")


def _named_args(fn) -> set:
    """The argument names `fn` takes by name (not through `**kwargs`)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return set()
    return {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _model_methods() -> tuple:
    from tork.keras.models.sequential import Sequential

    return (Sequential.fit, Sequential.predict, Sequential.evaluate)


class _KerasWrapper(_Estimator):
    """The parameter handling and `fit` shared by `KerasClassifier` and `KerasRegressor`."""

    def __init__(self, build_fn=None, **sk_params) -> None:
        self.build_fn = build_fn
        self.sk_params = sk_params
        self.check_params(sk_params)

    def _build_target(self):
        """The function whose arguments are model parameters (Keras 2's rule)."""
        if self.build_fn is None:
            return self.__call__
        if isinstance(self.build_fn, (types.FunctionType, types.MethodType)):
            return self.build_fn
        return self.build_fn.__call__

    def check_params(self, params: dict) -> None:
        """Raises for a parameter neither the model builder nor fit/predict/evaluate takes.

        Args:
            params: parameter names and values.

        Raises:
            ValueError: naming the parameter that is not legal.

        Example:
        >>> KerasClassifier(build_fn=make_model, epochs=5).check_params({"epochs": 1})
        """
        legal = set(_KERAS2_ONLY)
        for fn in (*_model_methods(), self._build_target()):
            legal |= _named_args(fn)
        for name in params:
            if name not in legal:
                raise ValueError(
                    f"{name} is not a legal parameter: {type(self).__name__}'s parameters "
                    "are the arguments of build_fn and of Model.fit/predict/evaluate."
                )

    def get_params(self, **params) -> dict:
        """Returns the constructor's parameters (`build_fn` and the `sk_params`).

        Args:
            **params: ignored (scikit-learn passes `deep`).

        Returns:
            A dict that rebuilds an equal wrapper: `type(w)(**w.get_params())`.

        Example:
        >>> KerasRegressor(build_fn=make_model, epochs=2).get_params()["epochs"]
        2
        """
        del params
        # The very objects given: scikit-learn's clone checks identity.
        result = dict(self.sk_params)
        result["build_fn"] = self.build_fn
        return result

    def set_params(self, **params):
        """Updates the `sk_params` (as `GridSearchCV` does) and returns the wrapper.

        Args:
            **params: parameters to set.

        Returns:
            `self`.

        Raises:
            ValueError: a parameter that is not legal.

        Example:
        >>> wrapper.set_params(epochs=10)
        """
        self.check_params(params)
        self.sk_params.update(params)
        return self

    def filter_sk_params(self, fn, override: dict | None = None) -> dict:
        """The `sk_params` that `fn` takes by name, updated with `override`.

        Args:
            fn: a function.
            override: values that replace (or add to) the filtered parameters.

        Returns:
            A dict of keyword arguments for `fn`.

        Example:
        >>> wrapper.filter_sk_params(keras.Sequential.fit)
        {'epochs': 2}
        """
        accepted = _named_args(fn) | (set(_KERAS2_ONLY) if fn in _model_methods()[:1] else set())
        result = {k: v for k, v in self.sk_params.items() if k in accepted}
        result.update(override or {})
        return result

    def _make_model(self):
        target = self._build_target()
        if self.build_fn is None:
            return self.__call__(**self.filter_sk_params(target))
        return self.build_fn(**self.filter_sk_params(target))

    def fit(self, x, y, **kwargs):
        """Builds a new model with `build_fn` and trains it on `(x, y)`.

        Args:
            x: `(n_samples, n_features)` training data.
            y: `(n_samples,)` or `(n_samples, n_outputs)` targets.
            **kwargs: `Model.fit` arguments; they override the `sk_params`.

        Returns:
            The `History` of the training.

        Example:
        >>> history = KerasRegressor(build_fn=make_model, epochs=2).fit(x, y)
        """
        self.model = self._make_model()
        if _is_categorical_crossentropy(getattr(self.model, "loss", None)) and np.ndim(y) != 2:
            from tork.keras.utils import to_categorical

            y = to_categorical(y)
        from tork.keras.models.sequential import Sequential

        fit_args = self.filter_sk_params(Sequential.fit, kwargs)
        return self.model.fit(x, y, **fit_args)

    def __sklearn_is_fitted__(self) -> bool:
        # scikit-learn's own test (attributes ending in "_") misses Keras 2's `model`.
        return getattr(self, "model", None) is not None

    def _check_fitted(self) -> None:
        if getattr(self, "model", None) is None:
            raise AttributeError(
                f"This {type(self).__name__} has no model yet: call fit(x, y) before predict/score."
            )


def _is_categorical_crossentropy(loss) -> bool:
    name = loss if isinstance(loss, str) else getattr(loss, "__name__", None)
    if name is None and loss is not None:
        from tork.keras.losses import CategoricalCrossentropy

        return isinstance(loss, CategoricalCrossentropy)
    return name in ("categorical_crossentropy", "CategoricalCrossentropy")


class KerasClassifier(_ClassifierMixin, _KerasWrapper):
    """scikit-learn classifier API for a Keras model (Keras 2's wrapper).

    Labels may be any sortable values (`classes_` holds them, sorted); they are encoded as
    their indices in `classes_` for training, and one-hot when the model's loss is
    `categorical_crossentropy`. `predict` maps the model's output back to labels.

    Args:
        build_fn: a function (or callable object) returning a compiled model; None uses
            the subclass's `__call__`.
        **sk_params: arguments of `build_fn` and of `Model.fit`/`predict`/`evaluate`
            (`epochs`, `batch_size`, `verbose`...), by name.

    Example:
    >>> def make_model(units=8):
    ...     model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(units, "relu"),
    ...                               keras.layers.Dense(3, "softmax")])
    ...     model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    ...     return model
    >>> clf = KerasClassifier(build_fn=make_model, epochs=5, verbose=0)
    >>> scores = sklearn.model_selection.cross_val_score(clf, x, y, cv=3)
    """

    def fit(self, x, y, sample_weight=None, **kwargs):
        """Encodes the labels, builds a new model and trains it.

        Args:
            x: `(n_samples, n_features)` training data.
            y: `(n_samples,)` labels, or `(n_samples, n_classes)` one-hot labels.
            sample_weight: optional per-sample weights.
            **kwargs: `Model.fit` arguments; they override the `sk_params`.

        Returns:
            The `History` of the training.

        Raises:
            ValueError: `y` of another shape.

        Example:
        >>> history = clf.fit(x, y)
        """
        y = np.array(y)
        if y.ndim == 2 and y.shape[1] > 1:
            self.classes_ = np.arange(y.shape[1])
        elif y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1):
            self.classes_ = np.unique(y)
            y = np.searchsorted(self.classes_, y)
        else:
            raise ValueError(
                f"Invalid shape for y: {y.shape}; KerasClassifier takes labels of shape "
                "(n_samples,) or one-hot labels (n_samples, n_classes)."
            )
        self.n_classes_ = len(self.classes_)
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return super().fit(x, y, **kwargs)

    def predict(self, x, **kwargs):
        """Returns the predicted labels (values of `classes_`).

        Args:
            x: `(n_samples, n_features)` data.
            **kwargs: `Model.predict` arguments.

        Returns:
            `(n_samples,)` labels: the argmax of a multi-unit output, or output > 0.5
            for a single sigmoid unit.

        Example:
        >>> clf.predict(x[:3])
        """
        self._check_fitted()
        from tork.keras.models.sequential import Sequential

        proba = np.asarray(
            self.model.predict(x, **self.filter_sk_params(Sequential.predict, kwargs))
        )
        if proba.shape[-1] > 1:
            indices = proba.argmax(axis=-1)
        else:
            indices = (proba > 0.5).astype("int32")
        return self.classes_[indices]

    def predict_proba(self, x, **kwargs):
        """Returns class probabilities, one column per class.

        Args:
            x: `(n_samples, n_features)` data.
            **kwargs: `Model.predict` arguments.

        Returns:
            `(n_samples, n_classes)` probabilities; a single sigmoid output `p` becomes the
            two columns `[1 - p, p]`.

        Example:
        >>> clf.predict_proba(x[:3]).shape
        (3, 3)
        """
        self._check_fitted()
        from tork.keras.models.sequential import Sequential

        probs = np.asarray(
            self.model.predict(x, **self.filter_sk_params(Sequential.predict, kwargs))
        )
        if probs.shape[1] == 1:
            probs = np.hstack([1 - probs, probs])
        return probs

    def score(self, x, y, **kwargs):
        """Returns the model's accuracy on `(x, y)` (from `Model.evaluate`).

        Args:
            x: `(n_samples, n_features)` data.
            y: `(n_samples,)` labels (values of `classes_`).
            **kwargs: `Model.evaluate` arguments.

        Returns:
            The accuracy, a float.

        Raises:
            ValueError: the model was compiled without an accuracy metric.

        Example:
        >>> clf.score(x, y)
        """
        self._check_fitted()
        from tork.keras.models.sequential import Sequential

        y = np.searchsorted(self.classes_, y)
        if _is_categorical_crossentropy(getattr(self.model, "loss", None)) and y.ndim != 2:
            from tork.keras.utils import to_categorical

            y = to_categorical(y, num_classes=self.n_classes_)
        kwargs = self.filter_sk_params(Sequential.evaluate, kwargs)
        kwargs["return_dict"] = True
        logs = self.model.evaluate(x, y, **kwargs)
        for name in ("accuracy", "acc"):
            if name in logs:
                return float(logs[name])
        raise ValueError(
            "The model is not configured to compute accuracy. You should pass "
            '`metrics=["accuracy"]` to the `model.compile()` method.'
        )


class KerasRegressor(_RegressorMixin, _KerasWrapper):
    """scikit-learn regressor API for a Keras model (Keras 2's wrapper).

    Args:
        build_fn: a function (or callable object) returning a compiled model; None uses
            the subclass's `__call__`.
        **sk_params: arguments of `build_fn` and of `Model.fit`/`predict`/`evaluate`
            (`epochs`, `batch_size`, `verbose`...), by name.

    Example:
    >>> def make_model():
    ...     model = keras.Sequential([keras.Input((13,)), keras.layers.Dense(1)])
    ...     model.compile("adam", "mse")
    ...     return model
    >>> reg = KerasRegressor(build_fn=make_model, epochs=10, batch_size=5, verbose=0)
    >>> scores = sklearn.model_selection.cross_val_score(reg, x, y, cv=5)  # -MSE
    """

    def predict(self, x, **kwargs):
        """Returns the model's predictions with axes of size 1 squeezed out.

        Args:
            x: `(n_samples, n_features)` data.
            **kwargs: `Model.predict` arguments.

        Returns:
            `(n_samples,)` predictions for a single output unit.

        Example:
        >>> reg.predict(x[:3]).shape
        (3,)
        """
        self._check_fitted()
        from tork.keras.models.sequential import Sequential

        kwargs = self.filter_sk_params(Sequential.predict, kwargs)
        return np.squeeze(np.asarray(self.model.predict(x, **kwargs)))

    def score(self, x, y, **kwargs):
        """Returns minus the model's loss on `(x, y)` (greater is better, for scikit-learn).

        Args:
            x: `(n_samples, n_features)` data.
            y: `(n_samples,)` targets.
            **kwargs: `Model.evaluate` arguments.

        Returns:
            `-loss`, a float.

        Example:
        >>> reg.score(x, y)
        """
        self._check_fitted()
        from tork.keras.models.sequential import Sequential

        loss = self.model.evaluate(x, y, **self.filter_sk_params(Sequential.evaluate, kwargs))
        if isinstance(loss, list):
            return -float(loss[0])
        return -float(loss)
