"""BackupAndRestore(save_before_preemption=...) (fuzzt5 sweep).

tf_keras 2.21's signature is BackupAndRestore(backup_dir, save_freq="epoch",
delete_checkpoint=True, save_before_preemption=False); on one CPU machine both values train
and back up as usual (checked with TF_USE_LEGACY_KERAS=1 and tf_keras 2.21). tork raised
TypeError on the keyword.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _fit(backup_dir, **kw):
    keras.backend.clear_session()
    x = np.random.RandomState(0).randn(8, 3).astype("float32")
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    m.compile("sgd", "mse")
    cb = keras.callbacks.BackupAndRestore(str(backup_dir), **kw)
    h = m.fit(x, x[:, :1], epochs=2, batch_size=4, verbose=0, callbacks=[cb])
    return cb, h


def test_save_before_preemption_false_is_accepted(tmp_path, recwarn):
    cb, h = _fit(tmp_path / "b", save_before_preemption=False)
    assert cb.save_before_preemption is False
    assert h.epoch == [0, 1]
    assert not [w for w in recwarn if "preemption" in str(w.message)]


def test_save_before_preemption_true_warns_and_trains(tmp_path):
    with pytest.warns(UserWarning, match=r"no preemption notices.*save_freq='epoch'"):
        cb, h = _fit(tmp_path / "b", save_before_preemption=True)
    assert cb.save_before_preemption is True
    assert h.epoch == [0, 1]
    # The backup was deleted at the end of a successful fit, as in tf_keras (directory empty).
    assert list((tmp_path / "b").iterdir()) == []
