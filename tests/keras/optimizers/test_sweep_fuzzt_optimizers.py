"""Differential sweep of optimizers against tf_keras 2.21 (helper fuzzt; /tmp/fuzzt/gen_optim.py)."""

import pytest

from tork import keras


def test_legacy_nadam_rejects_a_learning_rate_schedule():
    # tf_keras: "The Nadam optimizer does not support tf.keras.optimizers.LearningRateSchedules
    # as the learning rate." The non-legacy Nadam accepts one.
    schedule = keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5)
    with pytest.raises(
        ValueError, match="legacy Nadam .* LearningRateSchedule .* ExponentialDecay"
    ):
        keras.optimizers.legacy.Nadam(learning_rate=schedule)
    keras.optimizers.Nadam(learning_rate=schedule)
