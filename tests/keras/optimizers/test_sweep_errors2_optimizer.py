"""Errors for user mistakes found by the second errors sweep: optimizers."""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras


def test_swapped_gradient_variable_pairs_raise_instead_of_doing_nothing():
    # Before: the constant in the variable slot was updated and `v` silently kept its value.
    v = tf.Variable([1.0, 2.0])
    opt = keras.optimizers.SGD(0.1)
    with pytest.raises(TypeError) as info:
        opt.apply_gradients([(v, tf.constant([1.0, 1.0]))])
    text = str(info.value)
    assert "can only update variables, but received Tensor of shape (2,)" in text
    assert "(gradient, variable) pairs" in text
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


def test_correct_pairs_and_plain_parameters_still_update():
    v = tf.Variable([1.0, 2.0])
    p = torch.nn.Parameter(torch.tensor([3.0]))
    keras.optimizers.SGD(0.1).apply_gradients([(tf.constant([1.0, 1.0]), v), (torch.ones(1), p)])
    np.testing.assert_allclose(v.numpy(), [0.9, 1.9])
    np.testing.assert_allclose(p.detach().numpy(), [2.9])


def test_schedule_with_negative_decay_rate_names_the_arguments():
    # TF gives NaN here (and training then goes NaN); tork says which arguments are wrong.
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 10, -0.5)
    with pytest.raises(ValueError) as info:
        schedule(5)
    text = str(info.value)
    assert "ExponentialDecay cannot compute a learning rate at step 5" in text
    assert "'decay_rate': -0.5" in text


def test_cosine_restarts_with_t_mul_zero_names_the_arguments():
    schedule = keras.optimizers.schedules.CosineDecayRestarts(0.1, 10, t_mul=0.0)
    with pytest.raises(ValueError, match=r"CosineDecayRestarts cannot compute.*'t_mul': 0.0"):
        schedule(25)


def test_valid_schedule_values_unchanged():
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    assert float(schedule(5)) == pytest.approx(0.1 * 0.5**0.5, rel=1e-6)
    np.testing.assert_allclose(np.asarray(schedule([0, 10])), [0.1, 0.05], rtol=1e-6)
