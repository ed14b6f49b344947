"""Sweep of Keras 2's own loss tests (keras-team/tf-keras losses_test.py), re-expressed.

Reference values come from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) run on the same inputs.
"""

import warnings

import numpy as np
import pytest
import torch

import tork as tf

losses = tf.keras.losses


def test_float64_predictions_give_a_float64_loss():
    # tf_keras: MeanSquaredError()(np [[3.68]], np [[2.1]] ** 2) -> float64 0.5328999999999999
    # (a float32 computation gives 0.53290004); the loss keeps the predictions' float64.
    out = losses.MeanSquaredError()(np.array([[3.68]]), np.array([[2.1]]) ** 2)
    assert out.dtype == torch.float64
    assert abs(float(out) - (3.68 - 2.1**2) ** 2) < 1e-12
    out = losses.BinaryCrossentropy()(np.asarray([[1, 0, 1]]), np.asarray([[0.7, 0.2, 0.4]]))
    assert out.dtype == torch.float64
    np.testing.assert_allclose(float(out), 0.4987029030900012, rtol=1e-6)
    out = losses.CategoricalCrossentropy(label_smoothing=0.2)(
        np.asarray([[1, 0, 0]]), np.asarray([[0.7, 0.2, 0.1]])
    )
    assert out.dtype == torch.float64
    np.testing.assert_allclose(float(out), 0.569919818442111, rtol=1e-6)


def test_loss_dtype_follows_predictions_not_labels():
    # tf_keras: float64 labels with float32 predictions -> float32 0.25; float32 labels with
    # float64 predictions (and a weight) -> float64 0.5.
    out = losses.MeanSquaredError()(np.array([[1.0, 2.0]]), np.array([[1.5, 2.5]], dtype="float32"))
    assert out.dtype == torch.float32
    np.testing.assert_allclose(float(out), 0.25)
    out = losses.MeanSquaredError()(
        np.array([[1.0, 2.0]], dtype="float32"), np.array([[1.5, 2.5]]), sample_weight=[2.0]
    )
    assert out.dtype == torch.float64
    np.testing.assert_allclose(float(out), 0.5)


def test_explicit_loss_dtype_and_half_inputs_unchanged():
    out = losses.MeanSquaredError(dtype="float32")(np.zeros((1, 2)), np.ones((1, 2)))
    assert out.dtype == torch.float32
    half = torch.tensor([[0.5]], dtype=torch.float16)
    assert losses.MeanSquaredError()(torch.tensor([[0.0]]), half).dtype == torch.float32


@pytest.mark.parametrize(
    "loss, name",
    [
        (losses.CategoricalCrossentropy(), "categorical_crossentropy"),
        (losses.categorical_crossentropy, "categorical_crossentropy"),
        (losses.CategoricalFocalCrossentropy(), "categorical_focal_crossentropy"),
    ],
)
def test_categorical_crossentropy_on_one_unit_warns(loss, name):
    # tf_keras warns (SyntaxWarning) that one class makes the loss 0: "In loss
    # categorical_crossentropy, expected y_pred.shape to be (batch_size, num_classes) with
    # num_classes > 1. Received: y_pred.shape=(2, 1). Consider using 'binary_crossentropy'..."
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = loss(tf.constant([[1.0], [0.0]]), tf.constant([[1.0], [1.0]]))
    assert float(tf.reduce_mean(out)) == pytest.approx(0.0, abs=1e-6)
    msgs = [w for w in caught if w.category is SyntaxWarning]
    assert msgs and f"In loss {name}, expected y_pred.shape" in str(msgs[-1].message)
    assert "(2, 1)" in str(msgs[-1].message) and "binary_crossentropy" in str(msgs[-1].message)
    assert msgs[-1].filename == __file__


def test_categorical_crossentropy_with_classes_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error", SyntaxWarning)
        out = losses.CategoricalCrossentropy()([[0.0, 1.0]], [[0.2, 0.8]])
    np.testing.assert_allclose(float(out), -np.log(0.8), rtol=1e-5)
