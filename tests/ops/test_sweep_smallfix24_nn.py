"""`tf.nn.compute_average_loss` on integer losses and per-example weights of lower rank.

Expected values: TensorFlow 2.21 (the reference env), same inputs.
"""

import numpy as np
import pytest
import torch

import tork as tf

f = tf.nn.compute_average_loss


@pytest.mark.parametrize(
    "loss, kwargs, value, dtype",
    [
        # Integer losses: summed in their dtype, mean in float64 (float32 for 8/16-bit).
        (([1, 2, 4], tf.int32), {}, 7 / 3, torch.float64),
        (([1, 2, 4], tf.int32), {"global_batch_size": 4}, 1.75, torch.float64),
        (([[1, 2], [3, 4]], tf.int64), {}, 5.0, torch.float64),
        (([1, 2, 4], tf.uint8), {}, 2.3333333, torch.float32),
        (([100, 100], tf.int8), {}, -28.0, torch.float32),  # int8 sum wraps, as TF
        # Weighting in float32, then cast back to the losses' dtype (per element).
        (([1, 2, 4], tf.int32), {"sample_weight": [0.5, 1.5, 2.0]}, 11 / 3, torch.float64),
        (([1, 2, 4], tf.int32), {"sample_weight": 0.5}, 1.0, torch.float64),
        (([2**40 + 1], tf.int64), {"sample_weight": 1.0}, 2.0**40, torch.float64),
        (([1.0, 2, 4], tf.float32), {"sample_weight": [1, 2, 3]}, 5.6666665, torch.float32),
        (([1.0, 2], tf.float16), {"sample_weight": [1.0, 3.0]}, 3.5, torch.float16),
        (([1 + 1e-12], tf.float64), {"sample_weight": 1.0}, 1.0, torch.float64),
    ],
)
def test_values_and_dtypes_match_tf(loss, kwargs, value, dtype):
    out = f(tf.constant(*loss), **kwargs)
    assert out.dtype == dtype
    np.testing.assert_allclose(float(out), value, rtol=1e-7)


def test_one_weight_per_example_weighs_the_leading_axis():
    # TF: 8.5 ([[1, 2], [3, 4]] weighted by rows [1, 2]); torch broadcasting would give 8.0.
    losses = tf.constant([[1.0, 2], [3, 4]])
    assert float(f(losses, sample_weight=tf.constant([1.0, 2.0]))) == 8.5
    assert float(f(losses, sample_weight=tf.constant([[1.0], [2.0]]))) == 8.5
    assert float(f(losses, sample_weight=tf.constant([[1.0, 2.0]]))) == 8.0
    assert float(f(tf.constant([[[1.0, 2], [3, 4]]]), sample_weight=tf.constant([2.0]))) == 20.0


def test_errors():
    with pytest.raises(ValueError, match=r"Expected a tensor with at least rank 1.*rank 0"):
        f(tf.constant(3.0))
    with pytest.raises(TypeError, match=r"compute_average_loss expects numeric .* got bool"):
        f(tf.constant([True, False]))
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"sample_weight of shape \(3, 1\) does not broadcast to per_example_loss of "
        r"shape \(2, 2\)",
    ):
        f(tf.constant([[1.0, 2], [3, 4]]), sample_weight=tf.constant([1.0, 2, 3]))
