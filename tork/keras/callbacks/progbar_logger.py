"""`keras.callbacks.ProgbarLogger`: the progress bar of `fit`, `evaluate` and `predict`."""

from __future__ import annotations

import math
from typing import Any

from tork.keras.callbacks.callback import Callback
from tork.keras.utils import progbar as _progbar_module
from tork.keras.utils.progbar import Progbar

# Seconds between redraws when someone watches the output live. Otherwise (a file, a
# pipe, a CI log) only the final line of each epoch is written.
_LIVE_INTERVAL = 0.1


class ProgbarLogger(Callback):
    """Callback that prints metrics to stdout (a progress bar).

    `fit` adds it when `verbose` is not 0. With `verbose=1` it draws a bar that
    is redrawn in place (Keras 3's coloured bar on a terminal or notebook, Keras
    2's plain `[=====>...]` text in files and pipes); with `verbose=2` it prints
    one line per epoch. It prints
    `Epoch e/E` before each epoch only when training for more than one epoch.
    Validation inside `fit` is silent: its `val_` values appear on the epoch's
    final line.

    The values of the model's metrics are shown as logged (they are already
    running means). Other logs (e.g. a value a custom `train_step` returns that
    no metric tracks) are averaged over the epoch's steps, as Keras 2 does;
    with `verbose=2` only the epoch's last logs are shown. Log values may be
    tensors on the GPU: they are only read when the line is drawn, at most
    every 0.1 s on a terminal or notebook, and only at the end of each epoch
    when stdout is a file or pipe, so training is not slowed by syncs.

    Args:
        count_mode: accepted for Keras 2 compatibility; tork always counts steps.
        stateful_metrics: names of logs shown as given (not averaged), besides
            the model's metrics.

    Example:

    ```python
    model.fit(x, y, epochs=2, verbose=0, callbacks=[tf.keras.callbacks.ProgbarLogger()])
    ```
    """

    _supports_tf_logs = True

    def __init__(self, count_mode: str = "steps", stateful_metrics: Any = None) -> None:
        super().__init__()
        if count_mode not in ("steps", "samples"):
            raise ValueError(
                f"ProgbarLogger: unknown `count_mode`: {count_mode!r}. "
                "Expected 'steps' or 'samples'."
            )
        self.seen = 0
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        # Log keys already sorted into the model's metrics and the others.
        self._sorted_keys: set = set()
        self.progbar: Progbar | None = None
        self.target: int | None = None
        self.verbose: int = 1
        self.epochs: int = 1
        self._called_in_fit = False

    def set_params(self, params: dict) -> None:
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1) or 1
        self.target = params.get("steps")

    def on_train_begin(self, logs: dict | None = None) -> None:
        # Inside fit, validation is silent.
        self._called_in_fit = True

    def on_train_end(self, logs: dict | None = None) -> None:
        self._called_in_fit = False

    def on_test_begin(self, logs: dict | None = None) -> None:
        if not self._called_in_fit:
            self._reset_progbar()
            self._maybe_init_progbar()

    def on_predict_begin(self, logs: dict | None = None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._reset_progbar()
        self._maybe_init_progbar()
        if self.verbose and self.epochs > 1:
            _progbar_module._write(f"Epoch {epoch + 1}/{self.epochs}\n")

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._update_progbar(batch, logs)

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if not self._called_in_fit:
            self._update_progbar(batch, logs)

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        # The batch outputs are not metrics.
        self._update_progbar(batch, None)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._finalize_progbar(logs)

    def on_test_end(self, logs: dict | None = None) -> None:
        if not self._called_in_fit:
            self._finalize_progbar(logs)

    def on_predict_end(self, logs: dict | None = None) -> None:
        self._finalize_progbar(logs)

    def _reset_progbar(self) -> None:
        self.seen = 0
        self.progbar = None

    def _maybe_init_progbar(self) -> None:
        if self.progbar is None:
            interval = _LIVE_INTERVAL if _progbar_module._live_output() else math.inf
            self.progbar = Progbar(
                target=self.target,
                verbose=self.verbose,
                interval=interval,
                stateful_metrics=self.stateful_metrics,
                unit_name="step",
            )
            self.progbar._from_logs = True

    def _sort_keys(self, logs: dict | None) -> None:
        """Adds the model's metric names to `stateful_metrics` when `logs` has new keys.

        Keras 2 shows the model's metrics as logged and averages any other log; the
        compiled metrics exist once the first batch has built them.
        """
        if not logs or self._sorted_keys.issuperset(logs):
            return
        self._sorted_keys.update(logs)
        self.stateful_metrics |= _metric_names(self.model)
        self.progbar.stateful_metrics = self.stateful_metrics

    def _update_progbar(self, batch: int, logs: dict | None) -> None:
        self._maybe_init_progbar()
        self.seen = batch + 1
        if self.verbose == 1:
            self._sort_keys(logs)
            self.progbar.update(self.seen, logs, finalize=False)

    def _finalize_progbar(self, logs: dict | None) -> None:
        self._maybe_init_progbar()
        self._sort_keys(logs)
        if self.target is None:
            # Unknown length: the first epoch tells it.
            self.target = self.seen
            self.progbar.target = self.target
        self.progbar.update(self.target, logs, finalize=True)


def _metric_names(model) -> set:
    """The log names of `model.metrics` that report running values.

    A custom `train_step` that neither calls the compiled loss nor feeds the `loss`
    entry of `self.metrics` logs a `loss` that no metric tracks: Keras 2 averages it.
    """
    if model is None:
        return set()
    from tork.keras.trainers.trainer import _CompileMetricsView, _log_name, _LossTrackerView

    names = set()
    try:
        metrics = model.metrics
    except Exception:  # a model whose `metrics` property fails: average everything
        return names
    for metric in metrics:
        if isinstance(metric, _CompileMetricsView):
            names.update(_log_name(m) for m in metric.metrics)
        elif isinstance(metric, _LossTrackerView):
            compiled = getattr(model, "compiled_loss", None)
            if metric._fed or getattr(compiled, "_built", False):
                names.add(metric.name)
        else:
            names.add(_log_name(metric))
    return names
