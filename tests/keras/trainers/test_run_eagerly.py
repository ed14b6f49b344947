"""Model.run_eagerly follows tf.config.run_functions_eagerly unless compile() sets it.

Expected values are tf_keras 2.21's (compile's run_eagerly defaults to None there).
"""

from __future__ import annotations

import pytest

import tork as tf
from tork import keras


@pytest.fixture
def functions_eager():
    tf.config.run_functions_eagerly(True)
    try:
        yield
    finally:
        tf.config.run_functions_eagerly(False)


def _model():
    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])


def test_unset_run_eagerly_follows_the_global_setting():
    model = _model()
    model.compile("sgd", "mse")
    assert model.run_eagerly is False
    tf.config.run_functions_eagerly(True)
    try:
        assert model.run_eagerly is True
    finally:
        tf.config.run_functions_eagerly(False)
    assert model.run_eagerly is False


def test_an_explicit_run_eagerly_wins(functions_eager):
    model = _model()
    model.compile("sgd", "mse", run_eagerly=False)
    assert model.run_eagerly is False
    model.run_eagerly = True
    assert model.run_eagerly is True


def test_jit_compile_is_not_used_while_functions_run_eagerly(functions_eager):
    model = _model()
    model.compile("sgd", "mse", jit_compile=True)
    assert model._tork_compiles() is False
    tf.config.run_functions_eagerly(False)
    assert model._tork_compiles() is True
