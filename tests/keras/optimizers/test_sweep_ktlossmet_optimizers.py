"""Sweep of Keras 2's own optimizer tests (keras-team/tf-keras tf_keras/optimizers/).

Reference values come from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) run on the same inputs.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.optimizers.legacy
S = keras.optimizers.schedules


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_legacy_minimize_with_grad_loss(dtype):
    # tf_keras: SGD(3.0).minimize(loss, var_list, grad_loss=[42, -42]) -> [-629, 632], [-375, 382].
    v0 = tf.Variable([1.0, 2.0], dtype=dtype)
    v1 = tf.Variable([3.0, 4.0], dtype=dtype)
    L.SGD(3.0).minimize(
        lambda: 5 * v0 + 3 * v1, var_list=[v0, v1], grad_loss=tf.constant([42, -42], dtype=dtype)
    )
    np.testing.assert_allclose(v0.numpy(), [1.0 - 3 * 5 * 42.0, 2.0 + 3 * 5 * 42.0])
    np.testing.assert_allclose(v1.numpy(), [3.0 - 3 * 3 * 42.0, 4.0 + 3 * 3 * 42.0])


def test_legacy_adam_minimize_with_grad_loss_list():
    # tf_keras: [0.5000007748603821, 1.5000004768371582] (one Adam step of lr 0.5).
    v = tf.Variable([1.0, 2.0])
    L.Adam(0.5).minimize(lambda: v * v, [v], grad_loss=[1.0, 3.0])
    np.testing.assert_allclose(v.numpy(), [0.5000007748603821, 1.5000004768371582], rtol=1e-6)


def test_compute_gradients():
    opt = keras.optimizers.Adam()
    x = tf.Variable([1.0, 2.0])
    ((grad, var),) = opt.compute_gradients(lambda: x, [x])
    assert var is x and grad.tolist() == [1.0, 1.0]

    # A callable var_list is read after the loss ran: the loss may create the variables
    # (tf_keras gives [[3.0, 3.0]]).
    made = []

    def loss_fn():
        variable = tf.Variable([1.0, 2.0])
        made.append(variable)
        return variable * 3.0

    grads = opt.compute_gradients(loss_fn, lambda: made)
    assert [g.tolist() for g, _ in grads] == [[3.0, 3.0]]

    a, b = tf.Variable(2.0), tf.Variable(1.0)
    with tf.GradientTape() as tape:
        loss = a * a
    grads = keras.optimizers.SGD().compute_gradients(loss, [a, b], tape=tape)
    assert float(grads[0][0]) == 4.0 and grads[1][0] is None
    with pytest.raises(ValueError, match="`tape` is required when a `Tensor` loss is passed"):
        keras.optimizers.SGD().compute_gradients(tf.constant(1.0), [a])


def test_add_variable_from_reference_with_a_shape():
    # tf_keras: Adam().add_variable_from_reference(Variable([1., 2.]), "test", shape=[]) is a
    # scalar 0; shape=[3] for a (3, 4) variable gives a (3,) slot.
    opt = keras.optimizers.Adam()
    slot = opt.add_variable_from_reference(tf.Variable([1.0, 2.0], name="tmp"), "test", shape=[])
    assert tuple(slot.shape) == () and float(slot) == 0.0
    ref = tf.Variable(np.ones((3, 4)), dtype="float64")
    slot = opt.add_variable_from_reference(model_variable=ref, variable_name="r", shape=[3])
    assert tuple(slot.shape) == (3,) and slot.dtype == ref.dtype
    assert any(v is slot for v in opt.variables)


class _RowMean(keras.optimizers.Optimizer):
    """A Keras 2 style optimizer keeping one statistic per row (a slot of its own shape)."""

    def __init__(self, learning_rate=0.1, name="RowMean", **kwargs):
        super().__init__(name=name, **kwargs)
        self._learning_rate = self._build_learning_rate(learning_rate)

    def build(self, var_list):
        super().build(var_list)
        if getattr(self, "_rows_built", False):
            return
        self._rows_built = True
        self._rows = [
            self.add_variable_from_reference(
                model_variable=v, variable_name="r", shape=v.shape[:-1]
            )
            for v in var_list
        ]

    def update_step(self, gradient, variable):
        lr = tf.cast(self.learning_rate, variable.dtype)
        row = self._rows[self._index_dict[self._var_key(variable)]]
        row.assign(0.5 * row + 0.5 * tf.reduce_mean(gradient, axis=-1))
        variable.assign_sub(lr * tf.expand_dims(row, -1) * tf.ones_like(variable))


def test_custom_optimizer_with_shaped_slots():
    start = np.arange(6.0).reshape(2, 3)
    v = tf.Variable(start, dtype="float32")
    opt = _RowMean()
    expected, row = start.copy(), np.zeros(2)
    for i in range(3):
        grad = start + i
        opt.apply_gradients([(tf.constant(grad, dtype="float32"), v)])
        row = 0.5 * row + 0.5 * grad.mean(-1)
        expected -= 0.1 * row[:, None]
    assert [tuple(r.shape) for r in opt._rows] == [(2,)]
    np.testing.assert_allclose(v.numpy(), expected, rtol=1e-6)


def test_legacy_add_slot_with_initializer_name_and_shape():
    # tf_keras: add_slot(x, "test_slot", "ones", shape=[2, 1]) -> (2, 1) of ones.
    x = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    opt = L.Adam(name="test")
    slot = opt.add_slot(x, "test_slot", "ones", shape=[2, 1])
    assert tuple(slot.shape) == (2, 1) and slot.numpy().tolist() == [[1.0], [1.0]]
    assert opt.get_slot(x, "test_slot") is slot
    other = opt.add_slot(x, "other", "glorot_uniform", shape=[4])
    assert tuple(other.shape) == (4,)


def test_legacy_get_hyper_returns_the_schedule():
    # tf_keras: _get_hyper("learning_rate") is the ExponentialDecay itself; (2) -> 0.025.
    opt = L.SGD(S.ExponentialDecay(0.1, 1, 0.5))
    hyper = opt._get_hyper("learning_rate")
    assert isinstance(hyper, S.ExponentialDecay)
    assert float(hyper(2)) == pytest.approx(0.025)


def test_get_with_use_legacy_optimizer():
    # tf_keras: get("sgd", use_legacy_optimizer=True) is the legacy SGD (config with `decay`).
    for name in ["adadelta", "adagrad", "adam", "adamax", "nadam", "rmsprop", "sgd", "ftrl"]:
        opt = keras.optimizers.get(name, use_legacy_optimizer=True)
        assert isinstance(opt, getattr(L, type(opt).__name__))
        assert "decay" in opt.get_config()
        new = keras.optimizers.get(name, use_legacy_optimizer=False)
        assert type(new).__module__ != L.SGD.__module__
    opt = keras.optimizers.get(
        {"class_name": "SGD", "config": {"momentum": 0.5}}, use_legacy_optimizer=True
    )
    assert isinstance(opt, L.SGD) and opt.get_config()["momentum"] == 0.5
    with pytest.raises(TypeError, match=r"unexpected keyword argument\(s\) \['bogus'\]"):
        keras.optimizers.get("sgd", bogus=1)


@pytest.mark.parametrize(
    "warmup_steps, decay_steps, steps, expected",
    [
        # tf_keras 2.21 values.
        (1500, 0, [0, 250, 500, 750, 1000, 1250], [0.0, 5 / 3, 10 / 3, 5.0, 20 / 3, 25 / 3]),
        (
            2000,
            1000,
            [0, 1000, 2000, 2250, 2500, 2750],
            [0.0, 5.0, 10.0, 8.5355339, 5.0, 1.4644661],
        ),
    ],
)
def test_cosine_decay_warmup_only(warmup_steps, decay_steps, steps, expected):
    schedule = S.CosineDecay(0.0, decay_steps, warmup_target=10.0, warmup_steps=warmup_steps)
    np.testing.assert_allclose([float(schedule(s)) for s in steps], expected, rtol=1e-6)
    again = S.deserialize(S.serialize(schedule))
    np.testing.assert_allclose([float(again(s)) for s in steps], expected, rtol=1e-6)


def test_cosine_decay_zero_steps_after_warmup_and_without_warmup():
    schedule = S.CosineDecay(1.0, 0, alpha=0.1, warmup_target=2.0, warmup_steps=10)
    # Fully decayed once warmup ends (Keras 2 gives NaN there): alpha * warmup_target.
    assert float(schedule(10)) == pytest.approx(0.2)
    assert float(schedule(50)) == pytest.approx(0.2)
    with pytest.raises(ValueError, match="decay_steps` must be > 0"):
        S.CosineDecay(1.0, 0)
