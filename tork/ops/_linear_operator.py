"""`tf.linalg.LinearOperator` and its common dense-backed subclasses.

A LinearOperator stands for a (batch of) matrices without always storing them. tork keeps
the small, widely used subset: full, lower-triangular, diagonal and identity operators,
each computing through its dense matrix (or its diagonal) with torch, plus the adjoint and
inverse views TF returns. Structure is used where it changes the result's cost or
stability: triangular solves, diagonal determinants.
"""

from __future__ import annotations

import torch

from tork._backend.device import current_device
from tork._backend.dtypes import as_dtype
from tork._backend.tensor_shape import TensorShape


def _tensor(value, dtype=None) -> torch.Tensor:
    from tork._backend.tensor import convert_to_tensor

    return convert_to_tensor(value, dtype=dtype)


def _adj(x: torch.Tensor) -> torch.Tensor:
    x = x.transpose(-1, -2)
    return x.conj() if x.is_complex() else x


class LinearOperator:
    """Base class of linear operators: an `[..., M, N]` batch of matrices.

    Subclasses define `_dense()` (the matrix); the base class derives products, solves,
    determinants and shapes from it.

    Args:
        dtype: the dtype of the matrix entries.
        is_non_singular, is_self_adjoint, is_positive_definite, is_square: hints, as TF
            (`None` when unknown).
        name: the operator's name.
    """

    def __init__(
        self,
        dtype=None,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
    ):
        if is_positive_definite and is_non_singular is False:
            raise ValueError(f"{name}: a positive definite operator is always non-singular.")
        self._dtype = as_dtype(dtype) if dtype is not None else None
        self._is_non_singular = is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        self._is_square = is_square
        self._name = name or type(self).__name__

    # ------------------------------------------------------------------ structure
    def _dense(self) -> torch.Tensor:
        raise NotImplementedError(f"{type(self).__name__} must define _dense().")

    @property
    def name(self) -> str:
        """The operator's name."""
        return self._name

    @property
    def dtype(self):
        """The dtype of the operator's entries."""
        return self._dtype if self._dtype is not None else self._dense().dtype

    @property
    def shape(self) -> TensorShape:
        """The static shape `batch_shape + [M, N]`."""
        return TensorShape(list(self._dense().shape))

    def shape_tensor(self, name=None) -> torch.Tensor:
        """The shape as an int32 tensor."""
        del name
        return torch.tensor(list(self.shape), dtype=torch.int32)

    @property
    def batch_shape(self) -> TensorShape:
        """The leading (batch) dimensions of the shape."""
        return TensorShape(list(self.shape)[:-2])

    def batch_shape_tensor(self, name=None) -> torch.Tensor:
        """The batch shape as an int32 tensor."""
        del name
        return torch.tensor(list(self.batch_shape), dtype=torch.int32)

    @property
    def tensor_rank(self) -> int:
        """The rank of the dense tensor (batch rank + 2)."""
        return len(self.shape)

    @property
    def domain_dimension(self):
        """N, the size of the vectors the operator maps from."""
        return self.shape[-1]

    @property
    def range_dimension(self):
        """M, the size of the vectors the operator maps to."""
        return self.shape[-2]

    def domain_dimension_tensor(self, name=None) -> torch.Tensor:
        """N as an int32 tensor."""
        del name
        return torch.tensor(self.shape[-1], dtype=torch.int32)

    def range_dimension_tensor(self, name=None) -> torch.Tensor:
        """M as an int32 tensor."""
        del name
        return torch.tensor(self.shape[-2], dtype=torch.int32)

    @property
    def is_non_singular(self):
        """The `is_non_singular` hint (None: unknown)."""
        return self._is_non_singular

    @property
    def is_self_adjoint(self):
        """The `is_self_adjoint` hint (None: unknown)."""
        return self._is_self_adjoint

    @property
    def is_positive_definite(self):
        """The `is_positive_definite` hint (None: unknown)."""
        return self._is_positive_definite

    @property
    def is_square(self):
        """Whether M == N (the hint when given, else from the shape)."""
        if self._is_square is not None:
            return self._is_square
        m, n = self.shape[-2], self.shape[-1]
        return None if m is None or n is None else m == n

    # ------------------------------------------------------------------ dense views
    def to_dense(self, name=None) -> torch.Tensor:
        """The operator as a dense `[..., M, N]` tensor."""
        del name
        return self._dense()

    def diag_part(self, name=None) -> torch.Tensor:
        """The main diagonal, `[..., min(M, N)]`."""
        del name
        return torch.diagonal(self._dense(), dim1=-2, dim2=-1)

    def trace(self, name=None) -> torch.Tensor:
        """The sum of the main diagonal."""
        del name
        return self.diag_part().sum(-1)

    # ------------------------------------------------------------------ products
    def _arg(self, x, adjoint_arg: bool) -> torch.Tensor:
        if isinstance(x, LinearOperator):
            x = x.to_dense()
        x = _tensor(x, dtype=self.dtype)
        return _adj(x) if adjoint_arg else x

    def matmul(self, x, adjoint=False, adjoint_arg=False, name=None):
        """`op @ x` (`adjoint(op) @ x` with `adjoint=True`; `x` adjointed with
        `adjoint_arg=True`). A LinearOperator `x` gives a LinearOperatorFullMatrix."""
        del name
        return self._apply(torch.matmul, x, adjoint, adjoint_arg, "matmul")

    def matvec(self, x, adjoint=False, name=None) -> torch.Tensor:
        """`op @ x` for a (batch of) vectors `x` of shape `[..., N]`."""
        del name
        return self._on_vectors(self.matmul, x, adjoint)

    def __matmul__(self, other):
        return self.matmul(other)

    def _apply(self, fn, x, adjoint: bool, adjoint_arg: bool, op: str):
        """`fn(matrix, x)` for `matmul`/`solve`: the operator (adjointed with `adjoint`) and
        `x` (adjointed with `adjoint_arg`); a LinearOperator `x` gives a FullMatrix."""
        as_operator = isinstance(x, LinearOperator)
        matrix = _adj(self._dense()) if adjoint else self._dense()
        arg = self._arg(x, adjoint_arg)
        self._check_inner(matrix, arg, op)
        out = fn(matrix, arg)
        return LinearOperatorFullMatrix(out) if as_operator else out

    def _on_vectors(self, method, x, adjoint: bool) -> torch.Tensor:
        """`method` (`matmul`/`solve`) on a (batch of) vectors as one-column matrices."""
        x = _tensor(x, dtype=self.dtype)
        return method(x.unsqueeze(-1), adjoint=adjoint).squeeze(-1)

    def _check_inner(self, matrix, arg, op):
        if arg.dim() < 2 or arg.shape[-2] != matrix.shape[-1]:
            raise ValueError(
                f"{self.name}.{op}: the operator of shape {tuple(matrix.shape)} needs an "
                f"argument with {matrix.shape[-1]} rows (shape [..., {matrix.shape[-1]}, K]), "
                f"got shape {tuple(arg.shape)}."
            )

    # ------------------------------------------------------------------ inverses
    def _require_square(self, op):
        if self.is_square is False:
            raise NotImplementedError(
                f"{self.name}.{op}: the operator of shape {self.shape} is not square."
            )

    def determinant(self, name=None) -> torch.Tensor:
        """The determinant (square operators)."""
        del name
        self._require_square("determinant")
        return torch.linalg.det(self._dense())

    def log_abs_determinant(self, name=None) -> torch.Tensor:
        """log|det| (square operators)."""
        del name
        self._require_square("log_abs_determinant")
        return torch.linalg.slogdet(self._dense())[1]

    def _solve_dense(self, matrix, rhs):
        return torch.linalg.solve(matrix, rhs)

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name=None):
        """`X` with `op @ X = rhs` (`adjoint(op) @ X = rhs` with `adjoint=True`)."""
        del name
        self._require_square("solve")
        return self._apply(self._solve_dense, rhs, adjoint, adjoint_arg, "solve")

    def solvevec(self, rhs, adjoint=False, name=None) -> torch.Tensor:
        """`x` with `op @ x = rhs` for a (batch of) vectors `rhs` of shape `[..., M]`."""
        del name
        return self._on_vectors(self.solve, rhs, adjoint)

    def adjoint(self, name=None) -> LinearOperator:
        """The adjoint (conjugate transpose) as a LinearOperatorAdjoint."""
        del name
        if self.is_self_adjoint:
            return self
        return LinearOperatorAdjoint(self)

    H = property(adjoint)

    def inverse(self, name=None) -> LinearOperator:
        """The inverse as a LinearOperatorInversion."""
        del name
        self._require_square("inverse")
        if self.is_non_singular is False:
            raise ValueError(f"{self.name}.inverse: the operator is singular.")
        return LinearOperatorInversion(self)

    def __repr__(self) -> str:
        return (
            f"<tf.linalg.{type(self).__name__} '{self.name}' shape={self.shape} dtype={self.dtype}>"
        )


