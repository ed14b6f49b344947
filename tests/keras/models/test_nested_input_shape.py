"""A Sequential model whose first layer is a model with a known input is built at once.

TensorFlow's image-classification tutorial puts a data-augmentation Sequential (whose first
layer has `input_shape`) first in the model and calls `summary()` before any data.
"""

import numpy as np

from tork import keras
from tork.keras import layers


def test_nested_sequential_and_functional_first_layers():
    augmentation = keras.Sequential([layers.RandomFlip("horizontal", input_shape=(8, 8, 3))])
    model = keras.Sequential([augmentation, layers.Flatten(), layers.Dense(2)])
    assert model.built and model.output_shape == (None, 2)
    assert tuple(model.layers[-1].kernel.shape) == (8 * 8 * 3, 2)
    inputs = keras.Input((5,))
    block = keras.Model(inputs, layers.Dense(4)(inputs))
    outer = keras.Sequential([block, layers.Dense(1)])
    assert outer.built and outer.output_shape == (None, 1)
    x = np.ones((2, 5), "float32")
    w1, b1 = (w.numpy() for w in block.weights)
    w2, b2 = (w.numpy() for w in outer.layers[-1].weights)
    np.testing.assert_allclose(outer.predict(x, verbose=0), (x @ w1 + b1) @ w2 + b2, rtol=1e-6)


def test_sequential_starting_with_a_sequential_built_elsewhere_builds():
    # RL code shares a core Sequential between actor and critic: the core was built inside
    # the first model, so the second knows its input shape (Keras 3 builds it; before,
    # get_weights silently returned only the core's 4 arrays).
    core = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(2)])
    keras.Sequential([keras.Input((4,)), core, keras.layers.Dense(1)])
    critic = keras.Sequential([core, keras.layers.Dense(5)])
    assert critic.built
    assert [w.shape for w in critic.get_weights()] == [(4, 3), (3,), (3, 2), (2,), (2, 5), (5,)]
    assert tuple(critic.output_shape) == (None, 5)


def test_build_keeps_the_declared_input_of_the_first_layer():
    # tf_keras: a Sequential built from Dense(3, input_shape=(4,)) keeps (None, 4) when
    # build((1, 4)) is called (the YunYang multi-GPU script does so).
    model = keras.Sequential([keras.layers.Dense(3, input_shape=(4,))])
    model.build((1, 4))
    assert tuple(model.output_shape) == (None, 3)
    assert model.predict(np.ones((5, 4)), verbose=0).shape == (5, 3)
