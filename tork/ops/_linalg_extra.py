"""`tf.linalg` LU factorization, matrix square root and logarithm, tridiagonal solves.

Re-exported by `tork.ops.linalg`. TensorFlow's LU format: `lu(a)` returns the packed
factors (unit lower triangle below the diagonal, U on and above it) and a permutation
`p` with `L @ U == a[..., p, :]`.
"""

from __future__ import annotations

import torch

from tork._backend.dtypes import as_dtype, dtype_name
from tork._backend.tracing import values_readable
from tork.ops.array import _shape_str, _t
from tork.ops.debugging import InvalidArgumentError

_LU_TYPES = (
    torch.float16,
    torch.float32,
    torch.float64,
    torch.complex64,
    torch.complex128,
)


def _square_input(value, op: str, types=_LU_TYPES) -> torch.Tensor:
    x = _t(value)
    if x.dtype not in types:
        allowed = ", ".join(dtype_name(t) for t in types)
        raise InvalidArgumentError(
            f"tf.linalg.{op}: dtype {dtype_name(x.dtype)} is not supported; use one of {allowed}."
        )
    if x.dim() < 2:
        raise InvalidArgumentError(
            f"tf.linalg.{op}: the input must have rank >= 2, got shape {_shape_str(x.shape)}."
        )
    if x.shape[-1] != x.shape[-2]:
        raise InvalidArgumentError(
            f"tf.linalg.{op}: the input matrix must be square, got shape {_shape_str(x.shape)}."
        )
    return x


def lu(input, output_idx_type=torch.int32, name: str | None = None):
    """LU decomposition with partial pivoting of (batched) square matrices.

    Args:
        input: a float or complex tensor of shape `batch + (n, n)`.
        output_idx_type: `tf.int32` (default) or `tf.int64`, the dtype of `p`.
        name: unused.

    Returns:
        A namedtuple `(lu, p)`: `lu` packs the unit lower triangular L (below the
        diagonal) and U (on and above it); `p` (shape `batch + (n,)`) is the row
        permutation, `L @ U == input[..., p, :]`.

    Raises:
        InvalidArgumentError: for a non-square or singular matrix, or an unsupported dtype.

    Example:
    >>> lu, p = tf.linalg.lu([[1.0, 2.0], [3.0, 4.0]])
    >>> p.tolist()
    [1, 0]
    """
    del name
    x = _square_input(input, "lu")
    index_type = as_dtype(output_idx_type)
    if index_type not in (torch.int32, torch.int64):
        raise InvalidArgumentError(
            f"tf.linalg.lu: output_idx_type must be int32 or int64, got {dtype_name(index_type)}."
        )
    work = x.float() if x.dtype == torch.float16 else x
    n = x.shape[-1]
    if work.numel() == 0:
        packed, perm = work.clone(), torch.zeros(x.shape[:-1], dtype=index_type)
        return _LU(packed.to(x.dtype), perm)
    packed, pivots, info = torch.linalg.lu_factor_ex(work)
    if values_readable(info) and bool((info > 0).any()):
        raise InvalidArgumentError("tf.linalg.lu: the input matrix is not invertible.")
    # LAPACK's pivots are successive row swaps (1-based); TF wants the final order of rows.
    perm = torch.arange(n, device=x.device).expand(x.shape[:-1]).clone()
    swaps = (pivots - 1).long()
    for i in range(n):
        j = swaps[..., i : i + 1]
        row_i = perm[..., i : i + 1].clone()
        perm[..., i : i + 1] = torch.gather(perm, -1, j)
        perm.scatter_(-1, j, row_i)
    return _LU(packed.to(x.dtype), perm.to(index_type))


class _LU(tuple):
    """TensorFlow's `Lu` result: a tuple `(lu, p)` with both as attributes."""

    __slots__ = ()

    def __new__(cls, lu, p):
        return super().__new__(cls, (lu, p))

    @property
    def lu(self):
        return self[0]

    @property
    def p(self):
        return self[1]

    def __repr__(self):
        return f"Lu(lu={self[0]!r}, p={self[1]!r})"


