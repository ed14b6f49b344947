"""Reusing one unseeded initializer instance warns, as Keras 2 does.

Hvass-Labs tutorial #16 builds every layer with one `init = TruncatedNormal(stddev=2e-2)`;
tf_keras 2.21 then warns that the instance returns identical values each time.
"""

import warnings

import numpy as np
import pytest

from tork import keras

MESSAGE = (
    "The initializer TruncatedNormal is unseeded and being called multiple times, which will "
    "return identical values each time"
)


def test_second_call_of_unseeded_instance_warns():
    init = keras.initializers.TruncatedNormal(mean=0.0, stddev=2e-2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = np.asarray(init((3, 3)))  # the first call is silent
    with pytest.warns(UserWarning, match=MESSAGE):
        second = np.asarray(init((3, 3)))
    np.testing.assert_array_equal(first, second)


def test_layers_sharing_an_unseeded_instance_warn():
    init = keras.initializers.TruncatedNormal(mean=0.0, stddev=2e-2)
    with pytest.warns(UserWarning, match=MESSAGE):
        keras.Sequential(
            [
                keras.layers.Dense(4, kernel_initializer=init, input_shape=(4,)),
                keras.layers.Dense(4, kernel_initializer=init),
            ]
        )


def test_seeded_instance_and_fresh_instances_are_silent():
    seeded = keras.initializers.GlorotUniform(seed=1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        seeded((2, 2))
        seeded((2, 2))
        keras.Sequential(
            [
                keras.layers.Dense(3, input_shape=(2,)),
                keras.layers.Dense(3, kernel_initializer="glorot_uniform"),
            ]
        )
