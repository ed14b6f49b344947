"""`keras.utils.image_dataset_from_directory`: labelled image batches from a folder tree."""

from __future__ import annotations

import os

import numpy as np
import torch
import torch.nn.functional as F

from tork.keras.utils.image_utils import aspect_box
from tork.ops import image as tf_image

_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_CHANNELS = {"grayscale": 1, "rgb": 3, "rgba": 4}
_INTERPOLATIONS = tf_image._METHODS  # every tf.image.resize method


def _walk_files(folder: str, formats) -> list:
    """The files under `folder` with an allowed extension, in Keras's order.

    Keras sorts the walk by folder path (so `a/sub-x` comes before `a/sub/...`) and the
    files within each folder by name. Its walk (`tf.io.gfile.walk`) enters symbolic links
    to subfolders whatever `follow_links` says, so this one does too.
    """
    found = []
    for root, _, files in sorted(os.walk(folder, followlinks=True), key=lambda entry: entry[0]):
        for name in sorted(files):
            if name.lower().endswith(formats):
                found.append(os.path.join(root, name))
    return found


def _index_directory(directory, labels, follow_links, formats=_FORMATS):
    """(file paths, labels, class names), files sorted within classes as Keras lists them.

    With `labels="inferred"`, the classes are the subfolders not starting with `"."`,
    sorted, and the labels their indices; otherwise every file under `directory` is
    listed, with labels None.
    """
    del follow_links  # See _walk_files: Keras's walk follows links either way.
    if labels == "inferred":
        class_names = sorted(
            entry
            for entry in os.listdir(directory)
            if os.path.isdir(os.path.join(directory, entry)) and not entry.startswith(".")
        )
        folders = [(os.path.join(directory, name), index) for index, name in enumerate(class_names)]
    else:
        class_names = None
        folders = [(directory, None)]
    paths, found = [], []
    for folder, label in folders:
        files = _walk_files(folder, formats)
        paths += files
        found += [label] * len(files)
    return paths, found, class_names


def _decode(path: str, color_mode: str) -> np.ndarray:
    """An image file as a `(height, width, channels)` uint8 array, decoded as TF decodes it.

    `tf.io.decode_image` keeps the high byte of 16-bit samples, and converts colour to
    grayscale with libpng's weights: tork's `tf.io.decode_png` rules, shared here.
    """
    from PIL import Image

    from tork.ops.io import _png_pixels

    with open(path, "rb") as f:
        image = Image.open(f)
        image.load()
    return _png_pixels(image, _CHANNELS[color_mode], torch.uint8)


def _load(path, color_mode, size, crop, pad, interpolation):
    tensor = torch.from_numpy(_decode(path, color_mode).copy()).permute(2, 0, 1)[None]
    height, width = tensor.shape[2:]
    target_h, target_w = size
    if crop:
        top, left, crop_h, crop_w = aspect_box(height, width, target_h, target_w, inside=True)
        tensor = tensor[:, :, top : top + crop_h, left : left + crop_w]
    elif pad:
        top, left, pad_h, pad_w = aspect_box(height, width, target_h, target_w, inside=False)
        tensor = F.pad(tensor, (left, pad_w - width - left, top, pad_h - height - top))
    image = tensor[0].permute(1, 2, 0)
    # Keras resizes with `tf.image.resize` (half-pixel centres, no antialiasing); torch's
    # own bicubic (a = -0.75) and area (adaptive pooling) kernels differ from TF's. Like
    # tf.image.resize, "nearest" keeps the decoded uint8 pixels and the others give float32.
    return tf_image.resize(image, [target_h, target_w], method=interpolation)


