"""A sublayer's failing `build` during a functional call raises, as in tf.keras.

From google-research/big_transfer (bit_tf2): `StandardizedConv2D.build` calls
`super().build()` and then replaces `self._convolution_op`, an attribute tf_keras 2.21
no longer has. tf_keras raises the AttributeError when the block is called on a
`keras.Input`. tork hid it: the first traced call failed inside the sublayer's build after
`super().build()` had set `built`, a retry on other stand-in sizes then succeeded on the
half-built layer (or the outer layer's compute_output_shape stood in), and the model ran
without the rest of the build (the weight standardization silently missing).
"""

import numpy as np
import pytest

import tork as tf


class _HalfBuilt(tf.keras.layers.Conv2D):
    def build(self, input_shape):
        super().build(input_shape)
        self.extra = self._no_such_attr  # fails after `built` is set


class _Outer(tf.keras.layers.Layer):
    def __init__(self, declare: bool, **kwargs):
        super().__init__(**kwargs)
        self.conv = _HalfBuilt(2, 1)
        self.declare = declare

    def call(self, x):
        return self.conv(x)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (2,)


@pytest.mark.parametrize("declare", [False, True])
def test_sublayer_build_error_raises_on_symbolic_call(declare):
    # tf_keras 2.21 (TF_USE_LEGACY_KERAS=1): AttributeError "... has no attribute
    # '_no_such_attr'" on the symbolic call, with or without compute_output_shape.
    layer = _Outer(declare)
    with pytest.raises(AttributeError, match="_no_such_attr"):
        layer(tf.keras.Input((4, 4, 3)))


def test_sublayer_build_error_raises_on_eager_call():
    layer = _Outer(True)
    with pytest.raises(AttributeError, match="_no_such_attr"):
        layer(np.ones((1, 4, 4, 3), "float32"))


class _Standardized(tf.keras.layers.Conv2D):
    def convolution_op(self, inputs, kernel):
        mean, var = tf.nn.moments(kernel, axes=[0, 1, 2], keepdims=True)
        return super().convolution_op(inputs, (kernel - mean) / tf.sqrt(var + 1e-10))


class _Block(tf.keras.layers.Layer):
    """BiT's pattern: the projection made in build, the units in __init__."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.unit = _Standardized(2, 1, use_bias=False, name="standardized_conv2d")
        self.proj = None

    def build(self, input_shape):
        self.proj = _Standardized(2, 1, use_bias=False, name="a/proj/standardized_conv2d")
        self.built = True

    def compute_output_shape(self, input_shape):
        return self.unit.compute_output_shape(input_shape)

    def call(self, x):
        return self.unit(x) + self.proj(x)


def test_standardized_conv_block_matches_tf():
    # tf_keras 2.21: the same model, weights and input (TF_USE_LEGACY_KERAS=1).
    inp = tf.keras.Input((2, 2, 3))
    model = tf.keras.Model(inp, _Block(name="block1")(inp))
    assert [w.name for w in model.weights] == [
        "block1/standardized_conv2d/kernel:0",
        "block1/a/proj/standardized_conv2d/kernel:0",
    ]
    k1 = np.arange(6, dtype="float32").reshape(1, 1, 3, 2) / 5.0
    k2 = np.array([[[[1.0, -1.0], [0.5, 2.0], [-2.0, 0.0]]]], "float32")
    model.set_weights([k1, k2])
    x = (np.arange(12) ** 2 % 7).astype("float32").reshape(1, 2, 2, 3) / 7.0
    expected = [
        [
            [[-0.02586085, 0.73803455], [-0.04921618, 0.27356687]],
            [[-0.07257151, -0.1909009], [-0.09592685, -0.65536857]],
        ]
    ]
    np.testing.assert_allclose(np.asarray(model(x)), expected, rtol=1e-5, atol=1e-5)


class _Deep(tf.keras.layers.Layer):
    """Six stride-2 'valid' convolutions: the first stand-in sizes shrink below the kernel."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.convs = [tf.keras.layers.Conv2D(2, 3, strides=2, padding="valid") for _ in range(6)]

    def call(self, x):
        for conv in self.convs:
            x = conv(x)
        return x


def test_build_failing_before_built_is_still_retried_on_larger_sizes():
    # tf_keras 2.21: (None, None, None, 2). The innermost Conv2D's build refuses the
    # shrunk stand-in size before `built` is set, so the retry on larger sizes goes ahead.
    assert tuple(_Deep()(tf.keras.Input((None, None, 3))).shape) == (None, None, None, 2)
