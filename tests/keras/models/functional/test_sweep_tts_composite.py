"""Functional graphs in spektral's single mode: a sparse adjacency meeting node features.

Pattern from danielegrattarola/spektral (examples/node_prediction/citation_gat.py and the
GCNConv/ChebConv layers): one graph of N nodes, node features `Input(shape=(F,))` and the
adjacency `Input((N,), sparse=True)`, both of unknown batch size, which is N in the data.
A layer computes `tf.sparse.sparse_dense_matmul(a, x @ kernel)`: (None, N) @ (None, C).
Keras's unknown batch size matches N; tork's stand-in sizes did not (InvalidArgumentError
while building the model). Shapes expected: tf_keras 2.21 (reference env).
"""

import numpy as np

import tork as tf


class _GraphConv(tf.keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[0][-1], self.units))

    def call(self, inputs):
        x, a = inputs
        return tf.sparse.sparse_dense_matmul(a, tf.matmul(x, self.kernel))


def _graph():
    n = 6
    adjacency = np.zeros((n, n), np.float32)
    for i, j in [(0, 1), (1, 0), (1, 2), (2, 1), (3, 4), (4, 3), (5, 5)]:
        adjacency[i, j] = 0.5 + i
    rows, cols = np.nonzero(adjacency)
    sparse = tf.SparseTensor(np.stack([rows, cols], 1), adjacency[rows, cols], (n, n))
    features = np.random.default_rng(0).standard_normal((n, 4)).astype(np.float32)
    return adjacency, sparse, features


def test_sparse_adjacency_meets_features_in_a_functional_model():
    adjacency, sparse, features = _graph()
    x_in = tf.keras.Input(shape=(4,))
    a_in = tf.keras.Input((6,), sparse=True)
    hidden = _GraphConv(5, name="gc1")([x_in, a_in])
    out = _GraphConv(3, name="gc2")([hidden, a_in])
    # tf_keras 2.21: (None, 5) and (None, 3), the batch size left unknown.
    assert tuple(hidden.shape) == (None, 5)
    assert tuple(out.shape) == (None, 3)
    model = tf.keras.Model([x_in, a_in], out)
    assert tuple(model.output_shape) == (None, 3)
    w1, w2 = (w.numpy() for w in model.weights)
    expected = adjacency @ (adjacency @ features @ w1) @ w2  # numpy reference
    got = model([tf.constant(features), sparse]).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_single_mode_model_trains_with_masked_sample_weights():
    adjacency, sparse, features = _graph()
    x_in = tf.keras.Input(shape=(4,))
    a_in = tf.keras.Input((6,), sparse=True)
    logits = _GraphConv(2, name="gc")([x_in, a_in])
    model = tf.keras.Model([x_in, a_in], tf.keras.layers.Activation("softmax")(logits))
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="categorical_crossentropy")
    labels = np.eye(2, dtype=np.float32)[[0, 1, 0, 1, 0, 1]]
    weights = np.array([1, 1, 0, 1, 0, 1], np.float32)
    data = tf.data.Dataset.from_tensors(((tf.constant(features), sparse), labels, weights))
    w = model.weights[0].numpy()
    before = model.evaluate(data.repeat(), steps=1, verbose=0)
    # numpy reference: Keras 2's weighted cross-entropy, summed and divided by the batch size.
    z = adjacency @ features @ w
    probs = np.exp(z - z.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    cross_entropy = -(labels * np.log(np.clip(probs, 1e-7, 1 - 1e-7))).sum(1)
    np.testing.assert_allclose(before, (weights * cross_entropy).sum() / 6, rtol=1e-5)
    model.fit(data.repeat(), steps_per_epoch=1, epochs=5, verbose=0)
    assert model.evaluate(data.repeat(), steps=1, verbose=0) < before
