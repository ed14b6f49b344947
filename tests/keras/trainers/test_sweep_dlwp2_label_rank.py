"""Keras 2 gives 1-D labels a trailing axis before compiled losses/metrics (tf_keras
compile_utils.match_dtype_and_rank). Expected values from tf_keras 2.21."""

import numpy as np

import tork as tf
from tork import keras


class _MyMSE(keras.losses.Loss):
    def call(self, y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)


class _SumSq(keras.metrics.Metric):
    def __init__(self, name="sumsq", **kwargs):
        super().__init__(name=name, **kwargs)
        self.t = self.add_weight(name="t", initializer="zeros")
        self.n = self.add_weight(name="n", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        self.t.assign_add(tf.reduce_sum(tf.square(tf.cast(y_true, "float32") - y_pred)))
        self.n.assign_add(tf.cast(tf.shape(y_pred)[0], "float32"))

    def result(self):
        return self.t / self.n


def test_custom_loss_and_metric_see_labels_with_a_trailing_axis():
    x = np.arange(8, dtype="float32").reshape(8, 1)
    y = np.arange(8, dtype="float32") * 2.0  # (8,) against (8, 1) predictions
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.set_weights([np.array([[1.0]], "float32"), np.zeros(1, "float32")])
    model.compile("sgd", loss=_MyMSE(), metrics=[_SumSq()])
    # Row-wise: mean(i**2 for i in 0..7) = 17.5 (a (8, 8) broadcast gives 38.5 / 308).
    np.testing.assert_allclose(model.evaluate(x, y, batch_size=8, verbose=0), [17.5, 17.5])


def test_metric_receives_uint8_labels_as_batch_by_one():
    seen = []

    class Probe(keras.metrics.Metric):
        def update_state(self, y_true, y_pred, sample_weight=None):
            seen.append((tuple(y_true.shape), y_true.dtype))

        def result(self):
            return tf.constant(0.0)

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(10)])
    model.compile("sgd", loss="sparse_categorical_crossentropy", metrics=[Probe(name="p")])
    model.evaluate(np.zeros((8, 4), "float32"), np.zeros((8,), "uint8"), batch_size=8, verbose=0)
    assert seen[0] == ((8, 1), tf.uint8)  # tf_keras: (8, 1) uint8 (int vs float: no cast)


def test_metric_strings_named_as_keras_2():
    # tf_keras 2.21, binary model with every weight 1 on this data: 'Accuracy' and 'ACC'
    # resolve to binary accuracy (0.25) and log under the string as given; metric
    # classes given by class name keep their own names.
    x = np.linspace(-1, 1, 24).reshape(8, 3).astype("float32")
    y = np.array([0, 1, 1, 1, 0, 0, 1, 0]).astype("float32")
    for metrics, expected in [
        (["Accuracy"], {"Accuracy": 0.25}),
        (["ACC"], {"ACC": 0.25}),
        (
            ["AUC", "Precision", "RootMeanSquaredError", "mae", "MeanSquaredError"],
            {
                "auc": 0.375,
                "precision": 0.25,
                "root_mean_squared_error": 0.6659,
                "mae": 0.5901,
                "mean_squared_error": 0.4435,
            },
        ),
    ]:
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
        model.set_weights([np.ones((3, 1), "float32"), np.zeros(1, "float32")])
        model.compile("sgd", "binary_crossentropy", metrics=metrics)
        logs = model.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
        assert list(logs) == ["loss", *expected]
        np.testing.assert_allclose(logs["loss"], 1.2234, atol=1e-4)
        for name, value in expected.items():
            np.testing.assert_allclose(logs[name], value, atol=1e-4)
