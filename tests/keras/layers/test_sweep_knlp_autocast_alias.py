"""Mixed precision reads a custom layer's weight in the compute dtype under any attribute name.

KerasHub's PositionEmbedding keeps `self.position_embeddings = self.add_weight(
name="embeddings", ...)`: the attribute name is not the weight name. tf_keras 2.21 (and
Keras 3's TokenAndPositionEmbedding output) computes in float16 under 'mixed_float16';
tork read such a weight in float32, so the layer's output silently came back float32.
"""

import numpy as np
import torch

import tork as tf
from tork import keras

ops = keras.ops


class _Scale(keras.layers.Layer):
    def build(self, input_shape):
        # Attribute `scale`, weight name `kernel`.
        self.scale = self.add_weight(
            name="kernel", shape=(3,), initializer=keras.initializers.Constant(1.5)
        )

    def call(self, x):
        return x * self.scale, ops.convert_to_tensor(self.scale)


def test_renamed_weight_is_read_in_compute_dtype():
    layer = _Scale(dtype="mixed_float16")
    out, weight = layer(np.array([[1.0, 2.0, 3.0]], "float32"))
    # tf_keras 2.21: float16 float16 [[1.5 3. 4.5]]
    assert out.dtype == torch.float16
    assert weight.dtype == torch.float16
    np.testing.assert_allclose(ops.convert_to_numpy(out), [[1.5, 3.0, 4.5]])
    # The variable itself stays float32 and is back in place after the call.
    assert layer.scale.dtype == torch.float32
    assert layer.scale is layer.weights[0]


def test_renamed_weight_still_gets_gradients():
    layer = _Scale(dtype="mixed_float16")
    x = np.array([[1.0, 2.0, 3.0]], "float32")
    layer(x)
    with tf.GradientTape() as tape:
        out, _ = layer(x)
        loss = tf.reduce_sum(tf.cast(out, "float32"))
    (grad,) = tape.gradient(loss, [layer.scale])
    # d/dscale sum(x * scale) = x
    np.testing.assert_allclose(np.asarray(grad, dtype="float32"), [1.0, 2.0, 3.0])
    assert grad.dtype == torch.float32