def _lu_parts(lower_upper, perm, op: str):
    packed = _t(lower_upper)
    if packed.dim() < 2 or packed.shape[-1] != packed.shape[-2]:
        raise InvalidArgumentError(
            f"tf.linalg.{op}: lower_upper must be square matrices, got shape "
            f"{_shape_str(packed.shape)}."
        )
    p = _t(perm).long().to(packed.device)
    if tuple(p.shape) != tuple(packed.shape[:-1]):
        raise InvalidArgumentError(
            f"tf.linalg.{op}: perm has shape {_shape_str(p.shape)}; it must be "
            f"{_shape_str(packed.shape[:-1])}, the shape of lower_upper without its last "
            "dimension."
        )
    n = packed.shape[-1]
    eye = torch.eye(n, dtype=packed.dtype, device=packed.device)
    lower = torch.tril(packed, -1) + eye
    upper = torch.triu(packed)
    return lower, upper, p


def lu_reconstruct(lower_upper, perm, validate_args=False, name: str | None = None):
    """Rebuilds the matrices that `tf.linalg.lu` factored.

    Args:
        lower_upper: the packed factors from `tf.linalg.lu`.
        perm: the permutation from `tf.linalg.lu`.
        validate_args: unused (the shapes are always checked).
        name: unused.

    Returns:
        The matrices `a` with `lu(a) == (lower_upper, perm)`.

    Example:
    >>> lu, p = tf.linalg.lu([[1.0, 2.0], [3.0, 4.0]])
    >>> tf.linalg.lu_reconstruct(lu, p).tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """
    del validate_args, name
    lower, upper, p = _lu_parts(lower_upper, perm, "lu_reconstruct")
    product = lower @ upper
    # Row i of L @ U is row p[i] of the matrix: scatter the rows back.
    inverse = torch.argsort(p, dim=-1)
    index = inverse.unsqueeze(-1).expand(product.shape)
    return torch.gather(product, -2, index)


def lu_solve(lower_upper, perm, rhs, validate_args=False, name: str | None = None):
    """Solves `a @ x = rhs` from the LU factors of `a` (`tf.linalg.lu`).

    Args:
        lower_upper: the packed factors from `tf.linalg.lu`, shape `batch + (n, n)`.
        perm: the permutation from `tf.linalg.lu`, shape `batch + (n,)`.
        rhs: right-hand sides, shape `batch + (n, k)` (rank >= 2).
        validate_args: unused.
        name: unused.

    Returns:
        `x`, of the shape of `rhs`.

    Raises:
        ValueError: for a `rhs` of rank < 2.

    Example:
    >>> lu, p = tf.linalg.lu([[2.0, 0.0], [0.0, 4.0]])
    >>> tf.linalg.lu_solve(lu, p, [[2.0], [2.0]]).tolist()
    [[1.0], [0.5]]
    """
    del validate_args, name
    lower, upper, p = _lu_parts(lower_upper, perm, "lu_solve")
    b = _t(rhs)
    if b.dim() < 2:
        raise ValueError("tf.linalg.lu_solve: input `rhs` must have at least 2 dimensions.")
    b = b.to(lower.dtype)
    batch = torch.broadcast_shapes(lower.shape[:-2], b.shape[:-2])
    b = b.expand(batch + b.shape[-2:])
    index = p.expand(batch + p.shape[-1:]).unsqueeze(-1).expand(b.shape)
    permuted = torch.gather(b, -2, index)
    y = torch.linalg.solve_triangular(lower, permuted, upper=False, unitriangular=True)
    return torch.linalg.solve_triangular(upper, y, upper=True)


def lu_matrix_inverse(lower_upper, perm, validate_args=False, name: str | None = None):
    """Inverts matrices from their LU factors (`tf.linalg.lu`).

    Args:
        lower_upper: the packed factors from `tf.linalg.lu`.
        perm: the permutation from `tf.linalg.lu`.
        validate_args: unused.
        name: unused.

    Returns:
        The inverse matrices.

    Example:
    >>> lu, p = tf.linalg.lu([[2.0, 0.0], [0.0, 4.0]])
    >>> tf.linalg.lu_matrix_inverse(lu, p).tolist()
    [[0.5, 0.0], [0.0, 0.25]]
    """
    del validate_args, name
    packed = _t(lower_upper)
    n = packed.shape[-1]
    eye = torch.eye(n, dtype=packed.dtype, device=packed.device).expand(packed.shape)
    return lu_solve(packed, perm, eye)


