"""`tf.train.Checkpoint`: save and restore the state of models, optimizers and variables."""

from __future__ import annotations

import os

import torch

from tork import _tracking
from tork.train import _format, _restore, _tf_saving
from tork.train._graph import CHECKPOINT, LIST, VARIABLE, Graph, kind_of, untrackable_part
from tork.train._saving import build_payload

_TRACKABLE_HELP = (
    "a tf.Variable or torch tensor, a Keras layer, model or metric, a tf.Module or "
    "torch.nn.Module, a Keras or torch optimizer, another tf.train.Checkpoint, or a "
    "list/tuple/dict of these"
)


def _check_trackable(name: str, value) -> None:
    bad = untrackable_part(value)
    if bad is None:
        return
    inside = "" if bad is value else f" (it holds {type(bad).__name__} {bad!r:.80})"
    raise ValueError(
        f"`Checkpoint` was expecting {name} to be a trackable object: {_TRACKABLE_HELP}. Got "
        f"{type(value).__name__} {value!r:.80}{inside}. Plain Python values are not saved: "
        "keep a number in a tf.Variable, e.g. step=tf.Variable(0)."
    )


class Checkpoint:
    """Manages saving/restoring trackable values to disk (`tf.train.Checkpoint`).

    The objects passed as keyword arguments (and everything they hold: the
    layers and variables of a model, the slots of an optimizer) are saved by
    `save`/`write` and restored by `restore`/`read`, matched by the attribute
    names that lead to them, so the same code restores into fresh objects.

    Restoring into objects whose variables do not exist yet is deferred: the
    weights of a layer that is not built are restored when it is built, and an
    optimizer's slots as soon as the model variables it was trained on exist
    (the optimizer is then built on them). Training after a restore continues
    exactly as the saved run would have.

    A checkpoint `prefix-N` is the files `prefix-N.index` and
    `prefix-N.data-00000-of-00001` in TensorFlow's format, with the keys and
    object graph TensorFlow writes for the same tf.keras code: TensorFlow
    restores them, and `restore` reads checkpoints TensorFlow wrote (and tork's
    older format). Each file is written to a temporary file and renamed into
    place, so a crash mid-save never leaves a broken checkpoint.

    Args:
        root: optional root object: its children are saved directly under the
            checkpoint (`tf.train.Checkpoint(model)`).
        **kwargs: the objects to save, by name: Keras models, layers and
            optimizers, `tf.Variable`s, `tf.Module`s, torch modules and torch
            optimizers, other `Checkpoint`s, or lists/dicts of these.

    Example:

    ```python
    checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer)
    manager = tf.train.CheckpointManager(checkpoint, "/tmp/ckpts", max_to_keep=3)
    checkpoint.restore(manager.latest_checkpoint)  # None at first: starts fresh
    for step in range(1000):
        train_step()
        if step % 100 == 0:
            manager.save()
    ```
    """

    _tork_is_checkpoint = True

    def __init__(self, root=None, **kwargs) -> None:
        object.__setattr__(self, "_children", {})
        object.__setattr__(self, "_root", None)
        object.__setattr__(self, "_save_counter", None)
        object.__setattr__(self, "_restoration", None)
        if root is not None:
            if isinstance(root, Checkpoint):
                root = root._root if root._root is not None else root
            _check_trackable("root", root)
            if kind_of(root) in (VARIABLE, LIST) or isinstance(root, dict):
                raise ValueError(
                    f"`Checkpoint` root must be an object with attributes (a model, layer, "
                    f"module or optimizer), got {type(root).__name__}. Pass it by name "
                    "instead: tf.train.Checkpoint(v=variable)."
                )
            object.__setattr__(self, "_root", root)
            root_children = dict(_children_of(root))
            for name, value in kwargs.items():
                if name in root_children and root_children[name] is not value:
                    raise ValueError(
                        f"Cannot create a Checkpoint with root {type(root).__name__} and "
                        f"{name}=...: the root already holds a different object under "
                        f"'{name}'. Pass a different name."
                    )
        for name, value in kwargs.items():
            setattr(self, name, value)

    # -- attributes are the checkpoint's children -----------------------------------------
    def __setattr__(self, name: str, value) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        if name == "save_counter":
            raise AttributeError(
                "`save_counter` is the checkpoint's own save counter and cannot be replaced; "
                "use another name for your variable."
            )
        _check_trackable(name, value)
        # Lists and dicts report their mutations (`ckpt.listed = []; ckpt.listed.append(v)`
        # after restore() restores `v`, as TensorFlow's wrapped lists do).
        value = _tracking.wrap(value, self, name)
        self._children[name] = value
        entry = _restore._PENDING.get(id(self))
        if entry is not None and entry.ref() is self and name in entry.edges:
            # Assigned after restore(): TensorFlow restores it now.
            entry.restoration.resolve_pending(self)

    def _tork_sync_attribute(self, name: str) -> None:
        """A list or dict held under `name` changed: a pending restore() fills what it has."""
        pending = [self._children.get(name)]
        while pending:
            value = pending.pop()
            if isinstance(value, (list, tuple, dict)):
                entry = _restore._PENDING.get(id(value))
                if entry is not None and entry.ref() is value:
                    entry.restoration.resolve_pending(value)
                pending.extend(value.values() if isinstance(value, dict) else value)

    def __getattr__(self, name: str):
        children = self.__dict__.get("_children", {})
        if name in children:
            return children[name]
        raise AttributeError(
            f"This Checkpoint has no attribute '{name}'. It tracks: "
            f"{sorted(children) or 'nothing yet'}."
        )

    def __delattr__(self, name: str) -> None:
        if name in self._children:
            del self._children[name]
        else:
            object.__delattr__(self, name)

    def __repr__(self) -> str:
        return f"<tf.train.Checkpoint tracking {sorted(self._children)}>"

    # -- the save counter --------------------------------------------------------------------
    @property
    def save_counter(self):
        """An integer variable, 0 at first, incremented by each `save()`: numbers the checkpoints.

        It is created on first access and saved with the checkpoint.
        """
        if self._save_counter is None:
            from tork.variables import Variable

            object.__setattr__(
                self,
                "_save_counter",
                Variable(torch.zeros((), dtype=torch.int64), trainable=False, name="save_counter"),
            )
        return self._save_counter

    # -- saving -------------------------------------------------------------------------------
    def write(self, file_prefix, options=None) -> str:
        """Writes a checkpoint at exactly `file_prefix`, without numbering it.

        Unlike `save`, it neither increments `save_counter` nor updates the
        directory's `checkpoint` file.

        Args:
            file_prefix: the checkpoint prefix, e.g. `/tmp/ckpt/weights`.
            options: accepted for compatibility (`tf.train.CheckpointOptions`); unused.

        Returns:
            `file_prefix`, as a string: pass it to `read` or `restore`.

        Example:
        >>> path = tf.train.Checkpoint(v=tf.Variable(1.0)).write("/tmp/v")  # doctest: +SKIP
        """
        del options
        prefix = os.fspath(file_prefix)
        if not prefix:
            raise ValueError(
                "Checkpoint.write() got an empty file_prefix. Pass a prefix such as "
                "os.path.join(directory, 'ckpt')."
            )
        # As TF, a prefix ending in a separator ('ckpt/') writes 'ckpt/.index' and
        # 'ckpt/.data-00000-of-00001' into that directory.
        if _format.WRITE_TF_FORMAT:
            _tf_saving.write(prefix, self, CHECKPOINT)
        else:
            _format.write_checkpoint(prefix, build_payload(Graph(self, CHECKPOINT)))
        return prefix

    def save(self, file_prefix, options=None) -> str:
        """Saves a numbered checkpoint: `{file_prefix}-{save_counter}`.

        Increments `save_counter`, writes the checkpoint and records it as the
        latest in the directory's `checkpoint` file (read by
        `tf.train.latest_checkpoint`).

        Args:
            file_prefix: the prefix, e.g. `/tmp/training/ckpt`.
            options: accepted for compatibility; unused.

        Returns:
            The checkpoint's path, e.g. `/tmp/training/ckpt-1`.

        Example:
        >>> checkpoint = tf.train.Checkpoint(model=model)  # doctest: +SKIP
        >>> checkpoint.save("/tmp/training/ckpt")
        '/tmp/training/ckpt-1'
        """
        from tork.train.checkpoint_management import _update_checkpoint_state

        counter = self.save_counter
        previous = int(counter)
        counter.assign(previous + 1)
        try:
            path = self.write(f"{os.fspath(file_prefix)}-{previous + 1}", options)
        except BaseException:
            counter.assign(previous)
            raise
        _update_checkpoint_state(os.path.dirname(path), path, [path])
        return path

    # -- restoring -----------------------------------------------------------------------------
    def restore(self, save_path, options=None):
        """Restores a checkpoint written by `save` or `write` into the tracked objects.

        Values whose objects do not exist yet are restored when they are
        created (a layer's weights when it is built, an optimizer's slots once
        the model variables exist). `save_counter` is restored too, so the next
        `save()` continues the numbering.

        Args:
            save_path: the checkpoint prefix (as `save` returned it, or from
                `tf.train.latest_checkpoint`), or None to restore nothing.
            options: accepted for compatibility; unused.

        Returns:
            A status object with `assert_consumed()`,
            `assert_existing_objects_matched()`, `assert_nontrivial_match()` and
            `expect_partial()`. With `save_path=None`, an
            `InitializationOnlyStatus`.

        Raises:
            tf.errors.NotFoundError: if there is no checkpoint at `save_path`.
            ValueError: if a saved value does not fit its variable (shape or
                dtype), or the files are not a tork checkpoint. Nothing is
                assigned then.
            DataLossError: if the checkpoint file is truncated or corrupt.

        Example:
        >>> status = checkpoint.restore(tf.train.latest_checkpoint("/tmp/training"))  # doctest: +SKIP
        >>> status.assert_existing_objects_matched()
        """
        del options
        if save_path is None:
            return _restore.InitializationOnlyStatus()
        self.save_counter  # noqa: B018 - created first so that it is restored as well
        return self._load(save_path, read_mode=False)

    def read(self, save_path, options=None):
        """Reads a checkpoint written by `write` (or `save`).

        Like `restore`, but a checkpoint without `save_counter` is not
        incomplete: status checks ignore the counter.

        Args:
            save_path: the path `write` returned.
            options: accepted for compatibility; unused.

        Returns:
            A load status object, as `restore` returns.

        Example:
        >>> checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))  # doctest: +SKIP
        >>> path = checkpoint.write("/tmp/v")
        >>> checkpoint.read(path).assert_consumed()
        """
        del options
        if save_path is None:
            raise ValueError(
                "Checkpoint.read() needs the path of a checkpoint written by write(); got None."
            )
        return self._load(save_path, read_mode=True)

    def _load(self, save_path, read_mode: bool):
        prefix = _format.resolve_prefix(save_path)
        payload = _format.load_payload(prefix)
        restoration = _restore.Restoration(payload, prefix, read_mode)
        previous = self._restoration
        if previous is not None:
            previous.cancel()
        try:
            restoration.start(self)
        except BaseException:
            restoration.cancel()
            raise
        object.__setattr__(self, "_restoration", restoration)
        return _restore.CheckpointLoadStatus(restoration, self)

    def sync(self) -> None:
        """Waits for pending asynchronous saves: saves are synchronous, so it returns at once."""


def _children_of(obj) -> list:
    from tork.train._graph import children

    return children(obj)
