"""`tf.keras.preprocessing` (Keras 2): the helpers that moved to `keras.utils` in Keras 3.

`tf.keras.preprocessing.sequence.pad_sequences` and
`tf.keras.preprocessing.timeseries_dataset_from_array` are the same functions as in
`keras.utils`. The text and image helpers (`Tokenizer`, `ImageDataGenerator`) are not
available.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.preprocessing import sequence
from tork.keras.utils.timeseries_dataset import timeseries_dataset_from_array

__getattr__ = _module_getattr("tf.keras.preprocessing")
