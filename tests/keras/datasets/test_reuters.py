import hashlib
import json

import numpy as np
import pytest

import tork as tf
from tork.keras.datasets import reuters

SEQS = [[1, 2], [3], [4, 4, 1], [2, 5], [6]]
LABELS = np.array([3, 4, 3, 19, 0])


def test_load_data_shuffles_encodes_and_splits(keras_home, monkeypatch):
    x = np.empty(len(SEQS), dtype=object)
    x[:] = [list(s) for s in SEQS]
    path = keras_home / "datasets" / "reuters.npz"
    np.savez(path, x=x, y=LABELS)
    monkeypatch.setattr(reuters, "_FILE_HASH", hashlib.sha256(path.read_bytes()).hexdigest())
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.reuters.load_data(test_split=0.4)
    order = np.arange(5)
    np.random.RandomState(113).shuffle(order)
    # start 1, words + 3, num_words=None -> cut at the max (6 + 3 = 9), which becomes 2.
    encoded = [[1] + [w + 3 if w + 3 < 9 else 2 for w in SEQS[j]] for j in order]
    assert len(x_train) == 3 and len(x_test) == 2  # int(5 * 0.6) = 3
    assert list(x_train) + list(x_test) == encoded
    np.testing.assert_array_equal(np.concatenate([y_train, y_test]), LABELS[order])


def test_invalid_test_split():
    with pytest.raises(ValueError, match="Invalid `test_split` argument: 1.5"):
        reuters.load_data(test_split=1.5)


def test_word_index_and_label_names(keras_home, monkeypatch):
    path = keras_home / "datasets" / "reuters_word_index.json"
    path.write_text(json.dumps({"said": 3}))
    monkeypatch.setattr(reuters, "_WORD_INDEX_HASH", hashlib.md5(path.read_bytes()).hexdigest())
    assert reuters.get_word_index() == {"said": 3}
    names = reuters.get_label_names()
    assert len(names) == 46 and names[3] == "earn" and names[-1] == "lead"
