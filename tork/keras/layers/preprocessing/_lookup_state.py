"""The adapt state tf_keras lists among a lookup layer's weights.

A tf_keras `StringLookup`/`IntegerLookup`/`TextVectorization` created without a
`vocabulary` lists its vocabulary (the terms without the special tokens) in `weights`
and `get_weights()` as a non-trainable entry, and, for `output_mode='tf_idf'`, a
`num_documents` int64 scalar after it (0 once adapted): `[idf weights, vocabulary,
num_documents]`, also in `non_trainable_weights` (not in `variables` and
`non_trainable_variables`, which tork's savers read). `set_weights(tf_keras_layer.get_weights())`
therefore carries the vocabulary. The vocabulary entry has no fixed shape (it counts 0 parameters); neither
entry is a file weight: tf_keras cannot write them to `.h5` files, and `.keras`/
`.weights.h5` files keep the vocabulary in the assets (tork: in the config).
"""

from __future__ import annotations

import threading

import numpy as np
import torch

# Set while `matching_weights` reads `weights` with the entries of layers given a vocabulary.
_OPTIONAL = threading.local()


class VocabularyWeight:
    """A lookup layer's vocabulary as an entry of `layer.weights` (tf_keras's handler).

    `numpy()` gives the terms (bytes for strings, int64 for integers) without the mask
    and OOV tokens; `assign(terms)` replaces the vocabulary.
    """

    _tork_lookup_state = True
    # Its length follows the vocabulary: 0 parameters in count_params() and summaries.
    _tork_dynamic_shape = True
    # set_weights() takes any length (and the idf weights before it, see `_index_lookup`).
    _tork_any_length = True
    trainable = False

    def __init__(self, layer):
        self._layer = layer

    @property
    def path(self) -> str:
        return f"{self._layer.name}/vocabulary"

    @property
    def name(self) -> str:
        return self.path + ":0"

    @property
    def dtype(self) -> str:
        return "string" if self._layer.vocabulary_dtype == "string" else "int64"

    @property
    def shape(self) -> tuple:
        return (len(self._layer._tokens),)

    def numel(self) -> int:
        return len(self._layer._tokens)

    def numpy(self) -> np.ndarray:
        tokens = list(self._layer._tokens)
        if self.dtype == "string":
            array = np.empty(len(tokens), dtype=object)
            array[:] = [t.encode("utf-8") if isinstance(t, str) else t for t in tokens]
            return array
        return np.asarray(tokens, dtype=np.int64).reshape(-1)

    def __array__(self, dtype=None, copy=None):
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def assign(self, value) -> None:
        """Sets the vocabulary to `value` (terms without the special tokens), keeping the
        layer's idf weights (set before it, in `set_weights` order)."""
        self._layer._tork_assign_vocabulary(value)

    def __repr__(self) -> str:
        return f"<VocabularyWeight '{self.name}' shape={self.shape} dtype={self.dtype}>"


def num_documents() -> torch.Tensor:
    """tf_keras's `num_documents` counter of a tf_idf lookup (0 outside adapt)."""
    from tork.variables import Variable

    # tf_keras's name of it is `Variable:0`.
    value = Variable(torch.zeros((), dtype=torch.int64), trainable=False, name="Variable")
    value._tork_lookup_state = True
    return value


def is_state(weight) -> bool:
    """Whether `weight` is a lookup layer's listed adapt state (not a variable in files)."""
    return getattr(weight, "_tork_lookup_state", False) is True


def listed(layer) -> list:
    """The entries `layer` (an IndexLookup) adds to its weights.

    A layer created without a vocabulary lists them always; one given a vocabulary (a
    clone, or a model loaded from tork's config, which keeps the adapted vocabulary) only
    while `matching_weights` looks for a list that fits.
    """
    state = layer._state
    if state.listed or not getattr(_OPTIONAL, "on", False):
        return state.listed
    entries = [VocabularyWeight(layer)]
    if layer.output_mode == "tf_idf":
        entries.append(num_documents())
    return entries


def matching_weights(layer, params: list, count: int) -> list:
    """`params` with or without the lookup layers' vocabulary entries, whichever has
    `count` weights (else `params` unchanged)."""
    without = [w for w in params if not is_state(w)]
    if len(without) == count:
        return without
    _OPTIONAL.on = True
    try:
        with_all = layer.weights
    finally:
        _OPTIONAL.on = False
    return with_all if len(with_all) == count else params
