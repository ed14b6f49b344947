"""Keras 2 backend functions on functional-API tensors record tf_keras's op layers.

Found by differential fuzzing against tf_keras (helper fuzzsym2). The layer names, shapes
and values were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same code, on the
inputs of `_data` (sum of the outputs, and sum of the outputs times their flat index).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
K = keras.backend


def _data():
    rng = np.random.RandomState(0)
    return [
        rng.standard_normal((2, 3, 4)).astype("float32"),
        rng.randint(0, 4, (2, 4)).astype("float32"),
        rng.standard_normal((2, 5, 4)).astype("float32"),
    ]


# tf_keras's K.switch of a rank >= 2 condition: reshape and tile it, then tf.where.
_SWITCH_OPS = [
    "tf.math.greater",
    "tf.compat.v1.shape",
    "tf.concat",
    "tf.compat.v1.shape_1",
    "tf.math.subtract",
    "tf.math.greater_1",
    "tf.ones_like",
    "tf.reshape",
    "tf.where",
    "tf.tile",
]

CASES = {
    # name: (function of (x3, x2, y3), static shape, op layers, sum, index-weighted sum)
    "ones_like": (lambda x3, x2, y3: K.ones_like(x3), (None, 3, 4), ["tf.ones_like"], 24.0, 276.0),
    "zeros_like": (lambda x3, x2, y3: K.zeros_like(x3), (None, 3, 4), ["tf.zeros_like"], 0, 0),
    "batch_dot_3_2": (
        lambda x3, x2, y3: K.batch_dot(x3, x2, axes=(2, 1)),
        (None, 3),
        ["tf.expand_dims", "tf.linalg.matmul", "tf.compat.v1.squeeze"],
        15.0897,
        8.24,
    ),
    "batch_dot_3_2_default_axes": (
        lambda x3, x2, y3: K.batch_dot(x3, x2),
        (None, 3),
        ["tf.expand_dims", "tf.linalg.matmul", "tf.compat.v1.squeeze"],
        15.0897,
        8.24,
    ),
    "batch_dot_3_3": (
        lambda x3, x2, y3: K.batch_dot(x3, y3, axes=(2, 2)),
        (None, 3, 5),
        ["tf.compat.v1.transpose", "tf.linalg.matmul"],
        -1.2913,
        -77.784,
    ),
    "batch_dot_2_2": (
        lambda x3, x2, y3: K.batch_dot(x2, x2, axes=1),
        (None, 1),
        ["tf.expand_dims", "tf.expand_dims_1", "tf.linalg.matmul", "tf.compat.v1.squeeze"],
        15.0,
        2.0,
    ),
    "repeat_elements_last": (
        lambda x3, x2, y3: K.repeat_elements(x3, 2, axis=-1),
        (None, 3, 8),
        ["tf.split", "tf.concat"],
        19.2192,
        141.548,
    ),
    "repeat_elements_1": (
        lambda x3, x2, y3: K.repeat_elements(x3, 2, axis=1),
        (None, 6, 4),
        ["tf.split", "tf.concat"],
        19.2192,
        141.106,
    ),
    "reverse": (
        lambda x3, x2, y3: K.reverse(x3, axes=1),
        (None, 3, 4),
        ["tf.reverse"],
        9.6096,
        88.309,
    ),
    "gather": (
        lambda x3, x2, y3: K.gather(K.ones((5, 2)), K.cast(x2, "int32")),
        (None, 4, 2),
        ["tf.cast", "tf.compat.v1.gather"],
        16.0,
        120.0,
    ),
    "any": (
        lambda x3, x2, y3: K.cast(K.any(x3 > 0, axis=-1), "float32"),
        (None, 3),
        ["tf.math.greater", "tf.cast", "tf.math.reduce_any", "tf.cast_1"],
        6.0,
        15.0,
    ),
    "all": (
        lambda x3, x2, y3: K.cast(K.all(x3 > 0, axis=-1), "float32"),
        (None, 3),
        ["tf.math.greater", "tf.cast", "tf.math.reduce_all", "tf.cast_1"],
        2.0,
        3.0,
    ),
    "temporal_padding": (
        lambda x3, x2, y3: K.temporal_padding(x3, (1, 2)),
        (None, 6, 4),
        ["tf.compat.v1.pad"],
        9.6096,
        78.996,
    ),
    "bias_add": (
        lambda x3, x2, y3: K.bias_add(x3, K.ones((4,))),
        (None, 3, 4),
        ["tf.nn.bias_add"],
        33.6096,
        308.985,
    ),
    "switch_same_rank": (
        lambda x3, x2, y3: K.switch(x3 > 0, x3, -x3),
        (None, 3, 4),
        _SWITCH_OPS + ["tf.math.negative", "tf.where_1"],
        20.7821,
        222.218,
    ),
    "switch_float_condition_of_lower_rank": (
        lambda x3, x2, y3: K.switch(x3[:, :, :1], x3, K.zeros_like(x3)),
        (None, 3, 4),
        [
            "tf.__operators__.getitem",
            "tf.cast",
            "tf.compat.v1.shape",
            "tf.concat",
            "tf.compat.v1.shape_1",
            "tf.math.subtract",
            "tf.math.greater",
            "tf.ones_like",
            "tf.reshape",
            "tf.where",
            "tf.tile",
            "tf.zeros_like",
            "tf.where_1",
        ],
        9.6096,
        32.985,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_backend_function_records_keras2_op_layers(name):
    function, shape, layers, total, weighted = CASES[name]
    K.clear_session()
    x3 = keras.Input((3, 4), name="x3")
    x2 = keras.Input((4,), name="x2")
    y3 = keras.Input((5, 4), name="y3")
    out = function(x3, x2, y3)
    assert tuple(out.shape) == shape
    model = keras.Model([x3, x2, y3], out)
    names = [layer.name for layer in model.layers if layer.name not in ("x3", "x2", "y3")]
    assert names == layers
    value = np.asarray(model.predict(_data(), verbose=0), "float64")
    np.testing.assert_allclose(value.sum(), total, atol=2e-3)
    index = np.arange(value.size).reshape(value.shape)
    np.testing.assert_allclose((value * index).sum(), weighted, atol=2e-2)


def test_random_normal_with_a_symbolic_shape_is_tf_random_normal():
    # tf_keras: ['tf.compat.v1.shape', 'tf.random.normal', 'tf.__operators__.add'], (None, 3, 4)
    K.clear_session()
    x3 = keras.Input((3, 4), name="x3")
    out = x3 + K.random_normal(shape=K.shape(x3))
    model = keras.Model(x3, out)
    assert [layer.name for layer in model.layers[1:]] == [
        "tf.compat.v1.shape",
        "tf.random.normal",
        "tf.__operators__.add",
    ]
    assert tuple(out.shape) == (None, 3, 4)
    assert model.predict(np.zeros((2, 3, 4), "float32"), verbose=0).std() > 0.1


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_models_of_these_op_layers_save_and_load(tmp_path, ext):
    K.clear_session()
    x3 = keras.Input((3, 4), name="x3")
    x2 = keras.Input((4,), name="x2")
    switched = K.switch(K.greater(x3, 0.5), K.ones_like(x3), x3 * 0.5)
    dotted = K.batch_dot(switched, x2, axes=(2, 1))
    out = K.repeat_elements(dotted, 2, axis=1)
    model = keras.Model([x3, x2], out)
    data = _data()[:2]
    expected = model.predict(data, verbose=0)
    path = str(tmp_path / f"m{ext}")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(data, verbose=0), expected, rtol=1e-6)
    assert [layer.name for layer in loaded.layers] == [layer.name for layer in model.layers]


def test_in_train_phase_on_keras_tensors_picks_the_branch_while_building():
    # tf_keras 2.21: the learning phase is 0 while the model is built, so the test branch is
    # the model's output for good (also with training=True): [[1, 1]] and [[3, 3]] below,
    # layers ['input_1', 'tf.math.multiply_1'] (the unused `x * 2.0` is dropped).
    K.clear_session()
    x = keras.Input((2,), name="input_1")
    y = K.in_train_phase(x * 2.0, x)
    z = K.in_train_phase(x * 3.0, x, training=True)
    model = keras.Model(x, [y, z])
    data = np.ones((1, 2), "float32")
    for training in (True, False):
        a, b = model(data, training=training)
        np.testing.assert_allclose(np.asarray(a), [[1.0, 1.0]])
        np.testing.assert_allclose(np.asarray(b), [[3.0, 3.0]])
    assert [layer.name for layer in model.layers] == ["input_1", "tf.math.multiply_1"]


def test_in_test_phase_and_callables_on_keras_tensors():
    # tf_keras 2.21 with training=True: [[2, 2]] and [[5, 5]].
    K.clear_session()
    x = keras.Input((2,))
    a = K.in_test_phase(x * 2.0, x)
    b = K.in_train_phase(lambda: x * 4.0, lambda: x * 5.0)
    model = keras.Model(x, [a, b])
    got = model(np.ones((1, 2), "float32"), training=True)
    np.testing.assert_allclose(np.asarray(got[0]), [[2.0, 2.0]])
    np.testing.assert_allclose(np.asarray(got[1]), [[5.0, 5.0]])


def test_matvec_records_expand_dims_matmul_squeeze():
    # tf_keras 2.21 for the same code and data: these layers, shapes (None, 3) and (None, 4),
    # and the values below (rounded to 4 places).
    K.clear_session()
    a, b, c = keras.Input((3, 4)), keras.Input((4,)), keras.Input((3,))
    y = tf.linalg.matvec(a, b)
    z = tf.linalg.matvec(a, c, transpose_a=True)
    model = keras.Model([a, b, c], [y, z])
    assert [layer.name for layer in model.layers[3:]] == [
        "tf.expand_dims",
        "tf.expand_dims_1",
        "tf.linalg.matmul",
        "tf.linalg.matmul_1",
        "tf.compat.v1.squeeze",
        "tf.compat.v1.squeeze_1",
    ]
    assert (tuple(y.shape), tuple(z.shape)) == ((None, 3), (None, 4))
    rng = np.random.RandomState(0)
    data = [
        rng.standard_normal((2, 3, 4)).astype("float32"),
        rng.standard_normal((2, 4)).astype("float32"),
        rng.standard_normal((2, 3)).astype("float32"),
    ]
    got_y, got_z = model.predict(data, verbose=0)
    np.testing.assert_allclose(
        got_y, [[3.0473, 5.732, -1.0971], [1.5402, 1.7142, -3.0995]], atol=1e-3
    )
    np.testing.assert_allclose(
        got_z,
        [[-5.2294, 1.4377, -2.801, -2.1956], [-1.1125, 0.5525, 1.4939, -1.891]],
        atol=1e-3,
    )
