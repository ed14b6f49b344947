import pytest

from tork._backend.errors import TorkNotImplementedError
from tork.keras import optimizers
from tork.keras.optimizers import schedules


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("adam", "Adam"),
        ("sgd", "SGD"),
        ("rmsprop", "RMSprop"),
        ("adagrad", "Adagrad"),
        ("adadelta", "Adadelta"),
        ("adamax", "Adamax"),
        ("nadam", "Nadam"),
        ("adamw", "AdamW"),
        ("lion", "Lion"),
        ("Adam", "Adam"),
        ("RMSprop", "RMSprop"),
        ("SGD", "SGD"),
    ],
)
def test_get_by_name(name, cls):
    assert type(optimizers.get(name)).__name__ == cls


def test_get_instance_and_dict():
    opt = optimizers.Adam()
    assert optimizers.get(opt) is opt
    sgd = optimizers.get({"class_name": "SGD", "config": {"momentum": 0.9}})
    assert isinstance(sgd, optimizers.SGD) and sgd.momentum == 0.9


def test_get_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"Unknown optimizer: 'adamm'.*'adam'.*'rmsprop'.*'sgd'"):
        optimizers.get("adamm")
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: 3"):
        optimizers.get(3)


def test_serialize_deserialize_round_trip():
    opt = optimizers.Adam(
        learning_rate=schedules.ExponentialDecay(0.01, 100, 0.9), beta_1=0.8, amsgrad=True
    )
    data = optimizers.serialize(opt)
    assert data["module"] == "keras.optimizers" and data["class_name"] == "Adam"
    assert data["registered_name"] is None
    clone = optimizers.deserialize(data)
    assert isinstance(clone, optimizers.Adam)
    assert clone.get_config() == opt.get_config()


def test_deserialize_unknown():
    with pytest.raises(ValueError, match=r"Unknown optimizer: 'Foo'. Valid names are \["):
        optimizers.deserialize({"class_name": "Foo", "config": {}})


def test_legacy_and_experimental_aliases():
    # The legacy classes are the Keras optimizers plus Keras 2's `decay` (test_legacy.py).
    assert issubclass(optimizers.legacy.Adam, optimizers.Adam)
    assert issubclass(optimizers.legacy.SGD, optimizers.SGD)
    assert optimizers.legacy.Adam.__name__ == "Adam"
    assert optimizers.experimental.AdamW is optimizers.AdamW
    # tf_keras 2.21 also has `optimizers.experimental.Ftrl`.
    assert optimizers.experimental.Ftrl is optimizers.Ftrl


def test_unimplemented_optimizer_is_named():
    with pytest.raises(TorkNotImplementedError, match=r"tf.keras.optimizers.MultiOptimizer"):
        optimizers.MultiOptimizer  # noqa: B018
    with pytest.raises(TorkNotImplementedError, match=r"tf.keras.optimizers.legacy.Lamb"):
        optimizers.legacy.Lamb  # noqa: B018
