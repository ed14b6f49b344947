"""MobileNetV3, EfficientNetV2, ConvNeXt, InceptionResNetV2, NASNet against tf_keras 2.21 (Keras 2).

The structure constants were produced with tf_keras 2.21 (`TF_USE_LEGACY_KERAS=1`,
weights=None, after `keras.backend.clear_session()`), as in test_keras2_structure.py: the
model name, the trainable and non-trainable weight counts, the parameter count and md5
fingerprints (first 16 hex digits) of `json.dumps` of
- `[[layer.name, type(layer).__name__], ...]` for the layers after the input layer,
  without Keras 2's `TFOpLambda` layers (the `x + 3.0` and `* (1 / 6)` of MobileNetV3's
  hard sigmoid, ConvNeXt's residual `+`), which tests/keras/models/test_tf_op_lambda.py
  compares with tf_keras's,
- `[list(layer.output_shape), ...]` for the same layers,
- `[[w.name, list(w.shape)], ...]` over `model.weights` (the order Keras 2 `.h5` files use).

The prediction constants come from the same tf_keras models after `set_weights` with the
NumPy recipe of `_weights` (TensorFlow is not needed to run these tests).
"""

import hashlib
import json
import re

import numpy as np
import pytest

from tork import keras
from tork.keras.applications import imagenet_utils

