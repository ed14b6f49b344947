"""`tf.strings` ops on string `keras.Input`s: Keras 2's `TFOpLambda` layers.

Expected values, summary rows and layer names are tf_keras 2.21's (TF_USE_LEGACY_KERAS=1),
written here as constants.
"""

from __future__ import annotations

import numpy as np
import pytest

import tork as tf
from tork import keras

TEXT = np.array([b" Hello World ", b"ABC def", b"x"])


def _ops_model():
    inp = keras.Input(shape=(), dtype=tf.string)
    low = tf.strings.lower(inp)
    up = tf.strings.upper(inp)
    length = tf.strings.length(inp)
    outputs = [
        low,
        up,
        tf.strings.strip(inp),
        tf.strings.regex_replace(low, "[aeiou]", "_"),
        length,
        tf.strings.substr(inp, 0, 2),
        tf.strings.join([low, up], separator="-"),
        tf.strings.to_hash_bucket_fast(inp, 5),
        tf.strings.to_hash_bucket_strong(inp, 7, [1, 2]),
        tf.strings.as_string(length),
    ]
    return keras.Model(inp, outputs)


# tf_keras 2.21's outputs of `_ops_model` on TEXT.
_EXPECTED = [
    [b" hello world ", b"abc def", b"x"],
    [b" HELLO WORLD ", b"ABC DEF", b"X"],
    [b"Hello World", b"ABC def", b"x"],
    [b" h_ll_ w_rld ", b"_bc d_f", b"x"],
    [13, 7, 1],
    [b" H", b"AB", b"x"],
    [b" hello world - HELLO WORLD ", b"abc def-ABC DEF", b"x-X"],
    [0, 0, 0],
    [2, 4, 2],
    [b"13", b"7", b"1"],
]


def _check(outputs):
    for got, want in zip(outputs, _EXPECTED):
        assert np.asarray(got).tolist() == want


def test_string_ops_on_string_input_run_as_tf_keras():
    model = _ops_model()
    outputs = model(tf.constant(TEXT))
    _check(outputs)
    assert outputs[4].dtype == tf.int32
    assert outputs[7].dtype == tf.int64
    assert all(o.shape == (None,) for o in model.outputs)


def test_string_op_layers_are_named_as_tf_keras():
    keras.backend.clear_session()  # op layer names count from 1 again
    model = _ops_model()
    assert [layer.name for layer in model.layers] == [
        model.layers[0].name,
        "tf.strings.lower",
        "tf.strings.upper",
        "tf.strings.length",
        "tf.strings.strip",
        "tf.strings.regex_replace",
        "tf.strings.substr",
        "tf.strings.join",
        "tf.strings.to_hash_bucket_fast",
        "tf.strings.to_hash_bucket_strong",
        "tf.strings.as_string",
    ]
    assert {type(layer).__name__ for layer in model.layers[1:]} == {"TFOpLambda"}
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    # tf_keras 2.21's rows (the name column wraps at 25 characters).
    assert (
        " tf.strings.join (TFOpLambd  (None,)                      0         ['tf.strings.lower[0][0]',"
        in text
    )
    assert " tf.strings.to_hash_bucket_  (None,)                      0" in text


def test_string_op_model_config_and_save_round_trips(tmp_path):
    model = _ops_model()
    _check(keras.Model.from_config(model.get_config())(tf.constant(TEXT)))
    for ext in ("h5", "keras"):
        path = str(tmp_path / f"model.{ext}")
        model.save(path)
        _check(keras.models.load_model(path)(tf.constant(TEXT)))


