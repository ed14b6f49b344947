"""tf's structural ops on string tensors, against the same NumPy operations on bytes arrays."""

from __future__ import annotations

import numpy as np
import pytest

import tork as tf

S = np.array([[b"a", b"b"], [b"c", b"d"]], dtype=object)


def _s():
    return tf.constant([["a", "b"], ["c", "d"]])


@pytest.mark.parametrize(
    ("op", "want"),
    [
        (lambda s: tf.concat([s, s], 1), np.concatenate([S, S], 1)),
        (lambda s: tf.concat([s, [["e", "f"]]], 0), np.concatenate([S, [[b"e", b"f"]]], 0)),
        (lambda s: tf.stack([s, s], axis=1), np.stack([S, S], 1)),
        (lambda s: tf.gather(s, [1, 0, 1]), S[[1, 0, 1]]),
        (lambda s: tf.gather(s, [1], axis=1), S[:, [1]]),
        (lambda s: tf.transpose(s), S.T),
        (lambda s: tf.tile(s, [2, 3]), np.tile(S, [2, 3])),
        (lambda s: tf.reverse(s, [1]), S[:, ::-1]),
        (lambda s: tf.identity(s), S),
        (lambda s: tf.where([[True, False], [False, True]], s, "z"), np.where(np.eye(2), S, b"z")),
    ],
)
def test_string_ops_match_numpy(op, want):
    got = op(_s())
    assert got.dtype == tf.string
    np.testing.assert_array_equal(got.numpy(), want)


def test_unstack_and_identity_copies():
    rows = tf.unstack(_s(), axis=1)
    assert [r.numpy().tolist() for r in rows] == [[b"a", b"c"], [b"b", b"d"]]
    original = _s()
    copy = tf.identity(original)
    np.asarray(original)[0, 0] = b"changed"
    assert copy.numpy()[0, 0] == b"a"


def test_string_op_errors_are_clear():
    with pytest.raises(TypeError, match=r"concat: cannot mix string tensors with .* float32"):
        tf.concat([_s(), tf.zeros((1, 2))], 0)
    with pytest.raises(ValueError, match=r"shapes \(2, 2\), \(1,\) cannot be joined along axis 0"):
        tf.concat([_s(), tf.constant(["x"])], 0)
    with pytest.raises(ValueError, match=r"stack: string tensors of shapes \(2, 2\), \(1,\)"):
        tf.stack([_s(), tf.constant(["x"])])
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"indices\[0\] = 2 is not in \[0, 2\)"
    ):
        tf.gather(_s(), [2])
