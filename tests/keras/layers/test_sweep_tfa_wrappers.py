"""TF Addons' WeightNormalization pattern: a `Wrapper` that declares the wrapped layer
with `self._track_trackable(layer, name="layer")` and swaps its kernel variable for a
computed tensor before calling it. Expected values: tf_keras 2.21 on the same code.
"""

import numpy as np
import pytest

import tork as tf


class _WN(tf.keras.layers.Wrapper):
    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self._track_trackable(layer, name="layer")

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(input_shape)
        self.v = self.layer.kernel
        self.g = self.add_weight(name="g", shape=(self.v.shape[-1],), initializer="ones")
        self.built = True

    def call(self, inputs):
        self.layer.kernel = tf.nn.l2_normalize(self.v, axis=[0]) * self.g
        return self.layer(inputs)


def test_weight_normalization_pattern_trains_like_tf():
    x = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
    y = np.array([[0.5, -0.5, 1.0], [1.0, 0.0, -1.0]], "float32")
    inputs = tf.keras.Input((4,))
    model = tf.keras.Model(inputs, _WN(tf.keras.layers.Dense(3), name="wn")(inputs))
    kernel = np.arange(12, dtype="float32").reshape(4, 3) - 5.0
    model.set_weights([kernel, np.zeros(3, "float32"), np.array([1.0, 2.0, 3.0], "float32")])
    assert [w.name for w in model.weights] == ["wn/kernel:0", "wn/g:0", "wn/bias:0"]
    np.testing.assert_allclose(model(x).numpy(), [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]], rtol=1e-5)
    model.compile(tf.keras.optimizers.legacy.SGD(0.1), "mse")
    history = model.fit(x, y, epochs=3, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [5.083333, 4.1945, 3.4641557], rtol=1e-5)
    np.testing.assert_allclose(
        model.get_weights()[2], [0.95486206, 1.5903221, 2.4554453], rtol=1e-5
    )


def test_track_trackable_adds_a_module_not_held_yet():
    class Holder(tf.Module):
        def __init__(self):
            super().__init__()
            self._inner = None

    holder = Holder()
    dense = tf.keras.layers.Dense(2)
    dense.build((None, 3))
    assert holder._track_trackable(dense, name="inner_layer") is dense
    # Its weights are now the holder's (as TF's checkpoint dependency makes them).
    assert {id(v) for v in holder.variables} == {id(v) for v in dense.weights}
    # Tracking the same object again (under any name) changes nothing.
    assert holder._track_trackable(dense, name="other") is dense
    assert len(holder.variables) == 2


def test_track_trackable_refuses_to_replace_silently():
    holder = tf.Module()
    holder._track_trackable(tf.keras.layers.Dense(1), name="inner")
    with pytest.raises(ValueError, match="'inner' already holds another object"):
        holder._track_trackable(tf.keras.layers.Dense(2), name="inner")
    replacement = tf.keras.layers.Dense(3)
    assert holder._track_trackable(replacement, name="inner", overwrite=True) is replacement
    assert holder.inner is replacement
