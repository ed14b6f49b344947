"""`keras.layers.StringLookup`: maps strings to integer indices (and back) via a vocabulary.

tork tensors cannot hold strings, so this layer takes Python strings, (nested)
lists of strings and NumPy arrays of `str`/`bytes`/object, and returns int64
tensors (or, with `invert=True`, `tf.string` tensors of UTF-8 bytes).
"""

from __future__ import annotations

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.ragged_tensor import RaggedTensor
from tork._backend.sparse_tensor import SparseTensor
from tork._backend.string_tensor import StringTensor
from tork._backend.tensor import to_numpy
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.layer import _contains_symbolic
from tork.keras.layers.preprocessing._fingerprint import fingerprint64
from tork.keras.layers.preprocessing._index_lookup import (
    IndexLookup,
    _device_indices,
    _plain,
    _record_eager_call,
)


def string_array(inputs, owner: str):
    """(array, ragged_rows): a regular object array of str, or the rows of ragged input."""
    if isinstance(inputs, torch.Tensor):
        raise ValueError(
            f"{owner} expects strings (a str, a list of str or a NumPy array of str), got a "
            f"tensor of dtype {str(inputs.dtype).replace('torch.', '')}. tork tensors cannot hold "
            "strings; for integer inputs use IntegerLookup."
        )
    if isinstance(inputs, StringTensor):  # tf.string values: a plain object array of bytes
        inputs = np.asarray(inputs.numpy(), dtype=object)
    if isinstance(inputs, (str, bytes)):
        return np.array(_plain(inputs), dtype=object), None
    if isinstance(inputs, np.ndarray) and inputs.dtype != object:
        return inputs.astype(object), None
    array = np.array(inputs, dtype=object) if not isinstance(inputs, np.ndarray) else inputs
    if (
        array.dtype == object
        and array.size
        and any(isinstance(v, (list, tuple, np.ndarray)) for v in array.reshape(-1))
    ):
        return None, [list(np.asarray(row, dtype=object).reshape(-1)) for row in inputs]
    return array, None


