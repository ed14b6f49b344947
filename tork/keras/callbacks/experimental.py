"""`tf.keras.callbacks.experimental`: Keras 2's deprecated home of `BackupAndRestore`."""

from __future__ import annotations

from tork._warnings import warn_user
from tork.keras.callbacks.backup_and_restore import BackupAndRestore as _BackupAndRestore


class BackupAndRestore(_BackupAndRestore):
    """Deprecated. Please use `tf.keras.callbacks.BackupAndRestore` instead.

    The same callback under its TensorFlow 2.3-2.7 name; creating it warns, as
    in Keras 2.

    Example:

    ```python
    callback = tf.keras.callbacks.experimental.BackupAndRestore("/tmp/backup")
    ```
    """

    def __init__(self, *args, **kwargs) -> None:
        warn_user(
            "`tf.keras.callbacks.experimental.BackupAndRestore` endpoint is deprecated and "
            "will be removed in a future release. Please use "
            "`tf.keras.callbacks.BackupAndRestore`.",
            DeprecationWarning,
        )
        super().__init__(*args, **kwargs)


__all__ = ["BackupAndRestore"]
