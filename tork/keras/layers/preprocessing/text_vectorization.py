"""`keras.layers.TextVectorization`: strings -> token indices or bag-of-words encodings.

The layer takes string tensors (`tf.constant([...])`, `tf.data` batches; see
`tork/_backend/string_tensor.py`), Python strings, lists of strings and NumPy
arrays of `str`/`bytes`/object (shape `(batch,)` or `(batch, 1)`), and returns
int64 tensors (or float encodings). It runs eagerly: in a `tf.data` map, on
strings given to a model, but not on a symbolic `keras.Input`.

A callable `standardize` is first called, as in Keras, on the whole batch as a
string tensor (so `tf.strings` functions work in it); a function that fails on a
batch, or does not return one string per input, is called on each Python `str`
instead (so plain `str -> str` functions work too).
"""

from __future__ import annotations

import re

import numpy as np
import torch

from tork._backend import string_tensor
from tork._backend.ragged_tensor import RaggedTensor
from tork._backend.tensor import to_numpy
from tork.keras.layers._call_context import where
from tork.keras.layers.layer import Layer, _contains_symbolic
from tork.keras.layers.preprocessing import _lookup_state
from tork.keras.layers.preprocessing._index_lookup import _device_indices, _record_eager_call
from tork.keras.layers.preprocessing.string_lookup import StringLookup

# Keras's default punctuation set (`,-.` is a range: it includes the hyphen).
DEFAULT_STRIP_REGEX = r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'
_STRIP = re.compile(DEFAULT_STRIP_REGEX)

# tf.strings.lower (what Keras standardizes with) folds only ASCII letters, and
# tf.strings.split splits only on ASCII whitespace: "Über" stays "Über" and a
# no-break space joins words. Python's str.lower/str.split are Unicode-aware, so
# the vocabulary and token indices would silently differ from Keras.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_SPACE = re.compile(r"[ \t\n\v\f\r]+")

