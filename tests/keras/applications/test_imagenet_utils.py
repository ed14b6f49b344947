"""preprocess_input, decode_predictions and the argument checks (no model is built)."""

import hashlib
import json
import urllib.error

import numpy as np
import pytest
import torch

from tork import keras
from tork.keras.applications import imagenet_utils

MEAN_BGR = np.array([103.939, 116.779, 123.68], "float32")


def test_mobilenet_v2_scales_to_minus_one_one():
    x = np.array([[[[0, 127.5, 255]]]], "float32")
    out = keras.applications.mobilenet_v2.preprocess_input(x)
    np.testing.assert_allclose(out, [[[[-1.0, 0.0, 1.0]]]])
    assert out is x  # a float array is preprocessed in place, as in Keras


def test_caffe_mode_numpy_tensor_and_integer_input():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 255, (2, 4, 5, 3)).astype("float32")
    expected = x[..., ::-1] - MEAN_BGR
    for module in (keras.applications.resnet50, keras.applications.vgg16):
        np.testing.assert_allclose(module.preprocess_input(x.copy()), expected, rtol=1e-6)
        out = module.preprocess_input(torch.from_numpy(x))
        assert isinstance(out, torch.Tensor)
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    ints = np.arange(12, dtype="uint8").reshape(1, 2, 2, 3)
    out = keras.applications.vgg16.preprocess_input(ints)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, ints[..., ::-1].astype("float32") - MEAN_BGR)


def test_caffe_mode_channels_first():
    x = np.random.default_rng(1).uniform(0, 255, (2, 3, 4, 4)).astype("float32")
    expected = x[:, ::-1] - MEAN_BGR.reshape(1, 3, 1, 1)
    out = keras.applications.resnet50.preprocess_input(x.copy(), data_format="channels_first")
    np.testing.assert_allclose(out, expected, rtol=1e-6)
    single = keras.applications.resnet50.preprocess_input(x[0].copy(), data_format="channels_first")
    np.testing.assert_allclose(single, expected[0], rtol=1e-6)


def test_torch_mode():
    x = np.full((1, 1, 1, 3), 255.0, "float32")
    out = imagenet_utils.preprocess_input(x, mode="torch")
    expected = (1.0 - np.array([0.485, 0.456, 0.406])) / np.array([0.229, 0.224, 0.225])
    np.testing.assert_allclose(out[0, 0, 0], expected, rtol=1e-6)


def test_preprocess_inside_a_functional_model():
    inputs = keras.Input((2, 2, 3))
    model = keras.Model(inputs, keras.applications.mobilenet_v2.preprocess_input(inputs))
    x = np.full((1, 2, 2, 3), 51.0, "float32")
    np.testing.assert_allclose(model(x).numpy(), np.full((1, 2, 2, 3), 51 / 127.5 - 1))
    model = keras.Model(inputs, keras.applications.resnet50.preprocess_input(inputs))
    np.testing.assert_allclose(model(x).numpy()[0, 0, 0], 51.0 - MEAN_BGR, rtol=1e-6)


def test_preprocess_bad_arguments():
    with pytest.raises(ValueError, match="mode to be one of 'caffe', 'tf' or 'torch'"):
        imagenet_utils.preprocess_input(np.zeros((1, 2, 2, 3)), mode="keras")
    with pytest.raises(ValueError, match="data_format must be 'channels_first' or"):
        keras.applications.vgg16.preprocess_input(np.zeros((1, 2, 2, 3)), data_format="nhwc")


@pytest.fixture
def fake_class_index(tmp_path, monkeypatch):
    index = {str(i): [f"n{i:08d}", f"class_{i}"] for i in range(1000)}
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    path = tmp_path / "models" / "imagenet_class_index.json"
    path.parent.mkdir()
    path.write_text(json.dumps(index))
    # The real file's md5 is pinned; the stand-in has its own.
    monkeypatch.setattr(
        imagenet_utils, "_CLASS_INDEX_HASH", hashlib.md5(path.read_bytes()).hexdigest()
    )
    return path


def test_decode_predictions_reads_the_cached_index(fake_class_index):
    preds = np.zeros((2, 1000), "float32")
    preds[0, [3, 7, 500]] = [0.2, 0.5, 0.3]
    preds[1, 999] = 1.0
    decoded = keras.applications.mobilenet_v2.decode_predictions(preds, top=3)
    assert [(a, b) for a, b, _ in decoded[0]] == [
        ("n00000007", "class_7"),
        ("n00000500", "class_500"),
        ("n00000003", "class_3"),
    ]
    np.testing.assert_allclose([s for _, _, s in decoded[0]], [0.5, 0.3, 0.2])
    assert decoded[1][0][:2] == ("n00000999", "class_999")
    torch_decoded = keras.applications.resnet50.decode_predictions(torch.from_numpy(preds), top=1)
    assert torch_decoded[0][0][1] == "class_7"
    assert keras.applications.imagenet_utils.decode_predictions is (
        keras.applications.vgg16.decode_predictions
    )


