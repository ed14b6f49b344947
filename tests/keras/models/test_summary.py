"""Model.summary(): Keras 2 text layout, real shapes for subclassed models, errors."""

from __future__ import annotations

import pytest
import torch

from tork import keras


def _lines(model, **kwargs):
    lines = []
    model.summary(print_fn=lines.append, **kwargs)
    return lines


def test_sequential_summary_matches_keras2_layout():
    keras.backend.clear_session()
    model = keras.Sequential(
        [keras.layers.Dense(64, activation="relu", input_shape=(32,)), keras.layers.Dense(10)]
    )
    expected = [
        'Model: "sequential"',
        "_" * 65,
        " Layer (type)                Output Shape              Param #   ",
        "=" * 65,
        " dense (Dense)               (None, 64)                2112      ",
        " " * 65,
        " dense_1 (Dense)             (None, 10)                650       ",
        " " * 65,
        "=" * 65,
        "Total params: 2762 (10.79 KB)",
        "Trainable params: 2762 (10.79 KB)",
        "Non-trainable params: 0 (0.00 Byte)",
        "_" * 65,
    ]
    assert _lines(model) == expected


def test_subclassed_summary_shows_real_output_shapes_after_build():
    keras.backend.clear_session()

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense1 = keras.layers.Dense(64, activation="relu")
            self.dense2 = keras.layers.Dense(10, activation="softmax")

        def call(self, inputs):
            return self.dense2(self.dense1(inputs))

    model = Net()
    model.build((None, 32))
    lines = _lines(model)
    assert lines[0] == 'Model: "net"'
    assert lines[4] == " dense (Dense)               (None, 64)                2112      "
    assert lines[6] == " dense_1 (Dense)             (None, 10)                650       "


def test_functional_summary_has_connected_to_column():
    keras.backend.clear_session()
    x = keras.Input(shape=(8,), name="img")
    y = keras.layers.Dense(2, name="head")(x)
    lines = _lines(keras.Model(x, y))
    assert len(lines[2]) == 98
    assert "Connected to" in lines[2]
    assert lines[4].startswith(" img (InputLayer)            [(None, 8)]")
    assert lines[4].rstrip().endswith("[]")
    assert "['img[0][0]']" in lines[6]
    assert "Total params: 18 (72.00 Byte)" in lines


def test_summary_counts_non_trainable_and_shows_trainable_column():
    keras.backend.clear_session()
    model = keras.Sequential([keras.layers.Dense(4, input_shape=(3,)), keras.layers.Dense(1)])
    model.layers[0].trainable = False
    lines = _lines(model, show_trainable=True)
    assert "Trainable params: 5 (20.00 Byte)" in lines
    assert "Non-trainable params: 16 (64.00 Byte)" in lines
    assert any(line.rstrip().endswith("N") for line in lines)


def test_unbuilt_subclassed_summary_says_to_build_or_call():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1)

        def call(self, x):
            return self.d(x)

    with pytest.raises(
        ValueError, match=r"has not been built yet.*model\.build\(\(None, 32\)\).*model\(x\)"
    ):
        Net().summary()


def test_reserved_attribute_assignment_error():
    class Bad(keras.Model):
        def __init__(self):
            super().__init__()
            self.weights = [1, 2]

    with pytest.raises(
        AttributeError, match=r"Cannot set attribute 'weights' of Bad .*self\.my_weights"
    ):
        Bad()

    class BadLayers(keras.Model):
        def __init__(self):
            super().__init__()
            self.layers = 3

    with pytest.raises(TypeError, match="layers must be a list of layers"):
        BadLayers()


def test_summary_after_call_for_nested_shapes():
    keras.backend.clear_session()
    model = keras.Sequential([keras.layers.Dense(3)])
    model(torch.ones(2, 5, 4))
    assert " dense (Dense)               (None, 5, 3)              15        " in _lines(model)


# The expected texts below are what tf_keras 2.21 (Keras 2) printed for the same models.
_KERAS2_WRAPPED_NAMES = [
    'Model: "sequential"',
    "_________________________________________________________________",
    " Layer (type)                Output Shape              Param #   ",
    "=================================================================",
    " batch_normalization (Batch  (None, 300)               1200      ",
    " Normalization)                                                  ",
    "                                                                 ",
    " a_very_long_dense_layer_na  (None, 4)                 1204      ",
    " me_here (Dense)                                                 ",
    "                                                                 ",
    "=================================================================",
    "Total params: 2404 (9.39 KB)",
    "Trainable params: 1804 (7.05 KB)",
    "Non-trainable params: 600 (2.34 KB)",
    "_________________________________________________________________",
]

