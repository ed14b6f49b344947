"""`keras.callbacks.BackupAndRestore`: resume a `fit` that was interrupted."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from typing import Any

from tork._warnings import warn_user
from tork.keras.callbacks.callback import Callback
from tork.keras.saving._atomic import atomic_path, atomic_write, remove_stale_temporaries

_METADATA = "training_metadata.json"
_WEIGHTS_PREFIX = "backup-"
_WEIGHTS_SUFFIX = ".weights.h5"
_FORMAT = "tork-backup-1"
# Where TensorFlow's BackupAndRestore keeps its checkpoint (the chief worker's directory).
_TF_BACKUP_DIR = "chief"


class BackupAndRestore(Callback):
    """Callback to back up and restore the training state.

    It recovers training from an interruption in the middle of `fit` (a
    crash, a killed job, a preempted machine): after each epoch (or every
    `save_freq` batches) it backs up the model weights, which include the
    optimizer state, and the epoch (and batch) to resume from. When `fit`
    starts again with this callback and the same `backup_dir`, the weights are
    restored and training resumes from the last completed epoch, or, with an
    integer `save_freq`, at the batch after the last backup: as in Keras 2,
    that epoch counts its steps from there and runs only the steps left
    (drawn from the start of the data). At the end of
    a successful `fit` the backup is deleted (unless `delete_checkpoint=False`);
    the directory stays, empty.

    The backup can never be half-written: the weights go to a new file, then a
    small JSON file naming it and the epoch replaces the previous one
    atomically, then the old weights file is deleted.

    Contract with `fit`: `_tork_initial_epoch()` returns the epoch to resume
    from (None without a backup) and `_tork_initial_step()` the step in it;
    both may be called before `on_train_begin`;
    `on_train_begin` loads the weights and also sets `model._initial_epoch`
    (the Keras 3 convention, read by `CallbackList._tork_initial_epoch`).

    Args:
        backup_dir: directory where the backup is stored. It must not be used
            by anything else (another run, a `ModelCheckpoint`).
        save_freq: `"epoch"` to back up at the end of each epoch, an integer to
            back up every that many training batches, or False for never.
        delete_checkpoint: whether to delete the backup when training finishes.
        save_before_preemption: accepted for Keras 2 code. In TensorFlow it also
            backs up when a cluster manager announces a preemption; tork gets no
            such notice, so backups follow `save_freq` only (True warns).

    Example:

    ```python
    callback = tf.keras.callbacks.BackupAndRestore(backup_dir="/tmp/backup")
    model.fit(x, y, epochs=10, callbacks=[callback])  # killed during epoch 5
    model.fit(x, y, epochs=10, callbacks=[callback])  # runs epochs 5..10 only
    ```
    """

    _supports_tf_logs = True

    def __init__(
        self,
        backup_dir: str | os.PathLike,
        save_freq: str | int | bool = "epoch",
        delete_checkpoint: bool = True,
        save_before_preemption: bool = False,
    ) -> None:
        super().__init__()
        if save_before_preemption:
            # Keras 2 hooks a preemption watcher here; tork has none, so say what remains.
            warn_user(
                "BackupAndRestore(save_before_preemption=True): tork receives no preemption "
                f"notices, so backups are written only per save_freq={save_freq!r}."
            )
        if not backup_dir:
            raise ValueError(
                "Empty `backup_dir` argument passed to BackupAndRestore. Pass the path of "
                "a directory reserved for the backup, e.g. backup_dir='/tmp/backup'."
            )
        valid_int = isinstance(save_freq, int) and not isinstance(save_freq, bool) and save_freq > 0
        if save_freq != "epoch" and save_freq is not False and not valid_int:
            raise ValueError(
                "Invalid value for argument `save_freq`. "
                f"Received: save_freq={save_freq!r}. Expected either 'epoch', a positive "
                "integer (a number of training batches) or False."
            )
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.delete_checkpoint = delete_checkpoint
        self.save_before_preemption = save_before_preemption
        self._metadata_path = os.path.join(self.backup_dir, _METADATA)
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = -1
        self._current_epoch = 0
        # The step the resumed epoch starts at, consumed by its on_epoch_begin.
        self._resume_step = 0

    def _implements_train_batch_hooks(self) -> bool:
        return self.save_freq not in ("epoch", False)

    # -- reading -----------------------------------------------------------

    def _tf_backup(self) -> str | None:
        """The checkpoint prefix of a backup TensorFlow's BackupAndRestore wrote, or None.

        tf_keras keeps it as a checkpoint in `<backup_dir>/chief` (its `checkpoint` state
        file names it) holding the model and the counters `ckpt_saved_epoch` and
        `ckpt_saved_batch`; tork reads it so a `fit` interrupted under TensorFlow resumes.
        """
        from tork.train.checkpoint_management import latest_checkpoint

        directory = os.path.join(self.backup_dir, _TF_BACKUP_DIR)
        if not os.path.isfile(os.path.join(directory, "checkpoint")):
            return None
        return latest_checkpoint(directory)

    def _read_tf_metadata(self) -> dict | None:
        prefix = self._tf_backup()
        if prefix is None:
            return None
        from tork.train.checkpoint_utils import load_variable

        try:
            epoch = int(load_variable(prefix, "ckpt_saved_epoch/.ATTRIBUTES/VARIABLE_VALUE"))
            batch = int(load_variable(prefix, "ckpt_saved_batch/.ATTRIBUTES/VARIABLE_VALUE"))
        except ValueError:
            return None
        # tf_keras: a backup after batch `b` of epoch `e` resumes there at `b + 1`; one at
        # the end of epoch `e` (batch -1) resumes at `e + 1`.
        if batch >= 0:
            return {"epoch": epoch, "step": batch + 1, "tf_checkpoint": prefix}
        return {"epoch": epoch + 1, "step": 0, "tf_checkpoint": prefix}

    def _read_metadata(self) -> dict | None:
        if not os.path.exists(self._metadata_path):
            return self._read_tf_metadata()
        try:
            with open(self._metadata_path, encoding="utf-8") as f:
                metadata = json.load(f)
            int(metadata["epoch"])
        except (ValueError, KeyError, TypeError) as e:
            raise ValueError(
                f"BackupAndRestore: the backup state file {self._metadata_path} is not a "
                f"valid backup ({e}). Delete the directory {self.backup_dir} to start "
                "training from scratch."
            ) from None
        return metadata

    def _backup_files(self) -> list[str]:
        if not os.path.isdir(self.backup_dir):
            return []
        return [
            n
            for n in os.listdir(self.backup_dir)
            if n.startswith(_WEIGHTS_PREFIX) and n.endswith(_WEIGHTS_SUFFIX)
        ]

    def _remove_unreferenced(self, keep: str | None) -> None:
        for name in self._backup_files():
            if name != keep:
                try:
                    os.remove(os.path.join(self.backup_dir, name))
                except FileNotFoundError:
                    pass
        remove_stale_temporaries(self.backup_dir)

    def _tork_initial_epoch(self) -> int | None:
        """The epoch a `fit` starting now resumes from, or None without a backup.

        `fit` may call it before `on_train_begin`; it only reads the state file
        (the weights are loaded by `on_train_begin`).
        """
        metadata = self._read_metadata()
        return None if metadata is None else int(metadata["epoch"])

    def _tork_initial_step(self) -> int:
        """The step of `_tork_initial_epoch()` a `fit` starting now resumes at (0: its start)."""
        metadata = self._read_metadata()
        # Backups from before the step was recorded resume at the start of the epoch.
        return 0 if metadata is None else int(metadata.get("step", 0))

    def on_train_begin(self, logs: dict | None = None) -> None:
        model = self.model
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = -1
        self._current_epoch = 0
        self._resume_step = 0
        metadata = self._read_metadata()
        unbuilt = getattr(model, "built", True) is False
        message = (
            "To use the BackupAndRestore callback, your model must be built before you "
            f"call `fit()`. Model {getattr(model, 'name', model)} is unbuilt. You can "
            "build it beforehand by calling it on a batch of data."
        )
        if unbuilt and metadata is not None:
            # The backup's weights can only be loaded into variables that exist.
            raise ValueError(
                f"{message} (It is needed to restore the backup in {self.backup_dir}.)"
            )
        if unbuilt:
            # Keras 2 only warns: the model builds on the first batch, and the backups,
            # written after it, hold its weights.
            warn_user(message)
        if metadata is None:
            return
        weights = metadata.get("weights")
        if metadata.get("tf_checkpoint"):
            from tork.train.checkpoint import Checkpoint

            # The model (with its optimizer) only: the counters were read above.
            Checkpoint(model=model).restore(metadata["tf_checkpoint"]).expect_partial()
        elif weights:
            path = os.path.join(self.backup_dir, weights)
            if not os.path.exists(path):
                raise FileNotFoundError(
                    f"BackupAndRestore: the backup state {self._metadata_path} names the "
                    f"weights file {path}, which is missing. Delete {self.backup_dir} to "
                    "start training from scratch."
                )
            optimizer = getattr(model, "optimizer", None)
            if (
                optimizer is not None
                and getattr(optimizer, "built", True) is False
                and hasattr(optimizer, "build")
            ):
                # Optimizer slots must exist before their saved values can be loaded.
                optimizer.build(model.trainable_variables)
            model.load_weights(path)
        self._remove_unreferenced(keep=weights)
        epoch = int(metadata["epoch"])
        self._current_epoch = epoch
        self._resume_step = int(metadata.get("step", 0))
        model._initial_epoch = epoch

    # -- writing -----------------------------------------------------------

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._current_epoch = epoch
        # A resumed epoch's first batch is `step`: the batches before it are not new.
        self._last_batch_seen = self._resume_step - 1
        self._resume_step = 0

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self._should_save_on_batch(batch):
            steps = (self.params or {}).get("steps")
            if steps is not None and batch + 1 >= steps:
                # The epoch's last batch: its training is complete, so resume after it
                # (as Keras 2 does) instead of running the epoch again.
                self._save_model(epoch=self._current_epoch + 1, batch=0)
            else:
                # Resume in this epoch, at the next batch (Keras 2).
                self._save_model(epoch=self._current_epoch, batch=batch, step=batch + 1)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._current_epoch = epoch + 1
        self._last_batch_seen = -1
        if self.save_freq == "epoch":
            self._save_model(epoch=epoch + 1, batch=0)

    def _should_save_on_batch(self, batch: int) -> bool:
        if self.save_freq in ("epoch", False):
            return False
        seen = batch + 1 if batch <= self._last_batch_seen else batch - self._last_batch_seen
        self._batches_seen_since_last_saving += seen
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _save_model(self, epoch: int, batch: int, step: int = 0) -> None:
        """Backs up the weights, then points the state file at them (the commit point)."""
        os.makedirs(self.backup_dir, exist_ok=True)
        name = f"{_WEIGHTS_PREFIX}{uuid.uuid4().hex[:12]}{_WEIGHTS_SUFFIX}"
        with atomic_path(os.path.join(self.backup_dir, name)) as tmp:
            self.model.save_weights(tmp, overwrite=True)
        metadata: dict[str, Any] = {
            "epoch": epoch,
            "batch": batch,
            "step": step,
            "weights": name,
            "format": _FORMAT,
        }
        atomic_write(self._metadata_path, json.dumps(metadata))
        self._remove_unreferenced(keep=name)
        # tork's backup supersedes one TensorFlow wrote: a later run must not resume there.
        shutil.rmtree(os.path.join(self.backup_dir, _TF_BACKUP_DIR), ignore_errors=True)

    def on_train_end(self, logs: dict | None = None) -> None:
        if not self.delete_checkpoint or not os.path.isdir(self.backup_dir):
            return
        try:
            os.remove(self._metadata_path)
        except FileNotFoundError:
            pass
        # The directory itself stays, empty, as in Keras 2.
        self._remove_unreferenced(keep=None)
        shutil.rmtree(os.path.join(self.backup_dir, _TF_BACKUP_DIR), ignore_errors=True)
