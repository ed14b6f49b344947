"""`keras.datasets.cifar100`: CIFAR-100 small colour images in 100 classes."""

from __future__ import annotations

import os

from tork.keras.datasets import _cifar
from tork.keras.utils.get_file import get_file

_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
_FILE_HASH = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"


def load_data(label_mode: str = "fine"):
    """Loads the CIFAR-100 dataset: 50,000 + 10,000 32x32 colour images.

    Labels are 100 fine-grained classes grouped into 20 coarse superclasses.

    Args:
        label_mode: `"fine"` (labels 0-99) or `"coarse"` (superclasses 0-19).

    Returns:
        Tuple of NumPy arrays `(x_train, y_train), (x_test, y_test)`: `x_*`
        are `uint8` arrays of shape `(50000, 32, 32, 3)` / `(10000, 32, 32, 3)`
        (channels last unless `image_data_format()` is `"channels_first"`),
        `y_*` are integer labels of shape `(50000, 1)` / `(10000, 1)` (`int64`,
        as Keras returns them, although its docs say `uint8`).

    Example:

    ```python
    (x_train, y_train), _ = tf.keras.datasets.cifar100.load_data(label_mode="coarse")
    ```
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(
            f'`label_mode` must be one of "fine", "coarse". Received: label_mode={label_mode!r}.'
        )
    path = get_file(
        fname="cifar-100-python-target", origin=_ORIGIN, extract=True, file_hash=_FILE_HASH
    )
    path = _cifar.find_dir(path, "cifar-100-python", "train")
    key = label_mode + "_labels"
    x_train, y_train = _cifar.load_batch(os.path.join(path, "train"), label_key=key)
    x_test, y_test = _cifar.load_batch(os.path.join(path, "test"), label_key=key)
    return (
        (_cifar.to_data_format(x_train), y_train.reshape(-1, 1)),
        (_cifar.to_data_format(x_test), y_test.reshape(-1, 1)),
    )
