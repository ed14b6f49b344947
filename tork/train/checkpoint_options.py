"""`tf.train.CheckpointOptions`: options for saving and restoring checkpoints (recorded only)."""

from __future__ import annotations


class CheckpointOptions:
    """Options for `Checkpoint.save`/`write`/`restore`, as `tf.train.CheckpointOptions`.

    tork records them and passes nothing on: it always saves from the variables'
    own devices, synchronously, with every slot variable, in one shard.

    Args:
        experimental_io_device: the device TensorFlow would do the file I/O on.
        experimental_enable_async_checkpoint: deprecated spelling of `enable_async`.
        experimental_write_callbacks: functions TensorFlow calls after a write.
        enable_async: whether TensorFlow would save in a background thread.
        experimental_skip_slot_variables: whether to leave out optimizer slots.
        experimental_sharding_callback: TensorFlow's shard policy.

    Example:
    >>> options = tf.train.CheckpointOptions(experimental_io_device="/job:localhost")
    >>> checkpoint.save("/tmp/ckpt", options=options)  # doctest: +SKIP
    """

    def __init__(
        self,
        experimental_io_device=None,
        experimental_enable_async_checkpoint=False,
        experimental_write_callbacks=None,
        enable_async=False,
        experimental_skip_slot_variables=False,
        experimental_sharding_callback=None,
    ):
        self.experimental_io_device = experimental_io_device
        # As TensorFlow, either spelling turns on both attributes.
        both = bool(experimental_enable_async_checkpoint or enable_async)
        self.experimental_enable_async_checkpoint = both
        self.enable_async = both
        self.experimental_write_callbacks = experimental_write_callbacks
        self.experimental_skip_slot_variables = experimental_skip_slot_variables
        self.experimental_sharding_callback = experimental_sharding_callback
