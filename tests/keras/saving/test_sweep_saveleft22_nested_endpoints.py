"""`.keras` outputs that are calls of a nested functional model, as Keras 3 numbers them.

Keras 3 (and tf_keras) number a nested functional model's calls from 1 in `output_layers`/
`input_layers` (node 0 is the model's own graph) while Keras 3's node references number them
from 0. tork wrote 0-based endpoints, which Keras 3 read one call early: a model whose output
is the third call of a nested model predicted the second call's values in Keras 3 (silent),
and tork refused Keras 3's files of such models ("never produce").

k3_nested_two.keras and its predictions: data/saveleft22/make_fixtures.py (Keras 3.15).
"""

import json
import os
import zipfile

import numpy as np

import tork as tf

keras = tf.keras
DATA = os.path.join(os.path.dirname(__file__), "data", "saveleft22")
XA = np.array([[1.0, 2.0], [-1.0, 0.5]], "f4")
# Keras 3.15's predictions of the model it saved in k3_nested_two.keras.
K3_PREDICT = [
    [[0.47028154134750366, 1.2626161575317383], [0.47028154134750366, 1.2626161575317383]],
    [[0.5282134413719177, 0.5843272805213928], [0.5282134413719177, 0.5843272805213928]],
]


def _model():
    ii = keras.Input((2,), name="inner_in")
    inner = keras.Model(
        ii, keras.layers.Dense(2, activation="tanh", name="inner_d")(ii), name="inner"
    )
    a, b = keras.Input((2,), name="a"), keras.Input((2,), name="b")
    s = keras.layers.Add(name="add")([inner(a), inner(b)])
    m = keras.Model([a, b], [s, inner(s)], name="outer")
    m.set_weights([np.array([[0.5, -0.3], [0.2, 0.8]], "f4"), np.array([0.1, -0.2], "f4")])
    return m


def _predict(model):
    return model.predict([XA, XA[::-1].copy()], verbose=0)


def test_keras3_file_with_a_later_nested_call_as_output_loads():
    model = keras.models.load_model(os.path.join(DATA, "k3_nested_two.keras"))
    for got, want in zip(_predict(model), K3_PREDICT):
        np.testing.assert_allclose(got, want, atol=1e-6)


def test_written_endpoints_are_numbered_as_keras3_writes_them(tmp_path):
    model = _model()
    for got, want in zip(_predict(model), K3_PREDICT):
        np.testing.assert_allclose(got, want, atol=1e-6)
    path = str(tmp_path / "m.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))["config"]
    with zipfile.ZipFile(os.path.join(DATA, "k3_nested_two.keras")) as archive:
        keras3 = json.loads(archive.read("config.json"))["config"]
    assert config["output_layers"] == keras3["output_layers"] == [["add", 0, 0], ["inner", 3, 0]]
    # The nodes' references stay numbered from 0, as Keras 3 writes them.
    add = next(layer for layer in config["layers"] if layer["name"] == "add")
    histories = [t["config"]["keras_history"] for t in add["inbound_nodes"][0]["args"][0]]
    assert histories == [["inner", 0, 0], ["inner", 1, 0]]
    loaded = keras.models.load_model(path)
    for got, want in zip(_predict(loaded), K3_PREDICT):
        np.testing.assert_allclose(got, want, atol=1e-6)
    # get_config keeps tork's numbering, which from_config reads back.
    clone = keras.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    for got, want in zip(_predict(clone), K3_PREDICT):
        np.testing.assert_allclose(got, want, atol=1e-6)


def test_older_tork_files_numbered_from_zero_still_load(tmp_path):
    # A nested model's single call as the output: tork wrote ['inner', 0, 0].
    ii = keras.Input((2,), name="inner_in")
    inner = keras.Model(ii, keras.layers.Dense(2, name="inner_d")(ii), name="inner")
    i = keras.Input((2,), name="x")
    model = keras.Model(i, inner(keras.layers.Dense(2, name="pre")(i)), name="outer")
    path = str(tmp_path / "m.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    config = json.loads(members["config.json"])
    assert config["config"]["output_layers"] == ["inner", 1, 0]
    config["config"]["output_layers"] = ["inner", 0, 0]
    members["config.json"] = json.dumps(config).encode()
    old = str(tmp_path / "old.keras")
    with zipfile.ZipFile(old, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    loaded = keras.models.load_model(old)
    np.testing.assert_allclose(loaded.predict(XA, verbose=0), model.predict(XA, verbose=0))
