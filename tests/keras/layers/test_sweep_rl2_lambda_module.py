"""A Lambda's Python lambda, cloned through its config, reads globals from the module that
defined it (keras-rl2's DQN dueling head: `Lambda(lambda a: K.expand_dims(a[:, 0], -1) + ...)`
in rl/agents/dqn.py, where `K` is the backend, then `model_from_config` to build the target
network).

Reference (tf_keras 2.21, TF_USE_LEGACY_KERAS=1): with the lambda defined in a helper module
where SCALE = 2 and `__main__` holding SCALE = 100, the clone of
`Lambda(lambda a: K.expand_dims(a[:, 0], -1) * SCALE + a[:, 1:] - K.mean(a[:, 1:], axis=1,
keepdims=True))` gives [[1, 3], [-1, 3]] for [[1, 2, 4], [0.5, -1, 3]], the same as the
original. tork used `__main__`'s globals, so the clone silently computed with SCALE = 100.
"""

import sys
import types

import numpy as np

from tork import keras
from tork.keras.saving import SafeModeScope

_SOURCE = (
    "fn = lambda a: K.expand_dims(a[:, 0], -1) * SCALE + a[:, 1:]"
    " - K.mean(a[:, 1:], axis=1, keepdims=True)"
)


def _helper_module(monkeypatch):
    helper = types.ModuleType("_rl2_sweep_helper")
    helper.SCALE = 2.0
    helper.K = keras.backend
    exec(_SOURCE, helper.__dict__)  # the lambda's __module__ is the helper module
    monkeypatch.setitem(sys.modules, helper.__name__, helper)
    # `__main__` holds the same names with other meanings: they must not be used.
    monkeypatch.setattr(sys.modules["__main__"], "SCALE", 100.0, raising=False)
    monkeypatch.setattr(sys.modules["__main__"], "K", keras, raising=False)
    return helper


def test_cloned_lambda_uses_its_own_module_globals(monkeypatch):
    helper = _helper_module(monkeypatch)
    inp = keras.Input((3,))
    model = keras.Model(inp, keras.layers.Lambda(helper.fn, output_shape=(2,))(inp))
    with SafeModeScope(False):
        clone = keras.models.model_from_config(
            {"class_name": "Functional", "config": model.get_config()}
        )
    x = np.array([[1.0, 2.0, 4.0], [0.5, -1.0, 3.0]], "float32")
    np.testing.assert_allclose(np.asarray(clone(x)), [[1.0, 3.0], [-1.0, 3.0]])
    np.testing.assert_allclose(np.asarray(model(x)), [[1.0, 3.0], [-1.0, 3.0]])


def test_lambda_config_records_module(monkeypatch):
    helper = _helper_module(monkeypatch)
    config = keras.layers.Lambda(helper.fn).get_config()
    assert config["function"]["class_name"] == "__lambda__"
    assert config["function"]["module"] == "_rl2_sweep_helper"
    clone = keras.layers.Lambda.from_config(config, safe_mode=False)
    assert clone.function.__globals__["SCALE"] == 2.0
