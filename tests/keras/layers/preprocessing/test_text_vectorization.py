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
    # split=None keeps the input's shape (TF 2.21: shape (2,), not (2, 1)).
    np.testing.assert_array_equal(_np(whole(["Hi there!", "bye"])), [2, 1])
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
    # ragged=True is supported (tests/keras/layers/preprocessing/test_ragged_lookup.py);
    # only with output_mode 'int' and without output_sequence_length, as in Keras.
    with pytest.raises(ValueError, match="`ragged` must not be true if `output_mode` is not 'int'"):
        TextVectorization(ragged=True, output_mode="count")
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


def test_split_none_keeps_the_input_shape():
    # Values from TF 2.21 (Keras 3.15 and tf-keras 2.21 agree).
    layer = TextVectorization(standardize=None, split=None)
    layer.adapt(["Hello", "World", "Hello"])
    assert layer.get_vocabulary() == ["", "[UNK]", "Hello", "World"]
    np.testing.assert_array_equal(_np(layer(["Hello", "x"])), [2, 1])
    np.testing.assert_array_equal(_np(layer([["Hello"], ["x"]])), [[2], [1]])
    batch = [["Hello", "World", "q"], ["x", "x", "Hello"]]
    np.testing.assert_array_equal(_np(layer(batch)), [[2, 3, 1], [1, 1, 2]])
    assert _np(layer("World")).tolist() == 3
    padded = TextVectorization(split=None, output_sequence_length=4)
    padded.adapt(["Hello", "World", "Hello"])
    np.testing.assert_array_equal(_np(padded(batch)), [[2, 3, 1, 0], [1, 1, 2, 0]])
    # Bag modes: one bag per row of a (batch, k) input; a (batch,) input is a single bag.
    multi = TextVectorization(split=None, output_mode="multi_hot")
    multi.adapt(["Hello", "World", "Hello"])
    np.testing.assert_array_equal(
        _np(multi([["Hello", "World"], ["x", "x"]])), [[0, 1, 1], [1, 0, 0]]
    )
    np.testing.assert_array_equal(_np(multi(["hello", "q"])), [1, 1, 0])
    np.testing.assert_array_equal(_np(multi("world")), [0, 0, 1])
    count = TextVectorization(split=None, output_mode="count")
    count.adapt(["Hello", "World", "Hello"])
    np.testing.assert_array_equal(
        _np(count([["Hello", "hello"], ["x", "x"]])), [[0, 2, 0], [2, 0, 0]]
    )


def test_loads_keras3_vocabulary_asset_and_idf_weights(tmp_path):
    # What TF 2.21 saved for TextVectorization(max_tokens=8, output_mode="tf_idf",
    # pad_to_max_tokens=True) adapted on the texts below: the vocabulary asset and the
    # `vars/idf_weights` entry (one weight per index, padded to max_tokens).
    (tmp_path / "vocabulary.txt").write_text("[UNK]\nthe\nran\ncat\nsat\nfast\nend\ndog")
    idf = np.array([0.9688846, 0.6931472, 0.84729785, 0.84729785] + [1.0986123] * 4, "float32")
    layer = TextVectorization(max_tokens=8, output_mode="tf_idf", pad_to_max_tokens=True)
    layer.load_own_variables({"idf_weights": idf})
    layer.load_assets(str(tmp_path))
    out = _np(layer(tf.constant([["the cat ran"], ["zzz dog the"]])))
    expected = [
        [0.0, 0.6931, 0.8473, 0.8473, 0.0, 0.0, 0.0, 0.0],
        [0.9689, 0.6931, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0986],
    ]
    np.testing.assert_allclose(out, expected, atol=1e-4)


