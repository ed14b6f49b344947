"""Keras 2's op layers: tf ops and operators on functional-API tensors in `model.layers`.

The expected layer lists, names, configs, shapes and counts were printed by tf_keras 2.21
(`TF_USE_LEGACY_KERAS=1`, `import tf_keras as keras`) running the same code after
`keras.backend.clear_session()`, and are held here as constants.
"""

import hashlib
import json

import numpy as np
import pytest

import tork as tf
from tork import keras
from tork.keras.layers.core.tf_op_lambda import SlicingOpLambda, TFOpLambda

L = keras.layers


def _kinds(model) -> list:
    return [[layer.name, type(layer).__name__] for layer in model.layers]


def _mixed_model():
    x = keras.Input((8,), name="x")
    h = L.Dense(6, name="d")(x)
    a = tf.nn.relu(h)
    b = h * 2.0
    c = a + b
    d = tf.concat([a, c, h[:, :1]], axis=-1)
    e = tf.math.reduce_sum(d, axis=-1, keepdims=True)
    return keras.Model(x, L.Dense(1, name="out")(e), name="m1")


# tf_keras 2.21's `model.layers` of `_mixed_model()`, then of the model of
# `test_op_layers_are_named_across_the_session` (built after it in the same session).
TF_MIXED = [
    ["x", "InputLayer"],
    ["d", "Dense"],
    ["tf.nn.relu", "TFOpLambda"],
    ["tf.math.multiply", "TFOpLambda"],
    ["tf.__operators__.add", "TFOpLambda"],
    ["tf.__operators__.getitem", "SlicingOpLambda"],
    ["tf.concat", "TFOpLambda"],
    ["tf.math.reduce_sum", "TFOpLambda"],
    ["out", "Dense"],
]
TF_SECOND = [
    ["x2", "InputLayer"],
    ["tf.nn.relu_1", "TFOpLambda"],
    ["tf.math.subtract", "TFOpLambda"],
    ["tf.nn.relu_2", "TFOpLambda"],
    ["tf.__operators__.getitem_1", "SlicingOpLambda"],
    ["tf.__operators__.add_1", "TFOpLambda"],
    ["tf.math.multiply_1", "TFOpLambda"],
    ["tf.math.negative", "TFOpLambda"],
]


def test_ops_are_layers_in_keras2_order_with_keras2_names():
    keras.backend.clear_session()
    model = _mixed_model()
    assert _kinds(model) == TF_MIXED
    relu = model.get_layer("tf.nn.relu")
    assert isinstance(relu, TFOpLambda) and isinstance(relu, keras.layers.Layer)
    assert relu is model.layers[2]
    assert relu.function is tf.nn.relu and relu.symbol == "nn.relu"
    assert isinstance(model.get_layer("tf.__operators__.getitem"), SlicingOpLambda)
    # tf_keras 2.21's get_config() of each op layer.
    configs = {
        layer.name: layer.get_config()  # its dtype policy compares equal to "float32"
        for layer in model.layers[2:-1]
    }
    base = {"trainable": True, "dtype": "float32"}
    assert configs == {
        "tf.nn.relu": {"name": "tf.nn.relu", **base, "function": "nn.relu"},
        "tf.math.multiply": {"name": "tf.math.multiply", **base, "function": "math.multiply"},
        "tf.__operators__.add": {
            "name": "tf.__operators__.add",
            **base,
            "function": "__operators__.add",
        },
        "tf.__operators__.getitem": {
            "name": "tf.__operators__.getitem",
            **base,
            "function": "__operators__.getitem",
        },
        "tf.concat": {"name": "tf.concat", **base, "function": "concat"},
        "tf.math.reduce_sum": {
            "name": "tf.math.reduce_sum",
            **base,
            "function": "math.reduce_sum",
        },
    }
    concat = model.get_layer("tf.concat")
    assert concat.input_shape == [(None, 6), (None, 6), (None, 1)]
    assert concat.output_shape == (None, 13)
    assert [tuple(t.shape) for t in concat.input] == [(None, 6), (None, 6), (None, 1)]
    assert tuple(concat.output.shape) == (None, 13)
    assert model.get_layer("tf.__operators__.getitem").output_shape == (None, 1)
    for layer in model.layers[2:-1]:
        assert layer.trainable_weights == [] and layer.weights == []
        assert layer.count_params() == 0
    # Weights and torch submodules are the real layers' alone.
    assert len(model.weights) == 4
    assert sorted(name for name, _ in model.named_children()) == ["layers"]
    assert len(list(model.modules())) == 2 + 3  # the model, its layer container, x, d, out


