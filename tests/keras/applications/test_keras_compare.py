"""Application models against the real Keras 3 package (torch backend, in a subprocess).

The same architectures are built by Keras with weights=None; tork must have the same
layers, weights, parameter counts and output shapes, load Keras's weight files (Keras 3
`.weights.h5` and the Keras 2 weights-only `.h5` layout of the published ImageNet files)
and then predict the same values.
"""

import importlib.util
import json
import os
import subprocess
import sys

import numpy as np
import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("keras") is None or importlib.util.find_spec("h5py") is None,
        reason="the comparison with Keras needs the `keras` and `h5py` packages",
    ),
]

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from _configs import CONFIGS  # noqa: E402


@pytest.fixture(scope="module")
def keras_side(tmp_path_factory):
    env = {**os.environ, "KERAS_BACKEND": "torch"}
    probe = subprocess.run(
        [sys.executable, "-c", "import keras"], env=env, capture_output=True, timeout=300
    )
    if probe.returncode != 0:
        pytest.skip(f"the keras package cannot start on its torch backend: {probe.stderr[-300:]}")
    folder = tmp_path_factory.mktemp("keras_applications")
    done = subprocess.run(
        [sys.executable, os.path.join(HERE, "_keras_side.py"), str(folder)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    with open(folder / "report.json") as f:
        return folder, json.load(f)


@pytest.fixture(scope="module")
def tork_models():
    from tork import keras

    # Automatic layer names count per session: start from a fresh one, as the Keras
    # subprocess does, so that e.g. 'global_average_pooling2d' gets no suffix.
    keras.backend.clear_session()
    return {
        name: getattr(keras.applications, arch)(weights=None, **kwargs)
        for name, (arch, kwargs) in CONFIGS.items()
    }


def _keras3_name(name: str) -> str:
    # DenseNet's Keras 2 stem names ('conv1/conv', 'conv1/bn/gamma') as Keras 3 spells them.
    # (MobileNet's 'conv1/kernel' is a layer 'conv1' and stays as it is.)
    for stem in ("conv1/conv", "conv1/bn", "conv1/relu"):
        if name == stem or name.startswith(stem + "/"):
            return "conv1_" + name[len("conv1/") :]
    return name


def _close(actual, expected):
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(actual, expected, rtol=1e-4, atol=1e-4 * scale)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_same_architecture_as_keras(keras_side, tork_models, name):
    _, report = keras_side
    expected = report[name]
    model = tork_models[name]
    assert model.name == expected["model_name"]
    # The input layer's automatic name differs (Keras 3: 'input_layer', tork: 'input_1');
    # it has no weights, so files are unaffected.
    # Known difference, followed on purpose: DenseNet's stem is 'conv1/conv', 'conv1/bn',
    # 'conv1/relu' in Keras 2 (tork, the ImageNet files) and 'conv1_conv'... in Keras 3 (which
    # refuses '/' in names). Neither format is affected: `.weights.h5` matches by structure
    # path and legacy `.h5` by topology; only `load_weights(by_name=True)` sees the names.
    layers = [[_keras3_name(layer.name), type(layer).__name__] for layer in model.layers]
    assert layers[0][1] == "InputLayer"
    # Same order as Keras: by depth from the inputs, ties in traversal order (ResNet50's
    # shortcut convolutions interleave with the main path as in Keras's summary).
    assert layers[1:] == expected["layers"][1:]
    # Known difference, outside this package: tork's DepthwiseConv2D names its weight
    # 'depthwise_kernel' (Keras 2 and the ImageNet files), Keras 3.15 names it 'kernel'
    # (SeparableConv2D keeps 'depthwise_kernel' in both). Files load by position, so both
    # layouts still load (see the prediction tests).
    depthwise = {layer.name for layer in model.layers if type(layer).__name__ == "DepthwiseConv2D"}
    weights = [
        [
            _keras3_name(
                w.path.replace("/depthwise_kernel", "/kernel")
                if w.path.split("/")[0] in depthwise
                else w.path
            ),
            list(w.shape),
        ]
        for w in model.weights
    ]
    assert weights == expected["weights"]
    assert len(model.trainable_weights) == expected["trainable"]
    assert model.count_params() == expected["params"]
    assert list(model.output_shape) == expected["output_shape"]


@pytest.mark.parametrize("kind", ["weights.h5", "legacy.h5"])
@pytest.mark.parametrize("name", list(CONFIGS))
def test_keras_weights_give_keras_predictions(keras_side, tork_models, name, kind):
    folder, _ = keras_side
    model = tork_models[name]
    model.load_weights(str(folder / f"{name}.{kind}"))
    x = np.load(folder / f"{name}.x.npy")
    _close(np.asarray(model.predict(x, verbose=0)), np.load(folder / f"{name}.y.npy"))
    _close(model(x, training=False).detach().numpy(), np.load(folder / f"{name}.y.npy"))


def test_weights_argument_path_loads_the_file(keras_side):
    from tork import keras

    folder, _ = keras_side
    arch, kwargs = CONFIGS["resnet50"]
    model = keras.applications.ResNet50(weights=str(folder / "resnet50.weights.h5"), **kwargs)
    x = np.load(folder / "resnet50.x.npy")
    _close(model.predict(x, verbose=0), np.load(folder / "resnet50.y.npy"))


def test_imagenet_weights_load_from_the_keras_cache(keras_side, tmp_path, monkeypatch):
    # The published file for alpha=1.0, 96x96, no top, placed where Keras caches it.
    from tork import keras

    folder, _ = keras_side
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    cached = (
        tmp_path / "models" / "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5"
    )
    cached.parent.mkdir(parents=True)
    cached.write_bytes((folder / "mobilenet_v2_notop.legacy.h5").read_bytes())
    model = keras.applications.MobileNetV2(
        input_shape=(96, 96, 3), include_top=False, weights="imagenet"
    )
    x = np.load(folder / "mobilenet_v2_notop.x.npy")
    _close(model.predict(x, verbose=0), np.load(folder / "mobilenet_v2_notop.y.npy"))


def test_resnet50_imagenet_weights_load_from_the_keras_cache(keras_side, tmp_path, monkeypatch):
    import hashlib

    from tork import keras
    from tork.keras.applications import resnet

    folder, _ = keras_side
    data = (folder / "resnet50.legacy.h5").read_bytes()
    # The real file's md5 is pinned; the stand-in (Keras's random weights) has its own.
    monkeypatch.setitem(
        resnet.WEIGHTS_HASHES, "resnet50", (hashlib.md5(data).hexdigest(), "unused")
    )
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    cached = tmp_path / "models" / "resnet50_weights_tf_dim_ordering_tf_kernels.h5"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(data)
    arch, kwargs = CONFIGS["resnet50"]
    # classes=10 with weights="imagenet" is refused, so check the loader on the built model.
    model = keras.applications.ResNet50(weights=None, **kwargs)
    from tork.keras.applications import imagenet_utils

    imagenet_utils._load_weights(
        model,
        "imagenet",
        cached.name,
        resnet.BASE_WEIGHTS_PATH + cached.name,
        resnet.WEIGHTS_HASHES["resnet50"][0],
    )
    x = np.load(folder / "resnet50.x.npy")
    _close(model.predict(x, verbose=0), np.load(folder / "resnet50.y.npy"))
