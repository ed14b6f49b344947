"""Layer configs (`dtype`) and the Wrapper classes, compared with tf_keras 2.21."""

import json

import numpy as np

import tork as tf

keras = tf.keras
L = keras.layers

MIXED = {
    "module": "keras.mixed_precision",
    "class_name": "Policy",
    "config": {"name": "mixed_float16"},
    "registered_name": None,
}


def test_config_dtype_is_a_plain_string_or_a_policy_dict():
    config = L.Dense(2).get_config()
    assert type(config["dtype"]) is str
    assert config["dtype"] == "float32"
    assert json.dumps(config["dtype"]) == '"float32"'
    assert L.Dense(2, dtype="float64").get_config()["dtype"] == "float64"
    # tf_keras 2.21 writes a mixed precision policy as a serialized Policy.
    mixed = L.Dense(2, dtype="mixed_float16")
    assert mixed.get_config()["dtype"] == MIXED
    again = L.Dense.from_config(json.loads(json.dumps(mixed.get_config())))
    assert again.dtype_policy.name == "mixed_float16"
    assert again.compute_dtype == "float16"
    # The layer's own attribute stays a policy.
    assert mixed.dtype_policy.name == "mixed_float16"


def test_model_to_json_and_user_configs_write_plain_dtypes():
    x = keras.Input((3,))
    y = L.Dense(2, name="dd", dtype="mixed_float16")(L.Dense(2, name="de")(x))
    layers = json.loads(keras.Model(x, y).to_json())["config"]["layers"]
    assert [entry["config"].get("dtype") for entry in layers] == ["float32", "float32", MIXED]

    class Custom(L.Layer):
        def __init__(self, units=1, **kwargs):
            super().__init__(**kwargs)
            self.units = units

        def get_config(self):
            config = super().get_config()
            config["units"] = self.units
            return config

    config = Custom(3, name="c").get_config()
    assert config == {"name": "c", "trainable": True, "dtype": "float32", "units": 3}


def test_time_distributed_and_bidirectional_are_wrappers():
    td = L.TimeDistributed(L.Dense(3, name="tdd"), name="td")
    bi = L.Bidirectional(L.LSTM(2, name="bl"), name="bi")
    assert isinstance(td, L.Wrapper)
    assert isinstance(bi, L.Wrapper)
    assert td.layer.name == "tdd"
    assert bi.layer.name == "bl"
    bi(np.ones((2, 4, 3), "float32"))
    td(np.ones((2, 4, 3), "float32"))
    # tf_keras: the given layer stays unbuilt and untracked; its two copies hold the weights.
    assert bi.layer.built is False
    assert bi.layer is not bi.forward_layer
    assert len(bi.weights) == 6
    assert sorted(bi.get_config()) == ["dtype", "layer", "merge_mode", "name", "trainable"]
    assert sorted(td.get_config()) == ["dtype", "layer", "name", "trainable"]
    td2 = L.TimeDistributed.from_config(td.get_config())
    assert (type(td2).__name__, td2.layer.name, td2.name) == ("TimeDistributed", "tdd", "td")
    bi2 = L.Bidirectional.from_config(bi.get_config())
    names = (bi2.forward_layer.name, bi2.backward_layer.name, bi2.layer.name)
    assert names == ("forward_bl", "backward_bl", "bl")
