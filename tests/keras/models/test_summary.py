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


def test_subclassed_summary_shows_multiple_as_keras2():
    # Keras 2 records output shapes only for calls on symbolic tensors: the layers of a
    # subclassed model, called eagerly, show `multiple`.
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
    assert lines[4] == " dense (Dense)               multiple                  2112      "
    assert lines[6] == " dense_1 (Dense)             multiple                  650       "


def test_functional_summary_has_connected_to_column():
    keras.backend.clear_session()
    x = keras.Input(shape=(8,), name="img")
    y = keras.layers.Dense(2, name="head")(x)
    aux = keras.layers.Dense(2, name="aux")(x)  # two branches: not a chain
    lines = _lines(keras.Model(x, [y, aux]))
    assert len(lines[2]) == 98
    assert "Connected to" in lines[2]
    assert lines[4].startswith(" img (InputLayer)            [(None, 8)]")
    assert lines[4].rstrip().endswith("[]")
    assert "['img[0][0]']" in lines[6]
    assert "Total params: 36 (144.00 Byte)" in lines


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
    # Keras 2 builds the graph for the shape of the first batch, batch size included.
    assert " dense (Dense)               (2, 5, 3)                 15        " in _lines(model)


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


# The constants below were printed by tf_keras 2.21 for the same models (generated by a
# script running the models under TF_USE_LEGACY_KERAS=1, not typed by hand).
_KERAS2_FUNCTIONAL_CHAIN = [
    'Model: "mnist_model"',
    "_________________________________________________________________",
    " Layer (type)                Output Shape              Param #   ",
    "=================================================================",
    " input_1 (InputLayer)        [(None, 784)]             0         ",
    "                                                                 ",
    " dense (Dense)               (None, 64)                50240     ",
    "                                                                 ",
    " dense_1 (Dense)             (None, 64)                4160      ",
    "                                                                 ",
    " tf.nn.relu (TFOpLambda)     (None, 64)                0         ",
    "                                                                 ",
    " dense_2 (Dense)             (None, 10)                650       ",
    "                                                                 ",
    "=================================================================",
    "Total params: 55050 (215.04 KB)",
    "Trainable params: 55050 (215.04 KB)",
    "Non-trainable params: 0 (0.00 Byte)",
    "_________________________________________________________________",
]

_KERAS2_NESTED_CHAIN = [
    'Model: "autoencoder"',
    "_________________________________________________________________",
    " Layer (type)                Output Shape              Param #   ",
    "=================================================================",
    " img (InputLayer)            [(None, 28, 28, 1)]       0         ",
    "                                                                 ",
    " encoder (Functional)        (None, 16)                160       ",
    "                                                                 ",
    " decoder (Functional)        (None, 6, 6, 1)           10        ",
    "                                                                 ",
    "=================================================================",
    "Total params: 170 (680.00 Byte)",
    "Trainable params: 170 (680.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "_________________________________________________________________",
]

_KERAS2_NESTED_CHAIN_EXPANDED = [
    'Model: "autoencoder"',
    "_________________________________________________________________",
    " Layer (type)                Output Shape              Param #   ",
    "=================================================================",
    " img (InputLayer)            [(None, 28, 28, 1)]       0         ",
    "                                                                 ",
    " encoder (Functional)        (None, 16)                160       ",
    "|¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯|",
    "| original_img (InputLayer)  [(None, 28, 28, 1)]       0        |",
    "|                                                               |",
    "| conv2d (Conv2D)            (None, 26, 26, 16)        160      |",
    "|                                                               |",
    "| max_pooling2d (MaxPooling  (None, 8, 8, 16)          0        |",
    "| 2D)                                                           |",
    "|                                                               |",
    "| global_max_pooling2d (Glo  (None, 16)                0        |",
    "| balMaxPooling2D)                                              |",
    "¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯",
    " decoder (Functional)        (None, 6, 6, 1)           10        ",
    "|¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯|",
    "| encoded_img (InputLayer)   [(None, 16)]              0        |",
    "|                                                               |",
    "| reshape (Reshape)          (None, 4, 4, 1)           0        |",
    "|                                                               |",
    "| conv2d_transpose (Conv2DT  (None, 6, 6, 1)           10       |",
    "| ranspose)                                                     |",
    "¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯",
    "=================================================================",
    "Total params: 170 (680.00 Byte)",
    "Trainable params: 170 (680.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "_________________________________________________________________",
]

