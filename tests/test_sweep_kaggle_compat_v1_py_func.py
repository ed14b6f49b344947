"""TF 1's tf.compat.v1.py_func is TF 2's numpy_function (kaggle sweep; TGS Salt IoU metrics)."""

import numpy as np

import tork as tf


def test_py_func_is_numpy_function():
    # TF 2.21: tf.compat.v1.py_func(f, [a, b], tf.float64) gives f's NumPy result as a tensor.
    calls = []

    def f(a, b):
        calls.append((type(a), type(b)))
        return (a * b).astype(np.float64)

    out = tf.compat.v1.py_func(f, [tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])], tf.float64)
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), [3.0, 8.0])
    assert calls == [(np.ndarray, np.ndarray)]


def test_py_func_iou_metric_in_fit():
    # The TGS-salt kernels' `my_iou_metric`. tf_keras 2.21 gives {'loss': 0.75,
    # 'my_iou_metric': 0.05}: predictions are all 1; image 0's IoU is (8 + 1e-10) / (16 + 1e-10),
    # just above the first threshold 0.5 (1 of 10), image 1's is ~0: mean 0.05.
    def get_iou_vector(a, b):
        metric = []
        for t, p in zip(a > 0, b > 0):
            iou = (np.sum(t & p) + 1e-10) / (np.sum(t | p) + 1e-10)
            metric.append(np.mean([iou > th for th in np.arange(0.5, 1, 0.05)]))
        return np.mean(metric)

    def my_iou_metric(label, pred):
        return tf.compat.v1.py_func(get_iou_vector, [label, pred > 0.5], tf.float64)

    y = np.zeros((2, 4, 4, 1), "float32")
    y[0, :2] = 1
    model = tf.keras.Sequential([tf.keras.layers.Conv2D(1, 1, input_shape=(4, 4, 1))])
    model.set_weights([np.zeros((1, 1, 1, 1), "float32"), np.ones(1, "float32")])
    model.compile("sgd", "mse", metrics=[my_iou_metric])
    logs = model.evaluate(y, y, verbose=0, return_dict=True)
    np.testing.assert_allclose([logs["loss"], logs["my_iou_metric"]], [0.75, 0.05], atol=1e-6)
