"""TextVectorization in Keras files, as tf_keras writes and reads them (vocabw sweep).

The expected values were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same
model: TextVectorization(output_mode="tf_idf") adapted on TEXTS, then Dense(2).
"""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

import tork as tf

keras = tf.keras

TEXTS = np.array(["the cat sat", "the dog ran far", "a cat ran"])


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


def test_text_vectorization_tf_idf_weights_also_under_its_own_vars(tmp_path):
    # tf_keras writes `layers/text_vectorization/vars/idf_weights` (and the lookup
    # layer's copy) in `.keras` files and reads the first: without it, tf_keras failed to
    # load tork's file ("object 'idf_weights' doesn't exist").
    h5py = pytest.importorskip("h5py")
    model, _ = _tf_idf_model(TEXTS)
    model.save_weights(tmp_path / "w.weights.h5")
    with h5py.File(tmp_path / "w.weights.h5") as f:
        own = np.asarray(f["layers/text_vectorization/vars/idf_weights"])
        inner = np.asarray(f["layers/text_vectorization/_lookup_layer/vars/idf_weights"])
    np.testing.assert_allclose(own, TF_KERAS_WEIGHTS[0], rtol=1e-6)
    np.testing.assert_array_equal(own, inner)
    target, _ = _tf_idf_model(TEXTS)
    target.load_weights(tmp_path / "w.weights.h5")
    np.testing.assert_array_equal(target.get_weights()[0], own)


# tf_keras 2.21's config.json of the TF_KERAS_WEIGHTS model saved with model.save("m.keras").
_TF_KERAS_CONFIG = {
    "module": "tf_keras.src.engine.functional",
    "class_name": "Functional",
    "config": {
        "name": "model",
        "trainable": True,
        "layers": [
            {
                "module": "keras.layers",
                "class_name": "InputLayer",
                "config": {
                    "batch_input_shape": [None, 1],
                    "dtype": "string",
                    "sparse": False,
                    "ragged": False,
                    "name": "input_1",
                },
                "registered_name": None,
                "name": "input_1",
                "inbound_nodes": [],
            },
            {
                "module": "keras.layers",
                "class_name": "TextVectorization",
                "config": {
                    "name": "tv",
                    "trainable": True,
                    "dtype": "string",
                    "batch_input_shape": [None],
                    "max_tokens": None,
                    "standardize": "lower_and_strip_punctuation",
                    "split": "whitespace",
                    "ngrams": None,
                    "output_mode": "tf_idf",
                    "output_sequence_length": None,
                    "pad_to_max_tokens": False,
                    "sparse": False,
                    "ragged": False,
                    "vocabulary": None,
                    "idf_weights": None,
                    "encoding": "utf-8",
                    "vocabulary_size": 8,
                },
                "registered_name": None,
                "build_config": {"input_shape": [None]},
                "name": "tv",
                "inbound_nodes": [[["input_1", 0, 0, {}]]],
            },
            {
                "module": "keras.layers",
                "class_name": "Dense",
                "config": {"name": "dense", "trainable": True, "dtype": "float32", "units": 2},
                "registered_name": None,
                "build_config": {"input_shape": [None, 8]},
                "name": "dense",
                "inbound_nodes": [[["tv", 0, 0, {}]]],
            },
        ],
        "input_layers": [["input_1", 0, 0]],
        "output_layers": [["dense", 0, 0]],
    },
    "registered_name": "Functional",
    "build_config": {"input_shape": [None, 1]},
}


def test_tf_keras_keras_file_of_adapted_tf_idf_text_vectorization_loads(tmp_path):
    # tf_keras writes `vocabulary: null` and `vocabulary_size: 8` in the config and the
    # vocabulary in the assets (read after the model is rebuilt): the Dense after the layer
    # is built from that size. Before, tork's rebuild failed ("you must set the layer's
    # vocabulary before calling it").
    h5py = pytest.importorskip("h5py")
    weights = tmp_path / "model.weights.h5"
    with h5py.File(weights, "w") as f:  # tf_keras's layout of this model
        f.create_group("layers/input_layer/vars")
        f.create_group("layers/dense/vars").create_dataset("0", data=TF_KERAS_WEIGHTS[3])
        f["layers/dense/vars"].create_dataset("1", data=TF_KERAS_WEIGHTS[4])
        for group in ("layers/text_vectorization", "layers/text_vectorization/_lookup_layer"):
            f.create_group(group + "/vars").create_dataset("idf_weights", data=TF_KERAS_WEIGHTS[0])
        f.create_group("vars")
    vocabulary = "[UNK]\nthe\nran\ncat\nsat\nfar\ndog\na"
    path = tmp_path / "m.keras"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "2.21.0"}))
        z.writestr("config.json", json.dumps(_TF_KERAS_CONFIG))
        z.write(weights, "model.weights.h5")
        for folder in ("text_vectorization/_lookup_layer", "text_vectorization"):
            z.writestr(f"assets/layers/{folder}/vocabulary.txt", vocabulary)
    model = keras.models.load_model(path)
    np.testing.assert_allclose(model.predict(PROBE, verbose=0), TF_KERAS_OUTPUT, rtol=1e-5)
