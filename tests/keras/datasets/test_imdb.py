import hashlib
import json

import numpy as np
import pytest

import tork as tf
from tork.keras.datasets import imdb

TRAIN = [[1, 2, 3], [4, 5], [6], [2, 2, 2, 2]]
TEST = [[2, 7], [1], [3, 3, 3]]


def _ragged(seqs):
    out = np.empty(len(seqs), dtype=object)
    out[:] = [list(s) for s in seqs]
    return out


@pytest.fixture
def imdb_file(keras_home, monkeypatch):
    path = keras_home / "datasets" / "imdb.npz"
    np.savez(
        path,
        x_train=_ragged(TRAIN),
        y_train=np.array([0, 1, 0, 1]),
        x_test=_ragged(TEST),
        y_test=np.array([1, 0, 1]),
    )
    monkeypatch.setattr(imdb, "_FILE_HASH", hashlib.sha256(path.read_bytes()).hexdigest())
    return path


def _orders(seed):
    rng = np.random.RandomState(seed)
    a, b = np.arange(len(TRAIN)), np.arange(len(TEST))
    rng.shuffle(a)
    rng.shuffle(b)
    return a, b


def test_defaults(imdb_file):
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.imdb.load_data()
    a, b = _orders(113)
    # start_char 1, words + 3; num_words=None cuts at the largest index (7 + 3 = 10),
    # so 10 itself becomes oov 2, as in Keras.
    expected_train = {0: [1, 4, 5, 6], 1: [1, 7, 8], 2: [1, 9], 3: [1, 5, 5, 5, 5]}
    expected_test = {0: [1, 5, 2], 1: [1, 4], 2: [1, 6, 6, 6]}
    assert x_train.dtype == object and x_train.shape == (4,)
    assert [x_train[i] for i in range(4)] == [expected_train[j] for j in a]
    assert [x_test[i] for i in range(3)] == [expected_test[j] for j in b]
    np.testing.assert_array_equal(y_train, np.array([0, 1, 0, 1])[a])
    np.testing.assert_array_equal(y_test, np.array([1, 0, 1])[b])


def test_num_words_skip_top_and_custom_chars(imdb_file):
    (x_train, _), (x_test, _) = imdb.load_data(
        num_words=7, skip_top=5, start_char=0, oov_char=9, index_from=2, seed=0
    )
    a, b = _orders(0)
    # w + 2; keep 5 <= w < 7, else 9; start char 0 is below skip_top so it becomes 9 too.
    expected_train = {0: [9, 9, 9, 5], 1: [9, 6, 9], 2: [9, 9], 3: [9, 9, 9, 9, 9]}
    expected_test = {0: [9, 9, 9], 1: [9, 9], 2: [9, 5, 5, 5]}
    assert [x_train[i] for i in range(4)] == [expected_train[j] for j in a]
    assert [x_test[i] for i in range(3)] == [expected_test[j] for j in b]


def test_maxlen_and_removed_oov(imdb_file):
    (x_train, y_train), (x_test, y_test) = imdb.load_data(
        maxlen=4, start_char=None, oov_char=None, num_words=7, index_from=3
    )
    a, b = _orders(113)
    # No start char, so lengths are unchanged; keep len < 4; then drop words >= 7.
    expected_train = {0: [4, 5, 6], 1: [], 2: []}
    expected_test = {0: [5], 1: [4], 2: [6, 6, 6]}
    kept_a = [j for j in a if j != 3]
    assert [x_train[i] for i in range(len(x_train))] == [expected_train[j] for j in kept_a]
    np.testing.assert_array_equal(y_train, np.array([0, 1, 0, 1])[kept_a])
    assert [x_test[i] for i in range(3)] == [expected_test[j] for j in b]
    assert len(y_test) == 3


def test_seed_is_deterministic(imdb_file):
    first = imdb.load_data(seed=5)
    second = imdb.load_data(seed=5)
    assert list(first[0][0]) == list(second[0][0])


def test_maxlen_too_small(imdb_file):
    with pytest.raises(ValueError, match="maxlen=1, no sequence was kept"):
        imdb.load_data(maxlen=1)


def test_unknown_keyword(imdb_file):
    with pytest.raises(TypeError, match="Unrecognized keyword arguments: \\['nb_wordz'\\]"):
        imdb.load_data(nb_wordz=3)


def test_get_word_index(keras_home, monkeypatch):
    path = keras_home / "datasets" / "imdb_word_index.json"
    path.write_text(json.dumps({"the": 1, "and": 2}))
    monkeypatch.setattr(imdb, "_WORD_INDEX_HASH", hashlib.md5(path.read_bytes()).hexdigest())
    assert tf.keras.datasets.imdb.get_word_index() == {"the": 1, "and": 2}
