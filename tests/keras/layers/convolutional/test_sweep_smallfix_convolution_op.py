"""`convolution_op` of Conv1D/2D/3D (keras.io "Customizing the convolution operation").

Reference numbers from tf_keras 2.21 with the same weights.
"""

import numpy as np

import tork as tf
from tork import keras

layers = keras.layers


class WithCall(layers.Conv2D):
    def call(self, inputs):
        mean, var = tf.nn.moments(self.kernel, axes=[0, 1, 2], keepdims=True)
        result = self.convolution_op(inputs, (self.kernel - mean) / tf.sqrt(var + 1e-10))
        if self.use_bias:
            result = result + self.bias
        return result


class WithOverride(layers.Conv2D):
    def convolution_op(self, inputs, kernel):
        mean, var = tf.nn.moments(kernel, axes=[0, 1, 2], keepdims=True)
        return super().convolution_op(inputs, (kernel - mean) / tf.sqrt(var + 1e-10))


def _run(cls, channels_first=False, **kw):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 7, 6, 4)).astype("float32")
    if channels_first:
        x = x.transpose(0, 3, 1, 2)
    layer = cls(**kw)
    layer.build(x.shape)
    layer.set_weights([rng.standard_normal(w.shape).astype("float32") for w in layer.get_weights()])
    y = np.asarray(layer(x))
    z = np.asarray(layer.convolution_op(x, layer.kernel))
    return y, z


def test_call_uses_convolution_op_with_standardized_kernel():
    y, z = _run(WithCall, filters=6, kernel_size=3, padding="same", strides=2)
    assert y.shape == z.shape == (2, 4, 3, 6)
    np.testing.assert_allclose(
        y.reshape(-1)[:5], [2.252, 0.8432, -0.9775, 0.7402, 3.7584], atol=2e-3
    )
    np.testing.assert_allclose(y.sum(), -144.379, atol=2e-2)
    np.testing.assert_allclose(z.sum(), -83.103, atol=2e-2)


def test_overridden_convolution_op_is_used_by_default_call():
    y, z = _run(
        WithOverride, filters=6, kernel_size=3, padding="same", strides=2, activation="relu"
    )
    np.testing.assert_allclose(y.reshape(-1)[:5], [2.252, 0.8432, 0.0, 0.7402, 3.7584], atol=2e-3)
    np.testing.assert_allclose(y.sum(), 237.303, atol=2e-2)
    np.testing.assert_allclose(z.sum(), -83.759, atol=2e-2)


def test_convolution_op_dilation_groups_pointwise_channels_first():
    y, z = _run(WithOverride, filters=6, kernel_size=3, dilation_rate=2, groups=2)
    assert y.shape == (2, 3, 2, 6)
    np.testing.assert_allclose([y.sum(), z.sum()], [7.212, -22.502], atol=2e-2)
    y, z = _run(WithOverride, filters=4, kernel_size=1)  # the 1x1 fast path is bypassed
    np.testing.assert_allclose([y.sum(), z.sum()], [72.625, 59.975], atol=2e-2)
    y, z = _run(
        WithOverride,
        channels_first=True,
        filters=6,
        kernel_size=3,
        padding="same",
        strides=2,
        data_format="channels_first",
    )
    assert y.shape == (2, 6, 4, 3)
    np.testing.assert_allclose([y.sum(), z.sum()], [-144.379, -83.759], atol=2e-2)


def test_plain_conv2d_convolution_op_is_call_without_bias():
    y, z = _run(layers.Conv2D, filters=6, kernel_size=3, padding="same", strides=(2, 1))
    np.testing.assert_allclose([y.sum(), z.sum()], [-178.476, -57.234], atol=2e-2)


def test_causal_conv1d():
    conv = layers.Conv1D(3, 3, padding="causal", dilation_rate=2)
    conv.build((1, 8, 2))
    weights = [np.arange(18, dtype="float32").reshape(3, 2, 3) / 10, np.zeros(3, "float32")]
    conv.set_weights(weights)
    x = np.arange(16, dtype="float32").reshape(1, 8, 2)
    expected = [1.5, 6.9, 13.2, 21.6, 30.3, 39.3, 48.3, 57.3]
    np.testing.assert_allclose(np.asarray(conv(x))[0, :, 0], expected, rtol=1e-5)
    # As tf_keras: convolution_op itself is 'valid'; call left-pads first.
    op = np.asarray(conv.convolution_op(x, conv.kernel))
    np.testing.assert_allclose(op[0, :, 2], [35.7, 47.1, 58.5, 69.9], rtol=1e-5)

    class Doubled(layers.Conv1D):
        def convolution_op(self, inputs, kernel):
            return super().convolution_op(inputs, kernel * 2.0)

    doubled = Doubled(3, 3, padding="causal", dilation_rate=2)
    doubled.build((1, 8, 2))
    doubled.set_weights(weights)
    np.testing.assert_allclose(
        np.asarray(doubled(x))[0, :, 1],
        [3.2, 14.8, 28.4, 46.8, 66.0, 86.4, 106.8, 127.2],
        rtol=1e-5,
    )


def test_override_in_functional_model_trains():
    rng = np.random.default_rng(1)
    inputs = keras.Input((8, 8, 3))
    h = WithOverride(4, 3, padding="same")(inputs)
    outputs = layers.Dense(1)(layers.GlobalAveragePooling2D()(h))
    model = keras.Model(inputs, outputs)
    model.compile("adam", "mse")
    x = rng.standard_normal((16, 8, 8, 3)).astype("float32")
    hist = model.fit(x, np.ones((16, 1), "float32"), epochs=3, verbose=0)
    assert hist.history["loss"][-1] < hist.history["loss"][0]
    assert model.output_shape == (None, 1)
