"""`keras.datasets.fashion_mnist`: Zalando's Fashion-MNIST clothing images."""

from __future__ import annotations

import gzip
import os

import numpy as np

from tork.keras.datasets import _common
from tork.keras.utils.get_file import get_file

_FILE_HASHES = {
    "train-labels-idx1-ubyte.gz": (
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"
    ),
    "train-images-idx3-ubyte.gz": (
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"
    ),
    "t10k-labels-idx1-ubyte.gz": (
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"
    ),
    "t10k-images-idx3-ubyte.gz": (
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"
    ),
}

# idx type codes (third byte of the magic number) -> big-endian NumPy dtypes.
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def _read_idx(path: str) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_DTYPES:
        raise ValueError(f"{path} is not an idx file (bad magic number {data[:4]!r}).")
    dtype, ndim = _IDX_DTYPES[data[2]], data[3]
    shape = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    array = np.frombuffer(data, dtype=dtype, offset=4 + 4 * ndim)
    if array.size != int(np.prod(shape)):
        raise ValueError(
            f"{path} is truncated: its header says shape {shape} but it holds {array.size} values."
        )
    return array.reshape(shape).astype(dtype.newbyteorder("="), copy=False)


def load_data():
    """Loads the Fashion-MNIST dataset: 60,000 + 10,000 28x28 grayscale images.

    The 10 classes are T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal,
    Shirt, Sneaker, Bag and Ankle boot (labels 0-9). The four idx files are
    cached in `~/.keras/datasets/fashion-mnist`.

    Returns:
        Tuple of NumPy arrays `(x_train, y_train), (x_test, y_test)`: `x_*`
        are `uint8` arrays of shape `(60000, 28, 28)` / `(10000, 28, 28)`,
        `y_*` are `uint8` labels of shape `(60000,)` / `(10000,)`.

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.fashion_mnist.load_data()
    assert x_train.shape == (60000, 28, 28)
    ```
    """
    subdir = os.path.join("datasets", "fashion-mnist")
    arrays = [
        _read_idx(
            get_file(
                name,
                origin=_common.ORIGIN + name,
                cache_subdir=subdir,
                file_hash=_FILE_HASHES[name],
            )
        )
        for name in _FILE_HASHES
    ]
    y_train, x_train, y_test, x_test = arrays
    return (x_train, y_train), (x_test, y_test)
