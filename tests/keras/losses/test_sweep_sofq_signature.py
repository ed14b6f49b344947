"""Loss and metric functions with extra arguments (SO "custom loss with 3 arguments")."""

import numpy as np
import pytest

import tork as tf
from tork import keras


def _model():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
    return model


def test_loss_function_with_an_extra_argument_explains_closures():
    def weighted(y_true, y_pred, w):
        return tf.reduce_mean(w * tf.square(y_true - y_pred))

    model = _model()
    model.compile("sgd", weighted)
    # tf_keras: "TypeError: ... tf__weighted() missing 1 required positional argument: 'w'".
    with pytest.raises(
        TypeError,
        match=r"Loss function 'weighted\(y_true, y_pred, w\)' cannot be called as "
        r"weighted\(y_true, y_pred\).*missing 1 required positional argument: 'w'.*closure"
        r".*loss=make_loss\(w\)",
    ):
        model.evaluate(np.ones((2, 3)), np.ones((2, 1)), verbose=0)


def test_metric_function_with_an_extra_argument_explains_closures():
    def thresholded(y_true, y_pred, threshold):
        return y_pred

    model = _model()
    model.compile("sgd", "mse", metrics=[thresholded])
    with pytest.raises(
        TypeError,
        match=r"Metric function 'thresholded\(y_true, y_pred, threshold\)'.*"
        r"metrics=\[make_metric\(w\)\]",
    ):
        model.evaluate(np.ones((2, 3)), np.ones((2, 1)), verbose=0)


def test_type_error_inside_a_well_formed_loss_is_left_alone():
    def broken(y_true, y_pred):
        return tf.reduce_mean(y_true, 1, 2, 3, 4, 5)

    model = _model()
    model.compile("sgd", broken)
    with pytest.raises(TypeError, match="positional argument") as info:
        model.evaluate(np.ones((2, 3)), np.ones((2, 1)), verbose=0)
    assert "cannot be called as" not in str(info.value)


def test_closure_fix_trains_as_tf():
    def make_loss(w):
        def loss(y_true, y_pred):
            return tf.reduce_mean(w * tf.square(y_true - y_pred))

        return loss

    model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,), kernel_initializer="ones")])
    model.compile("sgd", make_loss(2.0))
    x = np.arange(6, dtype="float32").reshape(2, 3)
    # predictions 3 and 12 against labels 1 and 2: 2 * mean(4, 100) = 104.
    assert model.evaluate(x, np.array([[1.0], [2.0]]), verbose=0) == pytest.approx(104.0)
