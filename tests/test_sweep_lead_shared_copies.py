"""One private copy of the predictions reaching two loss functions that write in place.

segmentation_models' `cce_dice_loss` is a loss object holding two losses, each of which
divides `pr /= K.sum(pr, axis=-1, keepdims=True)`. tork hands such functions a private
copy of y_pred; the first function's `/=` divided that copy in place, so the second
function saw normalized values twice (evaluate and direct calls, outside autograd, gave
1.073 where TF gives 0.929). Augmented assignments on the copies now give new tensors,
as TF's immutable tensors do. References are NumPy formulas.
"""

from __future__ import annotations

import numpy as np
import torch

import tork as tf
from tork import keras

Y_TRUE = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], np.float32)
Y_PRED = np.array([[0.6, 0.3, 0.3], [0.2, 0.5, 0.1]], np.float32)


def _normalized_sum(y_true, y_pred):
    y_pred /= tf.reduce_sum(y_pred, axis=-1, keepdims=True)
    return tf.reduce_sum(y_true * y_pred, axis=-1)


def _shifted_square(y_true, y_pred):
    y_pred -= 0.1
    return tf.reduce_sum(tf.square(y_pred), axis=-1)


class _Sum:
    """A loss object adding two losses (the segmentation_models pattern)."""

    def __init__(self):
        self.first = _normalized_sum
        self.second = _shifted_square

    def __call__(self, y_true, y_pred):
        return self.first(y_true, y_pred) + self.second(y_true, y_pred)


def _expected():
    p = Y_PRED / Y_PRED.sum(-1, keepdims=True)
    return (Y_TRUE * p).sum(-1) + ((Y_PRED - 0.1) ** 2).sum(-1)


def test_two_functions_sharing_one_copy_see_the_same_values():
    loss = keras.losses.LossFunctionWrapper(_Sum())
    y_pred = torch.tensor(Y_PRED)
    with torch.no_grad():
        value = loss(torch.tensor(Y_TRUE), y_pred)
    np.testing.assert_allclose(float(value), _expected().mean(), rtol=1e-6)
    np.testing.assert_array_equal(y_pred.numpy(), Y_PRED)  # the caller's tensor unchanged


def test_metric_wrapper_and_evaluate_match_numpy():
    metric = keras.metrics.MeanMetricWrapper(_Sum(), name="s")
    metric.update_state(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(float(metric.result()), _expected().mean(), rtol=1e-6)

    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Lambda(lambda x: x * 1.0)(inputs))
    model.compile(loss=_Sum())
    loss = model.evaluate(Y_PRED, Y_TRUE, verbose=0)
    np.testing.assert_allclose(loss, _expected().mean(), rtol=1e-6)


def test_copies_are_marked_and_other_tensors_stay_in_place():
    from tork._inplace import writable_copies

    original = torch.ones(3)
    copy = writable_copies(original)
    result = copy
    result += 1.0
    assert result is not copy  # a new tensor: the copy is shared
    np.testing.assert_array_equal(copy.numpy(), np.ones(3))
    plain = torch.ones(3)
    alias = plain
    alias += 1.0
    assert alias is plain  # a tensor outside autograd keeps torch's in-place update
