"""`tf.transpose(x, [0, 2, 1])` with a literal list traces into one graph.

The permutation went through NumPy (`np.asarray(perm)`), which torch.compile cannot
trace: every such call broke the graph (swin-transformers-tf's window partition).
"""

import numpy as np
import torch

import tork as tf


def _fn(x):
    y = tf.transpose(x, [0, 2, 1])
    return tf.reshape(y, [2, -1]) * 2.0


def test_literal_permutation_compiles_without_graph_breaks():
    x = torch.arange(12, dtype=torch.float32).reshape(2, 3, 2)
    explanation = torch._dynamo.explain(_fn)(x)
    assert explanation.graph_break_count == 0, explanation.break_reasons
    expected = np.transpose(np.arange(12).reshape(2, 3, 2), (0, 2, 1)).reshape(2, -1) * 2.0
    np.testing.assert_array_equal(torch.compile(_fn, fullgraph=True)(x).numpy(), expected)
