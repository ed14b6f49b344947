"""Keras 3's top-level scopes and helpers: keras.name_scope, keras.device, keras.version,
keras.StatelessScope, keras.remat (tork/keras/_scopes.py).

Expected values are Keras 3.15's (run on TF 2.21) or NumPy formulas.
"""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras


# ----------------------------------------------------------------------------- name_scope
def test_name_scope_prefixes_variable_paths_as_keras():
    # Keras 3.15: outer/v, outer/inner/w; `with ... as s` gives the scope object.
    with keras.name_scope("outer") as outer:
        v = keras.Variable(1.0, name="v")
        with keras.name_scope("inner") as inner:
            w = keras.Variable(1.0, name="w")
            assert tf.get_current_name_scope() == "outer/inner"
    assert isinstance(outer, keras.name_scope) and inner.name == "inner"
    assert v.path == "outer/v" and w.path == "outer/inner/w"
    assert keras.Variable(1.0, name="u").path == "u"
    assert tf.get_current_name_scope() == ""


def test_name_scope_dedup_and_override_parent():
    # Same name, no caller: nests (Keras 3.15 gives a/a/x).
    with keras.name_scope("a"):
        with keras.name_scope("a"):
            x = keras.Variable(1.0, name="x")
    assert x.path == "a/a/x"
    # Same name and same caller: the inner scope adds nothing.
    owner = object()
    with keras.name_scope("blk", caller=owner):
        with keras.name_scope("blk", caller=owner):
            y = keras.Variable(1.0, name="y")
        with keras.name_scope("blk", caller=owner, deduplicate=False):
            z = keras.Variable(1.0, name="z")
    assert y.path == "blk/y" and z.path == "blk/blk/z"
    # override_parent replaces the enclosing path (Keras 3.15 gives r/q/y).
    with keras.name_scope("p"):
        with keras.name_scope("q", override_parent="r"):
            q = keras.Variable(1.0, name="y")
        after = keras.Variable(1.0, name="t")
    assert q.path == "r/q/y" and after.path == "p/t"


def test_name_scope_layers_follow_keras_2_names():
    # tf_keras: a layer called inside a scope gets outer/<layer>/kernel:0.
    with keras.name_scope("outer"):
        dense = keras.layers.Dense(2, name="e")
        dense(np.zeros((1, 3), np.float32))
    assert [w.name for w in dense.weights] == ["outer/e/kernel:0", "outer/e/bias:0"]


@pytest.mark.parametrize("bad", [3, "a/b"])
def test_name_scope_rejects_bad_names(bad):
    with pytest.raises(
        ValueError,
        match=r"Argument `name` must be a string and cannot contain character `/`\. "
        rf"Received: name={bad}",
    ):
        keras.name_scope(bad)


# ------------------------------------------------------------------ device, version, aliases
def test_device_version_and_float_policy_alias():
    with keras.device("cpu:0"):
        assert keras.ops.zeros((2,)).device.type == "cpu"
    with keras.device("/CPU:0"):
        assert keras.ops.ones((1,)).device.type == "cpu"
    with pytest.raises(ValueError, match="Unknown device type 'foo'"):
        with keras.device("foo"):
            pass
    assert keras.version() == keras.__version__ and isinstance(keras.version(), str)
    policy = keras.FloatDTypePolicy("mixed_float16")
    assert isinstance(policy, keras.DTypePolicy)
    assert policy.compute_dtype == "float16" and policy.variable_dtype == "float32"


