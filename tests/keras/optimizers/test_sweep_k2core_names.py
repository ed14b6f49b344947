"""Keras 2 (tf_keras 2.21) optimizer names (k2core): the class name, for every instance."""

import pytest

from tork import keras

# tf_keras 2.21: `Adam().name == "Adam"`, the same for a second instance (Keras 3 gives
# `adam`, `adam_1`, and `rm_sprop` for RMSprop).
NAMES = ["Adam", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "AdamW"]


@pytest.mark.parametrize("name", NAMES)
def test_default_name_is_the_class_name(name):
    cls = getattr(keras.optimizers, name)
    first, second = cls(), cls()
    assert first.name == name
    assert second.name == name
    assert first.get_config()["name"] == name


def test_compiled_optimizer_from_a_string_is_named_after_its_class():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("rmsprop", "mse")
    assert model.optimizer.name == "RMSprop"
    assert keras.optimizers.get("adam").name == "Adam"


def test_explicit_names_are_kept():
    assert keras.optimizers.Adam(name="adam").name == "adam"  # the Keras 3 spelling
    assert keras.optimizers.SGD(name="my_sgd").get_config()["name"] == "my_sgd"
