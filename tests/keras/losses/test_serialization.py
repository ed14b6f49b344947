"""keras.losses.get / serialize / deserialize."""

import numpy as np
import pytest

from tork.keras import losses


@pytest.mark.parametrize(
    "name,expected",
    [
        ("mse", losses.mean_squared_error),
        ("MSE", losses.mean_squared_error),
        ("mae", losses.mean_absolute_error),
        ("mape", losses.mean_absolute_percentage_error),
        ("msle", losses.mean_squared_logarithmic_error),
        ("kld", losses.kl_divergence),
        ("categorical_crossentropy", losses.categorical_crossentropy),
        ("sparse_categorical_crossentropy", losses.sparse_categorical_crossentropy),
        ("binary_crossentropy", losses.binary_crossentropy),
        ("huber", losses.huber),
        ("logcosh", losses.log_cosh),
    ],
)
def test_get_function_names(name, expected):
    assert losses.get(name) is expected


def test_get_class_names_instances_callables_and_none():
    obj = losses.get("CategoricalCrossentropy")
    assert isinstance(obj, losses.CategoricalCrossentropy)
    inst = losses.Huber(delta=3.0)
    assert losses.get(inst) is inst
    assert isinstance(losses.get(losses.Hinge), losses.Hinge)

    def custom(y_true, y_pred):
        return y_pred

    assert losses.get(custom) is custom
    assert losses.get(None) is None


def test_get_unknown_name_lists_valid_names():
    with pytest.raises(
        ValueError,
        match=r"Unknown loss 'msee'\. Did you mean 'mse'\? Valid names: .*categorical_crossentropy",
    ):
        losses.get("msee")


def test_get_uninterpretable_identifier():
    with pytest.raises(ValueError, match=r"Could not interpret loss identifier: 3"):
        losses.get(3)


def test_serialize_round_trip_class():
    loss = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    config = losses.serialize(loss)
    assert config["class_name"] == "SparseCategoricalCrossentropy"
    assert config["module"] == "keras.losses"
    assert config["config"]["ignore_class"] == 0
    clone = losses.deserialize(config)
    assert isinstance(clone, losses.SparseCategoricalCrossentropy)
    assert clone.get_config() == loss.get_config()
    assert isinstance(losses.get(config), losses.SparseCategoricalCrossentropy)


def test_serialize_round_trip_function():
    config = losses.serialize(losses.mean_squared_error)
    assert config["class_name"] == "function" and config["config"] == "mean_squared_error"
    assert losses.deserialize(config) is losses.mean_squared_error


def test_deserialize_keras2_format_and_names():
    clone = losses.deserialize({"class_name": "Huber", "config": {"delta": 2.0, "name": "h"}})
    assert isinstance(clone, losses.Huber) and clone.name == "h"
    assert losses.deserialize("mse") is losses.mean_squared_error


def test_deserialize_custom_objects():
    class MyLoss(losses.Loss):
        def call(self, y_true, y_pred):
            return (y_pred - y_true).abs().sum(-1)

    config = losses.serialize(MyLoss(name="mine"))
    assert config["registered_name"] == "MyLoss"
    clone = losses.deserialize(config, custom_objects={"MyLoss": MyLoss})
    assert isinstance(clone, MyLoss) and clone.name == "mine"
    np.testing.assert_allclose(clone([[0.0, 0.0]], [[1.0, -2.0]]).numpy(), 3.0)


def test_deserialize_bad_config_message():
    with pytest.raises(ValueError, match=r"expected a name or a dict with 'class_name'"):
        losses.deserialize({"config": {}})


def test_missing_name_is_not_implemented_error():
    # A TF Addons loss users sometimes look for under tf.keras.losses.
    with pytest.raises(NotImplementedError, match=r"tf\.keras\.losses\.TripletSemiHardLoss"):
        losses.TripletSemiHardLoss  # noqa: B018


def test_function_names_in_class_name_and_plain_classes():
    assert losses.deserialize({"class_name": "mse", "config": {}}) is losses.mean_squared_error

    class Plain:
        pass

    assert isinstance(losses.get(Plain), Plain)


def test_builtins_load_keras_2_configs_with_fn():
    # tf_keras 2.21's BinaryCrossentropy(from_logits=True).get_config(): its loss wrappers
    # add `fn`, the function the class stands for, and call the default reduction 'auto'.
    config = {
        "reduction": "auto",
        "name": "binary_crossentropy",
        "from_logits": True,
        "label_smoothing": 0.0,
        "axis": -1,
        "fn": "binary_crossentropy",
    }
    loss = losses.BinaryCrossentropy.from_config(config)
    assert loss.get_config()["from_logits"] is True
    y, z = np.array([[1.0, 0.0]], np.float32), np.array([[0.3, -2.0]], np.float32)
    expected = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
    np.testing.assert_allclose(loss(y, z).numpy(), expected, rtol=1e-6)
    wrapped = {"module": "keras.losses", "class_name": "Huber", "registered_name": None}
    wrapped["config"] = {"reduction": "auto", "name": "huber", "delta": 2.0, "fn": "huber"}
    huber = losses.deserialize(wrapped)
    assert isinstance(huber, losses.Huber) and huber.get_config()["delta"] == 2.0