_KERAS2_NESTED_EXPANDED_TRAINABLE = [
    'Model: "outer"',
    "_____________________________________________________________________________________________________________",
    " Layer (type)                Output Shape                 Param #   Connected to                  Trainable  ",
    "=============================================================================================================",
    " x (InputLayer)              [(None, 4)]                  0         []                            Y          ",
    "                                                                                                             ",
    " inner (Functional)          (None, 3)                    15        ['x[0][0]']                   Y          ",
    "|¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯|",
    "| inner_in (InputLayer)      [(None, 4)]                  0         []                            Y         |",
    "|                                                                                                           |",
    "| inner_d (Dense)            (None, 3)                    15        []                            Y         |",
    "¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯",
    " block (Sequential)          (None, 5)                    40        ['inner[0][0]']               N          ",
    "|¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯|",
    "| sd1 (Dense)                (None, 5)                    20        []                            N         |",
    "|                                                                                                           |",
    "| bn (BatchNormalization)    (None, 5)                    20        []                            N         |",
    "¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯",
    " skip (Dense)                (None, 5)                    25        ['x[0][0]']                   Y          ",
    "                                                                                                             ",
    " add (Add)                   (None, 5)                    0         ['block[0][0]',               Y          ",
    "                                                                     'skip[0][0]']                           ",
    "                                                                                                             ",
    "=============================================================================================================",
    "Total params: 80 (320.00 Byte)",
    "Trainable params: 40 (160.00 Byte)",
    "Non-trainable params: 40 (160.00 Byte)",
    "_____________________________________________________________________________________________________________",
]

_KERAS2_NESTED_FUNCTIONAL = [
    'Model: "outer"',
    "__________________________________________________________________________________________________",
    " Layer (type)                Output Shape                 Param #   Connected to                  ",
    "==================================================================================================",
    " x (InputLayer)              [(None, 4)]                  0         []                            ",
    "                                                                                                  ",
    " inner (Functional)          (None, 3)                    15        ['x[0][0]']                   ",
    "                                                                                                  ",
    " block (Sequential)          (None, 5)                    40        ['inner[0][0]']               ",
    "                                                                                                  ",
    " skip (Dense)                (None, 5)                    25        ['x[0][0]']                   ",
    "                                                                                                  ",
    " add (Add)                   (None, 5)                    0         ['block[0][0]',               ",
    "                                                                     'skip[0][0]']                ",
    "                                                                                                  ",
    "==================================================================================================",
    "Total params: 80 (320.00 Byte)",
    "Trainable params: 40 (160.00 Byte)",
    "Non-trainable params: 40 (160.00 Byte)",
    "__________________________________________________________________________________________________",
]

_KERAS2_DEEP_SEQUENTIAL_EXPANDED = [
    'Model: "top"',
    "_________________________________________________________________",
    " Layer (type)                Output Shape              Param #   ",
    "=================================================================",
    " mid (Sequential)            (None, 2)                 20        ",
    "|¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯|",
    "| m1 (Dense)                 (None, 3)                 12       |",
    "|                                                               |",
    "| deep (Sequential)          (None, 2)                 8        |",
    "||¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯||",
    "|| c (Dense)                 (None, 2)                 8       ||",
    "|¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯|",
    "¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯",
    " h (Dense)                   (None, 1)                 3         ",
    "                                                                 ",
    "=================================================================",
    "Total params: 23 (92.00 Byte)",
    "Trainable params: 23 (92.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "_________________________________________________________________",
]

