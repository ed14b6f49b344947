"""`tf.linalg`: matrix ops over `torch.linalg`.

Only `norm` is exported at the top level (`tf.norm`); everything else is
reached as `tf.linalg.X`, as in TensorFlow. Matrices are the last two
dimensions; leading dimensions are batch dimensions.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch

from tork._backend.dtypes import dtype_name
from tork._backend.errors import module_getattr

# LU, sqrtm/logm and tridiagonal_solve live in their own module (reached as tf.linalg.X).
from tork.ops._linalg_extra import (  # noqa: F401
    logm,
    lu,
    lu_matrix_inverse,
    lu_reconstruct,
    lu_solve,
    sqrtm,
    tridiagonal_solve,
)
from tork.ops._linear_operator import (  # noqa: F401
    LinearOperator,
    LinearOperatorDiag,
    LinearOperatorFullMatrix,
    LinearOperatorIdentity,
    LinearOperatorLowerTriangular,
)
from tork.ops.array import _as_axes, _like, _scalar_value, _shape_str, _snapshot, _t, eye
from tork.ops.debugging import InvalidArgumentError
from tork.ops.math import (
    _global_norm,
    _tensor_operands,
    einsum,
    l2_normalize,
    matmul,
    tensordot,
)
from tork.variables import Variable as _Variable

__all__ = ["norm"]

__getattr__ = module_getattr("tf.linalg")

# Reached as tf.linalg.X (same functions as the top-level ones).
_SHARED = (eye, einsum, l2_normalize, matmul, tensordot)


def _matrix(value, op: str) -> torch.Tensor:
    x = _t(value)
    if x.dim() < 2:
        raise ValueError(
            f"tf.linalg.{op} needs a matrix (rank >= 2), got shape {_shape_str(x.shape)}."
        )
    return x


def _square(value, op: str) -> torch.Tensor:
    x = _matrix(value, op)
    if x.shape[-1] != x.shape[-2]:
        raise ValueError(f"tf.linalg.{op} needs square matrices, got shape {_shape_str(x.shape)}.")
    if not (x.is_floating_point() or x.is_complex()):
        raise TypeError(
            f"tf.linalg.{op} needs a float or complex matrix, got {dtype_name(x.dtype)}."
        )
    return x


def _lower_hermitian(x: torch.Tensor) -> torch.Tensor:
    # TF's eigh reads only the lower triangle, so its gradient is zero above the
    # diagonal (and doubled below it). torch's eigh reads the lower triangle too but
    # returns a symmetric gradient; rebuilding the matrix from its lower triangle
    # first makes autograd give TF's (exact) gradient. Forward values are unchanged.
    strict = torch.tril(x, -1)
    return strict + torch.diagonal(x, dim1=-2, dim2=-1).diag_embed() + strict.mH


def norm(
    tensor, ord="euclidean", axis=None, keepdims: bool | None = None, name: str | None = None
) -> torch.Tensor:
    """Computes a vector or matrix norm.

    Args:
        tensor: a tensor-like value.
        ord: `'euclidean'` (default), `'fro'` (matrices only), 1, 2, `np.inf`
            or any positive real p for vectors; `'euclidean'`/`'fro'`, 1, 2 or
            `np.inf` for matrices.
        axis: None (the whole tensor as one vector), an int (vector norms
            along it) or a pair of ints (matrix norms over those two axes).
        keepdims: keep reduced dimensions with size 1.
        name: unused.

    Returns:
        The norms.

    Example:
    >>> tf.norm([3.0, 4.0]).item()
    5.0
    """
    del name
    x = _t(tensor)
    if not (x.is_floating_point() or x.is_complex()):
        x = x.float()
    keep = bool(keepdims)
    dims = _as_axes(axis, x.dim())
    if dims is not None and len(dims) == 2:
        if ord in ("euclidean", "fro"):
            return torch.linalg.matrix_norm(x, "fro", dim=dims, keepdim=keep)
        if ord in (1, 2, np.inf):
            return torch.linalg.matrix_norm(x, ord, dim=dims, keepdim=keep)
        raise ValueError(
            f"norm: ord={ord!r} is not supported for matrices; use 'euclidean', 'fro', 1, 2 "
            "or np.inf."
        )
    if dims is not None and len(dims) != 1:
        raise ValueError(f"norm: axis must be None, an int or a pair of ints, got {axis!r}.")
    if ord == "euclidean":
        p = 2
    elif isinstance(ord, numbers.Real) and not isinstance(ord, bool) and ord > 0:
        p = ord
    else:
        raise ValueError(
            f"norm: ord={ord!r} is not a supported vector norm; use 'euclidean', a positive "
            "number or np.inf ('fro' needs axis=(i, j))."
        )
    return torch.linalg.vector_norm(x, p, dim=dims, keepdim=keep)


def global_norm(t_list, name: str | None = None) -> torch.Tensor:
    """The L2 norm of all tensors in a list taken together: sqrt(sum of squared norms).

    Args:
        t_list: a list of tensors (None entries are skipped).
        name: unused.

    Returns:
        A 0-D tensor.

    Example:
    >>> tf.linalg.global_norm([tf.constant([3.0]), tf.constant([4.0])]).item()
    5.0
    """
    del name
    return _global_norm(t_list)


def matrix_transpose(a, name: str | None = "matrix_transpose", conjugate=False) -> torch.Tensor:
    """Transposes the last two dimensions.

    Args:
        a: a tensor of rank >= 2.
        name: unused.
        conjugate: also take the complex conjugate.

    Returns:
        The transposed tensor.

    Example:
    >>> tf.linalg.matrix_transpose(tf.zeros((5, 2, 3))).shape
    torch.Size([5, 3, 2])
    """
    del name
    x = _matrix(a, "matrix_transpose")
    out = x.mH.resolve_conj() if conjugate and x.is_complex() else x.mT
    # A variable's read is a snapshot, as TensorFlow's (see array._snapshot).
    return _snapshot(out) if isinstance(x, _Variable) else out


transpose = matrix_transpose


def adjoint(matrix, name: str | None = None) -> torch.Tensor:
    """Conjugate-transposes the last two dimensions.

    Args:
        matrix: a tensor of rank >= 2.
        name: unused.

    Returns:
        The adjoint.

    Example:
    >>> tf.linalg.adjoint(tf.zeros((2, 3))).shape
    torch.Size([3, 2])
    """
    del name
    x = _matrix(matrix, "adjoint")
    out = x.mH.resolve_conj()
    return _snapshot(out) if isinstance(x, _Variable) else out


def matvec(a, b, transpose_a=False, adjoint_a=False, name: str | None = None) -> torch.Tensor:
    """Multiplies matrices `a` by vectors `b`.

    Args:
        a: a tensor of shape `batch + (m, n)`.
        b: a tensor of shape `batch + (n,)`.
        transpose_a: transpose `a` first.
        adjoint_a: conjugate-transpose `a` first.
        name: unused.

    Returns:
        A tensor of shape `batch + (m,)`.

    Example:
    >>> tf.linalg.matvec(tf.eye(2), [1.0, 2.0]).tolist()
    [1.0, 2.0]
    """
    del name
    a = _t(a)
    b = _like(b, a)
    return matmul(a, b.unsqueeze(-1), transpose_a=transpose_a, adjoint_a=adjoint_a).squeeze(-1)


def diag(
    diagonal,
    name: str | None = "diag",
    k=0,
    num_rows=-1,
    num_cols=-1,
    padding_value=0,
    align="RIGHT_LEFT",
) -> torch.Tensor:
    """Builds (batched) matrices with `diagonal` on their k-th diagonal(s).

    Args:
        diagonal: a tensor of shape `batch + (n,)`, or for a band `k=(low, high)`
            `batch + (high - low + 1, n)` (diagonals `high` down to `low`).
        name: unused.
        k: which diagonal (0 main, > 0 above, < 0 below), or a pair `(low, high)`.
        num_rows: rows of the output; -1 infers the smallest (square when both are -1).
        num_cols: columns of the output; -1 infers the smallest.
        padding_value: value off the diagonal(s).
        align: for a band, `"RIGHT_LEFT"` (default), `"LEFT_RIGHT"`, `"LEFT_LEFT"` or
            `"RIGHT_RIGHT"`: how short superdiagonals (first word) and subdiagonals
            (second word) sit in their padded rows of `diagonal`.

    Returns:
        A tensor of shape `batch + (num_rows, num_cols)`.

    Example:
    >>> tf.linalg.diag([1.0, 2.0]).tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    del name
    x = _t(diagonal)
    lo, hi = _diag_range(k)
    if lo > hi:
        raise InvalidArgumentError(
            f"tf.linalg.diag: k=({lo}, {hi}) has its lower end above its upper end."
        )
    band = x if lo != hi else x.unsqueeze(-2)
    if band.dim() < 2 or band.shape[-2] != hi - lo + 1:
        raise InvalidArgumentError(
            f"tf.linalg.diag: k=({lo}, {hi}) needs {hi - lo + 1} diagonals, but `diagonal` "
            f"has shape {_shape_str(x.shape)}; give it shape batch + ({hi - lo + 1}, length)."
        )
    width = band.shape[-1]
    # TF's MatrixDiagV3: the smallest matrix holding the longest diagonal; square when
    # neither size is given.
    min_rows, min_cols = width - min(hi, 0), width + max(lo, 0)
    rows = -1 if num_rows is None else int(_scalar_value(num_rows))
    cols = -1 if num_cols is None else int(_scalar_value(num_cols))
    for size, least, what in ((rows, min_rows, "num_rows"), (cols, min_cols, "num_cols")):
        if size != -1 and size < least:
            raise InvalidArgumentError(
                f"tf.linalg.diag: {what}={size} is too small for diagonals of length {width} "
                f"at k=({lo}, {hi}); it must be at least {least}."
            )
    if rows == -1 and cols == -1:
        rows = cols = max(min_rows, min_cols)
    rows = min_rows if rows == -1 else rows
    cols = min_cols if cols == -1 else cols
    if rows != min_rows and cols != min_cols:
        raise InvalidArgumentError(
            f"tf.linalg.diag: num_rows={rows} and num_cols={cols} do not fit diagonals of "
            f"length {width} at k=({lo}, {hi}); one of them must be its smallest value "
            f"({min_rows} rows or {min_cols} columns)."
        )
    inside, index = _diag_layout(rows, cols, lo, hi, width, align, band.device, "diag")
    flat = band.reshape(*band.shape[:-2], -1)
    if flat.shape[-1] == 0:
        picked = torch.zeros((*flat.shape[:-1], rows * cols), dtype=x.dtype, device=x.device)
    else:
        picked = flat[..., index.reshape(-1)]
    picked = picked.reshape(*band.shape[:-2], rows, cols)
    pad = torch.full((), padding_value, dtype=x.dtype, device=x.device)
    return torch.where(inside, picked, pad)


