"""sample_weight on a loss that returns one number: tork refuses, naming the real shapes.

tf_keras 2.21's fit multiplies such a value by the weights (scaling it by their mean, not
weighing samples), a silently wrong loss; tork keeps refusing, and its message names the
labels' shape only when it knows it.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras


def _scalar_mse(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred))  # over everything: one number


def test_custom_scalar_loss_with_feature_axis_names_the_labels_shape():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile("sgd", _scalar_mse)
    x, y = np.ones((10, 3), "float32"), np.ones((10, 2), "float32")
    with pytest.raises(ValueError) as info:
        model.fit(x, y, sample_weight=np.arange(10.0), batch_size=10, verbose=0)
    message = str(info.value)
    assert "loss '_scalar_mse'" in message
    assert "For labels of shape (10, 2) it must have shape (10,)" in message
    assert "reduce over axis=-1" in message
    # The old message claimed rank-1 labels here.
    assert "shape (10,) are reduced" not in message and "trailing axis" not in message


def test_loss_object_on_rank1_labels_keeps_the_batch_axis_advice():
    loss = keras.losses.MeanSquaredError()
    y = np.array([1.0, 0.0, 2.0, 1.0], "float32")
    with pytest.raises(
        ValueError,
        match=r"Labels and predictions of shape \(4,\) are reduced over their last axis, which "
        r"is the batch axis: give them a trailing axis of size 1 \(shape \(4, 1\)\)",
    ):
        loss(y, y * 0.5, sample_weight=[1.0, 0.0, 2.0, 1.0])


def test_metric_without_labels_says_when_the_rank1_reading_applies():
    metric = keras.metrics.Sum()
    with pytest.raises(
        ValueError,
        match=r"cannot weigh a loss or metric value: .*If the labels and predictions have "
        r"shape \(3,\), their last axis",
    ):
        metric.update_state(3.0, sample_weight=[1.0, 0.0, 2.0])


def test_per_sample_custom_loss_with_weights_still_trains():
    # The same loss reduced over axis=-1 takes the weights (mean of w * per-sample mse).
    def per_sample(y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, use_bias=False)])
    model.set_weights([np.zeros((3, 2), "float32")])
    model.compile("sgd", per_sample)
    x, y = np.ones((4, 3), "float32"), np.array([[1, 0], [0, 2], [1, 1], [2, 2]], "float32")
    w = np.array([1.0, 0.0, 2.0, 1.0])
    loss = model.evaluate(x, y, sample_weight=w, verbose=0)
    per = np.mean(y**2, axis=-1)
    assert loss == pytest.approx(np.sum(w * per) / 4, rel=1e-6)
