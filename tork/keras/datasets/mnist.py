"""`keras.datasets.mnist`: the MNIST handwritten digits."""

from __future__ import annotations

import numpy as np

from tork.keras.datasets import _common
from tork.keras.utils.get_file import get_file

_FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path: str = "mnist.npz"):
    """Loads the MNIST dataset: 60,000 + 10,000 28x28 grayscale digit images.

    Args:
        path: file name of the cached copy (relative to `~/.keras/datasets`).

    Returns:
        Tuple of NumPy arrays `(x_train, y_train), (x_test, y_test)`: `x_*`
        are `uint8` arrays of shape `(60000, 28, 28)` / `(10000, 28, 28)` with
        pixel values 0-255, `y_*` are `uint8` digit labels of shape `(60000,)`
        / `(10000,)`.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    assert x_train.shape == (60000, 28, 28)
    ```
    """
    path = get_file(fname=path, origin=_common.ORIGIN + "mnist.npz", file_hash=_FILE_HASH)
    with np.load(path, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
