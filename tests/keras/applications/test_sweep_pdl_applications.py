"""preprocess_input on keras.Input records tf_keras's layers (names checked against 2.21)."""

import warnings

import numpy as np
import pytest

from tork import keras

imagenet_utils = keras.applications.imagenet_utils

CAFFE_MEAN = np.array([103.939, 116.779, 123.68], "float32")
TORCH_MEAN = np.array([0.485, 0.456, 0.406], "float32")
TORCH_STD = np.array([0.229, 0.224, 0.225], "float32")


def _images(shape):
    return (np.random.RandomState(0).rand(*shape) * 255).astype("float32")


def test_caffe_symbolic_layers_and_values():
    # tf_keras 2.21: ['input_1', 'tf.__operators__.getitem', 'tf.nn.bias_add'].
    inputs = keras.Input(shape=(4, 5, 3))
    model = keras.Model(inputs, keras.applications.resnet50.preprocess_input(inputs))
    names = [layer.name for layer in model.layers[1:]]
    assert [n.rsplit("_", 1)[0] if n[-1].isdigit() else n for n in names] == [
        "tf.__operators__.getitem",
        "tf.nn.bias_add",
    ]
    x = _images((2, 4, 5, 3))
    expected = x[..., ::-1] - CAFFE_MEAN
    np.testing.assert_allclose(np.asarray(model(x)), expected, rtol=1e-6, atol=1e-4)


def test_torch_symbolic_layers_and_values():
    # tf_keras 2.21: truediv, bias_add, truediv.
    inputs = keras.Input(shape=(4, 5, 3))
    model = keras.Model(inputs, keras.applications.densenet.preprocess_input(inputs))
    kinds = [layer.name.rstrip("_0123456789") for layer in model.layers[1:]]
    assert kinds == ["tf.math.truediv", "tf.nn.bias_add", "tf.math.truediv"]
    x = _images((2, 4, 5, 3))
    expected = (x / 255.0 - TORCH_MEAN) / TORCH_STD
    np.testing.assert_allclose(np.asarray(model(x)), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode", ["caffe", "torch"])
def test_channels_first_symbolic_matches_numpy(mode):
    inputs = keras.Input(shape=(3, 4, 4))
    out = imagenet_utils.preprocess_input(inputs, data_format="channels_first", mode=mode)
    model = keras.Model(inputs, out)
    x = _images((2, 3, 4, 4))
    if mode == "caffe":
        expected = x[:, ::-1] - CAFFE_MEAN.reshape(1, 3, 1, 1)
    else:
        expected = (x / 255.0 - TORCH_MEAN.reshape(1, 3, 1, 1)) / TORCH_STD.reshape(1, 3, 1, 1)
    np.testing.assert_allclose(np.asarray(model(x)), expected, rtol=1e-5, atol=1e-4)
    # From tf_keras 2.21 (seeded input): image 1, pixel (2, 3), caffe [138.1808, -74.6137,
    # 54.7584], torch [0.9378, -1.2975, 2.4155] for np.random.RandomState(1) data.
    x1 = np.random.RandomState(1).rand(2, 3, 4, 4).astype("float32") * 255
    ref = {"caffe": [138.1808, -74.6137, 54.7584], "torch": [0.9378, -1.2975, 2.4155]}
    np.testing.assert_allclose(np.asarray(model(x1))[1, :, 2, 3], ref[mode], atol=1e-3)


def test_symbolic_preprocess_model_saves_and_reloads(tmp_path):
    inputs = keras.Input(shape=(8, 8, 3))
    x = keras.applications.vgg16.preprocess_input(inputs)
    x = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, x)
    data = _images((2, 8, 8, 3))
    expected = (data[..., ::-1] - CAFFE_MEAN).mean(axis=(1, 2))
    for ext in ("h5", "keras"):
        path = str(tmp_path / f"m.{ext}")
        model.save(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the model was never compiled
            loaded = keras.models.load_model(path)
        np.testing.assert_allclose(loaded.predict(data, verbose=0), expected, atol=1e-3)
