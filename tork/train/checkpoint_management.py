"""`tf.train.CheckpointManager`, `tf.train.latest_checkpoint`, `tf.train.get_checkpoint_state`.

A directory of checkpoints has a text file named `checkpoint` that lists them,
in TensorFlow's format (a text protocol buffer), with paths relative to the
directory:

    model_checkpoint_path: "ckpt-3"
    all_model_checkpoint_paths: "ckpt-2"
    all_model_checkpoint_paths: "ckpt-3"
    all_model_checkpoint_timestamps: 1700000000.5
    all_model_checkpoint_timestamps: 1700000060.2
    last_preserved_timestamp: 1699999990.1

It is rewritten atomically after each checkpoint is complete, so it never names
a checkpoint that is only half written.
"""

from __future__ import annotations

import collections
import os
import re
import time
import warnings

import torch

from tork.keras.saving._atomic import atomic_write, remove_stale_temporaries
from tork.train import _format

_STATE_FILE = "checkpoint"
_LINE = re.compile(r"^\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$")


class CheckpointState:
    """The content of a directory's `checkpoint` file (TensorFlow's `CheckpointState` proto).

    Attributes:
        model_checkpoint_path: the latest checkpoint's path.
        all_model_checkpoint_paths: the checkpoints kept, oldest first.
        all_model_checkpoint_timestamps: when each was saved (seconds since the epoch).
        last_preserved_timestamp: when the last checkpoint kept by
            `keep_checkpoint_every_n_hours` was saved.
    """

    def __init__(
        self,
        model_checkpoint_path: str = "",
        all_model_checkpoint_paths=(),
        all_model_checkpoint_timestamps=(),
        last_preserved_timestamp: float = 0.0,
    ) -> None:
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)
        self.all_model_checkpoint_timestamps = list(all_model_checkpoint_timestamps)
        self.last_preserved_timestamp = last_preserved_timestamp

    def __repr__(self) -> str:
        return _render(self).rstrip("\n")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _unquote(text: str) -> str:
    if len(text) < 2 or text[0] != text[-1] or text[0] not in "\"'":
        raise ValueError(f"expected a quoted string, got {text!r}")
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text[1:-1]
    )


def _render(state: CheckpointState) -> str:
    lines = [f"model_checkpoint_path: {_quote(state.model_checkpoint_path)}"]
    lines += [f"all_model_checkpoint_paths: {_quote(p)}" for p in state.all_model_checkpoint_paths]
    lines += [
        f"all_model_checkpoint_timestamps: {t!r}" for t in state.all_model_checkpoint_timestamps
    ]
    if state.last_preserved_timestamp:
        lines.append(f"last_preserved_timestamp: {state.last_preserved_timestamp!r}")
    return "\n".join(lines) + "\n"


def _parse(text: str) -> CheckpointState:
    state = CheckpointState()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValueError(f"line {number} is not 'field: value': {line!r}")
        field, value = match.groups()
        if field == "model_checkpoint_path":
            state.model_checkpoint_path = _unquote(value)
        elif field == "all_model_checkpoint_paths":
            state.all_model_checkpoint_paths.append(_unquote(value))
        elif field == "all_model_checkpoint_timestamps":
            state.all_model_checkpoint_timestamps.append(float(value))
        elif field == "last_preserved_timestamp":
            state.last_preserved_timestamp = float(value)
        else:
            raise ValueError(f"line {number} has the unknown field {field!r}")
    return state


def _relative(path: str, directory: str) -> str:
    if os.path.dirname(os.path.abspath(path)) == os.path.abspath(directory or "."):
        return os.path.basename(path)
    return path


def _update_checkpoint_state(
    directory: str,
    model_checkpoint_path: str,
    all_model_checkpoint_paths: list,
    all_model_checkpoint_timestamps: list | None = None,
    last_preserved_timestamp: float | None = None,
) -> None:
    """Rewrites `directory/checkpoint` atomically, with paths relative to `directory`."""
    state = CheckpointState(
        _relative(model_checkpoint_path, directory),
        [_relative(p, directory) for p in all_model_checkpoint_paths],
        all_model_checkpoint_timestamps or [],
        last_preserved_timestamp or 0.0,
    )
    atomic_write(os.path.join(directory, _STATE_FILE), _render(state))


