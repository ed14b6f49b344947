"""Reader of the CIFAR python-version batches (shared by cifar10 and cifar100)."""

from __future__ import annotations

import os

import numpy as np

from tork.keras.datasets import _common


def find_dir(path: str, inner: str, first_file: str) -> str:
    """The directory holding the batches: Keras 3 extracts the archive's own
    `inner` folder under `path`; a Keras 2 cache has the batches in `path`."""
    for candidate in (os.path.join(path, inner), path):
        if os.path.exists(os.path.join(candidate, first_file)):
            return candidate
    raise FileNotFoundError(
        f"No CIFAR batch {first_file!r} in {path} or {os.path.join(path, inner)}: the cached "
        f"archive is incomplete. Delete {path} (and the archive next to it) to download it again."
    )


def load_batch(fpath: str, label_key: str = "labels") -> tuple[np.ndarray, np.ndarray]:
    """Returns `(data, labels)`: `uint8` images `(N, 3, 32, 32)` and the labels as stored
    (a list of ints, so `int64`)."""
    with open(fpath, "rb") as f:
        batch = _common.load_pickle(f, encoding="bytes")
    batch = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in batch.items()}
    data = np.asarray(batch["data"], dtype=np.uint8)
    labels = np.asarray(batch[label_key])
    return data.reshape(data.shape[0], 3, 32, 32), labels


def to_data_format(x: np.ndarray) -> np.ndarray:
    from tork.keras.backend import image_data_format

    if image_data_format() == "channels_last":
        # A contiguous copy: models read it row by row, and torch.from_numpy needs no
        # negative strides.
        return np.ascontiguousarray(x.transpose(0, 2, 3, 1))
    return x
