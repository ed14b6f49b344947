"""Reads of a tf.Variable through view-making ops are snapshots, as in TensorFlow.

In TF, `tf.reshape(v, [-1])` (and transpose, expand_dims, split...) reads the variable's
value at that moment: a later `assign`, optimizer step or `K.set_value` does not change
the result. torch's reshape/permute/unsqueeze give views of a variable, so tork copies
the result when the input is a variable. The expected values below were printed by
TensorFlow 2.21 (TF_USE_LEGACY_KERAS=1, tf_keras) with the same reads and writes.
"""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras

K = keras.backend

INIT = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "float32")
FULL = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
TRANSPOSED = [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]

# name -> (read, TensorFlow's value of the read, whatever write follows it)
READS = {
    "reshape": (lambda v: tf.reshape(v, [-1]), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
    "reshape_same": (lambda v: tf.reshape(v, [2, 3]), FULL),
    "transpose": (lambda v: tf.transpose(v), TRANSPOSED),
    "expand_dims": (lambda v: tf.expand_dims(v, 0), [FULL]),
    "squeeze": (lambda v: tf.squeeze(v), FULL),
    "split": (lambda v: tf.split(v, 3, axis=1)[1], [[2.0], [5.0]]),
    "split_sizes": (lambda v: tf.split(v, [1, 2], axis=1)[1], [[2.0, 3.0], [5.0, 6.0]]),
    "unstack": (lambda v: tf.unstack(v)[1], [4.0, 5.0, 6.0]),
    "strided_slice": (lambda v: tf.strided_slice(v, [0, 1], [2, 3]), [[2.0, 3.0], [5.0, 6.0]]),
    "ensure_shape": (lambda v: tf.ensure_shape(v, [2, 3]), FULL),
    "broadcast_to": (lambda v: tf.broadcast_to(v, [2, 3]), FULL),
    "real": (lambda v: tf.math.real(v), FULL),
    "conj": (lambda v: tf.math.conj(v), FULL),
    "diag_part": (lambda v: tf.linalg.diag_part(v), [1.0, 5.0]),
    "reduce_sum_no_axes": (lambda v: tf.reduce_sum(v, axis=[]), FULL),
    "stop_gradient": (lambda v: tf.stop_gradient(v), FULL),
    "slice": (lambda v: tf.slice(v, [1, 0], [1, 2]), [[4.0, 5.0]]),
    "gather_nd_element": (lambda v: tf.gather_nd(v, [1, 2]), 6.0),
    "matrix_transpose": (lambda v: tf.linalg.matrix_transpose(v), TRANSPOSED),
    "adjoint": (lambda v: tf.linalg.adjoint(v), TRANSPOSED),
    "K.reshape": (lambda v: K.reshape(v, (3, 2)), [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),
    "K.transpose": (lambda v: K.transpose(v), TRANSPOSED),
    "K.permute_dimensions": (lambda v: K.permute_dimensions(v, (1, 0)), TRANSPOSED),
    "K.flatten": (lambda v: K.flatten(v), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
    "K.batch_flatten": (lambda v: K.batch_flatten(v), FULL),
    "K.expand_dims": (lambda v: K.expand_dims(v, 0), [FULL]),
    "K.squeeze": (lambda v: K.squeeze(K.expand_dims(v, 0), 0), FULL),
    "K.identity": (lambda v: K.identity(v), FULL),
}


def _sgd_step(v):
    keras.optimizers.SGD(0.5).apply_gradients([(tf.ones([2, 3]), v)])


WRITES = {
    "assign": lambda v: v.assign(tf.zeros([2, 3])),
    "assign_add": lambda v: v.assign_add(tf.ones([2, 3])),
    "assign_sub": lambda v: v.assign_sub(tf.ones([2, 3])),
    "scatter_nd_update": lambda v: v.scatter_nd_update([[1, 1]], [50.0]),
    "slice_assign": lambda v: v[1, :].assign([7.0, 7.0, 7.0]),
    "sgd_step": _sgd_step,
    "set_value": lambda v: K.set_value(v, np.full((2, 3), 9.0, "float32")),
}

# TensorFlow's variable after each write (so the write really happened).
WRITTEN = {
    "assign": [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]],
    "assign_add": [[2.0, 3.0, 4.0], [5.0, 6.0, 7.0]],
    "assign_sub": [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]],
    "scatter_nd_update": [[1.0, 2.0, 3.0], [4.0, 50.0, 6.0]],
    "slice_assign": [[1.0, 2.0, 3.0], [7.0, 7.0, 7.0]],
    "sgd_step": [[0.5, 1.5, 2.5], [3.5, 4.5, 5.5]],
    "set_value": [[9.0, 9.0, 9.0], [9.0, 9.0, 9.0]],
}


@pytest.mark.parametrize("read", sorted(READS))
def test_read_is_a_snapshot(read):
    fn, expected = READS[read]
    for write, do in WRITES.items():
        v = tf.Variable(INIT)
        out = fn(v)
        do(v)
        np.testing.assert_allclose(v.numpy(), WRITTEN[write], err_msg=write)
        np.testing.assert_allclose(np.asarray(out), expected, err_msg=f"{read} then {write}")


def test_read_is_a_snapshot_under_no_grad():
    # The ops copy also where torch's indexing keeps its views (PyTorch-style no_grad code).
    v = tf.Variable(INIT)
    with torch.no_grad():
        out = tf.reshape(v, [-1])
        part = tf.strided_slice(v, [0, 1], [2, 3])
    v.assign_add(tf.ones([2, 3]))
    np.testing.assert_allclose(out.numpy(), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    np.testing.assert_allclose(part.numpy(), [[2.0, 3.0], [5.0, 6.0]])


def test_cast_to_floatx_of_a_float_variable_is_the_variable():
    # TF 2.21: K.cast_to_floatx(v) is tf.cast to the same dtype, which gives `v` back, so a
    # later write shows through it ([[2, 3, 4], [5, 6, 7]] after assign_add(1)).
    v = tf.Variable(INIT)
    out = K.cast_to_floatx(v)
    v.assign_add(tf.ones([2, 3]))
    np.testing.assert_allclose(np.asarray(out), [[2.0, 3.0, 4.0], [5.0, 6.0, 7.0]])


def test_plain_tensors_keep_their_views():
    # Only variables are copied: a reshape of a tensor stays a view (no cost).
    x = tf.constant(INIT)
    assert tf.reshape(x, [-1])._base is x
    assert tf.transpose(x)._base is x


def test_gradients_flow_through_snapshot_reads():
    # TensorFlow 2.21's tape.gradient of the same sum.
    v = tf.Variable(INIT)
    with tf.GradientTape() as tape:
        y = (
            tf.reduce_sum(tf.reshape(v, [-1]) * tf.range(6, dtype=tf.float32))
            + tf.reduce_sum(v[0] * 2.0)
            + tf.reduce_sum(v[:, 1:] * 3.0)
            + tf.reduce_sum(tf.transpose(v) * tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
            + tf.reduce_sum(tf.split(v, 3, axis=1)[2] * 10.0)
            + tf.reduce_sum(tf.unstack(v)[1] * 100.0)
            + tf.reduce_sum(tf.expand_dims(v, 0) ** 2)
            + tf.reduce_sum(tf.squeeze(v))
            + tf.reduce_sum(tf.broadcast_to(v, [2, 3]) * 0.5)
            + tf.reduce_sum(tf.strided_slice(v, [0, 0], [1, 2]) * 7.0)
            + tf.reduce_sum(tf.ensure_shape(v, [2, 3]) * 0.25)
            + tf.reduce_sum(tf.linalg.matrix_transpose(v)[0] * 1000.0)
        )
    grad = tape.gradient(y, v)
    np.testing.assert_allclose(
        grad.numpy(), [[1013.75, 21.75, 29.75], [1114.75, 122.75, 137.75]], rtol=1e-6
    )


def test_gradient_then_write_keeps_the_read():
    # A snapshot read in a tape, then an optimizer step, then the gradient: as TensorFlow.
    v = tf.Variable(INIT)
    with tf.GradientTape() as tape:
        flat = tf.reshape(v, [-1])
        y = tf.reduce_sum(flat * flat)
    keras.optimizers.SGD(0.5).apply_gradients([(tf.ones([2, 3]), v)])
    # d/dv sum(v**2) = 2 v at the read (the old value), not at the new one.
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), 2 * INIT)
    np.testing.assert_allclose(flat.numpy(), INIT.reshape(-1))


def test_dropout_at_rate_zero_reads_a_snapshot():
    # TF 2.21: tf.nn.dropout(v, 0.0) is the value at the call; a later assign does not change it.
    v = tf.Variable([1.0, 2.0])
    y = tf.nn.dropout(v, 0.0)
    v.assign([5.0, 6.0])
    assert y.numpy().tolist() == [1.0, 2.0]
