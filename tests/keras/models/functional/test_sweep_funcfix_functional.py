"""Functional-API differences from tf_keras 2.21 found by the funcfix sweep.

The expected values were printed by tf_keras 2.21 (`TF_USE_LEGACY_KERAS=1`,
`import tf_keras as keras`) running the same code, and are held here as constants.
"""

import json

import h5py
import numpy as np
import pytest

import tork as tf
from tork import keras
from tork.errors import InvalidArgumentError

# -- inputs are cast to their Input's dtype -------------------------------------------------


def test_float_data_cast_to_int_input_for_one_hot():
    i = keras.Input((3,), dtype="int32")
    m = keras.Model(i, tf.one_hot(i, 4))
    out = m.predict(np.array([[0.0, 1.0, 3.0]]), verbose=0)
    # tf_keras: shape (1, 3, 4), one-hot of [0, 1, 3]
    assert out.shape == (1, 3, 4)
    np.testing.assert_array_equal(out[0], np.eye(4, dtype="float32")[[0, 1, 3]])


def test_float_to_int_input_truncates_as_tf_cast():
    i = keras.Input((3,), dtype="int32")
    m = keras.Model(i, tf.cast(i, "float32"))
    data = np.array([[1.7, -1.7, 2.5]])
    # tf_keras: [[1., -1., 2.]] from the model call, from float32 data and from predict
    expected = [[1.0, -1.0, 2.0]]
    np.testing.assert_array_equal(m(data).numpy(), expected)
    np.testing.assert_array_equal(m(data.astype("float32")).numpy(), expected)
    np.testing.assert_array_equal(m.predict(data, verbose=0), expected)


@pytest.mark.parametrize(
    "input_dtype, data, expected, out_dtype",
    [
        ("float32", np.array([[1, 2, 3]], "int64"), [[1, 2, 3]], "float32"),
        ("float32", np.array([[1, 2, 3]], "float64"), [[1, 2, 3]], "float32"),
        ("float16", np.array([[1, 2, 3]], "float32"), [[1, 2, 3]], "float16"),
        # tf_keras: int data for a bool Input becomes x != 0
        ("bool", np.array([[1, 0, 2]], "int32"), [[True, False, True]], "bool"),
        # tf_keras: uint8 wraps (300 -> 44, -1 -> 255)
        ("uint8", np.array([[1, 300, -1]], "int32"), [[1, 44, 255]], "uint8"),
    ],
)
def test_input_cast_matches_tf_keras(input_dtype, data, expected, out_dtype):
    i = keras.Input((3,), dtype=input_dtype)
    m = keras.Model(i, tf.identity(i))
    out = m(data)
    assert out.dtype == tf.as_dtype(out_dtype)
    np.testing.assert_array_equal(np.asarray(out.numpy()).astype("float64"), expected)


def test_int32_data_for_int64_embedding_input():
    i = keras.Input((3,), dtype="int64")
    m = keras.Model(i, keras.layers.Embedding(5, 2)(i))
    assert tuple(m(np.array([[1, 0, 2]], "int32")).shape) == (1, 3, 2)


# -- constant tensor operands in Keras 2 configs ---------------------------------------------


def _constant_model():
    keras.backend.clear_session()  # the op layer names below must not depend on earlier tests
    i = keras.Input((2,))
    y = i + tf.constant([1.0, 2.0])
    z = tf.multiply(y, np.array([3.0, 4.0], dtype="float32"))
    w = tf.maximum(z, tf.constant(5.0))
    v = tf.concat([w, tf.add(tf.constant([[7.0, 8.0]]), i)], axis=-1)
    return keras.Model(i, v)


def _nodes(config) -> dict:
    return {layer["name"]: layer["inbound_nodes"] for layer in config["config"]["layers"]}


def test_constant_operands_written_as_plain_values_as_tf_keras():
    m = _constant_model()
    nodes = _nodes(json.loads(m.to_json()))
    # tf_keras 2.21's to_json() (without its "name": null entries):
    assert nodes["tf.__operators__.add"][0][3]["y"] == [1.0, 2.0]
    assert nodes["tf.math.multiply"] == [["tf.__operators__.add", 0, 0, {"y": [3.0, 4.0]}]]
    assert nodes["tf.math.maximum"][0][3]["y"] == 5.0
    assert nodes["tf.math.add"][0][:3] == ["_CONSTANT_VALUE", -1, [[7.0, 8.0]]]
    assert nodes["tf.math.add"][0][3]["y"] == [m.inputs[0].name, 0, 0]


def test_constant_operands_round_trip_json_and_h5(tmp_path):
    m = _constant_model()
    x = np.ones((1, 2), "float32")
    expected = [[6.0, 12.0, 8.0, 9.0]]  # tf_keras 2.21
    np.testing.assert_allclose(m(x).numpy(), expected)
    np.testing.assert_allclose(keras.models.model_from_json(m.to_json())(x).numpy(), expected)
    path = str(tmp_path / "m.h5")
    m.save(path)
    with h5py.File(path, "r") as f:
        raw = f.attrs["model_config"]
    text = raw.decode() if isinstance(raw, bytes) else raw
    assert "__tensor__" not in text and "__numpy__" not in text
    np.testing.assert_allclose(keras.models.load_model(path)(x).numpy(), expected)


