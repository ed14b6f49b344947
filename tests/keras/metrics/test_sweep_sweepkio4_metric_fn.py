"""Custom metric functions get Keras 2's argument preparation (keras.io EDSR example)."""

import numpy as np

import tork as tf
from tork import keras


def _mae_last_axis(y_true, y_pred):
    return tf.reduce_mean(tf.abs(y_true - y_pred), axis=-1)


def test_rank_difference_is_squeezed_not_broadcast():
    seen = []

    def fn(y_true, y_pred):
        seen.append((tuple(y_true.shape), tuple(y_pred.shape)))
        return _mae_last_axis(y_true, y_pred)

    m = keras.metrics.MeanMetricWrapper(fn)
    y_true = np.array([1, 2, 3, 4], dtype="int32")
    y_pred = np.array([[1.5], [2.0], [2.0], [5.0]], dtype="float32")
    m.update_state(y_true, y_pred)
    # |1-1.5| + |2-2| + |3-2| + |4-5| = 2.5 over 4 samples; broadcasting gave 1.4375.
    np.testing.assert_allclose(float(m.result()), 0.625, rtol=1e-6)
    assert seen == [((4, 1), (4, 1))]
    m.reset_state()
    m.update_state(y_pred, y_true)
    np.testing.assert_allclose(float(m.result()), 0.625, rtol=1e-6)


def test_arguments_are_cast_to_the_metric_dtype():
    dtypes = []

    def psnr(y_true, y_pred):
        dtypes.append((y_true.dtype, y_pred.dtype))
        return tf.image.psnr(y_true, y_pred, max_val=255)

    m = keras.metrics.MeanMetricWrapper(psnr)
    hr = np.full((2, 4, 4, 3), 100, dtype="uint8")
    pred = np.full((2, 4, 4, 3), 110.0, dtype="float32")
    m.update_state(hr, pred)
    assert dtypes == [(tf.float32, tf.float32)]
    # PSNR = 10 * log10(255^2 / 10^2)
    np.testing.assert_allclose(float(m.result()), 10 * np.log10(255.0**2 / 100.0), rtol=1e-5)


def test_compiled_custom_metric_with_rank_one_labels():
    inp = keras.Input((2,))
    model = keras.Model(inp, keras.layers.Dense(1)(inp))
    model.set_weights([np.array([[1.0], [0.5]], "float32"), np.array([0.1], "float32")])
    model.compile("sgd", "mse", metrics=[_mae_last_axis])
    x = np.arange(8, dtype="float32").reshape(4, 2)
    y = np.array([1, 2, 3, 4], dtype="int32")
    # Predictions 0.1 + x0 + 0.5 * x1: [0.6, 3.6, 6.6, 9.6]; TF 2.21 (tf_keras) gives
    # loss 11.76 and metric 2.8 (the old broadcasting result was 3.6).
    loss, mae = model.evaluate(x, y, verbose=0)
    np.testing.assert_allclose([loss, mae], [11.76, 2.8], rtol=1e-5)


def test_compiled_weighted_custom_metric_with_rank_one_labels():
    inp = keras.Input((2,))
    model = keras.Model(inp, keras.layers.Dense(1)(inp))
    model.set_weights([np.array([[1.0], [0.5]], "float32"), np.array([0.1], "float32")])
    model.compile("sgd", "mse", weighted_metrics=[_mae_last_axis])
    x = np.arange(8, dtype="float32").reshape(4, 2)
    y = np.array([1, 2, 3, 4], dtype="int32")
    weights = np.array([1.0, 0.0, 0.0, 2.0], "float32")
    # Errors |0.6-1| = 0.4 and |9.6-4| = 5.6 weighted 1 and 2: (0.4 + 11.2) / 3.
    # TF 2.21 (tf_keras) gives loss 15.72 and metric 3.8667.
    loss, mae = model.evaluate(x, y, sample_weight=weights, verbose=0)
    np.testing.assert_allclose([loss, mae], [15.72, 11.6 / 3], rtol=1e-5)


def test_string_labels_reach_fn_untouched():
    def exact_match(y_true, y_pred):
        return np.asarray(y_true == y_pred, dtype="float32")

    m = keras.metrics.MeanMetricWrapper(exact_match)
    m.update_state(np.array(["a", "b", "c"]), np.array(["a", "x", "c"]))
    np.testing.assert_allclose(float(m.result()), 2 / 3, rtol=1e-6)
