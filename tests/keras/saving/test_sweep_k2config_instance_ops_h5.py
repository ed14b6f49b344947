"""RaggedTensor attributes on a functional input (`x.values`, `x.row_lengths()`) are saved
to `.h5` as tf_keras's `InstanceProperty` / `InstanceMethod` layers, so tf_keras loads them.

The expected entries are tf_keras 2.21's model_config for the same model, and the
predictions tf_keras gives (18.5, then 16.5 and 20.5).
"""

import json

import h5py
import numpy as np

import tork as tf
from tork import keras


def _entries(path):
    with h5py.File(path, "r") as f:
        layers = json.loads(f.attrs["model_config"])["config"]["layers"]
    return {layer["name"]: layer for layer in layers}


def _dense_head(x):
    dense = keras.layers.Dense(1)
    out = dense(x)
    dense.set_weights([np.array([[2.0]], "float32"), np.array([0.5], "float32")])
    return out


def test_property_and_method_entries_match_tf_keras(tmp_path):
    keras.backend.clear_session()
    inputs = keras.Input(shape=(None,), ragged=True, dtype="float32")
    total = tf.reduce_sum(inputs.values) + tf.cast(tf.reduce_sum(inputs.row_lengths()), "float32")
    model = keras.Model(inputs, _dense_head(tf.reshape(total, (1, 1))))
    x = tf.ragged.constant([[1.0, 2.0], [3.0]])
    np.testing.assert_allclose(model.predict(x, verbose=0), [[18.5]])
    model.save(tmp_path / "m.h5")
    entries = _entries(tmp_path / "m.h5")
    assert entries["input.row_lengths"] == {
        "class_name": "InstanceMethod",
        "config": {
            "name": "input.row_lengths",
            "trainable": True,
            "dtype": "float32",
            "attr_name": "row_lengths",
        },
        "name": "input.row_lengths",
        "inbound_nodes": [["input_1", 0, 0, {"args": [], "kwargs": {}}]],
    }
    assert entries["input.values"] == {
        "class_name": "InstanceProperty",
        "config": {
            "name": "input.values",
            "trainable": True,
            "dtype": "float32",
            "attr_name": "values",
        },
        "name": "input.values",
        "inbound_nodes": [["input_1", 0, 0, {}]],
    }
    assert not [e for e in entries.values() if e["class_name"] == "__torch_op__"]
    loaded = keras.models.load_model(tmp_path / "m.h5")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), [[18.5]])


def test_method_arguments_are_saved_as_tf_keras_does(tmp_path):
    keras.backend.clear_session()
    inputs = keras.Input(shape=(None,), ragged=True, dtype="float32")
    d1 = inputs.to_tensor(-1.0)
    d2 = inputs.to_tensor(default_value=2.0)
    splits = tf.cast(tf.expand_dims(inputs.row_splits[1:], 1), "float32")
    total = tf.reduce_sum(d1, axis=1, keepdims=True) + tf.reduce_sum(d2, axis=1, keepdims=True)
    model = keras.Model(inputs, _dense_head(total + splits))
    x = tf.ragged.constant([[1.0, 2.0], [3.0]])
    np.testing.assert_allclose(model.predict(x, verbose=0).ravel(), [16.5, 20.5])
    model.save(tmp_path / "m.h5")
    entries = _entries(tmp_path / "m.h5")
    assert entries["input.to_tensor"]["inbound_nodes"] == [
        ["input_1", 0, 0, {"args": [-1.0], "kwargs": {}}]
    ]
    assert entries["input.to_tensor_1"]["inbound_nodes"] == [
        ["input_1", 0, 0, {"args": [], "kwargs": {"default_value": 2.0}}]
    ]
    assert entries["input.row_splits"]["class_name"] == "InstanceProperty"
    loaded = keras.models.load_model(tmp_path / "m.h5")
    np.testing.assert_allclose(loaded.predict(x, verbose=0).ravel(), [16.5, 20.5])
