"""Tests for StringLookup and IntegerLookup (values from Keras's documented examples)."""

import numpy as np
import pytest
import torch

import tork as tf
from tork._backend.string_tensor import StringTensor
from tork.keras.layers.preprocessing import IntegerLookup, StringLookup

VOCAB = ["a", "b", "c", "d"]


def _np(t):
    return t.detach().cpu().numpy()


def test_string_lookup_with_vocabulary():
    layer = StringLookup(vocabulary=VOCAB)
    out = layer([["a", "c", "d"], ["d", "z", "b"]])
    assert out.dtype == torch.int64
    np.testing.assert_array_equal(_np(out), [[1, 3, 4], [4, 0, 2]])
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c", "d"]
    assert layer.get_vocabulary(include_special_tokens=False) == VOCAB
    assert layer.vocabulary_size() == 5
    # NumPy arrays of str, bytes and object, and a single string.
    np.testing.assert_array_equal(_np(layer(np.array(["d", "a"]))), [4, 1])
    np.testing.assert_array_equal(_np(layer(np.array([b"b", b"q"]))), [2, 0])
    np.testing.assert_array_equal(_np(layer(np.array(["c"], dtype=object))), [3])
    assert int(layer("b")) == 2


def test_string_lookup_adapt_orders_by_frequency_then_reverse_term():
    layer = StringLookup()
    layer.adapt([["a", "c", "d"], ["d", "z", "b"]])
    assert layer.get_vocabulary() == ["[UNK]", "d", "z", "c", "b", "a"]
    np.testing.assert_array_equal(
        _np(layer([["a", "c", "d"], ["d", "z", "b"]])), [[5, 3, 1], [1, 2, 4]]
    )
    capped = StringLookup(max_tokens=3)
    capped.adapt(np.array(["x", "y", "y", "z", "z", "z", "[UNK]"]))
    assert capped.get_vocabulary() == ["[UNK]", "z", "y"]


def test_string_lookup_mask_token():
    layer = StringLookup(vocabulary=VOCAB, mask_token="[MASK]")
    assert layer.get_vocabulary() == ["[MASK]", "[UNK]", "a", "b", "c", "d"]
    np.testing.assert_array_equal(_np(layer([["a", "[MASK]"], ["q", "d"]])), [[2, 0], [1, 5]])
    # In the encoding modes the mask token takes no index and is dropped.
    multi = StringLookup(vocabulary=VOCAB, mask_token="", output_mode="multi_hot")
    assert multi.get_vocabulary() == ["[UNK]", "a", "b", "c", "d"]
    np.testing.assert_array_equal(_np(multi([["a", "", ""]])), [[0, 1, 0, 0, 0]])


def test_string_lookup_encodings():
    data = [["a", "c", "d", "d"], ["d", "z", "b", "z"]]
    multi = StringLookup(vocabulary=VOCAB, output_mode="multi_hot")(data)
    np.testing.assert_array_equal(_np(multi), [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
    count = StringLookup(vocabulary=VOCAB, output_mode="count")(data)
    np.testing.assert_array_equal(_np(count), [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]])
    one_hot = StringLookup(vocabulary=VOCAB, output_mode="one_hot")(["a", "b", "c", "d", "z"])
    np.testing.assert_array_equal(_np(one_hot), np.eye(5)[[1, 2, 3, 4, 0]])
    tf_idf = StringLookup(
        vocabulary=VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4], output_mode="tf_idf"
    )(data)
    # OOV idf = mean of the given weights (0.5).
    np.testing.assert_allclose(
        _np(tf_idf), [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]], rtol=1e-6
    )
    padded = StringLookup(
        vocabulary=VOCAB, output_mode="multi_hot", max_tokens=8, pad_to_max_tokens=True
    )(data)
    assert tuple(padded.shape) == (2, 8)
    # Ragged rows are fine for bag-of-words modes.
    ragged = StringLookup(vocabulary=VOCAB, output_mode="count")([["a", "a"], ["b"]])
    np.testing.assert_array_equal(_np(ragged), [[0, 2, 0, 0, 0], [0, 0, 1, 0, 0]])