# ---------------------------------------------------------------- sqrtm and logm


def _db_sqrt(a: torch.Tensor, steps: int = 100) -> torch.Tensor:
    """The principal square root by the scaled Denman-Beavers iteration.

    Y -> sqrt(A) and Z -> A^-1/2; the determinant scaling (held constant for autograd)
    makes the first steps fast. Differentiable: autograd through the converged iteration
    gives the derivative of the square root.
    """
    n = a.shape[-1]
    y = a
    z = torch.eye(n, dtype=a.dtype, device=a.device).expand(a.shape)
    for k in range(steps):
        with torch.no_grad():
            det = (torch.linalg.det(y) * torch.linalg.det(z)).abs()
            mu = det.clamp(min=1e-300) ** (-1.0 / (2 * n)) if k < 8 else torch.ones_like(det)
            mu = mu.real if mu.is_complex() else mu
            mu = mu[..., None, None].to(a.dtype)
        y_next = 0.5 * (mu * y + torch.linalg.inv(mu * z))
        z_next = 0.5 * (mu * z + torch.linalg.inv(mu * y))
        y_prev = y
        y, z = y_next, z_next
        if k < 8:
            continue
        if not values_readable(y):
            # Traced (symbolic inputs, torch.compile): no data-dependent exit; 30 steps
            # converge for reasonably scaled matrices.
            if k >= 30:
                break
            continue
        with torch.no_grad():
            change = (y - y_prev).abs().amax(dim=(-2, -1))
            scale = y.abs().amax(dim=(-2, -1)).clamp(min=1e-300)
            if bool((change <= 1e-15 * scale).all()) or not bool(torch.isfinite(change).all()):
                break
    return y


def sqrtm(input, name: str | None = None) -> torch.Tensor:
    """The principal square root of (batched) square matrices.

    Real matrices with a negative real eigenvalue have no real square root: the result
    is NaN there, as in TensorFlow. Differentiable.

    Args:
        input: a float or complex tensor of shape `batch + (n, n)`.
        name: unused.

    Returns:
        A tensor of the same shape and dtype whose square is `input`.

    Raises:
        InvalidArgumentError: for a non-square input or an unsupported dtype.

    Example:
    >>> tf.linalg.sqrtm([[4.0, 0.0], [0.0, 9.0]]).tolist()
    [[2.0, 0.0], [0.0, 3.0]]
    """
    del name
    x = _square_input(input, "sqrtm")
    if x.numel() == 0:
        return x.clone()
    wide = torch.complex128 if x.is_complex() else torch.float64
    work = x.to(wide)
    out = _db_sqrt(work)
    if not x.is_complex():
        with torch.no_grad():
            eig = torch.linalg.eigvals(work)
            scale = eig.abs().amax(-1, keepdim=True).clamp(min=1e-300)
            negative = (eig.real < 0) & (eig.imag.abs() <= 1e-12 * scale)
            bad = negative.any(-1)[..., None, None]
        out = torch.where(bad, torch.full_like(out, float("nan")), out)
    return out.to(x.dtype)


