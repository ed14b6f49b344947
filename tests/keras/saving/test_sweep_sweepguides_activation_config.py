"""Custom activation functions in `.keras` configs use Keras's function form.

Keras 3 cannot resolve a bare custom name such as "plain_fn" in a layer
config; it writes (and tf_keras 2.21 too) the dicts checked below, taken from
`keras.saving.serialize_keras_object` in TF 2.21 / Keras 3.15.
"""

import json
import zipfile

import numpy as np

from tork import keras
from tork.keras import layers


def plain_fn(x):
    return x * 2


@keras.saving.register_keras_serializable(package="sweepguides_pk", name="sq")
def sq(x):
    return x * x


def _fn_config(name):
    return {
        "module": "builtins",
        "class_name": "function",
        "config": name,
        "registered_name": "function",
    }


def _activations(layer):
    config = keras.saving.serialize_keras_object(layer)["config"]
    return {k: v for k, v in config.items() if k.endswith("activation")}


def test_layer_config_matches_keras3():
    assert _activations(layers.Dense(2, activation=plain_fn)) == {
        "activation": _fn_config("plain_fn")
    }
    assert _activations(layers.Dense(2, activation=sq)) == {
        "activation": _fn_config("sweepguides_pk>sq")
    }
    # Built-in activations keep their plain name.
    assert _activations(layers.Dense(2, activation="relu")) == {"activation": "relu"}
    # An RNN layer's activations live on its cell.
    assert _activations(layers.LSTM(2, activation=sq, recurrent_activation=plain_fn)) == {
        "activation": _fn_config("sweepguides_pk>sq"),
        "recurrent_activation": _fn_config("plain_fn"),
    }


def test_keras_file_round_trip(tmp_path):
    model = keras.Sequential(
        [
            keras.Input((2,)),
            layers.Dense(2, activation=plain_fn),
            layers.Dense(2, activation=sq),
            layers.Reshape((1, 2)),
            layers.LSTM(2, recurrent_activation=plain_fn),
        ]
    )
    path = str(tmp_path / "m.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    # layers[0] is the InputLayer (Keras 2 and 3 write it first).
    saved = [entry["config"].get("activation") for entry in config["config"]["layers"][1:]]
    assert saved[:2] == [_fn_config("plain_fn"), _fn_config("sweepguides_pk>sq")]

    loaded = keras.models.load_model(path, custom_objects={"plain_fn": plain_fn})
    assert loaded.layers[0].activation is plain_fn
    assert loaded.layers[1].activation is sq
    assert loaded.layers[3].cell.recurrent_activation is plain_fn
    x = np.array([[0.5, -1.0], [2.0, 3.0]], "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), loaded.predict(x, verbose=0), rtol=1e-6)
