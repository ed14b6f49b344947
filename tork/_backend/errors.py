"""Errors shared by every part of tork."""


class OpError(Exception):
    """Base of TensorFlow's `tf.errors` classes."""


class InvalidArgumentError(OpError, ValueError):
    """A value given to an op is invalid (TensorFlow's `tf.errors.InvalidArgumentError`).

    It is a `ValueError`, so `except ValueError` also catches it.
    """


class OutOfRangeError(OpError, IndexError):
    """An iterator or index ran past its end (`tf.errors.OutOfRangeError`)."""


class NotFoundError(OpError, FileNotFoundError):
    """A file or resource was not found (`tf.errors.NotFoundError`)."""


class AlreadyExistsError(OpError, FileExistsError):
    """A file or directory already exists (`tf.errors.AlreadyExistsError`)."""


class PermissionDeniedError(OpError, PermissionError):
    """An operation is not allowed, e.g. by a file's mode (`tf.errors.PermissionDeniedError`)."""


class ResourceExhaustedError(OpError, MemoryError):
    """A device ran out of memory (`tf.errors.ResourceExhaustedError`)."""


class DataLossError(OpError, ValueError):
    """A file is truncated or corrupt (TensorFlow's `tf.errors.DataLossError`)."""


class TorkNotImplementedError(NotImplementedError, AttributeError):
    """Raised for a tf/keras API that tork does not implement yet.

    It is also an `AttributeError`, so `hasattr(tf, "name")` stays False for
    names tork lacks instead of raising.
    """


def not_implemented(qualname: str) -> TorkNotImplementedError:
    """Returns the error for an unimplemented tf/keras name.

    Args:
        qualname: the public name the user reached for, e.g. `"tf.raw_ops"`.

    Returns:
        A `TorkNotImplementedError` to raise.
    """
    hint = _HINTS.get(qualname)
    if hint is not None:
        return TorkNotImplementedError(f"tork does not implement `{qualname}`: {hint}")
    return TorkNotImplementedError(
        f"tork does not implement `{qualname}` yet. See docs/compatibility.md for what is "
        "available, or write it with torch: tork tensors are plain torch.Tensors."
    )


# Names whose replacement is better said than "not yet".
_HINTS = {
    "tf.keras.wrappers": (
        "TensorFlow removed it in 2.12 (KerasClassifier/KerasRegressor), and scikeras wraps "
        "the real Keras only. Write a small scikit-learn estimator (a BaseEstimator with "
        "fit/predict calling model.fit/model.predict) around your tork model."
    ),
}


def module_getattr(prefix: str):
    """Makes a module `__getattr__` that names the missing tf API.

    Args:
        prefix: the public prefix of the module, e.g. `"tf.math"`.

    Returns:
        A function suitable as a module-level `__getattr__`.
    """

    def __getattr__(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        raise not_implemented(f"{prefix}.{name}")

    return __getattr__
