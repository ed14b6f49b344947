"""`tensorflow.python.ops.custom_gradient`: `custom_gradient` and `recompute_grad`.

The public decorators are tork's; TensorFlow's private graph-mode and eager-mode helpers
import but raise `NotImplementedError` (naming `tf.custom_gradient`) when called.
"""

from __future__ import annotations

from tork._tf_python._unsupported import unsupported
from tork.ops.custom_gradient import custom_gradient, recompute_grad

_PREFIX = "tensorflow.python.ops.custom_gradient."
_ALTERNATIVE = (
    "Decorate the function with `@tf.custom_gradient` (it runs eagerly and in Keras "
    "layers), or use `tf.recompute_grad(fn)` to recompute the forward pass in backprop."
)

_graph_mode_decorator = unsupported(_PREFIX + "_graph_mode_decorator", _ALTERNATIVE)
_eager_mode_decorator = unsupported(_PREFIX + "_eager_mode_decorator", _ALTERNATIVE)

__all__ = ["custom_gradient", "recompute_grad"]
