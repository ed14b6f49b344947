"""Tests for Hashing, HashedCrossing and their hash functions.

References (independent of tork):
- the outputs printed in the Keras/TensorFlow docs for Hashing and HashedCrossing;
- FarmHash Fingerprint64 values computed with the `cityhash` package's FarmHash
  bindings (Google's C++ farmhash) and a published self-check
  (Fingerprint64("1") % 100 == 49, "2" -> 59, "3" -> 21);
- SipHash-2-4 test vectors of the SipHash paper (key 00..0f, message 00..len-1);
- TensorFlow's sparse_cross_op test: cross_hashed of the three strings
  'batch1-FC{1,2,3}-F1' with no buckets is 1971693436396284976.
"""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.keras.layers.preprocessing._fingerprint import (
    CROSS_HASH_KEY,
    fingerprint64,
    fingerprint_cat64,
    siphash64,
)
from tork.keras.layers.preprocessing.hashed_crossing import HashedCrossing
from tork.keras.layers.preprocessing.hashing import Hashing

FIVE = [["A"], ["B"], ["C"], ["D"], ["E"]]


@pytest.mark.parametrize(
    "data, expected",
    [
        # One value per length class of farmhashna::Hash64 (0-16, 17-32, 33-64, > 64).
        (b"", 11160318154034397263),
        (b"A", 16915294056622060564),
        (b"hello world", 6381520714923946011),
        (b"0123456789abcdefghij", 431701769709949819),
        (b"The quick brown fox jumps over the lazy dog", 12375473906752639284),
        (bytes(range(100)), 4395248839964844437),
        (bytes(range(200)), 525935771297148851),
    ],
)
def test_fingerprint64_matches_farmhash(data, expected):
    assert fingerprint64(data) == expected


def test_fingerprint64_published_self_check():
    assert [fingerprint64(s) % 100 for s in (b"1", b"2", b"3")] == [49, 59, 21]


def test_siphash64_paper_vectors():
    key = bytes(range(16))
    k0, k1 = int.from_bytes(key[:8], "little"), int.from_bytes(key[8:], "little")
    assert siphash64(k0, k1, b"") == 0x726FDB47DD0E0E31
    assert siphash64(k0, k1, bytes(range(15))) == 0xA129CA6149BE45E5


def test_fingerprint_cat64_matches_tensorflow_cross_test():
    h = CROSS_HASH_KEY
    for s in (b"batch1-FC1-F1", b"batch1-FC2-F1", b"batch1-FC3-F1"):
        h = fingerprint_cat64(h, fingerprint64(s))
    assert h % (2**63 - 1) == 1971693436396284976


def _ints(t):
    return t.detach().cpu().numpy().tolist()


def test_hashing_docs_examples():
    assert _ints(Hashing(num_bins=3)(FIVE)) == [[1], [0], [1], [1], [2]]
    masked = Hashing(num_bins=3, mask_value="")([["A"], ["B"], [""], ["C"], ["D"]])
    assert _ints(masked) == [[1], [1], [0], [2], [2]]
    assert _ints(Hashing(num_bins=3, salt=[133, 137])(FIVE)) == [[1], [2], [1], [0], [2]]
    assert _ints(Hashing(num_bins=3, salt=133)(FIVE))[:3] == [[0], [0], [2]]
    out = Hashing(num_bins=3)(FIVE)
    assert out.dtype == torch.int64 and tuple(out.shape) == (5, 1)


def test_hashing_input_forms_agree():
    expected = [fingerprint64(s.encode()) % 7 for s in ("x", "yy", "zzz")]
    layer = Hashing(num_bins=7)
    assert _ints(layer(["x", "yy", "zzz"])) == expected
    assert _ints(layer(np.array(["x", "yy", "zzz"]))) == expected
    assert _ints(layer([b"x", b"yy", b"zzz"])) == expected
    assert _ints(layer(tf.constant(["x", "yy", "zzz"]))) == expected
    assert _ints(layer("yy")) == expected[1]


def test_hashing_integers_hash_their_decimal_string():
    layer = Hashing(num_bins=100)
    expected = [[49], [59], [21]]
    assert _ints(layer(tf.constant([[1], [2], [3]]))) == expected
    assert _ints(layer(np.array([[1], [2], [3]], dtype=np.int64))) == expected
    assert _ints(layer([[1], [2], [3]])) == expected
    negative = fingerprint64(b"-12") % 100
    assert _ints(layer(torch.tensor([-12]))) == [negative]


def test_hashing_integer_mask_value():
    layer = Hashing(num_bins=101, mask_value=2)
    # The mask maps to 0; the others to 1 + hash % 100.
    assert _ints(layer(tf.constant([1, 2, 3]))) == [50, 0, 22]


def test_hashing_output_modes():
    bins = [fingerprint64(s.encode()) % 4 for s in "ABCDE"]
    one_hot = Hashing(num_bins=4, output_mode="one_hot")(FIVE)
    np.testing.assert_array_equal(one_hot.numpy(), np.eye(4, dtype="float32")[bins])
    multi = Hashing(num_bins=4, output_mode="multi_hot")([["A", "B"], ["C", "C"]])
    expected = np.zeros((2, 4), "float32")
    expected[0, [bins[0], bins[1]]] = 1
    expected[1, bins[2]] = 1
    np.testing.assert_array_equal(multi.numpy(), expected)
    count = Hashing(num_bins=4, output_mode="count")([["C", "C", "A"]])
    expected = np.zeros((1, 4), "float32")
    expected[0, bins[2]] += 2
    expected[0, bins[0]] += 1
    np.testing.assert_array_equal(count.numpy(), expected)


