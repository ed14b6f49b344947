"""Sweep (nlp): metrics that return one scalar under a per-token mask or weights.

Expected numbers come from tf_keras 2.21 (Keras 2) run on the same inputs.
"""

import numpy as np
import pytest

import tork as tf
from tork.keras import layers, metrics


def test_mean_of_a_scalar_under_2d_weights_is_the_weighted_mean():
    # tf_keras: Mean().update_state(0.5, sample_weight=w (4, 8)); update_state(1.0)
    # -> result 0.515625, count 32.0 (sum(w) = 31, then one unweighted value).
    w = (np.arange(32, dtype="float32").reshape(4, 8) % 3).astype("float32")
    m = metrics.Mean()
    m.update_state(np.float32(0.5), sample_weight=w)
    m.update_state(np.float32(1.0))
    assert float(m.result()) == pytest.approx(0.515625)
    assert float(m.count) == 32.0


def test_scalar_metric_function_with_mask_weights():
    # tf_keras gives 1.25: the function's single value, whatever the weights.
    def fn(y_true, y_pred):
        eq = tf.cast(tf.equal(tf.cast(y_true, "float32"), y_pred), "float32")
        return tf.reduce_mean(eq) + 0.25

    m = metrics.MeanMetricWrapper(fn, name="f")
    m.update_state(
        np.zeros((2, 3)),
        np.zeros((2, 3), "float32"),
        sample_weight=np.array([[1.0, 0, 1], [0, 0, 1]], "float32"),
    )
    assert float(m.result()) == pytest.approx(1.25)


def test_scalar_custom_metric_in_masked_sequence_model_evaluates():
    # The NER pattern: Embedding(mask_zero=True) -> RNN(return_sequences) -> Dense, with a
    # custom metric that returns a single number; the mask reaches the metric as weights.
    def const_metric(y_true, y_pred):
        return tf.reduce_mean(tf.zeros_like(y_pred)) + 0.75

    inp = tf.keras.Input(shape=(5,), dtype="int32")
    x = layers.Embedding(10, 4, mask_zero=True)(inp)
    x = layers.SimpleRNN(3, return_sequences=True)(x)
    out = layers.Dense(4, activation="softmax")(x)
    model = tf.keras.Model(inp, out)
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=[const_metric])
    xs = np.array([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0]], "int32")
    ys = np.array([[1, 2, 3, 0, 0], [1, 1, 0, 0, 0]], "int32")
    logs = model.evaluate(xs, ys, return_dict=True, verbose=0)
    assert logs["const_metric"] == pytest.approx(0.75)


def test_unbroadcastable_weights_still_raise():
    with pytest.raises(ValueError, match=r"sample_weight of shape \(4, 8\) cannot be applied"):
        metrics.Mean().update_state(np.ones(4, "float32"), sample_weight=np.ones((4, 8), "float32"))


def test_per_sample_weights_with_mask_and_scalar_metric_match_tf_keras():
    # tf_keras 2.21 on this model and these weights: evaluate() ->
    # with sample_weight [1, 2, 0.5]: [1.60426, 0.75, 0.38089, 0.4]; without: [1.29421, 0.75,
    # 0.3758, 0.33333] (loss, scalar metric, per-token metric, accuracy).
    def const_metric(y_true, y_pred):
        return tf.reduce_mean(tf.zeros_like(y_pred)) + 0.75

    def per_tok(y_true, y_pred):
        return tf.reduce_max(y_pred, axis=-1)

    inp = tf.keras.Input(shape=(5,), dtype="int32")
    x = layers.Embedding(10, 4, mask_zero=True)(inp)
    x = layers.SimpleRNN(3, return_sequences=True)(x)
    out = layers.Dense(4, activation="softmax")(x)
    model = tf.keras.Model(inp, out)
    rng = np.random.RandomState(0)
    model.set_weights([rng.randn(*w.shape).astype("float32") * 0.5 for w in model.get_weights()])
    model.compile(
        loss="sparse_categorical_crossentropy",
        optimizer="adam",
        weighted_metrics=[const_metric, per_tok, "accuracy"],
    )
    xs = np.array([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0], [6, 0, 0, 0, 0]], "int32")
    ys = np.array([[1, 2, 3, 0, 0], [1, 1, 0, 0, 0], [2, 0, 0, 0, 0]], "int32")
    weighted = model.evaluate(xs, ys, sample_weight=np.array([1.0, 2.0, 0.5]), verbose=0)
    np.testing.assert_allclose(weighted, [1.60426, 0.75, 0.38089, 0.4], atol=2e-5)
    plain = model.evaluate(xs, ys, verbose=0)
    np.testing.assert_allclose(plain, [1.29421, 0.75, 0.3758, 0.33333], atol=2e-5)