def get_checkpoint_state(checkpoint_dir, latest_filename: str | None = None):
    """Returns the `CheckpointState` recorded in `checkpoint_dir/checkpoint`, or None.

    Relative paths in the file are made relative to `checkpoint_dir` (joined
    with it), as in TensorFlow.

    Args:
        checkpoint_dir: the directory of the checkpoints.
        latest_filename: the state file's name; default `"checkpoint"`.

    Returns:
        A `CheckpointState`, or None if the file does not exist or cannot be
        parsed (with a warning).

    Example:
    >>> state = tf.train.get_checkpoint_state("/tmp/training")  # doctest: +SKIP
    >>> state.all_model_checkpoint_paths
    ['/tmp/training/ckpt-4', '/tmp/training/ckpt-5']
    """
    directory = os.fspath(checkpoint_dir)
    path = os.path.join(directory, latest_filename or _STATE_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as error:
        warnings.warn(f"Cannot read the checkpoint state file {path}: {error}.", stacklevel=2)
        return None
    try:
        state = _parse(text)
    except ValueError as error:
        warnings.warn(
            f"The checkpoint state file {path} is not valid ({error}); ignoring it.",
            stacklevel=2,
        )
        return None
    if not state.model_checkpoint_path:
        warnings.warn(
            f"The checkpoint state file {path} names no model_checkpoint_path; ignoring it.",
            stacklevel=2,
        )
        return None

    def absolute(p: str) -> str:
        return p if os.path.isabs(p) else os.path.join(directory, p)

    state.model_checkpoint_path = absolute(state.model_checkpoint_path)
    state.all_model_checkpoint_paths = [absolute(p) for p in state.all_model_checkpoint_paths]
    return state


def _checkpoint_exists(prefix: str) -> bool:
    return os.path.exists(_format.index_path(prefix))


def latest_checkpoint(checkpoint_dir, latest_filename: str | None = None) -> str | None:
    """Returns the path of the latest checkpoint in `checkpoint_dir`, or None.

    It reads the directory's `checkpoint` file (written by
    `Checkpoint.save` and `CheckpointManager`) and checks that the checkpoint
    it names exists.

    Args:
        checkpoint_dir: the directory of the checkpoints.
        latest_filename: the state file's name; default `"checkpoint"`.

    Returns:
        The checkpoint prefix (e.g. `/tmp/training/ckpt-5`), or None when the
        directory has no (complete) checkpoint.

    Example:
    >>> checkpoint.restore(tf.train.latest_checkpoint("/tmp/training"))  # doctest: +SKIP
    """
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None:
        return None
    prefix = state.model_checkpoint_path
    return prefix if _checkpoint_exists(prefix) else None


def _as_int(value, what: str) -> int:
    if isinstance(value, torch.Tensor):
        if value.numel() != 1 or value.is_floating_point() or value.is_complex():
            raise TypeError(f"{what} must be an integer scalar, got a tensor of {value.dtype}.")
        return int(value.item())
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        raise TypeError(f"{what} must be an integer, got {type(value).__name__} {value!r}.")
    return int(value)


class CheckpointManager:
    """Manages multiple checkpoints by keeping some and deleting unneeded ones.

    `save()` writes `directory/{checkpoint_name}-{N}` and records it in
    `directory/checkpoint`; beyond `max_to_keep` checkpoints the oldest are
    deleted. A new manager on the same directory picks up the recorded state,
    so `latest_checkpoint` survives a restart. Only one manager should write to
    a directory at a time.

    Args:
        checkpoint: the `tf.train.Checkpoint` to save.
        directory: the directory of the checkpoints (created on first save).
        max_to_keep: how many checkpoints to keep (a positive integer), or None
            to keep all of them.
        keep_checkpoint_every_n_hours: when a checkpoint leaves the kept set, it
            is preserved on disk if this many hours passed since the last one
            preserved; None preserves none.
        checkpoint_name: the checkpoint file prefix within `directory`.
        step_counter: a `tf.Variable` counting the training steps; required
            with `checkpoint_interval`.
        checkpoint_interval: the minimum number of steps between two saves:
            `save()` does nothing (returns None) sooner.
        init_fn: called by `restore_or_initialize()` when there is no
            checkpoint.

    Raises:
        ValueError: for a `max_to_keep` that is not positive, or a
            `checkpoint_interval` without `step_counter`.

    Example:

    ```python
    checkpoint = tf.train.Checkpoint(optimizer=optimizer, model=model)
    manager = tf.train.CheckpointManager(checkpoint, directory="/tmp/model", max_to_keep=5)
    status = checkpoint.restore(manager.latest_checkpoint)
    for epoch in range(epochs):
        train_one_epoch()
        manager.save()
    ```
    """

    def __init__(
        self,
        checkpoint,
        directory,
        max_to_keep: int | None,
        keep_checkpoint_every_n_hours: float | None = None,
        checkpoint_name: str = "ckpt",
        step_counter=None,
        checkpoint_interval: int | None = None,
        init_fn=None,
    ) -> None:
        if not getattr(type(checkpoint), "_tork_is_checkpoint", False):
            raise TypeError(
                "CheckpointManager manages a tf.train.Checkpoint, e.g. "
                "tf.train.CheckpointManager(tf.train.Checkpoint(model=model), directory, "
                f"max_to_keep=3). Received {type(checkpoint).__name__}."
            )
        if max_to_keep is not None:
            max_to_keep = _as_int(max_to_keep, "max_to_keep")
            if max_to_keep <= 0:
                raise ValueError(
                    f"Expected a positive integer or `None` for `max_to_keep`, got {max_to_keep}."
                )
        if checkpoint_interval is not None:
            if step_counter is None:
                raise ValueError(
                    "`step_counter` should be passed if `checkpoint_interval` is not None: "
                    "pass the variable that counts training steps, e.g. optimizer.iterations."
                )
            checkpoint_interval = _as_int(checkpoint_interval, "checkpoint_interval")
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._checkpoint_name = checkpoint_name
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter = step_counter
        self._checkpoint_interval = checkpoint_interval
        self._init_fn = init_fn
        self._last_checkpoint_step = None
        # Leftovers of a save that was killed; complete checkpoints are never .tmp- files.
        remove_stale_temporaries(self._directory)
        now = time.time()
        self._maybe_delete: collections.OrderedDict[str, float] = collections.OrderedDict()
        state = get_checkpoint_state(self._directory)
        if state is None:
            self._latest_checkpoint = None
            self._last_preserved_timestamp = now - 1.0
            return
        self._latest_checkpoint = state.model_checkpoint_path
        self._last_preserved_timestamp = min(state.last_preserved_timestamp, now)
        timestamps = state.all_model_checkpoint_timestamps
        paths = state.all_model_checkpoint_paths
        if len(timestamps) != len(paths):
            timestamps = [self._last_preserved_timestamp] * len(paths)
        for path, stamp in zip(paths, timestamps):
            stamp = min(stamp, now)
            if stamp > self._last_preserved_timestamp or not state.last_preserved_timestamp:
                self._maybe_delete[path] = stamp

    # -- properties -------------------------------------------------------------------------
    @property
    def directory(self) -> str:
        """The directory of the checkpoints."""
        return self._directory

    @property
    def checkpoint(self):
        """The managed `tf.train.Checkpoint`."""
        return self._checkpoint

    @property
    def checkpoint_interval(self) -> int | None:
        """The minimum number of steps between two saves, or None."""
        return self._checkpoint_interval

    @property
    def latest_checkpoint(self) -> str | None:
        """The path of the most recent checkpoint, or None if there is none yet.

        Pass it to `checkpoint.restore()`: with None nothing is restored.
        """
        return self._latest_checkpoint

    @property
    def checkpoints(self) -> list[str]:
        """The checkpoints kept by this manager, oldest first."""
        return list(self._maybe_delete)

    # -- saving -------------------------------------------------------------------------------
    def save(self, checkpoint_number=None, check_interval: bool = True, options=None):
        """Saves a new checkpoint and deletes the ones beyond `max_to_keep`.

        Args:
            checkpoint_number: the number in the file name; default the
                checkpoint's `save_counter` (which is incremented either way).
                An integer, or an integer `tf.Variable`/tensor such as
                `optimizer.iterations`.
            check_interval: with `checkpoint_interval`, whether to skip the save
                when too few steps passed since the last one.
            options: accepted for compatibility; unused.

        Returns:
            The path of the new checkpoint, or None when skipped by
            `checkpoint_interval`.

        Example:
        >>> manager.save()  # doctest: +SKIP
        '/tmp/model/ckpt-1'
        """
        del options
        if self._checkpoint_interval is not None:
            step = _as_int(self._step_counter, "step_counter")
            if self._last_checkpoint_step is not None:
                if step == self._last_checkpoint_step:
                    return None
                if check_interval and step < self._last_checkpoint_step + self._checkpoint_interval:
                    return None
            self._last_checkpoint_step = step
        counter = self._checkpoint.save_counter
        counter.assign_add(1)
        if checkpoint_number is None:
            number = int(counter)
        else:
            number = _as_int(checkpoint_number, "checkpoint_number")
        os.makedirs(self._directory, exist_ok=True)
        path = self._checkpoint.write(f"{self._prefix}-{number}")
        self._maybe_delete.pop(path, None)
        self._maybe_delete[path] = time.time()
        self._latest_checkpoint = path
        doomed = self._sweep()
        # Record the new state first: it never names a checkpoint that is being deleted.
        self._record_state()
        for prefix in doomed:
            _format.delete_checkpoint(prefix)
        return path

    def _sweep(self) -> list[str]:
        """Drops the checkpoints beyond `max_to_keep` from the kept set; returns those to delete."""
        doomed = []
        if not self._max_to_keep:
            return doomed
        while len(self._maybe_delete) > self._max_to_keep:
            path, stamp = self._maybe_delete.popitem(last=False)
            hours = self._keep_checkpoint_every_n_hours
            if hours and stamp - hours * 3600.0 >= self._last_preserved_timestamp:
                self._last_preserved_timestamp = stamp
                continue
            doomed.append(path)
        return doomed

    def _record_state(self) -> None:
        _update_checkpoint_state(
            self._directory,
            self._latest_checkpoint,
            list(self._maybe_delete),
            list(self._maybe_delete.values()),
            self._last_preserved_timestamp,
        )

    def restore_or_initialize(self) -> str | None:
        """Restores the latest checkpoint, or calls `init_fn` when there is none.

        Returns:
            The restored checkpoint's path, or None.

        Example:
        >>> manager.restore_or_initialize()  # doctest: +SKIP
        """
        if self._latest_checkpoint is not None:
            self._checkpoint.restore(self._latest_checkpoint)
            if self._checkpoint_interval is not None:
                self._last_checkpoint_step = _as_int(self._step_counter, "step_counter")
            return self._latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None

    def sync(self) -> None:
        """Waits for pending asynchronous saves: saves are synchronous, so it returns at once."""


def checkpoints_iterator(
    checkpoint_dir, min_interval_secs: float = 0, timeout: float | None = None, timeout_fn=None
):
    """Yields each new checkpoint path of a directory as it appears (for evaluation jobs).

    The first path is the latest checkpoint already there; then the directory's
    `checkpoint` file is polled every second for a newer one.

    Args:
        checkpoint_dir: the directory the training job writes checkpoints to.
        min_interval_secs: the least time between two yielded paths.
        timeout: seconds to wait for a new checkpoint before giving up (None: forever).
        timeout_fn: called after each timeout; the iteration ends when it returns
            True, and waits again otherwise. Without it, a timeout ends the iteration.

    Yields:
        Checkpoint paths (prefixes such as `"dir/ckpt-3"`), each newer than the last.

    Example:
    >>> for path in tf.train.checkpoints_iterator("/tmp/ckpts", timeout=60):  # doctest: +SKIP
    ...     checkpoint.restore(path)
    ...     evaluate(model)
    """
    checkpoint_path = None
    while True:
        new_path = _wait_for_new_checkpoint(checkpoint_dir, checkpoint_path, 1.0, timeout)
        if new_path is None:
            if timeout_fn is None or timeout_fn():
                return
            continue
        start = time.time()
        checkpoint_path = new_path
        yield checkpoint_path
        remaining = start + min_interval_secs - time.time()
        if remaining > 0:
            time.sleep(remaining)


def _wait_for_new_checkpoint(checkpoint_dir, last_checkpoint, seconds_to_sleep, timeout):
    stop_time = None if timeout is None else time.time() + timeout
    while True:
        path = latest_checkpoint(checkpoint_dir)
        if path is not None and path != last_checkpoint:
            return path
        if stop_time is not None and time.time() + seconds_to_sleep > stop_time:
            return None
        time.sleep(seconds_to_sleep)