KERAS2 = [
    (
        "MobileNetV3Small",
        {"input_shape": (32, 32, 3), "classes": 7},
        "MobilenetV3small",
        142,
        68,
        1537143,
        "08cfc78f3938c2e8",
        "9013583e68b84a23",
        "d2f2daac13231701",
    ),
    pytest.param(
        "MobileNetV3Small",
        {"input_shape": (64, 48, 3), "include_top": False, "pooling": "avg", "alpha": 0.75},
        "MobilenetV3small",
        138,
        68,
        583160,
        "6486a7cebc1b3249",
        "b36293d8eeabc42f",
        "6bd91214d3b018c7",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "MobileNetV3Small",
        {
            "input_shape": (32, 32, 3),
            "minimalistic": True,
            "classes": 5,
            "classifier_activation": None,
            "dropout_rate": 0.0,
        },
        "MobilenetV3small",
        106,
        68,
        1036973,
        "5961dbc5e9c5dfe2",
        "df4004093fef949a",
        "63827c9d83166607",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "MobileNetV3Large",
        {"input_shape": (32, 32, 3), "classes": 7, "alpha": 1.25},
        "MobilenetV3large",
        174,
        92,
        6696967,
        "4917e0991a27e803",
        "e142d738fbfeeb6e",
        "cbaf87112e36c8da",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "MobileNetV3Large",
        {
            "input_shape": (40, 40, 3),
            "include_top": False,
            "include_preprocessing": False,
            "pooling": "max",
        },
        "MobilenetV3large",
        170,
        92,
        2996352,
        "ca5f00ad88fe73f8",
        "2f6782fe3c71a020",
        "62bbaa0f785f9145",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "MobileNetV3Large",
        {"input_shape": (32, 32, 3), "minimalistic": True, "include_top": False},
        "MobilenetV3large",
        138,
        92,
        1437608,
        "b43382e53e1f6322",
        "61b9cdf34228cc48",
        "d44fb09bcb24d18e",
        marks=pytest.mark.slow,
    ),
    (
        "EfficientNetV2B0",
        {"input_shape": (32, 32, 3), "classes": 7, "classifier_activation": None},
        "efficientnetv2-b0",
        243,
        118,
        5928279,
        "6391b738d7f5ca8d",
        "827498dab8408678",
        "d244ed24f9354a86",
    ),
    pytest.param(
        "EfficientNetV2B0",
        {"input_shape": (48, 40, 3), "include_top": False, "pooling": "avg"},
        "efficientnetv2-b0",
        241,
        118,
        5919312,
        "9ccb27789b8dbc5f",
        "a23c925caa90f335",
        "a9e119b506a6671e",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "EfficientNetV2B1",
        {"input_shape": (32, 32, 3), "include_top": False, "include_preprocessing": False},
        "efficientnetv2-b1",
        295,
        146,
        6931124,
        "604f83ff7e3641da",
        "b7e52f4b914367d2",
        "f3d56aa6f63f5151",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "EfficientNetV2B2",
        {"input_shape": (32, 32, 3), "classes": 5},
        "efficientnetv2-b2",
        310,
        152,
        8776419,
        "35eda3fa229d9d4e",
        "a8672d427d0e3489",
        "a0d1f9229f0b74ec",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "EfficientNetV2B3",
        {"input_shape": (32, 32, 3), "include_top": False, "pooling": "max"},
        "efficientnetv2-b3",
        360,
        176,
        12930622,
        "103ea71fb5d96f3e",
        "1b816529df1b1aea",
        "9c7929e4ad6c16c7",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "EfficientNetV2S",
        {"input_shape": (32, 32, 3), "classes": 5, "classifier_activation": None},
        "efficientnetv2-s",
        452,
        220,
        20337765,
        "728557a11ec6994a",
        "bc6ad5a78575ad18",
        "2a2500ac0b2fab98",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "EfficientNetV2M",
        {"input_shape": (32, 32, 3), "include_top": False, "pooling": "avg"},
        "efficientnetv2-m",
        647,
        314,
        53150388,
        "06b0a2bca94403fd",
        "0d8a346d0fe00a4f",
        "05d910d9eb30c265",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "EfficientNetV2L",
        {"input_shape": (32, 32, 3), "include_top": False},
        "efficientnetv2-l",
        895,
        434,
        117746848,
        "39fa952768ad4a10",
        "156f902e6f36d40a",
        "1764c00a2f467737",
        marks=pytest.mark.slow,
    ),
    (
        "ConvNeXtTiny",
        {"input_shape": (32, 32, 3), "classes": 7, "classifier_activation": None},
        "convnext_tiny",
        182,
        0,
        27825511,
        "817efa4dff2a5064",
        "c0b2b5ba125b1994",
        "b71370efd7aa570b",
    ),
    pytest.param(
        "ConvNeXtTiny",
        {"input_shape": (64, 32, 3), "include_top": False, "pooling": "avg"},
        "convnext_tiny",
        180,
        0,
        27820128,
        "0ac17dee86cd5de5",
        "c210a992ddbd4589",
        "f4fb32d4b3272aed",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "ConvNeXtTiny",
        {"input_shape": (32, 32, 3), "include_top": False, "include_preprocessing": False},
        "convnext_tiny",
        180,
        0,
        27820128,
        "24349ac5181b02e8",
        "6a624c507fcd669f",
        "f4fb32d4b3272aed",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "ConvNeXtSmall",
        {"input_shape": (32, 32, 3), "include_top": False, "pooling": "max"},
        "convnext_small",
        342,
        0,
        49454688,
        "a2af6991bfa01183",
        "2d17c5acbfd7f89b",
        "4154f4ae9bf756a7",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "ConvNeXtBase",
        {"input_shape": (32, 32, 3), "classes": 5},
        "convnext_base",
        344,
        0,
        87571589,
        "1f2d2c965e7c289e",
        "c5b7c3dc25732f6e",
        "a45afa68510d19da",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "ConvNeXtLarge",
        {"input_shape": (32, 32, 3), "include_top": False, "pooling": "avg"},
        "convnext_large",
        342,
        0,
        196230336,
        "02e3cd8d862047aa",
        "c37c2cc0224819d0",
        "97d8addddda88cab",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "ConvNeXtXLarge",
        {"input_shape": (32, 32, 3), "include_top": False, "pooling": "avg"},
        "convnext_xlarge",
        342,
        0,
        348147968,
        "49d9840069a72777",
        "ab1fcdb948f86d3b",
        "6ba905fb4967ad30",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "InceptionResNetV2",
        {"input_shape": (75, 75, 3), "classes": 7, "classifier_activation": None},
        "inception_resnet_v2",
        490,
        408,
        54347495,
        "178abe9ecc3e4fe3",
        "594f7c9ef736132d",
        "b3a38f691e418b43",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "InceptionResNetV2",
        {"input_shape": (83, 91, 3), "include_top": False, "pooling": "avg"},
        "inception_resnet_v2",
        488,
        408,
        54336736,
        "c9c17d93da02bec8",
        "59bec8d696584411",
        "254e1e0199878995",
        marks=pytest.mark.slow,
    ),
    (
        "NASNetMobile",
        {"input_shape": (32, 32, 3), "classes": 7, "classifier_activation": None},
        "NASNet",
        742,
        384,
        4277115,
        "664f606adb3f340e",
        "e7a55a2ac9cacacc",
        "8ad0fb0c8c7e9ef5",
    ),
    pytest.param(
        "NASNetMobile",
        {"input_shape": (48, 40, 3), "include_top": False, "pooling": "avg"},
        "NASNet",
        740,
        384,
        4269716,
        "8c797ffe488f8463",
        "b6ceee72ce769eb1",
        "11bf04ec8ab1cc53",
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "NASNetLarge",
        {"input_shape": (32, 32, 3), "include_top": False, "pooling": "max"},
        "NASNet",
        1016,
        528,
        84916818,
        "657d97cd653b2fa8",
        "98f6f6173903f2a2",
        "0a9d275f96e4f26f",
        marks=pytest.mark.slow,
    ),
]


