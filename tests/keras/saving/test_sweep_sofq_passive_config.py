"""Layers a user layer's get_config() returns as objects (sweep sofq).

SO "custom layer holding a sub-layer": `get_config()` returns `{"inner": self.inner}`.
tf_keras 2.21 writes the sub-layer's config with `__passive_serialization__` in `.h5`
files and recreates the layer on load; tork left a dict, and loading failed with
"'TrackedDict' object is not callable".
"""

import json

import h5py
import numpy as np

from tork import keras

L = keras.layers

# The model_config tf_keras 2.21 writes to .h5 for the model below (TF_USE_LEGACY_KERAS=1,
# model.save("x.h5")).
_TF_KERAS_H5_CONFIG = '{"class_name": "Functional", "config": {"name": "model", "trainable": true, "layers": [{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "sparse": false, "ragged": false, "name": "input_1", "optional": false}, "name": "input_1", "inbound_nodes": []}, {"class_name": "ObjArg", "config": {"name": "oa", "trainable": true, "dtype": "float32", "inner": {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": "float32", "units": 2, "activation": "linear", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "Ones", "config": {}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}, "__passive_serialization__": true}}, "name": "oa", "inbound_nodes": [[["input_1", 0, 0, {}]]]}], "input_layers": [["input_1", 0, 0]], "output_layers": [["oa", 0, 0]]}}'


class _Holder(L.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x)

    def get_config(self):
        config = super().get_config()
        config["inner"] = self.inner  # the layer itself, as many user layers do
        return config


def _model():
    inputs = keras.Input((3,))
    holder = _Holder(L.Dense(2, kernel_initializer="ones"), name="oa")
    return keras.Model(inputs, holder(inputs))


def test_tf_keras_h5_config_with_a_passive_layer_loads():
    model = keras.models.model_from_json(_TF_KERAS_H5_CONFIG, custom_objects={"ObjArg": _Holder})
    inner = model.get_layer("oa").inner
    assert isinstance(inner, L.Dense) and inner.units == 2
    # Ones kernel, zero bias: each output is the sum of the inputs.
    np.testing.assert_allclose(model.predict(np.ones((2, 3)), verbose=0), np.full((2, 2), 3.0))


def test_h5_and_keras_round_trips_recreate_the_sub_layer(tmp_path):
    x = np.arange(6, dtype="float32").reshape(2, 3)
    for name in ("m.h5", "m.keras"):
        path = str(tmp_path / name)
        _model().save(path)
        loaded = keras.models.load_model(path, custom_objects={"_Holder": _Holder})
        assert isinstance(loaded.get_layer("oa").inner, L.Dense)
        np.testing.assert_allclose(loaded.predict(x, verbose=0), [[3.0, 3.0], [12.0, 12.0]])


def test_h5_marks_the_sub_layer_as_tf_keras_does(tmp_path):
    path = str(tmp_path / "m.h5")
    _model().save(path)
    with h5py.File(path) as f:
        config = json.loads(f.attrs["model_config"])
    holder = [entry for entry in config["config"]["layers"] if entry["name"] == "oa"][0]
    inner = holder["config"]["inner"]
    assert inner["class_name"] == "Dense" and inner["__passive_serialization__"] is True


class _Keras3Holder(_Holder):
    # Keras 3's idiom: from_config() deserializes the object get_config() returned.
    @classmethod
    def from_config(cls, config):
        config["inner"] = keras.layers.deserialize(config["inner"])
        return cls(**config)


def test_from_config_deserializing_the_sub_layer_itself_still_loads(tmp_path):
    # tf_keras 2.21 loads the .keras file ([[3, 3]]); its .h5 loader passes the revived
    # Dense to keras.layers.deserialize, which refuses it. tork accepts both.
    for name in ("k.h5", "k.keras"):
        inputs = keras.Input((3,))
        outputs = _Keras3Holder(L.Dense(2, kernel_initializer="ones"), name="h")(inputs)
        path = str(tmp_path / name)
        keras.Model(inputs, outputs).save(path)
        loaded = keras.models.load_model(path, custom_objects={"_Keras3Holder": _Keras3Holder})
        np.testing.assert_allclose(loaded.predict(np.ones((1, 3)), verbose=0), [[3.0, 3.0]])
