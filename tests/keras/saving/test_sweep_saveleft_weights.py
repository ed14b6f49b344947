"""`save_weights('dir/ckpt/')`: a checkpoint prefix ending in a separator (tf_keras 2.21).

tf_keras writes `dir/ckpt/.index`, `dir/ckpt/.data-00000-of-00001` and `dir/ckpt/checkpoint`
(creating the directory), and `load_weights('dir/ckpt/')` reads them back; the same for
`tf.train.Checkpoint.write('dir/w/')` and `restore('dir/w/')`. An existing directory named
without the separator is a prefix whose files go beside it (`dir/e.index`).
"""

import os

import numpy as np

import tork as tf

keras = tf.keras


def _model(seed):
    m = keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    rng = np.random.default_rng(seed)
    m.set_weights([rng.normal(size=w.shape).astype("float32") for w in m.get_weights()])
    return m


def test_save_weights_trailing_slash_writes_inside_directory(tmp_path):
    m = _model(0)
    path = str(tmp_path / "sub" / "ckpt") + "/"
    assert m.save_weights(path) is None
    assert sorted(os.listdir(tmp_path / "sub" / "ckpt")) == [
        ".data-00000-of-00001",
        ".index",
        "checkpoint",
    ]
    m2 = _model(1)
    status = m2.load_weights(path)
    status.assert_consumed()
    for a, b in zip(m.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_save_weights_trailing_slash_existing_directory_and_model_checkpoint(tmp_path):
    (tmp_path / "ex").mkdir()
    m = _model(0)
    m.compile("adam", "mse")
    m.save_weights(str(tmp_path / "ex") + "/")
    assert ".index" in os.listdir(tmp_path / "ex")
    cb = keras.callbacks.ModelCheckpoint(str(tmp_path / "mc") + "/", save_weights_only=True)
    m.fit(np.ones((4, 3)), np.ones((4, 2)), epochs=1, verbose=0, callbacks=[cb])
    assert sorted(os.listdir(tmp_path / "mc")) == [".data-00000-of-00001", ".index", "checkpoint"]
    m2 = _model(1)
    m2.load_weights(str(tmp_path / "mc") + "/").expect_partial()
    for a, b in zip(m.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_existing_directory_without_separator_is_a_sibling_prefix(tmp_path):
    (tmp_path / "e").mkdir()
    m = _model(0)
    m.save_weights(str(tmp_path / "e"))
    assert os.listdir(tmp_path / "e") == []
    assert (tmp_path / "e.index").exists()
    m2 = _model(1)
    m2.load_weights(str(tmp_path / "e"))
    for a, b in zip(m.get_weights(), m2.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_checkpoint_write_and_restore_trailing_slash(tmp_path):
    v = tf.Variable(3.0)
    ckpt = tf.train.Checkpoint(v=v)
    path = ckpt.write(str(tmp_path / "w") + "/")
    assert sorted(os.listdir(tmp_path / "w")) == [".data-00000-of-00001", ".index"]
    v.assign(1.0)
    ckpt.restore(path)
    assert float(v.numpy()) == 3.0
    (tmp_path / "e").mkdir()
    ckpt.write(str(tmp_path / "e"))
    v.assign(1.0)
    ckpt.restore(str(tmp_path / "e"))
    assert float(v.numpy()) == 3.0
