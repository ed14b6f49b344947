"""`tf.keras.preprocessing.text` (Keras 2): the legacy `Tokenizer` and text hashing helpers.

Everything here works on Python strings and lists and returns Python lists or NumPy
arrays, as in Keras 2; nothing touches torch. New code should prefer
`keras.layers.TextVectorization`.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import itertools
import json
import warnings
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from tork._backend.errors import module_getattr as _module_getattr

_DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
_MATRIX_MODES = ("binary", "count", "tfidf", "freq")


@functools.lru_cache(maxsize=64)
def _translate_table(filters: str | tuple, split: str) -> dict:
    # Building the table costs more than translating a short text, so cache it per
    # (filters, split) pair: tokenizers call this once per document.
    return str.maketrans({c: split for c in filters})


def text_to_word_sequence(
    input_text: str,
    filters: str = _DEFAULT_FILTERS,
    lower: bool = True,
    split: str = " ",
) -> list[str]:
    """Converts a text to a sequence of words (or tokens).

    Every character in `filters` is replaced by `split`, then the text is split on
    `split` and empty tokens are dropped.

    Args:
        input_text: input text (string).
        filters: characters to filter out (a string or a list of characters), such as
            punctuation. Default: ``'!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\\t\\n'``, which
            includes basic punctuation, tabs, and newlines.
        lower: whether to convert the input to lowercase.
        split: separator for word splitting.

    Returns:
        A list of words (or tokens).

    Example:
    >>> tf.keras.preprocessing.text.text_to_word_sequence("Hello, World!")
    ['hello', 'world']
    """
    if lower:
        input_text = input_text.lower()
    key = filters if isinstance(filters, str) else tuple(filters)
    input_text = input_text.translate(_translate_table(key, split))
    return [token for token in input_text.split(split) if token]


def _md5_hash(word: str) -> int:
    return int(hashlib.md5(word.encode()).hexdigest(), 16)


def hashing_trick(
    text: str,
    n: int,
    hash_function: str | Callable[[str], int] | None = None,
    filters: str = _DEFAULT_FILTERS,
    lower: bool = True,
    split: str = " ",
    analyzer: Callable[[str], list] | None = None,
) -> list[int]:
    """Converts a text to a sequence of indexes in a fixed-size hashing space.

    Each word `w` becomes `hash_function(w) % (n - 1) + 1`, so indices lie in `[1, n)`
    and 0 stays free for padding. Different words may share an index (hash collisions).

    Args:
        text: input text (string).
        n: dimension of the hashing space (an integer >= 2).
        hash_function: `None` (the default) uses Python's built-in `hash`, as Keras does.
            Python salts string hashes per process (`PYTHONHASHSEED`), so those indices
            change between runs. `'md5'` uses `int(md5(word.encode()).hexdigest(), 16)`,
            which is stable across runs. Any callable taking a string and returning an
            int is also accepted.
        filters: characters to filter out, such as punctuation. Default:
            ``'!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\\t\\n'``.
        lower: whether to convert the input to lowercase.
        split: separator for word splitting.
        analyzer: optional callable that splits the text into tokens; when given,
            `filters`, `lower` and `split` are ignored.

    Returns:
        A list of integer word indices (uniqueness not guaranteed).

    Example:
    >>> tf.keras.preprocessing.text.hashing_trick("the cat", 10, hash_function="md5")
    [6, 3]
    """
    if hash_function is None:
        hash_function = hash
    elif isinstance(hash_function, str) and hash_function == "md5":
        hash_function = _md5_hash
    elif not callable(hash_function):
        raise ValueError(
            "`hash_function` must be None (Python's `hash`), 'md5', or a callable that "
            f"maps a string to an int; got {hash_function!r}."
        )
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(
            f"`n` (the size of the hashing space) must be an integer >= 2, got {n!r}: "
            "indices are drawn from [1, n) and 0 is reserved."
        )
    if analyzer is None:
        seq = text_to_word_sequence(text, filters=filters, lower=lower, split=split)
    else:
        seq = analyzer(text)
    buckets = n - 1
    return [hash_function(w) % buckets + 1 for w in seq]


def one_hot(
    input_text: str,
    n: int,
    filters: str = _DEFAULT_FILTERS,
    lower: bool = True,
    split: str = " ",
    analyzer: Callable[[str], list] | None = None,
) -> list[int]:
    """One-hot encodes a text into a list of word indexes of size `n`.

    This is the hashing trick (`hashing_trick`), not a true one-hot encoding: each word
    becomes `md5(word) % (n - 1) + 1`, an index in `[1, n)`, and different words may
    collide.

    Keras 2 hashes with Python's built-in `hash`, which is salted per process, so its
    indices differ from run to run and no particular value can be relied on. tork uses
    md5 (`int(hashlib.md5(word.encode()).hexdigest(), 16)`) instead, so the same word
    always gets the same index; `hashing_trick(..., hash_function=None)` still gives
    Keras's `hash`-based behaviour.

    Args:
        input_text: input text (string).
        n: size of the vocabulary (an integer >= 2).
        filters: characters to filter out, such as punctuation. Default:
            ``'!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\\t\\n'``.
        lower: whether to set the text to lowercase.
        split: separator for word splitting.
        analyzer: optional callable that splits the text into tokens.

    Returns:
        A list of integers in `[1, n)`, one per word (uniqueness not guaranteed).

    Example:
    >>> tf.keras.preprocessing.text.one_hot("the cat", 10)
    [6, 3]
    """
    return hashing_trick(
        input_text,
        n,
        hash_function="md5",
        filters=filters,
        lower=lower,
        split=split,
        analyzer=analyzer,
    )


class Tokenizer:
    """Text tokenization utility class (Keras 2's legacy `Tokenizer`).

    Turns each text into a sequence of integers (each the index of a token in a
    dictionary built by `fit_on_texts`) or into a vector whose entry per token is
    binary, a count, a frequency or a tf-idf weight.

    By default all punctuation is removed, texts are lowercased and split on spaces.
    Index 0 is reserved and never assigned to a word. Word indices start at 1 and
    follow decreasing frequency; words with the same count keep the order in which
    they were first seen. If `oov_token` is set it gets index 1.

    Args:
        num_words: the maximum number of words to keep, based on word frequency. Only
            words with index < `num_words` (the `num_words - 1` most common) are kept
            in sequences and matrices; `word_index` still holds every word.
        filters: characters to filter out of the texts. Default: all punctuation,
            plus tabs and line breaks, minus the `'` character.
        lower: whether to convert the texts to lowercase.
        split: separator for word splitting.
        char_level: if True, every character is a token (`filters` is not applied).
        oov_token: if given, it is added to `word_index` (as index 1) and used to
            replace out-of-vocabulary words in `texts_to_sequences` calls.
        analyzer: optional callable that splits a text into tokens; replaces
            `filters`/`lower`/`split` based splitting for strings.
        **kwargs: `document_count` (an int to start the document count from) and the
            deprecated `nb_words` (alias of `num_words`).

    Example:
    >>> tokenizer = tf.keras.preprocessing.text.Tokenizer()
    >>> tokenizer.fit_on_texts(["the cat sat", "the dog"])
    >>> tokenizer.word_index
    {'the': 1, 'cat': 2, 'sat': 3, 'dog': 4}
    >>> tokenizer.texts_to_sequences(["the dog sat"])
    [[1, 4, 3]]
    """

    def __init__(
        self,
        num_words: int | None = None,
        filters: str = _DEFAULT_FILTERS,
        lower: bool = True,
        split: str = " ",
        char_level: bool = False,
        oov_token: str | None = None,
        analyzer: Callable[[str], list] | None = None,
        **kwargs,
    ):
        if "nb_words" in kwargs:
            warnings.warn(
                "The `nb_words` argument in `Tokenizer` has been renamed `num_words`.",
                stacklevel=2,
            )
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError(
                f"Unrecognized keyword arguments to `Tokenizer`: {sorted(kwargs)}. "
                "Accepted: num_words, filters, lower, split, char_level, oov_token, "
                "analyzer, document_count."
            )
        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.filters = filters
        self.split = split
        self.lower = lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.index_docs = collections.defaultdict(int)
        self.word_index = {}
        self.index_word = {}
        self.analyzer = analyzer

    def _tokens(self, text) -> Iterable[str]:
        # Lists are taken as already tokenized and strings at char level as sequences
        # of characters; neither is filtered, as in Keras.
        if self.char_level or isinstance(text, list):
            if self.lower:
                if isinstance(text, list):
                    return [token.lower() for token in text]
                return text.lower()
            return text
        if self.analyzer is not None:
            return self.analyzer(text)
        return text_to_word_sequence(text, filters=self.filters, lower=self.lower, split=self.split)

    def fit_on_texts(self, texts: Iterable[str | list[str]]) -> None:
        """Updates the internal vocabulary from a list of texts.

        Required before `texts_to_sequences` or `texts_to_matrix`. Rebuilds
        `word_index`, `index_word` and `index_docs` from all texts seen so far.

        Args:
            texts: a list of strings, a generator of strings (for memory efficiency),
                or a list of lists of strings (each inner list is taken as tokens).
        """
        word_counts = self.word_counts
        word_docs = self.word_docs
        for text in texts:
            self.document_count += 1
            seq = self._tokens(text)
            for w in seq:
                word_counts[w] = word_counts.get(w, 0) + 1
            # dict.fromkeys de-duplicates in first-seen order, keeping word_docs
            # deterministic (a set would not).
            for w in dict.fromkeys(seq):
                word_docs[w] += 1

        # sorted() is stable, so equal counts keep first-seen order.
        ranked = sorted(word_counts.items(), key=lambda item: item[1], reverse=True)
        vocab = [] if self.oov_token is None else [self.oov_token]
        vocab.extend(word for word, _ in ranked)
        self.word_index = dict(zip(vocab, range(1, len(vocab) + 1)))
        self.index_word = {index: word for word, index in self.word_index.items()}
        for word, count in word_docs.items():
            self.index_docs[self.word_index[word]] = count

    def fit_on_sequences(self, sequences: Iterable[Iterable[int]]) -> None:
        """Updates the document statistics from a list of sequences.

        Required before `sequences_to_matrix` (if `fit_on_texts` was never called).

        Args:
            sequences: a list of sequences; a sequence is a list of integer word indices.
        """
        sequences = list(sequences)
        self.document_count += len(sequences)
        index_docs = self.index_docs
        for seq in sequences:
            for i in set(seq):
                index_docs[i] += 1

    def texts_to_sequences(self, texts: Iterable[str | list[str]]) -> list[list[int]]:
        """Transforms each text in `texts` into a sequence of integers.

        Only words with index < `num_words` are kept (replaced by the `oov_token`
        index when one is set); unknown words are dropped, or replaced by the
        `oov_token` index.

        Args:
            texts: a list of texts (strings or lists of tokens).

        Returns:
            A list of sequences (lists of ints).
        """
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts: Iterable[str | list[str]]) -> Iterator[list[int]]:
        """Transforms each text in `texts` into a sequence of integers, lazily.

        Same as `texts_to_sequences`, one text at a time.

        Args:
            texts: a list (or generator) of texts (strings or lists of tokens).

        Yields:
            One sequence (list of ints) per text.
        """
        num_words = self.num_words
        word_index = self.word_index
        oov_index = word_index.get(self.oov_token)
        has_oov = self.oov_token is not None
        for text in texts:
            vect = []
            for w in self._tokens(text):
                i = word_index.get(w)
                if i is None:
                    if has_oov:
                        vect.append(oov_index)
                elif num_words and i >= num_words:
                    if oov_index is not None:
                        vect.append(oov_index)
                else:
                    vect.append(i)
            yield vect

    def sequences_to_texts(self, sequences: Iterable[Iterable[int]]) -> list[str]:
        """Transforms each sequence of word indices back into a text.

        Only indices < `num_words` are kept (replaced by `oov_token` when one is set);
        unknown indices are dropped, or replaced by `oov_token`. Words are joined with
        single spaces.

        Args:
            sequences: a list of sequences (lists of ints).

        Returns:
            A list of strings.
        """
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences: Iterable[Iterable[int]]) -> Iterator[str]:
        """Transforms each sequence of word indices back into a text, lazily.

        Same as `sequences_to_texts`, one sequence at a time.

        Args:
            sequences: a list (or generator) of sequences (lists of ints).

        Yields:
            One string per sequence.
        """
        num_words = self.num_words
        index_word = self.index_word
        oov_index = self.word_index.get(self.oov_token)
        has_oov = self.oov_token is not None
        for seq in sequences:
            vect = []
            for num in seq:
                word = index_word.get(num)
                if word is None:
                    if has_oov:
                        vect.append(index_word[oov_index])
                elif num_words and num >= num_words:
                    if oov_index is not None:
                        vect.append(index_word[oov_index])
                else:
                    vect.append(word)
            yield " ".join(vect)

    def texts_to_matrix(self, texts: Iterable[str | list[str]], mode: str = "binary") -> np.ndarray:
        """Converts a list of texts to a NumPy matrix.

        Equivalent to `sequences_to_matrix(texts_to_sequences(texts), mode)`.

        Args:
            texts: a list of texts (strings or lists of tokens).
            mode: one of `'binary'`, `'count'`, `'tfidf'`, `'freq'`.

        Returns:
            A float64 NumPy array of shape `(len(texts), num_words)`.
        """
        _check_mode(mode)
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(
        self, sequences: Iterable[Iterable[int]], mode: str = "binary"
    ) -> np.ndarray:
        """Converts a list of sequences into a NumPy matrix.

        Row `i` describes `sequences[i]`; column `j` the word of index `j` (indices
        >= the matrix width are ignored). With `c` the number of times `j` occurs in the
        sequence, the entry is:

        - `'binary'`: 1 if `c > 0`.
        - `'count'`: `c`.
        - `'freq'`: `c / len(sequence)` (the full length, ignored indices included).
        - `'tfidf'`: `(1 + log(c)) * log(1 + document_count / (1 + index_docs[j]))`
          for `c > 0`.

        Args:
            sequences: a list of sequences (lists of ints).
            mode: one of `'binary'`, `'count'`, `'tfidf'`, `'freq'`.

        Returns:
            A float64 NumPy array of shape `(len(sequences), num_words)`; without
            `num_words`, the width is `len(word_index) + 1`.

        Raises:
            ValueError: for an unknown `mode`, when the width is unknown (no
                `num_words` and not fitted), or for `'tfidf'` before any fitting.
        """
        _check_mode(mode)
        if not self.num_words:
            if self.word_index:
                num_words = len(self.word_index) + 1
            else:
                raise ValueError(
                    "Specify a dimension (`num_words` argument), or fit on some text data "
                    "first: the Tokenizer has no vocabulary to size the matrix with."
                )
        else:
            num_words = self.num_words
        if mode == "tfidf" and not self.document_count:
            raise ValueError(
                "Fit the Tokenizer on some data before using tfidf mode: call "
                "`fit_on_texts` or `fit_on_sequences` first."
            )

        sequences = [seq if isinstance(seq, np.ndarray) else list(seq) for seq in sequences]
        num_rows = len(sequences)
        lengths = np.fromiter((len(seq) for seq in sequences), dtype=np.int64, count=num_rows)
        flat = np.fromiter(
            itertools.chain.from_iterable(sequences), dtype=np.int64, count=int(lengths.sum())
        )
        rows = np.repeat(np.arange(num_rows, dtype=np.int64), lengths)
        keep = (flat >= 0) & (flat < num_words)
        counts = np.bincount(
            rows[keep] * num_words + flat[keep], minlength=num_rows * num_words
        ).reshape(num_rows, num_words)

        if mode == "count":
            return counts.astype(np.float64)
        if mode == "binary":
            return (counts > 0).astype(np.float64)
        if mode == "freq":
            return counts / np.maximum(lengths, 1)[:, None]
        # tfidf
        docs = np.zeros(num_words, dtype=np.float64)
        for index, count in self.index_docs.items():
            if 0 <= index < num_words:
                docs[index] = count
        idf = np.log1p(self.document_count / (1.0 + docs))
        present = counts > 0
        tf = np.zeros((num_rows, num_words), dtype=np.float64)
        np.log(counts, out=tf, where=present)
        tf += 1.0
        return np.where(present, tf * idf, 0.0)

    def get_config(self) -> dict:
        """Returns the tokenizer configuration as a Python dictionary.

        The vocabulary statistics (`word_counts`, `word_docs`, `index_docs`,
        `word_index`, `index_word`) are stored as JSON strings. `analyzer` is not
        serialized.

        Returns:
            A dict with the tokenizer's arguments and fitted state.
        """
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs) -> str:
        """Returns a JSON string with the tokenizer configuration.

        Load it back with `tokenizer_from_json(json_string)`.

        Args:
            **kwargs: passed on to `json.dumps()`.

        Returns:
            A JSON string.
        """
        config = {"class_name": type(self).__name__, "config": self.get_config()}
        return json.dumps(config, **kwargs)


def _check_mode(mode: str) -> None:
    if mode not in _MATRIX_MODES:
        raise ValueError(
            f"Unknown vectorization mode: {mode!r}. Valid modes are "
            + ", ".join(repr(m) for m in _MATRIX_MODES)
            + "."
        )


def tokenizer_from_json(json_string: str) -> Tokenizer:
    """Parses a JSON tokenizer configuration and returns a tokenizer instance.

    Args:
        json_string: JSON string encoding a tokenizer configuration, as written by
            `Tokenizer.to_json()`.

    Returns:
        A `Tokenizer` with the saved arguments and vocabulary.

    Example:
    >>> tokenizer = tf.keras.preprocessing.text.Tokenizer()
    >>> tokenizer.fit_on_texts(["the cat"])
    >>> restored = tf.keras.preprocessing.text.tokenizer_from_json(tokenizer.to_json())
    >>> restored.word_index
    {'the': 1, 'cat': 2}
    """
    tokenizer_config = json.loads(json_string)
    config = tokenizer_config.get("config") if isinstance(tokenizer_config, dict) else None
    if not isinstance(config, dict):
        raise ValueError(
            "`json_string` is not a Tokenizer configuration: expected a JSON object with a "
            "'config' entry, as written by `Tokenizer.to_json()`."
        )
    config = dict(config)
    word_counts = json.loads(config.pop("word_counts"), object_pairs_hook=collections.OrderedDict)
    word_docs = json.loads(config.pop("word_docs"))
    # JSON object keys are strings; the index-keyed maps need their int keys back.
    index_docs = {int(k): v for k, v in json.loads(config.pop("index_docs")).items()}
    index_word = {int(k): v for k, v in json.loads(config.pop("index_word")).items()}
    word_index = json.loads(config.pop("word_index"))

    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = word_counts
    # defaultdicts so that fitting more texts after loading keeps working.
    tokenizer.word_docs = collections.defaultdict(int, word_docs)
    tokenizer.index_docs = collections.defaultdict(int, index_docs)
    tokenizer.word_index = word_index
    tokenizer.index_word = index_word
    return tokenizer


__getattr__ = _module_getattr("tf.keras.preprocessing.text")
