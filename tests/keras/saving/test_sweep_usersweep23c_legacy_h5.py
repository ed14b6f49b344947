"""Sweep (usersweep23c): Keras 2 `.h5` weights of functional subclasses with assigned layers.

tf_keras 2.21 writes every layer of `model.layers` into `save_weights('x.h5')`: for a
distiller built as `super().__init__(inputs=student.inputs, outputs=student.outputs)` that
stores `self.teacher`/`self.student`, the file's `layer_names` are
`['input_2', 's_dense', 'teacher', 'student']` (recorded with TF_USE_LEGACY_KERAS=1 in the
reference env), so the teacher's weights survive a save/load round trip. tork's
`legacy_h5._layers` lists only the graph's layers and drops them silently; the fix (one line
in `tork/keras/saving/legacy_h5.py`, a file claimed by another helper) is in the report.
"""

import h5py
import numpy as np

import tork as tf

keras = tf.keras


class _Distiller(keras.Model):
    def __init__(self, teacher, student, **kwargs):
        super().__init__(inputs=student.inputs, outputs=student.outputs, **kwargs)
        self.teacher = teacher
        self.student = student


def _make():
    teacher = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(3, name="t_dense")], name="teacher"
    )
    student = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(2, name="s_dense")], name="student"
    )
    return _Distiller(teacher, student, name="d2")


def test_h5_weights_keep_assigned_layers(tmp_path):
    model = _make()
    kernel = np.full((4, 3), 7.0, "float32")
    model.teacher.layers[0].set_weights([kernel, np.ones(3, "float32")])
    path = str(tmp_path / "d.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f.attrs["layer_names"]]
    assert names[1:] == ["s_dense", "teacher", "student"]
    restored = _make()
    restored.load_weights(path)
    np.testing.assert_array_equal(restored.teacher.get_weights()[0], kernel)
