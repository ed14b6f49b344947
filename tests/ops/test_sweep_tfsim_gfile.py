"""`tf.io.gfile.GFile` after close(): TensorFlow reopens the file on the next call."""

import io

import numpy as np

import tork as tf


def test_read_after_close_reopens_from_the_start(tmp_path):
    path = tmp_path / "gf.txt"
    path.write_text("hello world")
    f = tf.io.gfile.GFile(str(path), "rb")
    assert f.read(3) == b"hel"
    f.close()
    # TF 2.21: tell() 0, read(3) b'hel', tell() 3, then seek(6) and read() b'world'.
    assert f.tell() == 0
    assert f.read(3) == b"hel"
    assert f.tell() == 3
    f.seek(6)
    assert f.read() == b"world"
    f.close()
    f.close()
    assert f.readline() == b"hello world"
    f.close()


def test_write_after_close_reopens_in_the_mode(tmp_path):
    path = tmp_path / "gf2.txt"
    w = tf.io.gfile.GFile(str(path), "w")
    w.write("ab")
    w.close()
    w.write("cd")  # TF 2.21: 'w' truncates again, the file then holds 'cd'
    w.close()
    assert path.read_text() == "cd"
    a = tf.io.gfile.GFile(str(path), "a")
    a.write("e")
    a.close()
    a.write("f")
    a.close()
    assert path.read_text() == "cdef"


def test_npz_read_lazily_after_the_with_block(tmp_path):
    # tensorflow_similarity's MemoryStore.load: np.load(gfile) inside `with`, arrays read after.
    buffer = io.BytesIO()
    np.savez(buffer, a=np.arange(3))
    path = str(tmp_path / "x.npz")
    with tf.io.gfile.GFile(path, "wb") as f:
        f.write(buffer.getvalue())
    with tf.io.gfile.GFile(path, "rb") as f:
        data = np.load(f, allow_pickle=True)
    assert data["a"].tolist() == [0, 1, 2]
