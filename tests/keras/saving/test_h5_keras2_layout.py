"""The legacy `.h5` files tork writes follow tf_keras (Keras 2), so tf_keras loads them.

The expected configs, names and attributes below are copied from files that
tf_keras 2.21 (`TF_USE_LEGACY_KERAS=1`, `import tf_keras as keras`) wrote with
`model.save('m.h5')` for the same models (same layer names). Where tork
writes less on purpose, the comment says what was removed and why.
"""

import json

import h5py
import numpy as np
import pytest

import tork
from tork import keras

L = keras.layers


def _dense_config(name, units, activation="linear", **extra):
    """A Dense config as tf_keras 2.21 writes it in an .h5 model_config."""
    config = {"name": name, "trainable": True, "dtype": "float32", **extra}
    config.update(
        {
            "units": units,
            "activation": activation,
            "use_bias": True,
            "kernel_initializer": {
                "module": "keras.initializers",
                "class_name": "GlorotUniform",
                "config": {"seed": None},
                "registered_name": None,
            },
            "bias_initializer": {
                "module": "keras.initializers",
                "class_name": "Zeros",
                "config": {},
                "registered_name": None,
            },
            "kernel_regularizer": None,
            "bias_regularizer": None,
            "activity_regularizer": None,
            "kernel_constraint": None,
            "bias_constraint": None,
        }
    )
    return {"class_name": "Dense", "config": config}


def _input_config(name, shape):
    return {
        "batch_input_shape": [None, *shape],
        "dtype": "float32",
        "sparse": False,
        "ragged": False,
        "name": name,
        "optional": False,
    }


def _sequential():
    return keras.Sequential(
        [L.Dense(4, activation="relu", input_shape=(3,), name="d1"), L.Dense(2, name="d2")],
        name="seq",
    )


def _functional():
    x1 = keras.Input((3,), name="x1")
    x2 = keras.Input((3,), name="x2")
    shared = L.Dense(2, name="shared")
    a, b = shared(x1), shared(x2)
    inner = keras.Sequential(
        [keras.Input((2,), name="inner_in"), L.Dense(2, name="inner_d")], name="inner"
    )
    c = L.Concatenate(name="cat")([inner(a), b])
    return keras.Model(
        [x1, x2], [L.Dense(1, name="o1")(c), L.Activation("sigmoid", name="o2")(b)], name="net"
    )


def _ops():
    # Op layers are named across the session (Keras 2): these are the first of their kind.
    keras.backend.clear_session()
    x = keras.Input((3,), name="x")
    y = L.Dense(3, name="d")(x)
    z = tork.nn.relu(y) * 2.0 + x
    return keras.Model(x, tork.reduce_sum(z, axis=-1, keepdims=True), name="ops")


def _rnn():
    x = keras.Input((4, 3), name="x")
    masked = L.Masking(name="mask")(x)
    a = L.LSTM(3, return_sequences=True, name="lstm")(masked)
    return keras.Model(x, L.Bidirectional(L.GRU(2, name="gru"), name="bi")(a), name="rnn")


SEQUENTIAL_CONFIG = {
    "class_name": "Sequential",
    "config": {
        "name": "seq",
        "layers": [
            {"class_name": "InputLayer", "config": _input_config("d1_input", (3,))},
            _dense_config("d1", 4, "relu", batch_input_shape=[None, 3]),
            _dense_config("d2", 2),
        ],
    },
}


def _node(*references):
    return [[*reference, {}] for reference in references]


def _in_model(entry, name, nodes):
    return {**entry, "name": name, "inbound_nodes": nodes}