def test_string_lookup_adapt_tf_idf():
    layer = StringLookup(output_mode="tf_idf")
    layer.adapt([["a", "b"], ["a", "c"], ["a", "a"]])
    assert layer.get_vocabulary() == ["[UNK]", "a", "c", "b"]
    idf = np.log(1 + 3 / (1 + np.array([3.0, 1.0, 1.0])))
    out = _np(layer([["a", "a", "b", "q"]]))
    np.testing.assert_allclose(out, [[idf.mean(), 2 * idf[0], 0.0, idf[2]]], rtol=1e-6)


def test_string_lookup_invert():
    layer = StringLookup(vocabulary=VOCAB, invert=True)
    out = layer(torch.tensor([[1, 3, 4], [4, 0, 2]]))
    # A tf.string tensor of UTF-8 bytes, as Keras returns (tf_keras 2.21).
    assert isinstance(out, StringTensor)
    assert out.tolist() == [[b"a", b"c", b"d"], [b"d", b"[UNK]", b"b"]]
    forward = StringLookup(vocabulary=VOCAB)
    back = StringLookup(vocabulary=forward.get_vocabulary(), invert=True)
    assert back(forward(["b", "zz"])).tolist() == [b"b", b"[UNK]"]


def test_string_lookup_vocabulary_file_and_config(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    layer = StringLookup(vocabulary=str(path))
    assert layer.get_vocabulary() == ["[UNK]", *VOCAB]
    adapted = StringLookup(mask_token="", name="lookup")
    adapted.adapt(["x", "y", "y"])
    config = adapted.get_config()
    assert config["vocabulary"] == ["y", "x"]
    clone = StringLookup.from_config(config)
    assert clone.get_config() == config
    np.testing.assert_array_equal(_np(clone(["y", "", "w"])), [2, 0, 1])


def test_string_lookup_errors():
    with pytest.raises(ValueError, match="repeated term.*'a'"):
        StringLookup(vocabulary=["a", "b", "a"])
    with pytest.raises(ValueError, match="mask token at unexpected location"):
        StringLookup(vocabulary=["a", "[M]"], mask_token="[M]")
    with pytest.raises(ValueError, match=r"vocabulary size is 5; `max_tokens` is 3"):
        StringLookup(vocabulary=VOCAB, max_tokens=3)
    with pytest.raises(ValueError, match=r"found OOV values \['z'\]"):
        StringLookup(vocabulary=VOCAB, num_oov_indices=0)(["a", "z"])
    with pytest.raises(ValueError, match="tork tensors cannot hold strings"):
        StringLookup(vocabulary=VOCAB)(torch.tensor([1, 2]))
    with pytest.raises(ValueError, match="different lengths"):
        StringLookup(vocabulary=VOCAB)([["a", "b"], ["c"]])
    with pytest.raises(ValueError, match="`output_mode` must be 'int' when `invert`"):
        StringLookup(invert=True, output_mode="multi_hot")
    # A float keras.Input is not text: the symbolic call says so, naming the layer.
    with pytest.raises(ValueError, match="tork tensors cannot hold strings"):
        StringLookup(vocabulary=VOCAB)(tf.keras.Input(shape=(1,)))


def test_string_lookup_special_tokens_at_start_are_stripped():
    layer = StringLookup(vocabulary=["[UNK]", "a", "b"])
    assert layer.get_vocabulary() == ["[UNK]", "a", "b"]


INT_VOCAB = [12, 36, 1138, 42]


def test_integer_lookup_documented_examples():
    layer = IntegerLookup(vocabulary=INT_VOCAB)
    data = np.array([[12, 1138, 42], [42, 1000, 36]])
    np.testing.assert_array_equal(_np(layer(data)), [[1, 3, 4], [4, 0, 2]])
    adapted = IntegerLookup()
    adapted.adapt(data)
    assert adapted.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    np.testing.assert_array_equal(_np(adapted(data)), [[5, 2, 1], [1, 3, 4]])
    two_oov = IntegerLookup(vocabulary=INT_VOCAB, num_oov_indices=2)
    np.testing.assert_array_equal(
        _np(two_oov(np.array([[12, 1138, 42], [37, 1000, 36]]))), [[2, 4, 5], [1, 0, 3]]
    )
    inverse = IntegerLookup(vocabulary=INT_VOCAB, invert=True)
    np.testing.assert_array_equal(
        _np(inverse(np.array([[1, 3, 4], [4, 0, 2]]))), [[12, 1138, 42], [42, -1, 36]]
    )


def test_integer_lookup_encodings():
    data = np.array([[12, 1138, 42, 42], [42, 7, 36, 7]])
    multi = IntegerLookup(vocabulary=INT_VOCAB, output_mode="multi_hot")(data)
    np.testing.assert_array_equal(_np(multi), [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
    count = IntegerLookup(vocabulary=INT_VOCAB, output_mode="count")(data)
    np.testing.assert_array_equal(_np(count), [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]])
    one_hot = IntegerLookup(vocabulary=INT_VOCAB, output_mode="one_hot")(
        np.array([12, 36, 1138, 42, 7])
    )
    np.testing.assert_array_equal(_np(one_hot), np.eye(5)[[1, 2, 3, 4, 0]])
    tf_idf = IntegerLookup(
        vocabulary=[-1, *INT_VOCAB], idf_weights=[0.9, 0.25, 0.75, 0.6, 0.4], output_mode="tf_idf"
    )(data)
    np.testing.assert_allclose(
        _np(tf_idf), [[0, 0.25, 0, 0.6, 0.8], [1.8, 0, 0.75, 0, 0.4]], rtol=1e-6
    )


def test_integer_lookup_mask_dataset_and_config():
    layer = IntegerLookup(vocabulary=INT_VOCAB, mask_token=0)
    assert layer.get_vocabulary() == [0, -1, *INT_VOCAB]
    np.testing.assert_array_equal(_np(layer(torch.tensor([[12, 0, 5]]))), [[2, 0, 1]])
    adapted = IntegerLookup(name="ids")
    adapted.adapt(tf.data.Dataset.from_tensor_slices(np.array([3, 3, 5, 7, 7, 7])).batch(4))
    assert adapted.get_vocabulary() == [-1, 7, 3, 5]
    config = adapted.get_config()
    assert IntegerLookup.from_config(config).get_vocabulary() == [-1, 7, 3, 5]


def test_integer_lookup_errors():
    with pytest.raises(ValueError, match=r"found OOV values \[5\]"):
        IntegerLookup(vocabulary=INT_VOCAB, num_oov_indices=0)(torch.tensor([12, 5]))
    with pytest.raises(ValueError, match="vocabulary_dtype='int64'"):
        IntegerLookup(vocabulary_dtype="int32")
    with pytest.raises(ValueError, match="`max_tokens` must be greater than 1"):
        IntegerLookup(max_tokens=1)


def test_string_lookup_takes_tf_string_tensors_and_datasets():
    layer = StringLookup(vocabulary=["a", "b"])
    np.testing.assert_array_equal(layer(tf.constant(["a", "b", "c"])).numpy(), [1, 2, 0])
    assert int(layer(tf.constant("b"))) == 2
    batches = tf.data.Dataset.from_tensor_slices(["a", "c", "b"]).batch(2).map(layer)
    assert [b.tolist() for b in batches] == [[1, 0], [2]]


def test_string_lookup_several_oov_indices_hash_like_keras():
    # Expected indices from TF 2.21 (Keras 3.15 and tf-keras 2.21 agree): an OOV string goes
    # to oov_start + FarmHash Fingerprint64(utf-8 bytes) % num_oov_indices.
    words = ["x", "", "q", "y", "hello", "world", "zebra", "ünï", "a b", "UNK", "[UNK]", "tf"]
    two = StringLookup(num_oov_indices=2, mask_token="", vocabulary=["x", "y"])
    assert two.get_vocabulary() == ["", "[UNK]", "[UNK]", "x", "y"]
    np.testing.assert_array_equal(_np(two(words)), [3, 0, 2, 4, 1, 1, 1, 1, 2, 1, 1, 1])
    five = StringLookup(num_oov_indices=5, vocabulary=["x", "y"])
    np.testing.assert_array_equal(_np(five(words)), [5, 3, 3, 6, 1, 3, 2, 4, 2, 3, 0, 3])
    bags = StringLookup(num_oov_indices=3, output_mode="multi_hot")
    bags.adapt(["a", "a", "b"])
    np.testing.assert_array_equal(
        _np(bags([["a", "zz", "qq"], ["b", "c", "d"]])), [[1, 1, 0, 1, 0], [0, 1, 1, 0, 1]]
    )


def test_keras3_file_hooks_vocabulary_asset_and_config_keys(tmp_path):
    # Keras 3 keeps an adapted vocabulary out of the config: `vocabulary.txt` in the layer's
    # assets folder (special tokens first), plus config keys vocabulary_size / oov_method /
    # salt. The file content below is what TF 2.21 wrote for IntegerLookup(mask_token=0)
    # adapted on [5, 5, 7, 9, 9, 9].
    (tmp_path / "vocabulary.txt").write_text("0\n-1\n9\n5\n7")
    layer = IntegerLookup(mask_token=0, vocabulary_size=5, oov_method="floormod", salt=None)
    layer.load_assets(str(tmp_path))
    assert layer.get_vocabulary() == [0, -1, 9, 5, 7]
    np.testing.assert_array_equal(
        _np(layer(np.array([[5, 7, 0], [9, 3, 5]]))), [[3, 4, 0], [2, 1, 3]]
    )
    (tmp_path / "vocabulary.txt").write_text("[UNK]\nthe\ncat\n")
    strings = StringLookup(vocabulary_size=3, oov_method="floormod", salt=None)
    strings.load_assets(str(tmp_path))
    assert strings.get_vocabulary() == ["[UNK]", "the", "cat"]
    # A vocabulary given in the config wins over the asset (Keras does the same).
    fixed = StringLookup(vocabulary=["x"])
    fixed.load_assets(str(tmp_path))
    assert fixed.get_vocabulary() == ["[UNK]", "x"]
    with pytest.raises(ValueError, match="`oov_method` must be 'floormod' or 'farmhash'"):
        StringLookup(oov_method="md5")
    with pytest.raises(NotImplementedError, match="oov_method='farmhash'"):
        IntegerLookup(num_oov_indices=2, oov_method="farmhash")


def test_keras2_spellings_vocab_size_and_max_tokens():
    from tork import keras

    lookup = keras.layers.StringLookup(vocabulary=["a", "b"])
    assert lookup.vocab_size() == lookup.vocabulary_size() == 3
    encoding = keras.layers.CategoryEncoding(max_tokens=4, output_mode="one_hot")
    assert encoding([1, 3]).tolist() == [[0, 1, 0, 0], [0, 0, 0, 1]]


# tf_keras 2.21's summary of the model below, after calling it on tf.constant(['a', 'c']).
_LOOKUP_SUMMARY = [
    'Model: "sequential"',
    "_" * 65,
    " Layer (type)                Output Shape              Param #   ",
    "=" * 65,
    " string_lookup (StringLooku  (None,)                   0         ",
    " p)                                                              ",
    " " * 65,
    " embedding (Embedding)       (None, 2)                 20        ",
    " " * 65,
    "=" * 65,
    "Total params: 20 (80.00 Byte)",
    "Trainable params: 20 (80.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "_" * 65,
]


def test_string_lookup_eager_call_records_the_output_shape_for_summary():
    tf.keras.backend.clear_session()
    layer = StringLookup()
    layer.adapt(["a", "b", "b"])
    model = tf.keras.Sequential([layer, tf.keras.layers.Embedding(10, 2)])
    assert tuple(model(tf.constant(["a", "c"])).shape) == (2, 2)
    assert layer.built
    assert layer.output_shape == (None,)
    lines = []
    model.summary(print_fn=lines.append)
    assert lines == _LOOKUP_SUMMARY

    rows = StringLookup(vocabulary=["a", "b"])
    model = tf.keras.Sequential([rows, tf.keras.layers.Embedding(10, 2)])
    assert model.predict(tf.constant([["a", "c"], ["b", "b"]]), verbose=0).shape == (2, 2, 2)
    assert rows.output_shape == (None, 2)


def test_string_lookup_invert_in_a_functional_model_refuses_float_ids():
    inputs = tf.keras.Input((2,))
    with pytest.raises(ValueError, match="with invert=True the inputs must be integer indices"):
        StringLookup(vocabulary=["a"], invert=True)(inputs)
