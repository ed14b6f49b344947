"""Keras 2 behaviour of the `*_dataset_from_directory` argument checks.

Reference: tf_keras 2.21 (`TF_USE_LEGACY_KERAS=1`), run on the same tiny folders. Its
errors carry the phrases below (Keras 2's own tests match them); tork's messages keep
those phrases and add the offending values.
"""

import os

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _text_tree(root, classes=("a", "b"), per_class=3):
    for name in classes:
        os.makedirs(os.path.join(root, name))
        for i in range(per_class):
            with open(os.path.join(root, name, f"{i}.txt"), "w") as f:
                f.write(f"{name} {i}")
    return str(root)


def _image_tree(root, classes=("a", "b"), per_class=3):
    from PIL import Image

    for name in classes:
        os.makedirs(os.path.join(root, name))
        for i in range(per_class):
            Image.fromarray(np.full((4, 4, 3), 10 * i, np.uint8)).save(
                os.path.join(root, name, f"{i}.png")
            )
    return str(root)


def test_validation_split_zero_means_no_split(tmp_path):
    # tf_keras 2.21: validation_split=0 is falsy, so no split: all 6 files, no error.
    text = keras.utils.text_dataset_from_directory(
        _text_tree(tmp_path / "t"), validation_split=0, batch_size=10, verbose=False
    )
    assert len(list(text.unbatch())) == 6
    images = keras.utils.image_dataset_from_directory(
        _image_tree(tmp_path / "i"),
        validation_split=0.0,
        image_size=(4, 4),
        batch_size=10,
        verbose=False,
    )
    assert len(list(images.unbatch())) == 6
    # With a subset, a zero split is refused, as Keras 2.
    with pytest.raises(ValueError, match="`validation_split` must be set"):
        keras.utils.text_dataset_from_directory(
            str(tmp_path / "t"), validation_split=0, subset="training", verbose=False
        )


_CASES = [
    ({"labels": "other"}, "`labels` argument should be"),
    ({"label_mode": "other"}, "`label_mode` argument must be"),
    (
        {"labels": [0, 0, 1, 1, 1], "class_names": ["a", "b", "c"]},
        'only pass `class_names` if `labels="inferred"`',
    ),
    ({"labels": [0, 0, 1, 1]}, "Expected the lengths of `labels` to match the number of files"),
    ({"class_names": ["a", "c"]}, "`class_names` passed did not match"),
    ({"label_mode": "binary"}, "there must be exactly 2"),
    ({"validation_split": 2}, "`validation_split` must be between 0 and 1"),
    (
        {"validation_split": 0.2, "subset": "other"},
        '`subset` must be either "training", "validation" or "both"',
    ),
    ({"validation_split": 0, "subset": "training"}, "`validation_split` must be set"),
    ({"validation_split": 0.2, "subset": "training"}, "must provide a `seed`"),
]


@pytest.mark.parametrize("kwargs, phrase", _CASES)
def test_text_errors_carry_keras_phrases(tmp_path, kwargs, phrase):
    root = _text_tree(tmp_path, classes=("a", "b", "c"), per_class=1)
    for i in range(2):  # 5 files in 3 classes, as in Keras 2's own test
        with open(os.path.join(root, "a", f"x{i}.txt"), "w") as f:
            f.write("x")
    with pytest.raises(ValueError, match=phrase):
        keras.utils.text_dataset_from_directory(root, verbose=False, **kwargs)


@pytest.mark.parametrize(
    "kwargs, phrase", _CASES + [({"color_mode": "other"}, "`color_mode` must be one of")]
)
def test_image_errors_carry_keras_phrases(tmp_path, kwargs, phrase):
    root = _image_tree(tmp_path, classes=("a", "b", "c"), per_class=1)
    _image_tree(tmp_path / "extra", classes=("a",), per_class=2)
    for i, name in enumerate(os.listdir(tmp_path / "extra" / "a")):
        os.replace(tmp_path / "extra" / "a" / name, os.path.join(root, "a", f"x{i}.png"))
    with pytest.raises(ValueError, match=phrase):
        keras.utils.image_dataset_from_directory(root, verbose=False, **kwargs)


def test_no_files_messages(tmp_path):
    os.makedirs(tmp_path / "t" / "a")
    os.makedirs(tmp_path / "i" / "a")
    with pytest.raises(ValueError, match=r"No text files found in directory .*Allowed formats"):
        keras.utils.text_dataset_from_directory(str(tmp_path / "t"), verbose=False)
    with pytest.raises(ValueError, match=r"No images found in directory .*Allowed formats"):
        keras.utils.image_dataset_from_directory(str(tmp_path / "i"), verbose=False)
