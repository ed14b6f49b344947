"""`model(x, mask=m)` on a functional model masks its inputs, as in Keras 2.

Found by differential testing against tf_keras (helper fuzzl3): Keras 2's functional call
sets each given mask as its input's `_keras_mask`; tork ignored the argument, so RNNs and
pooling inside ran unmasked (a silent wrong result). Expected values printed by
TensorFlow 2.21 with tf_keras 2.21 (CPU) running the same code.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _rnn_model():
    inp = keras.Input((4, 2), name="x")
    h = keras.layers.SimpleRNN(2, return_sequences=True, name="r")(inp)
    y = keras.layers.GlobalAveragePooling1D(name="g")(h)
    model = keras.Model(inp, [h, y])
    model.set_weights(
        [
            np.array([[0.5, -0.3], [0.2, 0.4]], "float32"),
            np.array([[0.1, 0.2], [-0.3, 0.1]], "float32"),
            np.array([0.05, -0.05], "float32"),
        ]
    )
    return model


def test_functional_call_with_mask_masks_the_input():
    model = _rnn_model()
    x = tf.constant(np.arange(16, dtype="float32").reshape(2, 4, 2) / 10.0)
    mask = np.array([[True, True, False, False], [True, True, True, False]])
    h, y = model(x, mask=tf.constant(mask))
    np.testing.assert_allclose(
        h,
        [
            [[0.069886, -0.01], [0.216507, 0.022973], [0.216507, 0.022973], [0.216507, 0.022973]],
            [
                [0.558052, 0.069886],
                [0.666734, 0.205625],
                [0.723517, 0.257948],
                [0.723517, 0.257948],
            ],
        ],
        atol=1e-5,
    )
    np.testing.assert_allclose(y, [[0.143196, 0.006487], [0.649434, 0.17782]], atol=1e-5)
    np.testing.assert_array_equal(h._keras_mask, mask)
    assert getattr(x, "_keras_mask", None) is None  # the caller's tensor is left alone


def test_mask_list_for_several_inputs_and_a_wrong_count():
    a = keras.Input((3, 2), name="a")
    b = keras.Input((3, 2), name="b")
    s = keras.layers.SimpleRNN(1, name="s")(keras.layers.Add()([a, b]))
    model = keras.Model([a, b], s)
    model.set_weights(
        [np.array([[1.0], [1.0]], "float32"), np.array([[0.5]], "float32"), np.zeros(1, "float32")]
    )
    xa = np.full((2, 3, 2), 0.1, "float32")
    masked = model([xa, xa], mask=[None, tf.constant([[True, False, True], [False, False, True]])])
    np.testing.assert_allclose(masked, [[0.529877], [0.379949]], atol=1e-5)
    np.testing.assert_allclose(model([xa, xa]), [[0.581641], [0.581641]], atol=1e-5)
    with pytest.raises(ValueError, match="has 2 inputs, but it received 3 masks"):
        model([xa, xa], mask=[None, None, None])