class LinearOperatorFullMatrix(LinearOperator):
    """A LinearOperator holding a dense `[..., M, N]` matrix.

    Example:
    >>> op = tf.linalg.LinearOperatorFullMatrix([[1.0, 2.0], [3.0, 4.0]])
    >>> op.matvec([1.0, 1.0]).tolist()
    [3.0, 7.0]
    """

    def __init__(
        self,
        matrix,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorFullMatrix",
    ):
        self._matrix = _matrix_arg(matrix, name)
        super().__init__(
            self._matrix.dtype,
            is_non_singular,
            is_self_adjoint,
            is_positive_definite,
            is_square,
            name,
        )

    def _dense(self) -> torch.Tensor:
        return self._matrix


class LinearOperatorLowerTriangular(LinearOperator):
    """A square lower-triangular operator; only the lower triangle of `tril` is read.

    Example:
    >>> op = tf.linalg.LinearOperatorLowerTriangular([[2.0, 9.0], [1.0, 3.0]])
    >>> op.to_dense().tolist()
    [[2.0, 0.0], [1.0, 3.0]]
    """

    def __init__(
        self,
        tril,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorLowerTriangular",
    ):
        if is_square is False:
            raise ValueError(f"{name}: a triangular operator is always square.")
        tril = _matrix_arg(tril, name)
        if tril.shape[-1] != tril.shape[-2]:
            raise ValueError(f"{name}: `tril` must be square, got shape {tuple(tril.shape)}.")
        self._tril = torch.tril(tril)
        super().__init__(
            tril.dtype, is_non_singular, is_self_adjoint, is_positive_definite, True, name
        )

    def _dense(self) -> torch.Tensor:
        return self._tril

    def determinant(self, name=None) -> torch.Tensor:
        del name
        return self.diag_part().prod(-1)

    def log_abs_determinant(self, name=None) -> torch.Tensor:
        del name
        return self.diag_part().abs().log().sum(-1)

    def _solve_dense(self, matrix, rhs):
        tril = self._tril
        if matrix.data_ptr() == tril.data_ptr() and matrix.dim() == tril.dim():
            # `matrix` is the lower triangle or its adjoint, a transposed view of it
            # (`solve(adjoint=True)`, LinearOperatorAdjoint): the strides tell which without
            # reading the values (a device sync on GPU). TF trusts the triangle as well.
            upper = matrix.stride()[-2:] != tril.stride()[-2:]
            return torch.linalg.solve_triangular(matrix, rhs, upper=upper)
        return torch.linalg.solve(matrix, rhs)


