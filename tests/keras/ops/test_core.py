"""keras.ops.core: conversion, control flow, slicing and scatter, against NumPy."""

import numpy as np
import pytest
import torch

from tork import keras

ops = keras.ops


def test_conversion_shape_dtype():
    t = ops.convert_to_tensor([1.0, 2.0])
    assert t.dtype == torch.float32 and ops.convert_to_tensor([1, 2]).dtype == torch.int32
    assert ops.convert_to_tensor(np.ones(2)).dtype == torch.float64
    assert ops.convert_to_tensor([1, 2], dtype="float16").dtype == torch.float16
    arr = ops.convert_to_numpy(torch.ones(2, requires_grad=True) * 2)
    assert isinstance(arr, np.ndarray) and arr.tolist() == [2.0, 2.0]
    assert ops.is_tensor(t) and not ops.is_tensor(np.ones(2))
    assert ops.shape(np.zeros((2, 3))) == (2, 3) and ops.shape(t) == (2,)
    assert ops.dtype(t) == "float32" and ops.dtype([1, 2]) == "int32"
    assert ops.cast([1.7, -1.7], "int32").tolist() == [1, -1]
    assert ops.saturate_cast([300.0, -5.0, 7.4], "uint8").tolist() == [255, 0, 7]


def test_stop_gradient_blocks_gradient():
    w = torch.tensor(3.0, requires_grad=True)
    y = w * ops.stop_gradient(w)
    y.backward()
    assert w.grad.item() == 3.0


def test_cond_switch_and_loops():
    x = torch.tensor(-2.0)
    assert ops.cond(x > 0, lambda: x, lambda: -x).item() == 2.0
    assert ops.switch(5, [lambda v: v + 1, lambda v: v - 1], 10) == 9  # index clamped
    assert ops.switch(-1, [lambda v: v + 1, lambda v: v - 1], 10) == 11
    assert int(ops.while_loop(lambda i: i < 10, lambda i: i + 1, 0)) == 10
    i, s = ops.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * 2), (0, 1.0))
    assert int(i) == 3 and float(s) == 8.0
    out = ops.while_loop(lambda i: True, lambda i: i + 1, 0, maximum_iterations=4)
    assert int(out) == 4
    assert ops.fori_loop(0, 5, lambda i, v: v + i, 0) == 10
    assert float(ops.fori_loop(torch.tensor(1), 4, lambda i, v: v * i, torch.tensor(1.0))) == 6


def test_scan_and_map_match_numpy():
    xs = np.arange(1.0, 6.0, dtype=np.float32)
    carry, ys = ops.scan(lambda c, x: (c + x, c * x), 0.0, xs)
    c, want = 0.0, []
    for x in xs:
        want.append(c * x)
        c += x
    assert float(carry) == c and np.allclose(ys.numpy(), want)
    carry, ys = ops.scan(lambda c, x: (c + x, c), 0.0, xs, reverse=True)
    assert np.allclose(ys.numpy(), np.cumsum(xs[::-1])[::-1] - xs)
    carry, ys = ops.scan(lambda c, _: (c * 2, {"c": c}), torch.tensor(1.0), length=3)
    assert ys["c"].tolist() == [1.0, 2.0, 4.0] and float(carry) == 8.0
    pairs = {"a": np.ones((3, 2), np.float32), "b": np.arange(3.0, dtype=np.float32)}
    out = ops.map(lambda d: d["a"].sum() + d["b"], pairs)
    assert out.tolist() == [2.0, 3.0, 4.0]
    got = ops.vectorized_map(lambda r: r @ r, np.arange(6.0, dtype=np.float32).reshape(3, 2))
    assert got.tolist() == [1.0, 13.0, 41.0]


def test_slice_scatter_unstack_match_numpy():
    x = np.arange(24.0, dtype=np.float32).reshape(4, 6)
    np.testing.assert_array_equal(ops.slice(x, [1, 2], [2, 3]).numpy(), x[1:3, 2:5])
    np.testing.assert_array_equal(ops.slice(x, torch.tensor([0, 4]), (4, 2)).numpy(), x[0:4, 4:6])
    upd = np.full((2, 2), -1.0, np.float32)
    want = x.copy()
    want[2:4, 1:3] = upd
    np.testing.assert_array_equal(ops.slice_update(x, [2, 1], upd).numpy(), want)
    want = np.zeros((4, 3), np.float32)
    np.add.at(want, ([0, 2, 0], [1, 2, 1]), [1.0, 2.0, 3.0])
    got = ops.scatter([[0, 1], [2, 2], [0, 1]], [1.0, 2.0, 3.0], (4, 3))
    np.testing.assert_array_equal(got.numpy(), want)
    rows = ops.scatter([[1], [3]], np.ones((2, 3), np.float32), (4, 3))
    assert rows.numpy().sum(axis=1).tolist() == [0.0, 3.0, 0.0, 3.0]
    want = x.copy()
    want[[0, 3], [5, 0]] = [100.0, 200.0]
    got = ops.scatter_update(x, [[0, 5], [3, 0]], [100.0, 200.0])
    np.testing.assert_array_equal(got.numpy(), want)
    parts = ops.unstack(x, axis=1)
    assert len(parts) == 6 and parts[2].tolist() == x[:, 2].tolist()