def test_op_layers_are_named_across_the_session():
    keras.backend.clear_session()
    _mixed_model()
    x2 = keras.Input((4,), name="x2")
    y = tf.nn.relu(x2) - 1.0
    y = tf.nn.relu(y)
    y = y[:, 1:3]
    y = 1.0 + y
    y = tf.math.multiply(y, y)
    model = keras.Model(x2, -y, name="m2")
    assert _kinds(model) == TF_SECOND
    assert model.get_layer("tf.__operators__.add_1").input_shape == ()  # `1.0 + y`: a constant
    keras.backend.clear_session()
    x = keras.Input((4,))
    assert keras.Model(x, tf.nn.relu(x)).layers[1].name == "tf.nn.relu"


def test_nested_models_reused_ops_and_op_outputs():
    keras.backend.clear_session()
    x = keras.Input((4,), name="x")
    a = tf.nn.relu(x)
    b = tf.nn.relu(a * 2.0)
    c = tf.concat([a, b], axis=-1)
    d = tf.reshape(c, (-1, 2, 4))
    inner = keras.Model(x, tf.reduce_mean(d, axis=1), name="inner")
    y = keras.Input((4,), name="y")
    z = tf.math.maximum(inner(y), inner(tf.math.abs(y)))
    outer = keras.Model(y, tf.nn.softmax(L.Dense(2, name="head")(z)), name="outer")
    # tf_keras 2.21:
    assert _kinds(inner) == [
        ["x", "InputLayer"],
        ["tf.nn.relu", "TFOpLambda"],
        ["tf.math.multiply", "TFOpLambda"],
        ["tf.nn.relu_1", "TFOpLambda"],
        ["tf.concat", "TFOpLambda"],
        ["tf.reshape", "TFOpLambda"],
        ["tf.math.reduce_mean", "TFOpLambda"],
    ]
    assert _kinds(outer) == [
        ["y", "InputLayer"],
        ["tf.math.abs", "TFOpLambda"],
        ["inner", "Functional"],
        ["tf.math.maximum", "TFOpLambda"],
        ["head", "Dense"],
        ["tf.nn.softmax", "TFOpLambda"],
    ]
    assert outer.output_names == ["tf.nn.softmax"]
    assert outer.get_layer("tf.math.maximum").input_shape == (None, 4)
    data = np.random.default_rng(0).normal(size=(3, 4)).astype("float32")
    out = outer.predict(data, verbose=0)
    np.testing.assert_allclose(out.sum(axis=-1), np.ones(3), rtol=1e-6)


def test_output_names_of_op_outputs():
    keras.backend.clear_session()
    i1 = keras.Input((3,), name="i1")
    t = L.Dense(3, name="dd")(i1)
    w = tf.split(t, 3, axis=-1)
    model = keras.Model(i1, [w[0], w[2], t * 3.0, tf.nn.relu(t)], name="m4")
    # tf_keras 2.21:
    assert model.output_names == ["tf.split", "tf.split_1", "tf.math.multiply", "tf.nn.relu"]