def test_decode_predictions_bad_shape():
    with pytest.raises(ValueError, match=r"shape \(samples, 1000\).*\(2, 10\)"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))


def _offline(monkeypatch, tmp_path):
    import importlib

    def fail(origin, target):
        raise urllib.error.URLError("no network")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(importlib.import_module("tork.keras.utils.get_file"), "_download", fail)


def test_decode_predictions_offline_names_url_and_cache_path(tmp_path, monkeypatch):
    _offline(monkeypatch, tmp_path)
    monkeypatch.setattr(imagenet_utils, "CLASS_INDEX", None)
    target = tmp_path / "models" / "imagenet_class_index.json"
    with pytest.raises(OSError, match="imagenet_class_index.json") as info:
        imagenet_utils.decode_predictions(np.zeros((1, 1000)))
    assert imagenet_utils.CLASS_INDEX_PATH in str(info.value)
    assert str(target) in str(info.value)


@pytest.mark.slow
@pytest.mark.parametrize(
    "build, fname",
    [
        (
            lambda: keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False),
            "mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_160_no_top.h5",
        ),
        (
            lambda: keras.applications.ResNet50(),
            "resnet/resnet50_weights_tf_dim_ordering_tf_kernels.h5",
        ),
        (
            lambda: keras.applications.VGG16(include_top=False, input_shape=(32, 32, 3)),
            "vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
        ),
        (
            lambda: keras.applications.VGG19(include_top=False, input_shape=(32, 32, 3)),
            "vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
        ),
        (
            lambda: keras.applications.ResNet101(include_top=False, input_shape=(32, 32, 3)),
            "resnet/resnet101_weights_tf_dim_ordering_tf_kernels_notop.h5",
        ),
        (
            lambda: keras.applications.ResNet50V2(include_top=False, input_shape=(32, 32, 3)),
            "resnet/resnet50v2_weights_tf_dim_ordering_tf_kernels_notop.h5",
        ),
        (
            lambda: keras.applications.DenseNet121(include_top=False, input_shape=(32, 32, 3)),
            "densenet/densenet121_weights_tf_dim_ordering_tf_kernels_notop.h5",
        ),
        (
            lambda: keras.applications.MobileNet(
                input_shape=(128, 128, 3), alpha=0.25, include_top=False
            ),
            "mobilenet/mobilenet_2_5_128_tf_no_top.h5",
        ),
        (
            lambda: keras.applications.Xception(include_top=False, input_shape=(71, 71, 3)),
            "xception/xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
        ),
        (
            lambda: keras.applications.InceptionV3(include_top=False, input_shape=(75, 75, 3)),
            "inception_v3/inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
        ),
    ],
)
def test_imagenet_weights_offline_names_url_and_cache_path(tmp_path, monkeypatch, build, fname):
    # Builds the model (slow-ish) only up to the download, which fails at once here.
    calls = []

    def fake_get_file(name, origin, **kwargs):
        calls.append((name, origin, kwargs))
        raise OSError(f"URL fetch failure on {origin}")

    monkeypatch.setattr(imagenet_utils, "_get_file", fake_get_file)
    with pytest.raises(OSError, match="URL fetch failure"):
        build()
    name, origin, kwargs = calls[0]
    assert origin == "https://storage.googleapis.com/tensorflow/keras-applications/" + fname
    assert name == fname.split("/")[1]
    assert kwargs["cache_subdir"] == "models"


def test_weights_argument_errors():
    with pytest.raises(ValueError, match="weights.*no such file"):
        keras.applications.MobileNetV2(weights="/no/such/file.h5")
    with pytest.raises(ValueError, match="`classes` should be 1000. Received classes=10"):
        keras.applications.ResNet50(classes=10)
    with pytest.raises(ValueError, match="alpha must be one of"):
        keras.applications.MobileNetV2(alpha=0.6, include_top=False, input_shape=(96, 96, 3))
    with pytest.raises(ValueError, match="alpha can be one of `0.25`.*Received alpha=0.6"):
        keras.applications.MobileNet(alpha=0.6, include_top=False, input_shape=(128, 128, 3))
    with pytest.raises(ValueError, match="depth multiplier must be 1.*depth_multiplier=2"):
        keras.applications.MobileNet(depth_multiplier=2, include_top=False)
    with pytest.raises(ValueError, match="pooling must be None, 'avg' or 'max'.*'mean'"):
        keras.applications.VGG16(weights=None, include_top=False, pooling="mean")


