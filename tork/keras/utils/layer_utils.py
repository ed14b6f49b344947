"""Keras 2's `keras.utils.layer_utils` module (`from keras.utils.layer_utils import ...`).

Old Keras code prints its parameter counts with it (`count_params(model.trainable_weights)`)
and prints summaries through `print_summary`. Other names are those of `keras.utils`.
"""

from __future__ import annotations

import math

from tork.keras.models.summary import print_summary
from tork.keras.utils.source_inputs import get_source_inputs

__all__ = ["count_params", "get_source_inputs", "print_summary", "weight_memory_size"]


def _unique(weights) -> list:
    # A weight listed twice (a shared layer) counts once, as in Keras 2.
    return list({id(w): w for w in weights}.values())


def count_params(weights) -> int:
    """Counts the scalars in a list of weights, each weight once.

    Args:
        weights: a list of variables, e.g. `model.trainable_weights`.

    Returns:
        The total number of scalars, an int.

    Example:
    >>> count_params(keras.layers.Dense(3, input_shape=(2,)).weights)  # doctest: +SKIP
    9
    """
    # A weight of unknown length in tf_keras (a tf_idf lookup's idf weights) counts 0.
    counted = [w for w in _unique(weights) if not getattr(w, "_tork_dynamic_shape", False)]
    return int(sum(math.prod(tuple(w.shape)) for w in counted))


def weight_memory_size(weights) -> int:
    """The bytes a list of weights takes, each weight once.

    Args:
        weights: a list of variables.

    Returns:
        The total size in bytes, an int.
    """
    total = 0
    for w in _unique(weights):
        total += math.prod(tuple(w.shape)) * w.element_size()
    return int(total)


def __getattr__(name: str):
    # The rest of Keras 2's names in this module are `keras.utils` names.
    import tork.keras.utils as utils

    return getattr(utils, name)
