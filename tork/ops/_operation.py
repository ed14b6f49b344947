"""`tf.Operation`: the name only, so that annotations and `isinstance` checks work.

TensorFlow's graph nodes do not exist in tork: ops run eagerly on torch tensors and return
their results, and a Keras metric's `update_state` returns `None` as TensorFlow's eager
mode does. Library code still names the class at import time, in return annotations
(`def update_state(...) -> tf.Operation`, TensorFlow Recommenders) and in
`isinstance(x, tf.Operation)` checks, which are then always false.
"""


class Operation:
    """TensorFlow's graph operation type; tork has no graph operations.

    Nothing in tork is an `Operation`: the class exists so that code naming it in
    annotations or `isinstance` checks imports and runs.

    Example:
    >>> isinstance(tf.constant(1.0), tf.Operation)
    False
    """

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            "tf.Operation: tork runs every op eagerly on torch tensors and has no graph "
            "operations to construct. Call the op itself (its result is a tensor)."
        )