_KERAS2_SHARED_MULTIPLE = [
    'Model: "model"',
    "__________________________________________________________________________________________________",
    " Layer (type)                Output Shape                 Param #   Connected to                  ",
    "==================================================================================================",
    " i1 (InputLayer)             [(None, 3, 5)]               0         []                            ",
    "                                                                                                  ",
    " i2 (InputLayer)             [(None, 7, 5)]               0         []                            ",
    "                                                                                                  ",
    " dd (Dense)                  multiple                     12        ['i1[0][0]',                  ",
    "                                                                     'i2[0][0]']                  ",
    "                                                                                                  ",
    " cc (Concatenate)            (None, 10, 2)                0         ['dd[0][0]',                  ",
    "                                                                     'dd[1][0]']                  ",
    "                                                                                                  ",
    "==================================================================================================",
    "Total params: 12 (48.00 Byte)",
    "Trainable params: 12 (48.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "__________________________________________________________________________________________________",
]

_KERAS2_SHARED_CHAIN = [
    'Model: "model"',
    "__________________________________________________________________________________________________",
    " Layer (type)                Output Shape                 Param #   Connected to                  ",
    "==================================================================================================",
    " x (InputLayer)              [(None, 4)]                  0         []                            ",
    "                                                                                                  ",
    " twice (Dense)               (None, 4)                    20        ['x[0][0]',                   ",
    "                                                                     'twice[0][0]']               ",
    "                                                                                                  ",
    "==================================================================================================",
    "Total params: 20 (80.00 Byte)",
    "Trainable params: 20 (80.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "__________________________________________________________________________________________________",
]

_KERAS2_MULTI_OUTPUT_CHAIN = [
    'Model: "model"',
    "_________________________________________________________________",
    " Layer (type)                Output Shape              Param #   ",
    "=================================================================",
    " seq (InputLayer)            [(None, 5, 3)]            0         ",
    "                                                                 ",
    " lstm (LSTM)                 [(None, 4),               128       ",
    "                              (None, 4),                         ",
    "                              (None, 4)]                         ",
    "                                                                 ",
    " d (Dense)                   (None, 2)                 10        ",
    "                                                                 ",
    "=================================================================",
    "Total params: 138 (552.00 Byte)",
    "Trainable params: 138 (552.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "_________________________________________________________________",
]

_KERAS2_TWO_HEADS = [
    'Model: "model"',
    "________________________________________________________________________________",
    " Layer (type)       Output Shape        Param   Connected to                    ",
    "                                         #                                      ",
    "================================================================================",
    " in (InputLayer)    [(None, 10)]        0       []                              ",
    "                                                                                ",
    " trunk (Dense)      (None, 8)           88      ['in[0][0]']                    ",
    "                                                                                ",
    " out_a (Dense)      (None, 1)           9       ['trunk[0][0]']                 ",
    "                                                                                ",
    " out_b (Dense)      (None, 3)           27      ['trunk[0][0]']                 ",
    "                                                                                ",
    "================================================================================",
    "Total params: 124 (496.00 Byte)",
    "Trainable params: 124 (496.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "________________________________________________________________________________",
]

_KERAS2_SUBCLASSED = [
    'Model: "net"',
    "_________________________________________________________________",
    " Layer (type)                Output Shape              Param #   ",
    "=================================================================",
    " blk (Sequential)            (2, 3)                    39        ",
    "|¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯|",
    "| s1 (Dense)                 (2, 4)                    24       |",
    "|                                                               |",
    "| s2 (Dense)                 (2, 3)                    15       |",
    "¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯¯",
    " head (Dense)                multiple                  4         ",
    "                                                                 ",
    " unused (Dense)              multiple                  0 (unused)",
    "                                                                 ",
    "=================================================================",
    "Total params: 43 (172.00 Byte)",
    "Trainable params: 43 (172.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "_________________________________________________________________",
]

