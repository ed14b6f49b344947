"""`keras.datasets.boston_housing`: the Boston Housing price regression data."""

from __future__ import annotations

import numpy as np

from tork.keras.datasets import _common
from tork.keras.utils.get_file import get_file

_FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113):
    """Loads the Boston Housing dataset: 506 samples of 13 features.

    Keras's warning applies: this dataset has an ethical problem (its feature
    "B"); prefer `california_housing` outside discussions of that problem.

    Args:
        path: file name of the cached copy (relative to `~/.keras/datasets`).
        test_split: fraction of the data kept as test set, in `[0, 1)`.
        seed: seed of the shuffling done before splitting.

    Returns:
        Tuple of NumPy arrays `(x_train, y_train), (x_test, y_test)`: `x_*` of
        shape `(num_samples, 13)`, `y_*` of shape `(num_samples,)` (prices in k$).

    Example:

    ```python
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.boston_housing.load_data()
    ```
    """
    _common.check_test_split(test_split)
    path = get_file(path, origin=_common.ORIGIN + "boston_housing.npz", file_hash=_FILE_HASH)
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return _common.split(*_common.shuffled(seed, x, y), test_split)