def _diag_layout(rows: int, cols: int, lo: int, hi: int, width: int, align, device, op: str):
    """Where diagonals `hi..lo` (padded to `width`, aligned as `align`) sit in a matrix.

    Returns `(inside, index)`, both of shape `(rows, cols)`: whether each entry lies on a
    stored diagonal, and its flat position in the `(hi - lo + 1, width)` diagonal block
    (TF's MatrixDiagV3 / MatrixSetDiagV3 layout).
    """
    align = str(align).upper()
    if align not in ("RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT"):
        raise ValueError(
            f"tf.linalg.{op}: align must be RIGHT_LEFT, LEFT_RIGHT, LEFT_LEFT or "
            f"RIGHT_RIGHT, got {align!r}."
        )
    super_right, sub_right = (word == "RIGHT" for word in align.split("_"))
    i = torch.arange(rows, device=device).unsqueeze(-1)
    j = torch.arange(cols, device=device)
    d = j - i
    length = torch.minimum(rows + d.clamp(max=0), cols - d.clamp(min=0))
    right = torch.where(d >= 0, super_right, sub_right)
    # Only a band's short diagonals are padded; a single diagonal fills its row.
    offset = torch.where(right & (lo != hi), width - length, 0)
    pos = torch.minimum(i, j) + offset
    inside = (d >= lo) & (d <= hi) & (pos < width)
    index = torch.where(inside, (hi - d) * width + pos, 0)
    return inside, index


