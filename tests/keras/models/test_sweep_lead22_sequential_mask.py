"""`sequential(x, mask=m)` masks the layers' inputs, as Keras 2 (fuzzl3's probe).

Expected values: tf_keras 2.21 on the same weights (numpy default_rng(1) draws in
get_weights order) printed [[0.02825, 0.00561], [-0.08051, -0.00418]] with the mask and
[[0.01493, 0.03218], [-0.03971, 0.02095]] without it.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = np.random.default_rng(0).standard_normal((2, 4, 3)).astype("float32")
MASK = np.array([[True, True, False, False], [True, True, True, False]])


@pytest.mark.parametrize("with_input", [True, False])
def test_sequential_call_with_mask_masks_the_layers(with_input):
    layers = [keras.layers.LSTM(2, return_sequences=True), keras.layers.GlobalAveragePooling1D()]
    model = keras.Sequential(([keras.Input((4, 3))] if with_input else []) + layers)
    model(X)
    rng = np.random.default_rng(1)
    model.set_weights(
        [rng.standard_normal(w.shape).astype("float32") * 0.5 for w in model.get_weights()]
    )
    x = tf.constant(X)
    masked = np.asarray(model(x, mask=tf.constant(MASK)))
    np.testing.assert_allclose(masked, [[0.02825, 0.00561], [-0.08051, -0.00418]], atol=2e-5)
    np.testing.assert_allclose(
        np.asarray(model(x)), [[0.01493, 0.03218], [-0.03971, 0.02095]], atol=2e-5
    )
    assert getattr(x, "_keras_mask", None) is None  # the caller's tensor keeps no mask
