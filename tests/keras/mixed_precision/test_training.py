"""Mixed precision end to end: compile/fit with a LossScaleOptimizer, and a custom loop."""

from __future__ import annotations

import numpy as np
import torch

import tork as tf
from tork.keras import layers, mixed_precision, optimizers


def _data(n=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 8, 3)).astype("float32")
    y = (x[:, :, 0].mean(axis=1) > 0).astype("int64")
    return x, y


def _model():
    return tf.keras.Sequential(
        [
            tf.keras.Input((8, 3)),
            layers.Conv1D(8, 3, activation="relu"),
            layers.GlobalAveragePooling1D(),
            layers.Dense(2, dtype="float32"),
            layers.Activation("softmax", dtype="float32"),
        ]
    )


def test_fit_mixed_bfloat16_with_loss_scale_optimizer():
    torch.manual_seed(0)
    mixed_precision.set_global_policy("mixed_bfloat16")
    model = _model()
    opt = mixed_precision.LossScaleOptimizer(optimizers.Adam(0.02))
    model.compile(optimizer=opt, loss="sparse_categorical_crossentropy")
    assert model.optimizer is opt
    x, y = _data()
    conv = model.layers[0]
    assert conv.compute_dtype == "bfloat16" and conv.kernel.dtype == torch.float32
    before = model.evaluate(x, y, verbose=0)
    history = model.fit(x, y, batch_size=16, epochs=5, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < losses[0]
    assert model.evaluate(x, y, verbose=0) < before
    assert int(opt.iterations) == 20
    assert all(w.dtype == torch.float32 for w in model.trainable_weights)
    assert model(x[:2]).dtype == torch.float32


def test_custom_loop_mixed_float16_keras2_style():
    torch.manual_seed(0)
    mixed_precision.set_global_policy("mixed_float16")
    model = _model()
    opt = mixed_precision.LossScaleOptimizer(optimizers.SGD(0.5))
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy()
    x, y = _data()
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    losses = []
    for _ in range(10):
        with tf.GradientTape() as tape:
            probs = model(x, training=True)
            loss = loss_fn(y, probs)
            scaled_loss = opt.get_scaled_loss(loss)
        assert model.layers[0](x).dtype == torch.float16
        scaled_grads = tape.gradient(scaled_loss, model.trainable_variables)
        grads = opt.get_unscaled_gradients(scaled_grads)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(float(loss))
    assert losses[-1] < losses[0]
    assert all(w.dtype == torch.float32 for w in model.trainable_variables)


def _one_sgd_step(optimizer):
    """One fit step of a zero-initialised linear model under MSE with `optimizer`."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 2)).astype("float32")
    y = rng.normal(size=(4, 1)).astype("float32")
    model = tf.keras.Sequential([tf.keras.Input((2,)), layers.Dense(1, kernel_initializer="zeros")])
    model.compile(optimizer=optimizer, loss="mse")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    kernel, bias = model.get_weights()
    # Hand-computed: with zero weights the MSE gradient is -2/N x^T y (kernel), -2/N sum y.
    np.testing.assert_allclose(kernel, 0.1 * 2 / 4 * x.T @ y, rtol=1e-5)
    np.testing.assert_allclose(bias, 0.1 * 2 / 4 * y.sum(0), rtol=1e-5)
    return model


def test_fit_scales_the_loss_and_the_optimizer_unscales_the_gradients():
    # A fixed scale of 1024: fit must scale the loss, or the update would be 1024x too small.
    opt = mixed_precision.LossScaleOptimizer(optimizers.SGD(0.1), dynamic=False, initial_scale=1024)
    scaled = []
    scale_loss = opt.scale_loss
    opt.scale_loss = lambda loss: scaled.append(float(loss)) or scale_loss(loss)
    _one_sgd_step(opt)
    assert len(scaled) == 1
    assert float(opt.loss_scale) == 1024


def test_fit_honours_loss_scale_factor():
    _one_sgd_step(optimizers.SGD(0.1, loss_scale_factor=8.0))


def test_compile_wraps_the_optimizer_under_mixed_float16():
    mixed_precision.set_global_policy("mixed_float16")
    model = tf.keras.Sequential([tf.keras.Input((3,)), layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    assert isinstance(model.optimizer, mixed_precision.LossScaleOptimizer)
    assert type(model.optimizer.inner_optimizer).__name__ == "SGD"
    model.compile(optimizer="sgd", loss="mse", auto_scale_loss=False)
    assert type(model.optimizer).__name__ == "SGD"
    mixed_precision.set_global_policy("mixed_bfloat16")  # bfloat16 needs no loss scaling
    model = tf.keras.Sequential([tf.keras.Input((3,)), layers.Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    assert type(model.optimizer).__name__ == "SGD"
