"""Sweep (usersweep23c): functional subclasses that assign more layers after `__init__`.

A knowledge-distillation `Model` subclass built as `super().__init__(inputs=student.inputs,
outputs=student.outputs)` that then stores `self.teacher` and `self.student` lists those two
models after the graph's layers in `model.layers` and in `summary()`, as tf_keras 2.21 does
(values recorded with TF_USE_LEGACY_KERAS=1 in the reference env).
"""

import tork as tf

keras = tf.keras


class _Distiller(keras.Model):
    def __init__(self, teacher, student, **kwargs):
        super().__init__(inputs=student.inputs, outputs=student.outputs, **kwargs)
        self.teacher = teacher
        self.teacher.trainable = False
        self.student = student


def _pair():
    teacher = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(3, name="t_dense")], name="teacher"
    )
    student = keras.Sequential(
        [keras.Input(shape=(4,)), keras.layers.Dense(2, name="s_dense")], name="student"
    )
    return teacher, student


def test_assigned_layers_follow_graph_layers():
    teacher, student = _pair()
    model = _Distiller(teacher, student, name="d2")
    # tf_keras: ['input_1', 's_dense', 'teacher', 'student'] (the input's name is counted).
    names = [layer.name for layer in model.layers]
    assert names[1:] == ["s_dense", "teacher", "student"]
    assert model.layers[-2] is teacher and model.layers[-1] is student
    # Weights are shared, not counted twice: 10 student + 15 teacher parameters.
    assert model.count_params() == 25
    assert len(model.trainable_variables) == 2


def test_assigned_layers_in_summary():
    teacher, student = _pair()
    model = _Distiller(teacher, student, name="d2")
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    # tf_keras rows: "teacher (Sequential)  (None, 3)  15" and "student (Sequential)
    # (None, 2)  10", after the graph's rows; totals 25 / 10 trainable / 15 non-trainable.
    assert text.index("s_dense (Dense)") < text.index("teacher (Sequential)")
    assert text.index("teacher (Sequential)") < text.index("student (Sequential)")
    assert "Total params: 25" in text
    assert "Trainable params: 10" in text
    assert "Non-trainable params: 15" in text


def test_plain_functional_layers_unchanged():
    inputs = keras.Input((4,), name="x")
    outputs = keras.layers.Dense(2, name="d")(inputs)
    model = keras.Model(inputs, outputs)
    assert [layer.name for layer in model.layers] == ["x", "d"]
