"""tf.nn.embedding_lookup with max_norm on scalar embeddings (helper fuzzops4; goes with
fuzzops4_embedding_max_norm.patch; suggested location tests/ops/test_sweep_fuzzops4_nn.py).

Expected values printed by TF 2.21 (CPU) (/tmp/fuzzops4/p4/probe10.py).
"""

import numpy as np

import tork as tf


def test_embedding_lookup_max_norm_clips_scalar_embeddings_one_by_one():
    # TF: 1-D params -> each looked-up value is clipped by |x|: [1.0, -1.0, 0.5]
    # (tork normalised the whole output: [0.854, -0.513, 0.085])
    params = tf.constant([5.0, -3.0, 0.5, 2.0])
    out = tf.nn.embedding_lookup(params, [0, 1, 2], max_norm=1.0)
    np.testing.assert_allclose(out.numpy(), [1.0, -1.0, 0.5])
    out = tf.nn.embedding_lookup(params, [[0, 1], [2, 3]], max_norm=1.0)
    np.testing.assert_allclose(out.numpy(), [[1.0, -1.0], [0.5, 1.0]])
    # TF: a list of 1-D shards is the same: [1.0, 1.0]
    out = tf.nn.embedding_lookup([[3.0, 4.0], [6.0, 8.0]], [0, 1], max_norm=1.0)
    np.testing.assert_allclose(out.numpy(), [1.0, 1.0])


def test_embedding_lookup_max_norm_of_rows_is_unchanged():
    # TF: [[0.6, 0.8], [0.3, 0.4], [0.6, 0.8]]
    params = tf.constant([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0]])
    out = tf.nn.embedding_lookup(params, [0, 1, 2], max_norm=1.0)
    np.testing.assert_allclose(out.numpy(), [[0.6, 0.8], [0.3, 0.4], [0.6, 0.8]], rtol=1e-6)