_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")
_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class TextVectorization(Layer):
    """Turns raw strings into token-index sequences or bag-of-words vectors.

    Each string is standardized (by default lowercased and stripped of
    punctuation), split into tokens (by default on whitespace), optionally
    extended with n-grams (joined by a space), then looked up in a vocabulary
    learned with `adapt()` or given as `vocabulary`.

    In `'int'` mode the vocabulary starts with the padding token `''`
    (index 0) and `'[UNK]'` (index 1, out-of-vocabulary); the output is an
    int64 `(batch, length)` tensor padded with 0 (to `output_sequence_length`
    when set, else to the longest string of the batch; longer sequences are
    truncated). In `'multi_hot'`, `'count'` and `'tf_idf'` modes the output is
    a float `(batch, vocabulary_size)` tensor (index 0 is `'[UNK]'`).

    Args:
        max_tokens: maximum vocabulary size, special tokens included.
        standardize: `'lower_and_strip_punctuation'`, `'lower'`,
            `'strip_punctuation'`, None, or a callable taking a batch string
            tensor and returning one of the same shape (e.g. written with
            `tf.strings`), or a callable `str -> str`.
        split: `'whitespace'`, `'character'`, None (no split), or a callable
            `str -> list of str`.
        ngrams: None, an int n (all n-grams up to n) or a tuple of sizes.
        output_mode: `'int'`, `'one_hot'`, `'multi_hot'`, `'count'` or `'tf_idf'`.
        output_sequence_length: in `'int'` mode, pad or truncate to this length.
        pad_to_max_tokens: in encoding modes, pad the output to `max_tokens`.
        vocabulary: optional list of terms or path of a one-term-per-line file.
        idf_weights: with `'tf_idf'` and a vocabulary, one weight per term.
        sparse: return a `tf.SparseTensor` (output modes other than "int").
        ragged: with `output_mode='int'` and a `split`, return a `tf.RaggedTensor` of
            token ids (one row per text, no padding).
        encoding: text encoding of `bytes` inputs.

    Example:
    >>> layer = keras.layers.TextVectorization(output_sequence_length=4)
    >>> layer.adapt(["The cat sat.", "The dog!"])
    >>> layer.get_vocabulary()
    ['', '[UNK]', 'the', 'sat', 'dog', 'cat']
    >>> layer(["the cat ran"]).tolist()
    [[2, 5, 1, 0]]
    """

    def __init__(
        self,
        max_tokens=None,
        standardize="lower_and_strip_punctuation",
        split="whitespace",
        ngrams=None,
        output_mode: str = "int",
        output_sequence_length=None,
        pad_to_max_tokens: bool = False,
        vocabulary=None,
        idf_weights=None,
        sparse: bool = False,
        ragged: bool = False,
        encoding: str = "utf-8",
        name=None,
        **kwargs,
    ):
        # Keras configs record the adapted vocabulary's size (tf_keras and Keras 3 keep the
        # vocabulary itself in the file's assets, loaded after the model is rebuilt): the
        # lookup layer gives its encodings that width until then.
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        if kwargs.get("dtype") is None:
            # Keras 2's dtype for this layer is "string" (its input): a Sequential whose first
            # layer is `TextVectorization(input_shape=(n,))` then builds on a string input.
            kwargs["dtype"] = "string"
        super().__init__(name=name, **kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode == "tf-idf":
            output_mode = "tf_idf"
        # output_mode=None (Keras 2): the standardized, split (and n-grammed) strings.
        if output_mode is not None and output_mode not in _MODES:
            raise ValueError(
                "Invalid value for argument output_mode. Expected one of "
                f"{list(_MODES)}. Received: output_mode={output_mode!r}"
            )
        if not (standardize is None or standardize in _STANDARDIZE or callable(standardize)):
            raise ValueError(
                "Invalid value for argument standardize. Expected one of "
                f"{[None, *_STANDARDIZE]} or a callable. Received: standardize={standardize!r}"
            )
        if not (split is None or split in _SPLIT or callable(split)):
            raise ValueError(
                "Invalid value for argument split. Expected one of "
                f"{[None, *_SPLIT]} or a callable. Received: split={split!r}"
            )
        if ngrams is not None and not (
            (isinstance(ngrams, int) and ngrams > 0)
            or (
                isinstance(ngrams, (tuple, list))
                and all(isinstance(n, int) and n > 0 for n in ngrams)
            )
        ):
            raise ValueError(
                "`ngrams` must be None, an integer, or a tuple of integers. Received: "
                f"ngrams={ngrams!r}"
            )
        if output_mode not in ("int", None) and output_sequence_length is not None:
            raise ValueError(
                "`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                f"Received output_sequence_length={output_sequence_length}."
            )
        if output_sequence_length is not None and (
            not isinstance(output_sequence_length, int) or output_sequence_length < 0
        ):
            raise ValueError(
                "`output_sequence_length` must be a non-negative integer. Received: "
                f"output_sequence_length={output_sequence_length!r}"
            )
        if ragged and output_mode != "int":
            raise ValueError(
                "`ragged` must not be true if `output_mode` is not 'int'. Received: "
                f"ragged={ragged} and output_mode={output_mode}"
            )
        if ragged and output_sequence_length is not None:
            raise ValueError(
                "`output_sequence_length` must not be set if ragged is True. Received: "
                f"ragged={ragged} and output_sequence_length={output_sequence_length}"
            )
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        if isinstance(ngrams, int):
            self._ngram_sizes = tuple(range(1, ngrams + 1))
        elif ngrams is not None:
            self._ngram_sizes = tuple(ngrams)
        else:
            self._ngram_sizes = None
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._ragged = ragged
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="" if output_mode in ("int", None) else None,
            output_mode=output_mode or "int",
            sparse=sparse,
            encoding=encoding,
            vocabulary_size=vocabulary_size,
        )
        if self._lookup_layer.sparse:
            # Symbolic calls run on real twins, whose outputs become SparseKerasTensors.
            self._tork_composite_output = True

    # -- public attributes ------------------------------------------------------------------
    @property
    def standardize(self):
        return self._standardize

    @property
    def split(self):
        return self._split

    @property
    def ngrams(self):
        return self._ngrams_arg

    @property
    def output_mode(self) -> str:
        return self._output_mode

    @property
    def output_sequence_length(self):
        return self._output_sequence_length

    @property
    def max_tokens(self):
        return self._lookup_layer.max_tokens

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """Returns the vocabulary, by index (`''` and `'[UNK]'` first in 'int' mode).

        Args:
            include_special_tokens: whether to include the padding and OOV tokens.

        Returns:
            A list of strings.
        """
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        """Returns the vocabulary size, special tokens included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Sets the vocabulary (and idf weights for `'tf_idf'`) directly.

        Args:
            vocabulary: a list of terms or the path of a one-term-per-line file.
            idf_weights: for `output_mode='tf_idf'`, one weight per term.
        """
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    @property
    def weights(self) -> list:
        """As tf_keras: the lookup layer's weights, with its vocabulary (and tf_idf's
        `num_documents`) when the layer was created without a `vocabulary`."""
        weights = super().weights
        if any(_lookup_state.is_state(w) for w in weights):
            return weights  # listed already, through the lookup's `non_trainable_weights`
        return weights + _lookup_state.listed(self._lookup_layer)

    # Keras 3 files: TextVectorization passes its store and assets folder to its lookup layer.
    def save_own_variables(self, store) -> None:
        # tf_keras also writes (and reads) the tf_idf weights under the layer's own `vars`.
        self._lookup_layer.save_own_variables(store)

    def load_own_variables(self, store) -> None:
        self._lookup_layer.load_own_variables(store)

    def load_assets(self, dir_path) -> None:
        self._lookup_layer.load_assets(dir_path)

    # -- text processing ----------------------------------------------------------------------
    def _decode(self, text) -> str:
        if isinstance(text, bytes):
            return text.decode(self._encoding)
        if isinstance(text, np.ndarray) and text.ndim == 0:  # a scalar string tensor
            return self._decode(text.view(np.ndarray)[()])
        if not isinstance(text, str):
            raise ValueError(
                f"{where(self)}: expected strings, got {text!r} ({type(text).__name__})."
            )
        return text

    def _standardized(self, texts: list) -> list:
        """Decoded and standardized texts (Python str)."""
        texts = [self._decode(t) for t in texts]
        standardize = self._standardize
        if standardize in ("lower_and_strip_punctuation", "lower"):
            texts = [t.translate(_ASCII_LOWER) for t in texts]
        if standardize in ("lower_and_strip_punctuation", "strip_punctuation"):
            texts = [_STRIP.sub("", t) for t in texts]
        elif callable(standardize) and texts:
            batch = string_tensor.make([t.encode(self._encoding) for t in texts])
            try:
                result = standardize(batch)
            except Exception:  # not a batch function: call it per string below
                result = None
            if isinstance(result, np.ndarray) and tuple(result.shape) == (len(texts),):
                return [self._decode(t) for t in np.asarray(result, dtype=object)]
            texts = [self._decode(standardize(t)) for t in texts]
        return texts

    def _tokens(self, text: str) -> list:
        split = self._split
        if split == "whitespace":
            tokens = [t for t in _ASCII_SPACE.split(text) if t]
        elif split == "character":
            tokens = list(text)
        elif split is None:
            tokens = [text]
        else:
            result = split(text)
            # A custom split usually returns tf.strings.split's 1-D string tensor, whose
            # elements are 0-d string tensors: read its values as bytes before counting them.
            if hasattr(result, "numpy"):
                result = np.asarray(result.numpy(), dtype=object).ravel()
            tokens = [t.decode(self._encoding) if isinstance(t, bytes) else t for t in result]
        if self._ngram_sizes is not None:
            grams = []
            for n in self._ngram_sizes:
                grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
            tokens = grams
        return tokens

    def _texts(self, inputs):
        """(list of strings, unbatched) from the accepted input forms."""
        if isinstance(inputs, torch.Tensor):
            raise ValueError(
                f"{where(self)}: expected strings (a string tensor, a str, a list of str or a "
                f"NumPy array of str), got a tensor of dtype "
                f"{str(inputs.dtype).replace('torch.', '')}."
            )
        if isinstance(inputs, (str, bytes)):
            return [inputs], True
        array = np.asarray(inputs, dtype=object)
        if array.ndim == 0:
            return [array[()]], True
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]
        if array.ndim != 1:
            raise ValueError(
                f"{where(self)}: expected a batch of strings of shape (batch,) or (batch, 1), "
                f"got shape {array.shape} (when splitting, the last shape dimension must be 1)."
            )
        return list(array), False

    def __call__(self, inputs, *args, **kwargs):
        if _contains_symbolic(inputs):
            from tork.keras.models.functional import composite

            splits_to_strings = self._output_mode is None and self._split is not None
            if self._ragged or splits_to_strings or composite.wants_composite(self, (inputs,), {}):
                # Ragged ids (or ragged string inputs): inferred on real RaggedTensors.
                return composite.call_layer(self, (inputs, *args), kwargs)
            # A functional model's string input: the layer records its node and infers its
            # output by vectorizing empty strings (keras.Input(dtype="string")).
            from tork.keras.models.functional.node import call_symbolic

            return call_symbolic(self, (inputs, *args), kwargs)
        # Strings are not torch tensors: skip the base class's input conversion.
        outputs = self.call(inputs)
        out_shape = None
        if (
            self._split is not None
            and self._output_mode == "int"
            and self._output_sequence_length is None
            and isinstance(outputs, torch.Tensor)
            and outputs.ndim == 2
        ):
            # The sequence length is the longest text of each batch: Keras records it as None.
            out_shape = (None, None)
        return _record_eager_call(self, outputs, out_shape)

    def _call_unsplit(self, inputs):
        """`split=None`: every string is one token, so the input's shape is kept.

        As in Keras, `int` output has the input's shape (`(batch,)` stays rank 1, `(batch, k)`
        stays `(batch, k)`); the other modes encode each row of a `(batch, k)` input as one bag
        of tokens, and a `(batch,)` input as a single bag.
        """
        if isinstance(inputs, torch.Tensor):
            self._texts(inputs)  # raises the "expected strings" error
        array = np.asarray(inputs, dtype=object)
        if array.ndim > 2:
            raise ValueError(
                f"{where(self)}: expected strings of shape (batch,) or (batch, k), got shape "
                f"{array.shape}."
            )
        texts = self._standardized(list(array.reshape(-1)))
        lookup = self._lookup_layer
        if self._output_mode == "int":
            ids = lookup.lookup_flat(texts).reshape(array.shape)
            length = self._output_sequence_length
            if length is not None and ids.ndim == 2:
                out = np.zeros((ids.shape[0], length), dtype=np.int64)
                keep = min(length, ids.shape[1])
                out[:, :keep] = ids[:, :keep]
                ids = out
            return _device_indices(ids)
        tokens = [self._tokens(t) for t in texts]
        if array.ndim < 2:
            # Keras encodes a rank-1 batch of unsplit strings as ONE bag (rank-1 output), as
            # StringLookup does with rank-1 input.
            return self._encode_rows([sum(tokens, [])])[0]
        width = array.shape[1]
        rows = [sum(tokens[i : i + width], []) for i in range(0, len(tokens), width)]
        return self._encode_rows(rows)

    def _call_ragged(self, inputs: RaggedTensor):
        """A RaggedTensor of strings, as Keras 2 vectorizes it.

        'int': every string is looked up in place (`split=None`), or, with a `split`, the
        innermost axis (of size 1) becomes the string's tokens; the ids are a RaggedTensor
        with `ragged=True`, else padded with 0 to a dense tensor. Other modes encode each
        row of a `(batch, None)` input as one bag of tokens.
        """
        nested = inputs.to_list()
        if self._output_mode != "int":
            if inputs.shape.rank != 2:
                raise ValueError(
                    f"{where(self)}: with output_mode={self._output_mode!r} a RaggedTensor "
                    f"input must have shape (batch, None); got shape {inputs.shape}."
                )
            rows = [
                [tok for text in self._standardized(row) for tok in self._tokens(text)]
                for row in nested
            ]
            return self._encode_rows(rows)
        lookup = self._lookup_layer

        def ids(level):
            if not level or isinstance(level[0], list):
                return [ids(item) for item in level]
            texts = self._standardized(level)
            if self._split is None:
                return lookup.lookup_flat(texts).tolist()
            if len(texts) != 1:
                raise ValueError(
                    f"{where(self)}: when splitting strings, the last shape dimension must be "
                    f"1 (one string per innermost row); got rows of {len(texts)} strings."
                )
            return lookup.lookup_flat(self._tokens(texts[0])).tolist()

        result = ids(nested)
        if self._ragged:
            from tork.ops.ragged import constant

            return constant(result, dtype=torch.int64)
        return _device_indices(_pad_nested(result, self._output_sequence_length))

    def _ngrams_of(self, tokens: list) -> list:
        sizes = self._ngram_sizes
        if sizes is None:
            return tokens
        return [" ".join(tokens[i : i + n]) for n in sizes for i in range(len(tokens) - n + 1)]

    def _call_strings(self, inputs):
        """`output_mode=None` (Keras 2): the processed strings instead of ids.

        With a `split`, each string becomes a row of tokens (a RaggedTensor); without one,
        the strings keep the input's shape and `ngrams` join neighbours along its last axis.
        """
        from tork.ops.ragged import constant

        encode = self._encoding

        def as_bytes(values):
            return [v.encode(encode) for v in values]

        if isinstance(inputs, RaggedTensor):

            def process(level):
                if not level or isinstance(level[0], list):
                    return [process(item) for item in level]
                texts = self._standardized(level)
                if self._split is not None:
                    if len(texts) != 1:
                        raise ValueError(
                            f"{where(self)}: when splitting strings, the last shape dimension "
                            f"must be 1 (one string per innermost row); got rows of "
                            f"{len(texts)} strings."
                        )
                    return as_bytes(self._tokens(texts[0]))
                return as_bytes(self._ngrams_of(texts))

            return constant(process(inputs.to_list()))
        if self._split is not None:
            texts, unbatched = self._texts(inputs)
            rows = [as_bytes(self._tokens(t)) for t in self._standardized(texts)]
            if unbatched:
                return string_tensor.make(np.array(rows[0], dtype=object), type(self).__name__)
            return constant(rows)
        array = np.asarray(inputs, dtype=object)
        flat = self._standardized(list(array.reshape(-1)))
        texts = np.array(as_bytes(flat) or [], dtype=object).reshape(array.shape)
        if self._ngram_sizes is not None and array.ndim >= 1:
            rows = texts.reshape(-1, array.shape[-1]) if array.ndim > 1 else texts.reshape(1, -1)
            grams = [as_bytes(self._ngrams_of([t.decode(encode) for t in row])) for row in rows]
            texts = np.array(grams, dtype=object).reshape(array.shape[:-1] + (-1,))
        return string_tensor.make(texts, type(self).__name__)

    def _encode_rows(self, rows: list) -> torch.Tensor:
        """Bag-of-tokens encodings (multi_hot, count, tf_idf, one_hot) of token rows."""
        lookup = self._lookup_layer
        lengths = [len(r) for r in rows]
        flat = lookup.lookup_flat([t for r in rows for t in r])
        # At least one column (of dropped -1 entries): rows of empty strings encode as zeros.
        padded = np.full((len(rows), max(max(lengths, default=0), 1)), -1, dtype=np.int64)
        start = 0
        for i, n in enumerate(lengths):
            padded[i, :n] = flat[start : start + n]
            start += n
        return lookup._encode_indices(_device_indices(padded))

    def call(self, inputs):
        if self._output_mode is None:
            return self._call_strings(inputs)
        self._lookup_layer._require_vocabulary(self)
        if isinstance(inputs, RaggedTensor):
            return self._call_ragged(inputs)
        if self._split is None:
            return self._call_unsplit(inputs)
        texts, unbatched = self._texts(inputs)
        rows = [self._tokens(t) for t in self._standardized(texts)]
        lookup = self._lookup_layer
        lengths = [len(r) for r in rows]
        flat = lookup.lookup_flat([t for r in rows for t in r])
        if self._output_mode == "int" and self._ragged:
            # One row of token ids per text, each as long as its text.
            result = RaggedTensor.from_row_lengths(
                _device_indices(flat), torch.tensor(lengths, dtype=torch.int64), validate=False
            )
        elif self._output_mode == "int":
            length = self._output_sequence_length
            if length is None:
                length = max(lengths, default=0)
            out = np.zeros((len(rows), length), dtype=np.int64)
            start = 0
            for i, n in enumerate(lengths):
                keep = min(n, length)
                out[i, :keep] = flat[start : start + keep]
                start += n
            result = _device_indices(out)
        else:
            result = self._encode_rows(rows)
        return result[0] if unbatched else result

    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Builds the vocabulary from texts, most frequent token first.

        Args:
            data: strings as a list, a NumPy array, an iterable, or a
                `tf.data.Dataset` yielding them.
            batch_size: unused, kept for Keras compatibility.
            steps: number of batches to read from a dataset (all by default).
        """
        self._lookup_layer._adapt_documents(self._adapt_tokens(data, steps))
        self.built = True  # as in Keras 2, an adapted layer counts as built

    def _adapt_tokens(self, data, steps):
        # Standardized in chunks, so a batch `standardize` runs once per chunk.
        chunk: list = []
        for text in self._adapt_texts(data, steps):
            chunk.append(text)
            if len(chunk) == 1024:
                yield from (self._tokens(t) for t in self._standardized(chunk))
                chunk = []
        yield from (self._tokens(t) for t in self._standardized(chunk))

    def _adapt_texts(self, data, steps):
        from tork.data import Dataset

        if isinstance(data, Dataset):
            batches = data.take(steps) if steps is not None else data
            for batch in batches:
                if isinstance(batch, (tuple, dict)):
                    raise ValueError(
                        f"{where(self)}: adapt() expects a dataset of texts, got "
                        f"{type(batch).__name__} elements. Drop the labels first, e.g. "
                        "dataset.map(lambda x, y: x)."
                    )
                yield from self._adapt_texts(batch, None)
            return
        if isinstance(data, (str, bytes)):
            yield data
            return
        if isinstance(data, torch.Tensor):
            data = to_numpy(data)
        if isinstance(data, np.ndarray):
            yield from data.reshape(-1).tolist()
            return
        for item in data:
            if isinstance(item, (list, tuple, np.ndarray)):
                yield from np.asarray(item, dtype=object).reshape(-1).tolist()
            else:
                yield item

    @property
    def _tork_size_varies(self) -> bool:
        # Padded int output is as long as the longest text of each batch: tracing on the
        # functional API's placeholder texts (empty strings) would fix it at 0, so the
        # output length is left unknown as compute_output_shape says (Keras: None).
        return (
            self._split is not None
            and self._output_mode == "int"
            and not self._ragged
            and self._output_sequence_length is None
        )

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        batch = input_shape[:1]
        if self._output_mode == "int":
            return batch + (self._output_sequence_length,)
        depth = (
            self.max_tokens
            if self._lookup_layer.pad_to_max_tokens
            else self._lookup_layer.vocabulary_size()
        )
        return batch + (depth,)

    def get_config(self) -> dict:
        config = super().get_config()
        lookup_config = self._lookup_layer.get_config()
        config.update(
            {
                "max_tokens": self._lookup_layer.max_tokens,
                "standardize": self._standardize,
                "split": self._split,
                "ngrams": list(self._ngrams_arg)
                if isinstance(self._ngrams_arg, tuple)
                else self._ngrams_arg,
                "output_mode": self._output_mode,
                "output_sequence_length": self._output_sequence_length,
                "pad_to_max_tokens": self._lookup_layer.pad_to_max_tokens,
                "sparse": self._lookup_layer.sparse,
                "ragged": self._ragged,
                "vocabulary": lookup_config["vocabulary"],
                "idf_weights": lookup_config["idf_weights"],
                "vocabulary_size": self.vocabulary_size(),  # tf_keras and Keras 3 write it
                "encoding": self._encoding,
            }
        )
        return config


def _pad_nested(nested: list, length=None) -> np.ndarray:
    """Nested lists of ids (ragged) as a dense int64 array padded with 0; `length` fixes the
    size of the last axis (padding or truncating), as `output_sequence_length` does."""
    shape: list = []

    def measure(level, depth):
        if depth == len(shape):
            shape.append(0)
        shape[depth] = max(shape[depth], len(level))
        for item in level:
            if isinstance(item, list):
                measure(item, depth + 1)

    measure(nested, 0)
    if length is not None and len(shape) > 1:
        shape[-1] = length
    out = np.zeros(shape, dtype=np.int64)

    def fill(level, index):
        for i, item in enumerate(level):
            if isinstance(item, list):
                fill(item, index + (i,))
            elif i < shape[len(index)]:
                out[index + (i,)] = item

    fill(nested, ())
    return out
