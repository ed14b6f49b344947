"""`keras.callbacks.ReduceLROnPlateau`."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from tork.keras.callbacks._utils import (
    check_mode,
    get_learning_rate,
    monitor_direction,
    set_learning_rate,
    to_float,
)
from tork.keras.callbacks.callback import Callback
from tork.keras.utils.progbar import _write


class ReduceLROnPlateau(Callback):
    """Reduce learning rate when a metric has stopped improving.

    Models often benefit from reducing the learning rate by a factor of 2-10
    once learning stagnates. This callback monitors a quantity and if no
    improvement is seen for `patience` epochs, the learning rate is multiplied
    by `factor` (never going below `min_lr`). The current rate is logged as
    `lr` (a NumPy float32, as in Keras 2; Keras 3 names it `learning_rate`) at
    the end of each epoch.

    Args:
        monitor: quantity to be monitored.
        factor: factor by which the learning rate will be reduced:
            `new_lr = lr * factor`. Must be < 1.
        patience: number of epochs with no improvement after which the learning
            rate will be reduced.
        verbose: 0 is quiet, 1 prints a message when the rate is reduced.
        mode: one of `{"auto", "min", "max"}`. `"auto"` infers the direction from
            the name (`accuracy`-like names are maximised, anything else minimised).
        min_delta: threshold for measuring the new optimum, to only focus on
            significant changes.
        cooldown: number of epochs to wait before resuming normal operation
            after the learning rate has been reduced.
        min_lr: lower bound on the learning rate.

    Example:

    ```python
    reduce_lr = tf.keras.callbacks.ReduceLROnPlateau(
        monitor="val_loss", factor=0.2, patience=5, min_lr=0.001
    )
    model.fit(x, y, validation_split=0.2, callbacks=[reduce_lr])
    ```
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
            warnings.warn(
                "`epsilon` argument is deprecated and will be removed, use `min_delta` instead.",
                stacklevel=2,
            )
        if kwargs:
            raise TypeError(
                f"ReduceLROnPlateau got unexpected keyword arguments: {sorted(kwargs)}. "
                "Valid arguments: monitor, factor, patience, verbose, mode, min_delta, "
                "cooldown, min_lr."
            )
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}. "
                "Use a factor below 1, e.g. 0.1 to divide the learning rate by 10."
            )
        self.monitor = monitor
        self.factor = factor
        self.min_lr = min_lr
        self.min_delta = min_delta
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.mode = check_mode(mode, "ReduceLROnPlateau")
        self.cooldown_counter = 0
        self.wait = 0
        self.best = np.inf
        self._direction = "min"
        self._reset()

    def _reset(self) -> None:
        if self.mode == "auto":
            # Keras: anything not recognisably "higher is better" is minimised.
            self._direction = (
                "max" if monitor_direction(self.monitor, self.model) == "max" else "min"
            )
        else:
            self._direction = self.mode
        self.best = np.inf if self._direction == "min" else -np.inf
        self.cooldown_counter = 0
        self.wait = 0

    def _improved(self, current: float) -> bool:
        if self._direction == "min":
            return current < self.best - self.min_delta
        return current > self.best + self.min_delta

    def in_cooldown(self) -> bool:
        """Whether the callback is waiting after a reduction."""
        return self.cooldown_counter > 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._reset()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs if logs is not None else {}
        # Keras 2 logs the rate as `lr`, a float32 (Keras 3: `learning_rate`).
        logs["lr"] = np.float32(get_learning_rate(self.model, "ReduceLROnPlateau"))
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is "
                f"not available. Available metrics are: {','.join(logs.keys())}.",
                stacklevel=2,
            )
            return
        current = to_float(current)
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._improved(current):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = get_learning_rate(self.model, "ReduceLROnPlateau")
                # Compared in float32, the precision the optimizer stores the rate in.
                if old_lr > np.float32(self.min_lr):
                    # Keras 2 multiplies the optimizer's float32 rate by `factor` with NumPy's
                    # promotion: a Python float factor keeps float32 (the message shows the
                    # rate the optimizer holds), a NumPy float64 one (`np.sqrt(0.1)`) gives
                    # the float64 product.
                    new_lr = float(max(np.float32(old_lr) * self.factor, self.min_lr))
                    set_learning_rate(self.model, new_lr, "ReduceLROnPlateau")
                    if self.verbose > 0:
                        _write(
                            f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning "
                            f"rate to {new_lr}.\n"
                        )
                    self.cooldown_counter = self.cooldown
                    self.wait = 0