FUNCTIONAL_CONFIG = {
    "class_name": "Functional",
    "config": {
        "name": "net",
        "trainable": True,
        "layers": [
            _in_model({"class_name": "InputLayer", "config": _input_config("x1", (3,))}, "x1", []),
            _in_model(
                _dense_config("shared", 2),
                "shared",
                [_node(["x1", 0, 0]), _node(["x2", 0, 0])],
            ),
            _in_model({"class_name": "InputLayer", "config": _input_config("x2", (3,))}, "x2", []),
            _in_model(
                {
                    "class_name": "Sequential",
                    "config": {
                        "name": "inner",
                        "layers": [
                            {
                                "class_name": "InputLayer",
                                "config": _input_config("inner_in", (2,)),
                            },
                            _dense_config("inner_d", 2),
                        ],
                    },
                },
                "inner",
                [_node(["shared", 0, 0])],
            ),
            # The nested model's call is its node 1 (node 0 is its own graph).
            _in_model(
                {
                    "class_name": "Concatenate",
                    "config": {"name": "cat", "trainable": True, "dtype": "float32", "axis": -1},
                },
                "cat",
                [_node(["inner", 1, 0], ["shared", 1, 0])],
            ),
            _in_model(_dense_config("o1", 1), "o1", [_node(["cat", 0, 0])]),
            _in_model(
                {
                    "class_name": "Activation",
                    "config": {
                        "name": "o2",
                        "trainable": True,
                        "dtype": "float32",
                        "activation": "sigmoid",
                    },
                },
                "o2",
                [_node(["shared", 1, 0])],
            ),
        ],
        "input_layers": [["x1", 0, 0], ["x2", 0, 0]],
        "output_layers": [["o1", 0, 0], ["o2", 0, 0]],
    },
}


def _op_entry(name, function, node):
    return {
        "class_name": "TFOpLambda",
        "config": {"name": name, "trainable": True, "dtype": "float32", "function": function},
        "name": name,
        "inbound_nodes": [node],
    }


# tf_keras also writes `"name": null` into these nodes' kwargs (the ops' own `name`
# argument, left at None); tork leaves it out, which reads the same.
OPS_LAYERS = [
    _op_entry("tf.nn.relu", "nn.relu", ["d", 0, 0, {}]),
    _op_entry("tf.math.multiply", "math.multiply", ["tf.nn.relu", 0, 0, {"y": 2.0}]),
    _op_entry(
        "tf.__operators__.add", "__operators__.add", ["tf.math.multiply", 0, 0, {"y": ["x", 0, 0]}]
    ),
    _op_entry(
        "tf.math.reduce_sum",
        "math.reduce_sum",
        ["tf.__operators__.add", 0, 0, {"axis": -1, "keepdims": True}],
    ),
]

# tf_keras also writes "time_major": false and "implementation": 2 here; tork leaves them
# out because Keras 3, which reads these files too, rejects them (tf_keras has defaults).
LSTM_CONFIG = {
    "name": "lstm",
    "trainable": True,
    "dtype": "float32",
    "return_sequences": True,
    "return_state": False,
    "go_backwards": False,
    "stateful": False,
    "unroll": False,
    "units": 3,
    "activation": "tanh",
    "recurrent_activation": "sigmoid",
    "use_bias": True,
    "kernel_initializer": {
        "module": "keras.initializers",
        "class_name": "GlorotUniform",
        "config": {"seed": None},
        "registered_name": None,
    },
    "recurrent_initializer": {
        "module": "keras.initializers",
        "class_name": "Orthogonal",
        "config": {"gain": 1.0, "seed": None},
        "registered_name": None,
    },
    "bias_initializer": {
        "module": "keras.initializers",
        "class_name": "Zeros",
        "config": {},
        "registered_name": None,
    },
    "unit_forget_bias": True,
    "kernel_regularizer": None,
    "recurrent_regularizer": None,
    "bias_regularizer": None,
    "activity_regularizer": None,
    "kernel_constraint": None,
    "recurrent_constraint": None,
    "bias_constraint": None,
    "dropout": 0.0,
    "recurrent_dropout": 0.0,
}


def _save(model, path, **kwargs):
    model.save(path, **kwargs)
    return h5py.File(path, "r")


def _text(value):
    return value.decode("utf8") if isinstance(value, bytes) else value


def _strings(values):
    return [_text(v) for v in np.atleast_1d(values)] if len(np.atleast_1d(values)) else []


def _weight_names(f, group="model_weights"):
    g = f[group]
    return {
        name: _strings(g[name].attrs["weight_names"]) for name in _strings(g.attrs["layer_names"])
    }


