"""`.keras` files written by Keras 2.13+ (tf.keras) load into tork.

There is no tf-keras here, so each test writes a small archive by hand in
the layout Keras 2's zip saver uses:

- `metadata.json`: `{"keras_version": "2.13.1", "date_saved": ...}`;
- `config.json`: the model serialized by Keras 2's `serialize_keras_object`:
  `{"module", "class_name", "config", "registered_name"}` with public classes
  under `keras.layers` / `keras.initializers` / `keras.optimizers`, the
  functional model as module `keras.engine.functional` (2.12) or
  `keras.src.engine.functional` (2.13+) with registered name `Functional`,
  dtypes as plain strings, `batch_input_shape` on InputLayer (and on the
  first layer of a Sequential built with `input_shape=`), `inbound_nodes` as
  `[[[layer, node, tensor, kwargs], ...]]`, `input_layers`/`output_layers` as
  `[[layer, node, tensor]]`, BatchNormalization's `axis` as a list, and
  Keras 2 optimizer configs (`is_legacy_optimizer`, `jit_compile`, ...);
- `model.weights.h5`: Keras 2's saver walks the model like Keras 3's, so
  objects in the `layers` list are named after the snake_case of their class
  (`layers/dense_1/vars/0`), not after the layer name. The optimizer's
  variables are `optimizer/vars/0..n`: the iteration, then (m, v) per
  trainable weight, with no learning-rate variable. Compiled models also
  hold the loss/metric trackers under `metrics/<class>/vars`.

Predictions are checked against a NumPy forward pass with the weights the
test wrote.
"""

import json
import zipfile

import numpy as np
import pytest

pytest.importorskip("h5py")
import h5py  # noqa: E402

from tork import keras  # noqa: E402

RNG = np.random.default_rng(11)


def _initializer(name):
    return {
        "module": "keras.initializers",
        "class_name": name,
        "config": {"seed": None} if name.startswith("Glorot") else {},
        "registered_name": None,
    }


def _layer(class_name, config, name=None, inbound=None):
    """A Keras 2 layer entry; `inbound` (list of input layer names) makes it functional."""
    entry = {
        "module": "keras.layers",
        "class_name": class_name,
        "config": {"name": config.get("name", name), "trainable": True, "dtype": "float32"}
        | config,
        "registered_name": None,
    }
    if inbound is not None:
        entry["name"] = entry["config"]["name"]
        entry["inbound_nodes"] = [[[source, 0, 0, {}] for source in inbound]] if inbound else []
    return entry


def _dense(name, units, activation="linear", inbound=None, **extra):
    config = {
        "name": name,
        "units": units,
        "activation": activation,
        "use_bias": True,
        "kernel_initializer": _initializer("GlorotUniform"),
        "bias_initializer": _initializer("Zeros"),
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
        **extra,
    }
    return _layer("Dense", config, inbound=inbound)


def _input_layer(name, shape, functional=True):
    config = {
        "batch_input_shape": [None, *shape],
        "dtype": "float32",
        "sparse": False,
        "ragged": False,
        "name": name,
    }
    entry = {
        "module": "keras.layers",
        "class_name": "InputLayer",
        "config": config,
        "registered_name": None,
    }
    if functional:
        entry["name"] = name
        entry["inbound_nodes"] = []
    return entry


def _functional(name, layers, inputs, outputs, module="keras.src.engine.functional"):
    return {
        "module": module,
        "class_name": "Functional",
        "config": {
            "name": name,
            "trainable": True,
            "layers": layers,
            "input_layers": [[i, 0, 0] for i in inputs],
            "output_layers": [[o, 0, 0] for o in outputs],
        },
        "registered_name": "Functional",
    }


def _adam_compile_config():
    return {
        "optimizer": {
            "module": "keras.optimizers",
            "class_name": "Adam",
            "config": {
                "name": "Adam",
                "weight_decay": None,
                "clipnorm": None,
                "global_clipnorm": None,
                "clipvalue": None,
                "use_ema": False,
                "ema_momentum": 0.99,
                "ema_overwrite_frequency": None,
                "jit_compile": True,
                "is_legacy_optimizer": False,
                "learning_rate": 0.0010000000474974513,
                "beta_1": 0.9,
                "beta_2": 0.999,
                "epsilon": 1e-07,
                "amsgrad": False,
            },
            "registered_name": None,
        },
        "loss": "categorical_crossentropy",
        "metrics": ["accuracy"],
        "loss_weights": None,
        "weighted_metrics": None,
        "run_eagerly": None,
        "steps_per_execution": None,
        "jit_compile": None,
    }


