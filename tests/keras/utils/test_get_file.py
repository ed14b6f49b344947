import hashlib
import io
import os
import tarfile
import urllib.error
import zipfile
from pathlib import Path

import pytest

import tork as tf

get_file = tf.keras.utils.get_file


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    return tmp_path / "kh"


def _offline(monkeypatch):
    def urlopen(*args, **kwargs):
        raise urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))

    monkeypatch.setattr("urllib.request.urlopen", urlopen)


def test_cached_file_is_used_without_network(home, monkeypatch):
    _offline(monkeypatch)
    target = home / "datasets" / "data.txt"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"hello")
    sha = hashlib.sha256(b"hello").hexdigest()
    md5 = hashlib.md5(b"hello").hexdigest()
    assert get_file("data.txt", "https://example.com/data.txt") == str(target)
    assert get_file("data.txt", "https://example.com/data.txt", file_hash=sha) == str(target)
    assert get_file(origin="https://example.com/data.txt", md5_hash=md5) == str(target)


def test_file_origin_download_and_hash(home, tmp_path):
    src = tmp_path / "source.bin"
    src.write_bytes(b"payload" * 1000)
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    path = get_file("copy.bin", src.as_uri(), file_hash=sha, cache_subdir="sub")
    assert path == str(home / "sub" / "copy.bin")
    assert Path(path).read_bytes() == b"payload" * 1000
    other = get_file(origin=src.as_uri(), cache_dir=str(tmp_path / "cache"))
    assert other == str(tmp_path / "cache" / "datasets" / "source.bin")


def test_download_hash_mismatch(home, tmp_path):
    src = tmp_path / "source.bin"
    src.write_bytes(b"abc")
    with pytest.raises(
        ValueError, match="sha256 hash that does not match the provided value of 0+"
    ):
        get_file("x.bin", src.as_uri(), file_hash="0" * 64)
    assert not (home / "datasets" / "x.bin").exists()
    with pytest.raises(ValueError, match="md5 hash"):
        get_file("x.bin", src.as_uri(), file_hash="0" * 32)


def test_offline_error_message(home, monkeypatch):
    _offline(monkeypatch)
    url = "https://example.com/files/big.npz"
    with pytest.raises(
        OSError, match="URL fetch failure on https://example.com/files/big.npz"
    ) as e:
        get_file(origin=url)
    message = str(e.value)
    assert "Connection refused" in message
    assert str(home / "datasets" / "big.npz") in message
    assert not (home / "datasets" / "big.npz").exists()


def test_stale_cached_file_is_redownloaded(home, tmp_path):
    src = tmp_path / "new.txt"
    src.write_bytes(b"new")
    cached = home / "datasets" / "f.txt"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"old")
    get_file("f.txt", src.as_uri(), file_hash=hashlib.sha256(b"new").hexdigest())
    assert cached.read_bytes() == b"new"
    get_file("f.txt", src.as_uri(), force_download=True)
    assert cached.read_bytes() == b"new"


def _tar_gz(path):
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("folder/a.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"aaa"))


def test_extract_tar_without_extension(home, tmp_path):
    src = tmp_path / "photos.tgz"
    _tar_gz(src)
    path = get_file("photos", src.as_uri(), extract=True)
    assert path == str(home / "datasets" / "photos")
    assert Path(path, "folder", "a.txt").read_text() == "aaa"
    assert (home / "datasets" / "photos_archive").exists()
    # Keras 2 spelling.
    assert get_file("photos", src.as_uri(), untar=True) == path


def test_extract_zip_with_extension(home, tmp_path):
    src = tmp_path / "d.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("inner/b.txt", "bbb")
    path = get_file("data.zip", src.as_uri(), extract=True)
    assert path == str(home / "datasets" / "data_extracted")
    assert Path(path, "inner", "b.txt").read_text() == "bbb"
    assert (home / "datasets" / "data.zip").exists()


def test_extract_skips_escaping_members(home, tmp_path):
    src = tmp_path / "evil.zip"
    with zipfile.ZipFile(src, "w") as zf:
        zf.writestr("../escaped.txt", "x")
        zf.writestr("ok.txt", "y")
    path = get_file("evil", src.as_uri(), extract=True)
    assert os.listdir(path) == ["ok.txt"]
    assert not (home / "datasets" / "escaped.txt").exists()


def test_argument_errors(home):
    with pytest.raises(ValueError, match='specify the "origin"'):
        get_file("a.txt")
    with pytest.raises(ValueError, match="must be a file name, not a path"):
        get_file("sub/a.txt", "https://example.com/a.txt")
    with pytest.raises(ValueError, match="Can't take a file name from origin"):
        get_file(origin="https://example.com/")
    with pytest.raises(ValueError, match="Unknown hash_algorithm 'sha1'"):
        get_file("a.txt", "https://example.com/a.txt", hash_algorithm="sha1")


def test_unknown_archive_format(home, tmp_path):
    src = tmp_path / "a.tgz"
    _tar_gz(src)
    with pytest.raises(ValueError, match="Unknown archive_format 'rar'"):
        get_file("a", src.as_uri(), extract=True, archive_format="rar")
