"""LinearOperatorLowerTriangular solves (plain, adjoint, inverse) against NumPy, without
reading the matrix's values to find its orientation (a device sync on GPU)."""

import numpy as np
import pytest
import torch

import tork as tf


def _case(dtype):
    rng = np.random.default_rng(0)
    lower = np.tril(rng.normal(size=(2, 3, 3))) + 3 * np.eye(3)
    if dtype == np.complex128:
        lower = lower + 1j * np.tril(rng.normal(size=(2, 3, 3)))
    junk = np.triu(np.ones((3, 3)), 1)  # above the diagonal: never read
    rhs = rng.normal(size=(2, 3, 2)).astype(dtype)
    return lower.astype(dtype), (lower + junk).astype(dtype), rhs


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_solves_match_numpy_without_a_general_solve(dtype, monkeypatch):
    lower, given, rhs = _case(dtype)
    lower_h = np.conj(np.swapaxes(lower, -1, -2))
    op = tf.linalg.LinearOperatorLowerTriangular(given)

    def refuse(*args, **kwargs):
        raise AssertionError("the triangular solve should be used")

    monkeypatch.setattr(torch.linalg, "solve", refuse)
    monkeypatch.setattr(torch, "equal", refuse)
    cases = [
        (op.solve(rhs), np.linalg.solve(lower, rhs)),
        (op.solve(rhs, adjoint=True), np.linalg.solve(lower_h, rhs)),
        (op.adjoint().solve(rhs), np.linalg.solve(lower_h, rhs)),
        (op.adjoint().solve(rhs, adjoint=True), np.linalg.solve(lower, rhs)),
        (op.inverse().to_dense(), np.linalg.inv(lower)),
        (op.inverse().matmul(rhs), np.linalg.solve(lower, rhs)),
        (op.adjoint().inverse().to_dense(), np.linalg.inv(lower_h)),
        (op.solvevec(rhs[..., 0]), np.linalg.solve(lower, rhs[..., :1])[..., 0]),
    ]
    for got, expected in cases:
        np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-10, atol=1e-12)
