"""keras.layers.Wrapper (Keras 2's base class), compared with tf_keras 2.21 on the same code."""

import numpy as np
import pytest

from tork import keras


class Scaled(keras.layers.Wrapper):
    def __init__(self, layer, factor=2.0, **kwargs):
        super().__init__(layer, **kwargs)
        self.factor = factor

    def build(self, input_shape):
        super().build(input_shape)
        self.g = self.add_weight(name="g", shape=(self.layer.units,), initializer="ones")

    def call(self, x):
        return self.layer(x) * self.g * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def _model():
    wrapper = Scaled(keras.layers.Dense(3, kernel_initializer="ones"), factor=3.0)
    inp = keras.Input((4,))
    return keras.Model(inp, wrapper(inp)), wrapper


def test_subclass_builds_wraps_and_counts_weights():
    model, wrapper = _model()
    # tf_keras 2.21: [[12. 12. 12.]], weights g, kernel, bias (own first), 18 parameters.
    np.testing.assert_array_equal(np.asarray(model(np.ones((1, 4), "float32"))), [[12.0] * 3])
    assert [w.name.split("/")[-1] for w in wrapper.weights] == ["g:0", "kernel:0", "bias:0"]
    assert wrapper.count_params() == 18 and wrapper.layer.built


def test_config_round_trip_and_h5(tmp_path):
    model, wrapper = _model()
    config = wrapper.get_config()
    assert sorted(config) == ["dtype", "factor", "layer", "name", "trainable"]
    assert config["layer"]["class_name"] == "Dense"
    clone = Scaled.from_config(config)
    assert type(clone.layer).__name__ == "Dense" and clone.factor == 3.0
    assert clone.name == wrapper.name
    path = tmp_path / "wrapper.h5"
    model.save(path)
    loaded = keras.models.load_model(path, custom_objects={"Scaled": Scaled})
    x = np.ones((2, 4), "float32")
    np.testing.assert_array_equal(np.asarray(loaded(x)), np.asarray(model(x)))


def test_build_without_call_and_activity_regularizer():
    class Bare(keras.layers.Wrapper):
        def call(self, x):
            return self.layer(x)

    bare = Bare(keras.layers.Dense(2))
    bare.build((None, 3))
    assert bare.built and bare.layer.built and len(bare.weights) == 2
    assert Bare(keras.layers.Dense(2)).activity_regularizer is None
    inner = keras.layers.Dense(2, activity_regularizer="l2")
    wrapped = Bare(inner)
    # Keras 2 reports the wrapped layer's; its penalty is counted once (by the inner layer).
    assert wrapped.activity_regularizer is inner.activity_regularizer
    wrapped(np.ones((2, 3), "float32"))
    assert len(wrapped.losses) == 1


def test_error_not_a_layer():
    with pytest.raises(ValueError) as info:
        Scaled(3)
    assert str(info.value) == (
        "Layer 3 supplied to wrapper is not a supported layer type. Please ensure wrapped layer "
        "is a valid TF-Keras layer."
    )