# -- the layout, against tf_keras's files ------------------------------------------------------


def test_sequential_model_config_is_keras2s(tmp_path):
    model = _sequential()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    with _save(model, tmp_path / "m.h5") as f:
        assert _text(f.attrs["backend"]) == "tensorflow"
        assert _text(f.attrs["keras_version"]) == "2.21.0"
        assert json.loads(_text(f.attrs["model_config"])) == SEQUENTIAL_CONFIG
        # A Sequential model lists its layers without the InputLayer.
        assert _weight_names(f) == {
            "d1": ["d1/kernel:0", "d1/bias:0"],
            "d2": ["d2/kernel:0", "d2/bias:0"],
        }
        assert _strings(f["model_weights/top_level_model_weights"].attrs["weight_names"]) == []
        assert f["model_weights/d1/d1/kernel:0"].shape == (3, 4)


def test_sequential_from_input_lists_its_input_layer(tmp_path):
    model = keras.Sequential([keras.Input((5,), dtype="int32", name="tokens"), L.Embedding(10, 3)])
    with _save(model, tmp_path / "m.h5") as f:
        layers = json.loads(_text(f.attrs["model_config"]))["config"]["layers"]
    # As tf_keras 2.21 writes Sequential([Input((5,), dtype="int32"), Embedding(10, 3)]).
    assert layers[0] == {
        "class_name": "InputLayer",
        "config": {**_input_config("tokens", (5,)), "dtype": "int32"},
    }
    assert layers[1]["config"]["batch_input_shape"] == [None, None]
    assert layers[1]["config"]["input_length"] is None


def test_functional_model_config_is_keras2s(tmp_path):
    model = _functional()
    with _save(model, tmp_path / "m.h5") as f:
        assert json.loads(_text(f.attrs["model_config"])) == FUNCTIONAL_CONFIG
        assert _weight_names(f) == {
            "x1": [],
            "shared": ["shared/kernel:0", "shared/bias:0"],
            "x2": [],
            "inner": ["inner_d/kernel:0", "inner_d/bias:0"],
            "cat": [],
            "o1": ["o1/kernel:0", "o1/bias:0"],
            "o2": [],
        }


def test_tf_ops_become_tfoplambda_layers(tmp_path):
    with _save(_ops(), tmp_path / "m.h5") as f:
        config = json.loads(_text(f.attrs["model_config"]))["config"]
        assert config["layers"][2:] == OPS_LAYERS
        assert config["input_layers"] == [["x", 0, 0]]
        assert config["output_layers"] == [["tf.math.reduce_sum", 0, 0]]
        # Keras 2 lists its TFOpLambda layers among the model's layers, without weights.
        assert _strings(f["model_weights"].attrs["layer_names"]) == [
            "x",
            "d",
            "tf.nn.relu",
            "tf.math.multiply",
            "tf.__operators__.add",
            "tf.math.reduce_sum",
        ]


def test_recurrent_and_masking_configs(tmp_path):
    with _save(_rnn(), tmp_path / "m.h5") as f:
        layers = json.loads(_text(f.attrs["model_config"]))["config"]["layers"]
        assert layers[1] == {
            "class_name": "Masking",
            "config": {"name": "mask", "trainable": True, "dtype": "float32", "mask_value": 0.0},
            "name": "mask",
            "inbound_nodes": [[["x", 0, 0, {}]]],
        }
        assert layers[2] == {
            "class_name": "LSTM",
            "config": LSTM_CONFIG,
            "name": "lstm",
            "inbound_nodes": [[["mask", 0, 0, {}]]],
        }
        assert layers[3]["class_name"] == "Bidirectional"
        # Keras 3's `seed` is not an argument of tf_keras's recurrent layers.
        assert "seed" not in layers[3]["config"]["layer"]["config"]
        assert _weight_names(f)["bi"] == [
            "bi/forward_gru/gru_cell/kernel:0",
            "bi/forward_gru/gru_cell/recurrent_kernel:0",
            "bi/forward_gru/gru_cell/bias:0",
            "bi/backward_gru/gru_cell/kernel:0",
            "bi/backward_gru/gru_cell/recurrent_kernel:0",
            "bi/backward_gru/gru_cell/bias:0",
        ]


