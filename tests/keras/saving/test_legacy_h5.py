"""Keras 2 `.h5` files, written here with h5py in the documented Keras 2 layout."""

import json

import h5py
import numpy as np
import pytest

from tork import keras
from tork.keras.saving import KerasFileError

RNG = np.random.default_rng(5)
W1 = RNG.normal(size=(3, 4)).astype("float32")
B1 = RNG.normal(size=(4,)).astype("float32")
GAMMA = RNG.uniform(0.5, 1.5, size=(4,)).astype("float32")
BETA = RNG.normal(size=(4,)).astype("float32")
MEAN = RNG.normal(size=(4,)).astype("float32")
VAR = RNG.uniform(0.5, 2.0, size=(4,)).astype("float32")
W2 = RNG.normal(size=(4, 2)).astype("float32")
B2 = RNG.normal(size=(2,)).astype("float32")
X = RNG.normal(size=(5, 3)).astype("float32")


def _expected(x):
    hidden = x @ W1 + B1
    normed = (hidden - MEAN) / np.sqrt(VAR + 1e-3) * GAMMA + BETA
    return normed @ W2 + B2


def _names(values):
    return np.array([v.encode("utf8") for v in values])


def _write_layers(group, layers):
    """layers: [(layer name, [(weight name, array)])] in Keras 2's layout."""
    group.attrs["backend"] = b"tensorflow"
    group.attrs["keras_version"] = b"2.15.0"
    group.attrs["layer_names"] = _names([name for name, _ in layers])
    for name, weights in layers:
        layer_group = group.create_group(name)
        layer_group.attrs["weight_names"] = (
            _names([w for w, _ in weights]) if weights else np.array([], dtype=np.float64)
        )
        for weight_name, value in weights:
            layer_group.create_dataset(weight_name, data=value)


KERAS2_LAYERS = [
    ("input_1", []),
    ("dense", [("dense/kernel:0", W1), ("dense/bias:0", B1)]),
    (
        "batch_normalization",
        [
            ("batch_normalization/gamma:0", GAMMA),
            ("batch_normalization/beta:0", BETA),
            ("batch_normalization/moving_mean:0", MEAN),
            ("batch_normalization/moving_variance:0", VAR),
        ],
    ),
    ("dense_1", [("dense_1/kernel:0", W2), ("dense_1/bias:0", B2)]),
]


def _model():
    return keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(4, name="first"),
            keras.layers.BatchNormalization(name="norm"),
            keras.layers.Dense(2, name="last"),
        ]
    )


def test_weights_by_topology(tmp_path):
    path = tmp_path / "w.h5"
    with h5py.File(path, "w") as f:
        _write_layers(f, KERAS2_LAYERS)
    model = _model()
    model.load_weights(path)
    np.testing.assert_allclose(model.predict(X, verbose=0), _expected(X), rtol=1e-5, atol=1e-5)


def test_weights_by_name_skips_other_layers(tmp_path):
    path = tmp_path / "w.h5"
    other_w = np.ones((4, 2), "float32")
    with h5py.File(path, "w") as f:
        _write_layers(
            f,
            [
                ("last", [("last/kernel:0", other_w), ("last/bias:0", B2)]),
                ("unrelated", [("unrelated/kernel:0", np.ones((7, 7), "float32"))]),
                ("first", [("first/kernel:0", W1), ("first/bias:0", B1)]),
            ],
        )
    model = _model()
    norm_before = model.layers[1].get_weights()
    model.load_weights(path, by_name=True)
    np.testing.assert_array_equal(model.layers[0].get_weights()[0], W1)
    np.testing.assert_array_equal(model.layers[2].get_weights()[0], other_w)
    for a, b in zip(norm_before, model.layers[1].get_weights()):
        np.testing.assert_array_equal(a, b)


