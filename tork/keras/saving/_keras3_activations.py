"""Activations whose name means a different function in files written by Keras 3.

tork follows tf.keras 2, where `'hard_sigmoid'` is `clip(0.2 * x + 0.5, 0, 1)`.
Keras 3 changed it to `relu6(x + 3) / 6` (`clip(x / 6 + 0.5, 0, 1)`) and writes the
same name, so a `.keras` or `.h5` file saved by Keras 3 names a different curve
than the same name in a tf.keras 2 or tork file. Loading a Keras 3 file maps the
name to `keras3_hard_sigmoid` below, so the model computes what it computed in
Keras 3 (and saving it again from tork keeps that function by its registered name).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from tork.keras.saving.object_registration import register_keras_serializable

# Activation names whose Keras 3 meaning differs from tf.keras 2's.
_KERAS3_MEANINGS = {"hard_sigmoid": "tork>keras3_hard_sigmoid"}


@register_keras_serializable(package="tork")
def keras3_hard_sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Keras 3's hard sigmoid, `relu6(x + 3) / 6`, for models loaded from Keras 3 files.

    Args:
        x: Input tensor.

    Returns:
        A tensor of the same shape, values in [0, 1].
    """
    return F.hardsigmoid(torch.as_tensor(x))


def written_by_keras3(version, tork_version=None) -> bool:
    """Whether a file's `keras_version` says real Keras 3 wrote it (tork adds `tork_version`)."""
    if tork_version is not None:
        return False
    if isinstance(version, bytes):
        version = version.decode("utf8", "replace")
    return isinstance(version, str) and version.split(".", 1)[0] == "3"


def _is_activation_key(key) -> bool:
    return isinstance(key, str) and (key == "activation" or key.endswith("_activation"))


def translate_keras3_config(config):
    """A copy of a Keras 3 model config with Keras-3-only activation meanings made explicit.

    Only string values of `activation` / `*_activation` keys are rewritten (Keras 3
    writes built-in activations as bare names); everything else is returned as is.
    """
    if isinstance(config, dict):
        out = {}
        for key, value in config.items():
            if _is_activation_key(key) and isinstance(value, str) and value in _KERAS3_MEANINGS:
                out[key] = _KERAS3_MEANINGS[value]
            else:
                out[key] = translate_keras3_config(value)
        return out
    if isinstance(config, list):
        return [translate_keras3_config(value) for value in config]
    return config
