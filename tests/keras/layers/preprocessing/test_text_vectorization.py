"""Tests for keras.layers.TextVectorization against hand-computed vocabularies and outputs."""

import numpy as np
import pytest
import torch

import tork as tf
from tork.keras.layers.preprocessing import TextVectorization

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "A cat, a dog."]


def _np(t):
    return t.detach().cpu().numpy()


def test_adapt_vocabulary_and_int_output():
    layer = TextVectorization()
    layer.adapt(TEXTS)
    # Counts: the 3, cat 2, dog 2, a 2, then singletons; ties: larger term first.
    assert layer.get_vocabulary() == [
        "",
        "[UNK]",
        "the",
        "dog",
        "cat",
        "a",
        "sat",
        "on",
        "my",
        "mat",
        "homework",
        "ate",
    ]
    out = layer(["The cat ate a fish", "dog"])
    assert out.dtype == torch.int64
    # Padded with 0 to the longest text of the batch; unknown words map to 1.
    np.testing.assert_array_equal(_np(out), [[2, 4, 11, 5, 1], [3, 0, 0, 0, 0]])
    assert layer.vocabulary_size() == 12


def test_output_sequence_length_pads_and_truncates():
    layer = TextVectorization(output_sequence_length=3, vocabulary=["x", "y"])
    np.testing.assert_array_equal(_np(layer(["x y x y", "y"])), [[2, 3, 2], [3, 0, 0]])
    # Unbatched string and (batch, 1) arrays.
    np.testing.assert_array_equal(_np(layer("y x")), [3, 2, 0])
    np.testing.assert_array_equal(_np(layer(np.array([["x"], ["z"]]))), [[2, 0, 0], [1, 0, 0]])
    assert layer.compute_output_shape((None, 1)) == (None, 3)


def test_standardize_and_split_options():
    text = ["Hello, World! Hello-there"]
    lower = TextVectorization(standardize="lower", vocabulary=["hello,", "world!"])
    np.testing.assert_array_equal(_np(lower(text)), [[2, 3, 1]])
    strip = TextVectorization(standardize="strip_punctuation", vocabulary=["Hello", "World"])
    np.testing.assert_array_equal(_np(strip(text)), [[2, 3, 1]])  # 'Hellothere' is unknown
    chars = TextVectorization(split="character", standardize=None, vocabulary=["a", "b"])
    np.testing.assert_array_equal(_np(chars(["abca"])), [[2, 3, 1, 2]])
    whole = TextVectorization(split=None, vocabulary=["hi there"])
    np.testing.assert_array_equal(_np(whole(["Hi there!", "bye"])), [[2], [1]])
    custom = TextVectorization(
        standardize=lambda s: s.replace("_", " "), split=lambda s: s.split(" "), vocabulary=["a"]
    )
    np.testing.assert_array_equal(_np(custom(["a_b"])), [[2, 1]])


def test_ngrams():
    layer = TextVectorization(ngrams=2, vocabulary=["a", "b", "a b", "b c"])
    # Unigrams first, then bigrams.
    np.testing.assert_array_equal(_np(layer(["a b c"])), [[2, 3, 1, 4, 5]])
    only_bigrams = TextVectorization(ngrams=(2,), vocabulary=["a b"])
    np.testing.assert_array_equal(_np(only_bigrams(["a b c"])), [[2, 1]])


def test_multi_hot_count_tf_idf():
    multi = TextVectorization(output_mode="multi_hot", vocabulary=["cat", "dog"])
    assert multi.get_vocabulary() == ["[UNK]", "cat", "dog"]
    np.testing.assert_array_equal(_np(multi(["cat cat bird", "dog"])), [[1, 1, 0], [0, 0, 1]])
    count = TextVectorization(output_mode="count", vocabulary=["cat", "dog"])
    np.testing.assert_array_equal(_np(count(["cat cat bird", "dog"])), [[1, 2, 0], [0, 0, 1]])
    padded = TextVectorization(
        output_mode="count", max_tokens=6, pad_to_max_tokens=True, vocabulary=["cat"]
    )
    assert tuple(padded(["cat"]).shape) == (1, 6)
    tf_idf = TextVectorization(output_mode="tf_idf")
    tf_idf.adapt(TEXTS)
    vocab = tf_idf.get_vocabulary()
    assert vocab[:5] == ["[UNK]", "the", "dog", "cat", "a"]
    documents = {"the": 2, "dog": 2, "cat": 2, "a": 1}
    out = _np(tf_idf(["the the cat zzz"]))[0]
    idf = {w: np.log(1 + 3 / (1 + d)) for w, d in documents.items()}
    assert out[1] == pytest.approx(2 * idf["the"], rel=1e-6)
    assert out[3] == pytest.approx(idf["cat"], rel=1e-6)
    # OOV weight: the mean idf of the vocabulary (singletons have document count 1).
    all_idf = [np.log(1 + 3 / (1 + d)) for d in [2, 2, 2, 1, 1, 1, 1, 1, 1, 1]]
    assert out[0] == pytest.approx(np.mean(all_idf), rel=1e-6)