def test_to_number_and_substr_past_empty_twins():
    # The symbolic twins of a string input are empty strings, which to_number refuses and
    # substr(pos=3) cannot cut; tf_keras builds both.
    inp = keras.Input(shape=(1,), dtype=tf.string)
    sub = tf.strings.substr(inp, 3, 2)
    num = tf.strings.to_number(tf.strings.substr(inp, 0, 1), out_type=tf.int32)
    floats = tf.strings.to_number(inp)
    assert sub.shape == (None, 1) and sub.dtype == tf.string
    assert num.shape == (None, 1) and num.dtype == tf.int32
    assert floats.dtype == tf.float32
    model = keras.Model(inp, [sub, num])
    got = model(tf.constant(np.array([[b"1 b C"], [b"2bcdef"]])))
    assert np.asarray(got[0]).tolist() == [[b" C"], [b"de"]]
    assert np.asarray(got[1]).tolist() == [[1], [2]]
    with pytest.raises(ValueError, match="could not correctly convert string"):
        model(tf.constant(np.array([[b"x1234"]])))


def test_text_vectorization_after_string_op_keeps_unknown_length():
    inp = keras.Input(shape=(1,), dtype=tf.string)
    vectorize = keras.layers.TextVectorization(vocabulary=["a", "b", "c"])
    ids = vectorize(tf.strings.lower(inp))
    assert ids.shape == (None, None)
    out = keras.Model(inp, ids)(tf.constant(np.array([[b"1 b C"], [b"2bcdef"]])))
    assert np.asarray(out).tolist() == [[1, 3, 4], [1, 0, 0]]


def test_split_reduce_join_unicode_decode_are_ragged():
    inp = keras.Input(shape=(), dtype=tf.string)
    tokens = tf.strings.split(inp)
    assert type(tokens).__name__ == "RaggedKerasTensor" and tokens.shape == (None, None)
    joined = tf.strings.reduce_join(tokens, axis=-1, separator="|")
    chars = tf.strings.unicode_decode(inp, "UTF-8")
    model = keras.Model(inp, [joined, chars])
    got_joined, got_chars = model(tf.constant(np.array([b"a b c", b"de f"])))
    assert np.asarray(got_joined).tolist() == [b"a|b|c", b"de|f"]
    assert got_chars.to_list() == [[97, 32, 98, 32, 99], [100, 101, 32, 102]]


def test_string_ops_chained_into_preprocessing_layers():
    inp = keras.Input(shape=(), dtype=tf.string)
    lookup = keras.layers.StringLookup(vocabulary=["hello", "world"])
    ids = lookup(tf.strings.lower(tf.strings.strip(inp)))
    hashed = keras.layers.Hashing(4)(tf.strings.lower(inp))
    embedded = keras.layers.Embedding(5, 2, embeddings_initializer="ones")(
        tf.strings.to_hash_bucket_fast(inp, 5)
    )
    model = keras.Model(inp, [ids, hashed, embedded])
    assert embedded.shape == (None, 2)
    got = model(tf.constant(np.array([b" HELLO", b"World", b"zzz"])))
    assert np.asarray(got[0]).tolist() == [1, 2, 0]
    assert np.asarray(got[1]).tolist() == [3, 2, 0]
    assert np.asarray(got[2]).tolist() == [[1.0, 1.0]] * 3

    tokens = keras.Input(shape=(), dtype=tf.string)
    token_ids = keras.layers.StringLookup(vocabulary=["a", "b"])(tf.strings.split(tokens))
    ragged = keras.Model(tokens, token_ids)(tf.constant(np.array([b"a b z", b"b"])))
    assert ragged.to_list() == [[1, 2, 0], [2]]


def test_hashed_string_model_trains():
    inp = keras.Input(shape=(), dtype=tf.string)
    embedded = keras.layers.Embedding(10, 3)(tf.strings.to_hash_bucket_fast(inp, 10))
    model = keras.Model(inp, keras.layers.Dense(1)(embedded))
    model.compile("sgd", "mse")
    history = model.fit(
        tf.constant(np.array([b"a", b"b", b"c", b"d"])), np.ones((4, 1)), epochs=3, verbose=0
    )
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.predict(tf.constant(np.array([b"a", b"b"])), verbose=0).shape == (2, 1)