def logm(input, name: str | None = None) -> torch.Tensor:
    """The principal logarithm of (batched) complex square matrices.

    As in TensorFlow, only complex64 and complex128 are accepted (cast a real matrix with
    `tf.cast(x, tf.complex64)` first). Computed by inverse scaling and squaring: square
    roots until the matrix is near the identity, then the series of log(I + X).

    Args:
        input: a complex tensor of shape `batch + (n, n)`.
        name: unused.

    Returns:
        A tensor of the same shape and dtype whose `tf.linalg.expm` is `input`.

    Raises:
        InvalidArgumentError: for a non-complex dtype or a non-square input.

    Example:
    >>> x = tf.cast([[1.0, 0.0], [0.0, 1.0]], tf.complex64)
    >>> tf.math.real(tf.linalg.logm(x)).tolist()
    [[0.0, 0.0], [0.0, 0.0]]
    """
    del name
    x = _square_input(input, "logm", (torch.complex64, torch.complex128))
    if x.numel() == 0:
        return x.clone()
    work = x.to(torch.complex128)
    if not values_readable(work):
        # Traced: the number of square roots depends on the data, so use the eigenvalue
        # form V log(D) V^-1 (exact for diagonalizable matrices).
        values, vectors = torch.linalg.eig(work)
        out = vectors @ torch.diag_embed(torch.log(values)) @ torch.linalg.inv(vectors)
        return out.to(x.dtype)
    n = x.shape[-1]
    eye = torch.eye(n, dtype=work.dtype, device=work.device)
    roots = 0
    while roots < 60:
        with torch.no_grad():
            distance = (work - eye).abs().sum(-2).amax()
        if distance < 0.25:
            break
        work = _db_sqrt(work)
        roots += 1
    # log(I + X) = X - X^2/2 + X^3/3 - ...; ||X|| < 1/4 so 40 terms reach 1e-24.
    d = work - eye
    power = d
    total = d.clone()
    for k in range(2, 41):
        power = power @ d
        total = total + power * ((-1) ** (k + 1) / k)
    return (total * (2.0**roots)).to(x.dtype)


# ---------------------------------------------------------------- tridiagonal_solve


