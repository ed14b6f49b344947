"""keras.ops.fori_loop / while_loop results: tensors with Keras 3's dtypes.

Expected values: the same calls in Keras 3.15.1 with the TensorFlow backend (TensorFlow
2.21, CPU). Its fori_loop returns tensors also for Python loop values (int -> int32,
float -> float32, bool -> bool, numpy float64 -> float64), keeping list/tuple/dict nests.
"""

import numpy as np
import pytest
import torch

import tork as tf

ops = tf.keras.ops


def _desc(x):
    """(dtype name, shape, value) per leaf, in the result's structure."""
    if isinstance(x, (tuple, list)):
        return type(x)([_desc(v) for v in x])
    if isinstance(x, dict):
        return {k: _desc(v) for k, v in x.items()}
    assert isinstance(x, torch.Tensor), f"expected a tensor leaf, got {type(x).__name__}"
    return str(x.dtype).removeprefix("torch."), tuple(x.shape), np.asarray(x).tolist()


_FORI = {
    "int": ((0, 5, lambda i, s: s + i, 0), ("int32", (), 10)),
    "float": ((0, 5, lambda i, s: s + i, 0.0), ("float32", (), 10.0)),
    "zero_iterations": ((3, 3, lambda i, s: s + i, 0), ("int32", (), 0)),
    "int_becomes_float": ((0, 2, lambda i, s: s + 0.5, 0), ("float32", (), 1.0)),
    "numpy_float64": ((0, 2, lambda i, s: s + 1, np.float64(1.0)), ("float64", (), 3.0)),
    "tuple": (
        (0, 3, lambda i, v: (v[0] + i, v[1] * 2.0), (0, 1.0)),
        (("int32", (), 3), ("float32", (), 8.0)),
    ),
    "list": (
        (0, 2, lambda i, v: [v[0] + i, v[1]], [0, 1.5]),
        [("int32", (), 1), ("float32", (), 1.5)],
    ),
    "nested": (
        (0, 2, lambda i, v: (v[0] + 1, (v[1][0] * 2, v[1][1])), (0, (1.0, True))),
        (("int32", (), 2), (("float32", (), 4.0), ("bool", (), True))),
    ),
    "dict": ((0, 3, lambda i, v: {"a": v["a"] + i}, {"a": 0}), {"a": ("int32", (), 3)}),
    "tensor": (
        (0, 3, lambda i, v: v + 1, ops.zeros((2,), "float32")),
        ("float32", (2,), [3.0, 3.0]),
    ),
    "tensor_bounds": (
        (ops.convert_to_tensor(0), ops.convert_to_tensor(3), lambda i, s: s + i, 0),
        ("int32", (), 3),
    ),
}


@pytest.mark.parametrize("name", sorted(_FORI))
def test_fori_loop_results_match_keras3(name):
    args, expected = _FORI[name]
    assert _desc(ops.fori_loop(*args)) == expected


def test_fori_loop_body_still_sees_python_values():
    # TF's eager loop hands the body the Python index and the initial value unchanged.
    seen = []
    ops.fori_loop(0, 1, lambda i, s: seen.append((type(i), type(s[0]))) or s, (1, 2.0))
    assert seen == [(int, int)]


def test_fori_loop_keeps_tensors_and_none():
    v = tf.Variable(1.0)
    out = ops.fori_loop(0, 2, lambda i, s: s, (v, None))
    assert out[0] is v and out[1] is None  # Keras 3's torch backend keeps None


_WHILE = {
    "int": ((lambda i: i < 10, lambda i: i + 1, 0), ("int32", (), 10)),
    "float": ((lambda x: x < 3.0, lambda x: x + 1.0, 0.5), ("float32", (), 3.5)),
    "max_iterations": (
        (lambda i: i < 10, lambda i: i + 1, 0),
        ("int32", (), 3),
        {"maximum_iterations": 3},
    ),
    "zero_iterations": ((lambda i: i < 0, lambda i: i + 1, 5), ("int32", (), 5)),
    "tuple": (
        (lambda i, s: i < 4, lambda i, s: (i + 1, s + 2.0), (0, 1.0)),
        (("int32", (), 4), ("float32", (), 9.0)),
    ),
    # Keras 3 gives a tuple for list loop variables.
    "list": (
        (lambda i, s: i < 4, lambda i, s: [i + 1, s * 2], [0, 1]),
        (("int32", (), 4), ("int32", (), 16)),
    ),
    "nested": (
        (lambda a, b: a < 2, lambda a, b: (a + 1, (b[0] * 2.0, b[1])), (0, (1.0, 3))),
        (("int32", (), 2), (("float32", (), 4.0), ("int32", (), 3))),
    ),
    "dict": (
        (
            lambda v: v["a"] < 3,
            lambda v: {"a": v["a"] + 1, "b": v["b"] + 0.5},
            {"a": 0, "b": 0.0},
        ),
        {"a": ("int32", (), 3), "b": ("float32", (), 1.5)},
    ),
    "bool": (
        (lambda i, b: i < 2, lambda i, b: (i + 1, b), (0, True)),
        (("int32", (), 2), ("bool", (), True)),
    ),
    "tensor": (
        (lambda x: ops.sum(x) < 10, lambda x: x * 2, ops.ones((2,), "float32")),
        ("float32", (2,), [8.0, 8.0]),
    ),
    "int64_tensor": (
        (lambda i: i < 5, lambda i: i + 1, ops.convert_to_tensor(0, "int64")),
        ("int64", (), 5),
    ),
    "numpy_float64": ((lambda x: x < 2, lambda x: x + 1, np.float64(0.5)), ("float64", (), 2.5)),
}


@pytest.mark.parametrize("name", sorted(_WHILE))
def test_while_loop_results_match_keras3(name):
    args, expected, *kwargs = _WHILE[name]
    assert _desc(ops.while_loop(*args, **(kwargs[0] if kwargs else {}))) == expected
