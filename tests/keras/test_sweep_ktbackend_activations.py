"""Sweep of tf_keras's activations tests: behaviours tork differed on.

Reference values from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) in the reference env.
"""

import numpy as np
import pytest
import torch

import tork as tf

keras = tf.keras


def _dense_with_leaky_relu():
    model = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(3, activation=keras.layers.LeakyReLU(alpha=0.1))]
    )
    model.set_weights([np.array([[1.0, -1.0, 0.5], [2.0, 0.0, -3.0]], "float32"), np.zeros(3)])
    return model


def test_layer_activation_round_trips_through_config():
    # tf.keras 2 resolves an activation config naming an activation layer (LeakyReLU,
    # PReLU, ...); tork raised "Unknown activation 'LeakyReLU'".
    model = _dense_with_leaky_relu()
    clone = keras.Sequential.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    activation = clone.layers[0].activation
    assert type(activation).__name__ == "LeakyReLU"
    assert activation.get_config()["alpha"] == pytest.approx(0.1)
    # tf_keras: [[3.0, -0.1, -0.25]]
    np.testing.assert_allclose(
        np.asarray(clone(np.array([[1.0, 1.0]], "float32"))), [[3.0, -0.1, -0.25]], rtol=1e-6
    )


def test_layer_activation_round_trips_through_h5(tmp_path):
    model = _dense_with_leaky_relu()
    path = str(tmp_path / "m.h5")
    model.save(path)
    loaded = keras.models.load_model(path, compile=False)
    assert type(loaded.layers[0].activation).__name__ == "LeakyReLU"
    np.testing.assert_allclose(
        np.asarray(loaded(np.array([[1.0, 1.0]], "float32"))), [[3.0, -0.1, -0.25]], rtol=1e-6
    )


def test_activations_deserialize_keras2_layer_dicts():
    # A Keras 2 saved config carries module/registered_name too.
    config = {
        "module": "keras.layers",
        "class_name": "LeakyReLU",
        "config": {"name": "leaky", "trainable": True, "dtype": "float32", "alpha": 0.3},
        "registered_name": None,
    }
    layer = keras.activations.deserialize(config)
    assert type(layer).__name__ == "LeakyReLU"
    np.testing.assert_allclose(np.asarray(layer(tf.constant([-1.0, 2.0]))), [-0.3, 2.0])
    assert type(keras.activations.deserialize({"class_name": "PReLU", "config": {}})).__name__ == (
        "PReLU"
    )
    # Function names still win and unknown names still fail clearly.
    assert keras.activations.deserialize({"class_name": "relu"}) is keras.activations.relu
    with pytest.raises(ValueError, match="Unknown activation 'nope'"):
        keras.activations.get("nope")


def test_relu_layer_keeps_integer_dtype():
    # tf_keras: ReLU(max_value=100.0, dtype="int64") on int64 gives int64 [0, 1, 100];
    # tork gave float32 (torch.clamp with a float bound promotes).
    out = keras.layers.ReLU(max_value=100.0, dtype="int64")(
        tf.constant([-3, 1, 200], dtype="int64")
    )
    assert out.dtype == torch.int64
    np.testing.assert_array_equal(np.asarray(out), [0, 1, 100])
    # Constants are cast (truncated) to the input's dtype: tf_keras gives [-3, -1, 2, 3].
    out = keras.layers.ReLU(max_value=3.5, negative_slope=1.5, dtype="int32")(
        tf.constant([-3, -1, 2, 5])
    )
    assert out.dtype == torch.int32
    np.testing.assert_array_equal(np.asarray(out), [-3, -1, 2, 3])


def test_relu_layer_int_symbolic_dtype():
    inputs = keras.Input(shape=(), dtype="int64")
    out = keras.layers.ReLU(max_value=100.0, dtype="int64")(inputs)
    assert out.dtype == torch.int64
