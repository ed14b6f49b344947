"""`jit_compile=True` predict/evaluate on layers that read sizes or values as numbers.

Keras's Transformer text classifier computes `tf.range(start=0, limit=tf.shape(x)[-1])`:
the size becomes a Python number (`.item()`), which dynamo traces as a graph value rather
than breaking the graph (and warning) at each such read. Layers whose Python code branches
on a tensor's value still run (dynamo falls back around them). Every result must equal the
eager one.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from torch._dynamo.utils import counters

import tork as tf
from tork import keras


class _PositionEmbedding(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.pos_emb = keras.layers.Embedding(7, 4)

    def call(self, x):
        positions = tf.range(start=0, limit=tf.shape(x)[-1], delta=1)
        return tf.cast(x, "float32")[..., None] + self.pos_emb(positions)


class _ValueBranch(keras.layers.Layer):
    def call(self, x):
        if float(tf.reduce_sum(x)) > 0:
            return x * 2
        return x - 1


class _ValueSize(keras.layers.Layer):
    def call(self, x):
        n = int(tf.reduce_max(x))
        return x + tf.reduce_sum(tf.cast(tf.range(n), "float32"))


class _ValueSlice(keras.layers.Layer):
    def call(self, x):
        n = int(tf.reduce_max(x))
        return tf.reduce_sum(x[:, :n], axis=-1, keepdims=True) + x


def _item_breaks() -> int:
    return sum(v for k, v in counters["graph_break"].items() if "item()" in k)


def test_shape_values_trace_without_graph_breaks():
    i = keras.Input((7,))
    x = _PositionEmbedding()(i)
    m = keras.Model(i, keras.layers.Dense(2)(keras.layers.GlobalAveragePooling1D()(x)))
    data = np.random.RandomState(0).randint(0, 20, (10, 7)).astype("float32")
    eager = m.predict(data, batch_size=4, verbose=0)
    eager_loss = m.compile("adam", "mse") or m.evaluate(data, np.zeros((10, 2)), verbose=0)
    m.compile("adam", "mse", jit_compile=True)
    before = _item_breaks()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no dynamo warnings
        compiled = m.predict(data, batch_size=4, verbose=0)
        loss = m.evaluate(data, np.zeros((10, 2)), verbose=0)
    assert _item_breaks() == before
    np.testing.assert_allclose(compiled, eager, rtol=1e-5, atol=1e-5)
    assert loss == pytest.approx(eager_loss, rel=1e-5)


@pytest.mark.parametrize("layer", [_ValueBranch, _ValueSize, _ValueSlice])
def test_value_dependent_python_still_matches_eager(layer):
    i = keras.Input((3,))
    m = keras.Model(i, layer()(i))
    data = np.array([[1.0, 2.0, 3.0], [0.0, 1.0, 2.0]], "float32")
    expected = {
        _ValueBranch: data * 2,
        _ValueSize: data + 3.0,  # n = 3: 0 + 1 + 2
        _ValueSlice: data + data.sum(-1, keepdims=True),
    }[layer]
    m.compile("sgd", "mse", jit_compile=True)
    np.testing.assert_allclose(m.predict(data, verbose=0), expected, rtol=1e-6)
    # a second batch with other values: no stale size or branch from the first trace
    other = data - 5.0 if layer is _ValueBranch else data + 1.0
    np.testing.assert_allclose(m.predict(other, verbose=0), m(other).numpy(), rtol=1e-6)
    loss = m.evaluate(data, np.zeros((2, 3)), verbose=0)
    assert loss == pytest.approx(float(np.mean(expected**2)), rel=1e-5)


def test_setting_is_restored_after_each_call():
    i = keras.Input((3,))
    m = keras.Model(i, keras.layers.Dense(1)(i))
    m.compile("sgd", "mse", jit_compile=True)
    m.predict(np.ones((2, 3), "float32"), verbose=0)
    assert torch._dynamo.config.capture_scalar_outputs is False
