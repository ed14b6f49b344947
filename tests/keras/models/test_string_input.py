"""`keras.Input(dtype="string")`: functional models that take raw text.

The reference for each model is the same layers applied by hand, step by step (the string
layer's own output, checked against its vocabulary in the preprocessing tests).
"""

from __future__ import annotations

import numpy as np
import pytest

import tork as tf
from tork import keras

TEXTS = np.array(["the cat sat", "a dog ran far away", "the dog", "cats and dogs", "far away"])
LABELS = np.array([0, 1, 0, 1, 1])


def _text_model(seed=0):
    tf.keras.utils.set_random_seed(seed)
    vectorize = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=5)
    vectorize.adapt(TEXTS)
    inputs = keras.Input(shape=(1,), dtype="string")
    ids = vectorize(inputs)
    hidden = keras.layers.GlobalAveragePooling1D()(keras.layers.Embedding(20, 4)(ids))
    outputs = keras.layers.Dense(1, activation="sigmoid")(hidden)
    return keras.Model(inputs, outputs), vectorize


def test_string_input_is_symbolic_text():
    inputs = keras.Input(shape=(1,), dtype="string")
    assert inputs.shape == (None, 1) and inputs.dtype == tf.string
    model, vectorize = _text_model()
    assert model.layers[1] is vectorize
    assert model.layers[1].output.shape == (None, 5)  # output_sequence_length
    assert model.output_shape == (None, 1)


def test_text_model_matches_its_layers_applied_by_hand():
    model, vectorize = _text_model()
    embedding, pooling, dense = model.layers[2:]
    want = dense(pooling(embedding(vectorize(TEXTS))))
    np.testing.assert_allclose(model.predict(TEXTS, verbose=0), want.detach().numpy(), 1e-6)
    np.testing.assert_allclose(model(TEXTS[:, None]).detach().numpy(), want.detach().numpy(), 1e-6)


def test_text_model_trains_evaluates_and_round_trips(tmp_path):
    model, _ = _text_model()
    model.compile(keras.optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
    x, y = np.tile(TEXTS, 8), np.tile(LABELS, 8)
    before = model.evaluate(x, y, verbose=0)[0]
    model.fit(x, y, batch_size=8, epochs=5, verbose=0)  # shuffled string batches
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(40).batch(8)
    model.fit(dataset, epochs=2, verbose=0)
    after = model.evaluate(x, y, verbose=0)[0]
    assert after < before
    path = tmp_path / "text.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(TEXTS, verbose=0), model.predict(TEXTS, verbose=0))


def test_string_lookup_on_a_string_input():
    inputs = keras.Input(shape=(1,), dtype="string")
    ids = keras.layers.StringLookup(vocabulary=["a", "b"])(inputs)
    hot = keras.layers.StringLookup(vocabulary=["a", "b"], output_mode="multi_hot")(inputs)
    assert hot.shape == (None, 3)
    model = keras.Model(inputs, [ids, hot])
    got_ids, got_hot = model.predict(np.array([["a"], ["b"], ["c"]]), verbose=0)
    np.testing.assert_array_equal(got_ids, [[1], [2], [0]])  # 0: out of vocabulary
    np.testing.assert_array_equal(got_hot, [[0, 1, 0], [0, 0, 1], [1, 0, 0]])


def test_numbers_for_a_text_model_are_refused_by_the_text_layer():
    model, _ = _text_model()
    with pytest.raises(ValueError, match=r"TextVectorization.*expected strings"):
        model.predict(np.zeros((2, 1), np.float32), verbose=0)


def test_sequential_with_a_string_input_builds_trains_and_round_trips(tmp_path):
    tf.keras.utils.set_random_seed(0)
    vectorize = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=5)
    vectorize.adapt(TEXTS)
    model = keras.Sequential(
        [
            keras.Input(shape=(1,), dtype="string"),
            vectorize,
            keras.layers.Embedding(20, 3),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(2),
        ]
    )
    assert model.built and model.output_shape == (None, 2)
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(TEXTS, LABELS, verbose=0)
    path = tmp_path / "seq.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.inputs[0].dtype == tf.string
    np.testing.assert_allclose(loaded.predict(TEXTS, verbose=0), model.predict(TEXTS, verbose=0))