def test_hashing_in_functional_model():
    inputs = keras.Input((3,), dtype="int32")
    outputs = Hashing(num_bins=100)(inputs)
    assert tuple(outputs.shape) == (None, 3)
    model = keras.Model(inputs, outputs)
    np.testing.assert_array_equal(model.predict(np.array([[1, 2, 3]]), verbose=0), [[49, 59, 21]])


def test_hashing_config_round_trip_and_registration():
    layer = Hashing(num_bins=5, mask_value="", salt=7, output_mode="one_hot", name="h")
    config = layer.get_config()
    assert config["salt"] == [7, 7] and config["num_bins"] == 5 and config["mask_value"] == ""
    assert Hashing.from_config(config).get_config() == config
    assert keras.layers.Hashing is Hashing
    assert keras.layers.HashedCrossing is HashedCrossing
    from tork.keras.layers.experimental import preprocessing

    assert preprocessing.Hashing is Hashing and preprocessing.HashedCrossing is HashedCrossing


def test_hashing_argument_errors():
    with pytest.raises(ValueError, match="cannot be `None` or non-positive"):
        Hashing(num_bins=0)
    with pytest.raises(ValueError, match="tuple of size 2 integers, or a single integer"):
        Hashing(num_bins=3, salt=[1, 2, 3])
    with pytest.raises(ValueError, match="invalid value for argument output_mode"):
        Hashing(num_bins=3, output_mode="tf_idf")
    # tf_keras 2.21: sparse output needs an encoding output mode (not 'int').
    with pytest.raises(ValueError, match="Received: sparse=True and output_mode=int"):
        Hashing(num_bins=3, sparse=True)


def test_hashing_rejects_floats():
    with pytest.raises(ValueError, match="strings or integers, got a tensor of dtype float32"):
        Hashing(num_bins=3)(tf.constant([1.5]))
    with pytest.raises(ValueError, match="got a tensor of dtype bool"):
        Hashing(num_bins=3)(torch.tensor([True]))


def test_hashed_crossing_docs_examples():
    feat1 = np.array(["A", "B", "A", "B", "A"])
    feat2 = np.array([101, 101, 101, 102, 102])
    out = HashedCrossing(num_bins=5)((feat1, feat2))
    assert out.dtype == torch.int64 and _ints(out) == [1, 4, 1, 1, 3]
    one_hot = HashedCrossing(num_bins=5, output_mode="one_hot")((feat1, feat2))
    np.testing.assert_array_equal(one_hot.numpy(), np.eye(5, dtype="float32")[[1, 4, 1, 1, 3]])


def test_hashed_crossing_shapes():
    layer = HashedCrossing(num_bins=5)
    assert _ints(layer((np.array([["A"], ["B"]]), np.array([[101], [101]])))) == [[1], [4]]
    assert _ints(layer(("A", 101))) == 1
    out = HashedCrossing(num_bins=5, output_mode="one_hot")(
        (np.array([["A"]]), tf.constant([[101]]))
    )
    assert tuple(out.shape) == (1, 5)


def test_hashed_crossing_three_strings_matches_tensorflow():
    layer = HashedCrossing(num_bins=100)
    out = layer((["batch1-FC1-F1"], ["batch1-FC2-F1"], ["batch1-FC3-F1"]))
    assert _ints(out) == [11195065473251060783 % 100]


def test_hashed_crossing_errors():
    layer = HashedCrossing(num_bins=5)
    with pytest.raises(ValueError, match="at least two elements"):
        layer([np.array(["A"])])
    with pytest.raises(ValueError, match="should have equal shape"):
        layer((np.array(["A", "B"]), np.array([1])))
    with pytest.raises(ValueError, match=r"only supports inputs of shape \(batch_size, 1\)"):
        layer((np.zeros((2, 3), "int64"), np.zeros((2, 3), "int64")))
    with pytest.raises(ValueError, match="invalid value for argument output_mode"):
        HashedCrossing(num_bins=5, output_mode="multi_hot")
    with pytest.raises(ValueError, match="positive integer"):
        HashedCrossing(num_bins=0)


def test_hashed_crossing_config_and_functional_model():
    layer = HashedCrossing(num_bins=7, output_mode="one_hot", name="cross")
    config = layer.get_config()
    assert HashedCrossing.from_config(config).get_config() == config
    a = keras.Input((1,), dtype="int32")
    b = keras.Input((1,), dtype="int32")
    outputs = HashedCrossing(num_bins=7)([a, b])
    model = keras.Model([a, b], outputs)
    expected = fingerprint_cat64(fingerprint_cat64(CROSS_HASH_KEY, 3), 4) % 7
    got = model.predict([np.array([[3]]), np.array([[4]])], verbose=0)
    np.testing.assert_array_equal(got, [[expected]])


def test_hashed_crossing_string_and_int_inputs_in_functional_model():
    a = keras.Input((1,), dtype="string")
    b = keras.Input((1,), dtype="int64")
    outputs = HashedCrossing(num_bins=5)([a, b])
    assert tuple(outputs.shape) == (None, 1)
    model = keras.Model([a, b], outputs)
    got = model.predict([np.array([["A"], ["B"]]), np.array([[101], [101]])], verbose=0)
    np.testing.assert_array_equal(got, [[1], [4]])


def test_hashing_string_input_in_functional_model():
    inputs = keras.Input((1,), dtype="string")
    model = keras.Model(inputs, Hashing(num_bins=3)(inputs))
    got = model.predict(np.array(FIVE), verbose=0)
    np.testing.assert_array_equal(got, [[1], [0], [1], [1], [2]])
