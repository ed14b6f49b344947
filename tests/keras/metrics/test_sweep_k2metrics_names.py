"""Default metric names for the first and second instance, as tf_keras 2.21 gives them."""

import pytest

from tork import keras

# tf_keras 2.21 (a fresh process): (first instance, second instance).
NAMES = [
    ("Mean", {}, "mean", "mean"),
    ("Sum", {}, "sum", "sum"),
    ("AUC", {}, "auc", "auc_1"),
    ("Precision", {}, "precision", "precision_1"),
    ("Recall", {}, "recall", "recall_1"),
    ("Accuracy", {}, "accuracy", "accuracy"),
    ("BinaryAccuracy", {}, "binary_accuracy", "binary_accuracy"),
    ("MeanSquaredError", {}, "mean_squared_error", "mean_squared_error"),
    ("KLDivergence", {}, "kullback_leibler_divergence", "kullback_leibler_divergence"),
    ("LogCoshError", {}, "logcosh", "logcosh"),
    ("MeanIoU", {"num_classes": 2}, "mean_io_u", "mean_io_u_1"),
    ("TruePositives", {}, "true_positives", "true_positives_1"),
    ("PrecisionAtRecall", {"recall": 0.5}, "precision_at_recall", "precision_at_recall_1"),
    ("MeanRelativeError", {"normalizer": [1.0]}, "mean_relative_error", "mean_relative_error_1"),
    ("MeanTensor", {}, "mean_tensor", "mean_tensor"),
    ("R2Score", {}, "r2_score", "r2_score"),
    ("F1Score", {}, "f1_score", "f1_score"),
    ("BinaryIoU", {}, "binary_io_u", "binary_io_u_1"),
]


@pytest.mark.parametrize("cls, kwargs, first, second", NAMES)
def test_default_names(cls, kwargs, first, second):
    keras.backend.clear_session()
    make = getattr(keras.metrics, cls)
    assert make(**kwargs).name == first
    assert make(**kwargs).name == second


def test_mean_metric_wrapper_is_named_after_its_class():
    keras.backend.clear_session()

    def my_fn(y_true, y_pred):
        return y_pred

    # tf_keras 2.21 (and Keras 3): mean_metric_wrapper, mean_metric_wrapper_1, not 'my_fn'.
    assert keras.metrics.MeanMetricWrapper(my_fn).name == "mean_metric_wrapper"
    assert keras.metrics.MeanMetricWrapper(my_fn).name == "mean_metric_wrapper_1"
    assert keras.metrics.MeanMetricWrapper(my_fn, name="fn").name == "fn"


def test_mean_metric_wrapper_subclass_is_named_after_the_subclass():
    keras.backend.clear_session()

    class MyAccuracy(keras.metrics.MeanMetricWrapper):
        def __init__(self, **kwargs):
            super().__init__(keras.metrics.binary_accuracy, **kwargs)

    assert MyAccuracy().name == "my_accuracy"
    assert MyAccuracy().name == "my_accuracy_1"


def test_compile_names_a_function_wrapper_after_the_function():
    import numpy as np

    def my_fn(y_true, y_pred):
        return y_pred[:, 0]

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=[my_fn, keras.metrics.MeanMetricWrapper(my_fn)])
    keras.backend.clear_session()
    logs = model.evaluate(
        np.ones((4, 2), "float32"), np.ones((4, 1), "float32"), verbose=0, return_dict=True
    )
    # tf_keras 2.21 logs the function under its name, the wrapper under its own.
    assert list(logs)[:2] == ["loss", "my_fn"]
    assert list(logs)[2].startswith("mean_metric_wrapper")
