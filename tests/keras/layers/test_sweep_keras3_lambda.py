"""Lambda layers over functions registered with `register_keras_serializable` (Keras 3's
serialization guide): saved by registered name, so they load in safe mode.

Reference: Keras 3.15 writes `{'module': 'builtins', 'class_name': 'function', 'config':
'my_package>custom_fn', 'registered_name': 'function'}` for such a function and loads it
by that name; the model below then gives [[9.0, 9.0]] for ones.
"""

import numpy as np

from tork import keras


def _registered_square():
    # Defined inside a function (as in the guide's code cells run in a function): not
    # findable by module and name, only by its registered name.
    @keras.saving.register_keras_serializable(package="sweep_keras3", name="square")
    def square(x):
        return x**2

    return square


def test_registered_function_is_saved_by_name_and_loads_in_safe_mode(tmp_path):
    square = _registered_square()
    layer = keras.layers.Lambda(square)
    config = layer.get_config()
    assert config["function"]["class_name"] == "function"
    assert config["function"]["config"] == "sweep_keras3>square"
    assert keras.layers.Lambda.from_config(config).function is square

    inputs = keras.Input((3,))
    dense = keras.layers.Dense(2, kernel_initializer="ones")
    model = keras.Model(inputs, keras.layers.Lambda(square)(dense(inputs)))
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)  # safe_mode=True: no bytecode involved
    np.testing.assert_allclose(loaded(np.ones((1, 3), "float32")).numpy(), [[9.0, 9.0]])


def test_keras3_config_of_a_registered_function_loads():
    square = _registered_square()
    config = {
        "name": "lambda",
        "trainable": True,
        "dtype": "float32",
        "function": {
            "module": "builtins",
            "class_name": "function",
            "config": "sweep_keras3>square",
            "registered_name": "function",
        },
        "arguments": {},
    }
    layer = keras.layers.Lambda.from_config(config)
    assert layer.function is square
    np.testing.assert_allclose(layer(np.array([[3.0]], "float32")).numpy(), [[9.0]])
