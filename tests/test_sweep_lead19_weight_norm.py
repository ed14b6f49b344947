"""`layer.kernel = None`, then a computed tensor in every call (weight normalization).

TensorFlowTTS's vocoders wrap each convolution in a WeightNormalization wrapper that takes
the kernel as `v`, sets `layer.kernel = None` in build and `layer.kernel = g * v / |v|` in
every call. tf_keras 2.21: after `d.kernel = None` the Dense lists only `bias:0`, and with
kernel `2 * arange(6).reshape(2, 3)` and bias [1, 2, 3], `d(ones((1, 2)))` is [[7, 12, 17]].
"""

import numpy as np

import tork as tf


def test_kernel_set_to_none_then_to_a_tensor():
    d = tf.keras.layers.Dense(3, name="d")
    d.build((None, 2))
    v = d.kernel
    v.assign(np.arange(6, dtype=np.float32).reshape(2, 3))
    d.bias.assign([1.0, 2.0, 3.0])
    d.kernel = None
    assert [w.name for w in d.weights] == ["bias:0"]
    d.kernel = v * 2.0
    assert [w.name for w in d.weights] == ["bias:0"]
    np.testing.assert_allclose(np.asarray(d(tf.ones((1, 2)))), [[7.0, 12.0, 17.0]])


class _WeightNorm(tf.keras.layers.Wrapper):
    def build(self, input_shape):
        self.layer.build(input_shape)
        self.v = self.layer.kernel
        self.layer.kernel = None
        self.g = self.add_weight(name="g", shape=(self.v.shape[-1],), initializer="ones")
        self.built = True

    def call(self, x):
        self.layer.kernel = tf.nn.l2_normalize(self.v, axis=0) * self.g
        return self.layer(x)


def test_weight_normalization_wrapper_trains_v_and_g():
    wrapped = _WeightNorm(tf.keras.layers.Dense(2, kernel_initializer="ones"))
    x = np.array([[1.0, 2.0, 3.0]], "float32")
    out = wrapped(x)
    # ones kernel normalized over its 3 inputs: every entry 1/sqrt(3); output sum(x)/sqrt(3).
    np.testing.assert_allclose(np.asarray(out), [[6 / np.sqrt(3)] * 2], rtol=1e-6)
    names = sorted(w.name.split("/")[-1] for w in wrapped.trainable_weights)
    assert names == ["bias:0", "g:0", "kernel:0"]
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(wrapped(x))
    grads = tape.gradient(loss, wrapped.trainable_weights)
    assert all(g is not None for g in grads)
