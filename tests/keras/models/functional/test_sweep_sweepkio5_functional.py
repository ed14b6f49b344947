"""keras.io sweep (sweepkio5): a Sequential starting with StringLookup on a string
keras.Input (memory-efficient embeddings), and unknown spatial sizes (Deep Dream)."""

import numpy as np

import tork as tf
from tork import keras


def test_sequential_string_lookup_on_a_string_input():
    encoder = keras.Sequential(
        [
            keras.layers.StringLookup(
                vocabulary=["a", "b", "c"], mask_token=None, num_oov_indices=0
            ),
            keras.layers.Embedding(3, 2),
        ],
        name="user_embedding",
    )
    inputs = keras.layers.Input(name="user_id", shape=(), dtype=tf.string)
    outputs = encoder(inputs)
    assert tuple(outputs.shape) == (None, 2)
    model = keras.Model(inputs, outputs)
    table = np.arange(6, dtype="float32").reshape(3, 2)
    model.set_weights([table])
    result = model.predict(np.array(["c", "a", "b"]), verbose=0)
    np.testing.assert_allclose(result, table[[2, 0, 1]])
    assert encoder.count_params() == 6


def _valid_out(size, kernel, stride):
    return (size - kernel) // stride + 1


def test_unknown_spatial_sizes_survive_deep_downsampling():
    # The 61-pixel stand-in shrinks to 2x2 after four stride-2 convolutions, too small for
    # the next 3x3 'valid' one; Keras builds it since its unknown sizes are no numbers.
    inputs = keras.Input(shape=(None, None, 3))
    x = inputs
    for _ in range(4):
        x = keras.layers.Conv2D(2, 3, strides=2, padding="valid")(x)
    deep = keras.layers.Conv2D(2, 3, padding="valid")(x)
    side = keras.layers.Conv2D(2, 3, padding="valid")(x)
    outputs = keras.layers.Concatenate()([deep, side])
    model = keras.Model(inputs, outputs)
    assert model.output_shape == (None, None, None, 4)
    size_h, size_w = 90, 100
    for _ in range(4):
        size_h, size_w = _valid_out(size_h, 3, 2), _valid_out(size_w, 3, 2)
    out = model(np.zeros((1, 90, 100, 3), "float32"))
    assert tuple(out.shape) == (1, size_h - 2, size_w - 2, 4)


def test_inception_v3_without_input_shape_builds():
    # keras.io Deep Dream: InceptionV3(weights=None, include_top=False); tf_keras 2.21
    # gives these shapes and 21802784 parameters.
    model = keras.applications.InceptionV3(weights=None, include_top=False)
    assert model.output_shape == (None, None, None, 2048)
    assert model.get_layer("mixed8").output_shape == (None, None, None, 1280)
    assert model.count_params() == 21802784
