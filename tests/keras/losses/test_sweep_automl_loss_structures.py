"""A `Loss` subclass receives `y_true` as given: automl's FocalLoss takes `[normalizer, y]`.

Keras passes `y_true` to `Loss.call` unconverted; google/automl's EfficientDet
FocalLoss/BoxLoss are called as `loss([num_positives, targets], y_pred)` and unpack
the pair. tork converted `y_true` to one tensor first and raised on the ragged pair.
Reference values: TF 2.21 / tf_keras in the reference env.
"""

import numpy as np

import tork as tf


class _Focal(tf.keras.losses.Loss):
    def __init__(self, alpha, gamma, **kwargs):
        super().__init__(**kwargs)
        self.alpha, self.gamma = alpha, gamma

    def call(self, y, y_pred):
        normalizer, y_true = y
        p = tf.sigmoid(y_pred)
        p_t = y_true * p + (1 - y_true) * (1 - p)
        alpha_factor = y_true * self.alpha + (1 - y_true) * (1 - self.alpha)
        ce = tf.nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
        return alpha_factor * (1.0 - p_t) ** self.gamma * ce / normalizer


Y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], "float32")
LOGITS = np.array([[0.5, -1.0, 2.0], [-0.3, 0.8, 0.1]], "float32")
# TF 2.21 (tf_keras): the same loss on the same values.
TF_NONE = [
    [0.009164593182504177, 0.010922794230282307, 0.4395483434200287],
    [0.038473840802907944, 0.005338345188647509, 0.07078766077756882],
]
TF_MEAN = 0.09570593386888504


def test_pair_target_reaches_call():
    loss = _Focal(0.25, 1.5, reduction=tf.keras.losses.Reduction.NONE)
    out = loss([tf.constant(3.0), tf.constant(Y)], tf.constant(LOGITS))
    assert tuple(out.shape) == (2, 3)
    np.testing.assert_allclose(np.asarray(out), TF_NONE, rtol=1e-5)


def test_pair_target_default_reduction():
    out = _Focal(0.25, 1.5)((tf.constant(3.0), tf.constant(Y)), tf.constant(LOGITS))
    np.testing.assert_allclose(float(out), TF_MEAN, rtol=1e-5)


def test_dict_target_reaches_call():
    class _Dict(tf.keras.losses.Loss):
        def call(self, y_true, y_pred):
            return tf.square(y_true["a"] - y_pred) * y_true["w"]

    out = _Dict()({"a": tf.constant(Y), "w": tf.constant(2.0)}, tf.constant(LOGITS))
    np.testing.assert_allclose(float(out), float(np.mean(2 * (Y - LOGITS) ** 2)), rtol=1e-6)


def test_plain_lists_still_convert():
    out = tf.keras.losses.MeanSquaredError()([[1.0, 0.0]], [[0.5, 0.5]])
    np.testing.assert_allclose(float(out), 0.25)
