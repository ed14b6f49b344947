"""`keras.callbacks.History`: records the epoch logs of `fit`."""

from __future__ import annotations

import numpy as np
import torch

from tork.keras.callbacks._utils import to_python_floats
from tork.keras.callbacks.callback import Callback

# The learning rate's log key in Keras 2 (`lr`) and Keras 3 (`learning_rate`).
_LR_ALIASES = {"lr": "learning_rate", "learning_rate": "lr"}


class _HistoryDict(dict):
    """`History.history`: a plain dict that answers both names of the learning rate.

    `ReduceLROnPlateau` and `LearningRateScheduler` log the rate as `lr`
    (Keras 2); Keras 3 logs it as `learning_rate`, and Keras 3 code reads
    `history.history['learning_rate']`. Only `[]` lookups fall back: iteration,
    `in` and `keys()` show the keys actually logged.
    """

    def __missing__(self, key):
        alias = _LR_ALIASES.get(key)
        if alias is not None and alias in self:
            return self[alias]
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
    history.history["lr"]  # the rate, if a callback logged it ("learning_rate" too)
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
        # NumPy scalars a callback added (the float32 `lr`) are kept, as Keras 2 keeps them.
        values = to_python_floats([logs[k] for k in keys])
        for key, value in zip(keys, values):
            if isinstance(logs[key], np.floating):
                value = logs[key]
            elif isinstance(value, torch.Tensor):
                # A vector metric (F1Score(average=None)): Keras 2 records a NumPy array;
                # a tensor would keep its device memory and autograd graph alive.
                value = value.detach().cpu()
                if value.dtype == torch.bfloat16:  # NumPy has no bfloat16
                    value = value.float()
                value = value.numpy()
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self
