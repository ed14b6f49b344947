"""TensorFlow's SAME padding arithmetic, shared by `tf.nn` ops and the Keras layers.

It lives here, below both, so that a `tf.nn.conv2d` call does not import the Keras layers
package to pad.
"""

from __future__ import annotations


def effective_size(kernel: int, dilation: int) -> int:
    """The span of a dilated kernel: d(k - 1) + 1."""
    return dilation * (kernel - 1) + 1


def same_pads(length: int, kernel: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    """TF's 'same' padding: (before, after), the odd cell after.

    Example:
    >>> same_pads(5, 2, 2)
    (0, 1)
    """
    out = -(-length // stride)
    total = max((out - 1) * stride + effective_size(kernel, dilation) - length, 0)
    return total // 2, total - total // 2
