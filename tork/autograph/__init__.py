"""`tf.autograph`: tork runs Python code as written, so there is nothing to convert.

TensorFlow's AutoGraph rewrites Python control flow into graph ops inside
`tf.function`. tork's `tf.function` runs the Python function itself (or hands
it to `torch.compile`), so these functions only keep TensorFlow code working.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.autograph import experimental
from tork.autograph._conversion import to_code, to_graph

__all__ = ["experimental", "set_verbosity", "to_code", "to_graph"]


def set_verbosity(level: int, alsologtostdout: bool = False) -> None:
    """Accepted and ignored: tork has no AutoGraph conversion to log.

    Args:
        level: TensorFlow's AutoGraph log level; ignored.
        alsologtostdout: whether TensorFlow would also print to stdout; ignored.

    Example:
    >>> tf.autograph.set_verbosity(0)
    """
    del level, alsologtostdout


__getattr__ = _module_getattr("tf.autograph")
