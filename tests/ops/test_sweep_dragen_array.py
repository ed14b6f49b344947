"""tf.tile with multiples holding `tf.shape(x)[i]` inside a layer's call in the functional API.

keras-bert's PositionEmbedding writes `K.tile(pos, [K.shape(x)[0], 1, 1])`; during the
functional API's shape inference the batch size there is a constant fake tensor.
"""

import numpy as np

import tork as tf
from tork import keras
from tork.keras import backend as K


class _TiledPositions(keras.layers.Layer):
    def build(self, input_shape):
        self.table = self.add_weight(shape=(10, 4), initializer="ones", name="table")

    def call(self, x):
        shape = K.shape(x)
        rows = K.expand_dims(self.table[: shape[1], :4], axis=0)
        return x + K.tile(rows, [shape[0], 1, 1])


def test_tile_with_shape_element_in_functional_call():
    inputs = keras.Input((6, 4))
    outputs = _TiledPositions()(inputs)
    assert tuple(outputs.shape) == (None, 6, 4)
    model = keras.Model(inputs, outputs)
    x = np.arange(3 * 6 * 4, dtype="float32").reshape(3, 6, 4)
    np.testing.assert_allclose(model(x).numpy(), x + 1.0)


def test_tf_tile_with_shape_elements_in_functional_call():
    class Spread(keras.layers.Layer):
        def call(self, x):
            size = tf.shape(x)
            return tf.tile(tf.reduce_sum(x, axis=[0, 2])[None, :, None], [size[0], 1, 2])

    inputs = keras.Input((5, 3))
    assert tuple(Spread()(inputs).shape) == (None, 5, 2)


def test_tile_multiples_mixing_tensors_and_ints_eagerly():
    x = tf.constant([[1.0, 2.0]])
    out = tf.tile(x, [tf.constant(2), 3])
    np.testing.assert_array_equal(out.numpy(), np.tile([[1.0, 2.0]], [2, 3]))


def test_meshgrid_flattens_inputs_of_higher_rank():
    # TF (like NumPy) reshapes each input to 1-D; Faster R-CNN anchor code meshes a 2-D
    # grid of shifts with a vector of widths.
    grid = np.arange(6, dtype="float32").reshape(2, 3)
    widths = np.array([1.0, 2.0], dtype="float32")
    for indexing in ("xy", "ij"):
        got = tf.meshgrid(widths, grid, indexing=indexing)
        want = np.meshgrid(widths, grid, indexing=indexing)
        assert [tuple(g.shape) for g in got] == [w.shape for w in want]
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g.numpy(), w)
    assert tuple(tf.meshgrid(widths, grid)[0].shape) == (6, 2)
