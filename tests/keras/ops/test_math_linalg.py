"""keras.ops.math and keras.ops.linalg against NumPy."""

import math

import numpy as np
import pytest
import torch

from tork import keras

ops = keras.ops
RNG = np.random.default_rng(2)
M = RNG.normal(size=(3, 3)).astype(np.float32)
SPD = (M @ M.T + 3 * np.eye(3)).astype(np.float32)


def test_segments_top_k_logsumexp():
    data = np.arange(12.0, dtype=np.float32).reshape(6, 2)
    ids = np.array([0, 0, 2, 1, 2, 2])
    want_sum = np.stack([data[ids == k].sum(0) for k in range(3)])
    want_max = np.stack([data[ids == k].max(0) for k in range(3)])
    np.testing.assert_array_equal(ops.segment_sum(data, ids).numpy(), want_sum)
    np.testing.assert_array_equal(ops.segment_max(data, ids).numpy(), want_max)
    assert ops.segment_sum(data, ids, num_segments=4).shape == (4, 2)
    x = RNG.normal(size=(2, 6)).astype(np.float32)
    values, indices = ops.top_k(x, 3)
    full_order = np.argsort(-x, axis=1)
    order = full_order[:, :3]
    np.testing.assert_array_equal(indices.numpy(), order)
    np.testing.assert_allclose(values.numpy(), np.take_along_axis(x, order, 1))
    assert indices.dtype == torch.int32
    assert ops.in_top_k([full_order[0, 2], full_order[1, 4]], x, 3).tolist() == [True, False]
    np.testing.assert_allclose(
        ops.logsumexp(x, axis=1, keepdims=True).numpy(),
        np.log(np.exp(x).sum(1, keepdims=True)),
        rtol=1e-5,
    )
    np.testing.assert_allclose(float(ops.logsumexp(x)), np.log(np.exp(x).sum()), rtol=1e-5)


def test_elementwise_math():
    x = np.linspace(-0.9, 0.9, 7, dtype=np.float32)
    np.testing.assert_allclose(ops.erf(x).numpy(), [math.erf(v) for v in x], rtol=1e-5)
    np.testing.assert_allclose(ops.erf(ops.erfinv(x)).numpy(), x, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ops.rsqrt([4.0, 16.0]).numpy(), [0.5, 0.25])
    np.testing.assert_allclose(float(ops.logdet(SPD)), np.log(np.linalg.det(SPD)), rtol=1e-5)
    frames = ops.extract_sequences(np.arange(7), 3, 2)
    assert frames.tolist() == [[0, 1, 2], [2, 3, 4], [4, 5, 6]]


def test_linalg_matches_numpy():
    b = RNG.normal(size=(3,)).astype(np.float32)
    np.testing.assert_allclose(ops.inv(M).numpy(), np.linalg.inv(M), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(float(ops.det(M)), np.linalg.det(M), rtol=1e-5)
    np.testing.assert_allclose(ops.solve(M, b).numpy(), np.linalg.solve(M, b), rtol=1e-4)
    L = np.linalg.cholesky(SPD)
    np.testing.assert_allclose(ops.cholesky(SPD).numpy(), L, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ops.cholesky(SPD, upper=True).numpy(), L.T, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        ops.solve_triangular(L, b, lower=True).numpy(), np.linalg.solve(L, b), rtol=1e-4
    )
    np.testing.assert_allclose(
        ops.linalg.solve_triangular(L.T, b[:, None]).numpy(),
        np.linalg.solve(L.T, b[:, None]),
        rtol=1e-4,
    )
    q, r = ops.qr(M)
    np.testing.assert_allclose((q @ r).numpy(), M, atol=1e-5)
    assert np.allclose(np.tril(r.numpy(), -1), 0)
    q, r = ops.linalg.qr(np.ones((4, 2), np.float32), mode="complete")
    assert q.shape == (4, 4) and r.shape == (4, 2)
    u, s, vh = ops.svd(M)
    np.testing.assert_allclose(s.numpy(), np.linalg.svd(M, compute_uv=False), rtol=1e-5)
    np.testing.assert_allclose((u * s) @ vh, M, atol=1e-5)
    assert ops.svd(np.ones((4, 2), np.float32), full_matrices=False)[0].shape == (4, 2)
    w, _ = ops.eigh(SPD)
    np.testing.assert_allclose(w.numpy(), np.linalg.eigvalsh(SPD), rtol=1e-5)
    w, _ = ops.linalg.eig(np.diag([2.0, 3.0]).astype(np.float32))
    assert sorted(w.real.tolist()) == [2.0, 3.0]
    a = RNG.normal(size=(5, 2)).astype(np.float32)
    y = RNG.normal(size=(5,)).astype(np.float32)
    np.testing.assert_allclose(
        ops.linalg.lstsq(a, y).numpy(), np.linalg.lstsq(a, y, rcond=None)[0], rtol=1e-4
    )


@pytest.mark.parametrize(
    "x,kwargs",
    [
        (M, {}),
        (M, {"ord": "fro"}),
        (M, {"ord": "nuc"}),
        (M, {"ord": 1}),
        (M, {"ord": np.inf, "axis": 1}),
        (M, {"ord": 1, "axis": 0, "keepdims": True}),
        (M[0], {"ord": 3}),
        (np.arange(24.0).reshape(2, 3, 4), {"axis": (1, 2)}),
        (np.arange(24.0).reshape(2, 3, 4), {"keepdims": True}),
    ],
)
def test_norm_matches_numpy(x, kwargs):
    np.testing.assert_allclose(
        ops.norm(x, **kwargs).numpy(), np.linalg.norm(x, **kwargs), rtol=1e-5
    )


def test_linalg_errors_have_clear_messages():
    with pytest.raises(ValueError, match=r"keras.ops.inv needs square matrices .* \(2, 3\)"):
        ops.inv(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"mode must be 'reduced' or 'complete'"):
        ops.qr(M, mode="r")
    with pytest.raises(ValueError, match=r"ord=1 with axis=None needs a 1-D or 2-D input"):
        ops.norm(np.ones((2, 2, 2)), ord=1)
    with pytest.raises(ValueError, match=r"sequence_length=9 is longer than the last axis"):
        ops.extract_sequences(np.arange(5), 9, 1)