_KERAS2_LARGE = [
    'Model: "sequential"',
    "__________________________________________________",
    " Layer (type)       Output Shape        Param #   ",
    "==================================================",
    " dense (Dense)      (None, 1000)        1001000   ",
    "                                                  ",
    " dense_1 (Dense)    (None, 1000)        1001000   ",
    "                                                  ",
    "==================================================",
    "Total params: 2002000 (11.46 MB)",
    "Trainable params: 2002000 (11.46 MB)",
    "Non-trainable params: 0 (0.00 Byte)",
    "__________________________________________________",
]

_KERAS2_LAYER_RANGE = [
    'Model: "sequential"',
    "_________________________________________________________________",
    " Layer (type)                Output Shape              Param #   ",
    "=================================================================",
    " x2 (Dense)                  (None, 2)                 8         ",
    "                                                                 ",
    " x3 (Dense)                  (None, 1)                 3         ",
    "                                                                 ",
    "=================================================================",
    "Total params: 26 (104.00 Byte)",
    "Trainable params: 26 (104.00 Byte)",
    "Non-trainable params: 0 (0.00 Byte)",
    "_________________________________________________________________",
]


L = keras.layers


def _mnist_chain():
    import tork as tf

    keras.backend.clear_session()
    inputs = keras.Input(shape=(784,))
    x = L.Dense(64, activation="relu")(inputs)
    x = L.Dense(64, activation="relu")(x)
    x = tf.nn.relu(x)
    outputs = L.Dense(10)(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")


def _autoencoder():
    keras.backend.clear_session()
    encoder_input = keras.Input(shape=(28, 28, 1), name="original_img")
    x = L.Conv2D(16, 3, activation="relu")(encoder_input)
    x = L.MaxPooling2D(3)(x)
    encoder_output = L.GlobalMaxPooling2D()(x)
    encoder = keras.Model(encoder_input, encoder_output, name="encoder")
    decoder_input = keras.Input(shape=(16,), name="encoded_img")
    x = L.Reshape((4, 4, 1))(decoder_input)
    decoder_output = L.Conv2DTranspose(1, 3, activation="relu")(x)
    decoder = keras.Model(decoder_input, [decoder_output], name="decoder")
    autoencoder_input = keras.Input(shape=(28, 28, 1), name="img")
    decoded_img = decoder(encoder(autoencoder_input))
    return keras.Model(autoencoder_input, decoded_img, name="autoencoder")


def _nested_functional():
    keras.backend.clear_session()
    inner_in = keras.Input((4,), name="inner_in")
    inner = keras.Model(inner_in, L.Dense(3, name="inner_d")(inner_in), name="inner")
    seq = keras.Sequential(
        [L.Dense(5, input_shape=(3,), name="sd1"), L.BatchNormalization(name="bn")], name="block"
    )
    seq.trainable = False
    x = keras.Input((4,), name="x")
    z = seq(inner(x))
    w = L.Dense(5, name="skip")(x)
    return keras.Model(x, L.Add(name="add")([z, w]), name="outer")


def test_functional_chain_uses_sequential_layout():
    # Keras 2 drops "Connected to" when the graph is a single chain (its `sequential_like`).
    assert _lines(_mnist_chain()) == _KERAS2_FUNCTIONAL_CHAIN
    assert _lines(_autoencoder()) == _KERAS2_NESTED_CHAIN
    keras.backend.clear_session()
    x = keras.Input((4,), name="x")
    d = L.Dense(4, name="twice")
    assert _lines(keras.Model(x, d(d(x)))) == _KERAS2_SHARED_CHAIN  # a shared layer: not a chain
    keras.backend.clear_session()
    inputs = keras.Input((5, 3), name="seq")
    out, h, c = L.LSTM(4, return_state=True, name="lstm")(inputs)
    model = keras.Model(inputs, [out, L.Dense(2, name="d")(h), c])
    assert _lines(model) == _KERAS2_MULTI_OUTPUT_CHAIN


def test_expand_nested_draws_keras2_borders():
    assert _lines(_autoencoder(), expand_nested=True) == _KERAS2_NESTED_CHAIN_EXPANDED
    model = _nested_functional()
    assert _lines(model) == _KERAS2_NESTED_FUNCTIONAL
    expanded = _lines(model, expand_nested=True, show_trainable=True)
    assert expanded == _KERAS2_NESTED_EXPANDED_TRAINABLE
    keras.backend.clear_session()
    deep = keras.Sequential([L.Dense(2, name="c")], name="deep")
    mid = keras.Sequential([keras.Input((3,)), L.Dense(3, name="m1"), deep], name="mid")
    top = keras.Sequential([keras.Input((3,)), mid, L.Dense(1, name="h")], name="top")
    assert _lines(top, expand_nested=True) == _KERAS2_DEEP_SEQUENTIAL_EXPANDED


def test_layer_called_with_two_shapes_shows_multiple():
    keras.backend.clear_session()
    i1 = keras.Input((3, 5), name="i1")
    i2 = keras.Input((7, 5), name="i2")
    dd = L.Dense(2, name="dd")
    o = L.Concatenate(axis=1, name="cc")([dd(i1), dd(i2)])
    assert _lines(keras.Model([i1, i2], o)) == _KERAS2_SHARED_MULTIPLE


def test_line_length_and_positions():
    keras.backend.clear_session()
    inputs = keras.Input((10,), name="in")
    h = L.Dense(8, activation="relu", name="trunk")(inputs)
    a = L.Dense(1, name="out_a")(h)
    b = L.Dense(3, activation="softmax", name="out_b")(h)
    lines = _lines(keras.Model(inputs, [a, b]), line_length=80, positions=[0.25, 0.5, 0.6, 1.0])
    assert lines == _KERAS2_TWO_HEADS
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((1000,)), L.Dense(1000), L.Dense(1000, dtype="float64")])
    positions = [20, 40, 50]
    assert _lines(model, line_length=50, positions=positions) == _KERAS2_LARGE
    assert positions == [20, 40, 50]


