"""`keras.models.clone_model` of a model holding `Lambda(lambda ...)` (keras-rl-style target
networks; DQN's dueling head is a Lambda of a Python lambda).

Reference (tf_keras 2.21, TF_USE_LEGACY_KERAS=1): clone_model of
`Model(inp, Lambda(lambda a: a * 2)(inp))` gives [[2, 2, 2]] for ones, and a Sequential with
`Lambda(lambda a: a * 3)` gives [[3, 3, 3]], with no safe_mode argument: the clone copies
layers already in memory. Inside `SafeModeScope(True)` tf_keras's Lambda.from_config refuses
the bytecode. (Keras 3.15 refuses even outside a scope; Keras 2 behaviour is kept.)
tork raised the safe-mode error in every case, even inside `SafeModeScope(False)`.
"""

import numpy as np
import pytest

from tork import keras
from tork.keras.saving import SafeModeScope


def _ones():
    return np.ones((1, 3), "float32")


def test_clone_functional_model_with_python_lambda():
    inp = keras.Input((3,))
    model = keras.Model(inp, keras.layers.Lambda(lambda a: a * 2)(inp))
    np.testing.assert_allclose(np.asarray(keras.models.clone_model(model)(_ones())), [[2.0] * 3])


def test_clone_sequential_model_with_python_lambda():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Lambda(lambda a: a * 3)])
    np.testing.assert_allclose(np.asarray(keras.models.clone_model(model)(_ones())), [[3.0] * 3])


def test_lambda_from_config_follows_safe_mode_scope():
    config = keras.layers.Lambda(lambda a: a + 1).get_config()
    with SafeModeScope(False):
        layer = keras.layers.Lambda.from_config(config)
    np.testing.assert_allclose(np.asarray(layer(_ones())), [[2.0] * 3])
    with SafeModeScope(True), pytest.raises(ValueError, match="safe_mode=False"):
        keras.layers.Lambda.from_config(config)


def test_clone_inside_safe_scope_still_refuses_bytecode():
    inp = keras.Input((3,))
    model = keras.Model(inp, keras.layers.Lambda(lambda a: a * 2)(inp))
    with SafeModeScope(True), pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.clone_model(model)
