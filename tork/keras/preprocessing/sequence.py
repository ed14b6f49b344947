"""`tf.keras.preprocessing.sequence` (Keras 2): `pad_sequences`."""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.utils.pad_sequences import pad_sequences  # noqa: F401 - re-exported

__getattr__ = _module_getattr("tf.keras.preprocessing.sequence")
