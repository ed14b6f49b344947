"""Sweep of Geron's "Hands-On ML" (2nd ed.), ch. 17: loss functions with a scalar target."""

import numpy as np

from tork import keras

M = np.array([[0.2, 0.3, 0.05], [0.5, 0.1, 0.9]], "float32")


def test_scalar_target_broadcasts_as_keras2():
    # Values from tf_keras 2.21.
    np.testing.assert_allclose(
        keras.losses.kullback_leibler_divergence(0.1, M).numpy(), [-0.10986122, -0.38066626]
    )
    np.testing.assert_allclose(
        keras.losses.mean_squared_error(0.5, M).numpy(), [0.11083332, 0.10666666]
    )
    np.testing.assert_allclose(
        keras.losses.binary_crossentropy(1.0, M).numpy(), [1.93638, 1.0336972], rtol=1e-6
    )
    np.testing.assert_allclose(keras.losses.KLDivergence()(0.1, M).numpy(), -0.24526374)


class _KLDivergenceRegularizer(keras.regularizers.Regularizer):
    # Geron ch. 17's sparsity regularizer.
    def __init__(self, weight, target=0.1):
        self.weight = weight
        self.target = target

    def __call__(self, inputs):
        kl = keras.losses.kullback_leibler_divergence
        mean = keras.backend.mean(inputs, axis=0)
        return self.weight * (kl(self.target, mean) + kl(1.0 - self.target, 1.0 - mean))


def test_kl_sparsity_regularizer_on_a_layer():
    layer = keras.layers.Dense(
        3,
        activation="sigmoid",
        activity_regularizer=_KLDivergenceRegularizer(0.05),
        kernel_initializer="zeros",
        bias_initializer="zeros",
    )
    layer(np.ones((4, 2), "float32"))
    # All activations 0.5: 0.05 * 3 * (0.1 log(0.2) + 0.9 log(1.8)), divided by the batch (4).
    expected = 0.05 * 3 * (0.1 * np.log(0.2) + 0.9 * np.log(1.8)) / 4
    np.testing.assert_allclose(float(layer.losses[0]), expected, rtol=1e-5)
