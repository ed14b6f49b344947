"""tf.ragged.constant of empty lists with ragged_rank, found by differential fuzzing,
round 4 (helper fuzzops4). Expected shapes printed by TF 2.21 (/tmp/fuzzops4/p4/probe2.py).
"""

import pytest

import tork as tf


@pytest.mark.parametrize(
    "pylist, kwargs, shape, flat_shape",
    [
        ([], {"ragged_rank": 1}, (0, None), (0,)),
        ([[]], {"ragged_rank": 2}, (1, None, None), (0,)),
        ([], {"ragged_rank": 1, "inner_shape": (2,)}, (0, None, 2), (0, 2)),
        ([[], []], {"ragged_rank": 1}, (2, None), (0,)),
        ([[]], {}, (1, None), (0,)),
    ],
)
def test_ragged_constant_of_empty_lists_reads_depth_from_ragged_rank(
    pylist, kwargs, shape, flat_shape
):
    # TF: tf.ragged.constant([], ragged_rank=1) has shape (0, None), float32 (was a
    # ValueError "ragged_rank=1 must be in [0, 0]")
    rt = tf.ragged.constant(pylist, **kwargs)
    assert tuple(rt.shape.as_list()) == shape
    assert rt.dtype == tf.float32
    assert tuple(rt.flat_values.shape) == flat_shape


def test_ragged_constant_of_an_empty_list_without_ragged_rank_is_dense():
    # TF: tf.ragged.constant([]) is a dense float32 tensor of shape (0,)
    out = tf.ragged.constant([])
    assert tuple(out.shape) == (0,) and out.dtype == tf.float32
