"""tf.Variable on torch.nn.Parameter."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch

import tork as tf


def test_python_values_get_tensorflow_dtypes():
    assert tf.Variable(1.0).dtype == tf.float32
    assert tf.Variable(1).dtype == tf.int32
    assert tf.Variable(np.zeros(2)).dtype == tf.float64
    assert tf.Variable(1.0, dtype=tf.float64).dtype == tf.float64


def test_variable_is_a_parameter_usable_in_every_op():
    v = tf.Variable([[1.0, 2.0]])
    assert isinstance(v, torch.nn.Parameter)
    out = v @ torch.ones(2, 1, device=v.device) + 1
    assert type(out) is torch.Tensor
    np.testing.assert_allclose(out.detach().numpy(), [[4.0]])


def test_assign_family_updates_in_place_without_history():
    v = tf.Variable([1.0, 2.0])
    ref = v
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub(torch.tensor([0.5, 0.5]))
    assert ref is v
    np.testing.assert_allclose(v.numpy(), [3.5, 4.5])
    assert v.grad_fn is None and v.is_leaf


def test_assign_of_wrong_shape_names_variable_and_shapes():
    v = tf.Variable([1.0, 2.0], name="w")
    with pytest.raises(ValueError, match=r"shape \(3,\) to variable 'w' of shape \(2,\)"):
        v.assign([1.0, 2.0, 3.0])


def test_name_trainable_shape_numpy_and_repr():
    v = tf.Variable(np.ones((2, 3), "float32"), name="kernel", trainable=False)
    assert v.name == "kernel:0"
    assert not v.trainable and not v.requires_grad
    assert tuple(v.shape) == (2, 3)
    assert v.numpy().shape == (2, 3)
    assert "tf.Variable 'kernel:0' shape=(2, 3) dtype=float32" in repr(v)
    v.trainable = True
    assert v.requires_grad


def test_integer_variables_never_require_grad():
    step = tf.Variable(0)
    assert step.trainable and not step.requires_grad
    step.assign_add(1)
    assert int(step) == 1


def test_callable_initial_value_and_missing_value():
    v = tf.Variable(lambda: torch.full((2,), 7.0))
    np.testing.assert_allclose(v.numpy(), [7.0, 7.0])
    with pytest.raises(ValueError, match="needs an initial_value"):
        tf.Variable()


def test_read_value_follows_gradients():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = v.read_value() ** 2
    assert float(tape.gradient(y, v)) == 4.0


def test_deepcopy_and_pickle_keep_type_and_attributes():
    v = tf.Variable([1.0], name="x", trainable=False)
    for clone in (copy.deepcopy(v), pickle.loads(pickle.dumps(v))):
        assert isinstance(clone, tf.Variable)
        assert clone.name == "x:0" and not clone.trainable
        np.testing.assert_allclose(clone.numpy(), [1.0])


def test_float_and_numpy_of_grad_tensors():
    v = tf.Variable(3.0)
    loss = v * 2
    assert float(loss) == 6.0
    assert loss.numpy() == 6.0


def test_numpy_and_get_weights_are_copies_not_views():
    from tork import keras

    v = tf.Variable([1.0, 2.0])
    before = v.numpy()
    v.assign_add([1.0, 1.0])
    np.testing.assert_array_equal(before, [1.0, 2.0])
    layer = keras.layers.Dense(2, kernel_initializer="ones")
    layer.build((None, 2))
    saved = layer.get_weights()
    layer.kernel.assign(np.zeros((2, 2), "float32"))
    np.testing.assert_array_equal(saved[0], np.ones((2, 2)))


def test_assign_with_read_value_false_returns_none_as_tensorflow():
    v = tf.Variable([1.0, 2.0])
    assert v.assign([3.0, 4.0], read_value=False) is None
    assert v.assign_add([1.0, 1.0], read_value=False) is None
    assert v.assign_sub([2.0, 2.0], read_value=False) is None
    assert v.numpy().tolist() == [2.0, 3.0]
    assert v.assign([0.0, 0.0]) is v


def test_repr_matches_tensorflow_2_21():
    # Strings printed by TF 2.21 for the same variables.
    assert repr(tf.Variable(1.1, name="c")) == (
        "<tf.Variable 'c:0' shape=() dtype=float32, numpy=1.100000023841858>"
    )
    assert repr(tf.Variable(3, name="i")) == "<tf.Variable 'i:0' shape=() dtype=int32, numpy=3>"
    assert repr(tf.Variable([1, 2], name="b")) == (
        "<tf.Variable 'b:0' shape=(2,) dtype=int32, numpy=array([1, 2], dtype=int32)>"
    )
    assert repr(tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="m")) == (
        "<tf.Variable 'm:0' shape=(2, 2) dtype=float32, numpy=\n"
        "array([[1., 2.],\n       [3., 4.]], dtype=float32)>"
    )