def _fingerprint(value) -> str:
    return hashlib.md5(json.dumps(value).encode()).hexdigest()[:16]


def _weight_name(model, weight) -> str:
    # Known difference (outside this package): tork names the weights of a layer inside a
    # nested Sequential model (ConvNeXt's stem and downsampling blocks) with the Sequential's
    # name in front ('convnext_tiny_stem/convnext_tiny_stem_conv/kernel:0'); Keras 2 leaves
    # it out. Files load by layer and position, so they are not affected.
    nested = {layer.name for layer in model.layers if isinstance(layer, keras.Sequential)}
    first, _, rest = weight.name.partition("/")
    return rest if first in nested and rest.count("/") else weight.name


@pytest.mark.parametrize(
    "arch, kwargs, name, trainable, non_trainable, params, layers, shapes, weights",
    KERAS2,
    ids=[
        f"{(row.values if hasattr(row, 'values') else row)[0]}-{i}" for i, row in enumerate(KERAS2)
    ],
)
def test_same_structure_as_tf_keras(
    arch, kwargs, name, trainable, non_trainable, params, layers, shapes, weights
):
    keras.backend.clear_session()
    model = getattr(keras.applications, arch)(weights=None, **kwargs)
    assert model.name == name
    assert len(model.trainable_weights) == trainable
    assert len(model.non_trainable_weights) == non_trainable
    assert model.count_params() == params
    assert type(model.layers[0]).__name__ == "InputLayer"
    # The fingerprints leave out Keras 2's op layers (tests/keras/models/test_tf_op_lambda.py
    # checks the whole list).
    body = [layer for layer in model.layers[1:] if "OpLambda" not in type(layer).__name__]
    assert _fingerprint([[layer.name, type(layer).__name__] for layer in body]) == layers
    assert _fingerprint([list(layer.output_shape) for layer in body]) == shapes
    assert _fingerprint([[_weight_name(model, w), list(w.shape)] for w in model.weights]) == weights


def _weights(model, rng):
    # Deterministic weights, scaled (He) so that activations neither vanish nor explode.
    values = []
    for w in model.weights:
        name, shape = w.name, tuple(w.shape)
        if "variance" in name:
            v = rng.uniform(0.5, 1.5, shape)
        elif "moving_mean" in name:
            v = rng.normal(0, 0.05, shape)
        elif "gamma" in name:
            v = rng.uniform(0.8, 1.2, shape)
        elif "mean" in name or "beta" in name or "bias" in name:
            v = rng.normal(0, 0.05, shape)
        else:
            # Depthwise kernels (kh, kw, channels, 1) see kh * kw inputs per output.
            depthwise = len(shape) == 4 and shape[-1] == 1
            fan = shape[0] * shape[1] if depthwise else int(np.prod(shape[:-1]))
            v = rng.normal(0, np.sqrt(2.0 / fan), shape)
        values.append(np.asarray(v, "float32"))
    return values