def test_topology_mismatch_names_layers(tmp_path):
    path = tmp_path / "w.h5"
    with h5py.File(path, "w") as f:
        _write_layers(f, KERAS2_LAYERS[:2])
    model = _model()
    before = model.get_weights()
    with pytest.raises(
        KerasFileError,
        match=r"3 layer\(s\) with weights \['first', 'norm', 'last'\] but the file has 1 "
        r"\['dense'\].*by_name=True",
    ):
        model.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_shape_mismatch_names_layer(tmp_path):
    path = tmp_path / "w.h5"
    layers = list(KERAS2_LAYERS)
    layers[1] = ("dense", [("dense/kernel:0", np.ones((5, 4), "float32")), ("dense/bias:0", B1)])
    with h5py.File(path, "w") as f:
        _write_layers(f, layers)
    with pytest.raises(
        KerasFileError,
        match=r"Dense layer 'first' \(saved as 'dense'\): weight .* has shape \(3, 4\) in the "
        r"model but \(5, 4\) in the file",
    ):
        _model().load_weights(path)


def test_chunked_layer_names(tmp_path):
    path = tmp_path / "w.h5"
    with h5py.File(path, "w") as f:
        _write_layers(f, KERAS2_LAYERS)
        del f.attrs["layer_names"]
        f.attrs["layer_names0"] = _names(["input_1", "dense"])
        f.attrs["layer_names1"] = _names(["batch_normalization", "dense_1"])
    model = _model()
    model.load_weights(path)
    np.testing.assert_allclose(model.predict(X, verbose=0), _expected(X), rtol=1e-5, atol=1e-5)


def _keras2_dense(name, units, activation="linear"):
    return {
        "class_name": "Dense",
        "config": {
            "name": name,
            "trainable": True,
            "dtype": "float32",
            "units": units,
            "activation": activation,
            "use_bias": True,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
        },
    }


def test_keras2_full_functional_model(tmp_path):
    """A Keras 2 functional model: K2 node format, training config and Adam state."""
    left = {**_keras2_dense("left", 2), "name": "left", "inbound_nodes": [[["input_1", 0, 0, {}]]]}
    right = {
        **_keras2_dense("right", 2, "relu"),
        "name": "right",
        "inbound_nodes": [[["input_1", 0, 0, {}]]],
    }
    add = {
        "class_name": "Add",
        "config": {"name": "add", "trainable": True, "dtype": "float32"},
        "name": "add",
        "inbound_nodes": [[["left", 0, 0, {}], ["right", 0, 0, {}]]],
    }
    model_config = {
        "class_name": "Functional",
        "config": {
            "name": "model",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "config": {
                        "batch_input_shape": [None, 3],
                        "dtype": "float32",
                        "sparse": False,
                        "ragged": False,
                        "name": "input_1",
                    },
                    "name": "input_1",
                    "inbound_nodes": [],
                },
                left,
                right,
                add,
            ],
            "input_layers": [["input_1", 0, 0]],
            "output_layers": [["add", 0, 0]],
        },
    }
    training_config = {
        "loss": "mse",
        "metrics": ["mae"],
        "weighted_metrics": None,
        "loss_weights": None,
        "optimizer_config": {
            "class_name": "Adam",
            "config": {
                "name": "Adam",
                "learning_rate": 0.01,
                "decay": 0.0,
                "beta_1": 0.9,
                "beta_2": 0.999,
                "epsilon": 1e-07,
                "amsgrad": False,
                "jit_compile": False,
                "is_legacy_optimizer": False,
            },
        },
    }
    wl, bl = RNG.normal(size=(3, 2)).astype("float32"), RNG.normal(size=(2,)).astype("float32")
    wr, br = RNG.normal(size=(3, 2)).astype("float32"), RNG.normal(size=(2,)).astype("float32")
    path = tmp_path / "model.h5"
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.15.0"
        f.attrs["model_config"] = json.dumps(model_config).encode()
        f.attrs["training_config"] = json.dumps(training_config).encode()
        _write_layers(
            f.create_group("model_weights"),
            [
                ("input_1", []),
                ("left", [("left/kernel:0", wl), ("left/bias:0", bl)]),
                ("right", [("right/kernel:0", wr), ("right/bias:0", br)]),
                ("add", []),
            ],
        )
        optimizer = f.create_group("optimizer_weights")
        slots = [("iteration:0", np.array(3, "int64"))]
        for layer, shapes in (("left", ((3, 2), (2,))), ("right", ((3, 2), (2,)))):
            for weight, shape in zip(("kernel", "bias"), shapes):
                slots.append((f"Adam/m/{layer}/{weight}:0", np.full(shape, 0.1, "float32")))
                slots.append((f"Adam/v/{layer}/{weight}:0", np.full(shape, 0.2, "float32")))
        optimizer.attrs["weight_names"] = _names([n for n, _ in slots])
        for name, value in slots:
            optimizer.create_dataset(name, data=value)
    model = keras.models.load_model(path)
    expected = X @ wl + bl + np.maximum(X @ wr + br, 0.0)
    np.testing.assert_allclose(model.predict(X, verbose=0), expected, rtol=1e-5, atol=1e-5)
    assert type(model.optimizer).__name__ == "Adam"
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)
    assert int(model.optimizer.iterations) == 3
    momentum = model.optimizer.get_slot(model.get_layer("right").kernel, "momentum")
    np.testing.assert_allclose(momentum.detach().numpy(), 0.1)
    uncompiled = keras.models.load_model(path, compile=False)
    assert not uncompiled.compiled


