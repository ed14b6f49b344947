"""Configs holding 0-d NumPy arrays (keras-unet-collection's trainable Snake activation)."""

import numpy as np

from tork import keras


class _Scale(keras.layers.Layer):
    """Multiplies by a scalar weight; its config reports the trained value as a 0-d array."""

    def __init__(self, factor=0.5, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.w = self.add_weight(
            name="w", shape=(), initializer=keras.initializers.Constant(self.factor)
        )

    def call(self, inputs):
        return inputs * self.w

    def get_config(self):
        # `get_weights()[0]` of a scalar weight is a 0-d array, not a NumPy scalar.
        return {**super().get_config(), "factor": self.get_weights()[0]}


def test_zero_d_array_serializes_as_plain_number():
    value = keras.saving.serialize_keras_object(np.array(0.25, dtype="float32"))
    assert value == 0.25 and type(value) is float
    # Arrays with dimensions keep the '__numpy__' form.
    assert keras.saving.serialize_keras_object(np.array([1.0]))["class_name"] == "__numpy__"


def test_zero_d_array_in_layer_config_round_trips(tmp_path):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, _Scale(0.25, name="scale")(inputs))
    model.layers[1].set_weights([np.array(1.5, dtype="float32")])
    x = np.array([[1.0, 2.0, -4.0]], dtype="float32")
    for name in ("m.h5", "m.keras"):
        path = str(tmp_path / name)
        model.save(path)
        loaded = keras.models.load_model(path, custom_objects={"_Scale": _Scale})
        assert loaded.layers[1].get_config()["factor"] == 1.5
        np.testing.assert_allclose(loaded.predict(x, verbose=0), [[1.5, 3.0, -6.0]])
