"""`keras.callbacks.History`: records the epoch logs of `fit`."""

from __future__ import annotations

from tork.keras.callbacks._utils import to_python_floats
from tork.keras.callbacks.callback import Callback


class _HistoryDict(dict):
    """`History.history`: a plain dict that also answers Keras 2's `'lr'` key.

    `ReduceLROnPlateau` and `LearningRateScheduler` log the rate as
    `learning_rate` (Keras 3); Keras 2 logged it as `lr`, and Keras 2 code reads
    `history.history['lr']`. Only `[]` lookups fall back: iteration, `in` and
    `keys()` show the keys actually logged.
    """

    def __missing__(self, key):
        if key == "lr" and "learning_rate" in self:
            return self["learning_rate"]
        raise KeyError(key)


class History(Callback):
    """Callback that records events into a `History` object.

    `fit` adds it automatically and returns it. After training,
    `history.history` maps each log key (`loss`, metrics, `val_` metrics) to the
    list of its per-epoch values, `history.epoch` lists the epoch indices
    (0-based) and `history.params` holds `verbose`, `epochs` and `steps`. The
    model's `history` attribute is set to it.

    Example:

    ```python
    history = model.fit(x, y, epochs=3, validation_split=0.2)
    history.history["val_loss"]  # three floats
    history.history["lr"]  # Keras 2 name of the logged `learning_rate`, if any
    ```
    """

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list] = _HistoryDict()
        self.epoch: list[int] = []

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        self.epoch.append(epoch)
        keys = list(logs.keys())
        # Logs are floats when they come through CallbackList; this covers direct calls.
        for key, value in zip(keys, to_python_floats([logs[k] for k in keys])):
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