def test_configs_written_with_tensor_dicts_still_load():
    # Earlier tork versions wrote constants in Keras 3's form inside Keras 2 nodes.
    m = _constant_model()
    text = m.to_json()
    old = text.replace(
        '"y": [1.0, 2.0]',
        '"y": {"class_name": "__tensor__", "config": {"value": [1.0, 2.0], "dtype": "float32"}}',
    ).replace(
        '"y": [3.0, 4.0]',
        '"y": {"class_name": "__numpy__", "config": {"value": [3.0, 4.0], "dtype": "float32"}}',
    )
    old = old.replace(
        '"_CONSTANT_VALUE", -1, [[7.0, 8.0]]',
        '"_CONSTANT_VALUE", -1, {"class_name": "__tensor__", "config": {"value": [[7.0, 8.0]], '
        '"dtype": "float32"}}',
    )
    assert old.count("__tensor__") == 2 and "__numpy__" in old
    out = keras.models.model_from_json(old)(np.ones((1, 2), "float32"))
    np.testing.assert_allclose(out.numpy(), [[6.0, 12.0, 8.0, 9.0]])


# -- layers that hard-code the batch size ----------------------------------------------------


class _Reshape8(keras.layers.Layer):
    def call(self, x):
        return tf.reshape(x, [8, 1])


def test_hard_coded_batch_reshape_builds_as_tf_keras():
    i = keras.Input((4, 1))
    y = keras.layers.Dense(2)(_Reshape8()(i))
    m = keras.Model(i, y)
    # tf_keras 2.21: the layer's output shape is (8, 1), the Dense's (8, 2); the Input keeps
    # its unknown batch size, and a batch of 2 runs.
    assert tuple(m.layers[1].output.shape) == (8, 1)
    assert tuple(y.shape) == (8, 2)
    assert tuple(i.shape) == (None, 4, 1)
    assert m.predict(np.ones((2, 4, 1)), verbose=0).shape == (8, 2)


def test_hard_coded_batch_reshape_with_declared_batch_size():
    i = keras.Input((4, 1), batch_size=2)
    y = _Reshape8()(i)
    assert tuple(y.shape) == (8, 1)
    assert tuple(keras.Model(i, y)(np.ones((2, 4, 1), "float32")).shape) == (8, 1)


def test_hard_coded_batch_reshape_op_on_input():
    y = tf.reshape(keras.Input((4, 1)), [8, 1])
    assert tuple(y.shape) == (8, 1)  # tf_keras 2.21: (8, 1)


def test_hard_coded_batch_that_no_batch_size_fits_explains():
    # 8 elements cannot come from n * 3 elements: tf_keras fails too ("Dimension size must
    # be evenly divisible by 3 but is 8").
    with pytest.raises(InvalidArgumentError) as info:
        _Reshape8()(keras.Input((3, 1)))
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert (
        "The batch size of keras.Input is unknown (None) here, but this reshape asks for a "
        "fixed one: the layer seems to hard-code a batch size. Declare it with "
        "keras.Input(..., batch_size=N), or reshape with -1 (or tf.shape(x)[0]) for the "
        "batch axis." in notes
    )
    assert "keras.Input(..., batch_size=N)" in notes


class _TorchReshape8(keras.layers.Layer):
    def call(self, x):
        return x.reshape(8, 1)


def test_hard_coded_batch_torch_reshape():
    i = keras.Input((4, 1))
    assert tuple(_TorchReshape8()(i).shape) == (8, 1)
    with pytest.raises(RuntimeError) as info:
        _TorchReshape8()(keras.Input((3, 1)))
    assert "keras.Input(..., batch_size=N)" in "\n".join(info.value.__notes__)


def test_reshape_errors_without_unknown_batch_are_unchanged():
    with pytest.raises(InvalidArgumentError) as info:
        _Reshape8()(keras.Input((4, 1), batch_size=8))
    assert "Cannot reshape a tensor of shape (8, 4, 1) (32 elements)" in str(info.value)
    assert "hard-code" not in "\n".join(getattr(info.value, "__notes__", []))


# -- losses added in call() while the model is built -----------------------------------------


class _HalfMean(keras.layers.Layer):
    def call(self, x):
        self.add_loss(tf.reduce_mean(x) * 0.5)
        return x * 2


def test_symbolic_losses_listed_until_the_model_runs():
    i = keras.Input((3,))
    y = keras.layers.Dense(1, kernel_initializer="ones")(_HalfMean()(i))
    m = keras.Model(i, y)
    # tf_keras 2.21: one symbolic loss right after construction
    assert len(m.losses) == 1
    assert tuple(m.losses[0].shape) == ()
    x = np.ones((2, 3), "float32")
    m(x)
    # tf_keras: [0.5] after a call on data
    assert [float(v) for v in m.losses] == [0.5]
    m.compile("sgd", "mse")
    # tf_keras: evaluate 36.5 (mse 36 + added loss 0.5)
    assert m.evaluate(x, np.zeros((2, 1)), verbose=0) == pytest.approx(36.5)
    assert len(m.losses) == 1


def test_symbolic_losses_give_way_to_real_ones_in_a_new_model():
    i = keras.Input((3,))
    y = _HalfMean()(i)
    keras.Model(i, y)(np.ones((1, 3), "float32"))
    # tf_keras: a second model on the same graph lists the one (real) loss of the layer
    assert [float(v) for v in keras.Model(i, y).losses] == [0.5]


def test_activity_regularization_losses_listed_after_construction():
    i = keras.Input((3,))
    y = keras.layers.Dense(2, activity_regularizer="l2", kernel_regularizer="l1")(i)
    m = keras.Model(i, keras.layers.ActivityRegularization(l1=0.1)(y))
    # tf_keras 2.21: 3 scalar losses before and after a call on data
    assert [tuple(v.shape) for v in m.losses] == [(), (), ()]
    m(np.ones((2, 3), "float32"))
    assert len(m.losses) == 3