def test_tork_h5_round_trip(tmp_path, data, make_functional, same_weights):
    keras.backend.clear_session()  # the unnamed Concatenate is then 'concatenate'
    model = make_functional()
    model.compile("adam", "mse")
    x, y = data
    model.fit(x, y, verbose=0, epochs=1, batch_size=8)
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        assert {"backend", "keras_version", "model_config", "training_config"} <= set(f.attrs)
        names = [n.decode() for n in f["model_weights"].attrs["layer_names"]]
        # As in Keras 2, the op `merged * 0.5` is listed too (a TFOpLambda layer there).
        assert names == ["features", "left", "right", "concatenate", "tf.math.multiply", "head"]
        assert [layer.name for layer in model.layers] == names  # op layers too, as Keras 2
        assert "optimizer_weights" in f
    restored = keras.models.load_model(tmp_path / "m.h5")
    np.testing.assert_array_equal(model.predict(x, verbose=0), restored.predict(x, verbose=0))
    assert int(restored.optimizer.iterations) == 4
    model.fit(x, y, verbose=0, epochs=1, batch_size=8, shuffle=False)
    restored.fit(x, y, verbose=0, epochs=1, batch_size=8, shuffle=False)
    assert same_weights(model, restored)


def test_save_weights_h5_writes_keras2_layout(tmp_path, same_weights):
    model = _model()
    model.save_weights(tmp_path / "w.h5")
    with h5py.File(tmp_path / "w.h5", "r") as f:
        assert [n.decode() for n in f.attrs["layer_names"]] == ["first", "norm", "last"]
        assert len(f["norm"].attrs["weight_names"]) == 4
    other = _model()
    other.load_weights(tmp_path / "w.h5")
    assert same_weights(model, other)


def test_weights_only_h5_is_not_a_model(tmp_path):
    _model().save_weights(tmp_path / "w.h5")
    with pytest.raises(KerasFileError, match=r"no model config.*load_weights"):
        keras.models.load_model(tmp_path / "w.h5")


def test_tensorflow_op_layers_load_as_tork_ops(tmp_path):
    model_config = {
        "class_name": "Functional",
        "config": {
            "name": "model",
            "layers": [
                {
                    "class_name": "InputLayer",
                    "config": {"batch_input_shape": [None, 3], "dtype": "float32", "name": "x"},
                    "name": "x",
                    "inbound_nodes": [],
                },
                {
                    "class_name": "TFOpLambda",
                    "config": {"name": "tf.math.multiply", "function": "math.multiply"},
                    "name": "tf.math.multiply",
                    "inbound_nodes": [["x", 0, 0, {"y": 2.0}]],
                },
            ],
            "input_layers": [["x", 0, 0]],
            "output_layers": [["tf.math.multiply", 0, 0]],
        },
    }
    path = tmp_path / "m.h5"
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(model_config).encode()
        _write_layers(f.create_group("model_weights"), [("x", [])])
    model = keras.models.load_model(path)  # x * 2.0 as Keras 2 wrote it: tf.math.multiply
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_array_equal(model.predict(x, verbose=0), 2.0 * x)


