"""Shared machinery of StringLookup, IntegerLookup and TextVectorization: a vocabulary.

Index layout (Keras): with `output_mode='int'` and a mask token, index 0 is
the mask; then come `num_oov_indices` out-of-vocabulary indices; then the
vocabulary terms. In the other output modes the mask token takes no index
(masked inputs are dropped from the encodings).

`adapt` orders terms by decreasing frequency; ties go to the larger term
first (Keras sorts by (count, term) and reverses).
"""

from __future__ import annotations

import os
from collections import Counter

import numpy as np
import torch

from tork._backend.device import current_device
from tork._backend.tensor import to_numpy
from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.layer import Layer, _batchless_shape
from tork.keras.layers.preprocessing import _encoding, _lookup_state
from tork.keras.layers.preprocessing.category_encoding import _sparse_output

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def listify(value):
    """A vocabulary-like value (list, array, tensor, file path) as a Python list."""
    if value is None:
        return None
    if isinstance(value, str):
        if not os.path.exists(value):
            raise ValueError(
                f"Vocabulary file {value!r} does not exist. Pass a list of terms or the path of "
                "a text file with one term per line."
            )
        with open(value, encoding="utf-8") as handle:
            return [line.rstrip("\n").rstrip("\r") for line in handle]
    if isinstance(value, torch.Tensor):
        value = to_numpy(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    return [_plain(v) for v in value]


def _plain(token):
    if isinstance(token, bytes):
        return token.decode("utf-8")
    if isinstance(token, np.generic):
        return token.item()
    return token


def _is_flat_terms(data) -> bool:
    """Whether adapt() data is a 1-D array, tensor or flat list of terms (not a dataset)."""
    if isinstance(data, torch.Tensor):
        return data.ndim == 1
    if isinstance(data, np.ndarray):
        return data.ndim == 1 and (data.dtype != object or all(np.ndim(t) == 0 for t in data))
    if isinstance(data, (list, tuple)):
        return all(isinstance(t, (str, bytes, int, float, np.generic)) for t in data)
    return False


class _VocabState:
    """The vocabulary in a plain object: list/dict attributes of a Layer would be tracked."""

    __slots__ = (
        "tokens",
        "table",
        "idf",
        "variable",
        "input_vocabulary",
        "cache",
        "frozen_size",
        "listed",
    )

    def __init__(self):
        self.tokens: list = []
        self.table: dict = {}
        self.idf = None
        # 'tf_idf': the layer weight holding the idf weights (what `_idf` reads).
        self.variable = None
        self.input_vocabulary = None
        self.cache = None
        # The vocabulary size once a vocabulary was set or adapted (None before), or the
        # `vocabulary_size` of a config whose vocabulary comes later (a Keras file's assets).
        self.frozen_size = None
        # tf_keras's adapt state listed after the layer's weights (see `_lookup_state`).
        self.listed: list = []


def _device_indices(indices: np.ndarray) -> torch.Tensor:
    """Indices looked up on the host (from strings), as a tensor on the default device.

    The next layer's weights live there (an Embedding on the GPU), as in TensorFlow.
    """
    return torch.from_numpy(indices).to(current_device())


def _record_eager_call(layer: Layer, outputs, out_shape=None):
    """Marks a string layer's eager call as `Layer.__call__` does, and returns `outputs`.

    String inputs cannot go through `Layer.__call__` (it converts inputs to tensors), so
    the string layers call `call` themselves; this keeps what the base class records: the
    layer is built, and the output shape (batch as None) of its first call, which
    `output_shape` and `model.summary()` show. `out_shape` overrides the shape read from
    `outputs` (e.g. a length that varies from batch to batch, None in Keras).
    """
    if not CONTEXT.symbolic and not torch.compiler.is_compiling():
        attrs = layer.__dict__
        attrs["built"] = True
        if attrs.get("_tork_out_shape") is None:
            attrs["_tork_out_shape"] = (
                out_shape if out_shape is not None else _batchless_shape(outputs)
            )
    return outputs


class IndexLookup(Layer):
    """Base of the lookup layers: vocabulary, adapt, encodings. Not public."""

    _term_kind = "term"

    def __init__(
        self,
        max_tokens,
        num_oov_indices,
        mask_token,
        oov_token,
        vocabulary_dtype,
        vocabulary=None,
        idf_weights=None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        **kwargs,
    ):
        owner = type(self).__name__
        # Keras 3 configs also hold `vocabulary_size` (informational) and the OOV hashing
        # options `oov_method`/`salt`; tork implements their defaults (strings: FarmHash,
        # integers: floormod), which are what Keras writes unless the user chose otherwise.
        frozen_size = kwargs.pop("vocabulary_size", None)
        oov_method = kwargs.pop("oov_method", "floormod")
        salt = kwargs.pop("salt", None)
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(
                f"{owner}: `oov_method` must be 'floormod' or 'farmhash'. Received: "
                f"oov_method={oov_method!r}"
            )
        hashes_ints = oov_method == "farmhash" and vocabulary_dtype != "string"
        if isinstance(num_oov_indices, int) and num_oov_indices > 1 and (hashes_ints or salt):
            raise NotImplementedError(
                f"tork does not implement `{owner}(oov_method='farmhash')` for integers or a "
                "`salt` for the OOV hash. Use the default oov_method and no salt."
            )
        _encoding.int_mode_dtype(kwargs, output_mode)
        super().__init__(**kwargs)
        output_mode = _encoding.check_output_mode(output_mode, _MODES, owner)
        if max_tokens is not None and (not isinstance(max_tokens, int) or max_tokens <= 1):
            raise ValueError(
                f"{owner}: if set, `max_tokens` must be greater than 1. Received: "
                f"max_tokens={max_tokens!r}"
            )
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(
                f"{owner}: if pad_to_max_tokens is True, must set `max_tokens`. Received: "
                f"max_tokens={max_tokens}"
            )
        if not isinstance(num_oov_indices, int) or num_oov_indices < 0:
            raise ValueError(
                f"{owner}: `num_oov_indices` must be greater than or equal to 0. Received: "
                f"num_oov_indices={num_oov_indices!r}"
            )
        if invert and output_mode != "int":
            raise ValueError(
                f"{owner}: `output_mode` must be 'int' when `invert` is true. Received: "
                f"output_mode={output_mode!r}"
            )
        if sparse and output_mode == "int":
            raise ValueError(
                "`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'`, "
                f"`'count'` or `'tf_idf'`. Received: sparse={sparse} and "
                f"output_mode={output_mode}"
            )
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise ValueError(
                f"{owner}: `idf_weights` must be set if output_mode is 'tf_idf' and a "
                "vocabulary is given."
            )
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                f"{owner}: `idf_weights` should only be set if output_mode is 'tf_idf'. "
                f"Received: output_mode={output_mode!r} and idf_weights={idf_weights!r}"
            )
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.vocabulary_dtype = vocabulary_dtype
        self.invert = bool(invert)
        self.output_mode = output_mode
        self.sparse = bool(sparse)
        if self.sparse:
            # Symbolic calls run on real twins, whose outputs become SparseKerasTensors.
            self._tork_composite_output = True
        self.pad_to_max_tokens = pad_to_max_tokens
        self._state = _VocabState()
        self._state.frozen_size = frozen_size
        if output_mode == "tf_idf":
            # tf_keras tracks the idf weights as an unnamed non-trainable variable of
            # dynamic length (`Variable:0`: zeros for the OOV indices until a vocabulary is
            # set): `weights`, get/set_weights and Keras 2 `.h5` files list it.
            self._state.variable = self.add_weight(
                name="Variable",
                shape=(self._token_start(),),
                initializer="zeros",
                dtype=self.compute_dtype,
                trainable=False,
            )
            # Its shape is unknown to tf_keras: 0 parameters in summaries and count_params.
            self._state.variable._tork_dynamic_shape = True
        self._state.input_vocabulary = (
            listify(vocabulary) if not isinstance(vocabulary, str) else vocabulary
        )
        self.built = True
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
        else:
            # As tf_keras: a layer to adapt lists its vocabulary (and tf_idf's document
            # counter) in `weights`, so get/set_weights carry it.
            self._state.listed = [_lookup_state.VocabularyWeight(self)]
            if output_mode == "tf_idf":
                self._state.listed.append(_lookup_state.num_documents())
                # set_weights() may bring another vocabulary: idf weights of its length.
                self._state.variable._tork_any_length = True

    @property
    def weights(self) -> list:
        """The weights in tf_keras's order: for a layer created without a `vocabulary`,
        its numeric weights, then its vocabulary (and `num_documents` for tf_idf)."""
        weights = super().weights
        if any(_lookup_state.is_state(w) for w in weights):
            return weights  # listed already, through `non_trainable_weights`
        return weights + _lookup_state.listed(self)

    @property
    def non_trainable_weights(self) -> list:
        """As tf_keras: the idf weights, then the listed vocabulary (and `num_documents`)."""
        return super().non_trainable_weights + _lookup_state.listed(self)

    def _tork_assign_vocabulary(self, value) -> None:
        """`set_weights`' vocabulary entry: the terms, without the special tokens."""
        terms = [self._normalize_term(t) for t in listify(np.asarray(value).reshape(-1))]
        idf = None
        if self.output_mode == "tf_idf":
            # The idf weights come before the vocabulary in `weights`: already assigned.
            idf = to_numpy(self._state.variable).astype(np.float64)
            if idf.shape[0] != self._token_start() + len(terms) and not self.pad_to_max_tokens:
                raise ValueError(
                    f"{where(self)}.set_weights: the idf weights have {idf.shape[0]} entries, "
                    f"but the vocabulary of {len(terms)} terms needs "
                    f"{self._token_start() + len(terms)} (one per index, special tokens first)."
                )
        self._set_tokens(terms, idf)

    # -- layout ---------------------------------------------------------------------------
    @property
    def _mask_in_vocab(self) -> bool:
        return self.mask_token is not None and self.output_mode == "int"

    def _oov_start(self) -> int:
        return 1 if self._mask_in_vocab else 0

    def _token_start(self) -> int:
        return self._oov_start() + self.num_oov_indices

    def _special_tokens(self) -> list:
        return [self.mask_token] * self._oov_start() + [self.oov_token] * self.num_oov_indices

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """Returns the vocabulary, by index.

        Args:
            include_special_tokens: whether to include the mask and OOV tokens
                (at their indices) before the terms.

        Returns:
            A list of terms.
        """
        if include_special_tokens:
            return self._special_tokens() + list(self._tokens)
        return list(self._tokens)

    def vocab_size(self) -> int:
        """Keras 2's older name of `vocabulary_size()`."""
        return self.vocabulary_size()

    def vocabulary_size(self) -> int:
        """Returns the number of indices, special tokens included."""
        return self._token_start() + len(self._tokens)

    def _depth(self) -> int:
        if self.pad_to_max_tokens and self.max_tokens is not None:
            return self.max_tokens
        if not self._tokens and self._state.frozen_size is not None:
            return int(self._state.frozen_size)
        return self.vocabulary_size()

    def _ensure_known_vocab_size(self) -> None:
        """As Keras 2: the encodings' width is the vocabulary size, so a layer with neither a
        vocabulary nor `pad_to_max_tokens` cannot encode (it would give width-1 vectors)."""
        if self.output_mode == "int" or self.pad_to_max_tokens:
            return
        if self._state.frozen_size is None:
            raise RuntimeError(
                f"{where(self)}: when using `output_mode={self.output_mode}` and "
                "`pad_to_max_tokens=False`, you must set the layer's vocabulary before calling "
                "it. Either pass a `vocabulary` argument to the layer, or call `adapt` with "
                "some sample data."
            )

    def _require_vocabulary(self, owner: Layer | None = None) -> None:
        """Refuses an eager lookup before any vocabulary was set or adapted.

        TensorFlow fails such a call ("Table not initialized"); looking up in an empty
        table would silently map every term to the OOV (or mask) index instead.
        """
        if self._tokens or self._state.frozen_size is not None or CONTEXT.symbolic:
            return
        if self.output_mode != "int" and not self.invert:
            return  # the encodings raise Keras 2's own message (_ensure_known_vocab_size)
        from tork._backend.errors import FailedPreconditionError

        raise FailedPreconditionError(
            None,
            None,
            f"{where(owner or self)} has no vocabulary yet (TensorFlow: 'Table not "
            "initialized'), so every term would map to the same index. Call "
            "layer.adapt(sample_data) or pass vocabulary=[...] before calling the layer.",
        )

    def _normalize_term(self, term):
        return term

    # -- setting the vocabulary ----------------------------------------------------------------
    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Sets the vocabulary (and, for `'tf_idf'`, the idf weights) directly.

        Args:
            vocabulary: a list/array of terms or the path of a text file with
                one term per line. It may start with the special tokens (mask,
                then OOV) in that order, or omit them.
            idf_weights: for `output_mode='tf_idf'`, one weight per term.
        """
        owner = where(self)
        terms = [self._normalize_term(t) for t in listify(vocabulary)]
        if not terms:
            # As TF: an empty table would map every term to the OOV index.
            source = "the vocabulary file is empty" if isinstance(vocabulary, str) else "got []"
            raise ValueError(
                f"{owner}: cannot set an empty vocabulary ({source}). Pass at least one term "
                "(a vocabulary file holds one term per line), or call adapt() instead."
            )
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{owner}: `idf_weights` must be set if output_mode is 'tf_idf'.")
        if idf_weights is not None and self.output_mode != "tf_idf":
            raise ValueError(
                f"{owner}: `idf_weights` should only be set if output_mode is 'tf_idf'. "
                f"Received: output_mode={self.output_mode!r}"
            )
        special = self._special_tokens()
        start = len(special)
        found_special = len(terms) >= start and terms[:start] == special
        tokens = terms[start:] if found_special else terms
        counts = Counter(tokens)
        repeated = [t for t, c in counts.items() if c > 1]
        if repeated:
            raise ValueError(
                f"{owner}: the passed vocabulary has at least one repeated term. Please uniquify "
                f"your dataset. The repeated terms are {repeated}"
            )
        if self.mask_token is not None and self.mask_token in counts:
            raise ValueError(
                f"{owner}: found reserved mask token at unexpected location in `vocabulary`. Note "
                "that passed `vocabulary` does not need to include the OOV and mask tokens. Either "
                "remove all mask and OOV tokens, or include them only at the start of the "
                f"vocabulary in precisely this order: {special}. Received: "
                f"mask_token={self.mask_token!r} at vocabulary index "
                f"{terms.index(self.mask_token)}"
            )
        if self.invert and self.oov_token is not None and self.oov_token in counts:
            raise ValueError(
                f"{owner}: found reserved OOV token at unexpected location in `vocabulary`. "
                "Either remove all mask and OOV tokens, or include them only at the start of the "
                f"vocabulary in precisely this order: {special}. Received: "
                f"oov_token={self.oov_token!r} at vocabulary index {terms.index(self.oov_token)}"
            )
        size = self._token_start() + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                f"{owner}: attempted to set a vocabulary larger than the maximum vocab size. "
                f"Received vocabulary size is {size}; `max_tokens` is {self.max_tokens}."
            )
        idf = None
        if idf_weights is not None:
            idf = np.asarray(
                to_numpy(idf_weights) if isinstance(idf_weights, torch.Tensor) else idf_weights,
                dtype=np.float64,
            )
            if idf.ndim != 1 or idf.shape[0] != len(terms):
                raise ValueError(
                    f"{owner}: `idf_weights` must be 1-D with one weight per vocabulary term "
                    f"({len(terms)}), got shape {idf.shape}."
                )
            if not found_special:
                # The OOV indices get the average idf weight (they cannot be measured).
                idf = np.concatenate([np.full(self._token_start(), idf.mean()), idf])
        self._set_tokens(tokens, idf)

    @property
    def input_vocabulary(self):
        """The vocabulary given to the constructor (None when adapted)."""
        return self._state.input_vocabulary

    @property
    def _tokens(self) -> list:
        return self._state.tokens

    @property
    def _idf(self):
        variable = self._state.variable
        if self._state.idf is None or variable is None:
            return self._state.idf
        # The weight, so that set_weights()/assign() and loaded files take effect.
        return to_numpy(variable).astype(np.float64)

    def _set_tokens(self, tokens: list, idf) -> None:
        state = self._state
        state.tokens = list(tokens)
        state.frozen_size = self._token_start() + len(state.tokens)
        start = self._token_start()
        state.table = {t: i + start for i, t in enumerate(state.tokens)}
        if idf is not None and self.pad_to_max_tokens and self.max_tokens is not None:
            idf = np.pad(idf, (0, max(0, self.max_tokens - idf.shape[0])))
        state.idf = idf
        state.cache = None
        if idf is not None and state.variable is not None:
            variable = state.variable
            with torch.no_grad():
                # The weight's length follows the vocabulary (shape (None,) in tf_keras).
                variable.data = torch.as_tensor(
                    np.asarray(idf), dtype=variable.dtype, device=variable.device
                )

    # -- Keras 3 files ----------------------------------------------------------------------
    # Keras 3 keeps an adapted vocabulary out of the config: it writes `vocabulary.txt` (special
    # tokens first, one term per line) under the layer's assets folder, and tf_idf weights as
    # `vars/idf_weights`. tork writes the vocabulary into the config instead (Keras reads both),
    # but must read these to load `.keras` files saved by Keras.
    def save_own_variables(self, store) -> None:
        # Keras (2 and 3) stores the idf weights under this key, not as `vars/0`.
        if self.output_mode == "tf_idf" and self._idf is not None:
            store["idf_weights"] = np.asarray(self._idf, dtype=np.float32)

    def load_own_variables(self, store) -> None:
        if self.output_mode != "tf_idf" or "idf_weights" not in store:
            return
        self.__dict__["_tork_pending_idf"] = np.asarray(store["idf_weights"], dtype=np.float64)
        variable = self._state.variable
        values = self._tork_pending_idf
        if self._idf is not None and variable is not None and values.shape == variable.shape:
            # The vocabulary came with the config: the file's weights win over the config's
            # `idf_weights` (they differ after set_weights()).
            with torch.no_grad():
                variable.copy_(torch.as_tensor(values, dtype=variable.dtype))
            return
        if self._tokens and self.input_vocabulary is None:
            self.set_vocabulary(self.get_vocabulary(), self._tork_file_idf(len(self._tokens)))

    def load_assets(self, dir_path) -> None:
        path = os.path.join(dir_path, "vocabulary.txt")
        if self.input_vocabulary is not None or not os.path.exists(path):
            return  # the vocabulary came with the config
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        if not lines:
            return  # saved before adapt(): still no vocabulary
        if self.vocabulary_dtype != "string":
            lines = [int(line) for line in lines]
        special = self._special_tokens()
        count = len(lines) - (len(special) if lines[: len(special)] == special else 0)
        idf = self._tork_file_idf(count) if self.output_mode == "tf_idf" else None
        if self.output_mode == "tf_idf" and idf is None:
            idf = np.ones(len(lines))  # no weights saved: neutral ones rather than failing
        self.set_vocabulary(lines, idf)

    def _tork_file_idf(self, count: int):
        """The idf weights read from a Keras file, trimmed to the vocabulary (or None)."""
        idf = self.__dict__.get("_tork_pending_idf")
        if idf is None:
            return None
        # Keras stores one weight per index (special tokens first), padded to max_tokens.
        return idf[: self._token_start() + count]

    # -- adapt ------------------------------------------------------------------------------
    def adapt(self, data, steps=None, *, batch_size=None) -> None:
        """Builds the vocabulary from the terms of `data`, most frequent first.

        Ties in frequency go to the larger term first, as in Keras.

        Args:
            data: terms as a list, nested list (one row per document), array,
                tensor, or a `tf.data.Dataset` yielding them.
            steps: number of batches to read from a dataset (all by default).
            batch_size: how many terms of a 1-D array (or flat list) Keras 2 reads per
                step (32 by default). It matters for `output_mode='tf_idf'` only: each such
                batch of terms counts as one document.
        """
        if _is_flat_terms(data):
            # Keras 2 adapts an array in batches of `batch_size`; a 1-D batch of terms is one
            # document, so the idf weights depend on that batching.
            terms = self._rows(data)[0]
            size = int(batch_size) if batch_size else 32
            documents = (
                [self._normalize_term(t) for t in terms[start : start + size]]
                for start in range(0, len(terms), size)
            )
            self._adapt_documents(documents)
            return
        self._adapt_documents(self._documents(data, steps))

    def _adapt_documents(self, documents) -> None:
        """Builds the vocabulary from an iterable of documents (lists of terms)."""
        counts: Counter = Counter()
        doc_counts: Counter = Counter()
        n_documents = 0
        for document in documents:
            counts.update(document)
            if self.output_mode == "tf_idf":
                doc_counts.update(set(document))
            n_documents += 1
        for special in (self.mask_token, self.oov_token):
            if special is not None:
                counts.pop(special, None)
        # Most frequent first; ties: larger term first (Keras reverses a (count, term) sort).
        ordered = sorted(counts.items(), key=lambda item: (item[1], item[0]), reverse=True)
        tokens = [t for t, _ in ordered]
        if self.max_tokens is not None:
            tokens = tokens[: max(0, self.max_tokens - self._token_start())]
        idf = None
        if self.output_mode == "tf_idf":
            # Keras's inverse document frequency: log(1 + documents / (1 + document count)).
            frequency = np.array([doc_counts[t] for t in tokens], dtype=np.float64)
            weights = np.log1p(n_documents / (1.0 + frequency))
            average = weights.mean() if len(weights) else 0.0
            idf = np.concatenate([np.full(self._token_start(), average), weights])
        self._set_tokens(tokens, idf)

    def _documents(self, data, steps):
        """Yields each document of `data` as a list of terms."""
        from tork.data import Dataset

        if isinstance(data, Dataset):
            batches = data.take(steps) if steps is not None else data
            for batch in batches:
                if isinstance(batch, (tuple, dict)):
                    raise ValueError(
                        f"{where(self)}: adapt() expects a dataset of terms, got "
                        f"{type(batch).__name__} elements. Drop the labels first, e.g. "
                        "dataset.map(lambda x, y: x)."
                    )
                yield from self._documents(batch, None)
            return
        rows = self._rows(data)
        for row in rows:
            yield [self._normalize_term(t) for t in row]

    def _rows(self, data) -> list:
        """Documents of array-like data, as Keras 2 counts them for 'tf_idf': each row of a
        2-D (or deeper) input is one document, while a 1-D input (a flat list or array of
        terms, or one such batch of a dataset) is a single document."""
        if _encoding.is_sparse(data):
            return self._sparse_rows(data)
        if isinstance(data, torch.Tensor):
            data = to_numpy(data)
        if isinstance(data, (str, bytes)) or np.ndim(data) == 0 and not isinstance(data, list):
            return [[_plain(data if not isinstance(data, np.ndarray) else data.item())]]
        if isinstance(data, np.ndarray) and data.dtype != object:
            if data.ndim == 1:
                return [[_plain(t) for t in data.tolist()]]
            flat = data.reshape(data.shape[0], -1)
            return [[_plain(t) for t in row] for row in flat.tolist()]
        nested = (list, tuple, np.ndarray, torch.Tensor)
        if not any(isinstance(item, nested) or _encoding.is_sparse(item) for item in data):
            return [[_plain(item) for item in data]]
        rows = []
        for item in data:
            if isinstance(item, nested):
                values = item
                if isinstance(values, torch.Tensor):
                    values = to_numpy(values)
                rows.append([_plain(t) for t in np.asarray(values, dtype=object).reshape(-1)])
            else:
                rows.append([_plain(item)])
        return rows

    @staticmethod
    def _sparse_rows(data) -> list:
        """The stored values of each row of a SparseTensor (one document per row)."""
        values = data.values
        values = values.numpy() if not isinstance(values, torch.Tensor) else to_numpy(values)
        row_ids = to_numpy(data.indices[:, 0]).tolist() if data.indices.shape[1] else []
        rows: list = [[] for _ in range(int(data.dense_shape[0]) if len(row_ids) else 1)]
        for row, value in zip(row_ids or [0] * len(values), np.asarray(values).reshape(-1)):
            rows[row].append(_plain(value))
        return rows

    # -- ragged inputs ------------------------------------------------------------------------
    def _call_ragged(self, inputs, flat_lookup):
        """Looks up the values of a RaggedTensor; `flat_lookup` maps its flat values.

        As Keras: `output_mode='int'` (and `invert=True`) keep the rows ragged; the
        other modes encode each row into one dense vector, so the input must have rank 2.
        """
        flat = flat_lookup(inputs.flat_values)
        if self.invert:
            return inputs.with_flat_values(flat)
        if self.output_mode == "int":
            return inputs.with_flat_values(_encoding.int_output(flat, self._tork_compute_dtype))
        rank = inputs.shape.rank + (1 if self.output_mode == "one_hot" else 0)
        if rank > 2:
            raise ValueError(
                f"{where(self)}: when output_mode is not 'int', the maximum supported output "
                f"rank is 2. Received output_mode '{self.output_mode}' and a RaggedTensor of "
                f"shape {inputs.shape}, which would give an output of rank {rank}."
            )
        # Rows padded with -1: dropped entries, which the encoding ignores.
        padded = inputs.with_flat_values(flat).to_tensor(default_value=-1)
        return self._encode_indices(padded)

    # -- sparse inputs ------------------------------------------------------------------------
    def _call_sparse(self, inputs, flat_lookup):
        """Looks up the values of a SparseTensor; `flat_lookup` maps its values.

        As Keras: `output_mode='int'` (and `invert=True`) give a SparseTensor with the
        same indices; the other modes encode the stored values of each row of a
        `(batch, tokens)` input into one dense vector.
        """
        from tork._backend.sparse_tensor import SparseTensor

        values = flat_lookup(inputs.values)
        if self.invert:
            return SparseTensor(inputs.indices, values, inputs.dense_shape)
        if self.output_mode == "int":
            values = _encoding.int_output(values, self._tork_compute_dtype)
            return SparseTensor(inputs.indices, values, inputs.dense_shape)
        row_ids, rows = _encoding.sparse_rows(inputs, where(self))
        padded = torch.full((rows, max(1, int(inputs.dense_shape[1]))), -1, dtype=torch.int64)
        padded = padded.to(values.device)
        # Each stored value at its own (row, column): unstored entries stay -1 (dropped).
        padded[row_ids.to(values.device), inputs.indices[:, 1].to(values.device)] = values
        return self._encode_indices(padded)

    # -- encoding -----------------------------------------------------------------------------
    def _check_output_rank(self, shape: tuple) -> None:
        """As Keras 2: the encoded modes give at most rank-2 outputs. `one_hot` replaces a
        last axis of size 1 and adds one otherwise; the other modes replace the last axis
        (a rank-1 input is one token per row)."""
        if self.output_mode == "one_hot":
            rank = len(shape) + (0 if shape and shape[-1] == 1 else 1)
        else:
            rank = max(len(shape), 2)
        if rank > 2:
            raise ValueError(
                f"{where(self)}: when output_mode is not 'int', the maximum supported output "
                f"rank is 2. Received output_mode '{self.output_mode}' and input shape "
                f"{shape}, which would result in output rank {rank}. Reshape the input to "
                "(batch, tokens), or use output_mode='int' with an Embedding."
            )

    def _encode_indices(self, indices: torch.Tensor) -> torch.Tensor:
        """Encodes int64 indices (-1 = dropped mask token) per the output mode."""
        if self.output_mode == "int":
            return _encoding.int_output(indices, self._tork_compute_dtype)
        self._check_output_rank(tuple(indices.shape))
        self._ensure_known_vocab_size()
        depth = self._depth()
        if self.vocabulary_size() > depth:
            raise ValueError(
                f"{where(self)}: the vocabulary size {self.vocabulary_size()} exceeds max_tokens "
                f"{depth}."
            )
        idf = None
        if self.output_mode == "tf_idf":
            weights = self._idf
            if weights is None:
                if not CONTEXT.symbolic:
                    raise ValueError(
                        f"{where(self)}: output_mode='tf_idf' needs idf weights: call adapt() or "
                        "pass `vocabulary` and `idf_weights`."
                    )
                # A functional model being (re)built, e.g. while loading a Keras file whose
                # vocabulary and weights are read afterwards: only the shape matters here.
                weights = np.zeros(0)
            idf = torch.as_tensor(
                np.concatenate([[0.0], np.pad(weights, (0, max(0, depth - len(weights))))]),
                dtype=self._tork_compute_dtype,
            )
        # Shift by one so dropped entries (-1) land in a column that is then removed.
        encoded = _encoding.encode(
            indices + 1,
            self.output_mode,
            depth + 1,
            self._tork_compute_dtype,
            idf_weights=idf,
            where_text=where(self),
        )
        encoded = encoded[..., 1:]
        return _sparse_output(encoded) if self.sparse else encoded

    def _oov_error(self, values) -> ValueError:
        sample = list(dict.fromkeys(values))[:10]
        return ValueError(
            f"{where(self)}: when `num_oov_indices=0` all inputs should be in the vocabulary; "
            f"found OOV values {sample}. Consider setting `num_oov_indices=1`."
        )

    def compute_output_shape(self, input_shape):
        """As Keras 2: the input shape for `'int'` (and `invert`), else `(batch, depth)`.

        Computed from the configuration: the generic fake-tensor call cannot stand in for
        string inputs.
        """
        input_shape = tuple(input_shape)
        if self.output_mode == "int" or self.invert:
            return input_shape
        depth = self._depth() if self._state.frozen_size is not None or self._tokens else None
        if self.pad_to_max_tokens and self.max_tokens is not None:
            depth = self.max_tokens
        return input_shape[:1] + (depth,)

    def get_config(self) -> dict:
        config = super().get_config()
        vocabulary = self.input_vocabulary
        if self._tokens and not isinstance(vocabulary, str):
            # An adapted vocabulary is kept in the config so from_config() restores it.
            vocabulary = list(self._tokens)
        idf = None
        if self._state.idf is not None:
            # The weights given (or adapted), not the weight's current value: tf_keras keeps
            # the constructor's `idf_weights` after set_weights().
            start = self._token_start()
            idf = list(self._state.idf[start : start + len(self._tokens)])
            idf = [float(v) for v in idf]
        config.update(
            {
                "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices,
                "mask_token": self.mask_token,
                "oov_token": self.oov_token,
                "vocabulary": vocabulary,
                "idf_weights": idf,
                "invert": self.invert,
                "output_mode": self.output_mode,
                "sparse": self.sparse,
                "pad_to_max_tokens": self.pad_to_max_tokens,
                # tf_keras and Keras 3: the size once a vocabulary was set or adapted.
                "vocabulary_size": self._state.frozen_size,
            }
        )
        return config
