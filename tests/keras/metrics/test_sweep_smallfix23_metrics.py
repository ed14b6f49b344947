"""keras.metrics.deserialize of names, as tf_keras 2.21 (reference env) gives them."""

import pytest

import tork as tf
from tork import keras

metrics = keras.metrics
losses = keras.losses


@pytest.mark.parametrize(
    "name, function",
    # tf_keras: metrics.deserialize(name) is the function named.
    [
        ("mae", losses.mean_absolute_error),
        ("MAE", losses.mean_absolute_error),
        ("mse", losses.mean_squared_error),
        ("mape", losses.mean_absolute_percentage_error),
        ("mean_squared_error", losses.mean_squared_error),
        ("categorical_crossentropy", losses.categorical_crossentropy),
        ("binary_accuracy", metrics.binary_accuracy),
        ("sparse_categorical_accuracy", metrics.sparse_categorical_accuracy),
        ("top_k_categorical_accuracy", metrics.top_k_categorical_accuracy),
        ("accuracy", metrics.accuracy),
        ("acc", metrics.accuracy),
        ("cosine_similarity", metrics.cosine_similarity),
        ("cosine_proximity", metrics.cosine_similarity),
        ("logcosh", losses.log_cosh),
        ("poisson", losses.poisson),
        ("hinge", losses.hinge),
    ],
)
def test_deserialize_function_names_gives_functions(name, function):
    assert metrics.deserialize(name) is function
    assert metrics.get(name) is function


@pytest.mark.parametrize(
    "name, cls",
    [
        # tf_keras: instances for class names.
        ("MeanSquaredError", metrics.MeanSquaredError),
        ("AUC", metrics.AUC),
        # tf_keras hands these back as strings; tork gives the class's instance.
        ("auc", metrics.AUC),
        ("precision", metrics.Precision),
    ],
)
def test_deserialize_class_names_gives_instances(name, cls):
    assert isinstance(metrics.deserialize(name), cls)


def test_losses_deserialize_names():
    # tf_keras: losses.deserialize('mse') is the function; 'Huber' an instance.
    assert losses.deserialize("mse") is losses.mean_squared_error
    assert losses.deserialize("mae") is losses.mean_absolute_error
    assert losses.deserialize("logcosh") is losses.log_cosh
    assert isinstance(losses.deserialize("Huber"), losses.Huber)


class _CountAbove(metrics.Metric):
    """A Keras 2 style custom metric that reads its private `_dtype`."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.count = self.add_weight(name="count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        assert self._dtype == "float32" and self._compute_dtype == "float32"
        self.count.assign_add(tf.reduce_sum(tf.cast(y_pred > 0.5, self._dtype)))

    def result(self):
        return self.count


def test_metric_private_dtype_is_a_name():
    # tf_keras: Mean()._dtype == 'float32' (a str), and so is _compute_dtype.
    mean = metrics.Mean()
    assert isinstance(mean._dtype, str) and mean._dtype == "float32"
    assert mean._compute_dtype == "float32"
    assert metrics.Mean(dtype="float64")._dtype == "float64"
    m = _CountAbove()
    m.update_state([0.0, 0.0, 0.0], [0.2, 0.7, 0.9])
    assert float(m.result()) == 2.0
