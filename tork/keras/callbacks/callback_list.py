"""`keras.callbacks.CallbackList`: calls a list of callbacks as one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tork.keras.callbacks._utils import pythonify_logs, pythonify_logs_in_place, to_numpy_nest
from tork.keras.callbacks.callback import Callback
from tork.keras.callbacks.history import History
from tork.keras.callbacks.progbar_logger import ProgbarLogger

# hook -> (family check, names whose override makes the hook do something)
_BATCH_HOOKS = {
    "on_train_batch_begin": ("_implements_train_batch_hooks", ("on_batch_begin",)),
    "on_train_batch_end": ("_implements_train_batch_hooks", ("on_batch_end",)),
    "on_test_batch_begin": ("_implements_test_batch_hooks", ()),
    "on_test_batch_end": ("_implements_test_batch_hooks", ()),
    "on_predict_batch_begin": ("_implements_predict_batch_hooks", ()),
    "on_predict_batch_end": ("_implements_predict_batch_hooks", ()),
}


def _flatten(callbacks: Any) -> list:
    if callbacks is None:
        return []
    if isinstance(callbacks, CallbackList):
        return list(callbacks.callbacks)
    if isinstance(callbacks, list | tuple):
        out = []
        for c in callbacks:
            out.extend(_flatten(c) if isinstance(c, list | tuple) else [c])
        return out
    return [callbacks]


def _check_callback(cb: Any, position: int) -> None:
    if isinstance(cb, Callback):
        return
    if isinstance(cb, type) and issubclass(cb, Callback):
        raise TypeError(
            f"callbacks[{position}] is the class {cb.__name__}, not an instance. "
            f"Pass {cb.__name__}(...) instead."
        )
    if not all(hasattr(cb, h) for h in ("on_epoch_end", "set_model", "set_params")):
        raise TypeError(
            f"callbacks[{position}] must be a keras.callbacks.Callback instance; "
            f"received {cb!r} of type {type(cb).__name__}. Subclass "
            "tf.keras.callbacks.Callback, or wrap a function in "
            "tf.keras.callbacks.LambdaCallback(on_epoch_end=fn)."
        )


class CallbackList:
    """Container that calls a list of callbacks as if it were one.

    It is what `fit`, `evaluate` and `predict` use internally. Epoch-level logs
    (`on_epoch_end`, `on_test_end`, ...) are converted to Python floats in place
    once, with a single device sync, before the callbacks see them, so a key a
    callback adds (e.g. `learning_rate`) reaches the ones after it and
    `History`. Batch hooks are only called on callbacks that implement them;
    batch logs are converted (to floats; predict batch outputs to NumPy arrays)
    only when one of those lacks `_supports_tf_logs`, once, into one dict that
    all of them share.

    Args:
        callbacks: a list of `Callback` instances (nested lists are flattened).
        add_history: whether to append a `History` callback if none is given.
        add_progbar: whether to append a `ProgbarLogger` if none is given.
        model: the model the callbacks act on.
        **params: training parameters for `set_params`: `verbose`, `epochs`, `steps`.

    Example:

    ```python
    cbs = tf.keras.callbacks.CallbackList(
        [my_callback], add_history=True, model=model, verbose=0, epochs=2, steps=10
    )
    cbs.on_train_begin()
    ```
    """

    def __init__(
        self,
        callbacks: Any = None,
        add_history: bool = False,
        add_progbar: bool = False,
        model: Any = None,
        **params: Any,
    ) -> None:
        self.callbacks = _flatten(callbacks)
        for i, cb in enumerate(self.callbacks):
            _check_callback(cb, i)
        self._history = None
        self._progbar = None
        for cb in self.callbacks:
            if isinstance(cb, ProgbarLogger):
                self._progbar = cb
            elif isinstance(cb, History):
                self._history = cb
        # Keras 3 order: defaults go last, so user callbacks see epoch logs before
        # the progress bar prints its final line.
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        self.model = None
        self.params: dict = {}
        self._build_dispatch()
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    # -- container ---------------------------------------------------------

    def append(self, callback: Callback) -> None:
        """Adds a callback at the end of the list."""
        _check_callback(callback, len(self.callbacks))
        self.callbacks.append(callback)
        if self.model is not None:
            callback.set_model(self.model)
        if self.params:
            callback.set_params(self.params)
        self._build_dispatch()

    def __iter__(self) -> Iterator:
        return iter(self.callbacks)

    def __len__(self) -> int:
        return len(self.callbacks)

    def _build_dispatch(self) -> None:
        self._batch: dict[str, list[tuple[Any, bool]]] = {}
        for hook, (family, aliases) in _BATCH_HOOKS.items():
            live = []
            for cb in self.callbacks:
                if isinstance(cb, Callback):
                    if not getattr(cb, family)() or not cb._overrides(hook, *aliases):
                        continue
                elif not hasattr(cb, hook):
                    continue
                live.append((cb, not getattr(cb, "_supports_tf_logs", False)))
            self._batch[hook] = live

    # Keras 2's names for "some callback implements this family of batch hooks".
    @property
    def _should_call_train_batch_hooks(self) -> bool:
        return bool(self._batch["on_train_batch_begin"] or self._batch["on_train_batch_end"])

    @property
    def _should_call_test_batch_hooks(self) -> bool:
        return bool(self._batch["on_test_batch_begin"] or self._batch["on_test_batch_end"])

    @property
    def _should_call_predict_batch_hooks(self) -> bool:
        return bool(self._batch["on_predict_batch_begin"] or self._batch["on_predict_batch_end"])

    @property
    def _batch_hooks_support_tf_logs(self) -> bool:
        # Whether every callback called per batch takes the logs unconverted.
        return not any(wants_python for live in self._batch.values() for _, wants_python in live)

    def set_params(self, params: dict) -> None:
        """Gives every callback the training parameters."""
        self.params = params
        for cb in self.callbacks:
            cb.set_params(params)

    def set_model(self, model: Any) -> None:
        """Gives every callback the model, and sets `model.history` to the `History`."""
        self.model = model
        if self._history is not None:
            model.history = self._history
        for cb in self.callbacks:
            cb.set_model(model)

    def _tork_initial_epoch(self, initial_epoch: int = 0) -> int:
        """The epoch `fit` should start from after `on_train_begin`.

        A callback that restored a backup (`BackupAndRestore`) leaves the epoch to
        resume from in `model._initial_epoch`; it is consumed (reset to None) here.

        Args:
            initial_epoch: the `initial_epoch` given to `fit`.

        Returns:
            The restored epoch if one was set, else `initial_epoch`.
        """
        restored = getattr(self.model, "_initial_epoch", None)
        if restored is None:
            return initial_epoch
        self.model._initial_epoch = None
        return int(restored) or initial_epoch

    # -- dispatch ----------------------------------------------------------

    def _call_batch(self, hook: str, batch: int, logs: dict | None) -> None:
        entries = self._batch[hook]
        if not entries:
            return
        if logs is None:
            logs = {}
        if logs and any(wants_python for _, wants_python in entries):
            # Keras 2 converts once and gives every callback the same dict, so a key one
            # callback adds (logs["lr"] = ...) reaches the next ones and the progress bar.
            logs = pythonify_logs(logs)
        for cb, _ in entries:
            getattr(cb, hook)(batch, logs)

    def _call_predict_batch(self, hook: str, batch: int, logs: dict | None) -> None:
        entries = self._batch[hook]
        if not entries:
            return
        if logs is None:
            logs = {}
        if logs and any(wants_numpy for _, wants_numpy in entries):
            # Keras 2 and 3 give callbacks the batch outputs as NumPy arrays (one copy to
            # the host per batch, made only when such a callback exists), one dict shared
            # by all the callbacks as for the other batch hooks.
            logs = {k: to_numpy_nest(v) for k, v in logs.items()}
        for cb, _ in entries:
            getattr(cb, hook)(batch, logs)

    def _call(self, hook: str, logs: dict | None) -> None:
        logs = pythonify_logs_in_place(logs)
        for cb in self.callbacks:
            getattr(cb, hook)(logs)

    def on_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Alias of `on_train_batch_begin`."""
        self._call_batch("on_train_batch_begin", batch, logs)

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Alias of `on_train_batch_end`."""
        self._call_batch("on_train_batch_end", batch, logs)

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Calls `on_train_batch_begin` of the callbacks that implement it."""
        self._call_batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Calls `on_train_batch_end` of the callbacks that implement it."""
        self._call_batch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Calls `on_test_batch_begin` of the callbacks that implement it."""
        self._call_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Calls `on_test_batch_end` of the callbacks that implement it."""
        self._call_batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        """Calls `on_predict_batch_begin` of the callbacks that implement it."""
        self._call_predict_batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        """Calls `on_predict_batch_end` of the callbacks that implement it."""
        self._call_predict_batch("on_predict_batch_end", batch, logs)

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        """Calls `on_epoch_begin` of every callback."""
        logs = pythonify_logs_in_place(logs)
        for cb in self.callbacks:
            cb.on_epoch_begin(epoch, logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        """Converts `logs` to floats in place, then calls `on_epoch_end` of every callback."""
        logs = pythonify_logs_in_place(logs)
        for cb in self.callbacks:
            cb.on_epoch_end(epoch, logs)

    def on_train_begin(self, logs: dict | None = None) -> None:
        """Calls `on_train_begin` of every callback."""
        self._call("on_train_begin", logs)

    def on_train_end(self, logs: dict | None = None) -> None:
        """Calls `on_train_end` of every callback."""
        self._call("on_train_end", logs)

    def on_test_begin(self, logs: dict | None = None) -> None:
        """Calls `on_test_begin` of every callback."""
        self._call("on_test_begin", logs)

    def on_test_end(self, logs: dict | None = None) -> None:
        """Calls `on_test_end` of every callback."""
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs: dict | None = None) -> None:
        """Calls `on_predict_begin` of every callback."""
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs: dict | None = None) -> None:
        """Calls `on_predict_end` of every callback."""
        self._call("on_predict_end", logs)
