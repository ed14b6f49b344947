"""Keras 2's premade models: `LinearModel` and `WideDeepModel` (`tf.keras.experimental`)."""

from tork.keras.premade_models.linear import LinearModel
from tork.keras.premade_models.wide_deep import WideDeepModel

__all__ = ["LinearModel", "WideDeepModel"]
