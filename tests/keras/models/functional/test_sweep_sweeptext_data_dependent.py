"""Functional-API shape inference for layers whose `call` reads computed tensor values.

keras.io's English-to-Spanish Transformer builds its causal mask with
`tf.tile(mask, tf.concat([tf.expand_dims(batch_size, -1), tf.constant([1, 1])], 0))`:
the multiples are computed values, which fake tensors cannot hold.
"""

import numpy as np

import tork as tf
from tork import keras


class CausalMask(keras.layers.Layer):
    """The keras.io decoder's `get_causal_attention_mask`, as a layer."""

    def call(self, inputs):
        input_shape = tf.shape(inputs)
        batch_size, sequence_length = input_shape[0], input_shape[1]
        i = tf.range(sequence_length)[:, tf.newaxis]
        j = tf.range(sequence_length)
        mask = tf.cast(i >= j, dtype="int32")
        mask = tf.reshape(mask, (1, input_shape[1], input_shape[1]))
        mult = tf.concat(
            [tf.expand_dims(batch_size, -1), tf.constant([1, 1], dtype=tf.int32)], axis=0
        )
        return tf.tile(mask, mult)


class PositionalEmbedding(keras.layers.Layer):
    """Position rows for at most `length` steps: the stand-in sizes must fit them."""

    def __init__(self, length, dim, **kwargs):
        super().__init__(**kwargs)
        self.positions = keras.layers.Embedding(length, dim)
        self.supports_masking = True

    def call(self, inputs):
        return self.positions(tf.range(tf.shape(inputs)[-1]))[tf.newaxis] + tf.cast(
            inputs[..., tf.newaxis], "float32"
        )

    def compute_mask(self, inputs, mask=None):
        return tf.math.not_equal(inputs, 0)


class MaskedDecoder(keras.layers.Layer):
    """Combines the incoming padding mask with a tiled causal mask, as keras.io does."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.causal = CausalMask()
        self.supports_masking = True

    def call(self, inputs, mask=None):
        causal = self.causal(inputs)
        padding = tf.cast(mask[:, tf.newaxis, :], dtype="int32")
        combined = tf.minimum(padding, causal)
        return tf.cast(combined, "float32")


def test_tiled_causal_mask_in_functional_model():
    inputs = keras.Input(shape=(None, 4))
    outputs = CausalMask()(inputs)
    # TF 2.21 (tf_keras) gives (None, None, None) for the same model.
    assert tuple(outputs.shape) == (None, None, None)
    model = keras.Model(inputs, outputs)
    result = np.asarray(model(np.zeros((2, 3, 4), "float32")))
    expected = np.tile(np.tril(np.ones((3, 3), "int32"))[None], (2, 1, 1))
    np.testing.assert_array_equal(result, expected)


def test_mask_reaches_layer_and_nested_model_with_short_positions():
    tokens = keras.Input(shape=(None,), dtype="int64")
    x = PositionalEmbedding(8, 2)(tokens)
    outputs = MaskedDecoder()(x)
    inner = keras.Model(tokens, outputs)
    outer_in = keras.Input(shape=(None,), dtype="int64")
    outer = keras.Model(outer_in, inner(outer_in))
    assert tuple(outer.output_shape) == (None, None, None)
    ids = np.array([[3, 4, 0, 0], [5, 0, 0, 0]], "int64")
    result = np.asarray(outer(ids))
    lengths = (ids != 0).sum(1)
    expected = np.stack([np.tril(np.ones((4, 4))) * (np.arange(4) < n)[None, :] for n in lengths])
    np.testing.assert_array_equal(result, expected)


class _Positives(keras.layers.Layer):
    def call(self, x):
        return tf.boolean_mask(x, x[..., 0] > 0)


class _Distinct(keras.layers.Layer):
    def call(self, x):
        values, _ = tf.unique(tf.reshape(x, [-1]))
        return values


def test_value_dependent_output_sizes_are_unknown():
    # TF 2.21 (tf_keras): (None, 4) and (None,); the sizes depend on the values.
    rows = keras.Input(shape=(4,))
    picked = _Positives()(rows)
    assert tuple(picked.shape) == (None, 4)
    ids = keras.Input(shape=(3,), dtype="int32")
    assert tuple(_Distinct()(ids).shape) == (None,)
    model = keras.Model(rows, picked)
    data = np.array([[1, 2, 3, 4], [-1, 0, 0, 0], [5, 6, 7, 8]], "float32")
    np.testing.assert_array_equal(np.asarray(model(data)), data[[0, 2]])