def diag_part(
    input, name: str | None = "diag_part", k=0, padding_value=0, align="RIGHT_LEFT"
) -> torch.Tensor:
    """Returns the k-th diagonal of (batched) matrices.

    Args:
        input: a tensor of rank >= 2.
        name: unused.
        k: which diagonal (0 main, > 0 above, < 0 below), or a pair `(low, high)`
            for the band of diagonals `high, high - 1, ..., low`.
        padding_value: fills the short diagonals of a band.
        align: for a band, `"RIGHT_LEFT"` (default), `"LEFT_RIGHT"`, `"LEFT_LEFT"` or
            `"RIGHT_RIGHT"`: how superdiagonals (first word) and subdiagonals (second word)
            sit in their padded rows.

    Returns:
        A tensor of shape `batch + (diagonal length,)`, or for a band
        `batch + (high - low + 1, longest length)`.

    Example:
    >>> tf.linalg.diag_part([[1, 2], [3, 4]]).tolist()
    [1, 4]
    """
    del name
    x = _matrix(input, "diag_part")
    lo, hi = _diag_range(k)
    rows, cols = x.shape[-2], x.shape[-1]
    for d in (lo, hi):
        if not -rows < d < cols and rows and cols:
            raise InvalidArgumentError(
                f"tf.linalg.diag_part: diagonal k={d} is out of range for matrices of shape "
                f"{_shape_str(x.shape[-2:])}; it must be in ({-rows}, {cols})."
            )
    if lo > hi:
        raise InvalidArgumentError(
            f"tf.linalg.diag_part: k=({lo}, {hi}) has its lower end above its upper end."
        )
    if lo == hi:
        out = torch.diagonal(x, offset=lo, dim1=-2, dim2=-1)
        return _snapshot(out) if isinstance(x, _Variable) else out
    return _diag_band(x, lo, hi, padding_value, align)


def _diag_range(k) -> tuple[int, int]:
    """`k` (an int, or a pair / 2-element tensor for a band) as `(low, high)`."""
    if isinstance(k, torch.Tensor):
        k = k.tolist()
    if isinstance(k, (list, tuple)):
        if len(k) == 1:
            return int(k[0]), int(k[0])
        if len(k) != 2:
            raise ValueError(f"tf.linalg: k must be an int or a pair (low, high), got {k!r}.")
        return int(k[0]), int(k[1])
    return int(k), int(k)


