"""tf.linalg.LinearOperator{FullMatrix,LowerTriangular,Diag,Identity} (DeepMatch's SDM builds
its causal attention mask with `LinearOperatorLowerTriangular(ones).to_dense()`). Expected
values are TF 2.21 outputs."""

import numpy as np
import pytest

import tork as tf
from tork.ops import _linear_operator as lo

M = np.array([[2.0, 9.0, 9.0], [1.0, 3.0, 9.0], [4.0, 5.0, 6.0]], "float32")
X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], "float32")


def _close(a, b):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-5)


def test_lower_triangular_reads_only_the_lower_triangle():
    op = lo.LinearOperatorLowerTriangular(M)
    assert op.to_dense().tolist() == [[2.0, 0.0, 0.0], [1.0, 3.0, 0.0], [4.0, 5.0, 6.0]]
    assert tuple(op.shape) == (3, 3) and tuple(op.batch_shape) == ()
    assert (op.domain_dimension, op.range_dimension, op.tensor_rank) == (3, 3, 2)
    assert op.dtype == tf.float32 and op.name == "LinearOperatorLowerTriangular"
    assert (op.is_square, op.is_non_singular, op.is_self_adjoint) == (True, None, None)
    # DeepMatch's causal mask.
    mask = lo.LinearOperatorLowerTriangular(tf.ones([3, 3])).to_dense()
    assert mask.tolist() == [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]


def test_lower_triangular_products_solves_and_determinants():
    op = lo.LinearOperatorLowerTriangular(M)
    _close(op.matmul(X), [[2.0, 4.0], [10.0, 14.0], [49.0, 64.0]])
    _close(op.matmul(X, adjoint=True), [[25.0, 32.0], [34.0, 42.0], [30.0, 36.0]])
    _close(op @ X, [[2.0, 4.0], [10.0, 14.0], [49.0, 64.0]])
    _close(op.matvec(X[:, 0]), [2.0, 10.0, 49.0])
    _close(op.determinant(), 36.0)
    _close(op.log_abs_determinant(), 3.5835189819335938)
    _close(op.solve(X), [[0.5, 1.0], [0.83333, 1.0], [-0.19444, -0.5]])
    _close(op.solvevec(X[:, 0]), [0.5, 0.83333, -0.19444])
    _close(op.diag_part(), [2.0, 3.0, 6.0])
    _close(op.trace(), 11.0)
    adjoint = op.adjoint()
    assert type(adjoint).__name__ == "LinearOperatorAdjoint"
    _close(adjoint.to_dense(), [[2.0, 1.0, 4.0], [0.0, 3.0, 5.0], [0.0, 0.0, 6.0]])
    inverse = op.inverse()
    assert type(inverse).__name__ == "LinearOperatorInversion"
    _close(
        inverse.to_dense(),
        [[0.5, 0.0, 0.0], [-0.16667, 0.33333, 0.0], [-0.19444, -0.27778, 0.16667]],
    )


def test_batched_lower_triangular():
    op = lo.LinearOperatorLowerTriangular(np.stack([M, M * 2]))
    assert tuple(op.shape) == (2, 3, 3) and tuple(op.batch_shape) == (2,)
    _close(op.determinant(), [36.0, 288.0])
    assert tuple(op.matmul(X).shape) == (2, 3, 2)
    assert op.shape_tensor().tolist() == [2, 3, 3]


def test_diag_full_matrix_and_identity():
    d = lo.LinearOperatorDiag([2.0, -3.0])
    assert d.to_dense().tolist() == [[2.0, 0.0], [0.0, -3.0]]
    assert d.is_self_adjoint is True
    _close(d.determinant(), -6.0)
    _close(d.log_abs_determinant(), 1.7917594909667969)
    _close(d.solve(np.ones((2, 1), "float32")), [[0.5], [-0.33333334]])
    _close(d.matvec([1.0, 1.0]), [2.0, -3.0])
    f = lo.LinearOperatorFullMatrix(M)
    assert f.is_square is True
    # TF prints [[1.4118, 1.5294], [-0.5686, -0.5882], [0.366, 0.4706]] (4 digits).
    _close(f.solve(X), np.linalg.solve(M.astype(np.float64), X.astype(np.float64)))
    _close(f.determinant(), 153.0)
    _close(f.matmul(X.T, adjoint_arg=True), [[74.0, 94.0], [55.0, 68.0], [49.0, 64.0]])
    i = lo.LinearOperatorIdentity(3, batch_shape=[2], dtype=tf.float32)
    assert tuple(i.shape) == (2, 3, 3) and i.is_positive_definite is True
    _close(i.determinant(), [1.0, 1.0])
    assert tuple(i.matmul(np.ones((2, 3, 1), "float32")).shape) == (2, 3, 1)


def test_gradient_through_the_operator():
    tril = tf.Variable(M)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(lo.LinearOperatorLowerTriangular(tril).matvec([1.0, 1.0, 1.0]))
    # Only the lower triangle is used: d/dM[i, j] = 1 for j <= i.
    _close(tape.gradient(loss, tril), np.tril(np.ones((3, 3))))


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="rank at least 2"):
        lo.LinearOperatorLowerTriangular(np.ones(3, "float32"))
    with pytest.raises(ValueError, match="must be square"):
        lo.LinearOperatorLowerTriangular(np.ones((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"needs an argument with 3 rows"):
        lo.LinearOperatorFullMatrix(M).matmul(np.ones((2, 2), "float32"))
    with pytest.raises(NotImplementedError, match="not square"):
        lo.LinearOperatorFullMatrix(np.ones((2, 3), "float32")).determinant()
