"""A tensor assigned over a variable's attribute replaces it, and the variable is untracked.

Keras-IndRNN (titu1994) writes, in `IndRNNCell.build`,
`self.recurrent_kernel = K.clip(self.recurrent_kernel, min, max)`: TensorFlow stores the
tensor and the layer's weights no longer list the variable. torch refused the assignment
("cannot assign 'torch.FloatTensor' as parameter"). Weight normalization rebinds
`self.kernel = self.v / norm(self.v) * self.g` in every call while `self.v` stays tracked.
Expected numbers come from TF 2.21 / tf_keras (TF_USE_LEGACY_KERAS=1) running the same code.
"""

from __future__ import annotations

import numpy as np

import tork as tf
from tork import keras

K = keras.backend
X = np.arange(12, dtype="f").reshape(4, 3) / 10
Y = np.ones((4, 2), "f")


class Clipped(keras.layers.Layer):
    def build(self, input_shape):
        init = keras.initializers.Constant
        self.kernel = self.add_weight(
            shape=(input_shape[-1], 2), name="kernel", initializer=init(0.1)
        )
        self.scale = self.add_weight(shape=(2,), name="scale", initializer=init([2.0, -3.0]))
        self.scale = K.clip(self.scale, -1.0, 1.0)

    def call(self, x):
        return K.dot(x, self.kernel) * self.scale


class WeightNorm(keras.layers.Layer):
    def build(self, input_shape):
        init = keras.initializers.Constant(0.5)
        self.v = self.add_weight(shape=(input_shape[-1], 2), name="v", initializer=init)
        self.g = self.add_weight(shape=(2,), name="g", initializer="ones")
        self.kernel = self.v

    def call(self, x):
        self.kernel = self.v / tf.norm(self.v, axis=0) * self.g
        return tf.matmul(x, self.kernel)


def _fit(layer):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layer(inputs))
    pred = model.predict(X, verbose=0)[0]
    model.compile(keras.optimizers.SGD(0.1), "mse")
    history = model.fit(X, Y, epochs=2, batch_size=2, verbose=0, shuffle=False)
    return model, pred, history.history["loss"]


def test_tensor_over_weight_in_build_untracks_it():
    layer = Clipped(name="l")
    model, pred, loss = _fit(layer)
    assert [w.name for w in model.weights] == ["l/kernel:0"]
    assert not isinstance(layer.scale, tf.Variable)
    # tf_keras 2.21
    np.testing.assert_allclose(pred, [0.03, -0.03], rtol=1e-6)
    np.testing.assert_allclose(loss, [0.9720995426177979, 0.6699171662330627], rtol=1e-6)
    np.testing.assert_allclose(
        model.weights[0].numpy().ravel()[:3], [0.21050747, -0.084479, 0.24007884], rtol=1e-5
    )


def test_tensor_over_an_alias_keeps_the_variable_another_attribute_holds():
    layer = WeightNorm(name="l")
    model, pred, loss = _fit(layer)
    assert [w.name for w in model.weights] == ["l/v:0", "l/g:0"]
    # tf_keras 2.21
    np.testing.assert_allclose(pred, [0.17320508, 0.17320508], rtol=1e-6)
    np.testing.assert_allclose(loss, [0.35439765453338623, 0.32093554735183716], rtol=1e-6)
    np.testing.assert_allclose(model.weights[1].numpy(), [0.8897742, 0.8897742], rtol=1e-5)


def test_module_attribute_rebound_to_a_tensor_drops_the_variable():
    class M(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable([1.0, 2.0])
            self.b = tf.Variable([3.0])
            self.w = self.w * 2.0

    m = M()
    # TF 2.21: only `b` is left.
    assert [v.numpy().tolist() for v in m.variables] == [[3.0]]
    np.testing.assert_allclose(m.w.numpy(), [2.0, 4.0])