def test_gradients_through_slice_update_and_custom_gradient():
    base = torch.zeros(5, requires_grad=True)
    upd = torch.ones(2, requires_grad=True)
    out = ops.slice_update(base, [1], upd * 3)
    ops.sum(out * torch.arange(5.0)).backward()
    assert base.grad.tolist() == [0.0, 0.0, 0.0, 3.0, 4.0]
    assert upd.grad.tolist() == [3.0, 6.0]

    @ops.custom_gradient
    def clipped_identity(x):
        def grad(*args, upstream=None):
            upstream = args[0] if upstream is None else upstream
            return ops.clip(upstream, -1.0, 1.0)

        return x * 1.0, grad

    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (ops.sum(clipped_identity(w) * 10.0)).backward()
    assert w.grad.tolist() == [1.0, 1.0]


def test_core_errors_have_clear_messages():
    x = np.zeros((4, 6), np.float32)
    with pytest.raises(ValueError, match=r"slice: a slice of size 3 starting at 5 does not fit"):
        ops.slice(x, [0, 5], [2, 3])
    with pytest.raises(ValueError, match=r"need one entry per axis of the input \(rank 2\)"):
        ops.slice(x, [0], [2])
    with pytest.raises(ValueError, match=r"slice_update: a slice of size 2 starting at 3"):
        ops.slice_update(x, [3, 0], np.ones((2, 2), np.float32))
    with pytest.raises(ValueError, match=r"scatter: indices of shape \(1, 3\) need a last axis"):
        ops.scatter([[0, 0, 0]], [1.0], (2, 2))
    # Refused before torch sees them: on a GPU an out-of-range index is a fatal device assert.
    with pytest.raises(
        IndexError, match=r"scatter: indices\[1\] = \[4\] is out of range .* \(4,\)"
    ):
        ops.scatter([[1], [4]], [1.0, 2.0], (4,))
    with pytest.raises(IndexError, match=r"scatter_update: indices\[0\] = \[-1, 0\] .* \(3, 2\)"):
        ops.scatter_update(np.zeros((3, 2), np.float32), [[-1, 0]], [1.0])
    with pytest.raises(ValueError, match=r"pass `xs` or `length`"):
        ops.scan(lambda c, x: (c, c), 0.0)
    with pytest.raises(ValueError, match=r"length=2 does not match the leading size 3"):
        ops.scan(lambda c, x: (c, c), 0.0, np.ones(3), length=2)
    with pytest.raises(ValueError, match=r"same leading size; got \[2, 3\]"):
        ops.map(lambda d: d, (np.ones(2), np.ones(3)))
    with pytest.raises(ValueError, match=r"unstack: num=2 but axis 0 .* has size 4"):
        ops.unstack(x, num=2)
    with pytest.raises(ValueError, match=r"at least one branch"):
        ops.switch(0, [])
    with pytest.raises(NotImplementedError, match=r"convert_to_tensor\(sparse=True\)"):
        ops.convert_to_tensor([1], sparse=True)


def test_scatter_update_reductions_match_numpy_and_keras():
    x = np.array([1.0, 5.0, 3.0, 2.0], np.float32)
    idx, up = [[1], [1], [3]], np.array([4.0, 7.0, 0.5], np.float32)
    # keras.ops.scatter_update(x, idx, up, reduction=r) in Keras 3.15 (TF 2.21).
    assert ops.scatter_update(x, idx, up, reduction="add").tolist() == [1.0, 16.0, 3.0, 2.5]
    assert ops.scatter_update(x, idx, up, reduction="max").tolist() == [1.0, 7.0, 3.0, 2.0]
    assert ops.scatter_update(x, idx, up, reduction="min").tolist() == [1.0, 4.0, 3.0, 0.5]
    assert ops.scatter_update(x, idx, up, reduction="mul").tolist() == [1.0, 140.0, 3.0, 1.0]
    assert ops.scatter_update(x, [[2]], [9.0], reduction=None).tolist() == [1.0, 5.0, 9.0, 2.0]
    # Slices (k < rank) and coordinates (k == rank), against NumPy's ufunc.at.
    grid = np.arange(12, dtype=np.float32).reshape(3, 4)
    want = grid.copy()
    np.multiply.at(want, [0, 2, 0], 2.0)
    got = ops.scatter_update(grid, [[0], [2], [0]], np.full((3, 4), 2.0, np.float32), "mul")
    np.testing.assert_array_equal(got.numpy(), want)
    want = grid.copy()
    np.add.at(want, ([0, 2, 0], [1, 3, 1]), [10.0, 20.0, 30.0])
    got = ops.scatter_update(grid, [[0, 1], [2, 3], [0, 1]], [10.0, 20.0, 30.0], reduction="add")
    np.testing.assert_array_equal(got.numpy(), want)
    want = grid.copy()
    np.minimum.at(want, ([0, 2], [1, 3]), [-1.0, 50.0])
    got = ops.scatter_update(grid, [[0, 1], [2, 3]], [-1.0, 50.0], reduction="min")
    np.testing.assert_array_equal(got.numpy(), want)
    ints = ops.scatter_update(np.array([1, 2, 3]), [[0], [0]], np.array([5, 6]), reduction="add")
    assert ints.tolist() == [12, 2, 3]
    with pytest.raises(ValueError, match=r"Invalid reduction: foo\. Supported values are: None"):
        ops.scatter_update(x, idx, up, reduction="foo")
