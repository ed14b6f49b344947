"""Loading a config that names an unknown class or function.

tf_keras 2.21 raises ValueError ("Unknown layer: 'MyLayer'") from an HDF5 file and
TypeError ("Cannot deserialize object of type `MyLayer`") from JSON and `.keras` files;
tork's error is both, and says how to make the object known.
"""

import pytest

import tork as tf
from tork.keras.saving.errors import KerasFileError, UnknownObjectError

keras = tf.keras
L = keras.layers


def _custom_layer_class():
    # Defined in a function: loading cannot find it in its module (as in a new process).
    class MyLayer(L.Layer):
        def call(self, x):
            return x * 2

    return MyLayer


def test_unknown_class_is_a_type_error_and_a_value_error(tmp_path):
    MyLayer = _custom_layer_class()  # noqa: N806 - a class
    x = keras.Input((3,))
    text = keras.Model(x, MyLayer(name="my_layer")(x)).to_json()
    for caught in (TypeError, ValueError, KerasFileError):
        with pytest.raises(caught):
            keras.models.model_from_json(text)
    with pytest.raises(UnknownObjectError) as info:
        keras.models.model_from_json(text)
    message = str(info.value)
    assert message.startswith("Unknown class 'MyLayer' (module '")  # the test module's name
    assert message.endswith(
        "in the saved config: it is neither a tork Keras class nor a registered custom object. "
        "Decorate its definition with @keras.saving.register_keras_serializable() and import "
        "it before loading, or pass custom_objects={'MyLayer': MyLayer} to load_model (or wrap "
        "the call in keras.saving.custom_object_scope({...}))."
    )
    assert keras.models.model_from_json(text, custom_objects={"MyLayer": MyLayer}) is not None
    x = keras.Input((3,))
    path = str(tmp_path / "m.h5")
    keras.Model(x, MyLayer(name="my_layer")(x)).save(path)
    with pytest.raises(TypeError, match="Unknown class 'MyLayer'"):
        keras.models.load_model(path)


def test_unknown_function_in_a_builtin_layer_config():
    def my_activation(x):
        return x

    x = keras.Input((3,))
    text = keras.Model(x, L.Dense(2, activation=my_activation)(x)).to_json()
    with pytest.raises(TypeError) as info:
        keras.models.model_from_json(text)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert message.startswith("Could not recreate Dense from its saved config: ValueError: ")
    assert "pass custom_objects={'my_activation': my_activation} to load_model" in message


def test_unknown_class_through_layers_deserialize():
    with pytest.raises(TypeError) as info:
        L.deserialize({"class_name": "Nope", "config": {}})
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith("Unknown class 'Nope' in the saved config")
