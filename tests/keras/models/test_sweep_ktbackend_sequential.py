"""Sweep of tf_keras's regularizers tests: a Sequential's activity-regularizer losses.

Reference counts from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) in the reference env.
"""

import numpy as np

import tork as tf

keras = tf.keras


def test_sequential_lists_activity_losses_before_training():
    # tf_keras: 1 (a symbolic tensor); tork listed none until the first real call.
    model = keras.Sequential(
        [keras.layers.Dense(2, input_shape=(5,), activity_regularizer="l2")], name="seq_a"
    )
    assert len(model.losses) == 1
    model = keras.Sequential(
        [
            keras.Input((5,)),
            keras.layers.Dense(2, activity_regularizer="l2", kernel_regularizer="l1"),
        ],
        name="seq_b",
    )
    assert len(model.losses) == 2


def test_sequential_losses_after_training_are_real_values():
    model = keras.Sequential(
        [
            keras.Input((5,)),
            keras.layers.Dense(2, activity_regularizer="l2", kernel_regularizer="l1"),
        ],
        name="seq_c",
    )
    model.set_weights([np.full((5, 2), 0.1, "float32"), np.zeros(2, "float32")])
    model.compile("sgd", "mse")
    model(np.ones((4, 5), "float32"))
    losses = model.losses
    assert len(losses) == 2  # tf_keras: 2 as well
    values = sorted(float(v) for v in losses)
    # l1 kernel: 0.01 * sum(abs(w)) = 0.01 * 10 * 0.1; l2 activity (y = 0.5 everywhere):
    # 0.01 * sum(y^2) / batch = 0.01 * (8 * 0.25) / 4, as Keras 2 divides by the batch.
    np.testing.assert_allclose(values, [0.005, 0.01], rtol=1e-5)


def test_unbuilt_sequential_has_no_losses_until_called():
    # tf_keras: 0, then 1 after a call.
    model = keras.Sequential([keras.layers.Dense(2, activity_regularizer="l2")], name="seq_d")
    assert len(model.losses) == 0
    model(np.ones((1, 5), "float32"))
    assert len(model.losses) == 1
