"""tf.io.gfile and tf.io.matching_files, checked against os, shutil and pathlib."""

import os

import numpy as np
import pytest

import tork as tf

gfile = tf.io.gfile


@pytest.fixture
def tree(tmp_path):
    for rel in ["a.txt", "b.txt", "c.csv", ".hidden", "sub/d.txt", "sub/e.csv", "sub/deep/f.txt"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rel.encode())
    (tmp_path / "empty").mkdir()
    return tmp_path


def _rel(root, paths):
    return [os.path.relpath(p, root) for p in paths]


def test_glob_matches_pathlib(tree):
    assert gfile.glob(str(tree / "*.txt")) == sorted(str(p) for p in tree.glob("*.txt"))
    assert _rel(tree, gfile.glob(str(tree / "*/*.csv"))) == ["sub/e.csv"]
    # `*` matches dot files (unlike Python's glob) but never crosses `/`.
    assert _rel(tree, gfile.glob(str(tree / "*"))) == sorted(
        ["a.txt", "b.txt", "c.csv", ".hidden", "sub", "empty"], key=os.fsencode
    )
    assert _rel(tree, gfile.glob(str(tree / "[ab].txt"))) == ["a.txt", "b.txt"]
    assert _rel(tree, gfile.glob(str(tree / "[^a].txt"))) == ["b.txt"]
    assert _rel(tree, gfile.glob(str(tree / "[!a].txt"))) == ["b.txt"]
    assert _rel(tree, gfile.glob(str(tree / "?.csv"))) == ["c.csv"]
    assert _rel(tree, gfile.glob(str(tree / "sub" / "*" / "f.txt"))) == ["sub/deep/f.txt"]
    assert gfile.glob(str(tree / "a.txt")) == [str(tree / "a.txt")]
    assert gfile.glob(str(tree / "nope" / "*")) == []
    # A list of patterns: each one's matches, in pattern order.
    both = gfile.glob([str(tree / "*.csv"), str(tree / "a*")])
    assert _rel(tree, both) == ["c.csv", "a.txt"]


def test_glob_escapes_and_relative_patterns(tree, monkeypatch):
    (tree / "x*y.txt").write_text("star")
    assert _rel(tree, gfile.glob(str(tree / "x\\*y.txt"))) == ["x*y.txt"]
    assert _rel(tree, gfile.glob(str(tree / "x*.txt"))) == ["x*y.txt"]
    monkeypatch.chdir(tree)
    assert gfile.glob("sub/*.txt") == ["sub/d.txt"]
    assert gfile.glob("*.csv") == ["c.csv"]


def test_matching_files_is_a_sorted_string_tensor(tree):
    result = tf.io.matching_files(str(tree / "*.txt"))
    assert result.dtype == tf.string and result.shape == (2,)
    assert result.numpy().tolist() == [os.fsencode(str(tree / n)) for n in ["a.txt", "b.txt"]]
    several = tf.io.matching_files(tf.constant([str(tree / "sub/*"), str(tree / "*.csv")]))
    assert _rel(tree, [os.fsdecode(b) for b in several.numpy()]) == [
        "c.csv",
        "sub/d.txt",
        "sub/deep",
        "sub/e.csv",
    ]
    empty = tf.io.matching_files(str(tree / "*.png"))
    assert empty.dtype == tf.string and empty.shape == (0,)


def test_exists_isdir_listdir_stat(tree):
    assert gfile.exists(str(tree / "a.txt")) and gfile.exists(tree / "sub")
    assert not gfile.exists(str(tree / "zzz"))
    assert gfile.isdir(str(tree / "sub")) and not gfile.isdir(str(tree / "a.txt"))
    assert gfile.listdir(str(tree / "sub")) == sorted(os.listdir(tree / "sub"))
    assert gfile.listdir(tf.constant(str(tree / "empty"))) == []
    with pytest.raises(tf.errors.NotFoundError, match="could not find directory"):
        gfile.listdir(str(tree / "a.txt"))
    info = gfile.stat(str(tree / "sub/d.txt"))
    assert info.length == len(b"sub/d.txt") == os.path.getsize(tree / "sub/d.txt")
    assert info.mtime_nsec == os.stat(tree / "sub/d.txt").st_mtime_ns
    assert not info.is_directory and gfile.stat(str(tree / "sub")).is_directory
    with pytest.raises(tf.errors.NotFoundError, match="no such file"):
        gfile.stat(str(tree / "zzz"))
    assert gfile.join(str(tree), "sub", "d.txt") == os.path.join(str(tree), "sub", "d.txt")


def test_walk_matches_os_walk(tree):
    ours = [(d, sorted(s), sorted(f)) for d, s, f in gfile.walk(str(tree))]
    theirs = [(d, sorted(s), sorted(f)) for d, s, f in os.walk(str(tree))]
    assert sorted(ours) == sorted(theirs)
    assert ours[0][0] == str(tree)  # top-down: the root first
    assert [d for d, _, _ in gfile.walk(str(tree), topdown=False)][-1] == str(tree)
    pruned = []
    for dirname, subdirs, _ in gfile.walk(str(tree)):
        pruned.append(dirname)
        subdirs[:] = [s for s in subdirs if s != "sub"]
    assert sorted(pruned) == [str(tree), str(tree / "empty")]
    errors = []
    assert list(gfile.walk(str(tree / "zzz"), onerror=errors.append)) == []
    assert len(errors) == 1 and isinstance(errors[0], tf.errors.NotFoundError)