def tridiagonal_solve(
    diagonals,
    rhs,
    diagonals_format="compact",
    transpose_rhs=False,
    conjugate_rhs=False,
    name: str | None = None,
    partial_pivoting=True,
    perturb_singular=False,
):
    """Solves tridiagonal systems `A @ x = rhs`.

    Args:
        diagonals: the matrices' three diagonals. `'compact'`: a tensor `batch + (3, m)`
            of superdiagonal (last entry ignored), diagonal and subdiagonal (first entry
            ignored). `'sequence'`: a tuple `(superdiag, maindiag, subdiag)` of
            `batch + (m,)` tensors, padded the same way. `'matrix'`: full
            `batch + (m, m)` matrices (only their three diagonals are used).
        rhs: right-hand sides, `batch + (m, k)` or `batch + (m,)`.
        diagonals_format: `'compact'`, `'sequence'` or `'matrix'`.
        transpose_rhs: if True, `rhs` is `batch + (k, m)` and is transposed first (the
            result stays `batch + (m, k)`, as in TensorFlow).
        conjugate_rhs: if True, `rhs` is conjugated first.
        name: unused.
        partial_pivoting: whether to pivot; with False a system that needs pivoting
            (a zero pivot) gives NaN, as in TensorFlow.
        perturb_singular: TensorFlow perturbs zero pivots of singular systems; tork
            solves non-singular systems as usual and raises `NotImplementedError` for
            singular ones.

    Returns:
        The solutions, shaped as `rhs` (after the transpose).

    Raises:
        ValueError: for an unknown format, wrong shapes, or `perturb_singular` without
            `partial_pivoting`.
        InvalidArgumentError: for mismatched dtypes.
        NotImplementedError: for `perturb_singular=True` on a singular system.

    Example:
    >>> diags = [[1.0, 0.0], [2.0, 2.0], [0.0, 1.0]]
    >>> tf.linalg.tridiagonal_solve(diags, [[3.0], [3.0]]).tolist()
    [[1.0], [1.0]]
    """
    del name
    if perturb_singular and not partial_pivoting:
        raise ValueError(
            "tf.linalg.tridiagonal_solve: partial_pivoting must be True if perturb_singular is."
        )
    if diagonals_format == "compact":
        d = _t(diagonals)
        if d.dim() < 2 or d.shape[-2] != 3:
            got = d.shape[-2] if d.dim() >= 2 else d.dim()
            raise ValueError(f"tf.linalg.tridiagonal_solve: expected 3 diagonals, got {got}.")
        sup, main, sub = d[..., 0, :], d[..., 1, :], d[..., 2, :]
    elif diagonals_format == "sequence":
        if not isinstance(diagonals, (list, tuple)) or len(diagonals) != 3:
            raise ValueError(
                "tf.linalg.tridiagonal_solve: expected diagonals to be a sequence of length 3 "
                "(superdiag, maindiag, subdiag)."
            )
        sup, main, sub = (_t(v) for v in diagonals)
        sup, main, sub = torch.broadcast_tensors(sup, main, sub)
    elif diagonals_format == "matrix":
        full = _t(diagonals)
        if full.dim() < 2 or full.shape[-1] != full.shape[-2]:
            raise ValueError(
                "tf.linalg.tridiagonal_solve: expected the last two dimensions of diagonals "
                f"to be the same, got shape {_shape_str(full.shape)}."
            )
        sup = torch.nn.functional.pad(torch.diagonal(full, 1, -2, -1), (0, 1))
        main = torch.diagonal(full, 0, -2, -1)
        sub = torch.nn.functional.pad(torch.diagonal(full, -1, -2, -1), (1, 0))
    else:
        raise ValueError(
            f"tf.linalg.tridiagonal_solve: unrecognized diagonals_format {diagonals_format!r}; "
            "use 'compact', 'sequence' or 'matrix'."
        )
    b = _t(rhs)
    vector = b.dim() == main.dim()
    if transpose_rhs and not vector:
        b = b.transpose(-1, -2)
    if conjugate_rhs and b.is_complex():
        b = b.conj()
    if vector:
        b = b.unsqueeze(-1)
    m = main.shape[-1]
    if b.shape[-2] != m:
        raise ValueError(
            "tf.linalg.tridiagonal_solve: expected the number of left-hand sides and "
            f"right-hand sides to be equal, got {m} and {b.shape[-2]}."
        )
    if b.dtype != main.dtype:
        raise InvalidArgumentError(
            f"tf.linalg.tridiagonal_solve: diagonals are {dtype_name(main.dtype)} but rhs is "
            f"{dtype_name(b.dtype)}; cast one with tf.cast."
        )
    # Dense matrices from the three diagonals: a batched LU solve, differentiable in both
    # the diagonals and rhs (the ignored corner entries get zero gradient).
    matrix = (
        torch.diag_embed(main)
        + torch.diag_embed(sup[..., :-1], offset=1)
        + torch.diag_embed(sub[..., 1:], offset=-1)
    )
    if not partial_pivoting:
        out = _thomas(sup, main, sub, b)
    else:
        # Partial pivoting on a tridiagonal matrix swaps neighbouring rows only, so LAPACK's
        # LU meets the same zero pivots as TF's solver. TF answers NaN for a singular
        # system (with a logged warning), and is not an error.
        packed, pivots, info = torch.linalg.lu_factor_ex(matrix)
        singular = info > 0
        if perturb_singular and values_readable(info) and bool(singular.any()):
            raise NotImplementedError(
                "tf.linalg.tridiagonal_solve: tork does not implement perturb_singular=True "
                "for singular systems (TensorFlow perturbs their zero pivots); the matrix is "
                "not invertible."
            )
        safe = packed.clone()
        eye = torch.eye(safe.shape[-1], dtype=safe.dtype, device=safe.device)
        safe = torch.where(singular[..., None, None], eye.expand_as(safe), safe)
        out = torch.linalg.lu_solve(safe, pivots, b.expand(matrix.shape[:-2] + b.shape[-2:]))
        out = torch.where(singular[..., None, None], torch.full_like(out, float("nan")), out)
    return out.squeeze(-1) if vector else out


def _thomas(sup, main, sub, b):
    """The Thomas algorithm without pivoting (TF's `partial_pivoting=False`): a zero pivot
    gives inf/NaN, as in TensorFlow."""
    m = main.shape[-1]
    sup = sup.unsqueeze(-1)
    main = main.unsqueeze(-1)
    sub = sub.unsqueeze(-1)
    c = [None] * m
    d = [None] * m
    c[0] = sup[..., 0, :] / main[..., 0, :]
    d[0] = b[..., 0, :] / main[..., 0, :]
    for i in range(1, m):
        denom = main[..., i, :] - sub[..., i, :] * c[i - 1]
        c[i] = sup[..., i, :] / denom
        d[i] = (b[..., i, :] - sub[..., i, :] * d[i - 1]) / denom
    x = [None] * m
    x[m - 1] = d[m - 1]
    for i in range(m - 2, -1, -1):
        x[i] = d[i] - c[i] * x[i + 1]
    return torch.stack(x, dim=-2)
