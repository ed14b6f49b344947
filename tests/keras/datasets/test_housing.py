import hashlib

import numpy as np
import pytest

import tork as tf
from tork.keras.datasets import boston_housing, california_housing


def _write(home, name, module, n, features):
    x = np.arange(n * features, dtype=np.float64).reshape(n, features)
    y = np.arange(n, dtype=np.float64) * 10
    path = home / "datasets" / name
    np.savez(path, x=x, y=y)
    return x, y, hashlib.sha256(path.read_bytes()).hexdigest()


def test_boston_housing(keras_home, monkeypatch):
    x, y, digest = _write(keras_home, "boston_housing.npz", boston_housing, 10, 13)
    monkeypatch.setattr(boston_housing, "_FILE_HASH", digest)
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.boston_housing.load_data(
        test_split=0.3, seed=7
    )
    order = np.arange(10)
    np.random.RandomState(7).shuffle(order)
    assert x_train.shape == (7, 13) and x_test.shape == (3, 13) and y_train.shape == (7,)
    np.testing.assert_array_equal(x_train, x[order[:7]])
    np.testing.assert_array_equal(y_test, y[order[7:]])


def test_california_housing_small(keras_home, monkeypatch):
    x, y, digest = _write(keras_home, "california_housing.npz", california_housing, 700, 8)
    monkeypatch.setattr(california_housing, "_FILE_HASH", digest)
    (x_train, y_train), (x_test, y_test) = california_housing.load_data(version="small")
    order = np.arange(600)
    np.random.RandomState(113).shuffle(order)
    assert x_train.shape == (480, 8) and x_test.shape == (120, 8)
    np.testing.assert_array_equal(y_train, y[order[:480]])
    np.testing.assert_array_equal(x_test, x[order[480:]])


def test_california_housing_bad_version():
    with pytest.raises(ValueError, match="one of 'small', 'large'. Received: version='tiny'"):
        california_housing.load_data(version="tiny")