def test_max_tokens_and_adapt_sources():
    layer = TextVectorization(max_tokens=4)
    layer.adapt(np.array(TEXTS))
    assert layer.get_vocabulary() == ["", "[UNK]", "the", "dog"]
    generator_fed = TextVectorization(max_tokens=4)
    generator_fed.adapt(t for t in TEXTS)
    assert generator_fed.get_vocabulary() == layer.get_vocabulary()


def test_config_round_trip():
    layer = TextVectorization(
        max_tokens=10, ngrams=(1, 2), output_sequence_length=5, name="vectorize"
    )
    layer.adapt(TEXTS[:1])
    config = layer.get_config()
    assert config["vocabulary"][0] == "the" and config["output_sequence_length"] == 5
    clone = TextVectorization.from_config(config)
    assert clone.get_config() == config
    np.testing.assert_array_equal(_np(clone(TEXTS[:1])), _np(layer(TEXTS[:1])))


def test_errors():
    with pytest.raises(ValueError, match="`output_sequence_length` must not be set"):
        TextVectorization(output_mode="multi_hot", output_sequence_length=3)
    with pytest.raises(ValueError, match="standardize"):
        TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match="`ngrams` must be None, an integer"):
        TextVectorization(ngrams="2")
    with pytest.raises(NotImplementedError, match="ragged=True"):
        TextVectorization(ragged=True)
    layer = TextVectorization(vocabulary=["a"])
    with pytest.raises(ValueError, match="expected strings .*got a tensor of dtype int64"):
        layer(torch.tensor([1, 2]))
    with pytest.raises(ValueError, match=r"shape \(batch,\) or \(batch, 1\), got shape \(1, 2\)"):
        layer(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="expected strings .*got a tensor of dtype float32"):
        layer(tf.keras.Input(shape=(1,)))


def test_string_tensors_datasets_and_batch_standardize():
    import re
    import string

    import tork as tf

    calls = []

    def custom_standardization(input_data):
        calls.append(type(input_data).__name__)
        lowercase = tf.strings.lower(input_data)
        stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
        return tf.strings.regex_replace(stripped_html, "[%s]" % re.escape(string.punctuation), "")  # noqa: UP031

    layer = TextVectorization(standardize=custom_standardization, output_sequence_length=4)
    texts = ["Good<br />movie!", "Bad, bad film.", "good"]
    layer.adapt(tf.data.Dataset.from_tensor_slices(texts).batch(2))
    assert calls and set(calls) == {"StringTensor"}
    # Frequencies: bad 2, good 2, film 1, movie 1; ties sorted as Keras does (see test above).
    vocab = layer.get_vocabulary()
    assert vocab[:2] == ["", "[UNK]"] and sorted(vocab[2:]) == ["bad", "film", "good", "movie"]
    out = layer(tf.expand_dims(tf.constant(["good movie <br />x"]), -1))
    index = {w: i for i, w in enumerate(vocab)}
    assert out.tolist() == [[index["good"], index["movie"], 1, 0]]
    mapped = tf.data.Dataset.from_tensor_slices((texts, [1, 0, 1])).batch(3)
    x, y = next(iter(mapped.map(lambda x, y: (layer(x), y))))
    assert tuple(x.shape) == (3, 4) and x[1].tolist() == [
        index["bad"],
        index["bad"],
        index["film"],
        0,
    ]


def test_plain_str_standardize_still_works():
    layer = TextVectorization(standardize=lambda s: s.upper())
    layer.adapt(["a b", "b"])
    assert layer.get_vocabulary() == ["", "[UNK]", "B", "A"]
    import tork as tf

    assert layer(tf.constant(["a b c"])).tolist() == [[3, 2, 1]]
