"""`keras.utils.multi_gpu_model`: Keras 2.0-2.3's data-parallel replica helper.

Keras 2 (and tf.keras up to TF 2.3) built a model that split each batch over several
GPUs and joined the outputs on the CPU. Training scripts of that era import it at the top
(`from keras.utils.multi_gpu_utils import multi_gpu_model`) and call it only when given
several GPUs. tork keeps the import and Keras's argument checks; the model it returns is
the model given (same weights, same results) running on one device, with a warning: for
data parallelism use `tf.distribute.MirroredStrategy`, which tork builds on
`torch.distributed`.
"""

from __future__ import annotations

import warnings


def _visible_gpus() -> int:
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def multi_gpu_model(model, gpus=None, cpu_merge: bool = True, cpu_relocation: bool = False):
    """Returns `model` for training on several GPUs (Keras 2.0-2.3 API).

    Args:
        model: the Keras model to replicate.
        gpus: the number of GPUs (an int >= 2) or a list of GPU ids; `None` means all
            the visible GPUs.
        cpu_merge: accepted for compatibility (where Keras merged the replicas' weights).
        cpu_relocation: accepted for compatibility.

    Returns:
        The model itself: tork runs it on one device (it warns); use
        `tf.distribute.MirroredStrategy` for data-parallel training.

    Raises:
        ValueError: if fewer than two GPUs are asked for, or the machine has fewer GPUs
            than asked for (as Keras 2 did).
    """
    del cpu_merge, cpu_relocation
    available = _visible_gpus()
    if isinstance(gpus, (list, tuple)):
        count = len(gpus)
    elif gpus is None:
        count = available
    else:
        count = int(gpus)
    if count <= 1:
        raise ValueError(
            "For multi-gpu usage to be effective, call `multi_gpu_model` with `gpus >= 2`. "
            f"Received: `gpus={gpus}`. With one device, use the model itself."
        )
    if available < count:
        raise ValueError(
            f"To call `multi_gpu_model` with `gpus={gpus}`, we expect {count} GPUs to be "
            f"available. However this machine only has {available}. Try reducing `gpus`."
        )
    warnings.warn(
        "multi_gpu_model: tork returns the model itself, which trains on one device. For "
        "data-parallel training over several GPUs use tf.distribute.MirroredStrategy.",
        UserWarning,
        stacklevel=2,
    )
    return model
