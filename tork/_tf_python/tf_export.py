"""`tensorflow.python.util.tf_export`: the API-export decorators library code applies.

Libraries that copied TF or Keras source (TensorFlowTTS's utilities) decorate their
classes with `@keras_export("keras.layers.X")`; the decorators only register public names
in TensorFlow's build, so here they return the object unchanged.
"""

from __future__ import annotations

from collections.abc import Callable


def tf_export(*names, **kwargs) -> Callable:
    """A decorator factory returning the decorated object unchanged.

    Args:
        *names: the public names TensorFlow would export it under (ignored).
        **kwargs: `v1=`, `allow_multiple_exports=`... (ignored).

    Returns:
        A decorator that returns its argument.

    Example:
    >>> @tf_export("math.my_op")
    ... def my_op(x):
    ...     return x
    """
    del names, kwargs
    return lambda obj: obj


keras_export = tf_export
estimator_export = tf_export
