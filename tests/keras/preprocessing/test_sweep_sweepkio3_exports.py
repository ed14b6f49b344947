"""`tf.keras.preprocessing.image_dataset_from_directory` / `text_dataset_from_directory`
(Keras 2 spellings, e.g. keras.io's ESPCN super-resolution example:
`from tensorflow.keras.preprocessing import image_dataset_from_directory`)."""

import numpy as np

import tork as tf
from tork.keras.preprocessing import image_dataset_from_directory, text_dataset_from_directory


def test_same_functions_as_keras_utils():
    assert image_dataset_from_directory is tf.keras.utils.image_dataset_from_directory
    assert text_dataset_from_directory is tf.keras.utils.text_dataset_from_directory


def test_image_dataset_label_mode_none(tmp_path):
    from PIL import Image

    root = tmp_path / "images"
    root.mkdir()
    for i in range(3):
        pixels = np.full((6, 4, 3), 40 * i, dtype="uint8")
        Image.fromarray(pixels).save(root / f"img{i}.png")
    ds = image_dataset_from_directory(
        str(root), batch_size=3, image_size=(6, 4), label_mode=None, shuffle=False
    )
    batch = next(iter(ds)).numpy()
    assert batch.shape == (3, 6, 4, 3)
    np.testing.assert_array_equal(batch[:, 0, 0, 0], [0.0, 40.0, 80.0])


def test_text_dataset(tmp_path):
    for label in ("neg", "pos"):
        (tmp_path / label).mkdir()
        (tmp_path / label / "a.txt").write_text(f"{label} text")
    ds = text_dataset_from_directory(str(tmp_path), batch_size=2, shuffle=False)
    texts, labels = next(iter(ds))
    assert [t.decode() for t in texts.numpy()] == ["neg text", "pos text"]
    np.testing.assert_array_equal(labels.numpy(), [0, 1])
