"""Keras 2 legacy optimizers return the LearningRateSchedule from `learning_rate`.

google/automl's EfficientDet `train_step` logs
`self.optimizer.learning_rate(self.optimizer.iterations)`: with
`tf.keras.optimizers.legacy.SGD(schedule)` (Keras 2's OptimizerV2), `learning_rate`
and `lr` are the schedule object itself. Checked in the reference env (TF 2.21,
tf_keras): `opt.learning_rate is schedule` and `opt.lr is schedule`.
"""

import numpy as np

import tork as tf


def _schedule():
    return tf.keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)


def test_legacy_learning_rate_is_the_schedule():
    for cls in (tf.keras.optimizers.legacy.SGD, tf.keras.optimizers.legacy.Adam):
        s = _schedule()
        opt = cls(s)
        assert opt.learning_rate is s
        assert opt.lr is s


def test_automl_style_lr_logging_in_train_step():
    opt = tf.keras.optimizers.legacy.SGD(_schedule(), momentum=0.9)
    v = tf.Variable([1.0, 2.0])
    for _ in range(3):
        opt.apply_gradients([(tf.constant([0.1, 0.1]), v)])
    lr = opt.learning_rate(opt.iterations)
    # ExponentialDecay: 0.1 * 0.5 ** (3 / 10)
    np.testing.assert_allclose(float(lr), 0.1 * 0.5**0.3, rtol=1e-6)


def test_float_rate_is_still_a_settable_variable():
    opt = tf.keras.optimizers.legacy.SGD(0.3)
    assert isinstance(opt.learning_rate, tf.Variable)
    np.testing.assert_allclose(float(opt.lr), 0.3, rtol=1e-6)
    opt.lr = 0.1
    np.testing.assert_allclose(float(opt.learning_rate), 0.1, rtol=1e-6)


def test_schedule_can_be_replaced():
    opt = tf.keras.optimizers.legacy.SGD(_schedule())
    opt.learning_rate = tf.keras.optimizers.schedules.ExponentialDecay(0.2, 10, 0.5)
    np.testing.assert_allclose(float(opt.learning_rate(0)), 0.2, rtol=1e-6)  # TF: 0.2


def test_loss_scale_optimizer_passes_the_schedule_through():
    s = _schedule()
    opt = tf.keras.mixed_precision.LossScaleOptimizer(tf.keras.optimizers.legacy.SGD(s))
    assert opt.learning_rate is s  # TF: True