class LinearOperatorDiag(LinearOperator):
    """A square diagonal operator from its `[..., N]` diagonal.

    Example:
    >>> tf.linalg.LinearOperatorDiag([2.0, -3.0]).determinant().item()
    -6.0
    """

    def __init__(
        self,
        diag,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorDiag",
    ):
        if is_square is False:
            raise ValueError(f"{name}: a diagonal operator is always square.")
        self._diag = _tensor(diag)
        if self._diag.dim() < 1:
            raise ValueError(f"{name}: `diag` must have rank at least 1, got a scalar.")
        # As TF: a real diagonal is self-adjoint.
        if not self._diag.is_complex():
            if is_self_adjoint is False:
                raise ValueError(f"{name}: a real diagonal operator is always self-adjoint.")
            is_self_adjoint = True
        super().__init__(
            self._diag.dtype, is_non_singular, is_self_adjoint, is_positive_definite, True, name
        )

    def _dense(self) -> torch.Tensor:
        return torch.diag_embed(self._diag)

    def diag_part(self, name=None) -> torch.Tensor:
        del name
        return self._diag

    def determinant(self, name=None) -> torch.Tensor:
        del name
        return self._diag.prod(-1)

    def log_abs_determinant(self, name=None) -> torch.Tensor:
        del name
        return self._diag.abs().log().sum(-1)

    def _solve_dense(self, matrix, rhs):
        return rhs / torch.diagonal(matrix, dim1=-2, dim2=-1).unsqueeze(-1)


