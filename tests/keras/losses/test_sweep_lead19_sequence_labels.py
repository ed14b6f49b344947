"""One label per sample against a sequence of single values, as Keras 2 trains it.

A return_sequences model ending in Dense(1) gives (N, T, 1); labels (N, 1) (one target
per window, lmoroney's time-series course) are broadcast over the steps: Keras 2 squeezes
the predictions to (N, T) and subtracts. Values from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1)
with tensors y_true [[1], [2]] and y_pred range(6).reshape(2, 3, 1) / 10 (and with the
label 0 on the second row for the metrics).
"""

import numpy as np
import pytest

import tork as tf

Y_TRUE = np.array([[1.0], [2.0]], "float32")
Y_PRED = np.arange(6, dtype="float32").reshape(2, 3, 1)


@pytest.mark.parametrize(
    "loss, expected",
    [
        (tf.keras.losses.MeanSquaredError(), 1.69167),
        (tf.keras.losses.MeanAbsoluteError(), 1.25),
        (tf.keras.losses.Huber(), 0.75417),
        (tf.keras.losses.BinaryCrossentropy(), 3.90052),
    ],
)
def test_loss_classes_broadcast_the_label_over_the_steps(loss, expected):
    value = float(loss(tf.constant(Y_TRUE), tf.constant(Y_PRED / 10)))
    assert value == pytest.approx(expected, abs=2e-5)


def test_functions_broadcast_per_sample():
    # mean over the steps of (p - y)**2: ((0-1)^2 + 0 + 1) / 3 and (1 + 4 + 9) / 3.
    values = tf.keras.losses.mean_squared_error(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(np.asarray(values), [2 / 3, 14 / 3], rtol=1e-6)


def test_evaluate_with_one_label_per_window():
    model = tf.keras.Sequential(
        [tf.keras.layers.Conv1D(1, 1, input_shape=(3, 1), kernel_initializer="ones")]
    )
    model.compile("sgd", "mse", metrics=["mae"])
    loss, mae = model.evaluate(Y_PRED, Y_TRUE, verbose=0)
    assert loss == pytest.approx(8 / 3, rel=1e-6)
    assert mae == pytest.approx(4 / 3, rel=1e-6)


@pytest.mark.parametrize("jit", [False, True])
def test_fit_a_sequence_model_on_window_labels(jit):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 5, 2)).astype("float32")
    y = (rng.uniform(size=(8, 1)) > 0.5).astype("float32")
    model = tf.keras.Sequential(
        [
            tf.keras.layers.SimpleRNN(3, return_sequences=True, input_shape=(5, 2)),
            tf.keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.set_weights(
        [np.full(w.shape, 0.1 * (i + 1), "float32") for i, w in enumerate(model.get_weights())]
    )
    model.compile(
        tf.keras.optimizers.SGD(0.1),
        "binary_crossentropy",
        metrics=["accuracy", "mae"],
        jit_compile=jit,
    )
    history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0).history
    # tf_keras 2.21 with the same data and weights.
    np.testing.assert_allclose(history["loss"], [0.56719, 0.5658], atol=2e-5)
    np.testing.assert_allclose(history["accuracy"], [0.75, 0.75])
    np.testing.assert_allclose(history["mae"], [0.37925, 0.37849], atol=2e-5)


def test_cosine_normalizes_the_label_before_broadcasting():
    y_true = tf.constant([[1.0], [0.0]])
    y_pred = tf.constant(np.arange(6, dtype="float32").reshape(2, 3, 1) / 6)
    metric = tf.keras.metrics.CosineSimilarity()
    metric.update_state(y_true, y_pred)
    assert float(metric.result()) == pytest.approx(0.67082, abs=2e-5)


@pytest.mark.parametrize(
    "metric",
    [tf.keras.metrics.AUC, tf.keras.metrics.Precision, tf.keras.metrics.R2Score],
)
def test_metrics_that_need_equal_shapes_still_refuse(metric):
    # tf_keras raises "Shapes (2, 3) and (2, 1) are incompatible" (R2Score: "expects 2D
    # inputs").
    y_true = tf.constant([[1.0], [0.0]])
    y_pred = tf.constant(np.arange(6, dtype="float32").reshape(2, 3, 1) / 6)
    with pytest.raises(ValueError, match=r"labels of shape \(2, 1\)"):
        metric().update_state(y_true, y_pred)


def test_other_mismatches_still_raise():
    with pytest.raises(ValueError, match="outputs a sequence"):
        tf.keras.losses.MeanSquaredError()(Y_TRUE[:, 0], Y_PRED)
    with pytest.raises(ValueError, match="look like integer class indices"):
        tf.keras.losses.MeanSquaredError()(Y_TRUE, Y_PRED[:, :, 0])
