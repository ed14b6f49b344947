"""`keras.callbacks.BaseLogger` (Keras 2): epoch averages of batch metrics."""

from __future__ import annotations

from collections.abc import Iterable

import torch

from tork.keras.callbacks.callback import Callback


class BaseLogger(Callback):
    """Callback that accumulates epoch averages of metrics (Keras 2).

    Keras 1's `fit` averaged batch metrics in this callback; since TF 2 the
    training loop computes epoch metrics itself and no longer adds it. It stays
    for code that subclasses it (a classic pattern is a plotting
    `TrainingMonitor(BaseLogger)` that overrides `on_train_begin` and
    `on_epoch_end`).

    As in tf.keras 2, `on_batch_end` weights each batch's values by the batch
    log's `"size"` entry (which TF 2's loops, and tork's, do not write, so
    averages stay empty), and `on_epoch_end` only rewrites the metrics listed
    in `self.params["metrics"]` (which TF 2's loops no longer set: there it
    raises `KeyError`, tork leaves `logs` as they are).

    Args:
        stateful_metrics: names of metrics that are *not* averaged over an
            epoch: their last batch value is kept as is.

    Example:

    ```python
    class TrainingMonitor(tf.keras.callbacks.BaseLogger):
        def on_train_begin(self, logs={}):
            self.H = {}

        def on_epoch_end(self, epoch, logs={}):
            for k, v in logs.items():
                self.H.setdefault(k, []).append(v)
    ```
    """

    def __init__(self, stateful_metrics: Iterable[str] | None = None) -> None:
        super().__init__()
        self.stateful_metrics = set(stateful_metrics or [])
        self.seen = 0
        self.totals: dict = {}

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self.seen = 0
        self.totals = {}

    def on_batch_end(self, batch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        size = logs.get("size", 0)
        # A multi-step batch (steps_per_execution) counts each of its steps.
        self.seen += size * logs.get("num_steps", 1)
        for name, value in logs.items():
            if name in self.stateful_metrics:
                self.totals[name] = value
            else:
                if isinstance(value, torch.Tensor):
                    value = value.detach().reshape(()).item()
                self.totals[name] = self.totals.get(name, 0) + value * size

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if logs is None:
            return
        for name in (self.params or {}).get("metrics", ()):
            if name not in self.totals:
                continue
            if name in self.stateful_metrics:
                logs[name] = self.totals[name]
            elif self.seen:
                logs[name] = self.totals[name] / self.seen
