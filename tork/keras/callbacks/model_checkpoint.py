"""`keras.callbacks.ModelCheckpoint`."""

from __future__ import annotations

import os
import re
import warnings
from typing import Any

import numpy as np
import torch

from tork.keras.callbacks._utils import (
    check_mode,
    pythonify_logs,
    resolve_direction,
)
from tork.keras.callbacks.callback import Callback
from tork.keras.saving._atomic import atomic_path
from tork.keras.utils.progbar import _write


class ModelCheckpoint(Callback):
    """Callback to save the Keras model or model weights at some frequency.

    The file is written atomically: the model is saved to a temporary file in
    the same directory which then replaces `filepath` in one step, so an
    interrupted or failing save never leaves a truncated checkpoint and the
    previous one stays intact.

    Args:
        filepath: path to save the model file. It may contain named formatting
            options filled with `epoch` (1-based), `batch` (1-based, with an
            integer `save_freq`) and the keys of `logs`, e.g.
            `"ckpt-{epoch:02d}-{val_loss:.2f}.keras"`. With `save_weights_only=True`
            it ends in `.weights.h5` (Keras 3), `.h5` or `.keras` (Keras 2's HDF5
            layout), or is a checkpoint prefix such as
            `"training/cp-{epoch:04d}.ckpt"` (Keras 2's TensorFlow format: see
            `Model.save_weights`); otherwise it ends in `.keras` (or the legacy
            `.h5`).
        monitor: the metric name to monitor, e.g. `"val_loss"` or `"val_accuracy"`.
        verbose: 0 is silent, 1 prints a message when the callback acts.
        save_best_only: only save when the model is considered the best so far
            according to `monitor`.
        save_weights_only: if True, `model.save_weights(filepath)` is called,
            else `model.save(filepath)`.
        mode: one of `{"auto", "min", "max"}`: whether a lower or higher
            monitored value is better (`"auto"` infers it from the name).
        save_freq: `"epoch"` to save after each epoch, or an integer to save
            after that many training batches.
        initial_value_threshold: initial "best" value of the monitored metric,
            used with `save_best_only=True`.
        options: Keras 2's `tf.train.CheckpointOptions` (with
            `save_weights_only=True`) or `tf.saved_model.SaveOptions`; checked and
            unused. Not allowed with a `.keras` filepath.
        **kwargs: Keras 2's deprecated `period=N` (with `save_freq="epoch"`, save
            every N epochs; warns) and `load_weights_on_restart=True` (`fit`
            first loads the most recently modified file matching `filepath`;
            warns).

    Example:

    ```python
    checkpoint = tf.keras.callbacks.ModelCheckpoint(
        "best.keras", monitor="val_accuracy", mode="max", save_best_only=True
    )
    model.fit(x, y, validation_split=0.2, epochs=10, callbacks=[checkpoint])
    ```
    """

    _supports_tf_logs = True

    def __init__(
        self,
        filepath: str | os.PathLike,
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq: str | int = "epoch",
        initial_value_threshold: float | None = None,
        options=None,
        **kwargs,
    ) -> None:
        super().__init__()
        # Keras 2 era arguments: `period` saved every N epochs before `save_freq` existed.
        self.period = 1
        if "period" in kwargs:
            self.period = int(kwargs.pop("period"))
            warnings.warn(
                "`period` argument is deprecated. Please use `save_freq` to specify the "
                "frequency in number of batches seen.",
                UserWarning,
                stacklevel=2,
            )
        # Keras 2 still honours it: `fit` starts from the newest file matching `filepath`.
        self.load_weights_on_restart = bool(kwargs.pop("load_weights_on_restart", False))
        if self.load_weights_on_restart:
            warnings.warn(
                "`load_weights_on_restart` argument is deprecated. Please use "
                "`model.load_weights()` for loading weights before the start of `model.fit()`.",
                UserWarning,
                stacklevel=2,
            )
        if kwargs:
            raise TypeError(
                f"ModelCheckpoint.__init__() got unexpected keyword argument(s) {sorted(kwargs)}"
            )
        self.epochs_since_last_save = 0
        self.filepath = os.fspath(filepath)
        _check_options(options, self.filepath, save_weights_only)
        self._options = options
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.mode = check_mode(mode, "ModelCheckpoint")
        self.save_freq = save_freq
        # Keras 2 starts from +inf (-inf when maximising) without a threshold; the
        # direction is known from the name here and confirmed once metrics exist.
        self._best_is_default = initial_value_threshold is None
        self._direction: str | None = None
        if initial_value_threshold is None:
            guess = resolve_direction(monitor, self.mode, None, "ModelCheckpoint", "min")
            self.best = np.inf if guess == "min" else -np.inf
        else:
            self.best = initial_value_threshold
        self._batches_seen_since_last_saving = 0
        # -1: no batch yet, so a first hook call at batch k counts k + 1 steps (with
        # steps_per_execution the first call comes after several steps).
        self._last_batch_seen = -1
        self._current_epoch = 0

        if save_freq != "epoch" and (
            isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq <= 0
        ):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq!r}. Expected save_freq are 'epoch' "
                "or a positive integer (a number of training batches)."
            )
        # With save_weights_only, any path goes to save_weights as in Keras 2: '.weights.h5',
        # '.h5', TensorFlow checkpoints ('training/cp.ckpt') and even '.keras' (HDF5 weights
        # in Keras 2, e.g. the Hvass-Labs time-series tutorial's '23_checkpoint.keras').
        if not save_weights_only and self.filepath.endswith(".weights.h5"):
            raise ValueError(
                "The filepath provided to `ModelCheckpoint` ends in `.weights.h5`, the weights "
                "format: pass `save_weights_only=True`, or save the whole model to a path ending "
                f"in `.keras`. Received: filepath={self.filepath}"
            )

    def _implements_train_batch_hooks(self) -> bool:
        return self.save_freq != "epoch"

    def on_train_begin(self, logs: dict | None = None) -> None:
        if not self.load_weights_on_restart:
            return
        path = self._get_most_recently_modified_file_matching_pattern(self.filepath)
        if path is None:
            return
        try:
            self.model.load_weights(path)
        except (OSError, ValueError) as e:
            raise ValueError(f"Error loading file from {path}. Reason: {e}") from e

    def _get_most_recently_modified_file_matching_pattern(self, pattern: str) -> str | None:
        """The newest existing file (or checkpoint prefix) matching `pattern`, or None.

        Every `{...}` placeholder of `pattern` matches any text. The directory's
        TensorFlow-checkpoint state file wins when it names a matching checkpoint;
        otherwise the file modified last wins, ties going to the largest name.
        """
        directory, base = os.path.split(pattern)
        parts = re.split(r"\{[^{}]*\}", base)
        if len(parts) == 1:
            return pattern if _checkpoint_exists(pattern) else None
        regex = re.compile("^" + ".*".join(re.escape(p) for p in parts) + "$")
        from tork.train import latest_checkpoint

        latest = latest_checkpoint(directory or ".")
        if latest is not None and regex.match(os.path.basename(latest)):
            return latest
        best: tuple[float, str] | None = None
        for name in os.listdir(directory or "."):
            candidate = os.path.join(directory, name)
            if regex.match(name) and _checkpoint_exists(candidate):
                key = (os.path.getmtime(candidate), candidate)
                best = key if best is None or key > best else best
        return None if best is None else best[1]

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._current_epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self._should_save_on_batch(batch):
            self._save_model(epoch=self._current_epoch, batch=batch, logs=logs)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._last_batch_seen = -1
        if self.save_freq == "epoch":
            self.epochs_since_last_save += 1
            if self.epochs_since_last_save >= self.period:
                self.epochs_since_last_save = 0
                self._save_model(epoch=epoch, batch=None, logs=logs)

    def _should_save_on_batch(self, batch: int) -> bool:
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:
            # A new epoch restarted the batch index.
            seen = batch + 1
        else:
            seen = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += seen
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _is_improvement(self, value: float) -> bool:
        return value < self.best if self._resolved_direction() == "min" else value > self.best

    def _should_save_model(self, epoch: int, logs: dict, filepath: str) -> bool:
        if not self.save_best_only:
            if self.verbose > 0:
                _write(f"\nEpoch {epoch + 1}: saving model to {filepath}\n")
            return True
        current = logs.get(self.monitor)
        if current is None:
            # Keras 2 skips the save (Keras 3 saves anyway).
            warnings.warn(
                f"Can save best model only with {self.monitor} available, skipping. "
                f"Available metrics are: {','.join(logs.keys())}.",
                stacklevel=3,
            )
            return False
        if isinstance(current, np.ndarray | torch.Tensor) and current.ndim > 0:
            warnings.warn(
                "Can save best model only when `monitor` is a scalar value. "
                f"Received: {current}. Falling back to `save_best_only=False`.",
                stacklevel=3,
            )
            return True
        current = float(current)
        best_str = f"{self.best:.5f}"
        if self._is_improvement(current):
            if self.verbose > 0:
                _write(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best_str} to "
                    f"{current:.5f}, saving model to {filepath}\n"
                )
            self.best = current
            return True
        if self.verbose > 0:
            _write(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best_str}\n")
        return False

    def _resolved_direction(self) -> str:
        if self._direction is None:
            # Keras 2 minimises any quantity it cannot recognise (a custom metric's name).
            self._direction = resolve_direction(
                self.monitor, self.mode, self.model, "ModelCheckpoint", fallback="min"
            )
            if self._best_is_default:
                self.best = np.inf if self._direction == "min" else -np.inf
        return self._direction

    def _get_file_path(self, epoch: int, batch: int | None, logs: dict) -> str:
        fields: dict[str, Any] = dict(logs)
        fields["epoch"] = epoch + 1
        if batch is not None and "batch" not in logs:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as e:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: the '
                f"key {e} is not in the logs. Available keys: "
                f"{', '.join(sorted(fields))}."
            ) from None

    def _save_model(self, epoch: int, batch: int | None, logs: dict | None) -> None:
        logs = pythonify_logs(logs)
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save_model(epoch, logs, filepath):
            return
        is_file_format = filepath.endswith((".h5", ".hdf5", ".keras"))
        if is_file_format and os.path.isdir(filepath):
            raise OSError(
                "Please specify a non-directory filepath for ModelCheckpoint. "
                f"Filepath used is an existing directory: {filepath}"
            )
        if not is_file_format:
            # Keras 2's TensorFlow formats: a checkpoint prefix (weights; its files are
            # written atomically one by one, the index last) or a model directory, written
            # again at every save as in TF (tensorflow_similarity's
            # `ModelCheckpoint('models/slug')`).
            if self.save_weights_only:
                self.model.save_weights(filepath, overwrite=True)
            else:
                self.model.save(filepath, overwrite=True)
        else:
            with atomic_path(filepath) as tmp:
                if self.save_weights_only:
                    self.model.save_weights(tmp, overwrite=True)
                else:
                    self.model.save(tmp, overwrite=True)


def _checkpoint_exists(path: str) -> bool:
    # A file, or a TensorFlow checkpoint prefix (its files are `prefix.index`, ...).
    return os.path.isfile(path) or os.path.isfile(path + ".index")


def _check_options(options, filepath: str, save_weights_only: bool) -> None:
    """Keras 2's checks of `options` (the options themselves change nothing in tork)."""
    if options is None:
        return
    from tork.saved_model import SaveOptions
    from tork.train import CheckpointOptions

    if filepath.endswith(".keras") and not save_weights_only:
        raise ValueError(
            "The native TF-Keras format does not support the `options` argument. Please "
            "remove the `options` argument, or use the SavedModel format by removing the "
            "`.keras` extension from the model filepath."
        )
    expected, name = (
        (CheckpointOptions, "tf.train.CheckpointOptions")
        if save_weights_only
        else (SaveOptions, "tf.saved_model.SaveOptions")
    )
    if not isinstance(options, expected):
        raise TypeError(
            f"If save_weights_only is {save_weights_only}, then `options` must be either None "
            f"or a {name}. Got {options!r}."
        )
