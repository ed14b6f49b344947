"""An explicit `mask=` keyword propagates through the default compute_mask, as in Keras 2.

Reference values come from tf_keras 2.x (TF_USE_LEGACY_KERAS=1, tensorflow-cpu) running the
same code.
"""

import numpy as np

import tork as tf

keras = tf.keras

_MASK = np.array([[1, 1, 0], [1, 0, 0]], bool)


class _Doubles(keras.layers.Layer):
    """A user layer that supports masking and takes `mask` but keeps the default compute_mask."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        return inputs * 2


class _NoMasking(keras.layers.Layer):
    def call(self, inputs, mask=None):
        return inputs * 2


def test_explicit_mask_keyword_propagates_eagerly():
    x = np.ones((2, 3, 4), "float32")
    out = _Doubles()(tf.constant(x), mask=tf.constant(_MASK))
    np.testing.assert_array_equal(np.asarray(out._keras_mask), _MASK)


def test_numpy_mask_keyword_propagates():
    out = _Doubles()(tf.constant(np.ones((2, 3, 4), "float32")), mask=_MASK)
    np.testing.assert_array_equal(np.asarray(out._keras_mask), _MASK)


def test_layer_without_masking_support_drops_the_explicit_mask():
    out = _NoMasking()(tf.constant(np.ones((2, 3, 4), "float32")), mask=tf.constant(_MASK))
    assert getattr(out, "_keras_mask", None) is None


def test_explicit_mask_overrides_and_explicit_none_clears_the_input_mask():
    x = np.ones((2, 3, 4), "float32")
    masked = keras.layers.Masking()(tf.constant(x))  # all-True mask
    out = _Doubles()(masked, mask=tf.constant(_MASK))
    np.testing.assert_array_equal(np.asarray(out._keras_mask), _MASK)
    # tf_keras: an explicit mask=None is the call's mask, so the output carries none.
    out = _Doubles()(masked, mask=None)
    assert getattr(out, "_keras_mask", None) is None


def test_functional_explicit_mask_reaches_the_lstm():
    inp = keras.Input((3, 4))
    mask_in = keras.Input((3,), dtype="bool")
    y = _Doubles()(inp, mask=mask_in)
    assert getattr(y, "_keras_mask", None) is not None
    model = keras.Model([inp, mask_in], keras.layers.LSTM(2)(y))
    model.set_weights([np.full(w.shape, 0.1, "float32") for w in model.get_weights()])
    got = np.asarray(model([np.ones((2, 3, 4), "float32"), _MASK]))
    # tf_keras 2.x: the LSTM stops at each row's last unmasked step.
    want = np.array([[0.5225454, 0.5225454], [0.33369264, 0.33369264]], "float32")
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
