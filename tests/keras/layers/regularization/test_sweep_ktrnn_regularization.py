"""Keras 2 arguments of the random regularization layers (sweep of tf_keras's own tests)."""

import numpy as np

import tork as tf

keras = tf.keras


def test_random_layers_accept_keras2_generator_arguments():
    # tf_keras's BaseRandomLayer takes force_generator= and rng_type=; they choose TF's
    # random generator and change nothing else. tork refused them (TypeError).
    x = np.ones((20, 5, 10), "float32")
    layers = [
        keras.layers.Dropout(0.5, force_generator=True),
        keras.layers.SpatialDropout1D(0.5, force_generator=True),
        keras.layers.GaussianDropout(0.5, force_generator=True, rng_type="stateless"),
        keras.layers.GaussianNoise(0.5, force_generator=True),
        keras.layers.AlphaDropout(0.5, force_generator=True),
    ]
    for layer in layers:
        inputs = keras.Input((5, 10))
        model = keras.Model(inputs, layer(inputs))
        assert layer.get_weights() == [] and model.get_weights() == []
        np.testing.assert_array_equal(model(x).numpy(), x)  # inference: identity
        assert not np.allclose(model(x, training=True).numpy(), x)
        assert "force_generator" not in layer.get_config()
