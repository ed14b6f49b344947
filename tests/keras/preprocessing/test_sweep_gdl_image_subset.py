"""subset='training' without a validation split, as the book 'Generative Deep Learning'
(1st edition, utils/loaders.py `load_celeb`) calls flow_from_directory.

Keras 2 (tf_keras 2.21) then uses all the images: 6 files, batch 4 -> n=6, 2 batches.
subset='validation' without a split keeps tork's error (Keras 2 silently gives 0 images).
"""

import numpy as np
import pandas as pd
import pytest

from tork.keras.preprocessing.image import ImageDataGenerator


def _write_images(root, count=6, size=(8, 8)):
    Image = pytest.importorskip("PIL.Image")
    rng = np.random.default_rng(1)
    (root / "all").mkdir()
    pixels = []
    for i in range(count):
        array = rng.integers(0, 256, size=(size[0], size[1], 3), dtype=np.uint8)
        Image.fromarray(array).save(root / "all" / f"{i:06d}.png")
        pixels.append(array)
    return pixels


def test_flow_from_directory_training_subset_without_split_is_all_images(tmp_path):
    pixels = _write_images(tmp_path)
    data_gen = ImageDataGenerator(
        preprocessing_function=lambda x: (x.astype("float32") - 127.5) / 127.5
    )
    x_train = data_gen.flow_from_directory(
        tmp_path,
        target_size=(8, 8),
        batch_size=4,
        shuffle=False,
        class_mode="input",
        subset="training",
    )
    assert (x_train.n, len(x_train)) == (6, 2)  # tf_keras 2.21: 6, 2
    x, y = x_train[0]
    assert x.shape == (4, 8, 8, 3) and x.dtype == np.float32
    np.testing.assert_array_equal(x, y)  # class_mode='input'
    expected = (np.stack(pixels[:4]).astype(np.float32) - 127.5) / 127.5
    np.testing.assert_allclose(x, expected, rtol=0, atol=1e-6)
    assert x_train[1][0].shape == (2, 8, 8, 3)


def test_flow_from_dataframe_training_subset_without_split_is_all_images(tmp_path):
    _write_images(tmp_path)
    frame = pd.DataFrame({"image_id": [f"{i:06d}.png" for i in range(6)]})
    flow = ImageDataGenerator(rescale=1.0 / 255).flow_from_dataframe(
        frame,
        str(tmp_path / "all"),
        x_col="image_id",
        target_size=(8, 8),
        class_mode="input",
        batch_size=3,
        subset="training",
    )
    assert (flow.n, len(flow)) == (6, 2)  # tf_keras 2.21: 6, 2


def test_validation_subset_without_split_still_raises(tmp_path):
    _write_images(tmp_path)
    with pytest.raises(
        ValueError,
        match=r"flow_from_directory: subset='validation' needs a validation split; create "
        r"the generator with ImageDataGenerator\(validation_split=0.2\)",
    ):
        ImageDataGenerator().flow_from_directory(tmp_path, subset="validation")
