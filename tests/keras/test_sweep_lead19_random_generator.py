"""`keras.backend.RandomGenerator` (Keras 2.9-2.15), as custom dropout layers use it.

Draws are torch's, so the checks are tf_keras's documented properties: a seeded generator
replays its sequence, successive draws differ, integer uniforms lie in [minval, maxval),
dropout zeros a fraction and scales the rest by 1 / (1 - rate), and the generator is no
weight of the layer holding it (tf_keras 2.21: `len(layer.weights) == 0`).
"""

import numpy as np
import pytest

import tork as tf

K = tf.keras.backend


def test_seeded_sequence_replays_and_draws_differ():
    a = K.RandomGenerator(seed=3)
    b = K.RandomGenerator(seed=3)
    first, second = a.random_normal((4, 4)), a.random_normal((4, 4))
    np.testing.assert_array_equal(np.asarray(first), np.asarray(b.random_normal((4, 4))))
    assert not np.array_equal(np.asarray(first), np.asarray(second))
    assert first.dtype == tf.float32


def test_uniform_truncated_and_integer_draws():
    gen = K.RandomGenerator(seed=1, rng_type="stateless")
    u = np.asarray(gen.random_uniform((1000,), 2.0, 3.0))
    assert u.min() >= 2.0 and u.max() < 3.0
    t = np.asarray(gen.truncated_normal((1000,), stddev=0.5))
    assert np.abs(t).max() <= 1.0
    i = np.asarray(gen.random_uniform((1000,), 0, 5, dtype="int32"))
    assert i.dtype == np.int32 and set(np.unique(i)) <= set(range(5))
    with pytest.raises(ValueError, match="integer dtype needs `maxval`"):
        gen.random_uniform((2,), dtype="int32")


def test_dropout_in_a_custom_layer():
    class MyDropout(tf.keras.layers.Layer):
        def __init__(self, rate, **kwargs):
            super().__init__(**kwargs)
            self.rate = rate
            self._random_generator = K.RandomGenerator(seed=7)

        def call(self, inputs, training=None):
            if training:
                return self._random_generator.dropout(inputs, self.rate)
            return inputs

    layer = MyDropout(0.25)
    out = np.asarray(layer(tf.ones((200, 50)), training=True))
    kept = out[out != 0]
    np.testing.assert_allclose(kept, 1 / 0.75, rtol=1e-6)
    assert 0.2 < (out == 0).mean() < 0.3
    np.testing.assert_array_equal(np.asarray(layer(tf.ones((2, 3)))), np.ones((2, 3)))
    assert layer.weights == []
