"""A lookup layer to adapt lists its vocabulary among its weights, as tf_keras (vocabw sweep).

tf_keras 2.21's StringLookup/IntegerLookup/TextVectorization created without `vocabulary`
list the vocabulary (terms without special tokens) in `weights`/`get_weights()` and, for
tf_idf, `[idf weights, vocabulary, num_documents]`; count_params() counts the vocabulary
as 0 and num_documents as 1. The expected values below were printed by tf_keras 2.21
(TF_USE_LEGACY_KERAS=1) for the same code.
"""

from __future__ import annotations

import numpy as np
import pytest

import tork as tf

keras = tf.keras

DATA = np.array([["a", "b", "c"], ["a", "b", "d"]])
TEXTS = np.array(["the cat sat", "the dog ran far", "a cat ran"])


def _described(weights):
    return [(a.dtype, a.shape, a.tolist()) for a in weights]


def test_weights_listed_as_tf_keras():
    layer = keras.layers.StringLookup()
    assert _described(layer.get_weights()) == [(np.dtype("O"), (0,), [])]
    layer.adapt(DATA)
    assert _described(layer.get_weights()) == [(np.dtype("O"), (4,), [b"b", b"a", b"d", b"c"])]
    assert layer.count_params() == 0 and layer.trainable_weights == []
    # With a vocabulary given to the constructor tf_keras lists nothing.
    assert keras.layers.StringLookup(vocabulary=["a", "b"]).get_weights() == []
    tf_idf = keras.layers.StringLookup(output_mode="tf_idf")
    tf_idf.adapt(DATA)
    idf, vocabulary, documents = tf_idf.get_weights()
    np.testing.assert_allclose(
        idf, [0.6019864, 0.51082563, 0.51082563, 0.6931472, 0.6931472], rtol=1e-6
    )
    assert vocabulary.tolist() == [b"b", b"a", b"d", b"c"]
    assert documents.dtype == np.int64 and documents.shape == () and documents == 0
    assert tf_idf.count_params() == 1
    integers = keras.layers.IntegerLookup()
    integers.adapt(np.array([[1, 2, 3], [1, 5, 5]]))
    assert _described(integers.get_weights()) == [(np.dtype("int64"), (4,), [5, 1, 3, 2])]
    text = keras.layers.TextVectorization()
    text.adapt(np.array(["the cat sat", "the dog ran far"]))
    assert [w.tolist() for w in text.get_weights()] == [
        [b"the", b"sat", b"ran", b"far", b"dog", b"cat"]
    ]
    assert keras.layers.TextVectorization(vocabulary=["the", "cat"]).get_weights() == []
    # Not a variable: `variables` leaves it out; `non_trainable_weights` lists it, as
    # tf_keras's does (saveleft22: tf_keras 2.21 lists its VocabWeightHandler there).
    assert layer.variables == [] and layer.non_trainable_variables == []
    assert len(layer.non_trainable_weights) == 1 and layer.trainable_weights == []


def test_set_weights_from_tf_keras_layers():
    # tf_keras: sl.adapt([["x","y","y"],["z","y","x"]]).get_weights() and outputs.
    strings = keras.layers.StringLookup(mask_token="", num_oov_indices=2)
    strings.set_weights([np.array([b"y", b"x", b"z"], dtype=object)])
    assert strings(np.array([["y", "q", "x", "", "z"]])).numpy().tolist() == [[3, 2, 4, 0, 5]]
    integers = keras.layers.IntegerLookup(output_mode="multi_hot")
    integers.set_weights([np.array([3, 7, 9])])
    np.testing.assert_array_equal(integers(np.array([[7, 4, 9]])), [[1.0, 0.0, 1.0, 1.0]])
    # An unadapted tf_idf layer takes idf weights of the new vocabulary's length.
    adapted = keras.layers.StringLookup(output_mode="tf_idf")
    adapted.adapt(DATA)
    tf_idf = keras.layers.StringLookup(output_mode="tf_idf")
    tf_idf.set_weights(
        [
            np.array([0.6019864, 0.51082563, 0.51082563, 0.6931472, 0.6931472], "float32"),
            np.array([b"b", b"a", b"d", b"c"], dtype=object),  # tf_keras's get_weights()
            np.array(0),
        ]
    )
    np.testing.assert_allclose(tf_idf(DATA), adapted(DATA), rtol=1e-6)
    fresh = keras.layers.StringLookup()
    fresh.set_weights([np.array([b"p", b"q"], dtype=object)])
    assert fresh.get_vocabulary() == ["[UNK]", "p", "q"]
    assert fresh(np.array(["q", "p", "r"])).numpy().tolist() == [2, 1, 0]


# tf_keras 2.21: m.get_weights() of TextVectorization(output_mode="tf_idf") adapted on TEXTS,
# then Dense(2) with the weights below.
TF_KERAS_WEIGHTS = [
    np.array(
        [0.8206577897071838, 0.6931471824645996, 0.6931471824645996, 0.6931471824645996]
        + [0.9162907600402832] * 4,
        dtype=np.float32,
    ),
    np.array([b"the", b"ran", b"cat", b"sat", b"far", b"dog", b"a"], dtype=object),
    np.array(0, dtype=np.int64),
    np.arange(16, dtype=np.float32).reshape(8, 2) / 10,
    np.array([0.5, -0.5], dtype=np.float32),
]
PROBE = np.array([["the cat ran"], ["zebra far far"]])
TF_KERAS_OUTPUT = [
    [1.3317766189575195, 0.5397207736968994],
    [2.3325815200805664, 1.5979053974151611],
]


