"""Variable.assign / assign_add / assign_sub refuse a value of another shape, as TensorFlow.

Found by differential fuzzing of tf.Variable against TensorFlow 2.21 (helper fuzztape):
tork broadcast `v.assign(tf.ones([2]))` into a (3, 2) variable; TF 2.21 raises
`ValueError: Cannot assign value to variable ' Variable:0': Shape mismatch...` for assign
and `InvalidArgumentError: Cannot update variable with shape [3,2] using a Tensor with
shape [2], shapes must be equal` for assign_add/assign_sub (also for a scalar value).
"""

import numpy as np
import pytest

import tork as tf


@pytest.mark.parametrize(
    "value", [np.ones(2, np.float32), np.ones((1, 2), np.float32), np.float32(1.0), 1.0, [1.0, 2.0]]
)
@pytest.mark.parametrize("method", ["assign", "assign_add", "assign_sub"])
def test_no_broadcasting(method, value):
    v = tf.Variable(np.zeros((3, 2), np.float32))
    with pytest.raises(ValueError, match=r"shape \(3, 2\).*exact shape.*tf.fill"):
        getattr(v, method)(tf.constant(value) if method == "assign" else value)
    np.testing.assert_array_equal(v.numpy(), np.zeros((3, 2)))


def test_scalar_variable_refuses_a_length_one_value():
    w = tf.Variable(2.0)
    for method in ("assign", "assign_add", "assign_sub"):
        with pytest.raises(ValueError, match=r"shape \(1,\) to variable"):
            getattr(w, method)(tf.ones([1]))
    assert float(w) == 2.0


def test_exact_shapes_still_work():
    v = tf.Variable(np.zeros((3, 2), np.float32))
    v.assign(np.ones((3, 2), np.float32))
    v.assign_add(tf.ones([3, 2]))
    v.assign_sub(np.full((3, 2), 0.5, np.float32))
    np.testing.assert_array_equal(v.numpy(), np.full((3, 2), 1.5))
    w = tf.Variable(1.0)
    w.assign(3)
    w.assign_add(2)
    assert float(w) == 5.0
    # A variable created with a None dimension takes a new size (TF: shape=[None, 2]).
    u = tf.Variable(np.zeros((3, 2), np.float32), shape=[None, 2])
    u.assign(np.ones((5, 2), np.float32))
    assert tuple(u.shape) == (5, 2)
