"""`tf.group`, which OptimizerV2 subclasses return from `_resource_apply_dense`:
TensorFlow 2.21 eagerly returns None, the grouped updates having already run."""

import numpy as np

import tork as tf


def test_group_returns_none_after_the_updates_ran():
    v = tf.Variable([1.0, 2.0])
    assert tf.group(v.assign([5.0, 6.0]), v.assign_add([1.0, 1.0]), tf.constant(1.0)) is None
    np.testing.assert_allclose(v.numpy(), [6.0, 7.0])
    assert tf.group() is None
    assert tf.group(*[], name="updates") is None
