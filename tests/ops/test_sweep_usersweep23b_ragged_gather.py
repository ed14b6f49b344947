"""tf.gather(..., batch_dims=1) with ragged params or indices, as kgcnn's GatherNodes uses it
to pick each graph's node features by its own edge indices (expected values are TF 2.21
outputs)."""

import numpy as np
import pytest

import tork as tf


def _nodes():
    return tf.ragged.constant(
        [[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [[7.0, 8.0]], [[9.0, 10.0], [11.0, 12.0]]],
        ragged_rank=1,
    )


def _edges():
    return tf.ragged.constant(
        [[[0, 1], [2, 0]], [[0, 0]], [[1, 0], [1, 1], [0, 0]]], ragged_rank=1, dtype=tf.int64
    )


def test_ragged_params_ragged_indices():
    out = tf.gather(_nodes(), _edges(), batch_dims=1)
    assert isinstance(out, tf.RaggedTensor)
    assert out.shape.as_list() == [3, None, 2, 2]
    assert out.to_list() == [
        [[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [1.0, 2.0]]],
        [[[7.0, 8.0], [7.0, 8.0]]],
        [[[11.0, 12.0], [9.0, 10.0]], [[11.0, 12.0], [11.0, 12.0]], [[9.0, 10.0], [9.0, 10.0]]],
    ]
    # kgcnn's GatherNodesOutgoing: the second column of each edge.
    out = tf.gather(_nodes(), _edges()[:, :, 1], batch_dims=1, axis=1)
    assert out.to_list() == [
        [[3.0, 4.0], [1.0, 2.0]],
        [[7.0, 8.0]],
        [[9.0, 10.0], [11.0, 12.0], [9.0, 10.0]],
    ]


def test_dense_indices_and_dense_params():
    out = tf.gather(_nodes(), tf.constant([[0, 2], [0, 0], [1, 0]]), batch_dims=1)
    assert not isinstance(out, tf.RaggedTensor)
    assert out.numpy().tolist() == [
        [[1.0, 2.0], [5.0, 6.0]],
        [[7.0, 8.0], [7.0, 8.0]],
        [[11.0, 12.0], [9.0, 10.0]],
    ]
    ids = tf.ragged.constant([[2, 0], [], [1, 1, 0]])
    out = tf.gather(tf.ragged.constant([[1, 2, 3], [4], [5, 6]]), ids, batch_dims=1)
    assert out.to_list() == [[3, 1], [], [6, 6, 5]]
    out = tf.gather(tf.constant([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), ids, batch_dims=1)
    assert isinstance(out, tf.RaggedTensor)
    assert out.to_list() == [[3, 1], [], [8, 8, 7]]
    # A negative axis counts from the end, as TF.
    out = tf.gather(tf.ragged.constant([[1, 2, 3], [4], [5, 6]]), ids, batch_dims=1, axis=-1)
    assert out.to_list() == [[3, 1], [], [6, 6, 5]]
    out = tf.gather(tf.constant([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), ids, batch_dims=1, axis=-1)
    assert out.to_list() == [[3, 1], [], [8, 8, 7]]


def test_nested_ragged_params():
    params = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]])
    out = tf.gather(params, tf.ragged.constant([[1, 0, 1], [0]]), batch_dims=1)
    assert out.to_list() == [[[3], [1, 2], [3]], [[4, 5, 6]]]


def test_string_rows():
    words = tf.ragged.constant([["a", "b"], ["c"]])
    out = tf.gather(words, tf.ragged.constant([[1, 0], [0]]), batch_dims=1)
    assert out.to_list() == [[b"b", b"a"], [b"c"]]
    assert tf.gather(words, [[1], [0]], batch_dims=1).numpy().tolist() == [[b"b"], [b"c"]]


def test_gradient_reaches_the_gathered_rows():
    values = tf.Variable(np.arange(12, dtype="float32").reshape(6, 2))
    with tf.GradientTape() as tape:
        nodes = tf.RaggedTensor.from_row_splits(values * 1.0, [0, 3, 4, 6])
        picked = tf.gather(nodes, _edges()[:, :, 0], batch_dims=1)
        loss = tf.reduce_sum(picked.flat_values)
    grad = tape.gradient(loss, values)
    # Edge sources: graph 0 picks nodes 0 and 2, graph 1 node 3, graph 2 nodes 5, 5, 4.
    np.testing.assert_allclose(
        grad.numpy(), [[1, 1], [0, 0], [1, 1], [1, 1], [1, 1], [2, 2]], atol=0
    )


def test_index_outside_its_row_raises():
    # TF reads past the row into the next graph's nodes; tork refuses.
    with pytest.raises(tf.errors.InvalidArgumentError, match="within its own row"):
        tf.gather(tf.ragged.constant([[1, 2, 3], [4], [5, 6]]), [[3], [0], [0]], batch_dims=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="one row per row of params"):
        tf.gather(tf.ragged.constant([[1, 2, 3], [4]]), [[0], [0], [0]], batch_dims=1)


def test_other_axes_still_say_what_is_supported():
    with pytest.raises(NotImplementedError, match="batch_dims=1"):
        tf.gather(_nodes(), [0], axis=2, batch_dims=1)
