"""`tensorflow.python.ops.weights_broadcast_ops` (TF Addons' RSquare imports it).

Reached as `tork.python.ops.weights_broadcast_ops` (a `tensorflow` package re-exporting
tork answers `tensorflow.python.*` with `tork.python.*`). Expected values and errors:
tensorflow 2.21's module.
"""

import numpy as np
import pytest


def test_broadcast_weights_follows_tf_rule():
    from tork.python.ops import weights_broadcast_ops

    values = np.zeros((3, 2), "float32")
    out = weights_broadcast_ops.broadcast_weights(
        np.array([[1.0], [2.0], [3.0]], "float32"), values
    )
    np.testing.assert_array_equal(out.numpy(), [[1, 1], [2, 2], [3, 3]])
    out = weights_broadcast_ops.broadcast_weights(np.float32(2.0), values)
    np.testing.assert_array_equal(out.numpy(), np.full((3, 2), 2.0))
    same = np.ones((3, 2), "float32")
    np.testing.assert_array_equal(weights_broadcast_ops.broadcast_weights(same, values), same)


def test_broadcast_weights_of_other_rank_raise_as_tf():
    # TF 2.21 also refuses (12,) weights for (12, 2) values (rank differs).
    from tork.python.ops import weights_broadcast_ops

    with pytest.raises(ValueError, match=r"values.rank=2. weights.rank=1. .*weights\[:, None\]"):
        weights_broadcast_ops.broadcast_weights(np.ones(3, "float32"), np.zeros((3, 2), "float32"))
    with pytest.raises(ValueError, match="can not be broadcast"):
        weights_broadcast_ops.assert_broadcastable(np.ones((3, 3)), np.zeros((3, 2)))
    assert weights_broadcast_ops.assert_broadcastable(np.ones((1, 2)), np.zeros((3, 2))) is None
