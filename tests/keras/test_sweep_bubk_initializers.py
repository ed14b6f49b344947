"""Standalone Keras 2.0-2.3's initializer aliases (sweep "bubk", bubbliiiing's dcgan-keras).

dcgan-keras builds its layers with `initializers.normal(mean=0.0, stddev=0.02)` and
`initializers.constant(0)`; Keras 2.2's `keras/initializers.py` defined
`normal = random_normal = RandomNormal`, `uniform = random_uniform = RandomUniform`,
`zero = zeros = Zeros` and `one = ones = Ones`. tf.keras dropped the short names (its
`dir()` does not list them, nor does tork's), but code written for Keras 2 uses them.
"""

import numpy as np
import pytest

import tork as tf

initializers = tf.keras.initializers


@pytest.mark.parametrize(
    "old, new",
    [("normal", "RandomNormal"), ("uniform", "RandomUniform"), ("zero", "Zeros"), ("one", "Ones")],
)
def test_alias_is_the_class(old, new):
    assert getattr(initializers, old) is getattr(initializers, new)
    assert old not in dir(initializers)  # as tf_keras 2.21's dir() shows the module


def test_normal_alias_draws_with_the_given_moments():
    init = initializers.normal(mean=1.0, stddev=0.02, seed=3)
    values = np.asarray(init((200, 50)))
    assert abs(values.mean() - 1.0) < 0.002 and abs(values.std() - 0.02) < 0.002


def test_from_import_and_unknown_names():
    from tork.keras.initializers import one, zero

    assert float(np.asarray(one()((2,))).sum()) == 2.0
    assert float(np.asarray(zero()((2,))).sum()) == 0.0
    with pytest.raises(NotImplementedError, match="initializers.no_such_init"):
        initializers.no_such_init  # noqa: B018
