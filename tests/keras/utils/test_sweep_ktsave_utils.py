"""keras.utils as Keras 2's own unit tests state it (tf_keras np_utils_test.py,
data_utils_test.py).

Expected values from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) on the same inputs.
"""

import os
import pathlib

import numpy as np
import pytest

import tork as tf

keras = tf.keras


@pytest.mark.parametrize(
    "shape, expected",
    [
        ((1,), (1, 4)),
        ((3,), (3, 4)),
        ((4, 3), (4, 3, 4)),
        ((5, 4, 3), (5, 4, 3, 4)),
        ((3, 1), (3, 4)),
        ((3, 2, 1), (3, 2, 4)),
    ],
)
def test_to_ordinal_shapes_and_round_trip(shape, expected):
    labels = np.random.default_rng(0).integers(0, 5, shape)
    ordinal = keras.utils.to_ordinal(labels, 5)
    assert ordinal.shape == expected and ordinal.dtype == np.float32
    assert np.all((ordinal == 0) | (ordinal == 1))
    np.testing.assert_array_equal(ordinal.cumprod(-1).sum(-1).reshape(labels.shape), labels)


def test_to_ordinal_values_and_default_num_classes():
    # tf_keras 2.21: [[0, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 1]]
    np.testing.assert_array_equal(
        keras.utils.to_ordinal([0, 2, 4], 5),
        [[0, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 1]],
    )
    assert keras.utils.to_ordinal([0, 2, 5]).shape == (3, 5)


def test_to_ordinal_out_of_range_label_says_what_to_do():
    with pytest.raises(ValueError, match=r"to_ordinal: labels must be in 0..2 .* subtract 1"):
        keras.utils.to_ordinal([1, 3], 3)


def _tar_gz(path, members):
    import io
    import tarfile

    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_untar_extracts_into_the_cache_directory_as_keras2(tmp_path, capsys):
    # The TF image classification tutorial: get_file('flower_photos', url, untar=True),
    # then data_dir.glob('*/*.jpg'). tf_keras 2.21 returns <datadir>/flower_photos holding
    # the class folders, and keeps the archive as flower_photos.tar.gz.
    src = tmp_path / "src" / "flower_photos.tgz"
    src.parent.mkdir()
    _tar_gz(src, {f"flower_photos/{c}/{i}.jpg": b"abc" for c in ("daisy", "roses") for i in (0, 1)})
    cache = tmp_path / "cache"
    path = keras.utils.get_file("flower_photos", origin=src.as_uri(), untar=True, cache_dir=cache)
    assert path == str(cache / "datasets" / "flower_photos")
    assert sorted(os.listdir(path)) == ["daisy", "roses"]
    assert len(list(pathlib.Path(path).glob("*/*.jpg"))) == 4
    assert sorted(os.listdir(cache / "datasets")) == ["flower_photos", "flower_photos.tar.gz"]
    # Cached: no download the second time.
    capsys.readouterr()
    assert keras.utils.get_file("flower_photos", src.as_uri(), untar=True, cache_dir=cache) == path
    assert "Downloading" not in capsys.readouterr().out


def test_untar_into_the_working_directory_as_the_imdb_tutorial(tmp_path, monkeypatch):
    # get_file("aclImdb_v1", url, untar=True, cache_dir='.', cache_subdir=''), then
    # os.path.join(os.path.dirname(dataset), 'aclImdb') (tf_keras 2.21).
    src = tmp_path / "aclImdb_v1.tar.gz"
    _tar_gz(src, {"aclImdb/train/pos/0.txt": b"good", "aclImdb/README": b"r"})
    work = tmp_path / "work"
    work.mkdir()
    (work / "mine.txt").write_text("keep")
    monkeypatch.chdir(work)
    dataset = keras.utils.get_file(
        "aclImdb_v1", src.as_uri(), untar=True, cache_dir=".", cache_subdir=""
    )
    assert os.path.basename(dataset) == "aclImdb_v1"
    dataset_dir = os.path.join(os.path.dirname(dataset), "aclImdb")
    assert sorted(os.listdir(dataset_dir)) == ["README", "train"]
    assert (work / "mine.txt").read_text() == "keep"


def test_untar_of_a_broken_archive_deletes_nothing(tmp_path):
    src = tmp_path / "bad.tar.gz"
    src.write_bytes(b"not a tar archive")
    cache = tmp_path / "cache"
    (cache / "datasets").mkdir(parents=True)
    (cache / "datasets" / "other.npz").write_bytes(b"x")
    with pytest.warns(UserWarning, match="Could not extract"):
        keras.utils.get_file("bad", src.as_uri(), untar=True, cache_dir=cache)
    assert (cache / "datasets" / "other.npz").read_bytes() == b"x"