def test_fine_tuning_by_index_and_trainable_on_op_layers():
    keras.backend.clear_session()
    model = _mixed_model()
    for layer in model.layers[:3]:  # `base_model.layers[:fine_tune_at]`
        layer.trainable = False
    # tf_keras 2.21: the flags, and the trainable weights left (out's kernel and bias).
    assert [layer.trainable for layer in model.layers] == [False] * 3 + [True] * 6
    assert len(model.trainable_weights) == 2
    for layer in model.layers:
        layer.trainable = False  # harmless on op layers
    assert model.trainable_weights == []
    model.trainable = True
    assert all(layer.trainable for layer in model.layers)
    model.trainable = False  # Keras 2 freezes the op layers too
    assert not any(layer.trainable for layer in model.layers)
    model.trainable = True
    model.compile(optimizer="sgd", loss="mse")
    x = np.ones((4, 8), "float32")
    model.fit(x, np.zeros((4, 1), "float32"), epochs=1, verbose=0)


def test_op_layer_called_directly():
    keras.backend.clear_session()
    model = _mixed_model()
    relu = model.get_layer("tf.nn.relu")
    np.testing.assert_array_equal(
        relu(tf.constant([[-1.0, 2.0]])).numpy(), np.array([[0.0, 2.0]], "float32")
    )
    # On symbolic tensors it adds the op again: one layer, two calls, listed once.
    x = keras.Input((2,))
    y = relu(relu(x) - 1.0)
    model = keras.Model(x, y)
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer",
        "TFOpLambda",
        "TFOpLambda",
    ]
    assert model.layers[1] is relu and len(relu._tork_inbound_nodes) == 3
    np.testing.assert_array_equal(model(tf.constant([[3.0, 0.5]])).numpy(), [[2.0, 0.0]])
    again = TFOpLambda.from_config(relu.get_config())
    assert again.function is tf.nn.relu and again.name == "tf.nn.relu"


def test_names_survive_saving_and_loading(tmp_path):
    keras.backend.clear_session()
    model = _mixed_model()
    names = [layer.name for layer in model.layers]
    data = np.random.default_rng(1).normal(size=(2, 8)).astype("float32")
    expected = model.predict(data, verbose=0)
    copies = [keras.models.model_from_json(model.to_json())]
    for suffix in (".keras", ".h5"):
        model.save(tmp_path / f"m{suffix}")
        copies.append(keras.models.load_model(tmp_path / f"m{suffix}"))
    copies.append(keras.Model.from_config(model.get_config()))
    for copy in copies:
        assert [layer.name for layer in copy.layers] == names
        assert [type(layer).__name__ for layer in copy.layers] == [k for _, k in TF_MIXED]
        copy.set_weights(model.get_weights())
        np.testing.assert_allclose(copy.predict(data, verbose=0), expected, rtol=1e-6)
    # The file's names are now taken: a new op skips them (Keras 2 avoids observed names).
    x = keras.Input((8,))
    assert keras.Model(x, tf.nn.relu(x)).layers[1].name == "tf.nn.relu_1"


def test_keras2_operator_layer_keeps_its_symbol():
    keras.backend.clear_session()
    model = _mixed_model()
    loaded = keras.models.model_from_json(model.to_json())
    add = loaded.get_layer("tf.__operators__.add")
    assert add.symbol == "__operators__.add"
    assert add.get_config()["function"] == "__operators__.add"


def test_sequential_of_functional_and_summary():
    keras.backend.clear_session()
    model = _mixed_model()
    seq = keras.Sequential([model, L.Dense(2, name="d2")])
    assert [layer.name for layer in seq.layers] == ["m1", "d2"]
    assert seq(tf.ones((2, 8))).shape == (2, 2)
    lines = []
    model.summary(print_fn=lines.append)
    rows = [line.split(" (")[0].strip() for line in lines if "(" in line and "Model" not in line]
    assert [r for r in rows if r.startswith("tf.")] == [n for n, _ in TF_MIXED if n[:3] == "tf."]
    clone = keras.models.clone_model(model)
    assert [type(layer).__name__ for layer in clone.layers] == [k for _, k in TF_MIXED]


