"""`tf.tpu`: the names TPU-aware libraries read at import time, for code running off TPUs.

tork runs on CPUs and GPUs. Libraries such as TF Recommenders refer to
`tf.tpu.experimental.embedding.*` classes and `tf.tpu.experimental.HardwareFeature` when
their modules load (type annotations, tables of optimizer classes), and fall back to
ordinary layers where no TPU is found. Here the configuration classes are plain records and
everything that needs a TPU raises a clear error when called.
"""

from tork.tpu import experimental

__all__ = ["experimental"]