def image_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    color_mode: str = "rgb",
    batch_size: int | None = 32,
    image_size=(256, 256),
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    interpolation: str = "bilinear",
    follow_links: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    data_format=None,
    verbose: bool = True,
    **kwargs,
):
    """Creates a dataset of images (and labels) from a directory of class folders.

    With `labels="inferred"`, `directory/class_a/*.png` and `directory/class_b/*.jpg`
    give classes 0 and 1 (subfolder names sorted; names starting with "." are
    skipped). Images are decoded with Pillow when the batches are read,
    converted to `color_mode` as `tf.io.decode_image` converts them and resized
    to `image_size` with `tf.image.resize` (values in [0, 255], channels last:
    float32, or uint8 with `interpolation="nearest"`, as in Keras 2).

    Args:
        directory: the folder of class subfolders (or of images, with
            `labels=None` or a list of labels).
        labels: `"inferred"`, None, or a list/tuple of integer labels, one per
            image in the sorted order of the image paths.
        label_mode: `"int"` (int32), `"categorical"` (one-hot float32),
            `"binary"` (float32 of shape `(batch, 1)`, two classes) or None
            (no labels, like `labels=None`).
        class_names: the subfolder names to use, in label order (inferred
            only); the files are still listed in sorted folder order.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`.
        batch_size: images per batch, or None for single images.
        image_size: `(height, width)` of the images produced.
        shuffle: shuffle the files (once, seeded) and the dataset each epoch.
        seed: seed for shuffling and the validation split.
        validation_split: fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (a pair of datasets),
            with `validation_split`.
        interpolation: `"bilinear"`, `"nearest"`, `"bicubic"`, `"area"`,
            `"lanczos3"`, `"lanczos5"`, `"gaussian"` or `"mitchellcubic"` (the
            methods of `tf.image.resize`).
        follow_links: accepted for Keras compatibility; as in Keras 2 (whose
            `tf.io.gfile.walk` follows them), symbolic links to subfolders are
            always followed.
        crop_to_aspect_ratio: centre-crop to the target aspect ratio first
            (Keras 2's older name `smart_resize=True` works too).
        pad_to_aspect_ratio: pad (with zeros) to the target aspect ratio first.
        data_format: `"channels_last"` (the default; the only layout supported).
        verbose: print how many files and classes were found.
        **kwargs: only `smart_resize` (see `crop_to_aspect_ratio`).

    Returns:
        A `tf.data.Dataset` of `(images, labels)` batches (images alone without
        labels) with `class_names` (`[""]` without labels, the distinct labels
        for a list of labels) and `file_paths` attributes; a pair of them for
        `subset="both"`.

    Example:
    >>> train_ds = keras.utils.image_dataset_from_directory(  # doctest: +SKIP
    ...     "flowers", validation_split=0.2, subset="training", seed=123,
    ...     image_size=(180, 180), batch_size=32)
    """
    from tork.data import Dataset

    where = "image_dataset_from_directory"
    if "smart_resize" in kwargs:  # Keras 2's older name
        crop_to_aspect_ratio = kwargs.pop("smart_resize")
    if kwargs:
        raise TypeError(f"Unknown keywords argument(s): {tuple(kwargs)}")
    directory = os.fspath(directory)
    _check_directory(where, directory, label_mode)
    if color_mode not in _CHANNELS:
        raise ValueError(
            f"{where}: `color_mode` must be one of 'grayscale', 'rgb' or 'rgba', got "
            f"{color_mode!r}."
        )
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(
            f"{where}: interpolation must be one of {', '.join(map(repr, _INTERPOLATIONS))}, "
            f"got {interpolation!r}."
        )
    if data_format not in (None, "channels_last"):
        from tork._backend.errors import not_implemented

        raise not_implemented(f"{where}(data_format={data_format!r})")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError(f"{where}: pass only one of crop_to_aspect_ratio and pad_to_aspect_ratio.")
    if labels is None or label_mode is None:
        # As Keras 2: no labels means every image under `directory`, subfolders or not.
        labels = label_mode = None
    _check_split(where, validation_split, subset, shuffle, seed)
    try:
        import PIL  # noqa: F401
    except ImportError:
        raise ImportError(
            f"{where} decodes images with Pillow, which is not installed: pip install pillow."
        ) from None

    paths, found, names, num_classes = _files_and_labels(
        where,
        directory,
        labels,
        label_mode,
        class_names,
        follow_links,
        _FORMATS,
        verbose,
    )
    if labels is None:
        names = [""]  # Keras 2's class_names without labels: the one unnamed class.
    paths, found = _shuffled(paths, found, shuffle, seed, label_mode)

    def make(lo: int, hi: int, label: str | None):
        part_paths = paths[lo:hi]
        part_labels = found[lo:hi]
        if verbose and label is not None:
            print(f"Using {len(part_paths)} files for {label}.")
        size = tuple(int(s) for s in image_size)

        def load(index):
            flat = index.reshape(-1).tolist()
            images = torch.stack(
                [
                    _load(
                        part_paths[i],
                        color_mode,
                        size,
                        crop_to_aspect_ratio,
                        pad_to_aspect_ratio,
                        interpolation,
                    )
                    for i in flat
                ]
            ).reshape(*index.shape, *size, _CHANNELS[color_mode])
            if label_mode is None:
                return images
            values = _label_tensor([part_labels[i] for i in flat]).reshape(index.shape)
            return images, _encode_labels(values, label_mode, num_classes).to(images.device)

        dataset = Dataset.from_tensor_slices(torch.arange(len(part_paths)))
        return _finish(dataset, shuffle, seed, batch_size, names, part_paths, load)

    return _subsets(make, len(paths), validation_split, subset)


