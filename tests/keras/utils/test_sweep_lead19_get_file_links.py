"""`get_file(..., extract=True)` serves Keras 2's and Keras 3's layouts at once.

TF's transfer-learning tutorial (Keras 2) does
`path = get_file('cats_and_dogs.zip', origin=url, extract=True)` then
`os.path.join(os.path.dirname(path), 'cats_and_dogs_filtered')`: tf_keras 2.21 returns the
archive path and extracts into the cache directory, so that folder exists (checked with a
file:// origin). Keras 3 returns the extraction directory (tork too), and a link per
top-level entry in the cache directory makes the Keras 2 path work as well.
"""

import os
import zipfile
from pathlib import Path

import pytest

import tork as tf


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    return tmp_path / "kh"


def _zip(path):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("cats_and_dogs_filtered/train/a.txt", "aaa")


def test_keras2_and_keras3_paths_both_find_the_data(home, tmp_path):
    src = tmp_path / "cats.zip"
    _zip(src)
    path = tf.keras.utils.get_file("cats_and_dogs.zip", origin=src.as_uri(), extract=True)
    assert path == str(home / "datasets" / "cats_and_dogs_extracted")
    keras3 = Path(path, "cats_and_dogs_filtered", "train", "a.txt")
    keras2 = Path(os.path.dirname(path), "cats_and_dogs_filtered", "train", "a.txt")
    assert keras3.read_text() == keras2.read_text() == "aaa"
    # A second call (already extracted) keeps both.
    again = tf.keras.utils.get_file("cats_and_dogs.zip", origin=src.as_uri(), extract=True)
    assert again == path and keras2.read_text() == "aaa"


def test_existing_names_in_the_cache_are_left_alone(home, tmp_path):
    taken = home / "datasets" / "cats_and_dogs_filtered"
    taken.mkdir(parents=True)
    (taken / "mine.txt").write_text("mine")
    src = tmp_path / "cats.zip"
    _zip(src)
    tf.keras.utils.get_file("cats_and_dogs.zip", origin=src.as_uri(), extract=True)
    assert not taken.is_symlink()
    assert sorted(os.listdir(taken)) == ["mine.txt"]
