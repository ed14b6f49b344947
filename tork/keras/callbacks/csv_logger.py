"""`keras.callbacks.CSVLogger`."""

from __future__ import annotations

import collections.abc
import csv
import os
from typing import Any

import numpy as np
import torch

from tork.keras.callbacks.callback import Callback


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, torch.Tensor):
        # An array also for a 0-d tensor (its numpy() is a NumPy scalar): a Python float below.
        value = np.asarray(value.detach().cpu().numpy())
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, collections.abc.Iterable):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Callback that streams epoch results to a CSV file.

    The first column is `epoch` (0-based), then the log keys sorted
    alphabetically. When the first epoch has no `val_` keys (e.g. with
    `validation_freq > 1`), `val_` columns are added for every key and filled
    with `NA` until values arrive. Values that are lists or arrays are written
    as `"[a, b]"`. The file is flushed after every row.

    Args:
        filename: filename of the CSV file, e.g. `"run/log.csv"`.
        separator: string used to separate elements in the CSV file.
        append: if True, append to the file if it exists (the header is only
            written when the file is empty); if False, overwrite it.

    Example:

    ```python
    csv_logger = tf.keras.callbacks.CSVLogger("training.log")
    model.fit(x, y, callbacks=[csv_logger])
    ```
    """

    def __init__(self, filename: str | os.PathLike, separator: str = ",", append: bool = False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer: csv.DictWriter | None = None
        self.keys: list[str] | None = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        else:
            mode = "w"
        directory = os.path.dirname(self.filename)
        if directory:
            os.makedirs(directory, exist_ok=True)
        self.writer = None
        self.keys = None
        self.csv_file = open(self.filename, mode)  # kept open for the whole run

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        if self.csv_file is None:
            # Used without on_train_begin (e.g. called by hand): open lazily.
            self.on_train_begin()
        if self.keys is None:
            self.keys = sorted(logs.keys())
            if not any(k.startswith("val_") for k in self.keys):
                self.keys.extend(["val_" + k for k in self.keys])
        if self.writer is None:
            sep = self.sep

            class _Dialect(csv.excel):
                delimiter = sep

            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=["epoch", *self.keys], dialect=_Dialect
            )
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((k, _cell(logs.get(k, "NA"))) for k in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.csv_file is not None:
            self.csv_file.close()
        self.csv_file = None
        self.writer = None