def test_custom_layer_is_named_by_its_registered_name(tmp_path):
    @keras.saving.register_keras_serializable(package="H5Layout")
    class Twice(L.Layer):
        def call(self, x):
            return x * 2.0

    x = keras.Input((3,), name="x")
    model = keras.Model(x, Twice(name="twice")(x))
    with _save(model, tmp_path / "m.h5") as f:
        layers = json.loads(_text(f.attrs["model_config"]))["config"]["layers"]
    assert layers[1] == {
        "class_name": "H5Layout>Twice",
        "config": {"name": "twice", "trainable": True, "dtype": "float32"},
        "name": "twice",
        "inbound_nodes": [[["x", 0, 0, {}]]],
    }


def test_mixed_precision_policy_is_a_policy_object(tmp_path):
    x = keras.Input((3,), name="x")
    model = keras.Model(x, L.Dense(2, dtype="mixed_float16", name="d")(x))
    with _save(model, tmp_path / "m.h5") as f:
        dense = json.loads(_text(f.attrs["model_config"]))["config"]["layers"][1]
    # As tf_keras 2.21 writes Dense(2, dtype="mixed_float16").
    assert dense["config"]["dtype"] == {
        "module": "keras.mixed_precision",
        "class_name": "Policy",
        "config": {"name": "mixed_float16"},
        "registered_name": None,
    }
    loaded = keras.models.load_model(tmp_path / "m.h5")
    assert loaded.get_layer("d").get_config()["dtype"] == dense["config"]["dtype"]
    assert loaded.get_layer("d").dtype_policy.name == "mixed_float16"


def test_call_arguments_after_the_first_become_keyword_arguments(tmp_path):
    query = keras.Input((4, 3), name="q")
    value = keras.Input((5, 3), name="v")
    out = L.MultiHeadAttention(2, 4, name="mha")(query, value)
    with _save(keras.Model([query, value], out), tmp_path / "m.h5") as f:
        entry = json.loads(_text(f.attrs["model_config"]))["config"]["layers"][2]
    # As tf_keras 2.21 writes MultiHeadAttention(2, 4)(q, v): tf_keras's from_config needs
    # the build shapes.
    assert entry["inbound_nodes"] == [[["q", 0, 0, {"value": ["v", 0, 0]}]]]
    assert entry["config"]["query_shape"] == [None, 4, 3]
    assert entry["config"]["key_shape"] == [None, 5, 3]
    assert entry["config"]["value_shape"] == [None, 5, 3]
    assert entry["config"]["softmax_robust_masking"] is False


def test_slicing_becomes_slicingoplambda(tmp_path):
    x = keras.Input((4, 3), name="x")
    y = L.Dense(2, name="d")(x)
    with _save(keras.Model(x, [y[:, 0], y[..., 1:2]]), tmp_path / "m.h5") as f:
        layers = json.loads(_text(f.attrs["model_config"]))["config"]["layers"]
    # As tf_keras 2.21 writes y[:, 0] and y[..., 1:2].
    assert [(e["class_name"], e["config"]["function"], e["inbound_nodes"]) for e in layers[2:]] == [
        (
            "SlicingOpLambda",
            "__operators__.getitem",
            [["d", 0, 0, {"slice_spec": [{"start": None, "stop": None, "step": None}, 0]}]],
        ),
        (
            "SlicingOpLambda",
            "__operators__.getitem",
            [
                [
                    "d",
                    0,
                    0,
                    {
                        "slice_spec": [
                            {"class_name": "__ellipsis__"},
                            {"start": 1, "stop": 2, "step": None},
                        ]
                    },
                ]
            ],
        ),
    ]


