"""A Model subclass built from inputs and outputs, instantiated again through its class.

tf-models' MobileBERTEncoder sets `self.inputs = [...]` before
`super().__init__(inputs=self.inputs, outputs=...)` and has
`from_config(cls, config): return cls(**config)`. tf.keras 2 keeps `type(model) is
MobileBERTEncoder`; tork's instance class is a functional twin of it, and instantiating
the twin again (`type(model).from_config(...)`, `type(model)(...)`) raised "Can't set the
attribute 'inputs' ...". Expected behaviour: tf_keras 2.21 (every call below works).
"""

import numpy as np

import tork as tf

keras = tf.keras


class _SetsInputsFirst(keras.Model):
    def __init__(self, units=3, **kwargs):
        x = keras.Input((4,))
        self.inputs = [x]
        out = keras.layers.Dense(units, kernel_initializer="ones")(x)
        super().__init__(inputs=self.inputs, outputs=out, **kwargs)
        self._config = dict(units=units)

    def get_config(self):
        return dict(self._config)

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class _NoFromConfig(keras.Model):
    def __init__(self, units=3, **kwargs):
        x = keras.Input((4,))
        super().__init__(inputs=x, outputs=keras.layers.Dense(units)(x), **kwargs)
        self._units = units

    def get_config(self):
        return {"units": self._units}


def test_class_of_an_instance_builds_again():
    model = _SetsInputsFirst()
    again = type(model)(units=2)
    assert isinstance(again, _SetsInputsFirst)
    assert type(again).__name__ == "_SetsInputsFirst"
    assert tuple(again.output_shape) == (None, 2)
    np.testing.assert_allclose(again(np.ones((1, 4), "float32")).numpy(), [[4.0, 4.0]])


def test_from_config_on_the_instance_class():
    model = _SetsInputsFirst(units=5)
    copy = type(model).from_config(model.get_config())
    assert tuple(copy.output_shape) == (None, 5)


def test_from_config_without_an_override_uses_models():
    # tf_keras 2.21: `type(model).from_config({'units': 3})` calls the class with it.
    model = _NoFromConfig(units=3)
    copy = type(model).from_config(model.get_config())
    assert isinstance(copy, _NoFromConfig) and tuple(copy.output_shape) == (None, 3)
