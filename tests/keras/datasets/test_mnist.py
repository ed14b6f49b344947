import hashlib
import urllib.error

import numpy as np
import pytest

import tork as tf
from tork.keras.datasets import mnist


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_mnist_reads_cached_npz(keras_home, monkeypatch):
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (6, 28, 28), dtype=np.uint8),
        "y_train": np.array([5, 0, 4, 1, 9, 2], dtype=np.uint8),
        "x_test": rng.integers(0, 256, (2, 28, 28), dtype=np.uint8),
        "y_test": np.array([7, 2], dtype=np.uint8),
    }
    path = keras_home / "datasets" / "mnist.npz"
    np.savez(path, **arrays)
    monkeypatch.setattr(mnist, "_FILE_HASH", _sha256(path))
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    assert x_train.shape == (6, 28, 28) and x_train.dtype == np.uint8
    assert y_train.dtype == np.uint8 and y_test.shape == (2,)
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    np.testing.assert_array_equal(y_train, arrays["y_train"])
    np.testing.assert_array_equal(x_test, arrays["x_test"])
    np.testing.assert_array_equal(y_test, arrays["y_test"])


def test_mnist_offline_error_names_url_and_cache_path(keras_home, monkeypatch):
    # A cached file with the wrong hash is re-downloaded; offline, that fails clearly.
    def offline(*args, **kwargs):
        raise urllib.error.URLError(OSError(-3, "Temporary failure in name resolution"))

    monkeypatch.setattr("urllib.request.urlopen", offline)
    path = keras_home / "datasets" / "mnist.npz"
    path.write_bytes(b"not mnist")
    with pytest.raises(OSError, match="tf-keras-datasets/mnist.npz") as info:
        mnist.load_data()
    assert str(path) in str(info.value)
    assert "hash does not match" in str(info.value)
    assert "name resolution" in str(info.value)
    assert path.read_bytes() == b"not mnist"  # a failed download keeps the cached file
