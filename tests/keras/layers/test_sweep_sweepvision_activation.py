"""Changing `layer.activation` on a built layer takes effect at the next call.

Keras's Grad-CAM example sets `model.layers[-1].activation = None` to read the logits;
Keras then skips the activation. References are NumPy formulas (1x1 kernels make every
convolution a per-pixel matmul or product).
"""

import numpy as np
import pytest

import tork as tf
from tork.keras import layers

RNG = np.random.default_rng(0)
X2 = RNG.normal(size=(3, 4)).astype("float32")
X4 = RNG.normal(size=(2, 3, 3, 4)).astype("float32")


def _dense_reference(x, w, b):
    return x @ w + b


@pytest.mark.parametrize("new_activation", [None, "linear"])
def test_dense_activation_removed_after_build_returns_logits(new_activation):
    layer = layers.Dense(5, activation="softmax")
    layer.build((None, 4))
    w = RNG.normal(size=(4, 5)).astype("float32")
    b = RNG.normal(size=(5,)).astype("float32")
    layer.set_weights([w, b])
    layer.activation = None if new_activation is None else tf.keras.activations.get("linear")
    out = layer(X2).numpy()
    np.testing.assert_allclose(out, _dense_reference(X2, w, b), rtol=1e-5, atol=1e-5)
    assert (out < 0).any()  # a softmax would have been all positive


def test_dense_activation_added_after_build_is_applied():
    layer = layers.Dense(5)
    layer.build((None, 4))
    w = RNG.normal(size=(4, 5)).astype("float32")
    b = RNG.normal(size=(5,)).astype("float32")
    layer.set_weights([w, b])
    layer.activation = tf.keras.activations.relu
    out = layer(X2).numpy()
    np.testing.assert_allclose(out, np.maximum(_dense_reference(X2, w, b), 0), rtol=1e-5, atol=1e-5)


def test_gradcam_model_with_activation_removed_predicts_logits():
    inputs = tf.keras.Input((4,))
    outputs = layers.Dense(3, activation="softmax", name="predictions")(inputs)
    model = tf.keras.Model(inputs, outputs)
    w = RNG.normal(size=(4, 3)).astype("float32")
    b = np.zeros(3, "float32")
    model.get_layer("predictions").set_weights([w, b])
    model.layers[-1].activation = None
    preds = model.predict(X2, verbose=0)
    np.testing.assert_allclose(preds, X2 @ w, rtol=1e-5, atol=1e-5)


def _conv_cases():
    w = RNG.normal(size=(1, 1, 4, 6)).astype("float32")
    b = RNG.normal(size=(6,)).astype("float32")
    dw = RNG.normal(size=(1, 1, 4, 1)).astype("float32")
    pw = RNG.normal(size=(1, 1, 4, 6)).astype("float32")
    bt = RNG.normal(size=(6,)).astype("float32")
    wt = RNG.normal(size=(1, 1, 6, 4)).astype("float32")  # transpose kernel: (kh, kw, out, in)
    return [
        (layers.Conv2D(6, 1, activation="relu"), [w, b], X4 @ w[0, 0] + b),
        (layers.Conv2DTranspose(6, 1, activation="relu"), [wt, bt], X4 @ wt[0, 0].T + bt),
        (layers.DepthwiseConv2D(1, activation="relu"), [dw, b[:4]], X4 * dw[0, 0, :, 0] + b[:4]),
        (
            layers.SeparableConv2D(6, 1, activation="relu"),
            [dw, pw, b],
            (X4 * dw[0, 0, :, 0]) @ pw[0, 0] + b,
        ),
    ]


@pytest.mark.parametrize("case", range(4))
def test_conv_activation_removed_after_build(case):
    layer, weights, expected = _conv_cases()[case]
    layer.build(X4.shape)
    layer.set_weights(weights)
    layer.activation = None
    out = layer(X4).numpy()
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)
    assert (out < 0).any()


def test_conv_activation_added_after_build_is_applied():
    layer = layers.Conv2D(6, 1)
    layer.build(X4.shape)
    w = RNG.normal(size=(1, 1, 4, 6)).astype("float32")
    b = RNG.normal(size=(6,)).astype("float32")
    layer.set_weights([w, b])
    layer.activation = tf.nn.relu
    out = layer(X4).numpy()
    np.testing.assert_allclose(out, np.maximum(X4 @ w[0, 0] + b, 0), rtol=1e-5, atol=1e-5)


def test_einsum_dense_activation_removed_after_build():
    layer = layers.EinsumDense("ab,bc->ac", output_shape=5, bias_axes="c", activation="relu")
    layer.build((None, 4))
    w = RNG.normal(size=(4, 5)).astype("float32")
    b = RNG.normal(size=(5,)).astype("float32")
    layer.set_weights([w, b])
    layer.activation = None
    np.testing.assert_allclose(layer(X2).numpy(), X2 @ w + b, rtol=1e-5, atol=1e-5)
