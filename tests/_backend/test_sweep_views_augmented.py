"""Augmented assignments on views inside a user layer's call (titu1994's SwitchNormalization).

`tf.reshape`, `K.flatten` and slices give torch views; TF has none, so `v = K.flatten(var);
v *= c` leaves `var` unchanged there. Outside autograd (predict, evaluate, no-grad calls, or
a first layer whose statistics come from the data only) torch's in-place `*=` wrote through
the view into `var`: a silent wrong result. References are NumPy formulas.
"""

import warnings

import numpy as np
import pytest
import torch

import tork as tf

K = tf.keras.backend
EPS = 1e-3


class _SwitchLike(tf.keras.layers.Layer):
    """The statistics code of SwitchNormalization, in a few lines."""

    def build(self, input_shape):
        self.gamma = self.add_weight(name="gamma", shape=(input_shape[-1],), initializer="ones")

    def call(self, inputs, training=None):
        mean = K.mean(inputs, axis=0, keepdims=True)
        var = K.mean(K.square(inputs - mean), axis=0, keepdims=True)

        def batch_terms():
            unbiased = K.flatten(var)  # a view of `var` in torch
            n = K.sum(K.ones_like(inputs[:, 0]))  # the batch size
            unbiased *= n / (n - 1.0)  # TF: a new tensor, `var` unchanged
            centred = K.reshape(mean, (-1,))
            centred -= 1.0
            return K.sum(unbiased) + K.sum(centred)

        extra = K.in_train_phase(batch_terms, batch_terms, training=training)
        return (inputs - mean) / K.sqrt(var + EPS) * self.gamma + extra


def _data():
    rng = np.random.RandomState(0)
    return rng.randn(6, 3).astype("float32") * 2.0 + 1.0


def _expected(x):
    # NumPy: population statistics for the normalisation, the unbiased variance and the
    # mean minus one only in the added term.
    n = x.shape[0]
    m, v = x.mean(0), x.var(0)
    extra = (v * n / (n - 1.0)).sum() + (m - 1.0).sum()
    return (x - m) / np.sqrt(v + EPS) + extra


def _model(jit=False):
    model = tf.keras.Sequential([tf.keras.Input((3,)), _SwitchLike(name="switch_like")])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="mse", jit_compile=jit)
    return model


def test_predict_matches_numpy_and_the_fit_forward():
    x = _data()
    expected = _expected(x)
    model = _model()
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)
    # fit with a zero learning rate: its loss is the mse of the same forward pass.
    history = model.fit(x, np.zeros_like(x), batch_size=6, epochs=2, verbose=0)
    np.testing.assert_allclose(history.history["loss"], [np.mean(expected**2)] * 2, rtol=1e-5)
    # tf_keras 2.21 (this layer and data, TF_USE_LEGACY_KERAS=1): predict equals the NumPy
    # formula (max difference 0.0) and fit's loss is 148.85240173339844.
    np.testing.assert_allclose(history.history["loss"][0], 148.85240173339844, rtol=1e-5)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)


def test_evaluate_and_direct_calls_with_and_without_a_tape():
    x = _data()
    expected = _expected(x)
    model = _model()
    loss = model.evaluate(x, np.zeros_like(x), batch_size=6, verbose=0)
    np.testing.assert_allclose(loss, np.mean(expected**2), rtol=1e-5)
    for training in (False, True):
        np.testing.assert_allclose(model(x, training=training).numpy(), expected, rtol=1e-5)
        with torch.no_grad():
            np.testing.assert_allclose(model(x, training=training).numpy(), expected, rtol=1e-5)
        layer = model.get_layer("switch_like")
        with tf.GradientTape() as tape:
            y = model(x, training=training)
            total = tf.reduce_sum(y)
        np.testing.assert_allclose(y.numpy(), expected, rtol=1e-5, atol=1e-5)
        # d sum(out) / d gamma: the normalised values summed over the batch.
        normalised = (x - x.mean(0)) / np.sqrt(x.var(0) + EPS)
        grad = tape.gradient(total, layer.gamma)
        np.testing.assert_allclose(grad.numpy(), normalised.sum(0), atol=1e-4)