def _object_compile_config():
    """`compile(Adam(...), CategoricalCrossentropy(), [CategoricalAccuracy()])` in Keras 2."""
    config = _adam_compile_config()
    config["loss"] = {
        "module": "keras.losses",
        "class_name": "CategoricalCrossentropy",
        # Keras 2's loss wrappers add `fn`, and call the default reduction 'auto'.
        "config": {
            "reduction": "auto",
            "name": "categorical_crossentropy",
            "from_logits": False,
            "label_smoothing": 0.0,
            "axis": -1,
            "fn": "categorical_crossentropy",
        },
        "registered_name": None,
    }
    config["metrics"] = [
        {
            "module": "keras.metrics",
            "class_name": "CategoricalAccuracy",
            "config": {"name": "categorical_accuracy", "dtype": "float32"},
            "registered_name": None,
        }
    ]
    return config


def _write_keras2(path, config, weights: dict, version="2.13.1"):
    """Writes a Keras 2 `.keras` zip: `weights` maps an object path to its variable list."""
    buffer = path.with_suffix(".h5.tmp")
    with h5py.File(buffer, "w") as f:
        f.create_group("vars")  # the model's own (empty) variables
        for object_path, values in weights.items():
            group = f.require_group(f"{object_path}/vars")
            for index, value in enumerate(values):
                group.create_dataset(str(index), data=value)
    metadata = {"keras_version": version, "date_saved": "2023-08-01@12:00:00"}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps(metadata))
        archive.writestr("config.json", json.dumps(config))
        archive.write(buffer, "model.weights.h5")
    buffer.unlink()
    return path


def _normal(*shape):
    return RNG.normal(size=shape).astype("float32")


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _sequential_config():
    # `Sequential([Dense(8, input_shape=(4,)), ...])` in Keras 2: an InputLayer named
    # '<first layer>_input', and the first layer keeps its batch_input_shape.
    return {
        "module": "keras",
        "class_name": "Sequential",
        "config": {
            "name": "sequential",
            "layers": [
                _input_layer("hidden_input", (4,), functional=False),
                _dense("hidden", 8, "relu", batch_input_shape=[None, 4]),
                _dense("probs", 3, "softmax"),
            ],
        },
        "registered_name": None,
        "build_config": {"input_shape": [None, 4]},
    }


def test_keras2_sequential_dense(tmp_path):
    w1, b1, w2, b2 = _normal(4, 8), _normal(8), _normal(8, 3), _normal(3)
    path = _write_keras2(
        tmp_path / "seq.keras",
        _sequential_config(),
        {"layers/dense": [w1, b1], "layers/dense_1": [w2, b2]},
    )
    model = keras.models.load_model(path)
    assert [layer.name for layer in model.layers] == ["hidden", "probs"]
    x = _normal(5, 4)
    expected = _softmax(np.maximum(x @ w1 + b1, 0) @ w2 + b2)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("compile_config", [_adam_compile_config, _object_compile_config])
def test_keras2_compiled_sequential_restores_the_optimizer(tmp_path, compile_config):
    weights = [_normal(4, 8), _normal(8), _normal(8, 3), _normal(3)]
    slots = [(np.abs(_normal(*w.shape)), np.abs(_normal(*w.shape))) for w in weights]
    config = _sequential_config() | {"compile_config": compile_config()}
    optimizer_values = [np.array(7, "int64")] + [s for pair in slots for s in pair]
    path = _write_keras2(
        tmp_path / "compiled.keras",
        config,
        {
            "layers/dense": weights[:2],
            "layers/dense_1": weights[2:],
            "optimizer": optimizer_values,
            # Keras 2's loss tracker and compiled `accuracy` metric.
            "metrics/mean": [np.array(3.5, "float32"), np.array(7.0, "float32")],
            "metrics/mean_metric_wrapper": [np.array(2.0, "float32"), np.array(7.0, "float32")],
        },
    )
    model = keras.models.load_model(path)
    optimizer = model.optimizer
    assert type(optimizer).__name__ == "Adam"
    assert optimizer.learning_rate.item() == pytest.approx(1e-3)
    assert int(optimizer.iterations.item()) == 7
    # tork's variables: iteration, learning rate, then (m, v) per weight like Keras 2's.
    restored = [v.detach().numpy() for v in optimizer.variables[2:]]
    assert len(restored) == 8
    for got, want in zip(restored, optimizer_values[1:]):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(got, want)
    # Training continues from the restored state: one Adam step (t = 8) by hand.
    x, y = _normal(5, 4), np.eye(3, dtype="float32")[[0, 1, 2, 0, 1]]
    hidden = np.maximum(x @ weights[0] + weights[1], 0)
    probs = _softmax(hidden @ weights[2] + weights[3])
    grad_logits = (probs - y) / len(x)
    grad_w2 = hidden.T @ grad_logits
    m, v = slots[2]
    m = 0.9 * m + 0.1 * grad_w2
    v = 0.999 * v + 0.001 * grad_w2**2
    step = 1e-3 * np.sqrt(1 - 0.999**8) / (1 - 0.9**8)
    expected_w2 = weights[2] - step * m / (np.sqrt(v) + 1e-7)
    model.fit(x, y, batch_size=5, epochs=1, verbose=0)
    assert int(optimizer.iterations.item()) == 8
    np.testing.assert_allclose(model.get_weights()[2], expected_w2, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "module,version",
    [("keras.engine.functional", "2.12.0"), ("keras.src.engine.functional", "2.15.0")],
)
def test_keras2_functional_dense(tmp_path, module, version):
    layers = [
        _input_layer("input_1", (4,)),
        _dense("left", 5, "tanh", inbound=["input_1"]),
        _dense("right", 5, inbound=["input_1"]),
        _layer("Concatenate", {"name": "concatenate", "axis": -1}, inbound=["left", "right"]),
        _dense("head", 2, inbound=["concatenate"]),
    ]
    config = _functional("model", layers, ["input_1"], ["head"], module=module)
    wl, bl, wr, br, wh, bh = (
        _normal(4, 5),
        _normal(5),
        _normal(4, 5),
        _normal(5),
        _normal(10, 2),
        _normal(2),
    )
    path = _write_keras2(
        tmp_path / "functional.keras",
        config,
        {
            "layers/input_layer": [],
            "layers/dense": [wl, bl],
            "layers/dense_1": [wr, br],
            "layers/concatenate": [],
            "layers/dense_2": [wh, bh],
        },
        version=version,
    )
    model = keras.models.load_model(path)
    assert model.name == "model"
    x = _normal(6, 4)
    merged = np.concatenate([np.tanh(x @ wl + bl), x @ wr + br], axis=-1)
    np.testing.assert_allclose(model.predict(x, verbose=0), merged @ wh + bh, rtol=1e-5, atol=1e-5)


