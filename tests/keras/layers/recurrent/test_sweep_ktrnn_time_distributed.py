"""TimeDistributed's masks, from a sweep of tf_keras's own TimeDistributed tests."""

import numpy as np

import tork as tf

keras = tf.keras


def _ramp(layer):
    for i, w in enumerate(layer.weights):
        size = int(np.prod(w.shape))
        w.assign(np.linspace(-0.4, 0.4 + 0.01 * i, size).reshape(tuple(w.shape)))


def test_time_distributed_carries_the_inner_layers_masks():
    # Keras 2: TimeDistributed(Embedding(mask_zero=True)) masks padded tokens of every
    # step; a wrapped RNN returning sequences keeps that mask, one returning its last
    # output reduces it to (batch, steps). tork dropped the Embedding's mask (a silent
    # wrong result). Values from tf_keras 2.21 with the same weights.
    model = keras.Sequential()
    model.add(
        keras.layers.TimeDistributed(
            keras.layers.Embedding(5, 3, mask_zero=True), input_shape=(None, None)
        )
    )
    model.add(keras.layers.TimeDistributed(keras.layers.SimpleRNN(4, return_sequences=True)))
    model.add(keras.layers.TimeDistributed(keras.layers.SimpleRNN(2)))
    model.add(keras.layers.SimpleRNN(1))
    for layer in model.layers:
        _ramp(layer)
    tokens = np.array(
        [[[1, 2, 0], [3, 0, 0]], [[4, 4, 4], [0, 0, 0]], [[2, 0, 0], [1, 3, 2]]], "int32"
    )
    np.testing.assert_allclose(
        model.predict(tokens, verbose=0), [[-0.081393], [-0.084422], [-0.01577]], atol=1e-5
    )


def test_time_distributed_compute_mask_on_data():
    embed = keras.layers.TimeDistributed(keras.layers.Embedding(5, 3, mask_zero=True))
    tokens = np.array([[[1, 0], [0, 0]], [[2, 3], [4, 0]]], "int32")
    mask = embed.compute_mask(tf.constant(tokens))
    np.testing.assert_array_equal(mask.numpy(), tokens > 0)
    # A wrapped layer that computes no mask: the input mask, reduced to (batch, steps).
    last = keras.layers.TimeDistributed(keras.layers.SimpleRNN(2))
    reduced = last.compute_mask(tf.ones((2, 2, 2, 3)), tf.constant(tokens > 0))
    np.testing.assert_array_equal(reduced.numpy(), [[True, False], [True, True]])
    assert last.compute_mask(tf.ones((2, 2, 2, 3)), None) is None


def test_time_distributed_on_ragged_sequences():
    # Keras 2 runs the layer on every step of every row and keeps the row lengths.
    x = keras.Input(shape=(None, 2), ragged=True)
    dense = keras.layers.Dense(3)
    model = keras.Model(x, keras.layers.TimeDistributed(dense)(x))
    kernel = np.arange(6, dtype="float32").reshape(2, 3) / 10
    dense.set_weights([kernel, np.ones(3, "float32")])
    rows = [[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0]], [[7.0, 8.0], [9.0, 1.0], [2.0, 3.0]]]
    out = model.predict(tf.ragged.constant(rows, ragged_rank=1), verbose=0)
    assert out.row_lengths().numpy().tolist() == [2, 1, 3]
    values = np.concatenate([np.array(r) for r in rows])
    np.testing.assert_allclose(out.flat_values.numpy(), values @ kernel + 1, rtol=1e-6)
