"""Sweep of Keras 2's metrics_correctness_test (keras-team/tf-keras): reported losses.

Reference values come from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) on the same model and data.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = np.asarray([[1.0], [2.0], [3.0], [4.0], [5.0]])
Y = 2 * X + 1


def _model(reduction="none"):
    model = keras.Sequential([keras.layers.Dense(1, kernel_initializer="ones", input_shape=(1,))])
    model.compile(
        optimizer=keras.optimizers.SGD(0.01),
        loss=keras.losses.MeanSquaredError(reduction=reduction),
    )
    return model


def test_none_reduction_loss_is_logged_as_keras2_with_a_short_last_batch():
    # tf_keras: the loss tracker takes each batch's per-sample losses weighted by the batch
    # size, so batches of 2, 2, 1 log [10.066715, 0.548575] (tork logged each batch's mean
    # weighted once: [9.5513, 0.4989]); the weights (the sum's gradient) agree.
    model = _model()
    history = model.fit(X, Y, batch_size=2, epochs=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(
        history.history["loss"], [10.066715240478516, 0.5485748648643494], rtol=1e-5
    )
    np.testing.assert_allclose(model.get_weights()[0].ravel(), [2.1050896644592285], rtol=1e-5)
    np.testing.assert_allclose(model.get_weights()[1], [0.3649260997772217], rtol=1e-5)
    assert model.evaluate(X, Y, batch_size=2, verbose=0) == pytest.approx(
        0.13684561848640442, rel=1e-5
    )


def test_none_reduction_loss_with_sample_weight():
    # tf_keras: [35.40766143798828].
    history = _model().fit(
        X,
        Y,
        batch_size=2,
        epochs=1,
        shuffle=False,
        verbose=0,
        sample_weight=np.array([1.0, 2, 3, 4, 5]),
    )
    np.testing.assert_allclose(history.history["loss"], [35.40766143798828], rtol=1e-5)


def _multi_output(loss):
    inp1 = keras.layers.Input(shape=(1,), name="input_1")
    inp2 = keras.layers.Input(shape=(1,), name="input_2")
    shared = keras.layers.Dense(3, kernel_initializer="ones", trainable=False)
    out1 = keras.layers.Dense(1, kernel_initializer="ones", name="output_1", trainable=False)
    out2 = keras.layers.Dense(1, kernel_initializer="ones", name="output_2", trainable=False)
    model = keras.Model([inp1, inp2], [out1(shared(inp1)), out2(shared(inp2))])
    model.compile(optimizer="rmsprop", loss=loss)
    return model


def test_none_reduction_per_output_losses():
    # tf_keras: loss 110.0, output_1_loss 45.556, output_2_loss 64.444 (batches 2, 2, 1).
    model = _multi_output(keras.losses.MeanSquaredError(reduction="none"))
    weights = {
        "output_1": np.asarray([2.0, 3.0, 4.0, 5.0, 6.0]),
        "output_2": np.asarray([3.5, 2.5, 1.5, 0.5, 3.0]),
    }
    result = model.evaluate([X, X], [2 * X, X], batch_size=2, sample_weight=weights, verbose=0)
    np.testing.assert_allclose(result, [110.0, 45.556, 64.444], atol=1e-3)
