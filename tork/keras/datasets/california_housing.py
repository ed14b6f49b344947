"""`keras.datasets.california_housing`: the California Housing regression data."""

from __future__ import annotations

import numpy as np

from tork.keras.datasets import _common
from tork.keras.utils.get_file import get_file

_FILE_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"


def load_data(
    version: str = "large",
    path: str = "california_housing.npz",
    test_split: float = 0.2,
    seed: int = 113,
):
    """Loads the California Housing dataset: 20,640 districts, 8 features each.

    The target is the median house value of the district, in dollars.

    Args:
        version: `"large"` (all 20,640 samples) or `"small"` (the first 600).
        path: file name of the cached copy (relative to `~/.keras/datasets`).
        test_split: fraction of the data kept as test set, in `[0, 1)`.
        seed: seed of the shuffling done before splitting.

    Returns:
        Tuple of NumPy arrays `(x_train, y_train), (x_test, y_test)`: `x_*` of
        shape `(num_samples, 8)`, `y_*` of shape `(num_samples,)`.

    Example:

    ```python
    (x_train, y_train), _ = tf.keras.datasets.california_housing.load_data(version="small")
    ```
    """
    _common.check_test_split(test_split)
    if version not in ("small", "large"):
        raise ValueError(
            f"Argument `version` must be one of 'small', 'large'. Received: version={version!r}"
        )
    path = get_file(path, origin=_common.ORIGIN + "california_housing.npz", file_hash=_FILE_HASH)
    with np.load(path, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return _common.split(*_common.shuffled(seed, x, y), test_split)
