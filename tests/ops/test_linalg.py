"""tork.ops.linalg against numpy.linalg."""

import numpy as np
import pytest
import torch
from torch.autograd import gradcheck

import tork as tf
import tork.ops.linalg as linalg_ops
from tork.ops.debugging import InvalidArgumentError

RNG = np.random.default_rng(2)


def np_(t):
    return t.detach().cpu().numpy()


def spd(n, batch=()):
    a = RNG.standard_normal(batch + (n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def test_only_norm_is_top_level():
    assert linalg_ops.__all__ == ["norm"]
    assert tf.norm is tf.linalg.norm
    assert tf.linalg.matmul is tf.matmul
    assert tf.linalg.eye is tf.eye
    assert tf.linalg.l2_normalize is tf.math.l2_normalize
    # tf.transpose keeps its own (full permutation) meaning.
    assert tf.transpose is not tf.linalg.transpose


@pytest.mark.parametrize(
    "ord_, axis, ref",
    [
        ("euclidean", None, lambda a: np.sqrt(np.sum(a * a))),
        ("euclidean", 1, lambda a: np.linalg.norm(a, axis=1)),
        (1, -1, lambda a: np.linalg.norm(a, 1, axis=-1)),
        (np.inf, 0, lambda a: np.linalg.norm(a, np.inf, axis=0)),
        (3, 1, lambda a: np.sum(np.abs(a) ** 3, axis=1) ** (1 / 3)),
        ("fro", (0, 1), lambda a: np.linalg.norm(a, "fro")),
        ("euclidean", [0, 1], lambda a: np.linalg.norm(a, "fro")),
        (1, (0, 1), lambda a: np.linalg.norm(a, 1)),
        (2, (0, 1), lambda a: np.linalg.norm(a, 2)),
        (np.inf, (0, 1), lambda a: np.linalg.norm(a, np.inf)),
    ],
)
def test_norm(ord_, axis, ref):
    a = RNG.standard_normal((3, 4))
    np.testing.assert_allclose(np_(tf.norm(a, ord=ord_, axis=axis)), ref(a), rtol=1e-10)


def test_norm_keepdims_and_errors():
    a = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    assert tf.norm(a, axis=-1, keepdims=True).shape == (2, 3, 1)
    assert tf.norm(a, keepdims=True).shape == (1, 1, 1)
    assert tf.norm(a, axis=[1, 2]).shape == (2,)
    with pytest.raises(ValueError, match="'fro' needs axis"):
        tf.norm(a, ord="fro")
    with pytest.raises(ValueError, match="ord=3 is not supported for matrices"):
        tf.norm(a, ord=3, axis=(1, 2))


def test_structure_ops():
    a = RNG.standard_normal((2, 3, 3))
    np.testing.assert_allclose(np_(tf.linalg.diag_part(a)), np.diagonal(a, axis1=-2, axis2=-1))
    np.testing.assert_allclose(np_(tf.linalg.diag_part(a, k=1)), np.diagonal(a, 1, -2, -1))
    np.testing.assert_allclose(np_(tf.linalg.trace(a)), np.trace(a, axis1=-2, axis2=-1))
    v = RNG.standard_normal((2, 3))
    d = np_(tf.linalg.diag(v))
    np.testing.assert_allclose(d, np.stack([np.diag(r) for r in v]))
    np.testing.assert_allclose(np_(tf.linalg.diag(v[0], k=1)), np.diag(v[0], 1))
    np.testing.assert_allclose(np_(tf.linalg.diag([1.0, 2.0], padding_value=9.0)), [[1, 9], [9, 2]])
    s = np_(tf.linalg.set_diag(a, v))
    want = a.copy()
    for b in range(2):
        np.fill_diagonal(want[b], v[b])
    np.testing.assert_allclose(s, want)
    assert tf.linalg.trace([[1, 2], [3, 4]]).dtype == torch.int32


@pytest.mark.parametrize("lower, upper", [(0, -1), (-1, 0), (1, 1), (0, 0), (-1, -1)])
def test_band_part(lower, upper):
    a = RNG.standard_normal((4, 5))
    i, j = np.indices(a.shape)
    keep = ((lower < 0) | (i - j <= lower)) & ((upper < 0) | (j - i <= upper))
    np.testing.assert_allclose(np_(tf.linalg.band_part(a, lower, upper)), np.where(keep, a, 0))


def test_transposes_and_matvec():
    a = RNG.standard_normal((2, 3, 4))
    np.testing.assert_allclose(np_(tf.linalg.matrix_transpose(a)), np.swapaxes(a, -1, -2))
    np.testing.assert_allclose(np_(tf.linalg.transpose(a)), np.swapaxes(a, -1, -2))
    c = RNG.standard_normal((2, 2)) + 1j * RNG.standard_normal((2, 2))
    np.testing.assert_allclose(np_(tf.linalg.adjoint(c)), c.conj().T)
    np.testing.assert_allclose(np_(tf.linalg.matrix_transpose(c, conjugate=True)), c.conj().T)
    v = RNG.standard_normal((2, 4))
    np.testing.assert_allclose(np_(tf.linalg.matvec(a, v)), np.einsum("bij,bj->bi", a, v))
    with pytest.raises(ValueError, match=r"needs a matrix \(rank >= 2\), got shape \(3,\)"):
        tf.linalg.matrix_transpose([1.0, 2.0, 3.0])


def test_decompositions():
    m = spd(3, (2,))
    np.testing.assert_allclose(np_(tf.linalg.inv(m)), np.linalg.inv(m), rtol=1e-10)
    np.testing.assert_allclose(np_(tf.linalg.det(m)), np.linalg.det(m), rtol=1e-10)
    sign, logabs = tf.linalg.slogdet(m)
    want_sign, want_log = np.linalg.slogdet(m)
    np.testing.assert_allclose(np_(sign), want_sign)
    np.testing.assert_allclose(np_(logabs), want_log, rtol=1e-10)
    np.testing.assert_allclose(np_(tf.linalg.logdet(m)), want_log, rtol=1e-10)
    np.testing.assert_allclose(np_(tf.linalg.cholesky(m)), np.linalg.cholesky(m), rtol=1e-10)
    a = RNG.standard_normal((5, 3))
    q, r = tf.linalg.qr(a)
    assert q.shape == (5, 3) and r.shape == (3, 3)
    np.testing.assert_allclose(np_(q) @ np_(r), a, atol=1e-12)
    qf, _ = tf.linalg.qr(a, full_matrices=True)
    assert qf.shape == (5, 5)
    s, u, v = tf.linalg.svd(a)
    np.testing.assert_allclose(np_(s), np.linalg.svd(a, compute_uv=False), rtol=1e-10)
    np.testing.assert_allclose(np_(u) @ np.diag(np_(s)) @ np_(v).T, a, atol=1e-12)
    e, vecs = tf.linalg.eigh(m[0])
    np.testing.assert_allclose(np_(e), np.linalg.eigvalsh(m[0]), rtol=1e-10)
    np.testing.assert_allclose(np_(tf.linalg.eigvalsh(m[0])), np.linalg.eigvalsh(m[0]), rtol=1e-10)
    np.testing.assert_allclose(m[0] @ np_(vecs), np_(vecs) * np_(e), atol=1e-10)
    np.testing.assert_allclose(np_(tf.linalg.pinv(a)), np.linalg.pinv(a), rtol=1e-8, atol=1e-12)


def test_solvers():
    m = spd(3)
    b = RNG.standard_normal((3, 2))
    np.testing.assert_allclose(np_(tf.linalg.solve(m, b)), np.linalg.solve(m, b), rtol=1e-10)
    n = RNG.standard_normal((3, 3)) + 3 * np.eye(3)
    np.testing.assert_allclose(
        np_(tf.linalg.solve(n, b, adjoint=True)), np.linalg.solve(n.T, b), rtol=1e-10
    )
    low = np.tril(n)
    np.testing.assert_allclose(
        np_(tf.linalg.triangular_solve(n, b)), np.linalg.solve(low, b), rtol=1e-10
    )
    up = np.triu(n)
    np.testing.assert_allclose(
        np_(tf.linalg.triangular_solve(n, b, lower=False)), np.linalg.solve(up, b), rtol=1e-10
    )
    np.testing.assert_allclose(
        np_(tf.linalg.triangular_solve(n, b, adjoint=True)), np.linalg.solve(low.T, b), rtol=1e-10
    )
    np.testing.assert_allclose(
        np_(tf.linalg.cross([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])), np.cross([1, 2, 3], [4, 5, 6])
    )


def test_linalg_errors():
    with pytest.raises(InvalidArgumentError, match="tf.linalg.inv failed"):
        tf.linalg.inv([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(InvalidArgumentError, match="tf.linalg.cholesky failed"):
        tf.linalg.cholesky([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(ValueError, match=r"square matrices, got shape \(2, 3\)"):
        tf.linalg.det(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="float or complex matrix, got int32"):
        tf.linalg.inv([[1, 0], [0, 1]])


def test_global_norm():
    ts = [RNG.standard_normal(3), RNG.standard_normal((2, 2))]
    want = np.sqrt(sum(np.sum(t * t) for t in ts))
    np.testing.assert_allclose(
        tf.linalg.global_norm([tf.constant(t) for t in ts] + [None]).item(), want
    )


def test_gradients():
    m = torch.tensor(spd(3), requires_grad=True)
    assert gradcheck(tf.linalg.inv, (m,), fast_mode=True)
    assert gradcheck(
        lambda t: tf.norm(t, axis=1),
        (torch.randn(3, 4, dtype=torch.float64, requires_grad=True),),
        fast_mode=True,
    )
    assert gradcheck(lambda t: tf.linalg.band_part(t, 1, 0), (m,), fast_mode=True)


def test_unknown_name():
    with pytest.raises(NotImplementedError, match=r"`tf\.linalg\.LinearOperatorKronecker`"):
        tf.linalg.LinearOperatorKronecker  # noqa: B018


# ---------------------------------------------------------------- TF 2.21 sweep (numbers from TF)


def test_lstsq_matches_tf():
    a = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]])
    b = tf.constant([[1.0], [2.0], [2.0]])
    np.testing.assert_allclose(tf.linalg.lstsq(a, b).numpy(), [[-0.2142858], [0.5]], atol=1e-5)
    got = tf.linalg.lstsq(a, b, l2_regularizer=0.5)
    # float32 normal equations: TF and torch round differently in the last digits.
    np.testing.assert_allclose(got.numpy(), [[0.08301996], [0.28679168]], rtol=1e-4)
    wide = tf.constant([[1.0, 2.0, 3.0], [3.0, 4.0, 5.0]])
    got = tf.linalg.lstsq(wide, tf.constant([[1.0], [2.0]]), l2_regularizer=0.1)
    np.testing.assert_allclose(got.numpy(), [[0.1545544], [0.1644196], [0.1742848]], rtol=1e-4)
    exact = tf.linalg.lstsq(a, b, fast=False).numpy()
    np.testing.assert_allclose(exact, np.linalg.lstsq(a.numpy(), b.numpy(), rcond=None)[0], 1e-5)


def test_normalize_cholesky_solve_expm_matrix_rank():
    unit, size = tf.linalg.normalize(tf.constant([[3.0, 4.0]]))
    np.testing.assert_allclose(unit.numpy(), [[0.6, 0.8]])
    assert size.tolist() == [[5.0]]
    unit, size = tf.linalg.normalize(tf.constant([[3.0, -4.0]]), ord=1, axis=1)
    np.testing.assert_allclose(unit.numpy(), [[3 / 7, -4 / 7]])
    s = np.array([[4.0, 2.0], [2.0, 3.0]], np.float32)
    got = tf.linalg.cholesky_solve(tf.linalg.cholesky(tf.constant(s)), tf.constant([[1.0], [2.0]]))
    np.testing.assert_allclose(got.numpy(), np.linalg.solve(s, [[1.0], [2.0]]), rtol=1e-5)
    got = tf.linalg.expm(tf.constant([[0.0, 1.0], [-1.0, 0.0]]))
    np.testing.assert_allclose(got.numpy(), [[np.cos(1), np.sin(1)], [-np.sin(1), np.cos(1)]], 1e-6)
    rank = tf.linalg.matrix_rank(tf.ones((3, 3)))
    assert rank.dtype == torch.int32 and rank.item() == 1
    assert tf.linalg.matrix_rank(tf.linalg.diag([1.0, 0.5, 1e-3]), tol=0.01).item() == 2


def test_eig_and_eigvals():
    a = np.array([[2.0, 1.0], [1.0, 3.0]], np.float32)
    e = tf.linalg.eigvals(tf.constant(a))
    assert e.dtype == torch.complex64
    np.testing.assert_allclose(np.sort(e.numpy().real), [1.381966, 3.618034], rtol=1e-6)
    assert tf.linalg.eigvals(tf.constant(a, tf.float64)).dtype == torch.complex128
    e, v = tf.linalg.eig(tf.constant(a))
    np.testing.assert_allclose(a @ v.numpy(), v.numpy() * e.numpy()[None, :], atol=1e-5)


def test_tensor_diag_and_set_diag_error():
    d = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    full = tf.linalg.tensor_diag(d)
    assert tuple(full.shape) == (2, 2, 2, 2)
    assert full[1, 0, 1, 0].item() == 3.0 and full.sum().item() == 10.0
    assert tf.linalg.tensor_diag_part(full).tolist() == d.tolist()
    with pytest.raises(InvalidArgumentError, match=r"diagonal of shape \(2,\) does not fit"):
        tf.linalg.set_diag(tf.zeros((4, 3)), tf.constant([7.0, 8.0]))


# ---------------------------------------------------------------- lu, sqrtm, logm, tridiagonal_solve


def test_lu_format_matches_tensorflow():
    a = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]])
    lu, p = tf.linalg.lu(a)
    # TF 2.21: packed factors and the row order p with L @ U == a[p].
    np.testing.assert_allclose(
        np_(lu), [[7, 8, 10], [1 / 7, 6 / 7, 11 / 7], [4 / 7, 0.5, -0.5]], rtol=1e-5, atol=1e-6
    )
    assert p.dtype == torch.int32 and p.tolist() == [2, 0, 1]
    out = tf.linalg.lu(a, output_idx_type=tf.int64)
    assert out.p.dtype == torch.int64 and out.lu.shape == (3, 3)
    # Batched: p from TF 2.21 for these matrices.
    m = np.random.default_rng(0).standard_normal((2, 4, 4)).astype(np.float32)
    lu, p = tf.linalg.lu(m)
    assert p.tolist() == [[3, 2, 1, 0], [2, 1, 3, 0]]
    lower = np.tril(np_(lu), -1) + np.eye(4)
    upper = np.triu(np_(lu))
    np.testing.assert_allclose(
        lower @ upper, np.take_along_axis(m, np_(p)[..., None], 1), atol=1e-5
    )
    np.testing.assert_allclose(np_(tf.linalg.lu_reconstruct(lu, p)), m, atol=1e-5)


