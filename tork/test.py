"""`tf.test`: the device queries old TensorFlow scripts call before training.

`tf.test.is_gpu_available()` and `tf.test.gpu_device_name()` are how TF 1.x/2.x tutorials
check for a GPU; tork answers from torch's CUDA state. TensorFlow's test-case classes are
not provided (use pytest or unittest).
"""

from __future__ import annotations

import torch

from tork._backend.errors import module_getattr as _module_getattr


def is_gpu_available(cuda_only: bool = False, min_cuda_compute_capability=None) -> bool:
    """Whether a GPU is available (deprecated in TF: use `tf.config.list_physical_devices`).

    Args:
        cuda_only: accepted for compatibility (tork's GPUs are CUDA devices).
        min_cuda_compute_capability: an optional `(major, minor)` the GPU must reach.

    Returns:
        True when torch sees a CUDA device (of at least that compute capability).

    Example:
    >>> tf.test.is_gpu_available()  # doctest: +SKIP
    False
    """
    del cuda_only
    if not torch.cuda.is_available():
        return False
    if min_cuda_compute_capability is None:
        return True
    return torch.cuda.get_device_capability(0) >= tuple(min_cuda_compute_capability)


def gpu_device_name() -> str:
    """The name of the first GPU device, `'/device:GPU:0'`, or `''` without one.

    Returns:
        A TensorFlow device string.

    Example:
    >>> tf.test.gpu_device_name()  # doctest: +SKIP
    ''
    """
    return "/device:GPU:0" if torch.cuda.is_available() else ""


def is_built_with_cuda() -> bool:
    """Whether this torch build has CUDA support.

    Returns:
        True for a CUDA build of torch.

    Example:
    >>> tf.test.is_built_with_cuda()  # doctest: +SKIP
    False
    """
    return torch.backends.cuda.is_built()


def is_built_with_gpu_support() -> bool:
    """Same as `is_built_with_cuda`.

    Returns:
        True for a CUDA build of torch.

    Example:
    >>> tf.test.is_built_with_gpu_support()  # doctest: +SKIP
    False
    """
    return is_built_with_cuda()


from tork._gradient_checker import compute_gradient  # noqa: E402,F401 - public tf.test name

__getattr__ = _module_getattr("tf.test")