def _conv2d_same(x, kernel, bias):
    """3x3, stride 1, 'same' cross-correlation in NHWC."""
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    height, width = x.shape[1:3]
    out = np.zeros((x.shape[0], height, width, kernel.shape[-1]), "float64")
    for i in range(3):
        for j in range(3):
            out += padded[:, i : i + height, j : j + width, :] @ kernel[i, j]
    return out + bias


def test_keras2_conv_batch_norm(tmp_path):
    conv = {
        "name": "conv",
        "filters": 4,
        "kernel_size": [3, 3],
        "strides": [1, 1],
        "padding": "same",
        "data_format": "channels_last",
        "dilation_rate": [1, 1],
        "groups": 1,
        "activation": "linear",
        "use_bias": True,
        "kernel_initializer": _initializer("GlorotUniform"),
        "bias_initializer": _initializer("Zeros"),
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
    }
    batch_norm = {
        "name": "bn",
        # Keras 2 stores the axis it resolved at build time, as a list.
        "axis": [3],
        "momentum": 0.99,
        "epsilon": 0.001,
        "center": True,
        "scale": True,
        "beta_initializer": _initializer("Zeros"),
        "gamma_initializer": _initializer("Ones"),
        "moving_mean_initializer": _initializer("Zeros"),
        "moving_variance_initializer": _initializer("Ones"),
        "beta_regularizer": None,
        "gamma_regularizer": None,
        "beta_constraint": None,
        "gamma_constraint": None,
    }
    layers = [
        _input_layer("image", (6, 6, 3)),
        _layer("Conv2D", conv, inbound=["image"]),
        _layer("BatchNormalization", batch_norm, inbound=["conv"]),
        _layer("Activation", {"name": "relu", "activation": "relu"}, inbound=["bn"]),
        _layer(
            "MaxPooling2D",
            {
                "name": "pool",
                "pool_size": [2, 2],
                "padding": "valid",
                "strides": [2, 2],
                "data_format": "channels_last",
            },
            inbound=["relu"],
        ),
        _layer("Flatten", {"name": "flatten", "data_format": "channels_last"}, inbound=["pool"]),
        _dense("out", 2, inbound=["flatten"]),
    ]
    config = _functional("convnet", layers, ["image"], ["out"])
    kernel, bias = _normal(3, 3, 3, 4), _normal(4)
    gamma, beta = _normal(4), _normal(4)
    mean, variance = _normal(4), np.abs(_normal(4)) + 0.5
    w, b = _normal(36, 2), _normal(2)
    path = _write_keras2(
        tmp_path / "convnet.keras",
        config,
        {
            "layers/input_layer": [],
            "layers/conv2d": [kernel, bias],
            "layers/batch_normalization": [gamma, beta, mean, variance],
            "layers/activation": [],
            "layers/max_pooling2d": [],
            "layers/flatten": [],
            "layers/dense": [w, b],
        },
    )
    model = keras.models.load_model(path)
    x = _normal(2, 6, 6, 3)
    h = _conv2d_same(x.astype("float64"), kernel, bias)
    h = gamma * (h - mean) / np.sqrt(variance + 1e-3) + beta
    h = np.maximum(h, 0)
    h = h.reshape(2, 3, 2, 3, 2, 4).max(axis=(2, 4))
    expected = h.reshape(2, -1) @ w + b
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-4, atol=1e-4)
    # Training mode uses batch statistics; the moving ones stay what the file holds.
    np.testing.assert_array_equal(model.get_layer("bn").get_weights()[2], mean)
