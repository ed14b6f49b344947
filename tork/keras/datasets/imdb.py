"""`keras.datasets.imdb`: IMDB movie reviews labelled by sentiment."""

from __future__ import annotations

import json

import numpy as np

from tork.keras.datasets import _common
from tork.keras.utils.get_file import get_file

_FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
_WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"


def load_data(
    path: str = "imdb.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
    **kwargs,
):
    """Loads the IMDB dataset: 25,000 + 25,000 reviews as sequences of word indices.

    Words are indexed by frequency (index 1 is the most frequent word of the
    training set); 0 is reserved for padding. Each split is shuffled with
    `np.random.RandomState(seed)`.

    Args:
        path: file name of the cached copy (relative to `~/.keras/datasets`).
        num_words: keep only word indices below `num_words` (after
            `index_from` is added); others become `oov_char`. `None` keeps all.
        skip_top: word indices below `skip_top` also become `oov_char`.
        maxlen: drop the sequences whose length (with the start character) is
            not below `maxlen`. `None` keeps all.
        seed: seed of the shuffling.
        start_char: index that starts every sequence (`None`: no start index).
        oov_char: index for cut-out words (`None`: cut-out words are removed).
        index_from: offset added to every word index.

    Returns:
        Tuple `(x_train, y_train), (x_test, y_test)`: `x_*` are 1-D object
        arrays of lists of ints (pad them with
        `keras.utils.pad_sequences`), `y_*` integer arrays of 0/1 labels.

    Example:

    ```python
    (x_train, y_train), _ = tf.keras.datasets.imdb.load_data(num_words=10000)
    x_train = tf.keras.utils.pad_sequences(x_train, maxlen=200)
    ```
    """
    if "nb_words" in kwargs:  # Keras 1 spelling
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
    path = get_file(fname=path, origin=_common.ORIGIN + "imdb.npz", file_hash=_FILE_HASH)
    arrays = _common.load_npz(path)
    # One generator for both splits, as in Keras: the test order is its second draw.
    rng = np.random.RandomState(seed)
    train_order = np.arange(len(arrays["x_train"]))
    rng.shuffle(train_order)
    test_order = np.arange(len(arrays["x_test"]))
    rng.shuffle(test_order)
    x_train, y_train = arrays["x_train"][train_order], arrays["y_train"][train_order]
    x_test, y_test = arrays["x_test"][test_order], arrays["y_test"][test_order]

    n_train = len(x_train)
    sequences, keep = _common.encode_sequences(
        list(x_train) + list(x_test),
        num_words,
        skip_top,
        maxlen,
        start_char,
        oov_char,
        index_from,
    )
    keep_train, keep_test = keep[:n_train], keep[n_train:]
    if maxlen and (not keep_train.any() or not keep_test.any()):
        raise ValueError(
            f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was "
            "kept. Increase maxlen."
        )
    split_at = int(keep_train.sum())
    return (
        (_common.object_array(sequences[:split_at]), y_train[keep_train]),
        (_common.object_array(sequences[split_at:]), y_test[keep_test]),
    )


def get_word_index(path: str = "imdb_word_index.json") -> dict:
    """Returns the dict mapping each word to its index in the IMDB dataset.

    Indices in `load_data`'s sequences are these plus `index_from` (3 by default).

    Args:
        path: file name of the cached copy (relative to `~/.keras/datasets`).

    Returns:
        The word index dictionary (`{"the": 1, ...}`).

    Example:

    ```python
    index = tf.keras.datasets.imdb.get_word_index()
    words = {i + 3: w for w, i in index.items()}
    ```
    """
    path = get_file(
        fname=path, origin=_common.ORIGIN + "imdb_word_index.json", file_hash=_WORD_INDEX_HASH
    )
    with open(path, encoding="utf-8") as f:
        return json.load(f)
