"""`keras.saving.save_model` / `load_model` / `save_weights` / `load_weights`: format by path.

- `.keras`: the Keras 3 archive (architecture, weights, compile and optimizer state).
- `.weights.h5`: Keras 3 weights (with optimizer state).
- `.h5` / `.hdf5`: the Keras 2 layouts (full model with `save`, weights with `save_weights`).

Loading looks at the file's content (zip or HDF5, which HDF5 layout), so a
file loads whatever its name.
"""

from __future__ import annotations

import os
import sys
import warnings

from tork.keras.saving import _tf_saved_model, keras_archive, legacy_h5, weights_h5
from tork.keras.saving.errors import KerasFileError

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"


def _sniff(path: str) -> str | None:
    """'zip', 'hdf5' or None, from a file's first bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
            if head.startswith(_ZIP_MAGIC):
                return "zip"
            # HDF5 files may start with a user block of 512, 1024, 2048... bytes.
            offset = 0
            while head:
                if head == _HDF5_MAGIC:
                    return "hdf5"
                offset = 512 if offset == 0 else offset * 2
                f.seek(offset)
                head = f.read(8)
    except OSError as error:
        raise KerasFileError(f"Cannot read {path!r}: {error}") from None
    return None


def _check_exists(path: str, what: str) -> None:
    if os.path.exists(path):
        return
    if os.path.exists(path + ".index"):
        if what == "model file":
            raise KerasFileError(
                f"{path!r} is a checkpoint prefix ({path}.index), which holds weights only, not "
                "a model: build the model in code and call model.load_weights(path)."
            )
        raise KerasFileError(
            f"{path}.index is not a checkpoint index tork can read (neither TensorFlow's tensor "
            "bundle nor tork's own marker): it may be truncated or damaged. Save the "
            "checkpoint again."
        )
    raise FileNotFoundError(
        f"No such {what}: {path!r}. Check the path (the current directory is {os.getcwd()!r})."
    )


def _confirm_overwrite(path: str, overwrite: bool) -> None:
    if overwrite or not os.path.exists(path):
        return
    if sys.stdin is not None and sys.stdin.isatty():
        answer = input(f"[WARNING] {path} already exists - overwrite? [y/n] ").strip().lower()
        if answer in ("y", "yes"):
            return
    raise FileExistsError(
        f"{path!r} already exists and overwrite=False. Pass overwrite=True to replace it."
    )


def _is_weights_h5(path: str) -> bool:
    return path.endswith(".weights.h5")


def _is_h5(path: str) -> bool:
    return path.endswith((".h5", ".hdf5")) and not _is_weights_h5(path)


def save_model(model, filepath, overwrite: bool = True, zipped: bool | None = None, **kwargs):
    """Saves a model to a `.keras` archive (or a Keras 2 `.h5` file).

    Args:
        model: the model.
        filepath: a path ending in `.keras` (or `.h5`/`.hdf5` for the Keras 2
            format). Any other path (`saved_model/my_model`, where Keras 2 wrote a
            TensorFlow SavedModel) gets the Keras format as a directory, which
            `load_model` reads; for a subclassed model (or with `signatures`) it also
            holds tork's SavedModel files, so `tf.saved_model.load(path)` works
            without the model's class. As in Keras 2, the model must have been
            called or built first.
        overwrite: whether to replace an existing file (else ask, or raise
            `FileExistsError` when not interactive).
        zipped: for `.keras`, False writes a directory instead of a zip.
        **kwargs: Keras 2 options: `include_optimizer` (for `.h5` and a
            directory; False saves no training config nor optimizer state, so
            `load_model` gives an uncompiled model),
            `save_format` (`'keras'` or `'keras_v3'`, `'h5'` or `'tf'`), `signatures`
            and `options`
            (for a directory: saved as `tf.saved_model.save` saves them, which
            `tf.saved_model.load(path)` then returns); `save_traces` is accepted
            and ignored.

    Example:
    >>> model.save("model.keras")  # doctest: +SKIP
    """
    include_optimizer = kwargs.pop("include_optimizer", True)
    save_format = kwargs.pop("save_format", None)
    signatures = kwargs.pop("signatures", None)
    options = kwargs.pop("options", None)
    kwargs.pop("save_traces", None)
    if kwargs:
        raise TypeError(f"save() got unexpected keyword arguments: {sorted(kwargs)}.")
    path = os.fspath(filepath)
    if save_format == "keras_v3":
        save_format = "keras"  # tf_keras 2.12+'s name for the `.keras` format
    if save_format not in (None, "keras", "h5", "tf", "tensorflow"):
        raise ValueError(
            f"save_format must be 'keras', 'h5' or 'tf', got {save_format!r}. Use a path ending "
            "in '.keras' for the Keras format."
        )
    if save_format == "keras" and not path.endswith(".keras"):
        # tf_keras's error (its `.keras` saver checks the suffix); Keras 3 refuses such
        # paths too, so the file would not load there.
        raise ValueError(
            f"Invalid `filepath` argument: expected a `.keras` extension. Received: filepath={path}"
        )
    if save_format in ("tf", "tensorflow") and path.endswith((".keras", ".h5", ".hdf5")):
        # tf_keras writes an HDF5 model whenever the path looks like one, whatever
        # `save_format` says: `model.save('m.h5', save_format='tf')` gives the file `m.h5`
        # (a directory there would be unreadable to tf_keras and to `h5py`).
        save_format = "h5"
    if save_format in ("tf", "tensorflow") or (
        save_format is None and not path.endswith((".keras", ".h5", ".hdf5"))
    ):
        # Keras 2 wrote a TensorFlow SavedModel directory here. tork writes the Keras
        # format as a directory in its place (config.json, model.weights.h5), which
        # load_model(path) reads back; TensorFlow's own tools cannot read it.
        if os.path.isfile(path):
            raise ValueError(
                f"Cannot save the model to {path!r}: a path without '.keras' or '.h5' is saved "
                "as a directory (as Keras 2's SavedModel), and a file of that name exists. "
                "Use a path ending in '.keras'."
            )
        from tork.saved_model import _keras_directory

        _keras_directory.check_savable(model)
        if not overwrite and os.path.isdir(path) and os.listdir(path):
            _confirm_overwrite(path, overwrite)
        # Keras 2's SavedModel leaves the training config and optimizer out with
        # include_optimizer=False: load_model then gives an uncompiled model.
        keras_archive.save_keras_archive(
            model, path, zipped=False, include_optimizer=include_optimizer
        )
        # `signatures` (and a subclassed model's call) are saved as tf.saved_model.save
        # saves them, for tf.saved_model.load.
        _keras_directory.write_signatures(model, path, signatures, options)
        return
    if _is_weights_h5(path):
        raise ValueError(
            f"{path!r} names a weights file: use model.save_weights() for '.weights.h5', or "
            "a path ending in '.keras' to save the whole model."
        )
    _confirm_overwrite(path, overwrite)
    if save_format == "h5" or _is_h5(path):
        legacy_h5.save_legacy_model(model, path, include_optimizer=include_optimizer)
        return
    keras_archive.save_keras_archive(model, path, zipped=zipped is not False)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved by `model.save()` (`.keras` archive or Keras 2 `.h5`).

    Args:
        filepath: the file (or a `zipped=False` directory).
        custom_objects: dict mapping names to your classes and functions that
            are not registered with `register_keras_serializable`.
        compile: whether to compile the model as it was saved (optimizer state
            included).
        safe_mode: refuse configs that would run arbitrary code, such as
            Lambda layers holding Python bytecode. Pass False only for files
            you trust.

    Returns:
        The model, with its weights (and, if compiled, optimizer state).

    Raises:
        FileNotFoundError: if the file does not exist.
        KerasFileError: (a ValueError) if the file is not a readable Keras
            model, is corrupted or truncated, names unknown classes, or its
            weights do not match its architecture.

    Example:
    >>> model = keras.models.load_model("model.keras")  # doctest: +SKIP
    """
    path = os.fspath(filepath)
    _check_exists(path, "model file")
    if os.path.isdir(path):
        if _tf_saved_model.is_tf_keras_saved_model(path):
            return _tf_saved_model.load_tf_keras_saved_model(
                path, custom_objects, compile, safe_mode
            )
        model = keras_archive.load_keras_archive(path, custom_objects, compile, safe_mode)
        if compile and not path.rstrip("/\\").endswith(".keras"):
            _warn_if_not_compiled(model)
        return model
    kind = _sniff(path)
    if kind == "hdf5":
        return legacy_h5.load_legacy_model(path, custom_objects, compile, safe_mode)
    if kind == "zip" or path.endswith(".keras"):
        return keras_archive.load_keras_archive(path, custom_objects, compile, safe_mode)
    raise KerasFileError(
        f"{path!r} is not a Keras model file: it is neither a '.keras' archive (zip) nor an HDF5 "
        "file. It may be truncated or corrupted."
    )


