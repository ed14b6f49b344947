"""`keras.callbacks.EarlyStopping`."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import torch

from tork.keras.callbacks._utils import check_mode, resolve_direction, to_float
from tork.keras.callbacks.callback import Callback
from tork.keras.utils.progbar import _write


class EarlyStopping(Callback):
    """Stop training when a monitored metric has stopped improving.

    At the end of every epoch the monitored value is compared with the best so
    far. After `patience` epochs without an improvement larger than
    `min_delta`, `model.stop_training` is set and `fit` ends.

    Args:
        monitor: quantity to be monitored, a key of the epoch logs.
        min_delta: minimum change in the monitored quantity to qualify as an
            improvement; an absolute change of less than `min_delta` counts as
            no improvement.
        patience: number of epochs with no improvement after which training
            will be stopped.
        verbose: 0 is silent, 1 prints a message when the callback acts.
        mode: one of `{"auto", "min", "max"}`. In `"auto"` mode the direction is
            inferred from the name of the monitored quantity (`loss` is
            minimised, `accuracy`/`auc`/`precision`/`recall`/... maximised);
            names it does not recognise are minimised, as in Keras 2.
        baseline: baseline value for the monitored quantity. If not None,
            training stops if the model doesn't show improvement over the
            baseline within `patience` epochs.
        restore_best_weights: whether to restore the model weights from the
            epoch with the best value of the monitored quantity at the end of
            training (even if no epoch beat `baseline`).
        start_from_epoch: number of epochs to wait before starting to monitor
            improvement (a warm-up period).

    Example:

    ```python
    callback = tf.keras.callbacks.EarlyStopping(monitor="loss", patience=3)
    history = model.fit(x, y, epochs=10, callbacks=[callback], verbose=0)
    ```
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        super().__init__()
        self.monitor = monitor
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.min_delta = abs(min_delta)
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.mode = check_mode(mode, "EarlyStopping")
        self.wait = 0
        self.stopped_epoch = 0
        self.best: float | None = None
        self.best_weights = None
        self.best_epoch = 0
        self._direction: str | None = None

    def _resolve_direction(self) -> str:
        # Keras 2 minimises any quantity it cannot recognise (a custom metric's name).
        return resolve_direction(self.monitor, self.mode, self.model, "EarlyStopping", "min")

    def on_train_begin(self, logs: dict | None = None) -> None:
        # Instances may be reused across fit calls.
        self.wait = 0
        self.stopped_epoch = 0
        # Keras 2 starts from +inf (or -inf when maximising), which users can read.
        self._direction = None
        self.best = np.inf if self._resolve_direction() == "min" else -np.inf
        self.best_weights = None
        self.best_epoch = 0

    def _is_improvement(self, value: float, reference: float | None) -> bool:
        if reference is None:
            return True
        if self._direction == "min":
            return value + self.min_delta < reference
        return value - self.min_delta > reference

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self._direction is None:
            # Decided once the model's metrics exist (they are built by the first step).
            self._direction = self._resolve_direction()
            if self.best is None or np.isinf(self.best):
                self.best = np.inf if self._direction == "min" else -np.inf
        if self.restore_best_weights and self.best_weights is None:
            # Nothing recorded yet: the current weights are the best so far.
            self.best_weights = self._snapshot()
            self.best_epoch = epoch

        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self._snapshot()
            # Patience restarts only when the baseline is beaten too.
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def _snapshot(self) -> Any:
        # get_weights returns copies; tensors are cloned in case a model returns views.
        # Anything else a model's get_weights returns is kept as it is (Keras 2 does not
        # look inside: a stand-in model in a unit test may return any value).
        weights = self.model.get_weights()
        if not isinstance(weights, list | tuple):
            return weights
        return [w.detach().clone() if isinstance(w, torch.Tensor) else w for w in weights]

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            _write(f"Epoch {self.stopped_epoch + 1}: early stopping\n")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                _write(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}.\n"
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs: dict | None) -> float | None:
        """The monitored value from `logs` as a float, or None (with a warning) if absent."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(logs.keys())}",
                stacklevel=2,
            )
            return None
        return to_float(value)