def _tf_idf_model(texts=("q w e r t y u",)):
    """The tf_keras model's architecture, adapted on other texts (same vocabulary size)."""
    inputs = keras.Input((1,), dtype="string")
    vectorize = keras.layers.TextVectorization(output_mode="tf_idf", name="tv")
    vectorize.adapt(np.array(texts))
    return keras.Model(inputs, keras.layers.Dense(2, name="dense")(vectorize(inputs))), vectorize


def test_model_set_weights_from_tf_keras_list_gives_tf_keras_outputs():
    model, vectorize = _tf_idf_model()
    assert [w.shape for w in model.get_weights()] == [(8,), (7,), (), (8, 2), (2,)]
    model.set_weights(TF_KERAS_WEIGHTS)
    assert vectorize.get_vocabulary()[1:] == ["the", "ran", "cat", "sat", "far", "dog", "a"]
    np.testing.assert_allclose(model.predict(PROBE, verbose=0), TF_KERAS_OUTPUT, rtol=1e-5)
    got = model.get_weights()
    assert [a.dtype for a in got] == [a.dtype for a in TF_KERAS_WEIGHTS]
    for a, b in zip(got, TF_KERAS_WEIGHTS):
        np.testing.assert_array_equal(a, b)
    # tf_keras: 8 + 16 + 2 parameters counted as 1 (num_documents) + 16 + 2.
    assert model.count_params() == 19


def test_adapted_models_round_trip_through_files_and_weight_lists(tmp_path):
    model, vectorize = _tf_idf_model()
    model.set_weights(TF_KERAS_WEIGHTS)
    other, _ = _tf_idf_model()
    other.set_weights(model.get_weights())  # EarlyStopping(restore_best_weights) does this
    np.testing.assert_allclose(other.predict(PROBE, verbose=0), TF_KERAS_OUTPUT, rtol=1e-5)
    for name in ("m.h5", "m.keras"):
        model.save(tmp_path / name)
        loaded = keras.models.load_model(tmp_path / name, compile=False)
        np.testing.assert_allclose(loaded.predict(PROBE, verbose=0), TF_KERAS_OUTPUT, rtol=1e-5)
    model.save_weights(tmp_path / "w.weights.h5")
    model.save_weights(tmp_path / "w.h5")
    for name in ("w.weights.h5", "w.h5"):
        # The files carry no vocabulary entry (as tf_keras's): adapt to the same one.
        target, _ = _tf_idf_model(TEXTS)
        target.load_weights(tmp_path / name)
        np.testing.assert_allclose(target.predict(PROBE, verbose=0), TF_KERAS_OUTPUT, rtol=1e-5)
    checkpoint = tf.train.Checkpoint(model=model)
    path = checkpoint.save(str(tmp_path / "ckpt"))
    tf.train.Checkpoint(model=other).restore(path)
    # `variables` holds variables only (the savers read it).
    assert all(isinstance(v, tf.Variable) or hasattr(v, "device") for v in model.variables)
    assert len(model.variables) == 3


def test_clones_and_loaded_copies_take_the_lists_of_the_adapted_model(tmp_path):
    # tork's config keeps an adapted vocabulary, so a clone (or a model loaded from a file)
    # is created with one and lists no vocabulary entry; lists with or without the entries
    # fit both ways.
    model, _ = _tf_idf_model()
    model.set_weights(TF_KERAS_WEIGHTS)
    clone = keras.models.clone_model(model)
    assert len(clone.get_weights()) == 3  # idf, kernel, bias
    clone.set_weights(model.get_weights())
    np.testing.assert_allclose(clone.predict(PROBE, verbose=0), TF_KERAS_OUTPUT, rtol=1e-5)
    model.save(tmp_path / "m.h5")
    loaded = keras.models.load_model(tmp_path / "m.h5", compile=False)
    loaded.set_weights(model.get_weights())
    other, _ = _tf_idf_model(TEXTS)
    other.set_weights(loaded.get_weights())
    np.testing.assert_allclose(other.predict(PROBE, verbose=0), TF_KERAS_OUTPUT, rtol=1e-5)
    with pytest.raises(ValueError, match=r"expected 5 arrays .* got 2"):
        model.set_weights(TF_KERAS_WEIGHTS[:2])


def test_set_weights_errors():
    layer = keras.layers.StringLookup(output_mode="tf_idf")
    with pytest.raises(
        ValueError, match="idf weights have 3 entries, but the vocabulary of 3 terms needs 4"
    ):
        layer.set_weights(
            [np.ones(3, "float32"), np.array([b"a", b"b", b"c"], dtype=object), np.array(0)]
        )
    with pytest.raises(ValueError, match=r"vocabulary' has rank 1 \(any length\).*shape \(2, 2\)"):
        keras.layers.StringLookup().set_weights([np.array([[b"a", b"b"], [b"c", b"d"]])])
