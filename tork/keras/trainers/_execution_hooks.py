"""Batch callback hooks grouped by `steps_per_execution`, as Keras 2 calls them.

Keras 2 runs `steps_per_execution` steps in one compiled call and calls the batch hooks
around that call only: `on_*_batch_begin` with the first step's index and `on_*_batch_end`
with the last step's index and the logs after it (for predict, the group's outputs joined
along the batch axis). tork runs the steps one by one; this helper drops the hook calls
inside a group so that callbacks see what they see in Keras 2 (counts, indices, logs).
"""

from __future__ import annotations


def _steps_per_execution(model) -> int:
    """The compiled `steps_per_execution` as an int >= 1 (1 for "auto" or none)."""
    config = model.__dict__.get("_tork_compile_config") or {}
    value = config.get("steps_per_execution", 1)
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(value)
        except (TypeError, ValueError):
            return 1
    return max(value, 1)


def batch_hooks(callback_list, mode: str, steps_per_execution: int, concat=None):
    """The batch hooks of `mode` ("train", "test", "predict") for the step loop.

    With one step per execution (the default) they are the callback list's own methods,
    so the loop pays nothing for grouping.
    """
    if steps_per_execution == 1:
        return _DirectHooks(callback_list, mode)
    return _GroupedBatchHooks(callback_list, mode, steps_per_execution, concat)


class _DirectHooks:
    """`begin`/`end` are the callback list's hooks themselves; `flush` has nothing to do."""

    __slots__ = ("begin", "end")

    def __init__(self, callback_list, mode: str):
        self.begin = getattr(callback_list, f"on_{mode}_batch_begin")
        self.end = getattr(callback_list, f"on_{mode}_batch_end")

    def flush(self) -> None:
        pass


class _GroupedBatchHooks:
    """Calls a callback list's batch hooks once per group of `steps_per_execution` steps.

    `begin(step)` and `end(step, logs)` are called for every step; `flush()` after the
    loop sends the `end` of a last, shorter group (the data ran out inside it).
    """

    def __init__(self, callback_list, mode: str, steps_per_execution: int, concat=None):
        self._begin = getattr(callback_list, f"on_{mode}_batch_begin")
        self._end = getattr(callback_list, f"on_{mode}_batch_end")
        self._group = steps_per_execution
        self._concat = concat  # predict: joins the group's outputs
        self._count = 0
        self._pending = None
        self._outputs: list = []

    def begin(self, step: int) -> None:
        if self._count == 0:
            self._begin(step)

    def end(self, step: int, logs) -> None:
        self._count += 1
        if self._concat is not None:
            self._outputs.append(logs["outputs"])
            logs = None
        self._pending = (step, logs)
        if self._count >= self._group:
            self.flush()

    def flush(self) -> None:
        if self._pending is None:
            return
        step, logs = self._pending
        if self._concat is not None:
            outputs = self._outputs[0] if len(self._outputs) == 1 else self._concat(self._outputs)
            logs = {"outputs": outputs}
        self._pending, self._count, self._outputs = None, 0, []
        self._end(step, logs)
