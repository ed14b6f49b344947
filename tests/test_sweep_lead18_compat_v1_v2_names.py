"""`import tensorflow.compat.v1 as tf` reaches TF 2's ops with TF 1's argument names.

google/automl's iou_utils/anchors and `tf_upgrade_v2` output call `tf.compat.v1.maximum`,
`reduce_sum(..., keep_dims=True)`, `tf.compat.v1.nn.relu`, `tf.compat.v1.data.Dataset`.
Values are NumPy's; TF 1 signatures from TensorFlow 2.21's `tf.compat.v1`.
"""

import numpy as np
import pytest

import tork as tf

v1 = tf.compat.v1
_X = np.arange(6.0, dtype="float32").reshape(2, 3)


def test_tf2_ops_with_tf1_argument_names():
    np.testing.assert_array_equal(v1.maximum(_X, 2.0).numpy(), np.maximum(_X, 2.0))
    summed = v1.reduce_sum(_X, reduction_indices=1, keep_dims=True)
    np.testing.assert_array_equal(summed.numpy(), _X.sum(1, keepdims=True))
    np.testing.assert_array_equal(v1.argmax(_X, dimension=0).numpy(), [1, 1, 1])
    assert tuple(v1.squeeze(np.ones((1, 3)), squeeze_dims=[0]).shape) == (3,)
    assert tuple(v1.expand_dims(_X, dim=0).shape) == (1, 2, 3)
    assert v1.keras.layers.Dense is tf.keras.layers.Dense
    with pytest.raises(ValueError, match="give `axis` or its TF 1 name `reduction_indices`"):
        v1.reduce_sum(_X, axis=0, reduction_indices=1)


def test_moved_tf1_names():
    assert v1.to_int32(_X).dtype == tf.int32
    assert v1.to_float(np.arange(3)).dtype == tf.float32
    assert tuple(v1.random_normal((4, 2)).shape) == (4, 2)
    sample = v1.random_uniform((100,), minval=2.0, maxval=3.0).numpy()
    assert sample.min() >= 2.0 and sample.max() < 3.0


def test_submodules_fall_back_to_tf2():
    np.testing.assert_array_equal(v1.nn.relu(_X - 2).numpy(), np.maximum(_X - 2, 0))
    kernel = np.ones((1, 1, 3, 2), "float32")
    out = v1.nn.conv2d(_X.reshape(1, 1, 2, 3), filter=kernel, strides=1, padding="VALID")
    np.testing.assert_array_equal(out.numpy()[0, 0], np.stack([_X.sum(1)] * 2, axis=1))
    assert list(v1.data.Dataset.range(3).as_numpy_iterator()) == [0, 1, 2]
    flipped = v1.image.flip_left_right(_X.reshape(2, 3, 1)).numpy()[..., 0]
    np.testing.assert_array_equal(flipped, _X[:, ::-1])


def test_tf1_dropout_takes_keep_prob():
    np.testing.assert_array_equal(v1.nn.dropout(tf.ones((2, 2)), 1.0).numpy(), np.ones((2, 2)))
    kept = v1.nn.dropout(tf.ones((10000,)), keep_prob=0.8).numpy()
    # Kept values are scaled by 1 / keep_prob; about 80% are kept.
    assert set(np.unique(kept).round(4)) <= {0.0, 1.25}
    assert 0.77 < (kept > 0).mean() < 0.83
    with pytest.raises(ValueError, match="exactly one of keep_prob"):
        v1.nn.dropout(tf.ones((2,)), keep_prob=0.5, rate=0.5)


def test_graph_only_and_differing_names_still_raise():
    with pytest.raises(NotImplementedError, match=r"tf\.compat\.v1\.placeholder"):
        v1.placeholder  # noqa: B018
    with pytest.raises(NotImplementedError, match=r"tf\.compat\.v1\.summary"):
        v1.summary  # noqa: B018
    # get_variable/variable_scope exist eagerly (tests/test_sweep_tf1cells_variable_scope.py).