def test_input_shape_errors():
    with pytest.raises(ValueError, match=r"`input_shape` should be \(224, 224, 3\)"):
        keras.applications.VGG16(input_shape=(160, 160, 3))
    with pytest.raises(ValueError, match="at least 32x32"):
        keras.applications.ResNet50(weights=None, include_top=False, input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="at least 71x71"):
        keras.applications.Xception(weights=None, include_top=False, input_shape=(70, 70, 3))
    with pytest.raises(ValueError, match=r"`input_shape` should be \(299, 299, 3\)"):
        keras.applications.InceptionV3(input_shape=(224, 224, 3))
    with pytest.raises(ValueError, match="must have 3 channels"):
        keras.applications.MobileNetV2(include_top=False, input_shape=(96, 96, 1))
    with pytest.raises(ValueError, match="three integers"):
        keras.applications.VGG16(weights=None, include_top=False, input_shape=(32, 32))


def test_obtain_input_shape_defaults():
    shape = imagenet_utils._obtain_input_shape(None, 224, 32, "channels_last", False, None)
    assert shape == (None, None, 3)
    shape = imagenet_utils._obtain_input_shape(None, 224, 32, "channels_last", True, "imagenet")
    assert shape == (224, 224, 3)


def test_make_divisible_and_correct_pad():
    from tork.keras.applications.mobilenet_v2 import _make_divisible

    # Hand-computed: 32*0.35=11.2 -> 16 (8 would lose >10%); 1280*1.3=1664; 24*0.5=12 -> 16.
    assert [_make_divisible(32 * 0.35, 8), _make_divisible(1280 * 1.3, 8)] == [16, 1664]
    assert _make_divisible(12, 8) == 16
    assert _make_divisible(int(96 * 0.75), 8) == 72

    class _T:
        shape = (None, 80, 80, 3)

    assert imagenet_utils._correct_pad(_T(), 3) == ((0, 1), (0, 1))
    _T.shape = (None, 5, 5, 3)
    assert imagenet_utils._correct_pad(_T(), 3) == ((1, 1), (1, 1))


@pytest.mark.parametrize(
    "module, expected",
    [
        ("vgg19", lambda x: x[..., ::-1] - MEAN_BGR),
        ("resnet", lambda x: x[..., ::-1] - MEAN_BGR),
        ("resnet_v2", lambda x: x / 127.5 - 1.0),
        ("mobilenet", lambda x: x / 127.5 - 1.0),
        ("xception", lambda x: x / 127.5 - 1.0),
        ("inception_v3", lambda x: x / 127.5 - 1.0),
        (
            "densenet",
            lambda x: (
                (x / 255.0 - np.array([0.485, 0.456, 0.406], "float32"))
                / np.array([0.229, 0.224, 0.225], "float32")
            ),
        ),
    ],
)
def test_module_preprocess_input_modes(module, expected):
    x = np.random.default_rng(1).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    out = getattr(keras.applications, module).preprocess_input(x.copy())
    np.testing.assert_allclose(out, expected(x), rtol=1e-5, atol=1e-4)
    assert getattr(keras.applications, module).decode_predictions is (
        imagenet_utils.decode_predictions
    )


@pytest.mark.parametrize("mode", ["tf", "torch", "caffe"])
def test_float_numpy_input_is_preprocessed_in_place_as_keras(mode):
    # tf_keras 2.21 changes a float array itself; in caffe mode through the channel-reversed
    # view, so the caller's array stays RGB with each channel's mean removed.
    x = np.arange(12, dtype="float32").reshape(1, 2, 2, 3) * 7
    rgb = x.copy()
    result = imagenet_utils.preprocess_input(x, mode=mode)
    if mode == "tf":
        expected_arg = rgb / 127.5 - 1.0
    elif mode == "torch":
        expected_arg = (rgb / 255.0 - [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]
    else:
        expected_arg = rgb - [123.68, 116.779, 103.939]  # R, G, B means, RGB order kept
    np.testing.assert_allclose(x, expected_arg, rtol=1e-5, atol=1e-5)
    expected_result = expected_arg[..., ::-1] if mode == "caffe" else expected_arg
    np.testing.assert_allclose(result, expected_result, rtol=1e-5, atol=1e-5)
    ints = np.arange(12, dtype="uint8").reshape(1, 2, 2, 3)
    assert imagenet_utils.preprocess_input(ints, mode=mode).dtype == np.float32
    np.testing.assert_array_equal(ints.ravel(), np.arange(12))  # a new array for ints
