"""Sequential fixes from the sweep follow-ups, checked against tf_keras 2.21 (constants)."""

import json

import numpy as np

import tork as tf
from tork import feature_column as fc
from tork import keras


def test_dict_of_string_features_builds_on_the_real_call():
    # tf_keras builds the layers on the first call of a dict of features (no graph);
    # tork used to make shape-less placeholders for the strings and fail.
    kind = fc.categorical_column_with_vocabulary_list("Type", ["Cat", "Dog"])
    model = keras.Sequential(
        [
            keras.layers.DenseFeatures([fc.indicator_column(kind), fc.numeric_column("Age")]),
            keras.layers.Dense(1, kernel_initializer="ones", use_bias=False),
        ]
    )
    features = {"Age": np.array([0.5, 2.0]), "Type": np.array(["Dog", "x"])}
    # Age | Type_indicator summed by a kernel of ones: 0.5 + 1, 2.0 + 0.
    np.testing.assert_allclose(np.asarray(model(features)), [[1.5], [2.0]])
    assert model.built
    assert [tuple(w.shape) for w in model.weights] == [(3, 1)]


def test_ragged_input_layer_keeps_its_flag_through_get_config():
    model = keras.Sequential(
        [
            keras.layers.InputLayer(input_shape=(None,), ragged=True, dtype="int64"),
            keras.layers.Embedding(10, 3),
        ]
    )
    config = model.get_config()
    # tf_keras writes the InputLayer first: {'batch_input_shape': (None, None),
    # 'dtype': 'int64', 'sparse': False, 'ragged': True, ...}.
    entry = config["layers"][0]
    assert entry["class_name"] == "InputLayer"
    assert entry["config"]["ragged"] is True
    assert entry["config"]["sparse"] is False
    assert entry["config"]["dtype"] == "int64"
    restored = keras.Sequential.from_config(json.loads(json.dumps(config)))
    assert type(restored.inputs[0]).__name__ == "RaggedKerasTensor"
    assert restored.inputs[0].dtype == tf.int64
    assert len(restored.layers) == 1
    restored.set_weights([np.arange(30, dtype="float32").reshape(10, 3)])
    out = restored(tf.ragged.constant([[1, 2], [3]], dtype=tf.int64))
    assert out.shape.as_list() == [2, None, 3]
    np.testing.assert_allclose(out.flat_values.numpy(), [[3, 4, 5], [6, 7, 8], [9, 10, 11]])


def test_sparse_input_layer_keeps_its_flag_through_get_config():
    model = keras.Sequential(
        [keras.layers.InputLayer(input_shape=(5,), sparse=True), keras.layers.Dense(3)]
    )
    config = model.get_config()
    assert config["layers"][0]["config"]["sparse"] is True
    assert config["layers"][0]["config"]["ragged"] is False
    restored = keras.Sequential.from_config(config)
    assert type(restored.inputs[0]).__name__ == "SparseKerasTensor"
