"""`tf.keras.experimental`: Keras 2's experimental namespace.

`LinearModel` and `WideDeepModel` are tf_keras's premade models,
`SequenceFeatures` its layer for sequence feature columns, and `CosineDecay` /
`CosineDecayRestarts` the learning-rate schedules of `keras.optimizers.schedules`
(the same classes), kept there for code written against TensorFlow 2.x.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.layers.preprocessing.sequence_features import SequenceFeatures
from tork.keras.optimizers.schedules.learning_rate_schedule import (
    CosineDecay,
    CosineDecayRestarts,
)
from tork.keras.premade_models import LinearModel, WideDeepModel

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "LinearModel",
    "SequenceFeatures",
    "WideDeepModel",
]

__getattr__ = _module_getattr("tf.keras.experimental")
