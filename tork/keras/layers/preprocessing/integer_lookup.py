"""`keras.layers.IntegerLookup`: maps integer values to contiguous indices via a vocabulary."""

from __future__ import annotations

import warnings

import numpy as np
import torch

from tork._backend.ragged_tensor import RaggedTensor
from tork._backend.sparse_tensor import SparseTensor
from tork._backend.tensor import convert_to_tensor
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.preprocessing._index_lookup import IndexLookup

# tf_keras's deprecated constructor names and the arguments they stand for.
_DEPRECATED = {"max_values": "max_tokens", "mask_value": "mask_token", "oov_value": "oov_token"}


class IntegerLookup(IndexLookup):
    """Maps integers to contiguous indices through a vocabulary (given or learned by `adapt`).

    Index layout: with `mask_token` set (and `output_mode='int'`) the mask
    value maps to 0; then `num_oov_indices` indices for out-of-vocabulary
    values (with several, a value `v` goes to `v mod num_oov_indices`); then
    the vocabulary, most frequent value first after `adapt`. With
    `invert=True` indices map back to values.

    Args:
        max_tokens: maximum vocabulary size, special tokens included.
        num_oov_indices: number of OOV indices.
        mask_token: the integer meaning "masked" (index 0), or None.
        oov_token: the value returned for OOV indices when inverting.
        vocabulary: optional list of integers, or path of a one-per-line file.
        vocabulary_dtype: `'int64'` (the only one supported, as in Keras).
        idf_weights: for `'tf_idf'` with a given vocabulary, one weight per term.
        invert: map indices to values instead.
        output_mode: `'int'`, `'one_hot'`, `'multi_hot'`, `'count'` or `'tf_idf'`.
        sparse: return a `tf.SparseTensor` (output modes other than "int").
        pad_to_max_tokens: pad encodings to `max_tokens` entries.

    Example:
    >>> layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> layer([[12, 1138, 42], [42, 1000, 36]]).tolist()
    [[1, 3, 4], [4, 0, 2]]
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices: int = 1,
        mask_token=None,
        oov_token: int = -1,
        vocabulary=None,
        vocabulary_dtype: str = "int64",
        idf_weights=None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        name=None,
        **kwargs,
    ):
        # tf_keras still takes the TF 2.3 names (the DCN tutorial writes
        # `IntegerLookup(vocabulary=..., mask_value=None)`), with a warning.
        for old, new in _DEPRECATED.items():
            if old in kwargs:
                warnings.warn(f"{old} is deprecated, use {new} instead.", stacklevel=2)
                value = kwargs.pop(old)
                if old == "max_values":
                    max_tokens = value
                elif old == "mask_value":
                    mask_token = value
                else:
                    oov_token = value
        if vocabulary_dtype != "int64":
            raise ValueError(
                "Only `vocabulary_dtype='int64'` is supported at this time. Received: "
                f"vocabulary_dtype={vocabulary_dtype!r}"
            )
        super().__init__(
            max_tokens,
            num_oov_indices,
            int(mask_token) if mask_token is not None else None,
            int(oov_token) if oov_token is not None else None,
            vocabulary_dtype,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            name=name,
            **kwargs,
        )

    def _normalize_term(self, term):
        if isinstance(term, str):
            term = term.strip()
        try:
            return int(term)
        except (TypeError, ValueError):
            raise ValueError(
                f"IntegerLookup expects integer terms, got {term!r} ({type(term).__name__}). "
                "For strings use StringLookup."
            ) from None

    def _oov_value(self) -> int:
        # oov_token=None (allowed with num_oov_indices=0): out-of-range indices invert to -1.
        return -1 if self.oov_token is None else self.oov_token

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """Returns the vocabulary, by index, as NumPy int64 values (as Keras 2).

        Args:
            include_special_tokens: whether to include the mask and OOV tokens
                (at their indices) before the terms.

        Returns:
            A list of `np.int64` terms.
        """
        vocabulary = super().get_vocabulary(include_special_tokens)
        return [np.int64(v) if v is not None else v for v in vocabulary]

    def _tables(self, device):
        """Sorted vocabulary keys and their indices on `device` (cached)."""
        cache = self._state.cache
        if cache is not None and cache[0].device == device:
            return cache
        tokens = np.asarray(self._tokens, dtype=np.int64)
        order = np.argsort(tokens, kind="stable")
        keys = torch.as_tensor(tokens[order], device=device)
        values = torch.as_tensor(order + self._token_start(), dtype=torch.int64, device=device)
        vocabulary = torch.as_tensor(
            np.asarray(
                [self._oov_value() if v is None else v for v in self.get_vocabulary()]
                + [self._oov_value()],
                dtype=np.int64,
            ),
            device=device,
        )
        cache = (keys, values, vocabulary)
        if not CONTEXT.symbolic:
            # Functional-API calls run on fake tensors, which must not be cached.
            self._state.cache = cache
        return cache

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, RaggedTensor):
            # The values are looked up as one flat tensor; the row partition is kept.
            self.built = True
            return self._call_ragged(inputs, self._lookup)
        if isinstance(inputs, SparseTensor):
            # The stored values are looked up; the indices are kept.
            self.built = True
            return self._call_sparse(inputs, self._lookup)
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs):
        self._require_vocabulary()
        looked_up = self._lookup(inputs)
        return looked_up if self.invert else self._encode_indices(looked_up)

    def _lookup(self, inputs):
        """int64 indices of `inputs` (-1 for a dropped mask), or the values when inverting."""
        if not isinstance(inputs, torch.Tensor):
            inputs = convert_to_tensor(inputs)
            if not isinstance(inputs, torch.Tensor):  # a tf.string tensor
                raise ValueError(
                    f"{where(self)}: expected integer inputs, got dtype {inputs.dtype}. For "
                    "string terms use keras.layers.StringLookup; for numbers written as "
                    "strings convert them first, e.g. tf.strings.to_number(x, tf.int64)."
                )
        # Float and bool inputs are cast to int64 (floats truncated toward zero), as both
        # Keras versions do: the DCN tutorial looks up float32 ages and bool genders.
        x = inputs.to(torch.int64)
        keys, values, vocabulary = self._tables(x.device)
        if self.invert:
            size = self.vocabulary_size()
            index = torch.where((x < 0) | (x >= size), torch.full_like(x, size), x)
            return vocabulary[index]
        if keys.numel():
            pos = torch.searchsorted(keys, x).clamp(max=keys.numel() - 1)
            found = keys[pos] == x
            found_index = values[pos]
        else:
            found = torch.zeros_like(x, dtype=torch.bool)
            found_index = torch.zeros_like(x)
        if self.num_oov_indices == 1:
            oov = torch.full_like(x, self._oov_start())
        elif self.num_oov_indices > 1:
            oov = torch.remainder(x, self.num_oov_indices) + self._oov_start()
        else:
            missing = ~found
            if self.mask_token is not None:
                missing &= x != self.mask_token
            # Symbolic inputs of the functional API hold no values to check.
            if not CONTEXT.symbolic and bool(missing.any()):
                raise self._oov_error(x[missing].tolist())
            oov = torch.zeros_like(x)
        indices = torch.where(found, found_index, oov)
        if self.mask_token is not None:
            mask_index = 0 if self._mask_in_vocab else -1
            indices = torch.where(x == self.mask_token, torch.full_like(x, mask_index), indices)
        return indices

    def get_config(self) -> dict:
        config = super().get_config()
        config["vocabulary_dtype"] = self.vocabulary_dtype
        return config
