"""K.dot with a SparseTensor x (libsweep sweep, stellargraph's GraphConvolution).

To go in tests/keras/test_sweep_libsweep_backend_sparse_dot.py once
/work/notes/libsweep_sparse_dot.patch is applied. tf_keras's K.dot runs
tf.sparse.sparse_dense_matmul for a sparse x; expected values are NumPy products.
"""

import numpy as np
import pytest

import tork as tf

K = tf.keras.backend


def test_dot_sparse_by_dense():
    sp = tf.SparseTensor([[0, 0], [1, 2], [2, 1]], [1.0, 2.0, -3.0], [3, 3])
    y = np.arange(6, dtype="float32").reshape(3, 2)
    dense = np.array([[1, 0, 0], [0, 0, 2], [0, -3, 0]], "float32")
    np.testing.assert_allclose(np.asarray(K.dot(sp, y)), dense @ y)


def test_dot_sparse_needs_2d():
    sp = tf.SparseTensor([[0, 0]], [1.0], [3, 3])
    with pytest.raises(ValueError, match=r"keras.backend.dot: a SparseTensor x needs 2D"):
        K.dot(sp, np.ones((1, 3, 2), "float32"))
