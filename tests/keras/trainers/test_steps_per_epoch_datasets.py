"""fit(dataset, steps_per_epoch=...) across epochs: tf_keras 2.21's losses as constants."""

import warnings

import numpy as np
import pytest

import tork as tf
from tork import keras

X = np.linspace(-1, 1, 24).reshape(24, 1).astype("float32")
Y = 3 * X


def _fit(dataset, steps):
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,), kernel_initializer="zeros")])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the "ran out of data" warning
        history = model.fit(dataset, epochs=3, steps_per_epoch=steps, verbose=0)
    return history.history["loss"]


@pytest.mark.parametrize("mapped", [False, True])
def test_steps_equal_to_the_known_size_restart_the_dataset_each_epoch(mapped):
    # The ZTM course's `fit(train_data, steps_per_epoch=len(train_data), epochs=...)`.
    ds = tf.data.Dataset.from_tensor_slices((X, Y))
    if mapped:
        ds = ds.map(lambda a, b: (a, b))
    ds = ds.batch(8)
    assert len(ds) == 3
    np.testing.assert_allclose(_fit(ds, 3), [3.4134, 2.0888, 1.2751], atol=1e-4)


def test_fewer_steps_continue_through_the_dataset_until_it_ends():
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(8)
    np.testing.assert_allclose(_fit(ds, 2), [2.5866, 5.0669], atol=1e-4)


def test_unknown_size_is_not_restarted():
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).filter(lambda a, b: True).batch(8)
    np.testing.assert_allclose(_fit(ds, 3), [3.4134, 0.0], atol=1e-4)