# ------------------------------------------------------------------------- StatelessScope
def test_stateless_scope_reads_mapped_values_and_collects_writes():
    v = keras.Variable(1.0)
    w = keras.Variable(np.zeros(2, np.float32))
    given = torch.tensor(5.0)
    with keras.StatelessScope([(v, given)]) as scope:
        assert float(v) == 5.0 and float(v * 2) == 10.0
        v.assign_add(1.0)
        w.assign([3.0, 4.0])
        assert float(v) == 6.0 and w.tolist() == [3.0, 4.0]
        assert float(scope.get_current_value(v)) == 6.0
    # Keras 3.15: variables keep their values; the writes are collected.
    assert float(v) == 1.0 and w.tolist() == [0.0, 0.0]
    assert float(scope.get_current_value(v)) == 6.0
    assert scope.get_current_value(w).tolist() == [3.0, 4.0]
    assert scope.get_current_value(keras.Variable(2.0)) is None
    assert float(given) == 5.0  # the caller's tensor is not written into


def test_stateless_scope_casts_values_and_accepts_variables():
    v = keras.Variable(np.zeros(3, np.float32))
    src = keras.Variable(np.array([1, 2, 3], np.int32))
    with keras.StatelessScope([(v, src)]) as scope:
        assert v.dtype == torch.float32 and v.tolist() == [1.0, 2.0, 3.0]
        v[1:].assign([7.0, 8.0])  # slice assign: collected too
        v.scatter_nd_add([[0]], [10.0])
    assert v.tolist() == [0.0, 0.0, 0.0]
    assert scope.get_current_value(v).tolist() == [11.0, 7.0, 8.0]


def test_stateless_scope_runs_layers_on_given_weights():
    dense = keras.layers.Dense(2, use_bias=False)
    dense.build((None, 3))
    own = dense.kernel.detach().clone()
    kernel = np.arange(6, dtype=np.float32).reshape(3, 2)
    x = np.ones((1, 3), np.float32)
    with keras.StatelessScope([(dense.kernel, kernel)]):
        with tf.GradientTape() as tape:
            out = dense(x)
            loss = tf.reduce_sum(out * out)
        grad = tape.gradient(loss, dense.kernel)
    np.testing.assert_allclose(out.detach().numpy(), x @ kernel)
    # d/dK sum((xK)^2) = x^T (2 x K)
    np.testing.assert_allclose(grad.numpy(), x.T @ (2 * x @ kernel))
    assert torch.equal(dense.kernel.detach(), own)


def test_stateless_scope_batchnorm_and_counter_layers():
    bn = keras.layers.BatchNormalization()
    bn.build((None, 2))
    mapping = [(w, np.ones(tuple(w.shape), np.float32)) for w in bn.weights]
    with keras.StatelessScope(mapping) as scope:
        bn(np.array([[1.0, 2.0], [3.0, 6.0]], np.float32), training=True)
    # Keras 3.15: moving_mean = 0.99 * 1 + 0.01 * batch mean [2, 4].
    np.testing.assert_allclose(scope.get_current_value(bn.moving_mean).numpy(), [1.01, 1.03])
    assert bn.moving_mean.tolist() == [0.0, 0.0]

    class Counter(keras.layers.Layer):
        def build(self, input_shape):
            self.n = self.add_weight(shape=(), initializer="zeros", trainable=False)

        def call(self, x):
            self.n.assign_add(1.0)
            return x

    counter = Counter()
    counter.build((None, 1))
    with keras.StatelessScope() as scope:
        counter(np.ones((1, 1), np.float32))
        counter(np.ones((1, 1), np.float32))
        assert float(counter.n) == 2.0
    assert float(counter.n) == 0.0 and float(scope.get_current_value(counter.n)) == 2.0
    # A variable created inside the scope has its initial value afterwards (Keras 3.15).
    with keras.StatelessScope() as scope:
        fresh = Counter()
        fresh(np.ones((1, 1), np.float32))
    assert float(fresh.n) == 0.0 and float(scope.get_current_value(fresh.n)) == 1.0


def test_stateless_scopes_nest_and_add_update():
    v = keras.Variable(1.0)
    with keras.StatelessScope([(v, 2.0)]) as outer:
        with keras.StatelessScope() as inner:
            v.assign(9.0)
        assert float(v) == 2.0 and float(inner.get_current_value(v)) == 9.0
        outer.add_update((v, 4.0))
        assert float(v) == 4.0
    assert float(v) == 1.0 and float(outer.get_current_value(v)) == 4.0
    v.assign(3.0)  # no scope open: a plain assign again
    assert float(v) == 3.0
    scope = keras.StatelessScope(collect_losses=True)
    scope.add_loss(torch.tensor(1.5))
    assert scope.collect_losses and [float(x) for x in scope.losses] == [1.5]