# (arch, kwargs, start, outputs start..start+3 of image 0, of image 1, std of all outputs),
# from tf_keras.
PREDICTIONS = [
    (
        "MobileNetV3Small",
        {"input_shape": (32, 32, 3), "classes": 5, "classifier_activation": None},
        0,
        [-0.1368, 0.1508, -0.0049, 0.1732],
        [-0.1359, 0.1557, -0.0054, 0.1672],
        0.1316,
    ),
    (
        "EfficientNetV2B0",
        {"input_shape": (32, 32, 3), "include_top": False, "pooling": "avg"},
        0,
        [-0.0068, -0.0165, 7.8022, -0.012],
        [-0.0, -0.0, 17.1549, 1.3225],
        6.14,
    ),
    (
        "ConvNeXtTiny",
        {"input_shape": (32, 32, 3), "classes": 5, "classifier_activation": None},
        0,
        [0.2306, 1.5598, -1.7956, -0.8725],
        [-0.3509, 0.12, -3.843, 0.6262],
        1.4328,
    ),
    pytest.param(
        "InceptionResNetV2",
        {"input_shape": (75, 75, 3), "include_top": False, "pooling": "avg"},
        0,
        [7.4007, 0.0, 8.1618, 5.9545],
        [7.1895, 0.0, 8.8611, 5.4307],
        7.0328,
        marks=pytest.mark.slow,
    ),
    pytest.param(
        "NASNetMobile",
        {"input_shape": (32, 32, 3), "include_top": False, "pooling": "avg"},
        5,
        [161.4446, 40.5534, 0.0, 81.4613],
        [133.8195, 47.4387, 0.0, 77.5431],
        82.8575,
        marks=pytest.mark.slow,
    ),
]


@pytest.mark.parametrize("arch, kwargs, start, first, second, std", PREDICTIONS)
def test_predictions_match_tf_keras(arch, kwargs, start, first, second, std):
    keras.backend.clear_session()
    model = getattr(keras.applications, arch)(weights=None, **kwargs)
    rng = np.random.RandomState(0)
    model.set_weights(_weights(model, rng))
    x = rng.uniform(0, 255, (2,) + tuple(model.input_shape[1:])).astype("float32")
    if arch in ("InceptionResNetV2", "NASNetMobile"):
        x = keras.applications.inception_resnet_v2.preprocess_input(x)
    y = np.asarray(model.predict(x, verbose=0))
    scale = max(1.0, float(np.abs(y).max()))
    np.testing.assert_allclose(y[0, start : start + 4], first, atol=2e-4 * scale)
    np.testing.assert_allclose(y[1, start : start + 4], second, atol=2e-4 * scale)
    np.testing.assert_allclose(y.std(), std, atol=2e-4 * scale)


_BASE = "https://storage.googleapis.com/tensorflow/keras-applications/"


@pytest.mark.parametrize(
    "build, path, file_hash",
    [
        (
            lambda: keras.applications.MobileNetV3Small(input_shape=(224, 224, 3)),
            "mobilenet_v3/weights_mobilenet_v3_small_224_1.0_float.h5",
            "8768d4c2e7dee89b9d02b2d03d65d862",
        ),
        (
            lambda: keras.applications.MobileNetV3Large(
                input_shape=(224, 224, 3), include_top=False, minimalistic=True
            ),
            "mobilenet_v3/weights_mobilenet_v3_large_minimalistic_224_1.0_float_no_top_v2.h5",
            "ec5221f64a2f6d1ef965a614bdae7973",
        ),
        (
            lambda: keras.applications.EfficientNetV2B0(include_top=False, input_shape=(32, 32, 3)),
            "efficientnet_v2/efficientnetv2-b0_notop.h5",
            "893217f2bb855e2983157299931e43ff",
        ),
        (
            lambda: keras.applications.ConvNeXtTiny(include_top=False, input_shape=(32, 32, 3)),
            "convnext/convnext_tiny_notop.h5",
            "d547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1",
        ),
        (
            lambda: keras.applications.InceptionResNetV2(
                include_top=False, input_shape=(75, 75, 3)
            ),
            "inception_resnet_v2/inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5",
            "d19885ff4a710c122648d3b5c3b684e4",
        ),
        (
            lambda: keras.applications.NASNetMobile(include_top=False, input_shape=(32, 32, 3)),
            "nasnet/NASNet-mobile-no-top.h5",
            "1ed92395b5b598bdda52abe5c0dbfd63",
        ),
    ],
)
def test_imagenet_weights_use_the_keras_file_names(monkeypatch, build, path, file_hash):
    # Offline, 'imagenet' asks keras.utils.get_file for Keras's own file (so a file in the
    # Keras cache, ~/.keras/models/, is found); the download error names the URL.
    calls = []

    def fake_get_file(name, origin, **kwargs):
        calls.append((name, origin, kwargs))
        raise OSError(f"URL fetch failure on {origin}")

    monkeypatch.setattr(imagenet_utils, "_get_file", fake_get_file)
    with pytest.raises(OSError, match="URL fetch failure"):
        build()
    name, origin, kwargs = calls[0]
    assert origin == _BASE + path
    # NASNet caches its files under names of its own, as Keras does.
    assert name == {"NASNet-mobile-no-top.h5": "nasnet_mobile_no_top.h5"}.get(
        path.split("/")[1], path.split("/")[1]
    )
    assert kwargs == {"cache_subdir": "models", "file_hash": file_hash}


