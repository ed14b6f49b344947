"""`keras.datasets.cifar10`: CIFAR-10 small colour images in 10 classes."""

from __future__ import annotations

import os

import numpy as np

from tork.keras.datasets import _cifar
from tork.keras.utils.get_file import get_file

_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
_FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


def load_data():
    """Loads the CIFAR-10 dataset: 50,000 + 10,000 32x32 colour images.

    The classes are airplane, automobile, bird, cat, deer, dog, frog, horse,
    ship and truck (labels 0-9). The archive is cached and extracted in
    `~/.keras/datasets/cifar-10-batches-py`.

    Returns:
        Tuple of NumPy arrays `(x_train, y_train), (x_test, y_test)`: `x_*`
        are `uint8` arrays of shape `(50000, 32, 32, 3)` / `(10000, 32, 32, 3)`
        (channels first, `(N, 3, 32, 32)`, when
        `keras.backend.image_data_format()` is `"channels_first"`), `y_*` are
        `uint8` labels of shape `(50000, 1)` / `(10000, 1)`.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.cifar10.load_data()
    assert x_train.shape == (50000, 32, 32, 3) and y_train.shape == (50000, 1)
    ```
    """
    # Keras 3's cache layout (`extract=True`): the archive is `cifar-10-batches-py_archive`.
    path = get_file(
        fname="cifar-10-batches-py",
        origin=_ORIGIN,
        extract=True,
        archive_format="tar",
        file_hash=_FILE_HASH,
    )
    path = _cifar.find_dir(path, "cifar-10-batches-py", "data_batch_1")
    batches = [_cifar.load_batch(os.path.join(path, f"data_batch_{i}")) for i in range(1, 6)]
    x_train = np.concatenate([b[0] for b in batches])
    y_train = np.concatenate([b[1] for b in batches]).astype(np.uint8).reshape(-1, 1)
    x_test, y_test = _cifar.load_batch(os.path.join(path, "test_batch"))
    y_test = y_test.astype(np.uint8).reshape(-1, 1)
    return (_cifar.to_data_format(x_train), y_train), (_cifar.to_data_format(x_test), y_test)
