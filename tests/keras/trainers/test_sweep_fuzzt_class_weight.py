"""class_weight corners found by the fuzzt differential sweep against tf_keras 2.21."""

import numpy as np
import pytest

import tork as tf
from tork import keras

X = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)
Y = np.array([0, 1, 2, 0, 1, 2])
MATCH = r"`class_weight` has weights for classes 0 to 1, but the labels contain class 2"


def _model():
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(3, activation="softmax")], name="cw_model"
    )
    model.compile("sgd", "sparse_categorical_crossentropy")
    return model


def test_class_weight_missing_a_label_class_raises_in_fit():
    # tf_keras fails (a gather index out of range) when a label has no class weight; tork
    # weighed such samples 1.0 silently.
    with pytest.raises(ValueError, match=MATCH):
        _model().fit(X, Y, class_weight={0: 1.0, 1: 2.0}, verbose=0)


def test_class_weight_missing_a_label_class_raises_in_train_on_batch_and_datasets():
    model = _model()
    with pytest.raises(ValueError, match=MATCH):
        model.train_on_batch(X, Y, class_weight={0: 1.0, 1: 2.0})
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(3)
    with pytest.raises(ValueError, match=MATCH):
        model.fit(ds, class_weight={0: 1.0, 1: 2.0}, verbose=0)


def test_one_hot_labels_missing_a_class_weight_raise():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile("sgd", "categorical_crossentropy")
    with pytest.raises(ValueError, match=MATCH):
        model.fit(X, np.eye(3)[Y], class_weight={0: 1.0, 1: 2.0}, verbose=0)


def test_regression_like_labels_with_class_weight_raise_briefly():
    # Labels rounding to class 40 with a two-class dict: tf_keras fails in a gather.
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    y = np.array([0.0, 1.0, 40.2, 3.0, 1.0, 0.0], "float32")
    with pytest.raises(
        ValueError, match=r"contain class 40\. .*class_weight=\{0: 1\.0, 1: 1\.0, \.\.\.\}"
    ):
        model.fit(X, y, class_weight={0: 1.0, 1: 2.0}, verbose=0)


def test_complete_class_weight_still_trains():
    history = _model().fit(X, Y, class_weight={0: 1.0, 1: 2.0, 2: 0.5}, verbose=0)
    assert np.isfinite(history.history["loss"][0])
