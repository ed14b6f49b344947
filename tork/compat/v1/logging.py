"""`tf.compat.v1.logging`: TensorFlow 1's log calls, on the `tensorflow` Python logger.

Scripts call `tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.ERROR)`
to quiet TensorFlow. tork logs (little) through the standard `logging` module
under the name `tensorflow`, the same logger `tf.get_logger()` returns, so the
level set here applies to it.
"""

import logging as _logging

DEBUG = _logging.DEBUG
INFO = _logging.INFO
WARN = _logging.WARN
WARNING = _logging.WARNING
ERROR = _logging.ERROR
FATAL = _logging.FATAL


def get_logger() -> _logging.Logger:
    """The `tensorflow` logger (what `tf.get_logger()` returns)."""
    return _logging.getLogger("tensorflow")


def set_verbosity(v) -> None:
    """Sets the `tensorflow` logger's level (`DEBUG`, `INFO`, `WARN`, `ERROR`, `FATAL`)."""
    get_logger().setLevel(v)


def get_verbosity() -> int:
    """The `tensorflow` logger's effective level."""
    return get_logger().getEffectiveLevel()


def debug(msg, *args, **kwargs) -> None:
    """Logs `msg % args` at DEBUG level."""
    get_logger().debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs) -> None:
    """Logs `msg % args` at INFO level."""
    get_logger().info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs) -> None:
    """Logs `msg % args` at WARNING level."""
    get_logger().warning(msg, *args, **kwargs)


warn = warning


def error(msg, *args, **kwargs) -> None:
    """Logs `msg % args` at ERROR level."""
    get_logger().error(msg, *args, **kwargs)


__all__ = [
    "DEBUG",
    "ERROR",
    "FATAL",
    "INFO",
    "WARN",
    "WARNING",
    "debug",
    "error",
    "get_logger",
    "get_verbosity",
    "info",
    "set_verbosity",
    "warn",
    "warning",
]
