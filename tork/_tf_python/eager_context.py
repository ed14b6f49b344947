"""`tensorflow.python.eager.context`: the eager-mode query libraries import from here.

TensorFlowTTS's utilities (and other TF 2 libraries) call `context.executing_eagerly()`;
tork always runs eagerly.
"""

from __future__ import annotations


def executing_eagerly() -> bool:
    """Returns True: tork runs every op eagerly (as `tf.executing_eagerly()`).

    Example:
    >>> from tensorflow.python.eager import context
    >>> context.executing_eagerly()
    True
    """
    return True
