"""d2l sweep (applied by the lead): Layer.add_update, `loss + layer.losses`, tf.device scopes,
Sequential(one_layer), float tf.range. Expected: NumPy formulas or tf_keras 2.21."""

import numpy as np
import pytest
import torch

import tork as tf


# layer.patch: Layer.add_update (Keras 2) -- d2l's BatchNorm from scratch
class _ScratchBN(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.moving_mean = self.add_weight(
            name="moving_mean", shape=[input_shape[-1]], initializer="zeros", trainable=False
        )

    def call(self, inputs, training=None):
        if training:
            mean = tf.reduce_mean(inputs, axis=0)
            update = self.moving_mean.assign(0.9 * self.moving_mean + 0.1 * mean)
            self.add_update(update)
            return inputs - mean
        return inputs - self.moving_mean


def test_add_update_accepts_assign_result_and_callables():
    x = np.arange(6, dtype="float32").reshape(3, 2)
    layer = _ScratchBN()
    out = layer(tf.constant(x), training=True)
    np.testing.assert_allclose(out.numpy(), x - x.mean(0))
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.1 * x.mean(0), rtol=1e-6)
    calls = []
    layer.add_update([lambda: calls.append(1), lambda: calls.append(2)])
    assert calls == [1, 2]


# layer.patch: `loss + layer.losses` (d2l WeightDecay.loss)
def test_tensor_plus_losses_list_adds_like_tf():
    dense = tf.keras.layers.Dense(1, kernel_regularizer=tf.keras.regularizers.l2(3.0))
    dense(tf.ones((2, 2)))
    dense.set_weights([np.array([[0.1], [0.2]], "float32"), np.zeros(1, "float32")])
    base = tf.constant(1.5)
    total = base + dense.losses
    # tf_keras: shape (1,), value 1.5 + 3 * (0.01 + 0.04)
    assert tuple(total.shape) == (1,)
    np.testing.assert_allclose(total.numpy(), [1.5 + 3.0 * 0.05], rtol=1e-6)
    np.testing.assert_allclose((dense.losses + base).numpy(), [1.65], rtol=1e-6)
    assert dense.losses + [] == dense.losses and isinstance(dense.losses, list)
    assert tuple((base + tf.keras.layers.Dense(1).losses).shape) == (0,)


# sequential.patch: Sequential(single_layer) (d2l ResNet/DenseNet: Sequential(self.b1()))
def test_sequential_of_a_single_layer():
    inner = tf.keras.Sequential([tf.keras.layers.Dense(3)])
    outer = tf.keras.Sequential(inner)
    assert outer.layers == [inner]
    assert tuple(outer(tf.ones((2, 4))).shape) == (2, 3)
    assert len(tf.keras.Sequential(tf.keras.layers.Dense(2)).layers) == 1


# device.patch: tf.device(...)._device_name and reuse
def test_device_scope_has_name_and_is_reusable():
    scope = tf.device("/CPU:0")
    assert scope._device_name == "/CPU:0"
    with scope:
        a = tf.ones(2)
    with scope:
        b = tf.ones(2)
    assert a.device.type == "cpu" and b.device.type == "cpu"
    with pytest.raises(ValueError, match="Cannot parse device"):
        with tf.device("nonsense device"):
            pass


# array.patch: float tf.range computed as start + i * delta in float32 (TF 2.21 values)
def test_float_range_matches_tensorflow_float32_arithmetic():
    x = tf.range(-8.0, 8.0, 0.1)
    assert tuple(x.shape) == (160,) and x.dtype == torch.float32
    expected = np.float32(-8.0) + np.arange(160, dtype=np.float32) * np.float32(0.1)
    np.testing.assert_array_equal(x.numpy(), expected)
    assert x.numpy()[80] == 0.0
    with tf.GradientTape() as tape:
        v = tf.Variable(x)
        y = tf.nn.relu(v)
    assert tape.gradient(y, v).numpy()[80] == 0.0  # TF: 0 (x is exactly 0)
    np.testing.assert_array_equal(tf.range(0.0, 1.0, 0.1).numpy()[-1], np.float32(0.90000004))
    assert tf.range(5).dtype == torch.int32
