"""`keras.callbacks.LearningRateScheduler`."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from tork.keras.callbacks._utils import (
    get_learning_rate,
    positional_arity,
    set_learning_rate,
)
from tork.keras.callbacks.callback import Callback
from tork.keras.utils.progbar import _write


def _as_learning_rate(value: object) -> float:
    if isinstance(value, torch.Tensor) and value.numel() == 1 and value.is_floating_point():
        return float(value.detach().reshape(()).item())
    if isinstance(value, float | np.floating):
        return float(value)
    raise ValueError(
        "The output of the `schedule` function should be a float. "
        f"Got: {value!r} of type {type(value).__name__}. Return a float such as "
        "`lr * 0.9` (write `0.1`, not `1`, for constant rates)."
    )


class LearningRateScheduler(Callback):
    """Learning rate scheduler.

    At the beginning of every epoch, this callback gets the updated learning
    rate value from the `schedule` function, called with the current epoch
    (0-based) and current learning rate, and applies it to the optimizer. The
    rate is also logged as `lr` (a NumPy float32, as in Keras 2; Keras 3 names
    it `learning_rate`) at the end of each epoch.

    Args:
        schedule: a function `schedule(epoch, lr) -> float` (a one-argument
            `schedule(epoch)` is accepted too).
        verbose: 0 is quiet, 1 prints a message each epoch.

    Example:

    ```python
    def scheduler(epoch, lr):
        return lr if epoch < 10 else lr * float(tf.math.exp(-0.1))

    callback = tf.keras.callbacks.LearningRateScheduler(scheduler)
    model.fit(x, y, epochs=15, callbacks=[callback], verbose=0)
    ```
    """

    def __init__(self, schedule: Callable, verbose: int = 0) -> None:
        super().__init__()
        if not callable(schedule):
            raise TypeError(
                "LearningRateScheduler expects a callable `schedule(epoch, lr)`; "
                f"received {schedule!r}."
            )
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        lr = get_learning_rate(self.model, "LearningRateScheduler")
        if positional_arity(self.schedule) == 1:
            # The old Keras API: schedule(epoch).
            new_lr = self.schedule(epoch)
        else:
            new_lr = self.schedule(epoch, lr)
        new_lr = _as_learning_rate(new_lr)
        set_learning_rate(self.model, new_lr, "LearningRateScheduler")
        if self.verbose > 0:
            _write(
                f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {new_lr}.\n"
            )

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if logs is not None:
            # Keras 2 logs the rate as `lr`, a float32 (Keras 3: `learning_rate`).
            logs["lr"] = np.float32(get_learning_rate(self.model, "LearningRateScheduler"))