def test_imagenet_weights_load_from_the_keras_cache(tmp_path, monkeypatch):
    # A file of the published name and layout in the Keras cache is loaded (by layer name
    # and position, as Keras 2 .h5 weight files are).
    from tork.keras.applications import efficientnet_v2

    keras.backend.clear_session()
    source = keras.applications.EfficientNetV2B0(
        input_shape=(32, 32, 3), include_top=False, weights=None
    )
    rng = np.random.RandomState(1)
    source.set_weights(_weights(source, rng))
    cached = tmp_path / "models" / "efficientnetv2-b0_notop.h5"
    cached.parent.mkdir(parents=True)
    source.save_weights(str(cached))
    data = cached.read_bytes()
    monkeypatch.setitem(
        efficientnet_v2.WEIGHTS_HASHES, "b0", ("unused", hashlib.md5(data).hexdigest())
    )
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    model = keras.applications.EfficientNetV2B0(
        input_shape=(32, 32, 3), include_top=False, weights="imagenet"
    )
    x = rng.uniform(0, 255, (1, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), source.predict(x, verbose=0), atol=1e-5)


def test_mobilenet_v3_argument_checks():
    with pytest.raises(ValueError, match="alpha can be one of `0.75`, `1.0` for non minimalistic"):
        keras.applications.MobileNetV3Small(alpha=0.5)
    with pytest.raises(ValueError, match="alpha can be one of .*`1.0` for minimalistic only"):
        keras.applications.MobileNetV3Large(alpha=0.75, minimalistic=True)
    with pytest.raises(ValueError, match="Input size must be at least 32x32"):
        keras.applications.MobileNetV3Small(weights=None, input_shape=(31, 64, 3))
    with pytest.raises(ValueError, match="`classes` should be 1000"):
        keras.applications.MobileNetV3Small(classes=10)


def test_mobilenet_v3_any_input_size_input_tensor_and_summary():
    keras.backend.clear_session()
    # With the top too, the input size is free (the classifier is 1x1 convolutions).
    model = keras.applications.MobileNetV3Small(weights=None, classes=3, name="small")
    assert model.name == "small"
    assert model.input_shape == (None, None, None, 3)
    assert model.predict(np.zeros((1, 40, 56, 3)), verbose=0).shape == (1, 3)
    inputs = keras.Input((48, 48, 3))
    model = keras.applications.MobileNetV3Large(
        weights=None, input_tensor=inputs, include_top=False, include_preprocessing=False
    )
    assert model.inputs[0] is inputs
    assert model.output_shape == (None, 2, 2, 960)
    assert "rescaling" not in [layer.name for layer in model.layers]
    lines = []
    model.summary(print_fn=lines.append)
    # Keras 2 lists the hard sigmoid's operators as TFOpLambda rows, numbered across the
    # session (the MobileNetV3Small above took the first names).
    text = "\n".join(lines)
    assert re.search(r"tf\.__operators__\.add_\d+ \(T", text)  # the column wraps after it
    assert re.search(r"tf\.math\.multiply_\d+ \(TFOp", text)
    assert "Total params: 2996352" in text.replace(",", "")


