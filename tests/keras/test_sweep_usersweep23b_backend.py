"""keras.backend.concatenate of RaggedTensors stays ragged, as Keras 2 (kgcnn's GatherNodes
joins the gathered node features of each edge this way). Expected values are tf_keras 2.21
outputs."""

import numpy as np

import tork as tf

K = tf.keras.backend


def test_concatenate_ragged_last_and_ragged_axis():
    a = tf.ragged.constant([[[1.0], [2.0]], [[3.0]]], ragged_rank=1)
    b = tf.ragged.constant([[[4.0], [5.0]], [[6.0]]], ragged_rank=1)
    out = K.concatenate([a, b])
    assert isinstance(out, tf.RaggedTensor)
    assert out.to_list() == [[[1.0, 4.0], [2.0, 5.0]], [[3.0, 6.0]]]
    out = K.concatenate([a, b], axis=1)
    assert out.to_list() == [[[1.0], [2.0], [4.0], [5.0]], [[3.0], [6.0]]]


class _GatherNodes(tf.keras.layers.Layer):
    # kgcnn 1.x: features of both end nodes of each edge, per graph.
    def call(self, inputs):
        nodes, edge_index = inputs
        out = tf.gather(nodes, edge_index, batch_dims=1)
        return K.concatenate([out[:, :, i] for i in range(edge_index.shape[-1])], axis=-1)


class _PoolingNodes(tf.keras.layers.Layer):
    def call(self, inputs):
        return tf.math.reduce_sum(inputs, axis=1)


def test_graph_model_on_ragged_inputs():
    node_in = tf.keras.layers.Input(shape=(None, 2), ragged=True)
    edge_in = tf.keras.layers.Input(shape=(None, 2), dtype="int64", ragged=True)
    edge_features = _GatherNodes()([node_in, edge_in])
    assert edge_features.shape.as_list() == [None, None, 4]
    dense = tf.keras.layers.Dense(1, use_bias=False)
    model = tf.keras.Model([node_in, edge_in], _PoolingNodes()(dense(edge_features)))
    dense.set_weights([np.array([[1.0], [10.0], [100.0], [1000.0]], "float32")])
    nodes = tf.ragged.constant([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [[7.0, 8.0]]], ragged_rank=1)
    edges = tf.ragged.constant([[[0, 1], [2, 0]], [[0, 0]]], ragged_rank=1, dtype=tf.int64)
    np.testing.assert_allclose(model.predict([nodes, edges], verbose=0), [[6486.0], [8787.0]])
