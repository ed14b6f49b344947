"""GroupNormalization's gradients on channels-last input (keras-sde-net trains with it).

torch 2.13's CPU backward of `group_norm` crashes the process (segmentation fault) on
a channels-last view with more than one group; the layer hands it a contiguous
tensor. The gradients are checked against NumPy formulas.
"""

import numpy as np
import torch

import tork as tf
from tork import keras


def _numpy_group_norm(x, groups, eps):
    n, h, w, c = x.shape
    g = x.reshape(n, h, w, groups, c // groups)
    mean = g.mean(axis=(1, 2, 4), keepdims=True)
    var = g.var(axis=(1, 2, 4), keepdims=True)
    return ((g - mean) / np.sqrt(var + eps)).reshape(x.shape)


def test_group_norm_gradients_channels_last():
    rng = np.random.RandomState(0)
    x = rng.uniform(size=(2, 6, 6, 4)).astype("float32")
    weight = rng.standard_normal((2, 6, 6, 4)).astype("float32")
    layer = keras.layers.GroupNormalization(groups=2)
    layer(x)
    layer.set_weights([np.array([1.0, 2.0, 0.5, -1.0], "float32"), np.full(4, 0.1, "float32")])
    with tf.GradientTape() as tape:
        y = layer(x)
        loss = tf.reduce_sum(y * weight)
    d_gamma, d_beta = tape.gradient(loss, [layer.gamma, layer.beta])
    xhat = _numpy_group_norm(x.astype("float64"), 2, 1e-3)
    np.testing.assert_allclose(d_gamma, (xhat * weight).sum(axis=(0, 1, 2)), rtol=1e-4)
    np.testing.assert_allclose(d_beta, weight.sum(axis=(0, 1, 2)), rtol=1e-5)


def test_group_norm_input_gradient_matches_finite_differences():
    rng = np.random.RandomState(1)
    x = torch.tensor(rng.uniform(size=(1, 3, 3, 4)), dtype=torch.float64, requires_grad=True)
    layer = keras.layers.GroupNormalization(groups=2, dtype="float64")
    layer(x)
    (grad,) = torch.autograd.grad((layer(x) ** 3).sum(), [x])
    base = x.detach().numpy()

    def f(v):
        return (_numpy_group_norm(v, 2, 1e-3) ** 3).sum()

    for index in [(0, 0, 0, 0), (0, 1, 2, 3), (0, 2, 1, 1)]:
        step = np.zeros_like(base)
        step[index] = 1e-6
        numeric = (f(base + step) - f(base - step)) / 2e-6
        np.testing.assert_allclose(grad[index].item(), numeric, rtol=1e-5, atol=1e-8)


def test_group_norm_trains_in_fit():
    rng = np.random.RandomState(2)
    model = keras.Sequential(
        [keras.layers.Conv2D(4, 3, input_shape=(6, 6, 1)), keras.layers.GroupNormalization(2),
         keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1)]
    )  # fmt: skip
    model.compile(loss="mse", optimizer="sgd")
    history = model.fit(rng.uniform(size=(4, 6, 6, 1)), np.ones((4, 1)), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