def test_convnext_and_inception_resnet_arguments():
    keras.backend.clear_session()
    # Keras 2's first argument is the model name (also the layer-name prefix); Keras 3's
    # keyword is `name`.
    model = keras.applications.ConvNeXtTiny(
        "tiny", include_top=False, weights=None, input_shape=(32, 32, 3)
    )
    assert model.name == "tiny" and model.layers[2].name == "tiny_stem"
    model = keras.applications.ConvNeXtTiny(
        name="t2", include_top=False, weights=None, input_shape=(32, 32, 3)
    )
    assert model.name == "t2"
    with pytest.raises(ValueError, match="Pass the model name once"):
        keras.applications.ConvNeXtTiny("a", name="b", weights=None)
    with pytest.raises(ValueError, match=r"Unknown argument\(s\): \{'foo': 1\}"):
        keras.applications.InceptionResNetV2(weights=None, foo=1)
    with pytest.raises(ValueError, match="does not support the Keras 2 `layers` argument"):
        keras.applications.InceptionResNetV2(weights=None, layers=keras.layers)


def test_convnext_layers_in_training():
    from tork.keras.applications.convnext import LayerScale, StochasticDepth

    x = np.ones((64, 2, 2, 3), "float32")
    scale = LayerScale(0.5, 3)
    np.testing.assert_allclose(np.asarray(scale(x)), 0.5 * x)
    assert [w.name for w in scale.weights][0].endswith("gamma:0")
    drop = StochasticDepth(0.25)
    np.testing.assert_allclose(np.asarray(drop(x)), x)
    y = np.asarray(drop(x, training=True))
    # Each example is either dropped whole or scaled by 1 / (1 - rate).
    per_example = y.reshape(64, -1)
    dropped, kept = np.isclose(per_example, 0.0), np.isclose(per_example, 1 / 0.75)
    assert (dropped | kept).all() and dropped.any() and kept.any()
    assert (per_example.min(axis=1) == per_example.max(axis=1)).all()
    assert StochasticDepth(0.25).get_config()["drop_path_rate"] == 0.25


def test_module_functions():
    x = np.array([[[[0.0, 127.5, 255.0]]]], "float32")
    for module in ("mobilenet_v3", "efficientnet_v2", "convnext"):
        mod = getattr(keras.applications, module)
        assert mod.preprocess_input(x) is x
        assert mod.decode_predictions is imagenet_utils.decode_predictions
    for module in ("inception_resnet_v2", "nasnet"):
        mod = getattr(keras.applications, module)
        np.testing.assert_allclose(mod.preprocess_input(x.copy()), [[[[-1.0, 0.0, 1.0]]]])
        assert mod.decode_predictions is imagenet_utils.decode_predictions


def test_nasnet_arguments_and_channels_first():
    with pytest.raises(ValueError, match="input_shape argument must be static"):
        keras.applications.NASNetMobile(input_shape=(None, None, 3), include_top=False)
    keras.backend.clear_session()
    model = keras.applications.NASNetMobile(
        weights=None, input_shape=(32, 32, 3), classes=3, name="nas"
    )
    assert model.name == "nas" and model.output_shape == (None, 3)
    # NASNet is channels-last only: Keras warns, builds it channels-last (reading the given
    # shape after the channels-first checks, as tf_keras 2.21 does) and restores the setting.
    keras.backend.set_image_data_format("channels_first")
    try:
        with pytest.warns(UserWarning, match="only available for the input data format"):
            model = keras.applications.NASNetMobile(
                weights=None, include_top=False, input_shape=(3, 32, 32)
            )
        assert keras.backend.image_data_format() == "channels_first"
    finally:
        keras.backend.set_image_data_format("channels_last")
    assert model.input_shape == (None, 3, 32, 32)
    assert model.output_shape == (None, 1, 1, 1056)


def test_custom_scale_layer_is_registered_as_in_keras(tmp_path):
    # Keras 2 registers InceptionResNetV2's residual layer as "Custom>CustomScaleLayer", the
    # name its saved configs carry.
    from tork.keras.applications.inception_resnet_v2 import CustomScaleLayer
    from tork.keras.saving.object_registration import get_registered_object

    assert get_registered_object("Custom>CustomScaleLayer") is CustomScaleLayer
    a, b = keras.Input((2,)), keras.Input((2,))
    model = keras.Model([a, b], CustomScaleLayer(0.5)([a, b]))
    path = str(tmp_path / "m.h5")
    model.save(path)
    loaded = keras.models.load_model(path)
    out = loaded.predict([np.ones((1, 2)), np.full((1, 2), 4.0)], verbose=0)
    np.testing.assert_allclose(out, [[3.0, 3.0]])
