"""Call arguments Keras 2 hands over as given (from the ktcore and ktrnn sweeps).

tf_keras 2.21 (TF_USE_LEGACY_KERAS=1): a mask passed positionally, `layer(x, mask)`, is
the mask compute_mask receives, so the next layer is masked (LSTM(2, kernel ones,
recurrent zeros) after it: [[0.8191, 0.8191], [0.6083, 0.6083]]); a namedtuple input
reaches `call` as that namedtuple (`inputs.a + inputs.b`).
"""

import collections

import numpy as np

import tork as tf


class _PassMask(tf.keras.layers.Layer):
    def call(self, inputs, mask=None):
        return inputs * 2

    def compute_mask(self, inputs, mask=None):
        return mask


def test_positional_mask_reaches_compute_mask():
    x = tf.constant(np.ones((2, 3, 1), "float32"))
    mask = tf.constant([[True, True, False], [True, False, False]])
    out = _PassMask()(x, mask)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), np.asarray(mask))
    lstm = tf.keras.layers.LSTM(2, kernel_initializer="ones", recurrent_initializer="zeros")
    np.testing.assert_allclose(
        np.asarray(lstm(_PassMask()(x, mask))), [[0.8191, 0.8191], [0.6083, 0.6083]], atol=1e-4
    )


def test_namedtuple_input_keeps_its_type():
    Pair = collections.namedtuple("Pair", ["a", "b"])

    class Sum(tf.keras.layers.Layer):
        def call(self, inputs):
            assert isinstance(inputs, Pair)
            return inputs.a + inputs.b

    out = Sum()(Pair(np.ones((1, 2), "float32"), np.full((1, 2), 2.0, "float32")))
    np.testing.assert_allclose(np.asarray(out), [[3.0, 3.0]])
