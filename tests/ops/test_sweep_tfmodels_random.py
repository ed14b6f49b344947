"""`tf.random.stateless_uniform(..., minval=None, maxval=None, dtype=tf.int32)`.

TF draws integers over the dtype's full range when both bounds are None; tf-models'
KernelAttention (create_projection_matrix) advances its seed that way and tork raised
'Must specify maxval'. Values need not equal TF's (another generator); the range,
dtype and determinism are TF's.
"""

import pytest
import torch

import tork as tf


@pytest.mark.parametrize("dtype", [tf.int32, tf.int64, tf.uint8])
def test_full_range_integers(dtype):
    a = tf.random.stateless_uniform([256], seed=[1, 2], minval=None, maxval=None, dtype=dtype)
    b = tf.random.stateless_uniform([256], seed=[1, 2], minval=None, maxval=None, dtype=dtype)
    assert a.dtype == dtype and tuple(a.shape) == (256,)
    assert torch.equal(a, b)  # the seed fixes the values
    info = torch.iinfo(dtype)
    # Spread over the full range: far beyond any small default bound.
    assert int(a.max()) > info.max // 4
    if info.min < 0:
        assert int(a.min()) < info.min // 4


def test_seed_from_a_seed_tensor_feeds_the_next_draw():
    seed = tf.random.stateless_uniform([2], seed=[0, 0], minval=None, maxval=None, dtype=tf.int32)
    x = tf.random.stateless_normal((3, 3), seed=seed)
    assert tuple(x.shape) == (3, 3)


def test_missing_maxval_still_names_the_fix():
    with pytest.raises(
        ValueError, match="Must specify maxval for integer dtype int32.*minval=None"
    ):
        tf.random.stateless_uniform([2], seed=[1, 2], dtype=tf.int32)