def test_makedirs_mkdir_remove_rmtree(tree):
    gfile.makedirs(str(tree / "x" / "y" / "z"))
    gfile.makedirs(str(tree / "x" / "y"))  # existing: fine
    assert os.path.isdir(tree / "x" / "y" / "z")
    gfile.mkdir(str(tree / "one"))
    assert os.path.isdir(tree / "one")
    with pytest.raises(FileExistsError, match="already exists"):
        gfile.mkdir(str(tree / "one"))
    with pytest.raises(tf.errors.NotFoundError, match="use tf.io.gfile.makedirs"):
        gfile.mkdir(str(tree / "no" / "parent"))
    with pytest.raises(FileExistsError, match="not a directory"):
        gfile.makedirs(str(tree / "a.txt" / "below"))
    with pytest.raises(FileExistsError, match="not a directory"):
        gfile.makedirs(str(tree / "a.txt"))
    gfile.remove(str(tree / "a.txt"))
    assert not os.path.exists(tree / "a.txt")
    with pytest.raises(tf.errors.NotFoundError, match="no such file"):
        gfile.remove(str(tree / "a.txt"))
    with pytest.raises(IsADirectoryError, match="use tf.io.gfile.rmtree"):
        gfile.remove(str(tree / "sub"))
    gfile.rmtree(str(tree / "sub"))
    assert not os.path.exists(tree / "sub")
    with pytest.raises(tf.errors.NotFoundError, match="no such directory"):
        gfile.rmtree(str(tree / "sub"))


def test_copy_and_rename(tree):
    gfile.copy(str(tree / "a.txt"), str(tree / "copy.txt"))
    assert (tree / "copy.txt").read_bytes() == b"a.txt" and (tree / "a.txt").exists()
    with pytest.raises(FileExistsError, match="overwrite=True"):
        gfile.copy(str(tree / "b.txt"), str(tree / "copy.txt"))
    gfile.copy(str(tree / "b.txt"), str(tree / "copy.txt"), overwrite=True)
    assert (tree / "copy.txt").read_bytes() == b"b.txt"
    with pytest.raises(tf.errors.NotFoundError, match="no such file"):
        gfile.copy(str(tree / "zzz"), str(tree / "other"))
    gfile.rename(str(tree / "copy.txt"), str(tree / "moved.txt"))
    assert not (tree / "copy.txt").exists() and (tree / "moved.txt").read_bytes() == b"b.txt"
    with pytest.raises(FileExistsError, match="already exists"):
        gfile.rename(str(tree / "moved.txt"), str(tree / "a.txt"))
    gfile.rename(str(tree / "moved.txt"), str(tree / "a.txt"), overwrite=True)
    assert (tree / "a.txt").read_bytes() == b"b.txt"
    gfile.rename(str(tree / "sub"), str(tree / "sub2"))  # directories too
    assert (tree / "sub2" / "deep" / "f.txt").exists()
    with pytest.raises(tf.errors.NotFoundError):
        gfile.rename(str(tree / "zzz"), str(tree / "other"))


def test_gfile_text_and_binary(tmp_path):
    path = str(tmp_path / "notes.txt")
    with gfile.GFile(path, "w") as f:
        f.write("line 1\n")
        f.write(b"line 2\n")
        f.write("\u00e9t\u00e9\n")
        assert f.tell() == len("line 1\nline 2\n\u00e9t\u00e9\n".encode())
    assert f.name == path and f.mode == "w"
    content = "line 1\nline 2\n\u00e9t\u00e9\n"
    with open(path, encoding="utf-8") as reference:
        assert reference.read() == content
    with gfile.GFile(path) as f:
        assert f.size() == os.path.getsize(path)
        assert f.readline() == "line 1\n"
        assert f.readlines() == ["line 2\n", "\u00e9t\u00e9\n"]
        assert f.readline() == ""
    with gfile.GFile(path, "rb") as f:
        assert f.read(4) == b"line" and f.tell() == 4
        f.seek(5)
        assert f.read(1) == b"1"
        f.seek(-4, 2)
        assert f.read() == "t\u00e9\n".encode()
        f.seek(position=0)
        assert list(f) == [line.encode() for line in content.splitlines(keepends=True)]
    assert list(gfile.GFile(path)) == content.splitlines(keepends=True)
    with gfile.GFile(path, "a") as f:
        f.write("more")
    assert gfile.GFile(path, "r").read() == content + "more"


def test_gfile_errors(tmp_path):
    missing = str(tmp_path / "missing.txt")
    f = gfile.GFile(missing)  # opened lazily, as in TensorFlow
    with pytest.raises(tf.errors.NotFoundError, match="no such file"):
        f.read()
    with gfile.GFile(missing, "w"):
        pass
    assert not os.path.exists(missing)  # never written: not created
    with pytest.raises(ValueError, match="invalid mode 'x'"):
        gfile.GFile(missing, "x")
    path = tmp_path / "data.bin"
    path.write_bytes(b"abc")
    with gfile.GFile(str(path), "rb") as f, pytest.raises(PermissionError, match="not for writing"):
        f.write(b"x")
    with gfile.GFile(str(path), "wb") as f, pytest.raises(PermissionError, match="not for reading"):
        f.read()
    closed = gfile.GFile(str(path), "rb")
    closed.close()
    # TF 2.21: a closed GFile reopens on the next read, from the start.
    assert closed.read() == b"abc"
    with pytest.raises(TypeError, match="expected a path"):
        gfile.exists(3)
    with pytest.raises(TypeError, match="str or bytes"):
        gfile.GFile(str(path), "w").write(np.zeros(2))


def test_missing_gfile_name_is_not_implemented():
    with pytest.raises(NotImplementedError, match="tf.io.gfile.get_registered_schemes"):
        gfile.get_registered_schemes  # noqa: B018
