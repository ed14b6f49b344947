"""`tf.train`: checkpoints of models, optimizers and variables; `tf.train.Example`.

`Checkpoint` saves and restores objects by their attribute names;
`CheckpointManager` numbers checkpoints in a directory and keeps the last few;
`latest_checkpoint` finds the newest one to resume from. The files are tork's
own safe format under TensorFlow's names (`ckpt-3.index`,
`ckpt-3.data-00000-of-00001`, a `checkpoint` state file).

Example:
>>> checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer)  # doctest: +SKIP
>>> manager = tf.train.CheckpointManager(checkpoint, "/tmp/ckpts", max_to_keep=3)
>>> checkpoint.restore(manager.latest_checkpoint)
"""

from tork._backend.errors import module_getattr
from tork.train.checkpoint import Checkpoint
from tork.train.checkpoint_management import (
    CheckpointManager,
    checkpoints_iterator,
    get_checkpoint_state,
    latest_checkpoint,
)
from tork.train.checkpoint_options import CheckpointOptions
from tork.train.checkpoint_utils import (
    CheckpointReader,
    list_variables,
    load_checkpoint,
    load_variable,
)
from tork.train.coordinator import Coordinator
from tork.train.example import (
    BytesList,
    Example,
    Feature,
    FeatureList,
    FeatureLists,
    Features,
    FloatList,
    Int64List,
    SequenceExample,
)
from tork.train.moving_averages import ExponentialMovingAverage
from tork.train.server_lib import ClusterSpec

__all__ = [
    "Checkpoint",
    "CheckpointManager",
    "CheckpointOptions",
    "ClusterSpec",
    "Coordinator",
    "ExponentialMovingAverage",
    "checkpoints_iterator",
    "get_checkpoint_state",
    "latest_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "CheckpointReader",
    "BytesList",
    "Example",
    "Feature",
    "FeatureList",
    "FeatureLists",
    "Features",
    "FloatList",
    "Int64List",
    "SequenceExample",
]

__getattr__ = module_getattr("tf.train")