def _fit_compiled(model, x, **kwargs):
    """fit, checking that the compiled step ran (no fallback to the regular step)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, np.zeros_like(x), verbose=0, **kwargs)
    assert not [w for w in caught if "jit_compile=True" in str(w.message)]
    return history


def test_jit_compile_fit_and_predict():
    x = _data()
    expected = _expected(x)
    model = _model(jit=True)
    history = _fit_compiled(model, x, batch_size=6, epochs=2)
    np.testing.assert_allclose(history.history["loss"], [np.mean(expected**2)] * 2, rtol=1e-5)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-5)


class _Table(tf.keras.layers.Layer):
    """Reads a stored tensor through a reshaped view and scales the view."""

    def build(self, input_shape):
        self.table = tf.constant(np.arange(6, dtype="float32").reshape(2, 3))
        self.scale = self.add_weight(name="scale", shape=(), initializer="ones")

    def call(self, inputs):
        flat = tf.reshape(self.table, (-1,))
        flat *= 2.0  # TF: `self.table` unchanged
        return inputs * self.scale + tf.reduce_sum(flat) + tf.reduce_sum(self.table, axis=0)


def test_jit_compile_leaves_a_stored_tensor_unchanged():
    x = np.ones((4, 3), "float32")
    # 1 + 2 * (0 + ... + 5) + column sums of the table.
    expected = 1.0 + 30.0 + np.array([3.0, 5.0, 7.0])
    model = tf.keras.Sequential([tf.keras.Input((3,)), _Table()])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="mse", jit_compile=True)
    history = _fit_compiled(model, x, batch_size=2, epochs=2)
    np.testing.assert_allclose(history.history["loss"], [np.mean(expected**2)] * 2, rtol=1e-6)
    for _ in range(2):
        np.testing.assert_allclose(model.predict(x, verbose=0), np.tile(expected, (4, 1)))
    compiled = tf.function(lambda t: model(t), jit_compile=True)
    for _ in range(2):
        np.testing.assert_allclose(compiled(x).numpy(), np.tile(expected, (4, 1)))
    np.testing.assert_array_equal(model.layers[0].table.numpy(), np.arange(6).reshape(2, 3))


class _TableAfterBreak(_Table):
    def call(self, inputs):
        torch._dynamo.graph_break()  # the rest of the call is compiled on its own
        return super().call(inputs)


def test_jit_compile_with_a_graph_break_inside_the_call():
    x = np.ones((4, 3), "float32")
    expected = np.tile(1.0 + 30.0 + np.array([3.0, 5.0, 7.0]), (4, 1))
    model = tf.keras.Sequential([tf.keras.Input((3,)), _TableAfterBreak()])
    model.compile(loss="mse", jit_compile=True)
    for _ in range(2):
        np.testing.assert_allclose(model.predict(x, verbose=0), expected)
    compiled = tf.function(lambda t: model(t), jit_compile=True)
    for _ in range(2):
        np.testing.assert_allclose(compiled(x).numpy(), expected)
    np.testing.assert_array_equal(model.layers[0].table.numpy(), np.arange(6).reshape(2, 3))


class _ScaledView(tf.keras.layers.Layer):
    """`h` takes part in autograd (a weight scales it): the autograd rule and this one."""

    def build(self, input_shape):
        self.k = self.add_weight(name="k", shape=(), initializer="ones")

    def call(self, inputs):
        h = inputs * self.k
        flat = tf.reshape(h, (-1,))
        flat *= 2.0  # TF: `h` unchanged
        return h + tf.reduce_sum(flat)


@pytest.mark.parametrize("jit", [False, True])
def test_view_of_a_tensor_in_autograd(jit):
    x = np.ones((2, 3), "float32")
    expected = np.full((2, 3), 1.0 + 2.0 * 6)  # h + sum(2 * h), h = 1
    model = tf.keras.Sequential([tf.keras.Input((3,)), _ScaledView()])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="mse", jit_compile=jit)
    history = _fit_compiled(model, x, batch_size=2, epochs=1)
    np.testing.assert_allclose(history.history["loss"], [13.0**2])
    np.testing.assert_allclose(model.predict(x, verbose=0), expected)
    step = tf.function(lambda t: model(t, training=True), jit_compile=jit)
    np.testing.assert_allclose(step(x).numpy(), expected)


def _double_a_view(x):
    h = x * 1.0
    flat = tf.reshape(h, (-1,))
    flat *= 2.0  # TF: `h` unchanged
    return h + tf.reduce_sum(flat)


@pytest.mark.parametrize("jit", [False, True])
def test_lambda_function_writing_into_a_view(jit):
    x = np.ones((2, 3), "float32")
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Lambda(_double_a_view)])
    model.compile(loss="mse", jit_compile=jit)
    np.testing.assert_allclose(model.predict(x, verbose=0), np.full((2, 3), 13.0))


class _ColumnBump(tf.keras.layers.Layer):
    def call(self, inputs):
        out = inputs * 1.0
        out[:, 0] += 1.0  # item assignment: writes column 0 (get, add, set)
        return out


@pytest.mark.parametrize("jit", [False, True])
def test_item_assignment_in_a_user_layer_still_writes(jit):
    x = np.zeros((2, 3), "float32")
    model = tf.keras.Sequential([tf.keras.Input((3,)), _ColumnBump()])
    model.compile(loss="mse", jit_compile=jit)
    np.testing.assert_array_equal(model.predict(x, verbose=0), [[1, 0, 0], [1, 0, 0]])


class _TorchBump(torch.nn.Module):
    """PyTorch code: relies on writing through a view."""

    def forward(self, t):
        flat = t.view(-1)
        flat += 1.0
        return t


class _HostsTorchModule(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bump = _TorchBump()

    def call(self, inputs):
        return self.bump(inputs * 1.0)


def test_torch_module_inside_a_keras_layer_keeps_torch_meaning():
    # The rule: a torch module's forward is PyTorch code, also inside a Keras layer's call.
    layer = _HostsTorchModule()
    x = torch.zeros(2, 3)
    np.testing.assert_array_equal(layer(x).numpy(), np.ones((2, 3)))
    compiled = tf.function(lambda t: layer(t), jit_compile=True)
    np.testing.assert_array_equal(compiled(x).numpy(), np.ones((2, 3)))


class _Counter(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.count = self.add_weight(name="count", shape=(), initializer="zeros", trainable=False)

    def call(self, inputs):
        view = tf.reshape(inputs, (-1,))
        view += 0.0
        self.count += 1.0  # a variable: torch's in-place update under no_grad, as before
        return inputs


def test_variables_keep_their_rules_inside_a_user_layer():
    layer = _Counter()
    with torch.no_grad():
        layer(tf.ones((1, 2)))
        layer(tf.ones((1, 2)))
    assert float(layer.count.numpy()) == 2.0
    with pytest.raises(RuntimeError, match=r"variable \+= value.*assign_add"):
        layer(tf.ones((1, 2)))


def test_outside_layer_calls_torch_code_still_writes_through_views():
    t = torch.zeros(2, 3)
    flat = t.view(-1)
    flat += 1.0
    np.testing.assert_array_equal(t.numpy(), np.ones((2, 3)))


def test_tork_functions_called_in_a_user_layer_keep_torch_meaning():
    from tork._backend import augmented

    # tork's own code keeps torch's meaning inside a user layer's call: only the user's
    # code, a Keras layer's call around it, gives new tensors.
    calls = []

    class Probe(tf.keras.layers.Layer):
        def call(self, inputs):
            calls.append(augmented.USER_CALL[0])
            return tf.keras.layers.Dense(2, kernel_initializer="ones")(inputs)

    out = Probe()(np.ones((1, 3), "float32"))
    np.testing.assert_allclose(out.numpy(), [[3.0, 3.0]])
    assert calls == [True] and augmented.USER_CALL[0] is False