class LinearOperatorIdentity(LinearOperator):
    """The `[batch_shape..., N, N]` identity.

    Example:
    >>> tf.linalg.LinearOperatorIdentity(2).to_dense().tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """

    def __init__(
        self,
        num_rows,
        batch_shape=None,
        dtype=None,
        is_non_singular=True,
        is_self_adjoint=True,
        is_positive_definite=True,
        is_square=True,
        assert_proper_shapes=False,
        name="LinearOperatorIdentity",
    ):
        del assert_proper_shapes
        for hint, label in (
            (is_non_singular, "non-singular"),
            (is_self_adjoint, "self-adjoint"),
            (is_positive_definite, "positive definite"),
            (is_square, "square"),
        ):
            if hint is False:
                raise ValueError(f"{name}: the identity is always {label}.")
        self._num_rows = int(num_rows)
        self._batch = [int(b) for b in (batch_shape or [])]
        super().__init__(as_dtype(dtype or torch.float32), True, True, True, True, name)

    def _dense(self) -> torch.Tensor:
        eye = torch.eye(self._num_rows, dtype=self._dtype, device=current_device())
        return eye.expand(*self._batch, self._num_rows, self._num_rows).clone()

    def determinant(self, name=None) -> torch.Tensor:
        del name
        return torch.ones(self._batch, dtype=self._dtype, device=current_device())

    def log_abs_determinant(self, name=None) -> torch.Tensor:
        del name
        return torch.zeros(self._batch, dtype=self._dtype, device=current_device())


class _DerivedOperator(LinearOperator):
    """An operator made from another one, whose hints it keeps (adjoint, inverse)."""

    _SUFFIX = ""

    def __init__(self, operator: LinearOperator, name=None):
        self.operator = operator
        super().__init__(
            operator.dtype,
            operator.is_non_singular,
            operator.is_self_adjoint,
            operator.is_positive_definite,
            operator.is_square,
            name or operator.name + self._SUFFIX,
        )


class LinearOperatorAdjoint(_DerivedOperator):
    """The adjoint of another operator (what `op.adjoint()` returns)."""

    _SUFFIX = "_adjoint"

    def _dense(self) -> torch.Tensor:
        return _adj(self.operator.to_dense())

    def _solve_dense(self, matrix, rhs):
        return self.operator._solve_dense(matrix, rhs)

    def determinant(self, name=None) -> torch.Tensor:
        del name
        det = self.operator.determinant()
        return det.conj() if det.is_complex() else det

    def log_abs_determinant(self, name=None) -> torch.Tensor:
        del name
        return self.operator.log_abs_determinant()


class LinearOperatorInversion(_DerivedOperator):
    """The inverse of another operator (what `op.inverse()` returns)."""

    _SUFFIX = "_inv"

    def _dense(self) -> torch.Tensor:
        matrix = self.operator.to_dense()
        eye = torch.eye(matrix.shape[-1], dtype=matrix.dtype, device=matrix.device)
        eye = eye.expand_as(matrix)
        return self.operator._solve_dense(matrix, eye)

    def matmul(self, x, adjoint=False, adjoint_arg=False, name=None):
        # inverse(op) @ x is a solve with op: no explicit inverse.
        del name
        return self.operator.solve(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name=None):
        del name
        return self.operator.matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def determinant(self, name=None) -> torch.Tensor:
        del name
        return 1.0 / self.operator.determinant()

    def log_abs_determinant(self, name=None) -> torch.Tensor:
        del name
        return -self.operator.log_abs_determinant()


def _matrix_arg(value, name) -> torch.Tensor:
    matrix = _tensor(value)
    if matrix.dim() < 2:
        raise ValueError(
            f"{name}: the matrix must have rank at least 2 ([..., M, N]), got shape "
            f"{tuple(matrix.shape)}."
        )
    return matrix