def _diag_band(x: torch.Tensor, lo: int, hi: int, padding_value, align: str) -> torch.Tensor:
    """Diagonals `hi` down to `lo` of `x`, padded to one length as TF's MatrixDiagPartV3."""
    align = str(align).upper()
    if align not in ("RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT"):
        raise ValueError(
            f"tf.linalg.diag_part: align must be RIGHT_LEFT, LEFT_RIGHT, LEFT_LEFT or "
            f"RIGHT_RIGHT, got {align!r}."
        )
    super_align, sub_align = align.split("_")
    diags = [torch.diagonal(x, offset=d, dim1=-2, dim2=-1) for d in range(hi, lo - 1, -1)]
    width = max(d.shape[-1] for d in diags)
    rows = []
    for d, diag in zip(range(hi, lo - 1, -1), diags):
        missing = width - diag.shape[-1]
        right = (super_align if d >= 0 else sub_align) == "RIGHT"
        pad = torch.full((*diag.shape[:-1], missing), padding_value, dtype=x.dtype, device=x.device)
        rows.append(torch.cat([pad, diag] if right else [diag, pad], dim=-1))
    return torch.stack(rows, dim=-2)


def set_diag(
    input, diagonal, name: str | None = "set_diag", k=0, align="RIGHT_LEFT"
) -> torch.Tensor:
    """Returns a copy of (batched) matrices with the k-th diagonal(s) replaced.

    Args:
        input: a tensor of rank >= 2.
        diagonal: the new diagonal values, shape `batch + (length,)`, or for a band
            `k=(low, high)` `batch + (high - low + 1, longest length)`.
        name: unused.
        k: which diagonal, or a pair `(low, high)` for the band `high` down to `low`.
        align: for a band, `"RIGHT_LEFT"` (default), `"LEFT_RIGHT"`, `"LEFT_LEFT"` or
            `"RIGHT_RIGHT"` (as in `tf.linalg.diag_part`).

    Returns:
        The updated matrices.

    Example:
    >>> tf.linalg.set_diag(tf.zeros((2, 2)), [1.0, 2.0]).tolist()
    [[1.0, 0.0], [0.0, 2.0]]
    """
    del name
    x = _matrix(input, "set_diag")
    d = _like(diagonal, x).to(x.dtype)
    lo, hi = _diag_range(k)
    rows, cols = x.shape[-2], x.shape[-1]
    if lo > hi:
        raise InvalidArgumentError(
            f"tf.linalg.set_diag: k=({lo}, {hi}) has its lower end above its upper end."
        )
    if lo == hi:
        try:
            return torch.diagonal_scatter(x, d, offset=lo, dim1=-2, dim2=-1)
        except RuntimeError as err:
            length = torch.diagonal(x, offset=lo, dim1=-2, dim2=-1).shape
            raise InvalidArgumentError(
                f"tf.linalg.set_diag: diagonal of shape {_shape_str(d.shape)} does not fit "
                f"diagonal k={lo} of input of shape {_shape_str(x.shape)}, which has shape "
                f"{_shape_str(length)}."
            ) from err
    width = max(min(rows + min(v, 0), cols - max(v, 0)) for v in range(lo, hi + 1))
    want = (*x.shape[:-2], hi - lo + 1, max(width, 0))
    if tuple(d.shape) != want:
        raise InvalidArgumentError(
            f"tf.linalg.set_diag: diagonal of shape {_shape_str(d.shape)} does not fit "
            f"diagonals k=({lo}, {hi}) of input of shape {_shape_str(x.shape)}; it must have "
            f"shape {_shape_str(want)} (diagonals {hi} down to {lo}, padded to the longest)."
        )
    inside, index = _diag_layout(rows, cols, lo, hi, width, align, x.device, "set_diag")
    flat = d.reshape(*d.shape[:-2], -1)
    if flat.shape[-1] == 0:
        return x.clone()
    picked = flat[..., index.reshape(-1)].reshape(*x.shape)
    return torch.where(inside, picked, x)


def trace(x, name: str | None = None) -> torch.Tensor:
    """Sums the main diagonal of (batched) matrices.

    Args:
        x: a tensor of rank >= 2.
        name: unused.

    Returns:
        A tensor of shape `batch`.

    Example:
    >>> tf.linalg.trace([[1, 2], [3, 4]]).item()
    5
    """
    del name
    d = torch.diagonal(_matrix(x, "trace"), dim1=-2, dim2=-1)
    return d.sum(-1, dtype=None if d.is_floating_point() or d.is_complex() else d.dtype)