class StringLookup(IndexLookup):
    """Maps strings to integer indices through a vocabulary (given or learned by `adapt`).

    Index layout: with `mask_token` set (and `output_mode='int'`) the mask
    maps to 0; then `num_oov_indices` indices for out-of-vocabulary strings;
    then the vocabulary, most frequent term first after `adapt`. Other output
    modes encode the indices (`'one_hot'`, `'multi_hot'`, `'count'`,
    `'tf_idf'`). With `invert=True` indices map back to strings.

    Inputs are Python strings, (nested) lists of strings or NumPy arrays of
    strings (tork tensors cannot hold strings); outputs are int64 tensors,
    float encodings, or `tf.string` tensors (bytes) when inverting.

    Args:
        max_tokens: maximum vocabulary size, special tokens included.
        num_oov_indices: number of OOV indices; with more than one, an OOV string goes to
            the index given by its FarmHash Fingerprint64, as in Keras.
        mask_token: the token meaning "masked" (index 0), or None.
        oov_token: the token returned for OOV indices when inverting.
        vocabulary: optional list of terms, or path of a one-term-per-line file.
        idf_weights: for `'tf_idf'` with a given vocabulary, one weight per term.
        invert: map indices to strings instead.
        output_mode: `'int'`, `'one_hot'`, `'multi_hot'`, `'count'` or `'tf_idf'`.
        pad_to_max_tokens: pad encodings to `max_tokens` entries.
        sparse: return a `tf.SparseTensor` (output modes other than "int").
        encoding: text encoding of `bytes` inputs.

    Example:
    >>> layer = keras.layers.StringLookup(vocabulary=["a", "b", "c", "d"])
    >>> layer([["a", "c", "d"], ["d", "z", "b"]]).tolist()
    [[1, 3, 4], [4, 0, 2]]
    """

    def __init__(
        self,
        max_tokens=None,
        num_oov_indices: int = 1,
        mask_token=None,
        oov_token: str = "[UNK]",
        vocabulary=None,
        idf_weights=None,
        invert: bool = False,
        output_mode: str = "int",
        pad_to_max_tokens: bool = False,
        sparse: bool = False,
        encoding: str = "utf-8",
        name=None,
        **kwargs,
    ):
        kwargs.pop("vocabulary_dtype", None)
        self.encoding = encoding
        super().__init__(
            max_tokens,
            num_oov_indices,
            mask_token,
            oov_token,
            "string",
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
            return str(term)
        if isinstance(term, bytes):
            return term.decode(self.encoding)
        raise ValueError(
            f"{type(self).__name__} expects string terms, got {term!r} "
            f"({type(term).__name__}). For integer terms use IntegerLookup."
        )

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, RaggedTensor):
            # A RaggedTensor cannot become one tensor: skip the base class's conversion.
            return _record_eager_call(self, self.call(inputs))
        if isinstance(inputs, SparseTensor):
            # The stored values are looked up (or inverted); the indices are kept.
            return _record_eager_call(self, self._call_sparse(inputs, self._lookup_values))
        if self.invert:
            return super().__call__(inputs, *args, **kwargs)
        if _contains_symbolic(inputs):
            # A functional model's string input (keras.Input(dtype="string")): the node is
            # recorded and the output inferred by looking up empty strings.
            from tork.keras.models.functional import composite
            from tork.keras.models.functional.node import call_symbolic

            if composite.wants_composite(self, (inputs,), {}):  # keras.Input(ragged=True)
                return composite.call_layer(self, (inputs, *args), kwargs)
            return call_symbolic(self, (inputs, *args), kwargs)
        # Strings cannot become tensors: skip the base class's input conversion.
        return _record_eager_call(self, self.call(inputs))

    def call(self, inputs):
        self._require_vocabulary()
        if isinstance(inputs, RaggedTensor):
            return self._call_ragged(inputs, self._lookup_values)
        if self.invert:
            return self._invert(inputs)
        array, ragged = string_array(inputs, type(self).__name__)
        if ragged is not None:
            if self.output_mode in ("int", "one_hot"):
                raise ValueError(
                    f"{where(self)}: the input rows have different lengths "
                    f"({sorted({len(r) for r in ragged})}); tork has no ragged tensors. Pad the "
                    "rows to one length (e.g. with the mask token) or use output_mode "
                    "'multi_hot', 'count' or 'tf_idf'."
                )
            return self._encode_indices(self._ragged_indices(ragged))
        indices = self.lookup_flat(list(array.reshape(-1))).reshape(array.shape)
        return self._encode_indices(_device_indices(indices))

    def lookup_flat(self, terms: list) -> np.ndarray:
        """int64 indices of a flat list of terms (-1 for a dropped mask token)."""
        table = self._state.table
        normalize = self._normalize_term
        terms = [t if type(t) is str else normalize(t) for t in terms]
        missing = -2
        default = self._oov_start() if self.num_oov_indices else missing
        indices = np.fromiter((table.get(t, default) for t in terms), np.int64, len(terms))
        if self.num_oov_indices > 1 and not self.invert:
            # As Keras (a TF StaticVocabularyTable): an OOV string goes to OOV index
            # FarmHash Fingerprint64(utf-8 bytes) mod num_oov_indices, after the mask.
            oov = np.flatnonzero(indices == default)
            start, buckets, encoding = self._oov_start(), self.num_oov_indices, self.encoding
            for i in oov:
                if terms[i] not in table:
                    indices[i] = start + fingerprint64(terms[i].encode(encoding)) % buckets
        if self.mask_token is not None:
            mask_index = 0 if self._mask_in_vocab else -1
            is_mask = np.fromiter((t == self.mask_token for t in terms), bool, len(terms))
            indices[is_mask] = mask_index
        # Symbolic inputs of the functional API hold placeholder strings, not values.
        if not self.num_oov_indices and (indices == missing).any():
            if not CONTEXT.symbolic:
                raise self._oov_error([t for t, i in zip(terms, indices) if i == missing])
            # Placeholders are "missing": give them an index the encodings accept (a
            # -2 would index the idf weights from the end in 'tf_idf' and fail).
            indices[indices == missing] = 0
        return indices

    def _lookup_values(self, values):
        """The flat values of a RaggedTensor looked up: int64 indices, or strings when inverting."""
        if self.invert:
            return self._invert(values)
        terms = list(np.asarray(values, dtype=object).reshape(-1))
        return _device_indices(self.lookup_flat(terms))

    def _ragged_indices(self, rows: list) -> torch.Tensor:
        lengths = [len(r) for r in rows]
        flat = self.lookup_flat([t for r in rows for t in r])
        # Rows padded with -1: dropped entries, like a masked token.
        padded = np.full((len(rows), max(lengths, default=0)), -1, dtype=np.int64)
        start = 0
        for i, n in enumerate(lengths):
            padded[i, :n] = flat[start : start + n]
            start += n
        return _device_indices(padded)

    def _invert(self, inputs) -> StringTensor:
        if isinstance(inputs, torch.Tensor) and CONTEXT.symbolic:
            # Functional-API tracing: fake ids hold no values; the output is strings of
            # the same shape.
            if inputs.is_floating_point():
                raise ValueError(
                    f"{where(self)}: with invert=True the inputs must be integer indices, got "
                    f"dtype {str(inputs.dtype).replace('torch.', '')}."
                )
            return string_tensor.make(
                np.full(tuple(inputs.shape), b"", dtype=object), type(self).__name__
            )
        if isinstance(inputs, torch.Tensor):
            indices = to_numpy(inputs)
        else:
            indices = np.asarray(inputs)
        if indices.dtype.kind not in "iu":
            raise ValueError(
                f"{where(self)}: with invert=True the inputs must be integer indices, got dtype "
                f"{indices.dtype}."
            )
        vocabulary = np.array(self.get_vocabulary() + [self.oov_token], dtype=object)
        size = self.vocabulary_size()
        flat = indices.reshape(-1).astype(np.int64)
        flat = np.where((flat < 0) | (flat >= size), size, flat)
        # A tf.string tensor (UTF-8 bytes), as Keras returns.
        return string_tensor.make(vocabulary[flat].reshape(indices.shape), type(self).__name__)

    def get_config(self) -> dict:
        config = super().get_config()
        config["encoding"] = self.encoding
        return config
