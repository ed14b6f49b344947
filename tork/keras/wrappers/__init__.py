"""`keras.wrappers`: scikit-learn wrappers for Keras models.

Keras 3's `SKLearnClassifier`, `SKLearnRegressor` and `SKLearnTransformer`, and Keras 2's
`scikit_learn` module (`KerasClassifier`, `KerasRegressor` with a `build_fn`).
"""

from tork.keras.wrappers import scikit_learn
from tork.keras.wrappers.sklearn_wrapper import (
    SKLearnClassifier,
    SKLearnRegressor,
    SKLearnTransformer,
)

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer", "scikit_learn"]
