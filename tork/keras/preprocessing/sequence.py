"""`tf.keras.preprocessing.sequence` (Keras 2): `pad_sequences`, `skipgrams`,
`make_sampling_table`, `TimeseriesGenerator`.

`skipgrams` draws its random choices from Python's `random` module in the same
order as Keras 2, so `random.seed(...)` or `seed=` gives the same pairs as
tf.keras (the TensorFlow word2vec tutorial relies on this).
"""

from __future__ import annotations

import json
import random

import numpy as np

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.utils.pad_sequences import pad_sequences  # noqa: F401 - re-exported
from tork.keras.utils.sequence import PyDataset

__getattr__ = _module_getattr("tf.keras.preprocessing.sequence")

# Euler-Mascheroni constant, rounded as in Keras (its tables depend on the rounding).
_GAMMA = 0.577


def make_sampling_table(size: int, sampling_factor: float = 1e-5) -> np.ndarray:
    """Returns word-sampling probabilities for `skipgrams`, by frequency rank.

    Words are assumed ranked by frequency (index 1 = most frequent) and to
    follow Zipf's law; the probability of keeping word `i` is
    `min(1, sqrt(sampling_factor / frequency(i)))` with the frequency of rank
    `r` approximated as `1 / (r (log r + gamma) + 1/2 - 1/(12 r))`. Index 0 is
    treated as rank 1.

    Args:
        size: number of words (the vocabulary size).
        sampling_factor: the word2vec sampling factor.

    Returns:
        A float64 NumPy array of shape `(size,)`.

    Example:
    >>> keras.preprocessing.sequence.make_sampling_table(3).round(5)
    array([0.00315, 0.00315, 0.00548])
    """
    rank = np.arange(size, dtype=np.float64)
    if size:
        rank[0] = 1.0
    inverse_frequency = rank * (np.log(rank) + _GAMMA) + 0.5 - 1.0 / (12.0 * rank)
    scaled = sampling_factor * inverse_frequency
    # f / sqrt(f) rather than sqrt(f): the same value, but rounded as Keras rounds it, so
    # the tables agree to the last bit.
    return np.minimum(1.0, scaled / np.sqrt(scaled))


def skipgrams(
    sequence,
    vocabulary_size: int,
    window_size: int = 4,
    negative_samples: float = 1.0,
    shuffle: bool = True,
    categorical: bool = False,
    sampling_table=None,
    seed=None,
):
    """Generates (word, context) pairs and labels for word2vec training.

    Positive pairs are every `(sequence[i], sequence[j])` with
    `0 < |i - j| <= window_size`, skipping index 0 (padding). A word is kept
    with probability `sampling_table[word]` when a table is given. Then
    `int(negative_samples * positives)` negative pairs `(word, random index in
    [1, vocabulary_size))` are added, with label 0.

    Args:
        sequence: a list of word indices (0 is skipped).
        vocabulary_size: the number of words, 0 included.
        window_size: how many words on each side form the context.
        negative_samples: ratio of negative to positive pairs (0 for none).
        shuffle: whether to shuffle pairs and labels (together).
        categorical: labels as `[0, 1]` / `[1, 0]` instead of `1` / `0`.
        sampling_table: optional keep-probabilities by word index (see
            `make_sampling_table`).
        seed: seed of the shuffle.

    Returns:
        `(couples, labels)`: a list of `[word, context]` lists and a list of
        labels.

    Example:
    >>> keras.preprocessing.sequence.skipgrams(
    ...     [1, 2, 3], 4, window_size=1, negative_samples=0, shuffle=False)
    ([[1, 2], [2, 1], [2, 3], [3, 2]], [1, 1, 1, 1])
    """
    positive = [0, 1] if categorical else 1
    negative = [1, 0] if categorical else 0
    couples: list = []
    labels: list = []
    length = len(sequence)
    for i, word in enumerate(sequence):
        if not word:
            continue
        # One draw per non-padding word, before its window: the order of the random calls
        # is what makes seeded results match Keras.
        if sampling_table is not None and sampling_table[word] < random.random():
            continue
        for j in range(max(0, i - window_size), min(length, i + window_size + 1)):
            if j == i or not sequence[j]:
                continue
            couples.append([word, sequence[j]])
            labels.append(positive)

    if negative_samples > 0:
        count = int(len(labels) * negative_samples)
        words = [pair[0] for pair in couples]
        random.shuffle(words)
        couples += [
            [words[k % len(words)], random.randint(1, vocabulary_size - 1)] for k in range(count)
        ]
        labels += [negative] * count

    if shuffle:
        if seed is None:
            seed = random.randint(0, int(10e6))
        # The same seed before each shuffle keeps pairs and labels aligned.
        random.seed(seed)
        random.shuffle(couples)
        random.seed(seed)
        random.shuffle(labels)
    return couples, labels


