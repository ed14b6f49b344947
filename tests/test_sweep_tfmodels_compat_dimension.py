"""`tf.compat.v1.Dimension`, `tf.compat.dimension_value`, `tf.compat.dimension_at_index`.

tf-models' RandomFeatureGaussianProcess checks `isinstance(dim, tf.compat.v1.Dimension)`;
tork raised NotImplementedError. Expected values: TensorFlow 2.21.
"""

import tork as tf


def test_dimension_names():
    assert tf.compat.v1.Dimension is tf.Dimension
    assert not isinstance(3, tf.compat.v1.Dimension)
    assert tf.compat.dimension_value(tf.compat.v1.Dimension(3)) == 3
    assert tf.compat.v1.dimension_value(4) == 4
    assert tf.compat.dimension_value(None) is None


def test_dimension_at_index():
    # TF 2.21: Dimension(3), Dimension(None) (printed '?'), and Dimension(None) for an
    # unknown rank.
    shape = tf.TensorShape([3, None])
    assert tf.compat.dimension_at_index(shape, 0) == 3
    assert tf.compat.dimension_at_index(shape, 1).value is None
    assert tf.compat.v1.dimension_at_index(tf.TensorShape(None), 5).value is None
