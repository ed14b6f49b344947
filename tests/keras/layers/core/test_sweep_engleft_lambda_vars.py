"""A Lambda whose function creates variables: Keras 2's ValueError, not a silent re-creation.

tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) raises ValueError "The following Variables were
created within a Lambda layer (lambda) but are not tracked by said layer" for a
tf.Variable made in the function (trainable or not, eager and on a keras.Input), for a
layer created in it and for a layer first built in it; a layer built outside, a variable
created outside and random ops are fine. tork re-created the variables at every call
(they never trained).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
_MATCH = r"created within a Lambda layer \(.*\)\s+but are not tracked by said layer"


def _x():
    return np.ones((2, 2), "float32")


@pytest.mark.parametrize("trainable", [True, False])
def test_variable_created_in_the_function_is_refused(trainable):
    layer = keras.layers.Lambda(lambda t: t * tf.Variable(2.0, trainable=trainable))
    with pytest.raises(ValueError, match=_MATCH) as info:
        layer(_x())
    assert "subclassed Layer" in str(info.value)
    assert "add_weight" in str(info.value)  # tork's hint (Keras 2 names no method)


def test_refused_on_a_symbolic_input_too():
    inp = keras.Input((2,))
    with pytest.raises(ValueError, match=_MATCH):
        keras.layers.Lambda(lambda t: t * tf.Variable(2.0, name="scale"))(inp)


def test_layer_created_or_first_built_in_the_function_is_refused():
    with pytest.raises(ValueError, match=_MATCH):
        keras.layers.Lambda(lambda t: keras.layers.Dense(3)(t))(_x())
    dense = keras.layers.Dense(3)
    with pytest.raises(ValueError, match=_MATCH):
        keras.layers.Lambda(lambda t: dense(t))(_x())


def test_what_keras2_accepts_still_runs():
    dense = keras.layers.Dense(3)
    dense.build((None, 2))
    assert tuple(keras.layers.Lambda(lambda t: dense(t))(_x()).shape) == (2, 3)
    v = tf.Variable(3.0)
    np.testing.assert_allclose(keras.layers.Lambda(lambda t: t * v)(_x()).numpy(), 3 * _x())
    noisy = keras.layers.Lambda(lambda t: t + tf.random.normal(tf.shape(t)))
    assert tuple(noisy(_x()).shape) == (2, 2)
    gen = keras.layers.Lambda(lambda t: t + tf.random.Generator.from_seed(1).normal((2, 2)))
    assert tuple(gen(_x()).shape) == (2, 2)
    # The check is off again after the call (and after a refused one).
    with pytest.raises(ValueError, match=_MATCH):
        keras.layers.Lambda(lambda t: t * tf.Variable(1.0))(_x())
    assert float(tf.Variable(5.0).numpy()) == 5.0
