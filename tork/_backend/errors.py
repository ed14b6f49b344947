"""Errors shared by every part of tork."""

# TensorFlow's canonical error codes (`tf.errors.CANCELLED`...), the `error_code` of each class.
OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """Base of TensorFlow's `tf.errors` classes.

    Takes TensorFlow's arguments, `(node_def, op, message)`, or just a message
    (how tork raises them itself). `str(error)` and `error.message` are the
    message; `node_def` and `op` are whatever was given (tork has no graph
    nodes, so its own errors carry None).

    Example:
    >>> raise tf.errors.UnimplementedError(None, None, "no kernel for this op")
    """

    error_code = UNKNOWN

    def __init__(self, *args, **kwargs):
        if len(args) >= 3 or kwargs:
            names = ("node_def", "op", "message")
            if type(self) is OpError:
                # TensorFlow's base class also takes the error code: OpError(n, op, msg, code).
                names += ("error_code",)
            given = dict(zip(names, args))
            given.update(kwargs)
            self._node_def = given.get("node_def")
            self._op = given.get("op")
            message = given.get("message", "")
            if "error_code" in given:
                self.error_code = given["error_code"]
            super().__init__(message)
        else:
            self._node_def = None
            self._op = None
            super().__init__(*args)

    @property
    def message(self) -> str:
        """The error message, without the traceback."""
        return str(self.args[0]) if self.args else ""

    @property
    def op(self):
        """The op that failed: None in tork (there is no graph)."""
        return self._op

    @property
    def node_def(self):
        """The failed op's NodeDef: None in tork."""
        return self._node_def

    @property
    def experimental_payloads(self) -> dict:
        """TensorFlow's status payloads: always empty in tork."""
        return {}

    def __str__(self) -> str:
        return self.message


class CancelledError(OpError):
    """An operation or step was cancelled (`tf.errors.CancelledError`)."""

    error_code = CANCELLED


class FailedPreconditionError(OpError):
    """The system is not in a state the operation needs, e.g. an uninitialized value."""

    error_code = FAILED_PRECONDITION


class UnimplementedError(OpError):
    """The operation is not implemented or not supported (`tf.errors.UnimplementedError`)."""

    error_code = UNIMPLEMENTED


class InternalError(OpError):
    """An internal invariant of the runtime broke (`tf.errors.InternalError`)."""

    error_code = INTERNAL


class InvalidArgumentError(OpError, ValueError):
    """A value given to an op is invalid (TensorFlow's `tf.errors.InvalidArgumentError`).

    It is a `ValueError`, so `except ValueError` also catches it.
    """

    error_code = INVALID_ARGUMENT


class OutOfRangeError(OpError, IndexError):
    """An iterator or index ran past its end (`tf.errors.OutOfRangeError`)."""

    error_code = OUT_OF_RANGE


class NotFoundError(OpError, FileNotFoundError):
    """A file or resource was not found (`tf.errors.NotFoundError`)."""

    error_code = NOT_FOUND


class AlreadyExistsError(OpError, FileExistsError):
    """A file or directory already exists (`tf.errors.AlreadyExistsError`)."""

    error_code = ALREADY_EXISTS


class PermissionDeniedError(OpError, PermissionError):
    """An operation is not allowed, e.g. by a file's mode (`tf.errors.PermissionDeniedError`)."""

    error_code = PERMISSION_DENIED


class ResourceExhaustedError(OpError, MemoryError):
    """A device ran out of memory (`tf.errors.ResourceExhaustedError`)."""

    error_code = RESOURCE_EXHAUSTED


class DataLossError(OpError, ValueError):
    """A file is truncated or corrupt (TensorFlow's `tf.errors.DataLossError`)."""

    error_code = DATA_LOSS


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
    hint = _REPLACEMENTS.get(qualname)
    if hint is not None:
        return TorkNotImplementedError(f"tork does not implement `{qualname}`: {hint}")
    return TorkNotImplementedError(
        f"tork does not implement `{qualname}` yet. See docs/compatibility.md for what is "
        "available, or write it with torch: tork tensors are plain torch.Tensors."
    )


_PLACEHOLDER = (
    "TF 1 graphs fed placeholders through a session. In TensorFlow 2 (and tork), pass the "
    "values as function arguments, or use `keras.Input(shape=...)` for a model's inputs."
)
_SESSION = (
    "TensorFlow 2 (and tork) run eagerly, with no graph or session: call the functions and "
    "read results with `.numpy()`."
)
_ELEMENT_SPEC = (
    "TensorFlow 2 removed it: read `dataset.element_spec` (a tf.TensorSpec, or a structure "
    "of them, each with `.{1}`), or call `tf.compat.v1.data.get_output_{0}(dataset)`."
)
_ITERATOR = (
    "TensorFlow 2 removed it: iterate with `for element in dataset:`, or `it = iter(dataset)` "
    "then `next(it)` (`tf.compat.v1.data.make_one_shot_iterator(dataset)` also works)."
)
# TF 1 names TensorFlow 2 removed or moved: what to write instead.
_REPLACEMENTS = {
    "tf.placeholder": _PLACEHOLDER,
    "tf.compat.v1.placeholder": _PLACEHOLDER,
    "tf.Session": _SESSION,
    "tf.compat.v1.Session": _SESSION,
    "tf.string_split": "TensorFlow 2 removed it: use `tf.strings.split(strings, sep)`.",
    "tf.data.Dataset.output_shapes": _ELEMENT_SPEC.format("shapes", "shape"),
    "tf.data.Dataset.output_types": _ELEMENT_SPEC.format("types", "dtype"),
    "tf.data.Dataset.output_classes": _ELEMENT_SPEC.format("classes", "value_type"),
    "tf.data.Dataset.make_one_shot_iterator": _ITERATOR,
    "tf.data.Dataset.make_initializable_iterator": _ITERATOR,
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
