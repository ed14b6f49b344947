"""`tf.keras.layers.experimental.preprocessing`: TF 2.x names of the preprocessing layers.

Each name is the `keras.layers` class itself (`preprocessing.Rescaling is
keras.layers.Rescaling`), so configs and saved models are the same either way.

Example:
>>> from tork.keras.layers.experimental import preprocessing
>>> preprocessing.Rescaling(1.0 / 255)(tf.fill((1, 2, 2, 3), 255.0)).max().item()
1.0
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.layers import preprocessing as _layers
from tork.keras.layers.preprocessing.preprocessing_layer import PreprocessingLayer

__all__ = [*_layers.__all__, "PreprocessingLayer"]
globals().update({name: getattr(_layers, name) for name in _layers.__all__})

__getattr__ = _module_getattr("tf.keras.layers.experimental.preprocessing")
