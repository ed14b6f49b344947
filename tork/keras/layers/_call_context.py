"""State shared by nested layer calls: the training flag and the stack of layers being called.

A plain module-level object rather than a thread-local: it is read on every
layer call, and torch data parallelism runs one process per replica.
"""

from __future__ import annotations


class _CallContext:
    __slots__ = ("training", "stack", "in_build", "symbolic", "learning_phase", "data_step")

    def __init__(self):
        self.training = None
        # Keras 2's global learning phase (`keras.backend.set_learning_phase`): None when
        # never set, else 0 or 1, used by calls given no `training` and no outer value.
        self.learning_phase = None
        # Set while fit/evaluate/predict run a step on a batch: no symbolic tensor belongs
        # there (see functional/node.py, a keras.Input captured by a loss).
        self.data_step = 0
        self.stack: list = []
        self.in_build = 0
        self.symbolic = 0


CONTEXT = _CallContext()


def where(layer) -> str:
    """Names a layer and the model that is calling it, for error messages.

    For example `Add layer 'add' in SkipConnectionModel.call`.
    """
    text = f"{type(layer).__name__} layer '{layer.name}'"
    stack = CONTEXT.stack
    outer = None
    for candidate in reversed(stack):
        if candidate is not layer:
            outer = candidate
            break
    if outer is not None:
        text += f" in {type(outer).__name__}.call"
    return text
