"""`torch.compile(model, fullgraph=True)` of built tork models: one graph, eager numbers.

Layer.__call__ read its per-class facts from `cls.__dict__` (dynamo refuses that after any
dict write in the traced code) and guarded on the input's version counter (an unbacked
symbol under dynamo): every layer call broke the graph.
"""

import numpy as np
import torch

import tork as tf


class _Double(tf.keras.layers.Layer):
    def call(self, inputs):
        return inputs * 2.0


class _Net(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d1 = tf.keras.layers.Dense(4, activation="relu", kernel_initializer="ones")
        self.double = _Double()
        self.d2 = tf.keras.layers.Dense(2, kernel_initializer="ones")

    def call(self, inputs):
        return self.d2(self.double(self.d1(inputs)))


def _expected(x):
    # relu(x @ ones(8, 4)) * 2 @ ones(4, 2), biases zero.
    h = np.maximum(x @ np.ones((8, 4)), 0.0) * 2.0
    return h @ np.ones((4, 2))


def test_sequential_with_a_user_layer_compiles_as_one_graph():
    model = tf.keras.Sequential(
        [
            tf.keras.Input((8,)),
            tf.keras.layers.Dense(4, activation="relu", kernel_initializer="ones"),
            _Double(),
            tf.keras.layers.Dense(2, kernel_initializer="ones"),
        ]
    )
    x = np.linspace(-1.0, 1.0, 24, dtype="float32").reshape(3, 8)
    compiled = torch.compile(model, fullgraph=True)
    np.testing.assert_allclose(
        compiled(torch.from_numpy(x)).detach().numpy(), _expected(x), rtol=1e-6
    )


def test_subclassed_model_compiles_as_one_graph_after_its_first_call():
    model = _Net()
    x = np.linspace(-1.0, 1.0, 24, dtype="float32").reshape(3, 8)
    model(x)  # builds the weights (creating variables is not traced)
    explanation = torch._dynamo.explain(model)(torch.from_numpy(x))
    assert explanation.graph_break_count == 0, explanation.break_reasons
    compiled = torch.compile(model, fullgraph=True)
    np.testing.assert_allclose(
        compiled(torch.from_numpy(x)).detach().numpy(), _expected(x), rtol=1e-6
    )


class _Lookup(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.table = self.add_weight(
            name="table", shape=(5, 3), initializer=tf.keras.initializers.Constant(0.5)
        )

    def call(self, ids):
        return tf.reduce_sum(tf.gather(self.table, ids), axis=1)


def test_gather_of_a_variable_compiles_as_one_graph():
    # tf.gather's ragged dispatch read `params.__class__`, which dynamo cannot read on a
    # Variable (a Parameter subclass): the call did not compile with fullgraph=True.
    layer = _Lookup()
    ids = torch.tensor([[0, 1], [2, 4]])
    layer(ids)
    with torch.no_grad():
        layer.table.copy_(torch.arange(15, dtype=torch.float32).reshape(5, 3))
    compiled = torch.compile(layer, fullgraph=True)
    table = np.arange(15, dtype="float32").reshape(5, 3)
    expected = table[[0, 1]].sum(0), table[[2, 4]].sum(0)
    np.testing.assert_allclose(compiled(ids).detach().numpy(), np.stack(expected))