def test_training_config_and_optimizer_weights_are_keras2s(tmp_path):
    model = _functional()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    x = [np.ones((4, 3), "float32"), np.full((4, 3), 0.5, "float32")]
    model.fit(x, [np.zeros((4, 1)), np.zeros((4, 2))], verbose=0)
    with _save(model, tmp_path / "m.h5") as f:
        training = json.loads(_text(f.attrs["training_config"]))
        # tf_keras 2.21 writes this optimizer_config (class "Custom>Adam"); without
        # `is_legacy_optimizer: false` it would read it as a legacy optimizer.
        assert training["optimizer_config"] == {
            "class_name": "Custom>Adam",
            "config": {
                "name": "Adam",
                "weight_decay": None,
                "clipnorm": None,
                "global_clipnorm": None,
                "clipvalue": None,
                "use_ema": False,
                "ema_momentum": 0.99,
                "ema_overwrite_frequency": None,
                "jit_compile": False,
                "is_legacy_optimizer": False,
                "learning_rate": pytest.approx(0.01),
                "beta_1": 0.9,
                "beta_2": 0.999,
                "epsilon": 1e-07,
                "amsgrad": False,
            },
        }
        assert set(training) == {
            "loss",
            "metrics",
            "weighted_metrics",
            "loss_weights",
            "optimizer_config",
        }
        names = _strings(f["optimizer_weights"].attrs["weight_names"])
        # The learning rate is no variable of Keras 2's optimizers.
        assert names == [
            "iteration:0",
            "Adam/m/shared/kernel:0",
            "Adam/v/shared/kernel:0",
            "Adam/m/shared/bias:0",
            "Adam/v/shared/bias:0",
            "Adam/m/inner_d/kernel:0",
            "Adam/v/inner_d/kernel:0",
            "Adam/m/inner_d/bias:0",
            "Adam/v/inner_d/bias:0",
            "Adam/m/o1/kernel:0",
            "Adam/v/o1/kernel:0",
            "Adam/m/o1/bias:0",
            "Adam/v/o1/bias:0",
        ]
        assert int(f["optimizer_weights/iteration:0"][()]) == 1


def test_unbuilt_optimizer_writes_only_its_iterations(tmp_path):
    model = _sequential()
    model.compile(optimizer="adam", loss="mse")
    with _save(model, tmp_path / "m.h5") as f:
        assert _strings(f["optimizer_weights"].attrs["weight_names"]) == ["iteration:0"]


