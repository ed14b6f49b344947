"""tf.errors: TensorFlow's constructor, error codes and the classes added for TF 2 scripts."""

import pickle

import pytest

import tork as tf

# (class name, error code) from TensorFlow 2.21 (`tf.errors.X(None, None, "m").error_code`).
TF_CODES = [
    ("CancelledError", 1),
    ("InvalidArgumentError", 3),
    ("NotFoundError", 5),
    ("AlreadyExistsError", 6),
    ("PermissionDeniedError", 7),
    ("ResourceExhaustedError", 8),
    ("FailedPreconditionError", 9),
    ("OutOfRangeError", 11),
    ("UnimplementedError", 12),
    ("InternalError", 13),
    ("DataLossError", 15),
]


@pytest.mark.parametrize("name,code", TF_CODES)
def test_tf_constructor_and_error_code(name, code):
    cls = getattr(tf.errors, name)
    error = cls(None, None, "went wrong")
    assert isinstance(error, tf.errors.OpError)
    assert str(error) == "went wrong"
    assert error.message == "went wrong"
    assert error.node_def is None and error.op is None
    assert error.error_code == code
    assert error.experimental_payloads == {}
    with pytest.raises(cls, match="^went wrong$"):
        raise error


def test_error_code_constants_match_tensorflow():
    assert (tf.errors.OK, tf.errors.CANCELLED, tf.errors.UNKNOWN) == (0, 1, 2)
    assert (tf.errors.FAILED_PRECONDITION, tf.errors.ABORTED, tf.errors.OUT_OF_RANGE) == (9, 10, 11)
    assert (tf.errors.UNIMPLEMENTED, tf.errors.INTERNAL, tf.errors.UNAVAILABLE) == (12, 13, 14)
    assert (tf.errors.DATA_LOSS, tf.errors.UNAUTHENTICATED) == (15, 16)
    assert tf.errors.UnimplementedError.error_code == tf.errors.UNIMPLEMENTED


def test_message_only_form_and_keywords():
    error = tf.errors.FailedPreconditionError("not initialized")
    assert str(error) == "not initialized" and error.op is None
    error = tf.errors.InternalError(node_def="n", op="o", message="m")
    assert (error.node_def, error.op, error.message) == ("n", "o", "m")


def test_errors_keep_python_bases_and_pickle():
    assert issubclass(tf.errors.NotFoundError, FileNotFoundError)
    assert str(tf.errors.NotFoundError(None, None, "no file")) == "no file"
    error = pickle.loads(pickle.dumps(tf.errors.CancelledError(None, None, "stop")))
    assert type(error) is tf.errors.CancelledError and error.message == "stop"


def test_op_error_base_takes_the_error_code():
    # TF 2.21: tf.errors.OpError(None, None, "m", 12).error_code == 12.
    error = tf.errors.OpError(None, None, "m", tf.errors.UNIMPLEMENTED)
    assert (error.error_code, str(error)) == (12, "m")
    assert tf.errors.OpError("only a message").error_code == tf.errors.UNKNOWN


@pytest.mark.parametrize(
    "get, qualname, fix",
    [
        (lambda: tf.compat.v1.placeholder, "tf.compat.v1.placeholder", "keras.Input(shape=...)"),
        (lambda: tf.string_split, "tf.string_split", "tf.strings.split(strings, sep)"),
        (lambda: tf.Session, "tf.Session", "run eagerly"),
    ],
)
def test_removed_tf1_names_point_to_their_tf2_replacement(get, qualname, fix):
    with pytest.raises(AttributeError) as info:
        get()
    assert isinstance(info.value, NotImplementedError)
    assert f"tork does not implement `{qualname}`: " in str(info.value)
    assert fix in str(info.value)