def _keras2_sequential_config():
    # As tf_keras 2.21 writes it, plus `build_input_shape` (which Keras 2 writes for models
    # built with `build()`).
    dense = _keras2_dense("dense", 2)
    return {
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "build_input_shape": [None, 3],
            "layers": [
                {
                    "class_name": "InputLayer",
                    "config": {
                        "batch_input_shape": [None, 3],
                        "dtype": "float32",
                        "sparse": False,
                        "ragged": False,
                        "name": "dense_input",
                    },
                },
                dense,
            ],
        },
    }


def test_keras2_legacy_sgd_with_decay_and_nested_metrics(tmp_path):
    """A tf_keras 2.21 .h5 of a model compiled with `legacy.SGD(decay=...)`, metrics ['acc']."""
    training_config = {
        "loss": "mse",
        # Keras 2 writes metrics per output: [["acc"]] for one output.
        "metrics": [
            [
                {
                    "class_name": "MeanMetricWrapper",
                    "config": {"name": "acc", "dtype": "float32", "fn": "binary_accuracy"},
                }
            ]
        ],
        "weighted_metrics": None,
        "loss_weights": None,
        # No `is_legacy_optimizer` flag; `decay` marks the legacy optimizer.
        "optimizer_config": {
            "class_name": "SGD",
            "config": {
                "name": "SGD",
                "learning_rate": 0.1,
                "decay": 0.5,
                "momentum": 0.9,
                "nesterov": False,
            },
        },
    }
    w = RNG.normal(size=(3, 2)).astype("float32")
    b = RNG.normal(size=(2,)).astype("float32")
    path = tmp_path / "model.h5"
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = b"tensorflow"
        f.attrs["keras_version"] = b"2.21.0"
        f.attrs["model_config"] = json.dumps(_keras2_sequential_config()).encode()
        f.attrs["training_config"] = json.dumps(training_config).encode()
        _write_layers(
            f.create_group("model_weights"),
            [("dense", [("dense/kernel:0", w), ("dense/bias:0", b)])],
        )
        group = f.create_group("optimizer_weights")
        slots = [
            ("SGD/iter:0", np.array(4, "int64")),
            ("SGD/dense/kernel/momentum:0", np.full((3, 2), 0.5, "float32")),
            ("SGD/dense/bias/momentum:0", np.full((2,), -0.5, "float32")),
        ]
        group.attrs["weight_names"] = _names([n for n, _ in slots])
        for name, value in slots:
            group.create_dataset(name, data=value)
    model = keras.models.load_model(path)
    np.testing.assert_allclose(model.predict(X, verbose=0), X @ w + b, rtol=1e-5, atol=1e-5)
    optimizer = model.optimizer
    assert type(optimizer) is keras.optimizers.legacy.SGD
    assert float(optimizer.decay) == 0.5 and int(optimizer.iterations) == 4
    # One more step from the restored state: lr 0.1 / (1 + 0.5 * 4), momentum 0.9.
    y = np.zeros((5, 2), "float32")
    model.fit(X, y, batch_size=5, epochs=1, shuffle=False, verbose=0)
    grad_b = (2.0 / 10.0) * (X @ w + b).sum(axis=0)  # d mse / d bias over 5 x 2 values
    expected_b = b + (0.9 * -0.5 - (0.1 / 3.0) * grad_b)
    np.testing.assert_allclose(model.get_layer("dense").bias.numpy(), expected_b, rtol=1e-5)
    assert "acc" in model.history.history


def test_legacy_optimizer_h5_round_trip(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.legacy.Adam(learning_rate=0.01, decay=0.1), loss="mse")
    model.fit(X, np.zeros((5, 2), "float32"), epochs=2, verbose=0)
    model.save(tmp_path / "m.h5")
    loaded = keras.models.load_model(tmp_path / "m.h5")
    assert type(loaded.optimizer) is keras.optimizers.legacy.Adam
    assert float(loaded.optimizer.decay) == pytest.approx(0.1)
    assert int(loaded.optimizer.iterations) == 2


