"""fuzzops2 sweep: tf.linalg.diag / set_diag with diagonal bands, num_rows/num_cols, align.

Expected values come from TensorFlow 2.21 (CPU), /tmp/fuzzops2/probe_diag2.py.
"""

import pytest
import torch

import tork as tf

D = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        (dict(k=(-1, 1)), [[3.0, 2.0], [5.0, 4.0]]),
        (dict(k=(-1, 1), align="LEFT_RIGHT"), [[3.0, 1.0], [6.0, 4.0]]),
        (dict(k=(0, 2), padding_value=-1), [[5.0, 4.0], [-1.0, 6.0]]),
        (dict(k=(-2, 0), align="LEFT_LEFT"), [[1.0, 0.0], [3.0, 2.0]]),
        (dict(k=(-1, 1), num_rows=3), [[3.0, 2.0], [5.0, 4.0], [0.0, 6.0]]),
        (
            dict(k=(-1, 1), num_cols=4, padding_value=9),
            [[3.0, 1.0, 9.0, 9.0], [5.0, 4.0, 2.0, 9.0]],
        ),
    ],
)
def test_diag_band(kwargs, expected):
    assert tf.linalg.diag(tf.constant(D), **kwargs).tolist() == expected


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        (dict(num_rows=2, num_cols=4), [[1.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0]]),
        (dict(num_rows=4), [[1.0, 0.0], [0.0, 2.0], [0.0, 0.0], [0.0, 0.0]]),
        (dict(num_cols=4), [[1.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0]]),
        (dict(k=-1, num_cols=2), [[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]]),
        (dict(k=(1, 1)), [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 0.0]]),
        (dict(k=[1]), [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 0.0]]),
    ],
)
def test_diag_num_rows_cols(kwargs, expected):
    # tork raised NotImplementedError for num_rows/num_cols and TypeError for a k pair.
    assert tf.linalg.diag([1.0, 2.0], **kwargs).tolist() == expected


def test_diag_empty_with_num_rows():
    out = tf.linalg.diag(tf.zeros([0]), num_rows=2)
    assert tuple(out.shape) == (2, 0)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: tf.linalg.diag([1.0, 2.0], k=1, num_rows=3, num_cols=4), "one of them must"),
        (lambda: tf.linalg.diag([1.0, 2.0], num_rows=3, num_cols=3), "one of them must"),
        (lambda: tf.linalg.diag([[1.0, 2.0], [3.0, 4.0]], k=(0, 1), num_rows=1), "too small"),
        (lambda: tf.linalg.diag([[1.0, 2.0]], k=(2, 0)), "lower end above"),
        (lambda: tf.linalg.diag([1.0, 2.0], k=(0, 1)), r"needs 2 diagonals"),
    ],
)
def test_diag_errors(call, match):
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        call()


@pytest.mark.parametrize(
    "shape, diagonal, kwargs, expected",
    [
        (
            (3, 4),
            [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
            dict(k=(0, 1)),
            [[4.0, 1.0, 0.0, 0.0], [0.0, 5.0, 2.0, 0.0], [0.0, 0.0, 6.0, 3.0]],
        ),
        (
            (4, 3),
            [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
            dict(k=(-2, -1)),
            [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [4.0, 2.0, 0.0], [0.0, 5.0, 3.0]],
        ),
        (
            (4, 3),
            [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
            dict(k=(-2, -1), align="LEFT_RIGHT"),
            [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [5.0, 2.0, 0.0], [0.0, 6.0, 3.0]],
        ),
        (
            (3, 3),
            [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]],
            dict(k=(-1, 1)),
            [[4.0, 2.0, 0.0], [7.0, 5.0, 3.0], [0.0, 8.0, 6.0]],
        ),
    ],
)
def test_set_diag_band(shape, diagonal, kwargs, expected):
    out = tf.linalg.set_diag(tf.zeros(shape), tf.constant(diagonal), **kwargs)
    assert out.tolist() == expected


def test_set_diag_band_batched_keeps_off_band_values():
    x = torch.arange(2 * 3 * 3, dtype=torch.float32).reshape(2, 3, 3)
    d = -torch.ones(2, 2, 3)
    out = tf.linalg.set_diag(x, d, k=(0, 1))
    # the band (main and first superdiagonal) is replaced, the rest kept
    band = torch.triu(torch.ones(3, 3, dtype=torch.bool)) & ~torch.triu(
        torch.ones(3, 3, dtype=torch.bool), 2
    )
    assert torch.equal(out[:, band], -torch.ones(2, 5))
    assert torch.equal(out[:, ~band], x[:, ~band])


@pytest.mark.parametrize(
    "diagonal, k",
    [([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], (-1, 1)), ([[1.0, 2.0], [4.0, 5.0]], (0, 1))],
)
def test_set_diag_band_wrong_shape(diagonal, k):
    with pytest.raises(tf.errors.InvalidArgumentError, match="it must have shape"):
        tf.linalg.set_diag(tf.zeros((3, 3)), tf.constant(diagonal), k=k)
