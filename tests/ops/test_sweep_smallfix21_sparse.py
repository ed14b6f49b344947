"""tf.sparse.reduce_max and the segment max/min ops at a maximum of 0 (helper smallfix21).

Values: TensorFlow 2.21 (CPU) in the reference env, same calls (quoted below). TF registers
no gradient for SparseReduceMax; tork's is checked against hand-computed subgradients
(the full upstream gradient to the group's maximum, split evenly among ties, as TF's
segment_max gradient does).
"""

import numpy as np
import torch

import tork as tf

IDX = [[0, 0], [0, 1], [1, 0], [1, 1], [1, 2], [3, 1]]
VALS = [0.0, -1.0, 0.0, 2.0, 2.0, -5.0]


def test_sparse_reduce_max_values_match_tf():
    sp = tf.SparseTensor(IDX, VALS, [4, 3])
    # TF: row 2 holds no stored value and gives 0; row 3's only value is -5.
    np.testing.assert_array_equal(tf.sparse.reduce_max(sp, axis=1).numpy(), [0.0, 2.0, 0.0, -5.0])
    np.testing.assert_array_equal(tf.sparse.reduce_max(sp, axis=0).numpy(), [0.0, 2.0, 2.0])
    assert float(tf.sparse.reduce_max(sp)) == 2.0
    keep = tf.sparse.reduce_max(sp, axis=1, keepdims=True)
    np.testing.assert_array_equal(keep.numpy(), [[0.0], [2.0], [0.0], [-5.0]])
    out = tf.sparse.reduce_max(sp, axis=1, output_is_sparse=True)
    assert out.indices.numpy().tolist() == [[0], [1], [3]]
    assert out.values.numpy().tolist() == [0.0, 2.0, -5.0]
    ints = tf.SparseTensor(IDX, [0, -1, 0, 2, 2, -5], [4, 3])
    assert tf.sparse.reduce_max(ints, axis=1).numpy().tolist() == [0, 2, 0, -5]


def test_sparse_reduce_max_gradient_at_a_zero_maximum_is_not_halved():
    values = torch.tensor(VALS, requires_grad=True)
    sp = tf.SparseTensor(IDX, values, [4, 3])
    out = tf.sparse.reduce_max(sp, axis=1)
    (out * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    # Row 0: max 0 at entry 0 gets the whole 1 (was 0.5); row 1: tie 2, 2 splits 2;
    # row 3: -5 gets 4; the empty row 2 sends nothing.
    np.testing.assert_allclose(values.grad.numpy(), [1.0, 0.0, 0.0, 1.0, 1.0, 4.0])


def test_segment_max_min_siblings_match_tf_values_and_gradients():
    # TF: the same calls under tf.GradientTape, gradient of sum(result * [1, 2, ...]).
    cases = [
        ("unsorted_segment_max", [0, 0, 1, 1, 3, 3], 5, [1.0, 0.0, 0.0, 2.0, 2.0, 2.0]),
        ("unsorted_segment_min", [0, 0, 1, 2, 3, 3], 5, [0.0, 1.0, 2.0, 3.0, 2.0, 2.0]),
        ("segment_max", [0, 0, 1, 1, 3, 3], None, [1.0, 0.0, 0.0, 2.0, 2.0, 2.0]),
        ("segment_min", [0, 0, 1, 2, 3, 3], None, [0.0, 1.0, 2.0, 3.0, 2.0, 2.0]),
    ]
    big = 3.4028234663852886e38
    tf_values = {
        "unsorted_segment_max": [0.0, 3.0, -big, -2.0, -big],
        "unsorted_segment_min": [-1.0, 0.0, 3.0, -2.0, big],
        "segment_max": [0.0, 3.0, 0.0, -2.0],
        "segment_min": [-1.0, 0.0, 3.0, -2.0],
    }
    for op, ids, n, tf_grad in cases:
        data = tf.Variable([0.0, -1.0, 0.0, 3.0, -2.0, -2.0])
        fn = getattr(tf.math, op)
        with tf.GradientTape() as tape:
            out = fn(data, ids, n) if n else fn(data, ids)
            total = tf.reduce_sum(out * tf.range(1.0, 1.0 + out.shape[0]))
        np.testing.assert_allclose(out.numpy(), tf_values[op], rtol=1e-7, err_msg=op)
        np.testing.assert_allclose(tape.gradient(total, data).numpy(), tf_grad, err_msg=op)