def test_bag_modes_encode_empty_strings_as_zeros():
    layer = TextVectorization(output_mode="multi_hot", max_tokens=8)
    layer.adapt(["a b"])
    np.testing.assert_array_equal(_np(layer(["", "a"])), [[0, 0, 0], [0, 0, 1]])
    # A functional model with an unadapted tf_idf layer can be built (e.g. while loading).
    inputs = tf.keras.Input(shape=(1,), dtype="string")
    tfidf = TextVectorization(output_mode="tf_idf", max_tokens=8, pad_to_max_tokens=True)
    assert tuple(tfidf(inputs).shape) == (None, 8)
    with pytest.raises(ValueError, match="output_mode='tf_idf' needs idf weights"):
        tfidf(["a"])


def test_load_model_reads_a_keras3_style_archive(tmp_path):
    # Keras 3 writes an adapted vocabulary as assets, with `vocabulary: None` in the config:
    # rewrite a tork archive that way and load it back.
    import json
    import zipfile

    keras = tf.keras
    layer = TextVectorization(max_tokens=10, output_sequence_length=4)
    layer.adapt(["the cat sat", "the dog ran", "a cat ran fast"])
    inputs = keras.Input(shape=(1,), dtype="string")
    model = keras.Model(inputs, layer(inputs))
    probe = tf.constant([["the cat ran"], ["zzz dog"]])
    expected = _np(model(probe))
    saved, rewritten = tmp_path / "tork.keras", tmp_path / "keras3.keras"
    model.save(saved)
    vocabulary = layer.get_vocabulary()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(rewritten, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "config.json":
                config = json.loads(data)
                for entry in config["config"]["layers"]:
                    if entry["class_name"] == "TextVectorization":
                        entry["config"]["vocabulary"] = None
                        entry["config"]["vocabulary_size"] = len(vocabulary)
                data = json.dumps(config).encode()
            target.writestr(name, data)
        # As TF 2.21 writes it: every index's term, the mask token "" (an empty line) first.
        asset = "\n".join(vocabulary).encode()
        target.writestr("assets/layers/text_vectorization/_lookup_layer/vocabulary.txt", asset)
    loaded = keras.models.load_model(rewritten)
    assert loaded.layers[1].get_vocabulary() == vocabulary
    np.testing.assert_array_equal(_np(loaded(probe)), expected)


# tf_keras 2.21's summary of the model below, after predict() on tf.constant(['a b', 'c']).
_TV_SUMMARY = [
    'Model: "sequential"',
    "_" * 65,
    " Layer (type)                Output Shape              Param #   ",
    "=" * 65,
    " text_vectorization (TextVe  (None, 5)                 0         ",
    " ctorization)                                                    ",
    " " * 65,
    " embedding (Embedding)       (None, 5, 2)              20        ",
    " " * 65,
    "=" * 65,
    "Total params: 20 (80.00 Byte)",
    "Trainable params: 20 (80.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "_" * 65,
]


def test_eager_call_builds_and_records_the_output_shape_for_summary():
    tf.keras.backend.clear_session()
    layer = TextVectorization(output_sequence_length=5)
    assert not layer.built
    layer.adapt(["a b c", "b c d"])
    assert layer.built  # as tf_keras: adapt() builds the layer
    model = tf.keras.Sequential([layer, tf.keras.layers.Embedding(10, 2)])
    assert model.predict(tf.constant(["a b", "c"]), verbose=0).shape == (2, 5, 2)
    assert layer.output_shape == (None, 5)
    lines = []
    model.summary(print_fn=lines.append)
    assert lines == _TV_SUMMARY


def test_recorded_output_shapes_match_tf_keras():
    # tf_keras 2.21, the layers called inside a Sequential's predict().
    free = TextVectorization(vocabulary=["x", "y"])
    tf.keras.Sequential([free]).predict(tf.constant(["x y", "z"]), verbose=0)
    assert free.built
    assert free.output_shape == (None, None)  # the length varies from batch to batch
    bag = TextVectorization(vocabulary=["x", "y"], output_mode="multi_hot")
    tf.keras.Sequential([bag, tf.keras.layers.Dense(3)]).predict(
        tf.constant(["x y", "z"]), verbose=0
    )
    assert bag.built
    assert bag.output_shape == (None, 3)
