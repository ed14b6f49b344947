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
        ({"label_mode": "sparse"}, "`label_mode` argument must be"),
        ({"color_mode": "cmyk"}, "`color_mode` must be one of"),
        ({"validation_split": 0.2}, "pass `subset`"),
        ({"validation_split": 0.2, "subset": "training"}, "must provide a `seed`"),
        ({"class_names": ["a", "b", "x"]}, "`class_names` passed did not match the subfolders"),
        ({"label_mode": "binary"}, "there must be exactly 2 classes, found 3"),
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


def _gradient(root):
    """One 4x6 RGB PNG under root/c; red channel 0, 15, 30, ... (TF's values below)."""
    (root / "c").mkdir()
    array = (np.arange(4 * 6 * 3).reshape(4, 6, 3) * 5 % 256).astype(np.uint8)
    Image.fromarray(array).save(root / "c" / "a.png")
    return array


def test_grayscale_16_bit_and_nearest_decode_as_tensorflow(tmp_path):
    array = _gradient(tmp_path).astype(np.int64)
    kw = dict(shuffle=False, label_mode=None, verbose=False)
    ds = keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(4, 6), color_mode="grayscale", interpolation="nearest", **kw
    )
    gray = next(iter(ds))
    # As tf_keras (tf.image.resize): "nearest" keeps the decoded uint8 pixels.
    assert str(gray.dtype) == "torch.uint8"
    # tf.io.decode_png's grayscale, (9797 R + 19234 G + 3737 B) >> 15; Pillow's own
    # conversion gives 80, not 79, at row 2, column 5.
    expected = (array[..., 0] * 9797 + array[..., 1] * 19234 + array[..., 2] * 3737) >> 15
    np.testing.assert_array_equal(np.asarray(gray)[0, ..., 0], expected)
    assert np.asarray(gray)[0, 2, 5, 0] == 79
    rgb = next(iter(keras.utils.image_dataset_from_directory(tmp_path, image_size=(4, 6), **kw)))
    assert str(rgb.dtype) == "torch.float32"
    deep = tmp_path / "deep"
    (deep / "c").mkdir(parents=True)
    values = np.array([[0, 300, 65535], [1000, 256, 40000]], dtype=np.uint16)
    Image.fromarray(values).save(deep / "c" / "a.png")
    for mode, channels in (("grayscale", 1), ("rgb", 3)):
        ds = keras.utils.image_dataset_from_directory(
            deep, image_size=(2, 3), color_mode=mode, interpolation="nearest", **kw
        )
        # TF keeps the high byte of 16-bit samples (Pillow's 8-bit conversion clips).
        np.testing.assert_array_equal(
            np.asarray(next(iter(ds)))[0], np.repeat((values >> 8)[..., None], channels, -1)
        )


def test_crop_to_aspect_ratio_truncates_the_crop_as_keras(tmp_path):
    _gradient(tmp_path)
    ds = keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(3, 3), crop_to_aspect_ratio=True, shuffle=False, verbose=False
    )
    images, _ = next(iter(ds))
    # tf_keras 2.21 (smart_resize of the 4x4 crop at column 1).
    np.testing.assert_allclose(
        np.asarray(images)[0, ..., 0],
        [[32.5, 52.5, 72.5], [152.5, 172.5, 192.5], [59.16664, 79.16664, 99.16664]],
        atol=1e-4,
    )
    # Keras 2's older keyword for it, and its error for unknown ones.
    same = keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(3, 3), smart_resize=True, shuffle=False, verbose=False
    )
    np.testing.assert_array_equal(np.asarray(next(iter(same))[0]), np.asarray(images))
    with pytest.raises(TypeError, match=r"Unknown keywords argument\(s\): \('crop',\)"):
        keras.utils.image_dataset_from_directory(tmp_path, crop=True)


def _png(path, value=0):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((2, 2, 3), value, np.uint8)).save(path)


def test_file_listing_follows_keras_2(tmp_path, capsys):
    import os

    names = ("a/1.png", "a/sub/2.png", "a/sub/deep/4.png", "a/sub-x/3.png", "b/5.png", "b/.6.png")
    for name in names + (".git/7.png",):
        _png(tmp_path / name)
    _png(tmp_path.parent / f"{tmp_path.name}_outside" / "8.png")
    os.symlink(tmp_path.parent / f"{tmp_path.name}_outside", tmp_path / "b" / "link")
    ds = keras.utils.image_dataset_from_directory(tmp_path, image_size=(2, 2), shuffle=False)
    assert "Found 7 files belonging to 2 classes." in capsys.readouterr().out
    # Hidden folders are not classes; the walk is sorted by folder path ("a/sub-x"
    # before "a/sub/deep"), and, as tf.io.gfile.walk does, it enters linked folders even
    # with follow_links=False.
    assert ds.class_names == ["a", "b"]
    rel = [os.path.relpath(p, tmp_path) for p in ds.file_paths]
    assert rel == [
        *("a/1.png", "a/sub/2.png", "a/sub-x/3.png", "a/sub/deep/4.png"),
        *("b/.6.png", "b/5.png", "b/link/8.png"),
    ]
    # class_names give the labels; the files keep Keras 2's sorted folder order.
    ds = keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(2, 2), shuffle=False, class_names=["b", "a"], verbose=False
    )
    assert [os.path.relpath(p, tmp_path) for p in ds.file_paths] == rel
    assert np.asarray(next(iter(ds))[1]).tolist() == [1, 1, 1, 1, 0, 0, 0]
    # label_mode=None indexes every image under the folder, as labels=None does.
    ds = keras.utils.image_dataset_from_directory(
        tmp_path, image_size=(2, 2), shuffle=False, label_mode=None
    )
    assert "Found 8 files belonging to 1 classes." in capsys.readouterr().out
    assert ds.class_names == [""]
    assert len(ds.file_paths) == 8 and ds.file_paths[0].endswith(os.path.join(".git", "7.png"))


def test_label_lists_and_split_errors(tmp_path, capsys):
    for i in range(5):
        _png(tmp_path / f"img{i}.png", value=i)
    kw = dict(image_size=(2, 2), shuffle=False)
    ds = keras.utils.image_dataset_from_directory(
        tmp_path, labels=[0, 3, 0, 3, 1], label_mode="categorical", **kw
    )
    # As Keras 2: the distinct labels are the class names, and the count printed.
    assert "Found 5 files belonging to 3 classes." in capsys.readouterr().out
    assert ds.class_names == [0, 1, 3]
    # The one-hot vectors keep max + 1 columns (Keras 2's 3 columns drop label 3).
    np.testing.assert_array_equal(np.asarray(next(iter(ds))[1]), np.eye(4)[[0, 3, 0, 3, 1]])
    with pytest.raises(ValueError, match="`labels` argument should be 'inferred'"):
        keras.utils.image_dataset_from_directory(tmp_path, labels="folders", **kw)
    with pytest.raises(ValueError, match='only pass `class_names` if `labels="inferred"`'):
        keras.utils.image_dataset_from_directory(
            tmp_path, labels=[0, 1, 0, 1, 0], class_names=["x", "y"], **kw
        )
    for subset in ("validation", "both"):
        with pytest.raises(ValueError, match="No validation files: validation_split=0.1 of 5"):
            keras.utils.image_dataset_from_directory(
                tmp_path, labels=None, validation_split=0.1, subset=subset, **kw
            )
