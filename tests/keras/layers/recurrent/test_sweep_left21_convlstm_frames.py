"""ConvLSTM1D/2D/3D on frames of unknown size (keras.Input((None, None, None, 3))).

Keras 2 builds the weights from the channels only, and each call runs on its own frame
size. Reference values: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), same weights and data.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _set_weights(layer):
    layer.set_weights(
        [
            np.sin(np.arange(w.size, dtype="float32") * 0.37).reshape(w.shape) * 0.3
            for w in layer.get_weights()
        ]
    )


def test_conv_lstm2d_runs_each_frame_size_as_tf_keras():
    rs = np.random.RandomState(0)
    inp = keras.Input((None, None, None, 2))
    layer = keras.layers.ConvLSTM2D(
        3, 3, strides=2, padding="same", return_sequences=True, return_state=True
    )
    outputs = layer(inp)
    assert [tuple(o.shape) for o in outputs] == [(None, None, None, None, 3)] + [
        (None, None, None, 3)
    ] * 2
    model = keras.Model(inp, outputs)
    _set_weights(layer)
    expected = {
        (1, 2, 5, 6, 2): [
            ((1, 2, 3, 3, 3), [0.08413, 0.03573, -0.02034, 0.0743, 0.0103, -0.05462]),
            ((1, 3, 3, 3), [0.09042, 0.05594, 0.00716, 0.14541, 0.07349, -0.01528]),
            ((1, 3, 3, 3), [0.18085, 0.11398, 0.01487, 0.3101, 0.16553, -0.03647]),
        ],
        (2, 3, 4, 4, 2): [
            ((2, 3, 2, 2, 3), [-0.00843, -0.038, -0.06204, 0.02627, 0.03991, 0.04805]),
            ((2, 2, 2, 3), [0.19391, 0.15768, 0.0971, 0.15644, 0.12133, 0.06152]),
            ((2, 2, 2, 3), [0.38776, 0.34775, 0.23424, 0.3293, 0.26928, 0.14207]),
        ],
    }
    for shape, want in expected.items():
        got = model(rs.rand(*shape).astype("float32"))
        for y, (y_shape, values) in zip(got, want):
            assert tuple(y.shape) == y_shape
            np.testing.assert_allclose(np.asarray(y).ravel()[:6], values, atol=2e-5)
    assert len(model.weights) == 3


def test_conv_lstm1d_valid_padding_on_each_length():
    rs = np.random.RandomState(0)
    rs.rand(1, 2, 5, 6, 2), rs.rand(2, 3, 4, 4, 2)  # the draws of the 2D test, as in TF
    inp = keras.Input((None, None, 2))
    layer = keras.layers.ConvLSTM1D(2, 2, padding="valid")
    model = keras.Model(inp, layer(inp))
    _set_weights(layer)
    y = model(rs.rand(1, 3, 5, 2).astype("float32"))
    np.testing.assert_allclose(
        np.asarray(y).ravel(),
        [0.09255, 0.08016, 0.14786, 0.13276, 0.16634, 0.15869, 0.17104, 0.15989],
        atol=2e-5,
    )
    y = model(rs.rand(1, 2, 3, 2).astype("float32"))
    np.testing.assert_allclose(
        np.asarray(y).ravel(), [0.1735, 0.17787, 0.20409, 0.20068], atol=2e-5
    )


def test_sequential_with_unknown_frames_and_conv_lstm3d():
    model = keras.Sequential(
        [
            keras.layers.ConvLSTM2D(4, 3, input_shape=(None, None, None, 3)),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1),
        ]
    )
    assert tuple(model(np.ones((2, 3, 7, 7, 3), "float32")).shape) == (2, 1)
    assert tuple(model(np.ones((1, 2, 9, 5, 3), "float32")).shape) == (1, 1)
    inp = keras.Input((None, None, None, None, 2))
    out = keras.layers.ConvLSTM3D(2, 3)(inp)
    y = keras.Model(inp, out)(np.ones((1, 2, 4, 4, 4, 2), "float32"))
    assert tuple(y.shape) == (1, 2, 2, 2, 2)


def test_unknown_channels_raise():
    # tf_keras: "The channel dimension of the inputs (last axis) should be defined."
    with pytest.raises(ValueError, match=r"ConvLSTM2D layer .*channel dimension of the inputs"):
        keras.layers.ConvLSTM2D(4, 3)(keras.Input((None, None, None, None)))


def test_frames_of_any_size_still_check_channels_and_valid_size():
    inp = keras.Input((None, None, None, 3))
    model = keras.Model(inp, keras.layers.ConvLSTM2D(2, 3)(inp))
    with pytest.raises(ValueError, match=r"built for frames with 3 channels"):
        model.layers[-1](np.ones((1, 2, 5, 5, 4), "float32"))
    with pytest.raises(ValueError, match=r"frames \(2, 5\) are smaller than the kernel"):
        model.layers[-1](np.ones((1, 2, 2, 5, 3), "float32"))


def test_known_frame_size_is_kept_after_the_first_call():
    # tf_keras: `expected shape=(None, None, 7, 7, 3), found shape=(2, 3, 9, 5, 3)`.
    layer = keras.layers.ConvLSTM2D(4, 3)
    layer(np.ones((2, 3, 7, 7, 3), "float32"))
    with pytest.raises(ValueError, match=r"was built for frames of shape \(7, 7, 3\)"):
        layer(np.ones((2, 3, 9, 5, 3), "float32"))
