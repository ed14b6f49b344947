"""`keras.utils.Progbar`: the progress bar (Keras 3's on screen, Keras 2's text elsewhere)."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import torch

from tork.keras.utils import io_utils

# Time source of every progress bar; tests replace it with a fake clock.
_clock = time.time

_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"
_GREEN = "\x1b[32m"
_WHITE = "\x1b[37m"
_BAR_CHAR = "\u2501"  # '━'

# Bar widths when `width` is not given: Keras 3's coloured bar, Keras 2's `[==>..]` bar.
_STYLED_WIDTH = 20
_PLAIN_WIDTH = 30


def _write(message: str) -> None:
    io_utils.print_msg(message, line_break=False)


def _dynamic_display() -> bool:
    # Keras 3 redraws with \b and \r on any POSIX system, even into a file.
    stdout = sys.stdout
    return (
        (hasattr(stdout, "isatty") and stdout.isatty())
        or "ipykernel" in sys.modules
        or "posix" in sys.modules
        or "PYCHARM_HOSTED" in os.environ
    )


def _live_output() -> bool:
    """Whether someone watches stdout live (terminal, notebook, IDE console)."""
    if not io_utils.is_interactive_logging_enabled():
        return False  # the lines go to the Python log: plain text, no colour codes
    stdout = sys.stdout
    try:
        tty = bool(stdout.isatty())
    except (AttributeError, ValueError):
        tty = False
    return tty or "ipykernel" in sys.modules or "PYCHARM_HOSTED" in os.environ


def _as_number(value: Any) -> Any:
    """A displayed value as a Python/NumPy number (arrays are averaged, as Keras does)."""
    if isinstance(value, torch.Tensor):
        value = value.detach()
        if value.numel() == 1:
            return value.reshape(()).item()
        return value.double().mean().item()
    if isinstance(value, float | int):
        return value
    if isinstance(value, np.ndarray | np.generic | list | tuple):
        return np.mean(value)
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, float | int | np.number | np.ndarray | torch.Tensor)


def _as_python_scalar(value: Any) -> Any:
    """A NumPy scalar (or 0-d array) as a Python number, others unchanged.

    Keras turns the logs into Python numbers before the progress bar sees them, so
    `np.float32(0.001)` (how `LearningRateScheduler` logs `lr`) becomes
    0.0010000000474974513 and prints as "0.0010"; compared in float32 (NumPy 2
    rules) it would equal 1e-3 and print as "1.0000e-03".
    """
    if isinstance(value, np.generic) or (isinstance(value, np.ndarray) and value.ndim == 0):
        return value.item()
    return value


def _format_time(seconds: float, unit_name: str) -> str:
    if seconds >= 1 or seconds == 0:
        return f" {seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f" {seconds * 1e3:.0f}ms/{unit_name}"
    return f" {seconds * 1e6:.0f}us/{unit_name}"


def _format_eta(eta: float) -> str:
    if eta > 3600:
        return f"{int(eta // 3600)}:{int((eta % 3600) // 60):02d}:{int(eta % 60):02d}"
    if eta > 60:
        return f"{int(eta // 60)}:{int(eta % 60):02d}"
    return f"{int(eta)}s"


def _format_value(value: Any, signed: bool) -> str:
    # verbose=1 compares |v| with 1e-3; verbose=2 compares v itself (Keras 2 and 3 do).
    if not isinstance(value, float | int | np.number):
        return f" {value}"
    big = abs(value) > 1e-3 if signed else value > 1e-3
    return f" {value:.4f}" if big else f" {value:.4e}"


class Progbar:
    """Displays a progress bar.

    With `verbose=1` the line (Keras 3's)
    `32/32 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - loss: 0.3000` is redrawn in place
    (with `\\b`, `\\r` and ANSI colours) at most every `interval` seconds when
    someone watches stdout (a terminal, a notebook, an IDE console). Written to a
    file or a pipe, the line is Keras 2's plain text instead,
    `32/32 [==============================] - 0s 2ms/step - loss: 0.3000`, so
    logs hold no colour codes. With
    `verbose=2` one summary line (Keras 2's)
    `32/32 - 0s - loss: 0.3000 - 64ms/epoch - 2ms/step` is printed when the bar
    is finalized: the elapsed time, the values, then the time since the bar
    started (or since its last summary) and that time per step.

    Args:
        target: total number of steps expected, None if unknown.
        width: progress bar width on screen; None (the default) means 20 for the
            coloured bar (Keras 3) and 30 for the text bar (Keras 2).
        verbose: verbosity mode, 0 (silent), 1 (verbose), 2 (semi-verbose).
        interval: minimum visual progress update interval (in seconds).
        stateful_metrics: iterable of names of metrics that should *not* be
            averaged over time: they are displayed as given. Others are averaged
            over the steps, the final update included (Keras 2).
        unit_name: display name for step counts (usually "step" or "sample").

    Example:

    ```python
    bar = tf.keras.utils.Progbar(100)
    for i in range(100):
        bar.update(i + 1, values=[("loss", 0.5)])
    ```
    """

    def __init__(
        self,
        target: int | None,
        width: int | None = None,
        verbose: int = 1,
        interval: float = 0.05,
        stateful_metrics: Iterable[str] | None = None,
        unit_name: str = "step",
    ) -> None:
        self.target = target
        # Keras 3's colours only for a watched stdout; files and pipes get Keras 2's text.
        self._styled = _live_output()
        if width is None:
            width = _STYLED_WIDTH if self._styled else _PLAIN_WIDTH
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        self.unit_name = unit_name
        self._dynamic_display = _dynamic_display()
        self._seen_so_far = 0
        self._values: dict[str, list] = {}
        self._values_order: list[str] = []
        self._start = _clock()
        self._epoch_start = self._start
        self._last_update = -math.inf
        self._time_after_first_step: float | None = None
        self._prev_total_width = 0
        # Set by ProgbarLogger: the values are fit's logs. Those in `stateful_metrics` (the
        # model's metrics, already running values) are kept as given and read only when
        # drawn, so a GPU is not synced every step; the others are averaged.
        self._from_logs = False

    def update(
        self,
        current: int,
        values: Iterable[tuple[str, Any]] | Mapping[str, Any] | None = None,
        finalize: bool | None = None,
    ) -> None:
        """Updates the progress bar.

        Args:
            current: index of the current step (1-based count of steps done).
            values: list of `(name, value_for_last_step)` tuples (or a dict).
                Names in `stateful_metrics` are displayed as given; others are
                averaged over the steps.
            finalize: whether this is the last update for the progress bar. If
                None, it is `current >= self.target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        if values:
            self._accumulate(current, values)
        self._seen_so_far = current

        now = _clock()
        time_per_unit = self._estimate_step_duration(current, now)
        if self.verbose == 1:
            if not finalize and (
                now - self._last_update < self.interval or self.interval == math.inf
            ):
                return
            self._draw_line(current, now, time_per_unit, finalize)
        elif self.verbose == 2 and finalize:
            self._draw_summary(current, now, time_per_unit)
        self._last_update = now

    def add(self, n: int, values: Iterable[tuple[str, Any]] | None = None) -> None:
        """Advances the bar by `n` steps (see `update`)."""
        self.update(self._seen_so_far + n, values)

    # -- values ------------------------------------------------------------

    def _items(self, values: Any) -> Iterable[tuple[str, Any]]:
        return values.items() if isinstance(values, Mapping) else values

    def _accumulate(self, current: int, values: Any) -> None:
        # Weight by the steps since the last update (at least 1, since the same step may
        # be reported twice: Keras 2 counts fit's epoch-end update once more).
        weight = max(current - self._seen_so_far, 1)
        for k, v in self._items(values):
            if k not in self._values:
                self._values_order.append(k)
            if self._from_logs:
                v = _as_python_scalar(v)
            if k in self.stateful_metrics:
                self._values[k] = [v, 1]
                continue
            if isinstance(v, torch.Tensor):
                # A train_step may log a tensor still attached to its graph.
                v = v.detach()
            elif isinstance(v, list | tuple):
                v = np.asarray(v)
            if not _is_number(v):  # e.g. a string: shown as given
                self._values[k] = [v, 1]
                continue
            weighted = v * weight
            entry = self._values.get(k)
            if entry is None or not _is_number(entry[0]):
                self._values[k] = [weighted, weight]
            else:
                entry[0] = entry[0] + weighted
                entry[1] += weight

    def _metrics_text(self, signed: bool) -> str:
        parts = []
        for k in self._values_order:
            total, count = self._values[k]
            total = _as_number(total)
            value = total / max(1, count) if isinstance(total, float | int | np.number) else total
            parts.append(f" - {k}:{_format_value(value, signed)}")
        return "".join(parts)

    # -- drawing -----------------------------------------------------------

    def _count_text(self, current: int) -> str:
        digits = int(math.log10(self.target)) + 1
        return f"{int(current):>{digits}d}/{int(self.target)}"

    def _draw_line(self, current: int, now: float, time_per_unit: float, finalize: bool) -> None:
        message = "\b" * self._prev_total_width + "\r" if self._dynamic_display else "\n"
        if not self._styled:
            self._draw_plain_line(message, current, now, time_per_unit, finalize)
            return
        known = self.target is not None and self.target > 0
        if known:
            count = self._count_text(current)
            filled = int(self.width * (float(current) / self.target))
            rest = self.width - filled
            bar = f"{_BOLD}{count}{_RESET} "
            if filled > 0:
                bar += f"{_GREEN}{_BAR_CHAR * filled}{_RESET}"
            bar += f"{_WHITE}{_BAR_CHAR * rest}{_RESET}"
            bar_width = len(count) + 1 + max(filled, 0) + max(rest, 0)
        else:
            bar = f"{int(current):7d}/Unknown"
            bar_width = len(bar)

        if known and not finalize:
            clock_text = _format_eta(time_per_unit * (self.target - current))
        else:
            clock_text = f"{now - self._start:.0f}s"
        tail = _format_time(time_per_unit, self.unit_name) + self._metrics_text(signed=True)
        info = f" {_BOLD}{clock_text}{_RESET}{tail}"
        total_width = bar_width + 1 + len(clock_text) + len(tail)

        message += bar + info
        if self._prev_total_width > total_width:
            message += " " * (self._prev_total_width - total_width)
        if finalize:
            message += "\n"
        _write(message)
        self._prev_total_width = total_width

    def _draw_plain_line(
        self, message: str, current: int, now: float, time_per_unit: float, finalize: bool
    ) -> None:
        """Keras 2's line: `3/4 [=====>..] - ETA: 1s - loss: 0.3`, then
        `4/4 [========] - 1s 8ms/step - loss: 0.3` when finalized (no colour codes)."""
        if self.target is not None and self.target > 0:
            filled = int(self.width * (float(current) / self.target))
            bar = f"{self._count_text(current)} ["
            if filled > 0:
                bar += "=" * (filled - 1) + (">" if current < self.target else "=")
            bar += "." * (self.width - filled) + "]"
            info = f" - ETA: {_format_eta(time_per_unit * (self.target - current))}"
        else:
            bar = f"{int(current):7d}/Unknown"
            info = ""
        if not info or finalize:
            info = f" - {now - self._start:.0f}s" + _format_time(time_per_unit, self.unit_name)
        info += self._metrics_text(signed=True)
        total_width = len(bar) + len(info)
        if self._prev_total_width > total_width:
            info += " " * (self._prev_total_width - total_width)
        if finalize:
            info += "\n"
        _write(message + bar + info)
        self._prev_total_width = total_width

    def _draw_summary(self, current: int, now: float, time_per_unit: float) -> None:
        if self.target is None or self.target <= 0:
            return
        line = f"{self._count_text(current)} - {now - self._start:.0f}s"
        line += self._metrics_text(signed=False)
        if current == self.target:
            # Keras 2 times the "epoch" from the bar's start (or its previous summary).
            epoch_time = now - self._epoch_start
            self._epoch_start = now
            line += " -" + _format_time(epoch_time, "epoch")
            line += " -" + _format_time(epoch_time / self.target, self.unit_name)
        _write(line + "\n")

    def _estimate_step_duration(self, current: int, now: float) -> float:
        # The first step (compilation, warm-up) is left out once later steps exist.
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            per_step = (now - self._time_after_first_step) / (current - 1)
        else:
            per_step = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_step
