"""keras.utils.image_dataset_from_directory on small PNG/JPEG trees written by the tests."""

import numpy as np
import pytest

from tork import keras

Image = pytest.importorskip("PIL.Image")


def _tree(root, counts=(("cats", 3), ("dogs", 2)), size=(6, 4)):
    rng = np.random.default_rng(0)
    pixels = {}
    for name, count in counts:
        (root / name).mkdir()
        for i in range(count):
            array = rng.integers(0, 256, size=(size[0], size[1], 3), dtype=np.uint8)
            path = root / name / f"img_{i}.png"
            Image.fromarray(array).save(path)
            pixels[str(path)] = array
    (root / counts[0][0] / "notes.txt").write_text("not an image")
    return pixels


def _all(ds):
    images, labels = [], []
    for batch in ds:
        x, y = batch
        images.append(np.asarray(x))
        labels.append(np.asarray(y))
    return np.concatenate(images), np.concatenate(labels)


def test_classes_labels_and_exact_pixels(tmp_path, capsys):
    pixels = _tree(tmp_path)
    ds = keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(6, 4), batch_size=2, shuffle=False
    )
    assert "Found 5 files belonging to 2 classes." in capsys.readouterr().out
    assert ds.class_names == ["cats", "dogs"]
    images, labels = _all(ds)
    assert images.shape == (5, 6, 4, 3) and images.dtype == np.float32
    assert labels.tolist() == [0, 0, 0, 1, 1] and labels.dtype == np.int32
    for image, path in zip(images, ds.file_paths):
        np.testing.assert_array_equal(image, pixels[path].astype(np.float32))


def test_label_modes_colors_and_resizing(tmp_path):
    _tree(tmp_path)
    ds = keras.utils.image_dataset_from_directory(
        tmp_path, label_mode="categorical", color_mode="grayscale", image_size=(3, 2), seed=1
    )
    images, labels = _all(ds)
    assert images.shape == (5, 3, 2, 1) and labels.shape == (5, 2)
    np.testing.assert_array_equal(labels.sum(1), np.ones(5))
    assert images.min() >= 0 and images.max() <= 255
    binary = keras.utils.image_dataset_from_directory(tmp_path, label_mode="binary", seed=1)
    _, labels = _all(binary)
    assert labels.shape == (5, 1) and labels.dtype == np.float32
    # A flat colour stays that colour through bilinear resizing.
    flat = tmp_path / "flat"
    (flat / "a").mkdir(parents=True)
    Image.fromarray(np.full((8, 10, 3), 77, np.uint8)).save(flat / "a" / "x.png")
    images, _ = _all(keras.utils.image_dataset_from_directory(flat, image_size=(5, 3)))
    np.testing.assert_allclose(images, 77.0)


def test_validation_split_is_disjoint_and_seeded(tmp_path):
    _tree(tmp_path, counts=(("a", 6), ("b", 4)))
    train, val = keras.utils.image_dataset_from_directory(
        tmp_path, validation_split=0.3, subset="both", seed=7, image_size=(6, 4), verbose=False
    )
    assert len(train.file_paths) == 7 and len(val.file_paths) == 3
    assert not set(train.file_paths) & set(val.file_paths)
    again = keras.utils.image_dataset_from_directory(
        tmp_path, validation_split=0.3, subset="validation", seed=7, verbose=False
    )
    assert again.file_paths == val.file_paths


def test_trains_a_small_model(tmp_path):
    _tree(tmp_path, counts=(("a", 4), ("b", 4)))
    ds = keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(6, 4), batch_size=4, seed=0, verbose=False
    )
    model = keras.Sequential(
        [
            keras.Input((6, 4, 3)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Flatten(),
            keras.layers.Dense(2),
        ]
    )
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(ds.cache(), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"label_mode": "sparse"}, "label_mode must be"),
        ({"color_mode": "cmyk"}, "color_mode must be"),
        ({"validation_split": 0.2}, "pass `subset`"),
        ({"validation_split": 0.2, "subset": "training"}, "pass a `seed`"),
        ({"class_names": ["a", "b", "x"]}, "do not match the subfolders"),
        ({"label_mode": "binary"}, "'binary' needs exactly 2 classes, found 3"),
        ({"labels": [0, 1]}, "got 2 labels for"),
    ],
)
def test_argument_errors(tmp_path, kwargs, match):
    _tree(tmp_path, counts=(("a", 1), ("b", 1), ("c", 1)))
    with pytest.raises(ValueError, match=match):
        keras.utils.image_dataset_from_directory(tmp_path, verbose=False, **kwargs)
    with pytest.raises(ValueError, match="is not a directory"):
        keras.utils.image_dataset_from_directory(tmp_path / "missing")


