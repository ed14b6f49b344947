"""`keras.datasets.reuters`: Reuters newswires labelled over 46 topics."""

from __future__ import annotations

import json

from tork.keras.datasets import _common
from tork.keras.utils.get_file import get_file

_FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
_WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"

_LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply",
    "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas",
    "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin",
    "strategic-metal", "livestock", "retail", "ipi", "iron-steel", "rubber", "heat", "jobs",
    "lei", "bop", "zinc", "orange", "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead",
)  # fmt: skip


def load_data(
    path: str = "reuters.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    test_split: float = 0.2,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
):
    """Loads the Reuters newswire dataset: 11,228 newswires over 46 topics.

    The newswires are shuffled with `np.random.RandomState(seed)`, encoded as
    in `keras.datasets.imdb.load_data`, then the last `test_split` fraction
    becomes the test set.

    Args:
        path: file name of the cached copy (relative to `~/.keras/datasets`).
        num_words: keep only word indices below `num_words`; others become
            `oov_char`. `None` keeps all.
        skip_top: word indices below `skip_top` also become `oov_char`.
        maxlen: drop the sequences whose length (with the start character) is
            not below `maxlen`. `None` keeps all.
        test_split: fraction of the data used as test set, in `[0, 1)`.
        seed: seed of the shuffling.
        start_char: index that starts every sequence (`None`: none).
        oov_char: index for cut-out words (`None`: cut-out words are removed).
        index_from: offset added to every word index.

    Returns:
        Tuple `(x_train, y_train), (x_test, y_test)`: `x_*` are 1-D object
        arrays of lists of ints, `y_*` integer topic labels (0-45).

    Example:

    ```python
    (x_train, y_train), _ = tf.keras.datasets.reuters.load_data(num_words=10000)
    ```
    """
    _common.check_test_split(test_split)
    path = get_file(fname=path, origin=_common.ORIGIN + "reuters.npz", file_hash=_FILE_HASH)
    arrays = _common.load_npz(path)
    xs, labels = _common.shuffled(seed, arrays["x"], arrays["y"])
    sequences, keep = _common.encode_sequences(
        list(xs), num_words, skip_top, maxlen, start_char, oov_char, index_from
    )
    labels = labels[keep]
    idx = int(len(sequences) * (1 - test_split))
    return (
        (_common.object_array(sequences[:idx]), labels[:idx]),
        (_common.object_array(sequences[idx:]), labels[idx:]),
    )


def get_word_index(path: str = "reuters_word_index.json") -> dict:
    """Returns the dict mapping each word to its index in the Reuters dataset.

    Indices in `load_data`'s sequences are these plus `index_from` (3 by default).

    Args:
        path: file name of the cached copy (relative to `~/.keras/datasets`).

    Returns:
        The word index dictionary.

    Example:

    ```python
    index = tf.keras.datasets.reuters.get_word_index()
    ```
    """
    path = get_file(
        fname=path, origin=_common.ORIGIN + "reuters_word_index.json", file_hash=_WORD_INDEX_HASH
    )
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def get_label_names() -> tuple[str, ...]:
    """Returns the 46 topic names; the position of each is its label.

    Returns:
        A tuple of strings (`get_label_names()[3] == "earn"`).

    Example:

    ```python
    names = tf.keras.datasets.reuters.get_label_names()
    ```
    """
    return _LABEL_NAMES
