"""`keras.ops.linalg`: Keras 3's linear-algebra ops over `torch.linalg`."""

from __future__ import annotations

import torch

from tork._backend.errors import module_getattr
from tork.keras.ops._utils import _float, _operands, _t
from tork.keras.ops.math import qr

__all__ = [
    "cholesky",
    "cholesky_inverse",
    "jvp",
    "lu_factor",
    "matrix_rank",
    "pinv",
    "det",
    "eig",
    "eigh",
    "inv",
    "lstsq",
    "norm",
    "qr",
    "solve",
    "solve_triangular",
    "svd",
]


def _matrix(x, name: str) -> torch.Tensor:
    x = _float(_t(x))
    if x.dim() < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(
            f"keras.ops.{name} needs square matrices (shape (..., M, M)); got shape "
            f"{tuple(x.shape)}."
        )
    return x


def cholesky(x, upper: bool = False) -> torch.Tensor:
    """Cholesky factor of symmetric positive-definite matrices.

    Args:
        x: Tensor `(..., M, M)`.
        upper: Return the upper factor `U` (`x = U^H U`) instead of the lower one.

    Returns:
        The triangular factor.

    Example:
    >>> keras.ops.cholesky([[4.0, 0.0], [0.0, 9.0]])  # [[2., 0.], [0., 3.]]
    """
    return torch.linalg.cholesky(_matrix(x, "cholesky"), upper=upper)


def det(x) -> torch.Tensor:
    """Determinant of square matrices.

    Args:
        x: Tensor `(..., M, M)`.

    Returns:
        The determinants.

    Example:
    >>> keras.ops.det([[1.0, 2.0], [3.0, 4.0]])  # -2.
    """
    return torch.linalg.det(_matrix(x, "det"))


def inv(x) -> torch.Tensor:
    """Inverse of square matrices.

    Args:
        x: Tensor `(..., M, M)`.

    Returns:
        The inverses.

    Example:
    >>> keras.ops.inv([[2.0, 0.0], [0.0, 4.0]])  # [[0.5, 0.], [0., 0.25]]
    """
    return torch.linalg.inv(_matrix(x, "inv"))


def eig(x) -> tuple[torch.Tensor, torch.Tensor]:
    """Eigenvalues and eigenvectors of general square matrices (complex results).

    Args:
        x: Tensor `(..., M, M)`.

    Returns:
        `(eigenvalues, eigenvectors)`.

    Example:
    >>> w, v = keras.ops.eig([[2.0, 0.0], [0.0, 3.0]])
    """
    w, v = torch.linalg.eig(_matrix(x, "eig"))
    return w, v