def band_part(input, num_lower, num_upper, name: str | None = None) -> torch.Tensor:
    """Keeps a band around the main diagonal and zeroes the rest.

    Args:
        input: a tensor of rank >= 2.
        num_lower: number of subdiagonals to keep; negative keeps all.
        num_upper: number of superdiagonals to keep; negative keeps all.
        name: unused.

    Returns:
        A tensor of the same shape.

    Example:
    >>> tf.linalg.band_part(tf.ones((3, 3)), 0, -1).tolist()[2]
    [0.0, 0.0, 1.0]
    """
    del name
    x = _matrix(input, "band_part")
    lower, upper = int(_scalar_value(num_lower)), int(_scalar_value(num_upper))
    rows = torch.arange(x.shape[-2], device=x.device).unsqueeze(1)
    cols = torch.arange(x.shape[-1], device=x.device).unsqueeze(0)
    keep = torch.ones(x.shape[-2:], dtype=torch.bool, device=x.device)
    if lower >= 0:
        keep &= rows - cols <= lower
    if upper >= 0:
        keep &= cols - rows <= upper
    return torch.where(keep, x, torch.zeros((), dtype=x.dtype, device=x.device))


def _linalg_call(fn, op: str, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except RuntimeError as err:
        # torch.linalg reports singular / non-positive-definite inputs as RuntimeErrors.
        raise InvalidArgumentError(f"tf.linalg.{op} failed: {err}") from err


def inv(input, adjoint=False, name: str | None = None) -> torch.Tensor:
    """Inverts (batched) square matrices.

    Args:
        input: a float tensor of shape `batch + (n, n)`.
        adjoint: invert the adjoint instead.
        name: unused.

    Returns:
        The inverses.

    Raises:
        InvalidArgumentError: if a matrix is singular.

    Example:
    >>> tf.linalg.inv([[2.0, 0.0], [0.0, 4.0]]).tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    del name
    x = _square(input, "inv")
    return _linalg_call(torch.linalg.inv, "inv", x.mH if adjoint else x)


def det(input, name: str | None = None) -> torch.Tensor:
    """Determinants of (batched) square matrices.

    Args:
        input: a float tensor of shape `batch + (n, n)`.
        name: unused.

    Returns:
        A tensor of shape `batch`.

    Example:
    >>> tf.linalg.det([[1.0, 2.0], [3.0, 4.0]]).item()
    -2.0
    """
    del name
    return torch.linalg.det(_square(input, "det"))


def slogdet(input, name: str | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Sign and log of the absolute determinant of (batched) square matrices.

    Args:
        input: a float tensor of shape `batch + (n, n)`.
        name: unused.

    Returns:
        A tuple `(sign, log_abs_determinant)`.

    Example:
    >>> sign, logdet = tf.linalg.slogdet([[1.0, 2.0], [3.0, 4.0]])
    >>> sign.item()
    -1.0
    """
    del name
    out = torch.linalg.slogdet(_square(input, "slogdet"))
    # TF returns log|det| in the input's dtype (complex for complex matrices).
    return out.sign, out.logabsdet.to(out.sign.dtype)


def logdet(matrix, name: str | None = None) -> torch.Tensor:
    """Log-determinant of (batched) Hermitian positive definite matrices.

    Args:
        matrix: a float tensor of shape `batch + (n, n)`.
        name: unused.

    Returns:
        A tensor of shape `batch`.

    Example:
    >>> round(tf.linalg.logdet([[2.0, 0.0], [0.0, 2.0]]).item(), 4)
    1.3863
    """
    del name
    chol = cholesky(matrix)
    return 2.0 * torch.log(torch.diagonal(chol, dim1=-2, dim2=-1).real).sum(-1)


def cholesky(input, name: str | None = None) -> torch.Tensor:
    """Lower-triangular Cholesky factors of (batched) positive definite matrices.

    Args:
        input: a float tensor of shape `batch + (n, n)`.
        name: unused.

    Returns:
        L with `L @ L^H == input`.

    Raises:
        InvalidArgumentError: if a matrix is not positive definite.

    Example:
    >>> tf.linalg.cholesky([[4.0, 0.0], [0.0, 9.0]]).tolist()
    [[2.0, 0.0], [0.0, 3.0]]
    """
    del name
    return _linalg_call(torch.linalg.cholesky, "cholesky", _square(input, "cholesky"))


def qr(input, full_matrices=False, name: str | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """QR decomposition of (batched) matrices.

    Args:
        input: a float tensor of shape `batch + (m, n)`.
        full_matrices: return the full (m, m) Q instead of the reduced one.
        name: unused.

    Returns:
        A tuple `(q, r)`.

    Example:
    >>> q, r = tf.linalg.qr(tf.eye(2))
    >>> q.shape, r.shape
    (torch.Size([2, 2]), torch.Size([2, 2]))
    """
    del name
    x = _matrix(input, "qr")
    out = torch.linalg.qr(x, mode="complete" if full_matrices else "reduced")
    return out.Q, out.R


def svd(tensor, full_matrices=False, compute_uv=True, name: str | None = None):
    """Singular value decomposition: `tensor = u @ diag(s) @ adjoint(v)`.

    Args:
        tensor: a float tensor of shape `batch + (m, n)`.
        full_matrices: return full-size u and v.
        compute_uv: also return u and v.
        name: unused.

    Returns:
        `(s, u, v)` (TensorFlow's order, with v not transposed), or just `s`
        when `compute_uv` is False.

    Example:
    >>> tf.linalg.svd([[3.0, 0.0], [0.0, 4.0]], compute_uv=False).tolist()
    [4.0, 3.0]
    """
    del name
    x = _matrix(tensor, "svd")
    if not compute_uv:
        return torch.linalg.svdvals(x)
    u, s, vh = torch.linalg.svd(x, full_matrices=full_matrices)
    return s, u, vh.mH.resolve_conj()


def eigh(tensor, name: str | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Eigen-decomposition of (batched) Hermitian matrices.

    Args:
        tensor: a float tensor of shape `batch + (n, n)`.
        name: unused.

    Returns:
        A tuple `(eigenvalues ascending, eigenvectors as columns)`.

    Example:
    >>> e, v = tf.linalg.eigh([[2.0, 0.0], [0.0, 1.0]])
    >>> e.tolist()
    [1.0, 2.0]
    """
    del name
    out = torch.linalg.eigh(_lower_hermitian(_square(tensor, "eigh")))
    # TF gives the (real) eigenvalues of complex matrices in the complex dtype.
    return out.eigenvalues.to(out.eigenvectors.dtype), out.eigenvectors


def eigvalsh(tensor, name: str | None = None) -> torch.Tensor:
    """Eigenvalues of (batched) Hermitian matrices, ascending.

    Args:
        tensor: a float tensor of shape `batch + (n, n)`.
        name: unused.

    Returns:
        A tensor of shape `batch + (n,)`.

    Example:
    >>> tf.linalg.eigvalsh([[2.0, 0.0], [0.0, 1.0]]).tolist()
    [1.0, 2.0]
    """
    del name
    matrix = _lower_hermitian(_square(tensor, "eigvalsh"))
    # TF gives the (real) eigenvalues of complex matrices in the complex dtype.
    return torch.linalg.eigvalsh(matrix).to(matrix.dtype)


def solve(matrix, rhs, adjoint=False, name: str | None = None) -> torch.Tensor:
    """Solves `matrix @ x = rhs` for x.

    Args:
        matrix: a float tensor of shape `batch + (n, n)`.
        rhs: a tensor of shape `batch + (n, k)`.
        adjoint: solve with the adjoint of `matrix`.
        name: unused.

    Returns:
        x, of shape `batch + (n, k)`.

    Raises:
        InvalidArgumentError: if a matrix is singular.

    Example:
    >>> tf.linalg.solve([[2.0, 0.0], [0.0, 4.0]], [[2.0], [2.0]]).tolist()
    [[1.0], [0.5]]
    """
    del name
    # As TensorFlow: a non-tensor side takes the other's dtype (a float64 NumPy rhs for a
    # float32 matrix is float32).
    matrix, rhs = _tensor_operands(matrix, rhs)
    a = _square(matrix, "solve")
    b = _like(rhs, a)
    return _linalg_call(torch.linalg.solve, "solve", a.mH if adjoint else a, b)


def triangular_solve(
    matrix, rhs, lower=True, adjoint=False, name: str | None = None
) -> torch.Tensor:
    """Solves `matrix @ x = rhs` for a triangular `matrix`.

    Args:
        matrix: a float tensor of shape `batch + (n, n)`; only the triangle
            named by `lower` is read.
        rhs: a tensor of shape `batch + (n, k)`.
        lower: the matrix is lower triangular (else upper).
        adjoint: solve with the adjoint of `matrix`.
        name: unused.

    Returns:
        x, of shape `batch + (n, k)`.

    Example:
    >>> tf.linalg.triangular_solve([[2.0, 0.0], [1.0, 1.0]], [[2.0], [2.0]]).tolist()
    [[1.0], [1.0]]
    """
    del name
    a = _square(matrix, "triangular_solve")
    b = _like(rhs, a)
    a = a.tril() if lower else a.triu()
    if adjoint:
        return torch.linalg.solve_triangular(a.mH, b, upper=lower)
    return torch.linalg.solve_triangular(a, b, upper=not lower)


def pinv(a, rcond=None, validate_args=False, name: str | None = None) -> torch.Tensor:
    """Moore-Penrose pseudo-inverse of (batched) matrices.

    Args:
        a: a float tensor of shape `batch + (m, n)`.
        rcond: singular values below `rcond * max(s)` count as zero (default
            10 * max(m, n) * eps).
        validate_args: unused.
        name: unused.

    Returns:
        A tensor of shape `batch + (n, m)`.

    Example:
    >>> tf.linalg.pinv([[2.0, 0.0], [0.0, 0.0]]).tolist()
    [[0.5, 0.0], [0.0, 0.0]]
    """
    del validate_args, name
    x = _matrix(a, "pinv")
    if rcond is None:
        rcond = 10 * max(x.shape[-2:]) * torch.finfo(x.dtype).eps
    return torch.linalg.pinv(x, rtol=float(_scalar_value(rcond)))


def cross(a, b, name: str | None = None) -> torch.Tensor:
    """Cross product of 3-vectors along the last dimension.

    Args:
        a: a tensor of shape `batch + (3,)`.
        b: a tensor of shape `batch + (3,)`.
        name: unused.

    Returns:
        A tensor of shape `batch + (3,)`.

    Example:
    >>> tf.linalg.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0]).tolist()
    [0.0, 0.0, 1.0]
    """
    del name
    # As TensorFlow: a non-tensor side takes the other's dtype.
    x, y = _tensor_operands(a, b)
    return torch.linalg.cross(x, y, dim=-1)


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name: str | None = None) -> torch.Tensor:
    """Solves (regularized) linear least-squares problems `min ||matrix @ X - rhs||`.

    With `fast=True` (default) it solves the normal equations
    `(A^H A + l2 I) X = A^H B` (or, for wide matrices, `X = A^H (A A^H + l2 I)^-1 B`)
    by Cholesky, as TensorFlow does; this needs full-rank `matrix`. With
    `fast=False` it uses an SVD-based solver that also handles rank deficiency
    (then `l2_regularizer` must be 0).

    Args:
        matrix: a tensor of shape `batch + (m, n)`.
        rhs: a tensor of shape `batch + (m, k)`.
        l2_regularizer: a non-negative scalar.
        fast: use the normal equations.
        name: unused.

    Returns:
        A tensor of shape `batch + (n, k)`.

    Example:
    >>> x = tf.linalg.lstsq([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], [[1.0], [2.0], [3.0]])
    >>> x.numpy().ravel().tolist()
    [1.0, 2.0]
    """
    del name
    a = _matrix(matrix, "lstsq")
    b = _like(rhs, a).to(a.dtype)
    if b.dim() < 2 or b.shape[-2] != a.shape[-2]:
        raise ValueError(
            f"tf.linalg.lstsq: rhs of shape {_shape_str(b.shape)} must have as many rows as "
            f"matrix of shape {_shape_str(a.shape)}."
        )
    lam = float(_scalar_value(l2_regularizer))
    m, n = a.shape[-2], a.shape[-1]
    if not fast:
        if lam != 0:
            raise NotImplementedError(
                "tf.linalg.lstsq: l2_regularizer is only supported with fast=True."
            )
        if a.device.type == "cpu":
            return _linalg_call(torch.linalg.lstsq, "lstsq", a, b, driver="gelsd").solution
        return torch.linalg.pinv(a) @ b
    ah = a.mH
    if m >= n:
        gram = ah @ a
        if lam:
            gram = gram + lam * torch.eye(n, dtype=a.dtype, device=a.device)
        chol = _linalg_call(torch.linalg.cholesky, "lstsq", gram)
        return torch.cholesky_solve(ah @ b, chol)
    gram = a @ ah
    if lam:
        gram = gram + lam * torch.eye(m, dtype=a.dtype, device=a.device)
    chol = _linalg_call(torch.linalg.cholesky, "lstsq", gram)
    return ah @ torch.cholesky_solve(b, chol)


def normalize(tensor, ord="euclidean", axis=None, name: str | None = None):
    """Divides `tensor` by its norm.

    Args:
        tensor: a float tensor.
        ord: the norm's order, as in `tf.linalg.norm`.
        axis: as in `tf.linalg.norm` (None: the whole tensor).
        name: unused.

    Returns:
        A tuple `(normalized, norm)`; `norm` keeps the reduced dimensions.

    Example:
    >>> n, size = tf.linalg.normalize([[3.0, 4.0]])
    >>> n.tolist(), size.tolist()
    ([[0.6000000238418579, 0.800000011920929]], [[5.0]])
    """
    del name
    x = _t(tensor)
    size = norm(x, ord=ord, axis=axis, keepdims=True)
    return x / size, size


def cholesky_solve(chol, rhs, name: str | None = None) -> torch.Tensor:
    """Solves `A X = rhs` given the lower Cholesky factor `chol` of `A`.

    Args:
        chol: a tensor of shape `batch + (n, n)`, as from `tf.linalg.cholesky`.
        rhs: a tensor of shape `batch + (n, k)`.
        name: unused.

    Returns:
        A tensor of shape `batch + (n, k)`.

    Example:
    >>> tf.linalg.cholesky_solve([[2.0]], [[8.0]]).tolist()
    [[2.0]]
    """
    del name
    # Only the lower triangle is read (as TF): tril keeps the gradient above it zero.
    c = _square(chol, "cholesky_solve").tril()
    return torch.cholesky_solve(_like(rhs, c).to(c.dtype), c, upper=False)


def _complex_of(x: torch.Tensor) -> torch.dtype:
    return (
        x.dtype
        if x.is_complex()
        else (torch.complex128 if x.dtype == torch.float64 else torch.complex64)
    )


def eig(tensor, name: str | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Eigenvalues and eigenvectors of (batched) general square matrices.

    The order of the eigenvalues is not specified (it may differ from TensorFlow's).

    Args:
        tensor: a float or complex tensor of shape `batch + (n, n)`.
        name: unused.

    Returns:
        A tuple `(e, v)` of complex tensors: eigenvalues `batch + (n,)` and
        eigenvectors as the columns of `batch + (n, n)`.

    Example:
    >>> e, v = tf.linalg.eig([[2.0, 0.0], [0.0, 3.0]])
    >>> sorted(e.real.tolist())
    [2.0, 3.0]
    """
    del name
    x = _square(tensor, "eig")
    e, v = _linalg_call(torch.linalg.eig, "eig", x)
    return e.to(_complex_of(x)), v.to(_complex_of(x))


def eigvals(tensor, name: str | None = None) -> torch.Tensor:
    """Eigenvalues of (batched) general square matrices, as complex numbers.

    Args:
        tensor: a float or complex tensor of shape `batch + (n, n)`.
        name: unused.

    Returns:
        A complex tensor of shape `batch + (n,)` (order unspecified).

    Example:
    >>> sorted(tf.linalg.eigvals([[2.0, 0.0], [0.0, 3.0]]).real.tolist())
    [2.0, 3.0]
    """
    del name
    x = _square(tensor, "eigvals")
    return _linalg_call(torch.linalg.eigvals, "eigvals", x).to(_complex_of(x))


def expm(input, name: str | None = None) -> torch.Tensor:
    """Matrix exponential of (batched) square matrices.

    Args:
        input: a float or complex tensor of shape `batch + (n, n)`.
        name: unused.

    Returns:
        A tensor of the same shape.

    Example:
    >>> tf.linalg.expm([[0.0, 0.0], [0.0, 0.0]]).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    del name
    return torch.linalg.matrix_exp(_square(input, "expm"))


def matrix_rank(a, tol=None, validate_args=False, name: str | None = None) -> torch.Tensor:
    """Numerical rank of (batched) matrices: the singular values above `tol`.

    Args:
        a: a float tensor of shape `batch + (m, n)`.
        tol: threshold; default `max(s) * eps * max(m, n)`.
        validate_args: unused.
        name: unused.

    Returns:
        An int32 tensor of shape `batch`.

    Example:
    >>> int(tf.linalg.matrix_rank(tf.ones((3, 3))))
    1
    """
    del validate_args, name
    x = _matrix(a, "matrix_rank")
    if tol is None:
        out = torch.linalg.matrix_rank(x)
    else:
        out = torch.linalg.matrix_rank(x, atol=float(_scalar_value(tol)), rtol=0.0)
    return out.to(torch.int32)


def tensor_diag(diagonal, name: str | None = None) -> torch.Tensor:
    """Builds a tensor of rank 2k with `diagonal` (rank k) on its diagonal.

    `output[i1, ..., ik, i1, ..., ik] = diagonal[i1, ..., ik]`, zeros elsewhere.

    Args:
        diagonal: a tensor of rank k.
        name: unused.

    Returns:
        A tensor of shape `diagonal.shape + diagonal.shape`.

    Example:
    >>> tf.linalg.tensor_diag([1, 2]).tolist()
    [[1, 0], [0, 2]]
    """
    del name
    d = _t(diagonal)
    shape = tuple(d.shape)
    return torch.diag(d.reshape(-1)).reshape(shape + shape)


def tensor_diag_part(input, name: str | None = None) -> torch.Tensor:
    """Takes the diagonal of a tensor of shape `s + s`: the inverse of `tensor_diag`.

    Args:
        input: a tensor of even rank 2k whose two halves of the shape match.
        name: unused.

    Returns:
        A tensor of rank k.

    Example:
    >>> tf.linalg.tensor_diag_part([[1, 0], [0, 2]]).tolist()
    [1, 2]
    """
    del name
    x = _t(input)
    k = x.dim() // 2
    if x.dim() % 2 or x.shape[:k] != x.shape[k:]:
        raise InvalidArgumentError(
            f"tf.linalg.tensor_diag_part needs a shape of the form s + s, got "
            f"{_shape_str(x.shape)}."
        )
    size = int(np.prod(x.shape[:k])) if k else 1
    return torch.diagonal(x.reshape(size, size)).reshape(x.shape[:k])