@pytest.mark.parametrize(
    "make, names, config",
    [
        (
            lambda: keras.optimizers.legacy.Adam(0.01, decay=0.1),
            [
                "Adam/iter:0",
                "Adam/dense/kernel/m:0",
                "Adam/dense/bias/m:0",
                "Adam/dense/kernel/v:0",
                "Adam/dense/bias/v:0",
            ],
            {
                "name": "Adam",
                "decay": 0.1,
                "beta_1": 0.9,
                "beta_2": 0.999,
                "epsilon": 1e-07,
                "amsgrad": False,
            },
        ),
        (
            lambda: keras.optimizers.legacy.SGD(0.1, momentum=0.9),
            ["SGD/iter:0", "SGD/dense/kernel/momentum:0", "SGD/dense/bias/momentum:0"],
            {"name": "SGD", "decay": 0.0, "momentum": 0.9, "nesterov": False},
        ),
        (
            lambda: keras.optimizers.legacy.RMSprop(momentum=0.5, centered=True),
            [
                "RMSprop/iter:0",
                "RMSprop/dense/kernel/rms:0",
                "RMSprop/dense/bias/rms:0",
                "RMSprop/dense/kernel/momentum:0",
                "RMSprop/dense/bias/momentum:0",
                "RMSprop/dense/kernel/mg:0",
                "RMSprop/dense/bias/mg:0",
            ],
            {
                "name": "RMSprop",
                "decay": 0.0,
                "rho": 0.9,
                "momentum": 0.5,
                "epsilon": 1e-07,
                "centered": True,
            },
        ),
    ],
)
def test_legacy_optimizers_keep_keras2s_legacy_layout(tmp_path, make, names, config):
    model = keras.Sequential([keras.Input((3,)), L.Dense(2, name="dense")])
    optimizer = make()
    model.compile(optimizer=optimizer, loss="mse")
    data = np.arange(12, dtype="float32").reshape(4, 3)
    model.fit(data, np.ones((4, 2)), epochs=2, verbose=0)
    with _save(model, tmp_path / "m.h5") as f:
        # As tf_keras 2.21 writes them: slot by slot, named `<optimizer>/<variable>/<slot>`.
        assert _strings(f["optimizer_weights"].attrs["weight_names"]) == names
        optimizer_config = json.loads(_text(f.attrs["training_config"]))["optimizer_config"]
        assert optimizer_config["class_name"] == config["name"]
        assert {k: optimizer_config["config"][k] for k in config} == pytest.approx(config)
        assert "is_legacy_optimizer" not in optimizer_config["config"]
    loaded = keras.models.load_model(tmp_path / "m.h5")
    assert type(loaded.optimizer) is type(optimizer)
    assert int(loaded.optimizer.iterations) == 2
    # The slots come back to the variables they belong to, by name.
    saved = {id(v): np.asarray(v) for v in optimizer.variables}
    for before, after in zip(optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_allclose(np.asarray(after), saved[id(before)])


# -- round trips ---------------------------------------------------------------------------


def _inputs(model):
    rng = np.random.default_rng(3)
    shapes = [tuple(t.shape) for t in model.inputs]
    arrays = [rng.normal(size=(2, *s[1:])).astype("float32") for s in shapes]
    return arrays if len(arrays) > 1 else arrays[0]


@pytest.mark.parametrize("make", [_sequential, _functional, _ops, _rnn])
def test_round_trip_keeps_predictions_and_optimizer_state(tmp_path, make):
    model = make()
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    x = _inputs(model)
    y = model.predict(x, verbose=0)
    model.fit(x, y, verbose=0)
    before = model.predict(x, verbose=0)
    model.save(tmp_path / "m.h5")
    loaded = keras.models.load_model(tmp_path / "m.h5")
    after = loaded.predict(x, verbose=0)
    if not isinstance(before, list):
        before, after = [before], [after]
    assert len(after) == len(before)
    for a, b in zip(before, after):
        np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-6)
    assert int(loaded.optimizer.iterations) == 1
    for a, b in zip(model.optimizer.variables, loaded.optimizer.variables):
        np.testing.assert_allclose(np.asarray(b), np.asarray(a))


def test_add_loss_branch_round_trip(tmp_path):
    keras.backend.clear_session()  # the layer names below are the first of their kind
    x = keras.Input((3,), name="x")
    y = L.Dense(2, name="d")(x)
    model = keras.Model(x, y)
    model.add_loss(tork.reduce_mean(y) * 0.1)
    model.compile(optimizer="adam", loss="mse")
    model.save(tmp_path / "m.h5")
    with h5py.File(tmp_path / "m.h5", "r") as f:
        layers = json.loads(_text(f.attrs["model_config"]))["config"]["layers"]
    # As tf_keras 2.21 writes the branch: a TFOpLambda chain ending in an AddLoss layer.
    assert [e["class_name"] for e in layers] == [
        "InputLayer",
        "Dense",
        "TFOpLambda",
        "TFOpLambda",
        "AddLoss",
    ]
    assert layers[4]["config"] == {
        "name": "add_loss",
        "trainable": True,
        "dtype": "float32",
        "unconditional": False,
    }
    loaded = keras.models.load_model(tmp_path / "m.h5")
    data = np.ones((2, 3), "float32")
    loaded.set_weights(model.get_weights())
    expected = model.evaluate(data, np.zeros((2, 2)), verbose=0)
    assert loaded.evaluate(data, np.zeros((2, 2)), verbose=0) == pytest.approx(expected)


