"""`keras.utils.text_dataset_from_directory`: labelled string batches from a folder tree."""

from __future__ import annotations

import os

from tork.keras.utils.image_dataset import (
    _check_directory,
    _check_split,
    _encode_labels,
    _files_and_labels,
    _finish,
    _label_tensor,
    _shuffled,
    _subsets,
)


def text_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size: int | None = 32,
    max_length: int | None = None,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    verbose: bool = True,
):
    """Creates a dataset of texts (and labels) from a directory of class folders.

    With `labels="inferred"`, `directory/neg/*.txt` and `directory/pos/*.txt` give
    classes 0 and 1 (subfolder names sorted). Only `.txt` files are read; each
    becomes one scalar string (its raw bytes) of a batch of shape `(batch_size,)`.

    Args:
        directory: the folder of class subfolders (or of text files, with
            `labels=None` or a list of labels).
        labels: `"inferred"`, None, or a list of integer labels, one per file in
            the sorted order of the file paths.
        label_mode: `"int"` (int32), `"categorical"` (one-hot float32),
            `"binary"` (float32 of shape `(batch, 1)`, two classes) or None
            (no labels, as with `labels=None`; `class_names` is then `[""]`).
        class_names: the subfolder names to use, in label order (inferred only).
        batch_size: texts per batch, or None for single texts.
        max_length: truncate each text to this many bytes.
        shuffle: shuffle the files (once, seeded) and the dataset each epoch.
        seed: seed for shuffling and the validation split.
        validation_split: fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (a pair of datasets),
            with `validation_split`.
        follow_links: follow symbolic links to subfolders.
        verbose: print how many files and classes were found.

    Returns:
        A `tf.data.Dataset` of `(texts, labels)` batches (texts alone without
        labels), with `class_names` and `file_paths` attributes; a pair of them for
        `subset="both"`.

    Example:
    >>> raw_train_ds = keras.utils.text_dataset_from_directory(  # doctest: +SKIP
    ...     "aclImdb/train", batch_size=32, validation_split=0.2,
    ...     subset="training", seed=42)
    """
    from tork._backend import string_tensor
    from tork.data import Dataset

    where = "text_dataset_from_directory"
    directory = os.fspath(directory)
    _check_directory(where, directory, label_mode)
    if max_length is not None and (not isinstance(max_length, int) or max_length < 0):
        raise ValueError(
            f"{where}: max_length must be None or a non-negative integer, got {max_length!r}."
        )
    if labels is None or label_mode is None:
        # As Keras 2: no labels means every text file under `directory`, subfolders or not.
        labels = label_mode = None
    _check_split(where, validation_split, subset, shuffle, seed)
    paths, found, names, num_classes = _files_and_labels(
        where, directory, labels, label_mode, class_names, follow_links, (".txt",), verbose
    )
    if labels is None:
        names = [""]  # Keras 2's class_names without labels: the one unnamed class.
    paths, found = _shuffled(paths, found, shuffle, seed, label_mode)

    def make(lo: int, hi: int, label: str | None):
        part_paths = paths[lo:hi]
        if verbose and label is not None:
            print(f"Using {len(part_paths)} files for {label}.")
        texts = []
        for path in part_paths:
            with open(path, "rb") as f:
                data = f.read()
            texts.append(data if max_length is None else data[:max_length])
        strings = string_tensor.make(texts) if texts else string_tensor.wrap([])
        if label_mode is None:
            dataset = Dataset.from_tensor_slices(strings)
        else:
            values = _label_tensor(found[lo:hi])
            targets = _encode_labels(values, label_mode, num_classes)
            dataset = Dataset.from_tensor_slices((strings, targets))
        return _finish(dataset, shuffle, seed, batch_size, names, part_paths)

    return _subsets(make, len(paths), validation_split, subset)
