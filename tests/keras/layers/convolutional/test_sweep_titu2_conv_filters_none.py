"""`Conv2D(filters=None)` as the base of a layer that makes its own kernel.

titu1994/MobileNetworks (mobilenets.py, 2017) defines `class DepthwiseConv2D(Conv2D)` whose
`__init__` calls `super().__init__(filters=None, ...)` and whose own `build`/`call` make a
depthwise kernel and run `tf.nn.depthwise_conv2d`. tf_keras accepts `filters=None` there;
tork refused it ("filters=... must be a positive integer, got None"). Expected values come
from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the same layer in the reference env.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras


class _Depthwise(keras.layers.Conv2D):
    def __init__(self, kernel_size, strides=(1, 1), padding="valid", **kwargs):
        super().__init__(
            filters=None,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            use_bias=False,
            **kwargs,
        )
        self._strides = (1,) + strides + (1,)

    def build(self, input_shape):
        shape = self.kernel_size + (int(input_shape[-1]), 1)
        self.depthwise_kernel = self.add_weight(
            shape=shape, initializer="ones", name="depthwise_kernel"
        )
        self.built = True

    def call(self, inputs):
        return tf.nn.depthwise_conv2d(
            inputs, self.depthwise_kernel, strides=self._strides, padding=self.padding.upper()
        )

    def get_config(self):
        config = super().get_config()
        config.pop("filters")
        return config


def test_subclass_passing_filters_none_builds_its_own_kernel():
    i = keras.Input((4, 4, 2))
    layer = _Depthwise((3, 3), strides=(2, 2), padding="same", name="dw")
    model = keras.Model(i, layer(i))
    x = np.arange(32, dtype="float32").reshape(1, 4, 4, 2)
    # tf_keras 2.21: output shape, weight names and values of the same model.
    assert model.output_shape == (None, 2, 2, 2)
    assert [w.name for w in model.weights] == ["dw/depthwise_kernel:0"]
    expected = [[[[90.0, 99.0], [78.0, 84.0]], [[132.0, 138.0], [100.0, 104.0]]]]
    np.testing.assert_allclose(model.predict(x, verbose=0), expected)
    assert layer.filters is None
    assert "filters" not in layer.get_config() and "kernel_size" in layer.get_config()


def test_plain_conv_with_filters_none_says_what_to_do_at_build():
    layer = keras.layers.Conv2D(None, 3, name="conv_none")
    with pytest.raises(ValueError, match=r"conv_none.*filters=None.*override build\(\)"):
        layer(keras.Input((4, 4, 2)))


def test_filters_still_checked_when_given():
    with pytest.raises(ValueError, match="must be a positive integer"):
        keras.layers.Conv2D(0, 3)