def _warn_if_not_compiled(model) -> None:
    """tf_keras's warning for a SavedModel directory saved without a training config.

    (`model.save('dir')` before `compile()`, or with `include_optimizer=False`.)
    """
    if getattr(model, "_is_compiled", True):
        return
    warnings.warn(
        "No training configuration found in save file, so the model was *not* compiled. "
        "Compile it manually.",
        stacklevel=3,
    )


def save_weights(model, filepath, overwrite: bool = True, **kwargs) -> None:
    """Saves the model's weights (and optimizer state).

    Args:
        model: the model.
        filepath: `*.weights.h5` for the Keras 3 layout; `*.h5` (or, as in
            Keras 2, `*.keras`) for the Keras 2 HDF5 layout. Any other path (e.g. `training/cp.ckpt`) is a checkpoint
            prefix, as in Keras 2's TensorFlow format: the files `{filepath}.index`
            and `{filepath}.data-00000-of-00001` (tork's checkpoint format, which
            TensorFlow cannot read), recorded as the latest in the directory's
            `checkpoint` file so that `tf.train.latest_checkpoint` finds it.
        overwrite: whether to replace an existing file.
        **kwargs: `save_format='h5'` (`'hdf5'`, `'keras'`) forces the Keras 2 HDF5
            layout, `save_format='tf'` (or `'tensorflow'`) the checkpoint (a ValueError
            for an `.h5`/`.keras` path, as tf_keras); a `.weights.h5` path is always
            the Keras 3 layout, as in tf_keras; `options` is ignored.

    Example:
    >>> model.save_weights("model.weights.h5")  # doctest: +SKIP
    """
    save_format = kwargs.pop("save_format", None)
    kwargs.pop("options", None)
    max_shard_size = kwargs.pop("max_shard_size", None)
    if kwargs:
        raise TypeError(f"save_weights() got unexpected keyword arguments: {sorted(kwargs)}.")
    if max_shard_size is not None:
        from tork._backend.errors import not_implemented

        raise not_implemented("Model.save_weights(max_shard_size=...)")
    path = os.fspath(filepath)
    if isinstance(save_format, str):
        # Keras 2's spellings: 'tf'/'tensorflow' and 'h5'/'hdf5'/'keras', any case.
        save_format = save_format.lower().strip()
        save_format = {"tensorflow": "tf", "hdf5": "h5", "keras": "h5"}.get(
            save_format, save_format
        )
    if save_format not in (None, "h5", "tf"):
        raise ValueError(f"save_format must be 'h5' or 'tf', got {save_format!r}.")
    # Keras 2 counts a '.keras' suffix as HDF5 here: `save_weights('23_checkpoint.keras')`
    # (and ModelCheckpoint(save_weights_only=True) on such a path) writes its '.h5' layout,
    # which load_weights reads back by sniffing the file.
    keras_suffix = path.endswith(".keras")
    hdf5 = _is_h5(path) or _is_weights_h5(path) or keras_suffix
    if _is_weights_h5(path):
        # tf_keras writes the Keras 3 layout for every '.weights.h5' path, whatever
        # `save_format` says, and its load_weights reads only that layout there.
        _confirm_overwrite(path, overwrite)
        weights_h5.save_weights_h5(model, path)
        return
    if save_format == "tf" and hdf5:
        # tf_keras's error: a checkpoint named like an HDF5 file would not load as one.
        raise ValueError(
            f'save_weights got save_format="tf"/"tensorflow", but the filepath ({path}) '
            'looks like an HDF5 file. Omit the ".h5"/".keras" when saving in TensorFlow '
            "format."
        )
    if save_format == "tf" or (save_format is None and not hdf5):
        _confirm_overwrite(_checkpoint_index(path), overwrite)
        _save_checkpoint_weights(model, path)
        return
    _confirm_overwrite(path, overwrite)
    if save_format == "h5" or _is_h5(path) or keras_suffix:
        legacy_h5.save_legacy_weights(model, path)
    else:
        weights_h5.save_weights_h5(model, path)


