"""The error raised when a saved file or config cannot be read back."""

from __future__ import annotations


class KerasFileError(ValueError):
    """A Keras file or config cannot be loaded: corrupted, truncated, or not matching the model.

    It is a `ValueError`, like the errors Keras raises for these cases, so
    `except ValueError` catches it. Loading functions raise it instead of the
    low-level errors of zip, HDF5 or JSON readers, and only after checking
    everything, so a model is never left half-loaded.
    """


class UnknownObjectError(KerasFileError, TypeError):
    """A config names a class or function that this process cannot find.

    tf_keras raises `ValueError` for it when loading an HDF5 file ("Unknown layer:
    'MyLayer'") and `TypeError` when loading a `.keras` file or JSON ("Cannot deserialize
    object of type `MyLayer`"), as Keras 3 does: this error is both, so `except ValueError`
    and `except TypeError` both catch it. Its message names the object and says how to
    make it known (`custom_objects=` or `@keras.saving.register_keras_serializable()`).
    """


__all__ = ["KerasFileError", "UnknownObjectError"]
