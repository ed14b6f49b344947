"""`tf.stack([])`: n-beats stacks an empty list of cosines for a one-theta seasonality block."""

import pytest
import torch

import tork as tf


def test_stack_of_an_empty_list_is_an_empty_float32_vector():
    # TF 2.21: <tf.Tensor: shape=(0,), dtype=float32, numpy=array([], dtype=float32)>
    out = tf.stack([])
    assert out.shape == (0,) and out.dtype == torch.float32
    assert tf.keras.backend.stack([]).shape == (0,)


def test_stack_of_an_empty_list_along_another_axis_is_an_error():
    # TF raises an IndexError deep inside; tork says what it accepts.
    with pytest.raises(ValueError, match=r"empty list along axis=1.*only along axis 0"):
        tf.stack([], axis=1)