# Keras 2's wording when a directory holds no file of an allowed format, per loader.
_NONE_FOUND = {
    "image_dataset_from_directory": "No images found",
    "text_dataset_from_directory": "No text files found",
    "audio_dataset_from_directory": "No audio files found",
}


def _check_directory(where: str, directory: str, label_mode) -> None:
    """The checks every `*_dataset_from_directory` starts with."""
    if not os.path.isdir(directory):
        raise ValueError(f"{where}: {directory!r} is not a directory.")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(
            f"{where}: `label_mode` argument must be one of 'int', 'categorical', 'binary' "
            f"or None, got {label_mode!r}."
        )


def _finish(dataset, shuffle: bool, seed, batch_size, names, paths: list, load=None):
    """Shuffles, batches, maps `load` and labels a subset's dataset."""
    if shuffle:
        # As Keras: a buffer of 8 batches, or of 1024 elements without batching.
        dataset = dataset.shuffle(8 * batch_size if batch_size else 1024, seed=seed)
    if batch_size is not None:
        dataset = dataset.batch(batch_size)
    if load is not None:
        dataset = dataset.map(load)
    dataset.class_names = names
    dataset.file_paths = paths
    return dataset


def _label_tensor(values: list) -> torch.Tensor:
    """The labels as a tensor: int64, or float32 for a list of float labels."""
    if any(isinstance(v, float) for v in values):
        return torch.tensor(values, dtype=torch.float32)
    return torch.tensor(values, dtype=torch.int64)


def _encode_labels(values: torch.Tensor, label_mode: str, num_classes: int) -> torch.Tensor:
    """Labels in Keras's `label_mode` encoding."""
    if label_mode == "int":
        # As TF: a list of float labels (regression targets) comes out as float32 values,
        # not truncated to integers.
        return values.to(torch.float32 if values.is_floating_point() else torch.int32)
    if label_mode == "binary":
        return values.to(torch.float32).unsqueeze(-1)
    return F.one_hot(values.long(), num_classes).to(torch.float32)


def _subsets(make, n: int, validation_split, subset):
    """The dataset(s) for `subset`: `make(lo, hi, label)` builds one over files lo..hi."""
    if not validation_split:
        return make(0, n, None)
    num_val = int(validation_split * n)
    split = n - num_val
    if num_val == 0 and subset in ("validation", "both"):
        # Keras 2 fails here too (its training slice `[:-0]` is empty), or, for
        # subset="validation", silently returns every file.
        raise ValueError(
            f"No validation files: validation_split={validation_split} of {n} files leaves "
            "the validation subset empty. Use a larger validation_split or more files."
        )
    if subset == "training":
        return make(0, split, "training")
    if subset == "validation":
        return make(split, n, "validation")
    return make(0, split, "training"), make(split, n, "validation")


def _shuffled(paths: list, found: list, shuffle: bool, seed, label_mode):
    order = np.arange(len(paths))
    if shuffle:
        np.random.RandomState(np.random.randint(1_000_000) if seed is None else seed).shuffle(order)
    paths = [paths[i] for i in order]
    found = [found[i] for i in order] if label_mode is not None else found
    return paths, found


