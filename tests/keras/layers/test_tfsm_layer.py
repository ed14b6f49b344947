"""keras.layers.TFSMLayer over directories written by model.export (tork's SavedModel)."""

import numpy as np
import pytest

from tork import keras
from tork.keras.layers.tfsm_layer import TFSMLayer


@pytest.fixture
def exported(tmp_path):
    inp = keras.Input((4,), name="feat")
    model = keras.Model(inp, keras.layers.Dense(2, name="pred")(inp))
    kernel = np.arange(8, dtype="float32").reshape(4, 2) / 10
    bias = np.array([1.0, -1.0], "float32")
    model.set_weights([kernel, bias])
    path = str(tmp_path / "exported")
    model.export(path, verbose=False)
    return path, kernel, bias


def test_serve_endpoint_values_and_weights(exported):
    path, kernel, bias = exported
    layer = TFSMLayer(path)
    x = np.linspace(-1, 1, 8).reshape(2, 4).astype("float32")
    np.testing.assert_allclose(layer(x).detach().numpy(), x @ kernel + bias, rtol=1e-6)
    # Keras 3.15: the reloaded variables are the layer's weights.
    assert len(layer.weights) == 2 and len(layer.trainable_weights) == 2
    frozen = TFSMLayer(path, trainable=False)
    assert len(frozen.trainable_weights) == 0 and len(frozen.non_trainable_weights) == 2
    assert layer.get_config()["call_endpoint"] == "serve"
    assert layer.get_config()["filepath"] == path


def test_signature_endpoint_returns_a_dict(exported):
    path, kernel, bias = exported
    out = TFSMLayer(path, call_endpoint="serving_default")(np.ones((3, 4), "float32"))
    assert list(out) == ["output_0"]
    np.testing.assert_allclose(
        out["output_0"].detach().numpy(), np.ones((3, 4)) @ kernel + bias, rtol=1e-6
    )


def test_in_a_model_that_trains(exported):
    path, _, _ = exported
    model = keras.Sequential([keras.Input((4,)), TFSMLayer(path)])
    model.compile("sgd", "mse")
    x = np.ones((8, 4), "float32")
    history = model.fit(x, np.zeros((8, 2), "float32"), epochs=3, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]


def test_unknown_endpoint(exported):
    path, _, _ = exported
    with pytest.raises(ValueError) as info:
        TFSMLayer(path, call_endpoint="nope")
    # Keras 3.15's message.
    assert str(info.value) == (
        "The endpoint 'nope' is neither an attribute of the reloaded SavedModel, nor an entry "
        "in the `signatures` field of the reloaded SavedModel. Select another endpoint via the "
        "`call_endpoint` argument. Available endpoints for this SavedModel: "
        "['serve', 'serving_default']"
    )


def test_config_and_keras_file_round_trip(exported, tmp_path):
    path, kernel, bias = exported
    x = np.linspace(-1, 1, 8).reshape(2, 4).astype("float32")
    clone = TFSMLayer.from_config(TFSMLayer(path).get_config())
    np.testing.assert_allclose(clone(x).detach().numpy(), x @ kernel + bias, rtol=1e-6)
    inp = keras.Input((4,))
    model = keras.Model(inp, TFSMLayer(path)(inp))
    model.save(str(tmp_path / "wrapped.keras"))
    reloaded = keras.models.load_model(str(tmp_path / "wrapped.keras"))
    np.testing.assert_allclose(reloaded.predict(x, verbose=0), x @ kernel + bias, rtol=1e-6)
