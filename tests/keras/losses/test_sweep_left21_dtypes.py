"""Result dtypes of losses and metrics on float64/float16 inputs, as tf_keras.

Reference values: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1), same arrays.
"""

import numpy as np
import pytest
import torch

import tork as tf

keras = tf.keras

YT = np.array([[0, 1, 0], [1, 0, 0]])
YP = np.array([[0.2, 0.7, 0.1], [0.6, 0.3, 0.1]])


def test_huber_loss_on_float64_is_float32():
    # Keras 2's huber casts its inputs to floatx.
    loss = keras.losses.Huber()(tf.constant(YT.astype("float64")), tf.constant(YP * 3))
    assert loss.dtype == torch.float32
    np.testing.assert_allclose(float(loss), 0.26583331823349, rtol=1e-6)
    loss = keras.losses.Huber(delta=0.5)(YT.astype("float64"), YP * 3)
    assert loss.dtype == torch.float32
    np.testing.assert_allclose(float(loss), 0.2149999886751175, rtol=1e-6)


def test_huber_function_on_float16_is_float32():
    values = keras.losses.huber(
        tf.constant(YT.astype("float16")), tf.constant(YP.astype("float16") * 3)
    )
    assert values.dtype == torch.float32
    np.testing.assert_allclose(values.numpy(), [0.27542319893836975, 0.2569727897644043])


def test_other_losses_keep_float64():
    # Unlike huber, Keras 2's other losses compute in the predictions' dtype.
    loss = keras.losses.MeanSquaredError()(YT.astype("float64"), YP)
    assert loss.dtype == torch.float64


@pytest.mark.parametrize(
    "name, expected",
    [
        ("MeanSquaredError", 0.06663411855697632),
        ("MeanAbsoluteError", 0.2332763671875),
        ("LogCoshError", 0.0327320396900177),
        ("KLDivergence", 0.43352657556533813),
        ("BinaryCrossentropy", 0.276258647441864),
        ("CosineSimilarity", 0.918642520904541),
    ],
)
def test_metrics_compute_float16_inputs_at_float32(name, expected):
    # Keras 2's metrics cast the inputs to the metric dtype first: the values below are
    # float32 computations on the float16-rounded inputs, not half-precision results.
    metric = getattr(keras.metrics, name)()
    metric.update_state(tf.constant(YT.astype("float16")), tf.constant(YP.astype("float16")))
    result = metric.result()
    assert result.dtype == torch.float32
    np.testing.assert_allclose(float(result), expected, rtol=1e-6)
