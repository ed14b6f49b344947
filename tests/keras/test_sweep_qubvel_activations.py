"""Custom activations registered under a package name survive get_config round trips.

`register_keras_serializable(package="P")` saves a function as 'P>name'. tork's layer
configs named it by its bare `__name__`, so `Dense.from_config(layer.get_config())` and
`clone_model` failed ("Unknown activation 'pact'"); tf_keras 2.21 finds it again (its
config holds 'P>pact'). The second test passes as written on tf_keras 2.21.
"""

import numpy as np

import tork as tf
from tork.keras import activations

keras = tf.keras


@keras.utils.register_keras_serializable(package="QubvelSweep")
def doubled(x):
    return x * 2.0


KERNEL = np.array([[0.5, -1.0], [0.25, 2.0], [-0.5, 0.0]], "float32")
X = np.array([[1.0, 2.0, 3.0]], "float32")


def test_registered_function_serializes_under_its_registered_name():
    # tf_keras 2.21 writes the same name inside a dict: {"module": "builtins", "class_name":
    # "function", "config": "QubvelSweep>doubled", "registered_name": "function"}.
    assert activations.serialize(doubled) == "QubvelSweep>doubled"
    assert activations.deserialize("QubvelSweep>doubled") is doubled
    keras2 = {"class_name": "function", "config": "QubvelSweep>doubled"}
    assert activations.deserialize(keras2) is doubled

    def unregistered(x):
        return x

    assert activations.serialize(unregistered) == "unregistered"


def test_from_config_and_clone_model_find_the_registered_activation():
    layer = keras.layers.Dense(2, activation=doubled, use_bias=False, name="d")
    assert keras.layers.Dense.from_config(layer.get_config()).activation is doubled
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layer(inputs))
    model.set_weights([KERNEL])
    clone = keras.models.clone_model(model)
    clone.set_weights([KERNEL])
    assert clone.layers[1].activation is doubled
    np.testing.assert_allclose(clone(X).numpy(), 2.0 * (X @ KERNEL))  # [[-0.5, 6.0]]
    assert keras.models.model_from_json(model.to_json()).layers[1].activation is doubled
    act = keras.layers.Activation(doubled)
    assert keras.layers.Activation.from_config(act.get_config()).activation is doubled