class TimeseriesGenerator(PyDataset):
    """Batches of sliding windows over a timeseries (Keras 2's generator).

    Batch `index` holds the windows ending just before the rows
    `start_index + length + batch_size * stride * index`, then every `stride`
    rows, up to `end_index`. A window for row `r` is
    `data[r - length : r : sampling_rate]` and its target is `targets[r]`.
    It can be passed to `fit`, `evaluate` and `predict` like any
    `keras.utils.Sequence`.

    Args:
        data: an indexable array of timesteps (axis 0 is time).
        targets: the targets, one per timestep of `data`.
        length: window length in timesteps (before sampling).
        sampling_rate: keep every `sampling_rate`-th timestep in a window.
        stride: steps between the end rows of consecutive windows.
        start_index: first row that may start a window.
        end_index: last row that may be a window's target (default: the last).
        shuffle: draw the end rows at random (with NumPy's global generator).
        reverse: return each window's timesteps in reverse order.
        batch_size: windows per batch.

    Example:
    >>> gen = keras.preprocessing.sequence.TimeseriesGenerator(
    ...     np.arange(10), np.arange(10), length=3, batch_size=2)
    >>> x, y = gen[0]
    >>> x.tolist(), y.tolist()
    ([[0, 1, 2], [1, 2, 3]], [3, 4])
    """

    def __init__(
        self,
        data,
        targets,
        length,
        sampling_rate=1,
        stride=1,
        start_index=0,
        end_index=None,
        shuffle=False,
        reverse=False,
        batch_size=128,
    ):
        super().__init__()
        if len(data) != len(targets):
            raise ValueError(
                "Data and targets have to be of same length. Data length is "
                f"{len(data)} while target length is {len(targets)}"
            )
        self.data = data
        self.targets = targets
        self.length = length
        self.sampling_rate = sampling_rate
        self.stride = stride
        # As in Keras, start_index is stored as the first usable target row.
        self.start_index = start_index + length
        self.end_index = len(data) - 1 if end_index is None else end_index
        self.shuffle = shuffle
        self.reverse = reverse
        self.batch_size = batch_size
        if self.start_index > self.end_index:
            raise ValueError(
                f"`start_index+length={self.start_index} > end_index={self.end_index}` is "
                "disallowed, as no part of the sequence would be left to be used as current "
                "step."
            )

    def __len__(self) -> int:
        span = self.batch_size * self.stride
        return (self.end_index - self.start_index + span) // span

    def __getitem__(self, index):
        span = self.batch_size * self.stride
        if self.shuffle:
            rows = np.random.randint(self.start_index, self.end_index + 1, size=self.batch_size)
        else:
            first = self.start_index + span * index
            rows = np.arange(first, min(first + span, self.end_index + 1), self.stride)
        samples = np.array([self.data[r - self.length : r : self.sampling_rate] for r in rows])
        targets = np.array([self.targets[r] for r in rows])
        if self.reverse:
            return samples[:, ::-1, ...], targets
        return samples, targets

    def get_config(self) -> dict:
        """Returns the generator's arguments (data and targets as JSON lists)."""

        def plain(values):
            try:
                return json.dumps(np.asarray(values).tolist())
            except TypeError as error:
                raise TypeError("Data not JSON Serializable:", values) from error

        return {
            "data": plain(self.data),
            "targets": plain(self.targets),
            "length": self.length,
            "sampling_rate": self.sampling_rate,
            "stride": self.stride,
            "start_index": self.start_index,
            "end_index": self.end_index,
            "shuffle": self.shuffle,
            "reverse": self.reverse,
            "batch_size": self.batch_size,
        }

    def to_json(self, **kwargs) -> str:
        """The generator as a JSON string (`{"class_name": ..., "config": ...}`)."""
        return json.dumps(
            {"class_name": type(self).__name__, "config": self.get_config()}, **kwargs
        )
