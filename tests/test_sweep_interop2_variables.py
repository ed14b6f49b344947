"""Variables under torch's inference mode and torch-style freezing (interop sweep)."""

import numpy as np
import torch

import tork as tf
from tork import keras


def test_variable_created_in_inference_mode_is_trainable_state():
    with torch.inference_mode():
        v = tf.Variable(torch.ones(3))
        w = tf.Variable(2.0)
    assert not v.is_inference() and not w.is_inference()
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v * v) + w * w
    grads = tape.gradient(y, [v, w])
    np.testing.assert_allclose(grads[0].numpy(), [2.0, 2.0, 2.0])
    assert float(grads[1]) == 4.0
    v.assign_add(torch.ones(3))
    np.testing.assert_allclose(v.numpy(), [2.0, 2.0, 2.0])


def test_model_first_built_under_inference_mode_then_fit():
    # A first predict under torch.inference_mode builds the lazy layers there; their
    # weights were inference tensors and fit failed ("Inference tensors cannot be saved").
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    x = np.array([[1.0, 2.0], [3.0, -1.0]], "float32")
    y = np.array([[1.0], [0.0]], "float32")
    with torch.inference_mode():
        model.predict(x, verbose=0)
    assert not any(w.is_inference() for w in model.weights)
    kernel = np.array([[0.5], [-0.25]], "float32")
    bias = np.array([0.1], "float32")
    model.set_weights([kernel, bias])
    model.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    # One SGD step on the mean squared error, by hand: d/dpred = 2 * err / batch.
    err = x @ kernel + bias - y
    d_pred = 2 * err / len(x)
    np.testing.assert_allclose(
        model.layers[0].kernel.numpy(), kernel - 0.5 * x.T @ d_pred, rtol=1e-6
    )
    np.testing.assert_allclose(model.layers[0].bias.numpy(), bias - 0.5 * d_pred.sum(0), rtol=1e-6)


def test_requires_grad_false_freezes_keras_weights():
    # torch's way to freeze (module.requires_grad_(False)) must keep fit from updating them.
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3), keras.layers.Dense(1)])
    first = model.layers[0]
    first.requires_grad_(False)
    assert not first.kernel.trainable
    assert len(model.trainable_weights) == 2
    assert {id(w) for w in model.non_trainable_weights} == {id(first.kernel), id(first.bias)}
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    before = first.kernel.numpy()
    last = model.layers[1].kernel.numpy()
    model.fit(np.ones((4, 2), "float32"), np.zeros((4, 1), "float32"), verbose=0)
    np.testing.assert_array_equal(first.kernel.numpy(), before)
    assert not np.array_equal(model.layers[1].kernel.numpy(), last)
    # Keras's switch turns it back on.
    first.trainable = True
    assert first.kernel.trainable and first.kernel.requires_grad
    assert len(model.trainable_weights) == 4


def test_integer_variable_stays_trainable_flagged():
    # Integer variables never require grad; that alone must not mark them frozen.
    v = tf.Variable(3, trainable=True)
    assert v.trainable
