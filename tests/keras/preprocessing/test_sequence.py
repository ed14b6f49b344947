"""Tests for tf.keras.preprocessing.sequence: skipgrams and make_sampling_table.

Expected values come from tf-keras 2.21 (TF 2.21, `TF_USE_LEGACY_KERAS=1`), run with the
same Python `random` seeds.
"""

import random

import numpy as np
import pytest

import tork as tf

seq = tf.keras.preprocessing.sequence


def _rank_formula(size, factor):
    # The word2vec keep-probability under Zipf's law, written from its definition.
    out = []
    for i in range(size):
        r = max(i, 1)
        inverse_frequency = r * (np.log(r) + 0.577) + 0.5 - 1.0 / (12.0 * r)
        out.append(min(1.0, np.sqrt(factor * inverse_frequency)))
    return out


def test_make_sampling_table():
    np.testing.assert_allclose(
        seq.make_sampling_table(5), [0.00315, 0.00315, 0.00548, 0.00742, 0.00913], atol=1e-5
    )
    np.testing.assert_allclose(seq.make_sampling_table(10, 0.05), _rank_formula(10, 0.05))
    assert seq.make_sampling_table(10, 0.05)[-1] == 1.0


def test_skipgrams_positive_pairs_in_window_order():
    couples, labels = seq.skipgrams(
        [1, 2, 3, 4], vocabulary_size=5, window_size=1, negative_samples=0, shuffle=False
    )
    assert couples == [[1, 2], [2, 1], [2, 3], [3, 2], [3, 4], [4, 3]]
    assert labels == [1] * 6
    assert seq.skipgrams([], vocabulary_size=10) == ([], [])


def test_skipgrams_seeded_results_match_keras():
    couples, labels = seq.skipgrams(
        [1, 0, 3, 4, 2, 0], vocabulary_size=6, window_size=2, negative_samples=0, seed=42
    )
    assert couples == [[3, 2], [4, 3], [2, 3], [2, 4], [3, 4], [4, 2], [1, 3], [3, 1]]
    assert labels == [1] * 8
    random.seed(5)
    couples, labels = seq.skipgrams(
        [1, 2, 3, 4, 5], vocabulary_size=8, window_size=1, negative_samples=0.5, categorical=True
    )
    assert couples == [
        [4, 6], [2, 3], [3, 4], [1, 2], [2, 1], [4, 3],
        [5, 4], [3, 1], [4, 5], [3, 2], [2, 2], [1, 1],
    ]  # fmt: skip
    assert labels == [[1, 0]] + [[0, 1]] * 6 + [[1, 0], [0, 1], [0, 1], [1, 0], [1, 0]]
    # Negatives: one per positive here; every negative context is in [1, vocabulary_size).
    random.seed(3)
    couples, labels = seq.skipgrams(
        [1, 2, 3, 4, 5], vocabulary_size=8, window_size=2, negative_samples=1.0, seed=7
    )
    assert len(couples) == 28 and sum(labels) == 14
    assert couples[:4] == [[4, 2], [3, 1], [3, 6], [3, 5]] and labels[:4] == [1, 1, 0, 1]


def test_skipgrams_sampling_table_drops_frequent_words():
    random.seed(11)
    table = seq.make_sampling_table(10, sampling_factor=0.05)
    couples, _ = seq.skipgrams(
        list(range(1, 10)),
        vocabulary_size=10,
        window_size=2,
        sampling_table=table,
        negative_samples=0,
        shuffle=False,
    )
    assert sorted({w for w, _ in couples}) == [4, 5, 6, 7, 8, 9]
    assert couples[:4] == [[4, 2], [4, 3], [4, 5], [4, 6]] and len(couples) == 21


def test_timeseries_generator_windows_match_keras():
    data = np.array([[i, i * 10] for i in range(50)], dtype="float32")
    targets = np.arange(50, dtype="float32")[:, None]
    gen = seq.TimeseriesGenerator(data, targets, length=10, sampling_rate=2, batch_size=2)
    assert len(gen) == 20
    x, y = gen[0]
    assert x.shape == (2, 5, 2) and y.shape == (2, 1)
    np.testing.assert_array_equal(x[0], data[0:10:2])
    np.testing.assert_array_equal(x[1], data[1:11:2])
    assert y.ravel().tolist() == [10.0, 11.0]
    assert gen[19][1].ravel().tolist() == [48.0, 49.0]
    back = seq.TimeseriesGenerator(
        data, targets, length=5, stride=3, start_index=2, end_index=30, reverse=True, batch_size=4
    )
    assert len(back) == 2
    x, y = back[1]
    assert x[0, :, 0].tolist() == [18.0, 17.0, 16.0, 15.0, 14.0]
    assert y.ravel().tolist() == [19.0, 22.0, 25.0, 28.0]
    assert gen.get_config()["start_index"] == 10
    assert gen.to_json().startswith('{"class_name": "TimeseriesGenerator"')


def test_timeseries_generator_errors_and_fit():
    data = np.zeros((50, 2), "float32")
    with pytest.raises(ValueError, match="Data length is 50 while target length is 3"):
        seq.TimeseriesGenerator(data, np.zeros(3), length=2)
    with pytest.raises(ValueError, match=r"`start_index\+length=55 > end_index=49`"):
        seq.TimeseriesGenerator(data, np.zeros(50), length=10, start_index=45)
    keras = tf.keras
    model = keras.Sequential([keras.Input((5, 2)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    model.compile("adam", "mse")
    gen = seq.TimeseriesGenerator(data, np.zeros(50), length=10, sampling_rate=2, batch_size=8)
    assert len(model.fit(gen, epochs=2, verbose=0).history["loss"]) == 2
    assert model.predict(gen, verbose=0).shape == (40, 1)


def test_make_sampling_table_bit_exact_with_keras():
    # tf_keras 2.21's values, compared with ==: Keras rounds f / sqrt(f), not sqrt(f).
    table = seq.make_sampling_table(10)
    assert table[0] == 0.0031522478751942504
    assert table[4] == 0.009128167456366161
    assert table[5] == 0.010684345040995184
    assert table[9] == 0.01595580205967933
    assert seq.make_sampling_table(5, sampling_factor=1e-2)[2] == 0.1731654611766799