def test_keras2_multi_output_metric_names_are_not_prefixed_twice():
    from tork.keras.saving._compile_config import from_training_config

    def wrapper(name, fn):
        return {"class_name": "MeanMetricWrapper", "config": {"name": name, "fn": fn}}

    # As tf_keras 2.21 writes `metrics=["acc"]` for outputs `cls` and `reg`.
    training_config = {
        "loss": ["categorical_crossentropy", "mse"],
        "metrics": [
            [wrapper("cls_acc", "categorical_accuracy")],
            [wrapper("reg_acc", "binary_accuracy")],
        ],
        "weighted_metrics": {"cls": [wrapper("cls_auc", "auc")], "reg": ["mae"]},
    }
    config = from_training_config(training_config, ["cls", "reg"])
    assert [m[0]["config"]["name"] for m in config["metrics"]] == ["acc", "acc"]
    assert config["weighted_metrics"]["cls"][0]["config"]["name"] == "auc"
    assert config["weighted_metrics"]["reg"] == ["mae"]
    # Single-output files keep their names (there is no prefix) and lose the outer list.
    single = from_training_config({"metrics": [[wrapper("acc", "binary_accuracy")]]}, ["out"])
    assert single["metrics"] == [wrapper("acc", "binary_accuracy")]


def test_keras2_multi_output_h5_logs_keras2_metric_names(tmp_path):
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4)(inputs)
    model = keras.Model(
        inputs,
        [keras.layers.Dense(2, name="cls")(hidden), keras.layers.Dense(1, name="reg")(hidden)],
    )
    model.compile(optimizer="sgd", loss=["mse", "mse"], metrics=["mae"])
    path = tmp_path / "multi.h5"
    model.save(path)
    # Rewrite the training config as tf_keras 2.21 writes it: per-output logged names.
    with h5py.File(path, "r+") as f:
        training = json.loads(f.attrs["training_config"])
        training["metrics"] = [
            [{"class_name": "MeanMetricWrapper", "config": {"name": f"{n}_mae", "fn": "mae"}}]
            for n in ("cls", "reg")
        ]
        f.attrs["training_config"] = json.dumps(training).encode()
    loaded = keras.models.load_model(path)
    history = loaded.fit(
        X, [np.zeros((5, 2), "float32"), np.zeros((5, 1), "float32")], epochs=1, verbose=0
    )
    assert list(history.history) == ["loss", "cls_loss", "reg_loss", "cls_mae", "reg_mae"]


def test_keras2_sequential_config_without_build_shape_is_built_from_its_input_layer():
    # tf_keras 2.21 gives a Sequential's input shape only through its leading InputLayer.
    config = _keras2_sequential_config()
    del config["config"]["build_input_shape"]
    model = keras.Sequential.from_config(config["config"])
    assert model.built and [tuple(w.shape) for w in model.weights] == [(3, 2), (2,)]
    assert model.output_shape == (None, 2)


def test_layer_names_that_are_paths_of_each_other(tmp_path):
    # MobileNetV3 has 'expanded_conv/depthwise/pad' before 'expanded_conv/depthwise'.
    inputs = keras.Input((4,))
    x = keras.layers.Dense(3, name="block/conv/pad")(inputs)
    outputs = keras.layers.Dense(2, name="block/conv")(x)
    model = keras.Model(inputs, outputs)
    model.save_weights(tmp_path / "w.h5")
    model.save(tmp_path / "m.h5")
    other = keras.Model(
        inputs,
        keras.layers.Dense(2, name="block/conv")(
            keras.layers.Dense(3, name="block/conv/pad")(inputs)
        ),
    )
    other.load_weights(tmp_path / "w.h5")
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0))
    restored = keras.models.load_model(tmp_path / "m.h5")
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0))


def test_loading_an_uncompiled_model_warns_as_tf_keras(tmp_path):
    import warnings

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    path = str(tmp_path / "plain.h5")
    model.save(path)
    with pytest.warns(UserWarning, match=r"No training configuration found .* Compile it manually"):
        keras.models.load_model(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        keras.models.load_model(path, compile=False)  # asked for: no warning