def test_stateless_scope_restores_on_error():
    v = keras.Variable(1.0)
    with pytest.raises(RuntimeError, match="boom"):
        with keras.StatelessScope([(v, 7.0)]):
            v.assign(8.0)
            raise RuntimeError("boom")
    assert float(v) == 1.0
    v.assign(2.0)
    assert float(v) == 2.0


def test_stateless_scope_errors_name_the_problem():
    with pytest.raises(
        ValueError,
        match=r"Invalid reference variable in StatelessScope: all keys in argument `mapping` "
        r"must be Variable instances\. Received instead: \[0\. 0\.\]",
    ):
        keras.StatelessScope([(np.zeros(2), 1.0)])
    v = keras.Variable(np.zeros(3, np.float32), name="acc")
    with pytest.raises(
        ValueError,
        match=r"Invalid variable value in StatelessScope: .* For variable acc of shape \(3,\), "
        r"received a value of shape \(2,\)\.",
    ):
        keras.StatelessScope([(v, [1.0, 2.0])])


# ----------------------------------------------------------------------------------- remat
def test_remat_gives_the_same_values_and_gradients():
    def block(x, scale=1.0):
        for _ in range(2):
            x = x + torch.tanh(x) * scale
        return x

    base = np.array([[0.3, -1.2, 2.0]])
    x1 = torch.tensor(base, requires_grad=True)
    x2 = torch.tensor(base, requires_grad=True)
    wrapped = keras.remat(block)
    assert wrapped.__name__ == "block"
    out = wrapped(x2, scale=0.5)
    out.sum().backward()
    block(x1, scale=0.5).sum().backward()
    # NumPy: y1 = x + 0.5 tanh(x); y = y1 + 0.5 tanh(y1); dy/dx = (1 + .5 sech^2 y1)(1 + .5 sech^2 x)
    y1 = base + 0.5 * np.tanh(base)
    np.testing.assert_allclose(out.detach().numpy(), y1 + 0.5 * np.tanh(y1))
    want = (1 + 0.5 / np.cosh(y1) ** 2) * (1 + 0.5 / np.cosh(base) ** 2)
    np.testing.assert_allclose(x2.grad.numpy(), want)
    np.testing.assert_allclose(x1.grad.numpy(), want)
    with torch.no_grad():
        assert wrapped(torch.zeros(1)).tolist() == [0.0]


def test_remat_layer_in_a_functional_model_trains_as_keras():
    class CustomRematLayer(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.remat_function = keras.remat(self.intermediate_function)

        def intermediate_function(self, x):
            for _ in range(2):
                x = x + x * 0.1
            return x

        def call(self, inputs):
            return self.remat_function(inputs)

    inputs = keras.layers.Input(shape=(4,))
    x = keras.layers.Dense(4, activation="relu")(inputs)
    x = CustomRematLayer()(x)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
    model.compile(optimizer="sgd", loss="mse")
    model.set_weights([np.full(w.shape, 0.1, np.float32) for w in model.get_weights()])
    xs = np.linspace(0, 1, 32, dtype=np.float32).reshape(8, 4)
    ys = xs.sum(1, keepdims=True)
    history = model.fit(xs, ys, epochs=3, verbose=0, batch_size=8)
    # Keras 3.15 (TF 2.21) with the same weights and data.
    np.testing.assert_allclose(history.history["loss"], [4.34576, 4.10059, 3.85847], rtol=1e-4)
    dense = keras.layers.Dense(2, kernel_initializer="ones")
    assert keras.remat(dense)(np.ones((1, 3), np.float32)).tolist() == [[3.0, 3.0]]