def _checkpoint_index(prefix: str) -> str:
    from tork.train import _format

    return _format.index_path(prefix)


def _is_tork_checkpoint(prefix: str) -> bool:
    from tork.train import _format

    index = _format.index_path(prefix)
    return os.path.exists(index) and _format.is_checkpoint_index(index)


def _save_checkpoint_weights(model, prefix: str) -> None:
    """Keras 2's TensorFlow-format `save_weights`: a checkpoint of the model as root."""
    from tork.train.checkpoint import Checkpoint
    from tork.train.checkpoint_management import _update_checkpoint_state

    # As Keras 2, a prefix ending in a separator ('training/ckpt/') names files inside that
    # directory ('training/ckpt/.index'), and an existing directory without one gets its
    # files beside it ('training/ckpt.index').
    Checkpoint(root=model).write(prefix)
    # As Keras 2: the directory's `checkpoint` file names it, for tf.train.latest_checkpoint.
    _update_checkpoint_state(os.path.dirname(prefix) or ".", prefix, [prefix])


def _pending_child(checkpoint, name: str) -> bool:
    """Whether `checkpoint`'s restore still waits for a child `name` to be assigned."""
    from tork.train import _restore

    entry = _restore._PENDING.get(id(checkpoint))
    return entry is not None and entry.ref() is checkpoint and name in entry.edges


