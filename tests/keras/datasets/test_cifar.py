import hashlib
import io
import pickle
import tarfile

import numpy as np
import pytest

import tork as tf
from tork.keras.datasets import cifar10, cifar100


def _add(tar, name, obj):
    data = pickle.dumps(obj, protocol=2)
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _images(rng, n):
    return rng.integers(0, 256, (n, 3072), dtype=np.uint8)


def test_cifar10_reads_the_python_archive(keras_home, monkeypatch):
    rng = np.random.default_rng(2)
    batches = [(_images(rng, 2), [i, (i + 1) % 10]) for i in range(5)]
    test = (_images(rng, 3), [9, 8, 7])
    archive = keras_home / "datasets" / "cifar-10-batches-py_archive"
    with tarfile.open(archive, "w:gz") as tar:
        for i, (data, labels) in enumerate(batches, 1):
            _add(tar, f"cifar-10-batches-py/data_batch_{i}", {b"data": data, b"labels": labels})
        _add(tar, "cifar-10-batches-py/test_batch", {b"data": test[0], b"labels": test[1]})
    monkeypatch.setattr(cifar10, "_FILE_HASH", hashlib.sha256(archive.read_bytes()).hexdigest())

    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3) and x_train.dtype == np.uint8
    assert y_train.shape == (10, 1) and y_train.dtype == np.uint8
    assert x_test.shape == (3, 32, 32, 3) and y_test.dtype == np.uint8
    # Rows are 1024 red, then 1024 green, then 1024 blue values, each row-major 32x32.
    first = batches[0][0][1]
    assert x_train[1, 4, 7, 0] == first[4 * 32 + 7]
    assert x_train[1, 4, 7, 1] == first[1024 + 4 * 32 + 7]
    assert x_train[1, 31, 0, 2] == first[2048 + 31 * 32]
    np.testing.assert_array_equal(y_train[:, 0], [0, 1, 1, 2, 2, 3, 3, 4, 4, 5])
    np.testing.assert_array_equal(y_test[:, 0], [9, 8, 7])
    assert (keras_home / "datasets" / "cifar-10-batches-py").is_dir()
    # Second call: the extracted directory is reused (no archive needed).
    archive.unlink()
    (x2, _), _ = cifar10.load_data()
    np.testing.assert_array_equal(x2, x_train)


def test_cifar10_channels_first(keras_home, monkeypatch):
    rng = np.random.default_rng(3)
    folder = keras_home / "datasets" / "cifar-10-batches-py"  # a Keras 2 style cache
    folder.mkdir()
    data = _images(rng, 1)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        (folder / name).write_bytes(pickle.dumps({b"data": data, b"labels": [4]}, protocol=2))
    monkeypatch.setattr(tf.keras.backend, "_IMAGE_DATA_FORMAT", "channels_first")
    (x_train, _), _ = cifar10.load_data()
    np.testing.assert_array_equal(x_train[0], data.reshape(3, 32, 32))


def test_cifar_pickle_refuses_code(tmp_path):
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    path = tmp_path / "data_batch_1"
    path.write_bytes(pickle.dumps({b"data": Evil()}))
    from tork.keras.datasets import _cifar

    with pytest.raises(pickle.UnpicklingError, match="Refusing to load builtins.print"):
        _cifar.load_batch(str(path))


@pytest.mark.parametrize("label_mode", ["fine", "coarse"])
def test_cifar100_label_modes(keras_home, monkeypatch, label_mode):
    rng = np.random.default_rng(4)
    train = {
        b"data": _images(rng, 4),
        b"fine_labels": [99, 0, 50, 7],
        b"coarse_labels": [19, 0, 3, 1],
    }
    test = {b"data": _images(rng, 2), b"fine_labels": [1, 2], b"coarse_labels": [5, 6]}
    archive = keras_home / "datasets" / "cifar-100-python-target_archive"
    with tarfile.open(archive, "w:gz") as tar:
        _add(tar, "cifar-100-python/train", train)
        _add(tar, "cifar-100-python/test", test)
    monkeypatch.setattr(cifar100, "_FILE_HASH", hashlib.sha256(archive.read_bytes()).hexdigest())
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.cifar100.load_data(label_mode)
    key = label_mode.encode() + b"_labels"
    assert x_train.shape == (4, 32, 32, 3) and y_train.shape == (4, 1)
    np.testing.assert_array_equal(y_train[:, 0], train[key])
    np.testing.assert_array_equal(y_test[:, 0], test[key])
    np.testing.assert_array_equal(x_test[1], test[b"data"][1].reshape(3, 32, 32).transpose(1, 2, 0))


def test_cifar100_rejects_unknown_label_mode():
    with pytest.raises(ValueError, match='one of "fine", "coarse".*label_mode=\'medium\''):
        cifar100.load_data("medium")