def test_crop_and_pad_to_the_target_aspect_ratio(tmp_path):
    (tmp_path / "a").mkdir()
    wide = np.arange(4 * 8 * 3, dtype=np.uint8).reshape(4, 8, 3)
    Image.fromarray(wide).save(tmp_path / "a" / "wide.png")

    def one(**kwargs):
        ds = keras.utils.image_dataset_from_directory(
            tmp_path, image_size=(4, 4), shuffle=False, verbose=False, **kwargs
        )
        return _all(ds)[0][0]

    # The centred 4x4 window of the 4x8 image: no resizing needed after the crop.
    np.testing.assert_array_equal(one(crop_to_aspect_ratio=True), wide[:, 2:6].astype("float32"))
    tall = tmp_path / "tall"
    (tall / "a").mkdir(parents=True)
    Image.fromarray(wide[:2, :4]).save(tall / "a" / "x.png")
    ds = keras.utils.image_dataset_from_directory(
        tall, image_size=(4, 4), pad_to_aspect_ratio=True, shuffle=False, verbose=False
    )
    padded = _all(ds)[0][0]  # 2x4 padded to 4x4 (image in rows 1-2), no resizing
    np.testing.assert_array_equal(padded[1:3], wide[:2, :4].astype("float32"))
    np.testing.assert_array_equal(padded[[0, 3]], 0.0)


def _ramp_tree(root):
    # One 6x4 grey ramp image (the same in the 3 channels).
    ramp = (np.arange(24).reshape(6, 4) * 10).astype(np.uint8)
    (root / "a").mkdir()
    Image.fromarray(np.stack([ramp] * 3, -1)).save(root / "a" / "x.png")
    return ramp.astype(np.float64)


# Printed by TensorFlow 2.21 for the ramp resized to (4, 3): tf.image.resize's kernels.
_TF_RAMP = {
    "bicubic": [
        [7.7461, 21.7153, 35.6845],
        [71.0308, 85.0, 98.9692],
        [131.0308, 145.0, 158.9692],
        [194.3155, 208.2847, 222.2538],
    ],
    "lanczos3": [
        [6.5561, 20.6982, 34.8403],
        [72.4734, 86.6155, 100.7575],
        [129.2425, 143.3845, 157.5266],
        [195.1597, 209.3018, 223.4439],
    ],
}


@pytest.mark.parametrize("interpolation", sorted(_TF_RAMP))
def test_resize_kernels_are_tensorflows(tmp_path, interpolation):
    # torch's bicubic (a = -0.75) differs from TF's (a = -0.5); lanczos is TF-only.
    _ramp_tree(tmp_path)
    ds = keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(4, 3), interpolation=interpolation, verbose=False
    )
    images, _ = _all(ds)
    assert images.dtype == np.float32
    np.testing.assert_allclose(images[0, :, :, 0], _TF_RAMP[interpolation], atol=2e-3)


def test_area_resize_averages_the_covered_pixels(tmp_path):
    ramp = _ramp_tree(tmp_path)

    def box(n_in, n_out):
        scale = n_in / n_out
        m = np.zeros((n_out, n_in))
        for i in range(n_out):
            for j in range(n_in):
                m[i, j] = max(0.0, min((i + 1) * scale, j + 1) - max(i * scale, j))
        return m / scale

    ds = keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(4, 3), interpolation="area", verbose=False
    )
    images, _ = _all(ds)
    np.testing.assert_allclose(images[0, :, :, 0], box(6, 4) @ ramp @ box(4, 3).T, rtol=1e-5)


def test_unknown_interpolation_message(tmp_path):
    _ramp_tree(tmp_path)
    with pytest.raises(ValueError, match="interpolation must be one of 'bilinear', .*got 'cubic'"):
        keras.utils.image_dataset_from_directory(tmp_path, interpolation="cubic", verbose=False)
