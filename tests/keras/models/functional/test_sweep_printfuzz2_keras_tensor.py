"""repr() and str() of symbolic KerasTensors follow tf_keras 2.21 (printfuzz2).

Expected texts were printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same code.
"""

import tork as tf

keras = tf.keras
layers = keras.layers


def test_input_repr_and_str_as_tf_keras():
    x = keras.Input((3,), name="x", dtype="int64")
    assert repr(x) == "<KerasTensor: shape=(None, 3) dtype=int64 (created by layer 'x')>"
    assert str(x) == (
        "KerasTensor(type_spec=TensorSpec(shape=(None, 3), dtype=tf.int64, name='x'), "
        "name='x', description=\"created by layer 'x'\")"
    )


def test_layer_output_repr_and_str_as_tf_keras():
    x = keras.Input((3,), name="inp")
    y = layers.Dense(2, name="dense")(x)
    assert repr(y) == "<KerasTensor: shape=(None, 2) dtype=float32 (created by layer 'dense')>"
    # A layer output's spec has no name; the tensor's name is Keras 2's op name.
    assert str(y) == (
        "KerasTensor(type_spec=TensorSpec(shape=(None, 2), dtype=tf.float32, name=None), "
        "name='dense/BiasAdd:0', description=\"created by layer 'dense'\")"
    )
    assert f"{y}" == str(y)
    assert repr([y]) == "[<KerasTensor: shape=(None, 2) dtype=float32 (created by layer 'dense')>]"


def test_op_and_scalar_input_repr_as_tf_keras():
    x = keras.Input((), name="sc")
    assert repr(x) == "<KerasTensor: shape=(None,) dtype=float32 (created by layer 'sc')>"
    keras.backend.clear_session()  # the op layer's name is counted per session
    z = tf.reduce_sum(layers.Dense(2, name="d")(keras.Input((3,), name="i")), axis=1)
    assert repr(z) == (
        "<KerasTensor: shape=(None,) dtype=float32 (created by layer 'tf.math.reduce_sum')>"
    )
    s = keras.Input((1,), dtype="string", name="st")
    assert repr(s) == "<KerasTensor: shape=(None, 1) dtype=string (created by layer 'st')>"


def test_ragged_and_sparse_input_repr_as_tf_keras():
    r = keras.Input((None,), ragged=True, name="r")
    spec = "RaggedTensorSpec(TensorShape([None, None]), tf.float32, 1, tf.int64)"
    assert repr(r) == f"<KerasTensor: type_spec={spec} (created by layer 'r')>"
    assert (
        str(r) == f"KerasTensor(type_spec={spec}, name='r', description=\"created by layer 'r'\")"
    )
    s = keras.Input((3,), sparse=True, name="sp")
    spec = "SparseTensorSpec(TensorShape([None, 3]), tf.float32)"
    assert repr(s) == f"<KerasTensor: type_spec={spec} (created by layer 'sp')>"
    assert str(s) == (
        f"KerasTensor(type_spec={spec}, name='sp', description=\"created by layer 'sp'\")"
    )
