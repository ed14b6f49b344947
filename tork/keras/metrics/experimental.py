"""`keras.metrics.experimental` (Keras 2): `PyMetric`."""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.metrics.py_metric import PyMetric

__getattr__ = _module_getattr("tf.keras.metrics.experimental")

__all__ = ["PyMetric"]