def test_lu_solve_and_inverse():
    m = np.random.default_rng(1).standard_normal((2, 4, 4))
    rhs = np.random.default_rng(2).standard_normal((2, 4, 3))
    lu, p = tf.linalg.lu(tf.constant(m))
    np.testing.assert_allclose(
        np_(tf.linalg.lu_solve(lu, p, rhs)), np.linalg.solve(m, rhs), atol=1e-10
    )
    np.testing.assert_allclose(
        np_(tf.linalg.lu_matrix_inverse(lu, p)), np.linalg.inv(m), atol=1e-10
    )
    c = tf.constant([[1 + 1j, 2], [3, 4j]], tf.complex64)
    lu, p = tf.linalg.lu(c)
    assert p.tolist() == [1, 0]  # TF 2.21
    np.testing.assert_allclose(np_(tf.linalg.lu_reconstruct(lu, p)), np_(c), atol=1e-6)


def test_lu_errors():
    with pytest.raises(
        InvalidArgumentError, match="tf.linalg.lu: the input matrix is not invertible"
    ):
        tf.linalg.lu(tf.constant([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(InvalidArgumentError, match=r"must be square, got shape \(2, 3\)"):
        tf.linalg.lu(tf.zeros([2, 3]))
    with pytest.raises(InvalidArgumentError, match=r"rank >= 2, got shape \(1,\)"):
        tf.linalg.lu(tf.constant([1.0]))
    with pytest.raises(InvalidArgumentError, match="dtype int32 is not supported"):
        tf.linalg.lu(tf.constant([[1, 2], [3, 4]]))
    lu, p = tf.linalg.lu(tf.eye(3))
    with pytest.raises(ValueError, match="input `rhs` must have at least 2 dimensions"):
        tf.linalg.lu_solve(lu, p, tf.constant([1.0, 2.0, 3.0]))
    with pytest.raises(InvalidArgumentError, match=r"perm has shape \(2,\); it must be \(3,\)"):
        tf.linalg.lu_reconstruct(lu, tf.constant([0, 1]))
    assert tf.linalg.lu(tf.zeros([2, 0, 0]))[0].shape == (2, 0, 0)


def test_sqrtm_values_nan_and_gradient():
    rng = np.random.default_rng(3)
    c = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    root = np_(tf.linalg.sqrtm(tf.constant(c)))
    np.testing.assert_allclose(root @ root, c, atol=1e-10)
    # TF 2.21 for this matrix.
    np.testing.assert_allclose(
        np_(tf.linalg.sqrtm(tf.constant([[4.0, 1.0], [0.0, 9.0]], tf.float64))),
        [[2.0, 0.2], [0.0, 3.0]],
        atol=1e-12,
    )
    np.testing.assert_allclose(
        np_(tf.linalg.sqrtm(tf.constant([[4.0, 1.0], [0.0, 4.0]]))), [[2, 0.25], [0, 2]], atol=1e-6
    )
    # A negative real eigenvalue: no real square root, NaN as in TF.
    assert np.isnan(np_(tf.linalg.sqrtm(tf.constant([[1.0, 2.0], [3.0, 4.0]])))).all()
    z = np_(tf.linalg.sqrtm(tf.constant(c, tf.complex128)))
    np.testing.assert_allclose(z @ z, c, atol=1e-10)
    mm = tf.Variable([[4.0, 1.0], [0.0, 9.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.linalg.sqrtm(mm))
    # TF 2.21's gradient.
    np.testing.assert_allclose(np_(tape.gradient(y, mm)), [[0.24, 0.2], [0.184, 0.16]], atol=1e-5)
    x = torch.tensor(c, requires_grad=True)
    assert gradcheck(tf.linalg.sqrtm, (x,), atol=1e-5)


def test_logm_values_and_dtype_rule():
    rng = np.random.default_rng(4)
    c = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    log = tf.linalg.logm(tf.constant(c, tf.complex128))
    assert log.dtype == torch.complex128
    np.testing.assert_allclose(np_(torch.linalg.matrix_exp(log)), c, atol=1e-10)
    jordan = tf.linalg.logm(tf.constant([[4.0, 1.0], [0.0, 4.0]], tf.complex64))
    np.testing.assert_allclose(np_(jordan), [[np.log(4), 0.25], [0, np.log(4)]], atol=1e-6)
    rot = np_(tf.linalg.logm(tf.constant([[0.0, 1.0], [-1.0, 0.0]], tf.complex128)))
    np.testing.assert_allclose(rot, [[0, np.pi / 2], [-np.pi / 2, 0]], atol=1e-10)
    with pytest.raises(
        InvalidArgumentError, match="dtype float32 is not supported; use one of complex64"
    ):
        tf.linalg.logm(tf.constant([[1.0, 2.0], [3.0, 4.0]]))


def _tridiagonal_case():
    sup = tf.constant([1.0, 2.0, 3.0, 99.0])
    main = tf.constant([4.0, 5.0, 6.0, 7.0])
    sub = tf.constant([99.0, 1.0, 1.0, 2.0])
    rhs = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    dense = np.array([[4, 1, 0, 0], [1, 5, 2, 0], [0, 1, 6, 3], [0, 0, 2, 7]], np.float64)
    return sup, main, sub, rhs, dense


def test_tridiagonal_solve_formats():
    sup, main, sub, rhs, dense = _tridiagonal_case()
    expected = np.linalg.solve(dense, np_(rhs).astype(np.float64))
    compact = tf.linalg.tridiagonal_solve(tf.stack([sup, main, sub]), rhs)
    np.testing.assert_allclose(np_(compact), expected, rtol=1e-5)
    seq = tf.linalg.tridiagonal_solve((sup, main, sub), rhs, diagonals_format="sequence")
    np.testing.assert_allclose(np_(seq), expected, rtol=1e-5)
    mat = tf.linalg.tridiagonal_solve(
        tf.constant(dense, tf.float32), rhs, diagonals_format="matrix"
    )
    np.testing.assert_allclose(np_(mat), expected, rtol=1e-5)
    vec = tf.linalg.tridiagonal_solve(tf.stack([sup, main, sub]), tf.constant([1.0, 2, 3, 4]))
    np.testing.assert_allclose(np_(vec), np.linalg.solve(dense, [1, 2, 3, 4]), rtol=1e-5)
    # transpose_rhs: rhs is (k, m); the result stays (m, k), as in TF.
    tr = tf.linalg.tridiagonal_solve(
        tf.stack([sup, main, sub]), tf.transpose(rhs), transpose_rhs=True
    )
    np.testing.assert_allclose(np_(tr), expected, rtol=1e-5)
    conj = tf.linalg.tridiagonal_solve(
        tf.cast(tf.stack([sup, main, sub]), tf.complex64),
        tf.cast(rhs, tf.complex64) * 1j,
        conjugate_rhs=True,
    )
    np.testing.assert_allclose(np_(conj), -1j * expected, rtol=1e-5)
    nopivot = tf.linalg.tridiagonal_solve(tf.stack([sup, main, sub]), rhs, partial_pivoting=False)
    np.testing.assert_allclose(np_(nopivot), expected, rtol=1e-5)
    # A system that needs pivoting (zero leading pivot) solved with pivoting (TF 2.21).
    pivot = tf.linalg.tridiagonal_solve(
        tf.stack(
            [tf.constant([1.0, 0, 0, 0]), tf.constant([0.0, 1, 1, 1]), tf.constant([0.0, 1, 0, 0])]
        ),
        rhs,
    )
    np.testing.assert_allclose(np_(pivot), [[2, 2], [1, 2], [5, 6], [7, 8]], atol=1e-6)
    # Without pivoting TF divides by the zero pivot: NaN.
    zeros = tf.linalg.tridiagonal_solve(tf.zeros([3, 4]), rhs, partial_pivoting=False)
    assert np.isnan(np_(zeros)).all()


def test_tridiagonal_solve_gradient():
    sup, main, sub, rhs, _ = _tridiagonal_case()
    d = tf.Variable(tf.stack([sup, main, sub]))
    r = tf.Variable(rhs)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.linalg.tridiagonal_solve(d, r) ** 2)
    gd, gr = tape.gradient(y, [d, r])
    # TF 2.21's gradients (the ignored corner entries get 0).
    np.testing.assert_allclose(
        np_(gd),
        [
            [-0.081312, -0.139629, 0.100845, 0.0],
            [-0.047498, -0.207552, 0.03548, -0.586113],
            [0.0, -0.101967, 0.05282, -0.208344],
        ],
        atol=2e-6,
    )
    np.testing.assert_allclose(
        np_(gr),
        [[0.021436, 0.124934], [0.188142, 0.213639], [-0.057685, -0.046635], [0.285869, 0.3148]],
        atol=2e-6,
    )


def test_tridiagonal_solve_errors():
    sup, main, sub, rhs, _ = _tridiagonal_case()
    compact = tf.stack([sup, main, sub])
    with pytest.raises(ValueError, match="unrecognized diagonals_format 'bad'"):
        tf.linalg.tridiagonal_solve(compact, rhs, diagonals_format="bad")
    with pytest.raises(ValueError, match="expected 3 diagonals, got 2"):
        tf.linalg.tridiagonal_solve(tf.stack([sup, main]), rhs)
    with pytest.raises(
        ValueError, match="left-hand sides and right-hand sides to be equal, got 4 and 3"
    ):
        tf.linalg.tridiagonal_solve(compact, rhs[:3])
    with pytest.raises(ValueError, match="sequence of length 3"):
        tf.linalg.tridiagonal_solve((sup, main), rhs, diagonals_format="sequence")
    with pytest.raises(
        ValueError, match=r"last two dimensions of diagonals to be the same, got shape \(4, 3\)"
    ):
        tf.linalg.tridiagonal_solve(tf.zeros([4, 3]), rhs, diagonals_format="matrix")
    with pytest.raises(ValueError, match="partial_pivoting must be True if perturb_singular is"):
        tf.linalg.tridiagonal_solve(compact, rhs, partial_pivoting=False, perturb_singular=True)
    # A singular system gives NaN, as TF (which logs a warning) does; per batch entry.
    assert np.isnan(np_(tf.linalg.tridiagonal_solve(tf.zeros([3, 4]), rhs))).all()
    batch = torch.zeros(2, 3, 4)
    batch[1, 1] = 3.0
    out = np_(tf.linalg.tridiagonal_solve(batch, torch.ones(2, 4, 1)))
    assert np.isnan(out[0]).all()
    np.testing.assert_allclose(out[1], np.full((4, 1), 1 / 3), rtol=1e-6)
    with pytest.raises(NotImplementedError, match="does not implement perturb_singular=True"):
        tf.linalg.tridiagonal_solve(tf.zeros([3, 4]), rhs, perturb_singular=True)
    ok = tf.linalg.tridiagonal_solve(compact, rhs, perturb_singular=True)
    np.testing.assert_allclose(np_(ok), np_(tf.linalg.tridiagonal_solve(compact, rhs)))
    with pytest.raises(InvalidArgumentError, match="diagonals are float32 but rhs is float64"):
        tf.linalg.tridiagonal_solve(compact, tf.constant(np_(rhs), tf.float64))


def test_sqrtm_logm_batched():
    rng = np.random.default_rng(5)
    a = rng.standard_normal((3, 2, 4, 4)) + 4 * np.eye(4)
    a[1, 0] = [[1, 2, 0, 0], [3, 4, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]  # eigenvalue < 0
    root = np_(tf.linalg.sqrtm(tf.constant(a)))
    bad = np.isnan(root).reshape(3, 2, -1).all(-1)
    assert bad.tolist() == [[False, False], [True, False], [False, False]]
    ok = ~np.isnan(root)
    np.testing.assert_allclose((root @ root)[ok], a[ok], atol=1e-10)
    a[1, 0] += 10 * np.eye(4)
    log = tf.linalg.logm(tf.constant(a, tf.complex128))
    np.testing.assert_allclose(np_(torch.linalg.matrix_exp(log)), a, atol=1e-9)


def test_new_linalg_ops_in_the_functional_api():
    from tork import keras

    inp = keras.Input((2, 2))
    model = keras.Model(inp, [tf.linalg.sqrtm(inp), tf.linalg.lu(inp)[0]])
    root, packed = model(np.array([[[4.0, 1.0], [0.0, 9.0]]], np.float32))
    np.testing.assert_allclose(np_(root), [[[2.0, 0.2], [0.0, 3.0]]], atol=1e-6)
    np.testing.assert_allclose(np_(packed), [[[4.0, 1.0], [0.0, 9.0]]], atol=1e-6)