def _check_split(where: str, validation_split, subset, shuffle, seed) -> None:
    # As Keras 2: validation_split=0 means no split (it is falsy there).
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(
            f"{where}: `validation_split` must be between 0 and 1 (exclusive), received: "
            f"{validation_split}."
        )
    if bool(subset) != bool(validation_split):
        raise ValueError(
            f"{where}: if `subset` is set, `validation_split` must be set, and inversely: "
            "pass `subset` ('training', 'validation' or 'both') together with "
            f"`validation_split`, or neither. Received: subset={subset!r}, "
            f"validation_split={validation_split!r}."
        )
    if subset not in (None, "training", "validation", "both"):
        raise ValueError(
            f'{where}: `subset` must be either "training", "validation" or "both", '
            f"received: {subset!r}."
        )
    if validation_split and shuffle and seed is None:
        raise ValueError(
            f"{where}: with validation_split and shuffle, you must provide a `seed` so that "
            "the training and validation subsets do not overlap."
        )


def _files_and_labels(
    where,
    directory,
    labels,
    label_mode,
    class_names,
    follow_links,
    formats,
    verbose,
):
    """(paths, labels, class names, number of classes) of the files under `directory`.

    Files are in sorted folder order also with explicit `class_names`, which only set the
    labels (Keras 2; Keras 3 walks the folders in `class_names` order).
    """
    inferred_labels = isinstance(labels, str) and labels == "inferred"
    if not inferred_labels and labels is not None:
        if isinstance(labels, str) or not isinstance(labels, (list, tuple, np.ndarray)):
            raise ValueError(
                f"{where}: the `labels` argument should be 'inferred' (labels from the subfolder "
                "names), None (no labels) or a list/tuple of integer labels, one per file in the "
                f"sorted order of their paths. Received: labels={labels!r}"
            )
        if class_names:
            raise ValueError(
                f'{where}: you can only pass `class_names` if `labels="inferred"`. '
                f"Received: labels={list(labels)}, class_names={list(class_names)}"
            )
    paths, found, inferred = _index_directory(
        directory, "inferred" if inferred_labels else None, follow_links, formats
    )
    if inferred_labels:
        names = inferred
        if class_names is not None:
            if sorted(class_names) != sorted(inferred):
                raise ValueError(
                    f"{where}: the `class_names` passed did not match the subfolders "
                    f"{inferred} of {directory!r}. Received: class_names={list(class_names)}."
                )
            order = {name: i for i, name in enumerate(class_names)}
            found = [order[inferred[label]] for label in found]
            names = list(class_names)
        num_classes = len(names)
        num_found = num_classes
    elif labels is not None:
        # Float labels stay floats (TF passes them through as float32 with
        # label_mode="int"); other labels are integers.
        floats = np.asarray(labels).dtype.kind == "f"
        found = [float(label) if floats else int(label) for label in labels]
        if len(found) != len(paths):
            raise ValueError(
                f"{where}: Expected the lengths of `labels` to match the number of files in "
                f"{directory!r}: got {len(found)} labels for {len(paths)} files. Pass one "
                "label per file, in the sorted order of their paths."
            )
        # As Keras 2: the class names are the distinct labels. The encodings keep
        # max + 1 classes, so that labels with gaps still one-hot encode correctly.
        names = sorted(set(found))
        num_classes = int(max(found)) + 1 if found else 0
        num_found = len(names)
    else:
        names = None
        num_classes = 0
        num_found = 1  # Keras 2 counts the unlabelled files as one class.
    if verbose:
        print(f"Found {len(paths)} files belonging to {num_found} classes.")
    if label_mode == "binary" and num_classes != 2:
        raise ValueError(
            f"{where}: when passing label_mode='binary', there must be exactly 2 classes, "
            f"found {num_classes}. Use label_mode='int' or 'categorical'."
        )
    if not paths:
        raise ValueError(
            f"{where}: {_NONE_FOUND.get(where, 'No files found')} in directory {directory!r}. "
            f"Allowed formats: {', '.join(formats)}."
        )
    return paths, found, names, num_classes