class _LoadStatus:
    """What `load_weights` returns: TensorFlow 2's checkpoint-status methods, all no-ops.

    tork loads everything at once (or raises), so there is nothing left to
    check; the methods exist so `model.load_weights(path).expect_partial()`
    runs.
    """

    def expect_partial(self):
        return self

    def assert_consumed(self):
        return self

    def assert_existing_objects_matched(self):
        return self

    def assert_nontrivial_match(self):
        return self

    def run_restore_ops(self, session=None):
        return None

    def initialize_or_restore(self, session=None):
        return None


def load_weights(model, filepath, skip_mismatch: bool = False, **kwargs):
    """Loads weights saved by `save_weights` or `save` into `model`.

    Args:
        model: the model (built, or buildable from the file).
        filepath: a `.weights.h5`, `.keras` or Keras 2 `.h5` file, or the prefix
            of a checkpoint written by `save_weights` (e.g. `training/cp.ckpt`).
        skip_mismatch: skip layers whose weights do not match (with a
            warning) instead of raising.
        **kwargs: `by_name=True` matches Keras 2 `.h5` weights by layer name
            instead of by topology; `options` is ignored.

    Returns:
        For a checkpoint prefix (Keras 2's TensorFlow format), the restore
        status of `tf.train.Checkpoint.restore` (`expect_partial()`,
        `assert_consumed()`, ...; values of not-yet-built layers and optimizer
        slots are restored when they are created). For files, a status object
        whose TensorFlow-style methods do nothing: everything is loaded at once.

    Raises:
        FileNotFoundError: if the file does not exist.
        KerasFileError: if the file is unreadable or its weights do not match
            the model (naming the layer and the shapes); nothing is loaded then.

    Example:
    >>> model.load_weights("model.weights.h5")  # doctest: +SKIP
    """
    by_name = kwargs.pop("by_name", False)
    kwargs.pop("options", None)
    if kwargs:
        raise TypeError(f"load_weights() got unexpected keyword arguments: {sorted(kwargs)}.")
    path = os.fspath(filepath)
    # A checkpoint prefix (Keras 2's TensorFlow format, as save_weights writes it). A prefix
    # named 'checkpoint' (keras.io's ViT/ConvMixer/Swin examples) also names the directory's
    # state file, a text file: a plain file there that is neither HDF5 nor a zip archive
    # does not hide the checkpoint.
    if _is_tork_checkpoint(path) and (
        not os.path.exists(path)
        or (os.path.isfile(path) and _sniff(path) is None)
        # A directory (not an unzipped '.keras' archive) is a prefix too (Keras 2):
        # 'training/ckpt/' of the files inside it, 'training/ckpt' of those beside it.
        or (os.path.isdir(path) and not os.path.exists(os.path.join(path, "model.weights.h5")))
    ):
        from tork.train.checkpoint import Checkpoint

        if by_name or skip_mismatch:
            raise ValueError(
                f"load_weights({path!r}): by_name and skip_mismatch apply to '.h5' files; a "
                "checkpoint is matched by the model's attributes (its object graph)."
            )
        # read(), as tf.keras does: save_weights writes no save_counter to expect.
        checkpoint = Checkpoint(root=model)
        status = checkpoint.read(path)
        # tf.keras 2 then asserts that something besides the model itself matched: a
        # checkpoint of another model must not load silently as nothing.
        try:
            status.assert_nontrivial_match()
        except AssertionError:
            raise AssertionError(
                f"load_weights({path!r}): nothing except the root object matched a "
                "checkpointed value. Typically this means that the checkpoint does not match "
                "the Python program: it was saved from a model with other layers or attribute "
                "names. Load it into the model that saved it (or use tf.train.load_checkpoint "
                "to read its values)."
            ) from None
        if getattr(model, "optimizer", None) is None and _pending_child(checkpoint, "optimizer"):
            # Not compiled yet: compile() hands its optimizer to the checkpoint, which
            # then restores the saved optimizer state (Keras 2's deferred restoration).
            model.__dict__["_tork_pending_optimizer_checkpoint"] = checkpoint
        return status
    _check_exists(path, "weights file")
    if os.path.isdir(path):
        keras_archive.load_archive_weights(model, path, skip_mismatch=skip_mismatch)
        return _LoadStatus()
    kind = _sniff(path)
    if kind == "zip":
        if by_name:
            raise ValueError("by_name=True only applies to Keras 2 '.h5' weights files.")
        keras_archive.load_archive_weights(model, path, skip_mismatch=skip_mismatch)
        return _LoadStatus()
    if kind != "hdf5":
        raise KerasFileError(
            f"{path!r} is not a weights file: it is neither HDF5 ('.weights.h5', '.h5') nor a "
            "'.keras' archive. It may be truncated or corrupted."
        )
    label = f"the weights file {path!r}"
    with weights_h5.open_h5(path, label) as f:
        if legacy_h5.is_legacy_layout(f):
            legacy_h5.load_legacy_weights(
                model, f, label, by_name=by_name, skip_mismatch=skip_mismatch
            )
        else:
            if by_name:
                raise ValueError(
                    "by_name=True only applies to Keras 2 '.h5' weights files; Keras 3 "
                    "'.weights.h5' files are matched by the layers' positions in the model."
                )
            weights_h5.load_weights_from(model, f, label, skip_mismatch=skip_mismatch)
    return _LoadStatus()
