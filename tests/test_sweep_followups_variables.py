"""Keras 3's `keras.Variable(initializer=..., shape=...)`, values as Keras 3.15 gives them."""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras


def test_variable_from_an_initializer_name_and_shape():
    v = keras.Variable(initializer="ones", shape=(2, 3), dtype="float32", name="w")
    assert isinstance(v, tf.Variable)
    assert tuple(v.shape) == (2, 3) and v.dtype == torch.float32 and v.trainable
    assert np.asarray(v).tolist() == [[1.0] * 3] * 2
    assert v.name == "w:0"  # Keras 2 / tf.Variable naming


def test_variable_from_initializer_objects_callables_and_values():
    v = keras.Variable(initializer=keras.initializers.Constant(2.0), shape=(2,), name="c")
    assert np.asarray(v).tolist() == [2.0, 2.0]
    assert v.dtype == torch.float32

    def threes(shape, dtype=None):
        return np.full(shape, 3.0, "float32")

    v = keras.Variable(initializer=threes, shape=[2], trainable=False)
    assert np.asarray(v).tolist() == [3.0, 3.0] and not v.trainable
    v = keras.Variable(initializer=np.zeros((2,), "float32"))
    assert np.asarray(v).tolist() == [0.0, 0.0]
    v = keras.Variable(initializer={"class_name": "Zeros", "config": {}}, shape=(1,), dtype="int32")
    assert v.dtype == torch.int32 and np.asarray(v).tolist() == [0]


def test_initializer_without_shape_gives_keras3_message():
    with pytest.raises(ValueError) as info:
        keras.Variable(initializer="ones")
    assert str(info.value) == (
        "When creating a Variable from an initializer, the `shape` argument should be "
        "specified. Received: initializer=Ones() and shape=None"
    )
    with pytest.raises(ValueError, match="^tf.Variable needs an initial_value.$"):
        tf.Variable()
