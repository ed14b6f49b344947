"""tf.data.Dataset.list_files, and TensorFlow's "Load and preprocess images" tf.data pipeline."""

import os
import pathlib

import numpy as np
import pytest
import torch
from PIL import Image

import tork as tf

COLOURS = {"blue": (20, 40, 230), "red": (230, 30, 20)}
PER_CLASS = 10


@pytest.fixture
def flowers(tmp_path) -> pathlib.Path:
    """A folder like the tutorial's flower_photos: one subfolder of JPEGs per class."""
    data_dir = tmp_path / "flower_photos"
    rng = np.random.default_rng(0)
    for name, colour in COLOURS.items():
        (data_dir / name).mkdir(parents=True)
        for i in range(PER_CLASS):
            noise = rng.integers(-15, 16, (10, 12, 3))
            pixels = np.clip(np.array(colour) + noise, 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(data_dir / name / f"img_{i:02d}.jpg", quality=95)
    (data_dir / "LICENSE.txt").write_text("licence")
    return data_dir


def _names(ds) -> list[bytes]:
    return [x.numpy() for x in ds]


def _expected(data_dir, pattern) -> list[bytes]:
    return sorted(os.fsencode(str(p)) for p in data_dir.glob(pattern))


def test_unshuffled_is_sorted_scalar_strings(flowers):
    ds = tf.data.Dataset.list_files(str(flowers / "*/*"), shuffle=False)
    assert ds.element_spec == tf.TensorSpec((), tf.string)
    element = next(iter(ds))
    assert element.dtype == tf.string and element.shape == ()
    assert _names(ds) == _expected(flowers, "*/*.jpg")  # LICENSE.txt is not in a subfolder
    assert int(ds.cardinality()) == 2 * PER_CLASS


def test_patterns_lists_sets_and_question_mark(flowers):
    ds = tf.data.Dataset.list_files(
        [str(flowers / "red" / "img_0[0-2].jpg"), str(flowers / "blue" / "img_?9.jpg")],
        shuffle=False,
    )
    names = [os.fsdecode(n)[len(str(flowers)) + 1 :] for n in _names(ds)]
    assert names == ["blue/img_09.jpg", "red/img_00.jpg", "red/img_01.jpg", "red/img_02.jpg"]
    # A string tensor of patterns, and a pathlib.Path, work too.
    patterns = tf.constant([str(flowers / "*.txt"), str(flowers / "red/img_05.jpg")])
    assert len(_names(tf.data.Dataset.list_files(patterns, shuffle=False))) == 2
    single = tf.data.Dataset.list_files(flowers / "LICENSE.txt")
    assert _names(single) == [os.fsencode(str(flowers / "LICENSE.txt"))]


def test_shuffles_by_default_and_seed_is_deterministic(flowers):
    pattern = str(flowers / "*/*.jpg")
    expected = _expected(flowers, "*/*.jpg")
    torch.manual_seed(0)
    ds = tf.data.Dataset.list_files(pattern)
    first, second = _names(ds), _names(ds)
    assert sorted(first) == expected and sorted(second) == expected
    assert first != expected and first != second  # reshuffled each iteration (20! orders)
    a = _names(tf.data.Dataset.list_files(pattern, seed=7))
    b = _names(tf.data.Dataset.list_files(pattern, seed=7))
    assert a == b and sorted(a) == expected and a != expected


def test_no_match_raises(tmp_path):
    pattern = str(tmp_path / "missing" / "*.jpg")
    with pytest.raises(tf.errors.InvalidArgumentError, match="No files matched pattern: .*missing"):
        tf.data.Dataset.list_files(pattern)


def test_argmax_of_bool_comparison():
    # The tutorial's get_label does tf.argmax(parts[-2] == class_names).
    one_hot = tf.constant(["a", "b", "c"])[1] == np.array(["a", "b", "c"])
    assert one_hot.dtype == torch.bool and one_hot.tolist() == [False, True, False]
    assert int(tf.argmax(one_hot)) == 1
    # Ties go to the first index, as in TF; argmin of booleans finds the first False.
    assert int(tf.argmax(torch.tensor([False, True, True]))) == 1
    assert int(tf.argmin(torch.tensor([True, False, False]))) == 1


def test_load_images_tutorial(flowers):
    tf.keras.utils.set_random_seed(1)
    data_dir = flowers
    image_count = len(list(data_dir.glob("*/*.jpg")))
    img_height = img_width = 8
    batch_size = 4
    AUTOTUNE = tf.data.AUTOTUNE

    list_ds = tf.data.Dataset.list_files(str(data_dir / "*/*"), shuffle=False)
    list_ds = list_ds.shuffle(image_count, reshuffle_each_iteration=False)
    class_names = np.array(
        sorted([item.name for item in data_dir.glob("*") if item.name != "LICENSE.txt"])
    )
    assert class_names.tolist() == ["blue", "red"]
    val_size = int(image_count * 0.2)
    train_ds = list_ds.skip(val_size)
    val_ds = list_ds.take(val_size)
    assert tf.data.experimental.cardinality(train_ds).numpy() == 16
    assert tf.data.experimental.cardinality(val_ds).numpy() == 4
    train_files, val_files = _names(train_ds), _names(val_ds)
    assert train_files == _names(train_ds)  # the split is fixed across iterations
    assert sorted(train_files + val_files) == _expected(data_dir, "*/*.jpg")

    def get_label(file_path):
        parts = tf.strings.split(file_path, os.path.sep)
        one_hot = parts[-2] == class_names
        return tf.argmax(one_hot)

    def decode_img(img):
        img = tf.io.decode_jpeg(img, channels=3)
        return tf.image.resize(img, [img_height, img_width])

    def process_path(file_path):
        label = get_label(file_path)
        img = tf.io.read_file(file_path)
        img = decode_img(img)
        return img, label

    train_ds = train_ds.map(process_path, num_parallel_calls=AUTOTUNE)
    val_ds = val_ds.map(process_path, num_parallel_calls=AUTOTUNE)
    for (image, label), path in zip(train_ds, train_files):
        assert image.shape == (img_height, img_width, 3) and image.dtype == torch.float32
        assert int(label) == (1 if b"/red/" in path else 0)
        colour = np.array(COLOURS["red" if int(label) else "blue"])
        np.testing.assert_allclose(image.numpy().mean(axis=(0, 1)), colour, atol=12)

    def configure_for_performance(ds):
        ds = ds.cache()
        ds = ds.shuffle(buffer_size=1000)
        ds = ds.batch(batch_size)
        ds = ds.prefetch(buffer_size=AUTOTUNE)
        return ds

    train_ds = configure_for_performance(train_ds)
    val_ds = configure_for_performance(val_ds)
    image_batch, label_batch = next(iter(train_ds))
    assert image_batch.shape == (batch_size, img_height, img_width, 3)
    assert label_batch.shape == (batch_size,) and label_batch.dtype == torch.int64
    assert int(tf.data.experimental.cardinality(train_ds)) == 4

    model = tf.keras.Sequential(
        [
            tf.keras.layers.Rescaling(1.0 / 255),
            tf.keras.layers.Conv2D(4, 3, activation="relu"),
            tf.keras.layers.MaxPooling2D(),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(8, activation="relu"),
            tf.keras.layers.Dense(len(class_names)),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(0.01),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = model.fit(train_ds, validation_data=val_ds, epochs=8, verbose=0)
    assert len(history.history["val_accuracy"]) == 8
    assert history.history["accuracy"][-1] > 0.75  # chance is 0.5: the colours separate
    assert history.history["val_accuracy"][-1] > 0.5
