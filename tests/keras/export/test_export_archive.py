"""keras.export.ExportArchive (Keras 3) writing tork's SavedModel."""

import numpy as np
import pytest

import tork as tf
from tork import keras
from tork.keras.export import ExportArchive


def _model():
    inp = keras.Input((4,), name="feat")
    model = keras.Model(inp, keras.layers.Dense(2, name="pred")(inp))
    kernel = np.arange(8, dtype="float32").reshape(4, 2) / 10
    bias = np.array([0.5, -0.5], "float32")
    model.set_weights([kernel, bias])
    return model, kernel, bias


def test_endpoints_and_signatures(tmp_path, capsys):
    model, kernel, bias = _model()
    archive = ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        name="serve", fn=model.call, input_signature=[tf.TensorSpec((None, 4), tf.float32)]
    )
    archive.add_endpoint(
        name="call_inference",
        fn=lambda x: model.call(x, training=False),
        input_signature=[keras.InputSpec(shape=(None, 4), dtype="float32")],
    )
    archive.add_variable_collection("my_vars", model.weights)
    path = str(tmp_path / "archive")
    archive.write_out(path)
    assert "* Endpoint 'call_inference'" in capsys.readouterr().out
    loaded = tf.saved_model.load(path)
    x = np.linspace(-1, 1, 12).reshape(3, 4).astype("float32")
    for endpoint in (loaded.serve, loaded.call_inference):
        np.testing.assert_allclose(endpoint(x).detach().numpy(), x @ kernel + bias, rtol=1e-6)
    # As Keras 3.15: one signature per endpoint, plus serving_default.
    assert list(loaded.signatures) == ["serve", "call_inference", "serving_default"]
    inputs = loaded.signatures["call_inference"].structured_input_signature[1]
    assert list(inputs) == ["x"]
    assert len(loaded.my_vars) == 2 and len(loaded.variables) == 2


def test_errors():
    model, _, _ = _model()
    with pytest.raises(ValueError, match=r"No endpoints have been set yet. Call add_endpoint\(\)."):
        ExportArchive().write_out("unused")
    with pytest.raises(ValueError, match="you must provide an `input_signature` argument"):
        ExportArchive().add_endpoint(name="serve", fn=model.call)
    archive = ExportArchive()
    archive.add_endpoint("serve", model.call, [tf.TensorSpec((None, 4))])
    with pytest.raises(ValueError, match="Endpoint name 'serve' is already taken."):
        archive.add_endpoint("serve", model.call, [tf.TensorSpec((None, 4))])
    with pytest.raises(ValueError, match="Invalid resource type"):
        archive.track(object())