def test_subclassed_models_cannot_be_saved_as_h5(tmp_path):
    class Net(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.dense = L.Dense(2)

        def call(self, x):
            return self.dense(x)

    model = Net()
    model(np.ones((1, 3), "float32"))
    # Keras 2's message (tork cannot reload such a file either: the config alone does not
    # create the layers the weights belong to).
    with pytest.raises(NotImplementedError, match="requires the model to be a Functional model"):
        model.save(tmp_path / "m.h5")
    assert not (tmp_path / "m.h5").exists()
    model.save_weights(tmp_path / "w.h5")  # weights alone are fine, as in Keras 2


def test_keras3_style_configs_written_by_older_tork_still_load(tmp_path):
    from tork.keras.saving import legacy_h5
    from tork.keras.saving.keras_archive import serialize_model

    model = _functional()
    entry = serialize_model(model)
    # Earlier tork versions wrote the Keras 3 config (batch_shape, {args, kwargs} nodes).
    with h5py.File(tmp_path / "old.h5", "w") as f:
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = "3.15.1"
        f.attrs["model_config"] = json.dumps(
            {"class_name": entry["class_name"], "config": entry["config"]}
        )
        legacy_h5.write_model_weights(f.create_group("model_weights"), model)
    assert "batch_shape" in json.dumps(entry["config"])
    loaded = keras.models.load_model(tmp_path / "old.h5")
    x = _inputs(model)
    for a, b in zip(model.predict(x, verbose=0), loaded.predict(x, verbose=0)):
        np.testing.assert_allclose(b, a, rtol=1e-6)


# -- to_json ---------------------------------------------------------------------------------


def test_to_json_is_keras2s(tmp_path):
    model = keras.Sequential([keras.Input((3,), name="x"), L.Dense(2, name="d")], name="s")
    text = model.to_json()
    config = json.loads(text)
    # As tf_keras 2.21's to_json() writes it: Keras 2 configs in entries that also hold
    # module / registered_name / build_config, and no compile config.
    dense = _dense_config("d", 2)
    assert config == {
        "class_name": "Sequential",
        "config": {
            "name": "s",
            "layers": [
                {
                    "module": "keras.layers",
                    "class_name": "InputLayer",
                    "config": _input_config("x", (3,)),
                    "registered_name": None,
                },
                {
                    "module": "keras.layers",
                    "class_name": "Dense",
                    "config": dense["config"],
                    "registered_name": None,
                    "build_config": {"input_shape": [None, 3]},
                },
            ],
        },
        "keras_version": "2.21.0",
        "backend": "tensorflow",
    }
    clone = keras.models.model_from_json(text)
    assert [layer.name for layer in clone.layers] == ["d"]


def test_model_from_json_reads_keras2_and_keras3_json():
    from tork.keras.saving.serialization import serialize_keras_object

    model = _ops()
    x = _inputs(model)
    for text in (model.to_json(), json.dumps(serialize_keras_object(model))):
        clone = keras.models.model_from_json(text)
        clone.set_weights(model.get_weights())
        np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0))


def _triple(t):
    return t * 3


def test_lambda_layers_use_keras2_function_fields_in_h5(tmp_path):
    # tf_keras's Lambda reads `function` as (code, defaults, closure) or a name, with
    # `function_type`/`module` (it raised KeyError 'function_type' on Keras 3's form).
    x = keras.Input((2,))
    y = keras.layers.Lambda(lambda t: t * 2 + 1, output_shape=(2,), name="lam")(x)
    z = keras.layers.Lambda(_triple, name="named")(y)
    model = keras.Model(x, z)
    path = str(tmp_path / "m.h5")
    model.save(path)
    with h5py.File(path) as f:
        layers = {
            entry["config"]["name"]: entry["config"]
            for entry in json.loads(f.attrs["model_config"])["config"]["layers"]
        }
    lam, named = layers["lam"], layers["named"]
    assert lam["function_type"] == "lambda" and len(lam["function"]) == 3
    assert isinstance(lam["function"][0], str) and lam["module"] == __name__
    assert lam["output_shape"] == [2] and lam["output_shape_type"] == "raw"
    assert named["function"] == "_triple" and named["function_type"] == "function"
    assert named["module"] == __name__ and named["output_shape_type"] == "raw"
    loaded = keras.models.load_model(path, safe_mode=False, custom_objects={"_triple": _triple})
    np.testing.assert_allclose(loaded.predict(np.ones((1, 2)), verbose=0), [[9.0, 9.0]])
