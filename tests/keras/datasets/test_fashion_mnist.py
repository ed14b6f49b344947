import gzip
import hashlib
import struct

import numpy as np
import pytest

import tork as tf
from tork.keras.datasets import fashion_mnist


def _write_idx(path, array):
    # idx format: two zero bytes, a type code (0x08 = unsigned byte), the rank,
    # then each dimension as a big-endian uint32, then the data.
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(">" + "I" * array.ndim, *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def test_fashion_mnist_parses_idx_files(keras_home, monkeypatch):
    rng = np.random.default_rng(1)
    data = {
        "train-labels-idx1-ubyte.gz": np.array([9, 0, 0, 3, 1], dtype=np.uint8),
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        "t10k-labels-idx1-ubyte.gz": np.array([2, 8, 7], dtype=np.uint8),
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
    }
    folder = keras_home / "datasets" / "fashion-mnist"
    folder.mkdir()
    hashes = {}
    for name, array in data.items():
        _write_idx(folder / name, array)
        hashes[name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    monkeypatch.setattr(fashion_mnist, "_FILE_HASHES", hashes)
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    assert x_train.shape == (5, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (5,) and y_train.dtype == np.uint8
    np.testing.assert_array_equal(x_train, data["train-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(y_train, data["train-labels-idx1-ubyte.gz"])
    np.testing.assert_array_equal(x_test, data["t10k-images-idx3-ubyte.gz"])
    np.testing.assert_array_equal(y_test, data["t10k-labels-idx1-ubyte.gz"])


def test_idx_reader_rejects_bad_magic_and_truncation(tmp_path):
    bad = tmp_path / "bad.gz"
    with gzip.open(bad, "wb") as f:
        f.write(b"PK\x03\x04rest")
    with pytest.raises(ValueError, match="not an idx file"):
        fashion_mnist._read_idx(str(bad))
    short = tmp_path / "short.gz"
    with gzip.open(short, "wb") as f:
        f.write(bytes([0, 0, 8, 1]) + struct.pack(">I", 10) + b"\x01\x02")
    with pytest.raises(ValueError, match=r"truncated.*\(10,\)"):
        fashion_mnist._read_idx(str(short))
