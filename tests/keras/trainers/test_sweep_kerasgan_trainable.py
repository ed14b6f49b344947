"""fit/train_on_batch run with the layers' `trainable` flags as they were at compile (Keras 2).

Keras-GAN's ACGAN/DCGAN compile a discriminator holding BatchNormalization, set
`discriminator.trainable = False`, compile the combined model and then call
`discriminator.train_on_batch`: its BatchNormalization must run in training mode (batch
statistics, moving averages updated), as in tf_keras.
"""

import numpy as np
import pytest

from tork import keras

X = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 4.0], [2.0, 1.0]], dtype="float32")


def _bn_model():
    model = keras.Sequential([keras.layers.BatchNormalization(input_shape=(2,))])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


def test_frozen_after_compile_trains_in_training_mode():
    model = _bn_model()
    model.trainable = False
    loss = model.train_on_batch(X, np.zeros((4, 2), "float32"))
    # Batch statistics (training mode), epsilon 1e-3: the loss is mean(var / (var + eps)).
    var = X.var(axis=0)
    np.testing.assert_allclose(loss, np.mean(var / (var + 1e-3)), rtol=1e-5)
    gamma, beta, moving_mean, moving_var = model.layers[0].get_weights()
    np.testing.assert_allclose(moving_mean, 0.01 * X.mean(axis=0), rtol=1e-5)
    # d loss / d gamma_j = (2 / 8) * sum_i xhat_ij^2 = var_j / (var_j + eps); one SGD(0.1) step.
    np.testing.assert_allclose(gamma, 1.0 - 0.1 * var / (var + 1e-3), rtol=1e-4)
    # The flag set after compile is back once training is done.
    assert model.trainable is False
    assert model.layers[0].trainable is False


def test_frozen_at_compile_stays_frozen_when_unfrozen_later():
    inner = _bn_model()
    inner.trainable = False
    outer = keras.Sequential([inner])
    outer.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    inner.trainable = True
    before = inner.get_weights()
    with pytest.warns(UserWarning, match="no trainable weights"):
        loss = outer.train_on_batch(X, np.zeros((4, 2), "float32"))
    # Inference mode (moving mean 0, variance 1): the loss is mean(x^2) / (1 + eps).
    np.testing.assert_allclose(loss, np.mean(X**2) / (1 + 1e-3), rtol=1e-5)
    for a, b in zip(before, inner.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert inner.trainable is True


def test_fit_uses_compiled_flags():
    model = _bn_model()
    model.trainable = False
    model.fit(X, np.zeros((4, 2), "float32"), batch_size=4, epochs=1, verbose=0)
    np.testing.assert_allclose(model.layers[0].get_weights()[2], 0.01 * X.mean(axis=0), rtol=1e-5)
    assert model.layers[0].trainable is False