def eigh(x) -> tuple[torch.Tensor, torch.Tensor]:
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices.

    Args:
        x: Tensor `(..., M, M)`.

    Returns:
        `(eigenvalues, eigenvectors)`.

    Example:
    >>> w, v = keras.ops.eigh([[2.0, 1.0], [1.0, 2.0]])  # w = [1., 3.]
    """
    w, v = torch.linalg.eigh(_matrix(x, "eigh"))
    return w, v


def solve(a, b) -> torch.Tensor:
    """Solves `a @ x = b`.

    Args:
        a: Tensor `(..., M, M)`.
        b: Tensor `(..., M)` or `(..., M, K)`.

    Returns:
        The solution `x`.

    Example:
    >>> keras.ops.solve([[2.0, 0.0], [0.0, 4.0]], [2.0, 8.0])  # [1., 2.]
    """
    a, b = _operands(a, b)
    return torch.linalg.solve(_matrix(a, "solve"), _float(b))


def solve_triangular(a, b, lower: bool = False) -> torch.Tensor:
    """Solves `a @ x = b` for triangular `a`.

    Args:
        a: Triangular tensor `(..., M, M)`.
        b: Tensor `(..., M)` or `(..., M, K)`.
        lower: Whether `a` is lower (else upper) triangular.

    Returns:
        The solution `x`.

    Example:
    >>> keras.ops.solve_triangular([[2.0, 0.0], [1.0, 1.0]], [2.0, 3.0], lower=True)  # [1., 2.]
    """
    a, b = _operands(a, b)
    a = _matrix(a, "solve_triangular")
    b = _float(b)
    vector = b.dim() == a.dim() - 1
    out = torch.linalg.solve_triangular(a, b.unsqueeze(-1) if vector else b, upper=not lower)
    return out.squeeze(-1) if vector else out


def _lstsq_driver(a: torch.Tensor) -> str:
    # gelsd (SVD based, like NumPy) handles rank-deficient systems; CUDA has only gels.
    return "gelsd" if a.device.type == "cpu" else "gels"


def lstsq(a, b, rcond=None) -> torch.Tensor:
    """Least-squares solution of `a @ x = b`.

    Args:
        a: Tensor `(M, N)`.
        b: Tensor `(M,)` or `(M, K)`.
        rcond: Cut-off ratio for small singular values.

    Returns:
        The solution `x`.

    Example:
    >>> keras.ops.lstsq([[1.0], [1.0]], [1.0, 3.0])  # [2.]
    """
    a, b = _operands(a, b)
    a, b = _float(a), _float(b)
    vector = b.dim() == 1
    out = torch.linalg.lstsq(
        a, b.unsqueeze(-1) if vector else b, rcond=rcond, driver=_lstsq_driver(a)
    )
    return out.solution.squeeze(-1) if vector else out.solution


def svd(x, full_matrices: bool = True, compute_uv: bool = True):
    """Singular value decomposition `x = u @ diag(s) @ vh`.

    Args:
        x: Tensor `(..., M, N)`.
        full_matrices: Full-size `u` and `vh` (else reduced).
        compute_uv: Return `(u, s, vh)`; else only `s`.

    Returns:
        `(u, s, vh)`, or `s`.

    Example:
    >>> keras.ops.svd([[3.0, 0.0], [0.0, 2.0]], compute_uv=False)  # [3., 2.]
    """
    x = _float(_t(x))
    if not compute_uv:
        return torch.linalg.svdvals(x)
    u, s, vh = torch.linalg.svd(x, full_matrices=full_matrices)
    return u, s, vh


def norm(x, ord=None, axis=None, keepdims: bool = False) -> torch.Tensor:
    """Vector or matrix norm (NumPy `linalg.norm` semantics).

    Args:
        x: Input tensor.
        ord: Norm order: a number, `inf`, `-inf`, `"fro"` or `"nuc"`; None is the
            2-norm of the flattened tensor (Frobenius for matrices).
        axis: Int (vector norm), pair of ints (matrix norm) or None.
        keepdims: Keep reduced axes with size 1.

    Returns:
        The norm.

    Example:
    >>> keras.ops.norm([3.0, 4.0])  # 5.
    """
    x = _float(_t(x))
    if isinstance(axis, list):
        axis = tuple(axis)
    if axis is None and ord is None:
        out = torch.linalg.vector_norm(x)
        return out.reshape([1] * x.dim()) if keepdims else out
    if axis is None and x.dim() > 2:
        raise ValueError(
            f"keras.ops.norm: ord={ord!r} with axis=None needs a 1-D or 2-D input; got shape "
            f"{tuple(x.shape)}. Pass `axis`."
        )
    return torch.linalg.norm(x, ord=ord, dim=axis, keepdim=keepdims)


def cholesky_inverse(x, upper: bool = False) -> torch.Tensor:
    """Inverse of the matrix `A` whose Cholesky factor is `x` (`A = L L^T` or `U^T U`).

    Args:
        x: Triangular Cholesky factor(s), `(..., M, M)`.
        upper: Whether `x` is upper triangular (`A = U^T U`).

    Returns:
        `inv(A)`.

    Example:
    >>> keras.ops.cholesky_inverse([[2.0, 0.0], [1.0, 3.0]])  # inv([[4, 2], [2, 10]])
    """
    return torch.cholesky_inverse(_matrix(x, "cholesky_inverse"), upper=bool(upper))


def lu_factor(x) -> tuple[torch.Tensor, torch.Tensor]:
    """LU factorisation with partial pivoting, `x[p] = L U`.

    Args:
        x: Square matrices `(..., M, M)`.

    Returns:
        `(lu, p)`: `L` (unit diagonal, below) and `U` (on and above the diagonal) packed
        in one matrix, and the int32 row permutation `p` (as TensorFlow returns it).

    Example:
    >>> keras.ops.lu_factor([[1.0, 2.0], [3.0, 4.0]])  # ([[3., 4.], [0.333, 0.667]], [1, 0])
    """
    lu, pivots = torch.linalg.lu_factor(_matrix(x, "lu_factor"))
    # LAPACK pivots (row i swapped with row pivots[i] - 1, in turn) -> a permutation.
    n = lu.shape[-1]
    piv = (pivots.long() - 1).reshape(-1, n)
    perm = torch.arange(n, device=lu.device).repeat(piv.shape[0], 1)
    rows = torch.arange(piv.shape[0], device=lu.device)
    for i in range(n):
        j = piv[:, i]
        a, b = perm[rows, i].clone(), perm[rows, j].clone()
        perm[rows, i], perm[rows, j] = b, a
    return lu, perm.reshape(pivots.shape).to(torch.int32)


def matrix_rank(x, tol=None) -> torch.Tensor:
    """Rank of matrices: the number of singular values above `tol`.

    Args:
        x: Matrices `(..., M, N)`.
        tol: Absolute threshold; by default `max(M, N) * eps * largest singular value`.

    Returns:
        int32 rank(s).

    Example:
    >>> keras.ops.matrix_rank([[1.0, 2.0], [2.0, 4.0]])  # 1
    """
    x = _float(_t(x))
    if x.dim() < 2:
        raise ValueError(f"keras.ops.matrix_rank needs matrices; got shape {tuple(x.shape)}.")
    s = torch.linalg.svdvals(x)
    if tol is None:
        eps = torch.finfo(x.dtype).eps
        tol_t = s.amax(dim=-1, keepdim=True) * max(x.shape[-2:]) * eps
    else:
        tol_t = torch.as_tensor(tol, dtype=s.dtype)
    return torch.sum(s > tol_t, dim=-1).to(torch.int32)


def pinv(x, rcond=None) -> torch.Tensor:
    """Moore-Penrose pseudo-inverse (singular values below `rcond * largest` are dropped).

    Args:
        x: Matrices `(..., M, N)`.
        rcond: Relative cut-off; by default `max(M, N) * eps`.

    Returns:
        `(..., N, M)` pseudo-inverse(s).

    Example:
    >>> keras.ops.pinv([[1.0, 2.0], [2.0, 4.0]])  # [[0.04, 0.08], [0.08, 0.16]]
    """
    x = _float(_t(x))
    if x.dim() < 2:
        raise ValueError(f"keras.ops.pinv needs matrices; got shape {tuple(x.shape)}.")
    if rcond is None:
        return torch.linalg.pinv(x)
    return torch.linalg.pinv(x, rtol=float(rcond))


def jvp(fun, primals, tangents, has_aux: bool = False):
    """Jacobian-vector product: `fun(*primals)` and its derivative along `tangents`.

    Args:
        fun: Function of tensors returning a tensor or a nest of tensors (with
            `has_aux`, a pair `(output, aux)`).
        primals: Tuple of input values.
        tangents: Tuple of tangents, shaped as `primals`.
        has_aux: Whether `fun` returns `(output, aux)`; `aux` is returned undifferentiated.

    Returns:
        `(primals_out, tangents_out)`, or `(primals_out, tangents_out, aux)`.

    Example:
    >>> keras.ops.jvp(lambda x: x**2, (np.array([1.0, 2.0]),), (np.ones(2),))  # ([1, 4], [2, 4])
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("keras.ops.jvp: `primals` and `tangents` must be tuples of tensors.")
    if len(primals) != len(tangents):
        raise ValueError(f"keras.ops.jvp: got {len(primals)} primals but {len(tangents)} tangents.")
    p = tuple(_float(_t(v)) for v in primals)
    t = tuple(_t(v).to(pv.dtype) for v, pv in zip(tangents, p, strict=True))
    out = torch.func.jvp(fun, p, t, has_aux=bool(has_aux))
    return tuple(out)


__getattr__ = module_getattr("keras.ops.linalg")
