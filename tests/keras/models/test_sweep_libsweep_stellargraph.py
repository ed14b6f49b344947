"""stellargraph's sparse full-batch models (libsweep sweep).

stellargraph's `SqueezedSparseConversion` layer makes a `tf.SparseTensor` from dense
Inputs (edge indices and values with a batch axis of 1) inside its `call`; the layers
after it (GraphAttentionSparse) take that SparseTensor. Expected numbers come from NumPy
formulas.
"""

import numpy as np

import tork as tf

K = tf.keras.backend


class _ToSparse(tf.keras.layers.Layer):
    """stellargraph's SqueezedSparseConversion, reduced."""

    def __init__(self, shape, **kwargs):
        super().__init__(**kwargs)
        self.matrix_shape = shape

    def call(self, inputs):
        indices = K.squeeze(inputs[0], 0)
        values = K.squeeze(inputs[1], 0)
        return tf.SparseTensor(indices=indices, values=values, dense_shape=self.matrix_shape)


class _SparseProp(tf.keras.layers.Layer):
    """A * (X W) with a sparse A, as stellargraph's sparse GCN/GAT layers compute it."""

    def build(self, input_shapes):
        self.kernel = self.add_weight(name="kernel", shape=(int(input_shapes[0][-1]), 2))

    def call(self, inputs):
        x, a = inputs
        assert isinstance(a, tf.SparseTensor)
        h = tf.sparse.sparse_dense_matmul(a, K.dot(K.squeeze(x, 0), self.kernel))
        return K.expand_dims(h, 0)


def _graph():
    rng = np.random.RandomState(0)
    n, f = 5, 3
    feats = rng.randn(1, n, f).astype("float32")
    dense = np.minimum((rng.rand(n, n) > 0.5) + np.eye(n), 1).astype("float32")
    dense /= dense.sum(1, keepdims=True)
    idx = np.argwhere(dense != 0).astype("int64")
    vals = dense[idx[:, 0], idx[:, 1]]
    return n, f, feats, dense, idx, vals


def _model(n, f):
    x_in = tf.keras.Input(batch_shape=(1, n, f))
    a_idx = tf.keras.Input(batch_shape=(1, None, 2), dtype="int64")
    a_val = tf.keras.Input(batch_shape=(1, None))
    a = _ToSparse(shape=(n, n))([a_idx, a_val])
    out = _SparseProp()([x_in, a])
    return tf.keras.Model([x_in, a_idx, a_val], out)


def test_layer_making_a_sparse_tensor_from_dense_inputs():
    # Before: building the next layer read the fake dense_shape (DataDependentOutputException).
    n, f, feats, dense, idx, vals = _graph()
    model = _model(n, f)
    w = np.arange(f * 2, dtype="float32").reshape(f, 2) / 10
    model.set_weights([w])
    assert model.output_shape == (1, n, 2)
    got = model.predict([feats, idx[None], vals[None]], verbose=0)
    np.testing.assert_allclose(got[0], dense @ (feats[0] @ w), rtol=1e-5, atol=1e-6)


def test_sparse_model_trains():
    n, f, feats, dense, idx, vals = _graph()
    model = _model(n, f)
    w = np.full((f, 2), 0.1, "float32")
    model.set_weights([w])
    y = np.ones((1, n, 2), "float32")
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    model.fit([feats, idx[None], vals[None]], y, epochs=1, verbose=0)
    # One SGD step on mean((A X W - 1)^2): grad W = (A X)^T 2 (A X W - 1) / (n * 2).
    ax = dense @ feats[0]
    grad = ax.T @ (2 * (ax @ w - 1)) / (n * 2)
    np.testing.assert_allclose(model.get_weights()[0], w - 0.1 * grad, rtol=1e-4, atol=1e-6)


class _ToRagged(tf.keras.layers.Layer):
    def call(self, inputs):
        x, lengths = inputs
        return tf.RaggedTensor.from_tensor(x, lengths=tf.reshape(lengths, [-1]))


class _RaggedMean(tf.keras.layers.Layer):
    def call(self, r):
        return tf.reduce_mean(r, axis=1)


def test_layer_making_a_ragged_tensor_from_dense_inputs():
    # The same path for RaggedTensors (before: "every output must be a tensor computed
    # from the inputs"). tf_keras gives a RaggedKerasTensor of shape (None, None, 2).
    x_in = tf.keras.Input(shape=(4, 2))
    lengths_in = tf.keras.Input(shape=(1,), dtype="int64")
    r = _ToRagged()([x_in, lengths_in])
    assert tuple(r.shape) == (None, None, 2)
    out = tf.keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)(_RaggedMean()(r))
    model = tf.keras.Model([x_in, lengths_in], out)
    x = np.arange(16, dtype="float32").reshape(2, 4, 2)
    got = model.predict([x, np.array([[2], [3]])], verbose=0).ravel()
    # Row 0 keeps [0, 1], [2, 3]: mean [1, 2], sum 3; row 1 keeps 3 rows: mean [10, 11].
    np.testing.assert_allclose(got, [3.0, 21.0])