# `len(model.layers)` of every keras.applications model in tf_keras 2.21 (weights=None,
# default arguments), and how many of them are op layers.
TF_APPLICATION_LAYERS = {
    "ConvNeXtBase": (297, 36),
    "ConvNeXtLarge": (297, 36),
    "ConvNeXtSmall": (297, 36),
    "ConvNeXtTiny": (153, 18),
    "ConvNeXtXLarge": (297, 36),
    "DenseNet121": (429, 0),
    "DenseNet169": (597, 0),
    "DenseNet201": (709, 0),
    "EfficientNetB0": (240, 0),
    "EfficientNetB1": (342, 0),
    "EfficientNetB2": (342, 0),
    "EfficientNetB3": (387, 0),
    "EfficientNetB4": (477, 0),
    "EfficientNetB5": (579, 0),
    "EfficientNetB6": (669, 0),
    "EfficientNetB7": (816, 0),
    "EfficientNetV2B0": (273, 0),
    "EfficientNetV2B1": (337, 0),
    "EfficientNetV2B2": (352, 0),
    "EfficientNetV2B3": (412, 0),
    "EfficientNetV2L": (1031, 0),
    "EfficientNetV2M": (743, 0),
    "EfficientNetV2S": (516, 0),
    "InceptionResNetV2": (782, 0),
    "InceptionV3": (313, 0),
    "MobileNet": (91, 0),
    "MobileNetV2": (156, 0),
    "MobileNetV3Large": (273, 58),
    "MobileNetV3Small": (239, 56),
    "NASNetLarge": (1041, 0),
    "NASNetMobile": (771, 0),
    "ResNet101": (347, 0),
    "ResNet101V2": (379, 0),
    "ResNet152": (517, 0),
    "ResNet152V2": (566, 0),
    "ResNet50": (177, 0),
    "ResNet50V2": (192, 0),
    "VGG16": (23, 0),
    "VGG19": (26, 0),
    "Xception": (134, 0),
}
_FAST = ("MobileNetV3Small", "ConvNeXtTiny", "MobileNet", "VGG16")


def test_every_application_is_covered():
    names = {n for n in dir(keras.applications) if n[0].isupper()}
    assert names == set(TF_APPLICATION_LAYERS)


@pytest.mark.parametrize(
    "arch",
    [a if a in _FAST else pytest.param(a, marks=pytest.mark.slow) for a in TF_APPLICATION_LAYERS],
)
def test_application_layer_counts_match_tf_keras(arch):
    model = getattr(keras.applications, arch)(weights=None)
    ops = [layer for layer in model.layers if isinstance(layer, TFOpLambda)]
    assert (len(model.layers), len(ops)) == TF_APPLICATION_LAYERS[arch]


# md5 (first 16 hex digits) of `json.dumps([[layer.name, type(layer).__name__], ...])` over
# all of `model.layers` in tf_keras 2.21, after clear_session().
TF_APPLICATION_NAMES = {
    "MobileNetV3Small": ({"input_shape": (32, 32, 3), "classes": 7}, 239, "a8dfe63dde3963c4"),
    "ConvNeXtTiny": ({"input_shape": (32, 32, 3), "include_top": False}, 151, "a2f66ccc33183747"),
}


@pytest.mark.parametrize("arch", list(TF_APPLICATION_NAMES))
def test_application_layer_names_and_order_match_tf_keras(arch):
    kwargs, count, digest = TF_APPLICATION_NAMES[arch]
    keras.backend.clear_session()
    model = getattr(keras.applications, arch)(weights=None, **kwargs)
    text = json.dumps(_kinds(model))
    assert (len(model.layers), hashlib.md5(text.encode()).hexdigest()[:16]) == (count, digest)


def test_ops_exported_in_several_namespaces_take_tensorflows_name():
    keras.backend.clear_session()
    x = keras.Input((4,))
    y = tf.math.log_softmax(x) + tf.math.softmax(x) + tf.nn.softsign(x)
    # tf_keras 2.21 names them by TensorFlow's canonical name (`tf.nn.softmax`).
    assert [layer.name for layer in keras.Model(x, y).layers] == [
        "input_1",
        "tf.nn.log_softmax",
        "tf.nn.softmax",
        "tf.__operators__.add",
        "tf.nn.softsign",
        "tf.__operators__.add_1",
    ]
