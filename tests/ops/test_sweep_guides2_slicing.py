"""The "Introduction to tensor slicing" guide: values and errors as TF 2.21."""

import numpy as np
import pytest

import tork as tf


def test_slice_values_from_guide():
    t1 = tf.constant([0, 1, 2, 3, 4, 5, 6, 7])
    assert tf.slice(t1, begin=[1], size=[3]).tolist() == [1, 2, 3]
    t3 = tf.constant([[[1, 3, 5, 7], [9, 11, 13, 15]], [[17, 19, 21, 23], [25, 27, 29, 31]]])
    assert tf.slice(t3, begin=[1, 1, 0], size=[1, 1, 2]).tolist() == [[[25, 27]]]
    assert tf.slice(t1, [2], [-1]).tolist() == [2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize(
    "begin, size",
    [([7], [3]), ([1, 2], [1, 1]), ([-1], [2]), ([2], [-2])],
)
def test_slice_bad_begin_or_size_raises_invalid_argument(begin, size):
    # TF 2.21 eager: InvalidArgumentError ("Expected size[0] in [0, 1], but got 3", ...).
    t1 = tf.constant([0, 1, 2, 3, 4, 5, 6, 7])
    with pytest.raises(tf.errors.InvalidArgumentError, match="slice: begin"):
        tf.slice(t1, begin, size)


def test_scatter_and_mask_values_from_guide():
    t2 = tf.constant([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14], [15, 16, 17, 18, 19]])
    new_indices = tf.constant([[0, 2], [2, 1], [3, 3]])
    t7 = tf.gather_nd(t2, indices=new_indices)
    assert t7.tolist() == [2, 11, 18]
    t8 = tf.scatter_nd(indices=new_indices, updates=t7, shape=tf.constant([4, 5]))
    expected = np.zeros((4, 5), np.int64)
    expected[0, 2], expected[2, 1], expected[3, 3] = 2, 11, 18
    np.testing.assert_array_equal(t8.numpy(), expected)
    t14 = tf.constant([[-2, -7, 0], [-9, 0, 1], [0, -3, -8]])
    idx = [[0, 2], [1, 1], [2, 0]]
    assert tf.tensor_scatter_nd_max(t14, indices=idx, updates=[6, 5, 4]).tolist() == [
        [-2, -7, 6],
        [-9, 5, 1],
        [4, -3, -8],
    ]
    assert tf.boolean_mask(t2, t2 > 10).tolist() == [11, 12, 13, 14, 15, 16, 17, 18, 19]
