"""Sweep of tf_keras's model subclassing tests (ktmisc): `Model.build` with TF1
`Dimension` shapes. Expected values from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1)."""

import pytest

import tork as tf

keras = tf.keras


class _OneDense(keras.Model):
    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(2)

    def call(self, x):
        return self.dense(x)


def test_build_with_dimension_items():
    # tf_keras: weights (5, 2) and (2,); calling on (3, 5) gives (3, 2).
    model = _OneDense()
    model.build((tf.compat.v1.Dimension(None), tf.compat.v1.Dimension(5)))
    assert model.built
    assert [tuple(w.shape) for w in model.weights] == [(5, 2), (2,)]
    assert tuple(model(tf.ones((3, 5))).shape) == (3, 2)


def test_build_with_tensorshape_of_dimensions():
    model = _OneDense()
    model.build(tf.TensorShape([tf.compat.v1.Dimension(None), tf.compat.v1.Dimension(4)]))
    assert [tuple(w.shape) for w in model.weights] == [(4, 2), (2,)]


def test_build_with_bare_dimension_is_refused():
    # tf_keras: ValueError "Specified input shape is not one of the valid types...".
    model = _OneDense()
    with pytest.raises(ValueError, match="input shape is not one of the valid types"):
        model.build(input_shape=tf.compat.v1.Dimension(5))
    assert not model.weights