def test_subclassed_model_rows_as_keras2():
    keras.backend.clear_session()

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.block = keras.Sequential(
                [L.Dense(4, name="s1"), L.Dense(3, name="s2")], name="blk"
            )
            self.head = L.Dense(1, name="head")
            self.unused = L.Dense(3, name="unused")

        def call(self, x):
            return self.head(self.block(x))

    model = Net()
    model(torch.ones(2, 5))
    assert _lines(model, expand_nested=True) == _KERAS2_SUBCLASSED


def test_layer_range_and_byte_units():
    from tork.keras.models.summary import _format_bytes, print_summary

    keras.backend.clear_session()
    model = keras.Sequential(
        [keras.Input((4,)), L.Dense(3, name="x1"), L.Dense(2, name="x2"), L.Dense(1, name="x3")]
    )
    lines = []
    print_summary(model, print_fn=lines.append, layer_range=["x3", "x2"])
    assert lines == _KERAS2_LAYER_RANGE
    assert _lines(model, layer_range=["x3", "x2"]) == _KERAS2_LAYER_RANGE  # through summary()
    with pytest.raises(ValueError, match="do not match the layer names in the model"):
        print_summary(model, print_fn=lines.append, layer_range=["nope", "x2"])
    with pytest.raises(ValueError, match="layer_range must be a list or tuple of length 2"):
        print_summary(model, print_fn=lines.append, layer_range=["x1"])
    # Keras 2 divides by 1024 while the size is at least 1024, up to PB.
    assert _format_bytes(1023) == "1023.00 Byte"
    assert _format_bytes(1024) == "1.00 KB"
    assert _format_bytes(3 * 1024**3) == "3.00 GB"
    assert _format_bytes(5 * 1024**4) == "5.00 TB"
    assert _format_bytes(2 * 1024**6) == "2048.00 PB"
