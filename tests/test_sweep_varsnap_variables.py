"""`v[...]` of a tf.Variable is a snapshot of its value, as in TensorFlow.

Meta-learning (Reptile: `old = [w[:] for w in model.trainable_variables]`), hand-written
EMA and before/after weight checks rely on a slice keeping the value it had when it was
read. torch's basic indexing gives a view, which later writes (assign, optimizer steps,
fit, set_weights) changed. Expected values were printed by TensorFlow 2.21
(TF_USE_LEGACY_KERAS=1, tf_keras) running the same code.
"""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras

K = keras.backend

INIT = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "float32")

READS = {
    "v[0]": (lambda v: v[0], [1.0, 2.0, 3.0]),
    "v[0:1]": (lambda v: v[0:1], [[1.0, 2.0, 3.0]]),
    "v[:]": (lambda v: v[:], [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
    "v[..., None]": (
        lambda v: v[..., None],
        [[[1.0], [2.0], [3.0]], [[4.0], [5.0], [6.0]]],
    ),
    "v[:, 1]": (lambda v: v[:, 1], [2.0, 5.0]),
    "from_tensors": (
        lambda v: next(iter(tf.data.Dataset.from_tensors(v))),
        [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
    ),
    "from_tensor_slices": (
        lambda v: next(iter(tf.data.Dataset.from_tensor_slices(v))),
        [1.0, 2.0, 3.0],
    ),
}


def _sgd_step(v):
    keras.optimizers.SGD(0.5).apply_gradients([(tf.ones([2, 3]), v)])


def _adam_step(v):
    keras.optimizers.Adam(0.5).apply_gradients([(tf.ones([2, 3]), v)])


WRITES = {
    "assign": lambda v: v.assign(tf.zeros([2, 3])),
    "assign_add": lambda v: v.assign_add(tf.ones([2, 3])),
    "assign_sub": lambda v: v.assign_sub(tf.ones([2, 3])),
    "scatter_nd_update": lambda v: v.scatter_nd_update([[1, 1]], [50.0]),
    "scatter_update": lambda v: v.scatter_update(
        tf.IndexedSlices(tf.constant([[7.0, 7.0, 7.0]]), tf.constant([0]))
    ),
    "slice_assign": lambda v: v[1, :].assign([7.0, 7.0, 7.0]),
    "sgd_step": _sgd_step,
    "adam_step": _adam_step,
    "set_value": lambda v: K.set_value(v, np.full((2, 3), 9.0, "float32")),
    "batch_set_value": lambda v: K.batch_set_value([(v, np.full((2, 3), 4.0, "float32"))]),
}


@pytest.mark.parametrize("read", sorted(READS))
def test_read_is_a_snapshot(read):
    fn, expected = READS[read]
    for write, do in WRITES.items():
        v = tf.Variable(INIT)
        out = fn(v)
        do(v)
        assert not np.array_equal(v.numpy(), INIT), write  # the write happened
        np.testing.assert_allclose(np.asarray(out), expected, err_msg=f"{read} then {write}")


def test_snapshot_slice_still_assigns_into_the_variable():
    # TF 2.21: the slice keeps its value; its assign writes the variable's current row.
    v = tf.Variable(INIT)
    s = v[0:1]
    v.assign_add(tf.ones([2, 3]))
    s.assign([[0.0, 0.0, 0.0]])
    np.testing.assert_allclose(s.numpy(), [[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(v.numpy(), [[0.0, 0.0, 0.0], [5.0, 6.0, 7.0]])
    v[:, 2].assign([8.0, 9.0])
    np.testing.assert_allclose(v.numpy(), [[0.0, 0.0, 8.0], [5.0, 6.0, 9.0]])


def test_slice_of_a_slice_has_no_assign():
    # TF 2.21: AttributeError "'EagerTensor' object has no attribute 'assign'".
    v = tf.Variable(INIT)
    with pytest.raises(AttributeError, match="has no attribute 'assign'"):
        v[0][1].assign(5.0)


def test_iterating_a_variable_gives_snapshots():
    v = tf.Variable(INIT)
    rows = list(v)
    v.assign_add(tf.ones([2, 3]))
    np.testing.assert_allclose([r.numpy() for r in rows], INIT)  # TF 2.21: the old rows


def test_gradients_flow_through_slices():
    v = tf.Variable(INIT)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v[0] * 3.0) + tf.reduce_sum(v[:, 1:] ** 2) + tf.reduce_sum(v[..., None])
    # d/dv: 3 on row 0, 2 v on columns 1-2, 1 everywhere (hand-computed).
    expected = np.ones((2, 3), "float32")
    expected[0] += 3.0
    expected[:, 1:] += 2 * INIT[:, 1:]
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), expected)


def test_no_grad_indexing_stays_a_torch_view():
    # PyTorch code writes through views of a parameter under no_grad (`p[0].zero_()`).
    v = tf.Variable(INIT)
    with torch.no_grad():
        v[0].zero_()
    np.testing.assert_allclose(v.numpy(), [[0.0, 0.0, 0.0], [4.0, 5.0, 6.0]])


def _model():
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    model.set_weights(
        [np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], "float32"), np.array([0.0, 0.1], "float32")]
    )
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    return model


OLD = [[[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], [0.0, 0.1]]


def test_reptile_weights_before_fit():
    # Reptile's meta-update: new - old after a few steps of fit (TF 2.21's numbers).
    model = _model()
    old = [w[:] for w in model.trainable_variables]
    old_t = tf.transpose(model.trainable_variables[0])
    x = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], "float32")
    y = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")
    model.fit(x, y, epochs=2, batch_size=2, verbose=0, shuffle=False)
    for o, e in zip(old, OLD):
        np.testing.assert_allclose(o.numpy(), e, rtol=1e-6)
    np.testing.assert_allclose(old_t.numpy(), np.transpose(OLD[0]), rtol=1e-6)
    delta = [(w - o).numpy() for w, o in zip(model.trainable_variables, old)]
    np.testing.assert_allclose(
        delta[0],
        [[-0.088078, -0.161312], [-0.082594, -0.402375], [-0.287625, -0.464]],
        atol=1e-5,
    )
    np.testing.assert_allclose(delta[1], [-0.111469, -0.141375], atol=1e-5)


def test_weights_before_set_weights():
    model = _model()
    old = [w[:] for w in model.trainable_variables]
    model.set_weights([np.zeros((3, 2), "float32"), np.zeros(2, "float32")])
    for o, e in zip(old, OLD):
        np.testing.assert_allclose(o.numpy(), e, rtol=1e-6)


@pytest.mark.slow  # compiles the step (several seconds)
def test_slice_read_before_an_update_in_a_compiled_step():
    # TF 2.21 (tf.function(jit_compile=True), tf_keras SGD): row 1 gets row 0's value from
    # before each step's update; loss 15.5 on the fourth call.
    v = tf.Variable(INIT)
    opt = keras.optimizers.SGD(0.1)

    @tf.function(jit_compile=True)
    def step(x):
        with tf.GradientTape() as tape:
            row = v[0]
            loss = tf.reduce_sum(row * x) + tf.reduce_sum(tf.reshape(v, [-1]))
        grads = tape.gradient(loss, [v])
        opt.apply_gradients(zip(grads, [v]))
        v[1, :].assign(row)
        return loss

    for _ in range(4):
        loss = step(tf.constant([1.0, 2.0, 3.0]))
    assert float(loss) == pytest.approx(15.5)
    np.testing.assert_allclose(v.numpy(), [[0.2, 0.8, 1.4], [0.4, 1.1, 1.8]], rtol=1e-5)
