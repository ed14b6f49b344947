"""`tf.keras.preprocessing` (Keras 2): the helpers that moved to `keras.utils` in Keras 3.

`tf.keras.preprocessing.sequence.pad_sequences`,
`tf.keras.preprocessing.timeseries_dataset_from_array`, `image_dataset_from_directory` and
`text_dataset_from_directory` are the same functions as in `keras.utils`; `text` holds the
legacy `Tokenizer` and `image` the legacy `ImageDataGenerator`.
"""

import importlib

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.preprocessing import sequence
from tork.keras.utils.image_dataset import image_dataset_from_directory
from tork.keras.utils.text_dataset import text_dataset_from_directory
from tork.keras.utils.timeseries_dataset import timeseries_dataset_from_array

_SUBMODULES = {"text": "tork.keras.preprocessing.text", "image": "tork.keras.preprocessing.image"}
_missing = _module_getattr("tf.keras.preprocessing")


def __getattr__(name):
    if name in _SUBMODULES:
        module = importlib.import_module(_SUBMODULES[name])
        globals()[name] = module
        return module
    return _missing(name)
