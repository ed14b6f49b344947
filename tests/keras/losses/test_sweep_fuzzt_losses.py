"""Differential sweep of built-in losses against tf_keras 2.21 (helper fuzzt).

Reference numbers come from running the same calls under
`TF_USE_LEGACY_KERAS=1` with real TensorFlow/tf_keras 2.21 (generator scripts in
/tmp/fuzzt/gen_losses.py), or are hand-computed where noted.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

Y_TRUE = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, 1.0]], "float32")
Y_PRED = np.array([[0.5, 0.2, 1.0], [1.5, -0.5, 0.0]], "float32")
W_N1 = np.array([[2.0], [0.5]], "float32")


@pytest.mark.parametrize(
    "loss, expected",
    [
        # tf_keras: MeanSquaredError(reduction="none")(yt, yp, sample_weight=(2, 1) weights)
        (keras.losses.MeanSquaredError(reduction="none"), [1.2600001096725464, 0.25]),
        (keras.losses.Huber(reduction="none"), [0.6300000548362732, 0.125]),
    ],
)
def test_none_reduction_with_n1_weights_keeps_per_sample_shape(loss, expected):
    # Keras 2 squeezes (N, 1) weights onto (N,) losses: the result stays (N,), not (N, 1).
    out = loss(tf.constant(Y_TRUE), tf.constant(Y_PRED), sample_weight=tf.constant(W_N1))
    assert tuple(out.shape) == (2,)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


def test_none_reduction_with_n_weights_on_n1_losses_keeps_n1():
    # The other direction is unchanged: (N, 1) losses with (N,) weights stay (N, 1) (Keras 2
    # expands the weights). Values hand-computed: |d| per element times the weight.
    loss = keras.losses.MeanAbsoluteError(reduction="none")
    out = loss(
        tf.constant([[[1.0]], [[2.0]]]), tf.constant([[[0.0]], [[0.0]]]), sample_weight=[3.0, 0.5]
    )
    assert tuple(out.shape) == (2, 1)
    np.testing.assert_allclose(out.numpy(), [[3.0], [1.0]])


YT_AXIS0 = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], "float32")
LOGITS_AXIS0 = np.array([[2.0, -1.0], [0.5, 1.5], [-1.0, 0.3]], "float32")


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        (
            dict(from_logits=True, label_smoothing=0.3, axis=0),
            [0.15899711847305298, 0.13399535417556763],
        ),
        (dict(label_smoothing=0.2, axis=0), [0.1069224625825882, 0.09140603989362717]),
    ],
)
def test_categorical_focal_label_smoothing_counts_last_axis_classes(kwargs, expected):
    # tf_keras smooths focal labels with num_classes = y_true.shape[-1] whatever `axis` is
    # (here 2, while axis 0 has 3 classes).
    pred = LOGITS_AXIS0
    if not kwargs.get("from_logits"):
        pred = np.exp(pred) / np.exp(pred).sum(0, keepdims=True)
    obj = keras.losses.CategoricalFocalCrossentropy(reduction="none", **kwargs)
    np.testing.assert_allclose(obj(YT_AXIS0, pred).numpy(), expected, rtol=1e-5)
    fn = keras.losses.categorical_focal_crossentropy(YT_AXIS0, pred, **kwargs)
    np.testing.assert_allclose(fn.numpy(), expected, rtol=1e-5)


Y1 = np.array([1.0, 2.0, 3.0, 4.0], "float32")


def test_per_sample_weights_on_a_single_value_loss_raise():
    # Labels/predictions of shape (N,) give one loss value for the whole batch; tf_keras
    # raises (a Squeeze error) rather than scaling it by the mean weight.
    loss = keras.losses.MeanSquaredError()
    with pytest.raises(
        ValueError, match=r"sample_weight of shape \(4,\) cannot weigh .*\(shape \(4, 1\)\)"
    ):
        loss(tf.constant(Y1), tf.constant(Y1 * 0.5), sample_weight=[1.0, 0.0, 2.0, 1.0])


def test_scalar_or_single_weight_on_a_single_value_loss_still_scales():
    # Hand-computed: mean((y / 2) ** 2) = 1.875, times the weight 2.
    loss = keras.losses.MeanSquaredError()
    assert float(loss(Y1, Y1 * 0.5, sample_weight=2.0)) == pytest.approx(3.75)
    assert float(loss(Y1, Y1 * 0.5, sample_weight=[2.0])) == pytest.approx(3.75)
    # tf_keras does not raise for (N, 1) weights here (they are two ranks above the value):
    # it gives 1.875 (mean of the weights [1, 0, 2, 1] times 1.875).
    w_n1 = tf.constant([[1.0], [0.0], [2.0], [1.0]])
    assert float(loss(tf.constant(Y1), tf.constant(Y1 * 0.5), sample_weight=w_n1)) == pytest.approx(
        1.875
    )


def test_fit_with_rank1_output_and_sample_weight_raises():
    # tf_keras: fit/evaluate of a model with output (batch,) and sample_weight fails; tork
    # used to train on mean(w) * loss silently.
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(1), keras.layers.Reshape(())], name="rank1"
    )
    model.compile("sgd", "mse")
    x = np.arange(12, dtype="float32").reshape(4, 3) / 10
    w = np.array([1.0, 0.0, 2.0, 1.0], "float32")
    with pytest.raises(ValueError, match="trailing axis of size 1"):
        model.fit(x, Y1, sample_weight=w, verbose=0)
    with pytest.raises(ValueError, match="trailing axis of size 1"):
        model.evaluate(x, Y1, sample_weight=w, verbose=0)
    model.fit(x.reshape(4, 3), Y1, verbose=0)  # without weights it trains, as in tf_keras


def test_sum_metric_with_per_sample_weights_on_a_scalar_raises():
    # tf_keras: Sum().update_state(3.0, sample_weight=[1, 0, 2]) raises (Squeeze error).
    metric = keras.metrics.Sum()
    with pytest.raises(ValueError, match="cannot weigh a loss or metric value"):
        metric.update_state(3.0, sample_weight=[1.0, 0.0, 2.0])