_KERAS2_ONE_CONNECTION_PER_LINE = [
    'Model: "model"',
    "__________________________________________________________________________________________________",
    " Layer (type)                Output Shape                 Param #   Connected to                  ",
    "==================================================================================================",
    " inp (InputLayer)            [(None, 3)]                  0         []                            ",
    "                                                                                                  ",
    " dense (Dense)               (None, 2)                    8         ['inp[0][0]']                 ",
    "                                                                                                  ",
    " dense_1 (Dense)             (None, 2)                    8         ['inp[0][0]']                 ",
    "                                                                                                  ",
    " concatenate (Concatenate)   (None, 4)                    0         ['dense[0][0]',               ",
    "                                                                     'dense_1[0][0]']             ",
    "                                                                                                  ",
    "==================================================================================================",
    "Total params: 16 (64.00 Byte)",
    "Trainable params: 16 (64.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "__________________________________________________________________________________________________",
]

_KERAS2_TF_OP_ROWS = [
    'Model: "model"',
    "__________________________________________________________________________________________________",
    " Layer (type)                Output Shape                 Param #   Connected to                  ",
    "==================================================================================================",
    " x (InputLayer)              [(None, 4)]                  0         []                            ",
    "                                                                                                  ",
    " d (Dense)                   (None, 6)                    30        ['x[0][0]']                   ",
    "                                                                                                  ",
    " tf.nn.relu (TFOpLambda)     (None, 6)                    0         ['d[0][0]']                   ",
    "                                                                                                  ",
    " tf.math.reduce_sum (TFOpLa  (None, 1)                    0         ['tf.nn.relu[0][0]']          ",
    " mbda)                                                                                            ",
    "                                                                                                  ",
    " tf.math.multiply (TFOpLamb  (None, 1)                    0         ['tf.math.reduce_sum[0][0]']  ",
    " da)                                                                                              ",
    "                                                                                                  ",
    " tf.concat (TFOpLambda)      (None, 7)                    0         ['tf.nn.relu[0][0]',          ",
    "                                                                     'tf.math.multiply[0][0]']    ",
    "                                                                                                  ",
    " tf.__operators__.getitem (  (None, 3)                    0         ['tf.concat[0][0]']           ",
    " SlicingOpLambda)                                                                                 ",
    "                                                                                                  ",
    " tf.nn.relu_1 (TFOpLambda)   (None, 3)                    0         ['tf.__operators__.getitem[0][",
    "                                                                    0]']                          ",
    "                                                                                                  ",
    " e (Dense)                   (None, 3)                    12        ['tf.nn.relu_1[0][0]']        ",
    "                                                                                                  ",
    " tf.__operators__.add (TFOp  (None, 3)                    0         ['tf.__operators__.getitem[0][",
    " Lambda)                                                            0]',                          ",
    "                                                                     'e[0][0]']                   ",
    "                                                                                                  ",
    " add (Add)                   (None, 3)                    0         ['e[0][0]',                   ",
    "                                                                     'tf.__operators__.add[0][0]']",
    "                                                                                                  ",
    " tf.split (TFOpLambda)       [(None, 1),                  0         ['add[0][0]']                 ",
    "                              (None, 1),                                                          ",
    "                              (None, 1)]                                                          ",
    "                                                                                                  ",
    "==================================================================================================",
    "Total params: 42 (168.00 Byte)",
    "Trainable params: 42 (168.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "__________________________________________________________________________________________________",
]


def test_long_names_wrap_as_keras2():
    keras.backend.clear_session()
    model = keras.Sequential(
        [
            keras.Input((300,)),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(4, name="a_very_long_dense_layer_name_here"),
        ]
    )
    assert _lines(model) == _KERAS2_WRAPPED_NAMES
    inputs = keras.Input((3,), name="inp")
    a = keras.layers.Dense(2)(inputs)
    b = keras.layers.Dense(2)(inputs)
    joined = keras.layers.Concatenate()([a, b])
    assert _lines(keras.Model(inputs, [joined, a, b])) == _KERAS2_ONE_CONNECTION_PER_LINE


def test_tf_ops_on_symbolic_tensors_are_tfoplambda_rows():
    import tork as tf

    keras.backend.clear_session()
    inputs = keras.Input((4,), name="x")
    h = tf.nn.relu(keras.layers.Dense(6, name="d")(inputs))
    total = tf.reduce_sum(h, axis=1, keepdims=True)
    joined = tf.concat([h, total * 2.0], axis=-1)
    head = joined[:, :3]
    h2 = keras.layers.Dense(3, name="e")(tf.nn.relu(head))
    out = keras.layers.Add()([h2, head + h2])
    model = keras.Model(inputs, [out, tf.split(out, 3, axis=1)[0]])
    assert _lines(model) == _KERAS2_TF_OP_ROWS
