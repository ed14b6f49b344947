import importlib.util

import numpy as np
import pytest
import torch

from tork import keras
from tork._backend.device import current_device

_HAS_ONNX = all(
    importlib.util.find_spec(name) is not None for name in ("onnx", "onnxscript", "onnxruntime")
)


def _two_input_model():
    a = keras.Input((4,), name="a")
    b = keras.Input((3,), name="b")
    merged = keras.layers.Concatenate()([keras.layers.Dense(5, activation="relu")(a), b])
    return keras.Model([a, b], keras.layers.Dense(2)(merged))


@pytest.mark.slow
def test_torch_export_runs_without_tork_and_keeps_batch_dynamic(tmp_path, make_functional):
    model = make_functional()
    path = tmp_path / "m.pt2"
    model.export(path, format="torch")
    program = torch.export.load(str(path))
    x = np.random.default_rng(0).normal(size=(7, 4)).astype("float32")
    # The program holds the weights where tork placed them: its input goes there too.
    out = program.module()(torch.tensor(x, device=current_device()))
    np.testing.assert_allclose(
        out.detach().cpu().numpy(), model.predict(x, verbose=0), rtol=1e-5, atol=1e-6
    )


@pytest.mark.slow
@pytest.mark.skipif(not _HAS_ONNX, reason="onnx, onnxscript and onnxruntime are not installed")
def test_onnx_export_matches_predictions(tmp_path):
    import onnxruntime

    model = _two_input_model()
    path = tmp_path / "m.onnx"
    model.export(path, format="onnx")
    session = onnxruntime.InferenceSession(str(path))
    assert [i.name for i in session.get_inputs()] == ["a", "b"]
    rng = np.random.default_rng(1)
    a = rng.normal(size=(6, 4)).astype("float32")
    b = rng.normal(size=(6, 3)).astype("float32")
    (out,) = session.run(None, {"a": a, "b": b})
    np.testing.assert_allclose(out, model.predict([a, b], verbose=0), rtol=1e-5, atol=1e-6)


@pytest.mark.slow
@pytest.mark.skipif(not _HAS_ONNX, reason="onnx, onnxscript and onnxruntime are not installed")
def test_onnx_export_subclassed_with_input_signature(tmp_path):
    import onnxruntime

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.blocks = [keras.layers.Dense(6, activation="relu"), keras.layers.Dense(2)]

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            return x

    model = Net()
    model(np.zeros((1, 3), "float32"))
    path = tmp_path / "net.onnx"
    model.export(path, format="onnx", input_signature=[keras.InputSpec(shape=(None, 3))])
    x = np.random.default_rng(2).normal(size=(4, 3)).astype("float32")
    session = onnxruntime.InferenceSession(str(path))
    (out,) = session.run(None, {session.get_inputs()[0].name: x})
    np.testing.assert_allclose(out, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    # The model still trains after export (its modules were put back).
    assert model.blocks[0].kernel.requires_grad


def test_tensorflow_formats_are_refused(tmp_path, make_sequential):
    with pytest.raises(ValueError, match=r"format='openvino'.*needs TensorFlow.*'onnx'"):
        make_sequential().export(tmp_path / "saved", format="openvino")
    with pytest.raises(ValueError, match="Unknown export format 'zip'. Use 'tf_saved_model'"):
        make_sequential().export(tmp_path / "m", format="zip")


def test_unknown_input_shape(tmp_path):
    model = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"input shape is unknown.*input_signature"):
        model.export(tmp_path / "m.pt2", format="torch")
