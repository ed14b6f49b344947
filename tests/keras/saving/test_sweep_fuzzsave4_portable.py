"""`.keras` configs that Keras 3 and tf_keras both read (fuzzsave4, /tmp/fuzzsave4).

An adapted or fixed Discretization in a tork `.keras` file: Keras 3.15's Discretization
constructor has no `trainable` argument (nor `**kwargs`), so `keras.models.load_model` failed
with "Discretization.__init__() got an unexpected keyword argument 'trainable'" (round-3
builder prep_hash_cat, /tmp/fuzzsave4/tryload3.py); tork's `.h5` and `to_json()` entries too.
Without the key, Keras 3.15 and tf_keras 2.21 load the `.keras` and `.h5` files and both
predict [[0, 1, 2]] for [[-1, 0.5, 2]] with boundaries [0, 1] (checked in /tmp/tfenv).
"""

import json
import zipfile

import numpy as np

from tork import keras


def _layer_configs(path):
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    return {layer["config"]["name"]: layer["config"] for layer in config["config"]["layers"]}


def test_discretization_keras_entry_has_no_trainable(tmp_path):
    inputs = keras.Input((3,), name="xd")
    outputs = keras.layers.Discretization(bin_boundaries=[0.0, 1.0], name="disc")(inputs)
    model = keras.Model(inputs, outputs, name="dm")
    path = tmp_path / "disc.keras"
    model.save(path)
    config = _layer_configs(path)["disc"]
    assert "trainable" not in config
    assert config["bin_boundaries"] == [0.0, 1.0] and config["num_bins"] is None
    loaded = keras.models.load_model(path)
    x = np.array([[-1.0, 0.5, 2.0]], "float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), [[0, 1, 2]])
    assert loaded.get_layer("disc").trainable


def test_adapted_discretization_keras_entry(tmp_path):
    layer = keras.layers.Discretization(num_bins=2, name="disc")
    layer.adapt(np.array([[0.0], [1.0], [2.0], [3.0]], "float32"))
    inputs = keras.Input((1,), name="x")
    model = keras.Model(inputs, layer(inputs), name="adm")
    path = tmp_path / "adapted.keras"
    model.save(path)
    config = _layer_configs(path)["disc"]
    assert "trainable" not in config and config["num_bins"] is None
    loaded = keras.models.load_model(path)
    x = np.array([[-1.0], [2.5]], "float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_discretization_h5_and_json_have_no_trainable(tmp_path):
    inputs = keras.Input((3,), name="xd")
    outputs = keras.layers.Discretization(bin_boundaries=[0.0, 1.0], name="disc")(inputs)
    model = keras.Model(inputs, outputs, name="dm")
    entry = json.loads(model.to_json())["config"]["layers"][1]
    assert entry["class_name"] == "Discretization" and "trainable" not in entry["config"]
    path = tmp_path / "disc.h5"
    model.save(path)
    loaded = keras.models.load_model(path)
    x = np.array([[-1.0, 0.5, 2.0]], "float32")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), [[0, 1, 2]])
