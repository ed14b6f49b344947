"""TensorFlow's dtype rule for NumPy and Python operands of tf.* ops (TF 2.21's answers).

A tf.* op that meets a tensor and a non-tensor (NumPy array or scalar, Python number,
list) converts the non-tensor to the tensor's dtype: NumPy values are cast (float64 into
int32 truncates), Python floats never truncate into an integer tensor (TypeError), Python
ints never become bools. The expected dtypes below were printed by TF 2.21.
"""

import io

import numpy as np
import pytest
import torch

import tork as tf
from tork._backend.dtypes import dtype_name

# Operand kinds, in the order of the table's columns.
_KINDS = {
    "np_f64": np.array([2.0, 3.0]),
    "np_f64_frac": np.array([2.5, 3.0]),
    "np_i64": np.array([2, 3]),
    "np_bool": np.array([True, False]),
    "npsc_f64": np.float64(2.0),
    "npsc_f32": np.float32(2.0),
    "npsc_bool": np.bool_(True),
    "py_int": 2,
    "py_float": 2.0,
    "py_bool": True,
    "list_f": [2.0, 3.0],
    "list_i": [2, 3],
}

# (op, order, tensor dtype) -> result dtype per operand kind ("TypeError": TF's conversion
# error; "ERR": another TF error, such as integer division by zero). "tx" is
# op(tensor, other), "xt" op(other, tensor). TF 2.21 output; tf.add(other, tensor) is left
# out: TF's AddV2 fast path converts a leading non-tensor on its own and then refuses a
# dtype mix, while tork converts it to the tensor's dtype as for the other ops.
_TF_DTYPES = {
    ("add", "tx", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("add", "tx", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("add", "tx", "int32"): ("int32 int32 int32 int32 int32 int32 int32 int32 ERR int32 ERR int32"),
    ("add", "tx", "int64"): ("int64 int64 int64 int64 int64 int64 int64 int64 ERR int64 ERR int64"),
    ("subtract", "tx", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("subtract", "tx", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("subtract", "tx", "int32"): (
        "int32 int32 int32 int32 int32 int32 int32 int32 TypeError int32 TypeError int32"
    ),
    ("subtract", "tx", "int64"): (
        "int64 int64 int64 int64 int64 int64 int64 int64 TypeError int64 TypeError int64"
    ),
    ("subtract", "xt", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("subtract", "xt", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("subtract", "xt", "int32"): (
        "int32 int32 int32 int32 int32 int32 int32 int32 TypeError int32 TypeError int32"
    ),
    ("subtract", "xt", "int64"): (
        "int64 int64 int64 int64 int64 int64 int64 int64 TypeError int64 TypeError int64"
    ),
    ("multiply", "tx", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("multiply", "tx", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("multiply", "tx", "int32"): (
        "int32 int32 int32 int32 int32 int32 int32 int32 TypeError int32 TypeError int32"
    ),
    ("multiply", "tx", "int64"): (
        "int64 int64 int64 int64 int64 int64 int64 int64 TypeError int64 TypeError int64"
    ),
    ("multiply", "xt", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("multiply", "xt", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("multiply", "xt", "int32"): (
        "int32 int32 int32 int32 int32 int32 int32 int32 TypeError int32 TypeError int32"
    ),
    ("multiply", "xt", "int64"): (
        "int64 int64 int64 int64 int64 int64 int64 int64 TypeError int64 TypeError int64"
    ),
    ("divide", "tx", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("divide", "tx", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("divide", "tx", "int32"): (
        "float64 float64 float64 float64 float64 float64 float64 float64 TypeError float64 TypeError float64"
    ),
    ("divide", "tx", "int64"): (
        "float64 float64 float64 float64 float64 float64 float64 float64 TypeError float64 TypeError float64"
    ),
    ("divide", "xt", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("divide", "xt", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("divide", "xt", "int32"): (
        "float64 float64 float64 float64 float64 float64 float64 float64 TypeError float64 TypeError float64"
    ),
    ("divide", "xt", "int64"): (
        "float64 float64 float64 float64 float64 float64 float64 float64 TypeError float64 TypeError float64"
    ),
    ("maximum", "tx", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("maximum", "tx", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("maximum", "tx", "int32"): (
        "int32 int32 int32 int32 int32 int32 int32 int32 TypeError int32 TypeError int32"
    ),
    ("maximum", "tx", "int64"): (
        "int64 int64 int64 int64 int64 int64 int64 int64 TypeError int64 TypeError int64"
    ),
    ("maximum", "xt", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("maximum", "xt", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("maximum", "xt", "int32"): (
        "int32 int32 int32 int32 int32 int32 int32 int32 TypeError int32 TypeError int32"
    ),
    ("maximum", "xt", "int64"): (
        "int64 int64 int64 int64 int64 int64 int64 int64 TypeError int64 TypeError int64"
    ),
    ("floordiv", "tx", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("floordiv", "tx", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("floordiv", "tx", "int32"): (
        "int32 int32 int32 ERR int32 int32 int32 int32 TypeError int32 TypeError int32"
    ),
    ("floordiv", "tx", "int64"): (
        "int64 int64 int64 ERR int64 int64 int64 int64 TypeError int64 TypeError int64"
    ),
    ("floordiv", "xt", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("floordiv", "xt", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("floordiv", "xt", "int32"): (
        "int32 int32 int32 int32 int32 int32 int32 int32 TypeError int32 TypeError int32"
    ),
    ("floordiv", "xt", "int64"): (
        "int64 int64 int64 int64 int64 int64 int64 int64 TypeError int64 TypeError int64"
    ),
    ("equal", "tx", "float32"): "bool bool bool bool bool bool bool bool bool bool bool bool",
    ("equal", "tx", "float16"): "bool bool bool bool bool bool bool bool bool bool bool bool",
    ("equal", "tx", "int32"): (
        "bool bool bool bool bool bool bool bool TypeError bool TypeError bool"
    ),
    ("equal", "tx", "int64"): (
        "bool bool bool bool bool bool bool bool TypeError bool TypeError bool"
    ),
    ("equal", "xt", "float32"): "bool bool bool bool bool bool bool bool bool bool bool bool",
    ("equal", "xt", "float16"): "bool bool bool bool bool bool bool bool bool bool bool bool",
    ("equal", "xt", "int32"): (
        "bool bool bool bool bool bool bool bool TypeError bool TypeError bool"
    ),
    ("equal", "xt", "int64"): (
        "bool bool bool bool bool bool bool bool TypeError bool TypeError bool"
    ),
    ("pow", "tx", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("pow", "tx", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("pow", "tx", "int32"): (
        "int32 int32 int32 int32 int32 int32 int32 int32 TypeError int32 TypeError int32"
    ),
    ("pow", "tx", "int64"): (
        "int64 int64 int64 int64 int64 int64 int64 int64 TypeError int64 TypeError int64"
    ),
    ("pow", "xt", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("pow", "xt", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("pow", "xt", "int32"): (
        "int32 int32 int32 int32 int32 int32 int32 int32 TypeError int32 TypeError int32"
    ),
    ("pow", "xt", "int64"): (
        "int64 int64 int64 int64 int64 int64 int64 int64 TypeError int64 TypeError int64"
    ),
    ("squared_difference", "tx", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("squared_difference", "tx", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("squared_difference", "tx", "int32"): (
        "int32 int32 int32 int32 int32 int32 int32 int32 TypeError int32 TypeError int32"
    ),
    ("squared_difference", "tx", "int64"): (
        "int64 int64 int64 int64 int64 int64 int64 int64 TypeError int64 TypeError int64"
    ),
    ("squared_difference", "xt", "float32"): (
        "float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32 float32"
    ),
    ("squared_difference", "xt", "float16"): (
        "float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16 float16"
    ),
    ("squared_difference", "xt", "int32"): (
        "int32 int32 int32 int32 int32 int32 int32 int32 TypeError int32 TypeError int32"
    ),
    ("squared_difference", "xt", "int64"): (
        "int64 int64 int64 int64 int64 int64 int64 int64 TypeError int64 TypeError int64"
    ),
}

_OPS = {
    "add": tf.add,
    "subtract": tf.subtract,
    "multiply": tf.multiply,
    "divide": tf.divide,
    "maximum": tf.maximum,
    "floordiv": tf.math.floordiv,
    "equal": tf.equal,
    "pow": tf.pow,
    "squared_difference": tf.math.squared_difference,
}


def _tensor(dtype: str):
    return tf.cast(tf.constant([1, 2]), getattr(tf, dtype))


@pytest.mark.parametrize("key", sorted(_TF_DTYPES))
def test_binary_ops_convert_the_non_tensor_to_the_tensor_dtype(key):
    opname, order, dtype = key
    op = _OPS[opname]
    for (kind, other), want in zip(_KINDS.items(), _TF_DTYPES[key].split()):
        x = _tensor(dtype)
        args = (x, other) if order == "tx" else (other, x)
        if want == "TypeError":
            with pytest.raises(TypeError):
                op(*args)
        elif want == "ERR":
            with pytest.raises((TypeError, ValueError)):
                op(*args)
        else:
            assert dtype_name(op(*args).dtype) == want, (key, kind)


def test_numpy_values_are_cast_like_tf():
    i32 = tf.constant([1, 2])
    # TF 2.21: float64 into int32 truncates toward zero.
    out = tf.multiply(i32, np.array([2.5, -3.7]))
    assert out.dtype == torch.int32 and out.tolist() == [2, -6]
    # uint8 wraps; NaN into int32 is INT_MIN (C casting), the imaginary part is dropped.
    out = tf.multiply(tf.constant([1, 2], tf.uint8), np.array([-1, 300]))
    assert out.dtype == torch.uint8 and out.tolist() == [255, 88]
    assert tf.multiply(i32, np.array([np.nan, 1.0])).tolist() == [-(2**31), 2]
    out = tf.multiply(tf.constant([1.0, 2.0]), np.array([1.5 + 1j, 1.0]))
    assert out.dtype == torch.float32 and out.tolist() == [1.5, 2.0]
    out = tf.multiply(tf.constant([1, 2], tf.complex64), np.array([1.5 + 1j, 1]))
    assert out.dtype == torch.complex64 and out.tolist() == [1.5 + 1j, 2 + 0j]
    out = tf.multiply(tf.constant([1, 2], tf.bfloat16), np.array([1.5, 2.0]))
    assert out.dtype == torch.bfloat16 and out.tolist() == [1.5, 4.0]
    # int32 divides in float64; the float64 array was first cast to int32 (2.5 -> 2).
    out = tf.divide(i32, np.array([2.5, 4.0]))
    assert out.dtype == torch.float64 and out.tolist() == [0.5, 0.5]


def test_neither_operand_a_tensor_converts_x_first():
    # TF 2.21: x converts on its own, y to x's dtype.
    assert tf.multiply(np.array([1, 2]), np.array([1.5, 2.5])).tolist() == [1, 4]
    assert tf.multiply(np.array([1.0], np.float32), np.array([1.5])).dtype == torch.float32
    assert tf.multiply(1.5, [1, 2]).dtype == torch.float32
    assert tf.add(2, np.array([1.5, 2.0])).tolist() == [3, 4]
    with pytest.raises(TypeError, match="Cannot convert 2.5"):
        tf.multiply(np.array([1, 2]), 2.5)


def test_python_float_for_an_int_tensor_names_the_fix():
    with pytest.raises(TypeError) as info:
        tf.multiply(tf.constant([1, 2]), 0.5)
    message = str(info.value)
    assert message.startswith("Cannot convert 0.5 to EagerTensor of dtype int32")
    assert "tf.cast(x, tf.float32)" in message
    with pytest.raises(TypeError, match="Cannot convert 2 to EagerTensor of dtype bool"):
        tf.equal(tf.constant([True]), 2)
    with pytest.raises(
        TypeError, match=r"Cannot convert \(1\+2j\) to EagerTensor of dtype float32"
    ):
        tf.multiply(tf.constant([1.0]), 1 + 2j)


def test_numpy_operand_keeps_the_gradient_and_is_copied():
    v = tf.Variable([1.0, 2.0])
    y = np.array([0.5, 0.5])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(tf.subtract(v, y)))
    y[:] = 100.0  # the op copied y: the gradient uses the values at call time
    assert loss.dtype == torch.float32
    assert tape.gradient(loss, v).tolist() == [1.0, 3.0]


def test_matmul_casts_a_numpy_right_operand():
    a = np.array([[1.5, 2.0], [3.0, 4.0]])
    t32, ti = tf.constant(a.astype(np.float32)), tf.constant([[1, 2], [3, 4]])
    # TF 2.21: float32 @ float64 ndarray is float32; int32 @ float64 ndarray casts (1.5 -> 1).
    out = tf.matmul(t32, a)
    assert out.dtype == torch.float32 and out.tolist() == [[8.25, 11.0], [16.5, 22.0]]
    out = tf.linalg.matmul(ti, a)
    assert out.dtype == torch.int32 and out.tolist() == [[7, 10], [15, 22]]
    assert tf.matmul(a, a.astype(np.float32)).dtype == torch.float64
    # A leading non-tensor converts on its own (TF raises InvalidArgumentError there).
    with pytest.raises(TypeError, match="same dtype"):
        tf.matmul(a, t32)
    with pytest.raises(TypeError, match="Cannot convert"):
        tf.matmul(ti, [[1.0, 2.0], [3.0, 4.0]])


def test_einsum_takes_the_first_tensor_dtype():
    a = np.array([[1.5, 2.0], [3.0, 4.0]])
    t32 = tf.constant(a.astype(np.float32))
    assert tf.einsum("ij,jk->ik", a, t32).dtype == torch.float32
    assert tf.einsum("ij,jk,kl->il", a, t32, a).tolist() == [[45.375, 60.5], [90.75, 121.0]]
    assert tf.einsum("ij,jk->ik", a, a.astype(np.float32)).dtype == torch.float64
    assert tf.einsum("ij,jk->ik", a.astype(np.float32), a).dtype == torch.float32
    out = tf.einsum("ij,jk->ik", tf.constant([[1, 2], [3, 4]]), a)
    assert out.dtype == torch.int32 and out.tolist() == [[7, 10], [15, 22]]


def test_where_bias_add_clip_scalar_mul_follow_the_tensor_dtype():
    cond = [True, False]
    assert tf.where(cond, np.array([1.5, 2.0]), tf.constant([1.0, 2.0])).dtype == torch.float32
    out = tf.where(cond, tf.constant([1, 2]), np.array([1.5, 2.0]))
    assert out.dtype == torch.int32 and out.tolist() == [1, 2]
    assert tf.where(cond, np.array([1, 2]), np.array([1.5, 2.0])).dtype == torch.int64
    with pytest.raises(TypeError, match="Cannot convert 2.5"):
        tf.where(cond, 2.5, tf.constant([1, 2]))
    out = tf.nn.bias_add(tf.constant([[1, 2]]), np.array([1.5, 2.0]))
    assert out.dtype == torch.int32 and out.tolist() == [[2, 4]]
    out = tf.clip_by_value(tf.constant([1, 5]), np.float64(2.5), np.float64(3.5))
    assert out.dtype == torch.int32 and out.tolist() == [2, 3]
    with pytest.raises(TypeError, match="Cannot convert"):
        tf.clip_by_value(tf.constant([1, 5]), 2.5, 3.5)
    out = tf.clip_by_value(tf.constant([1.0, 5.0], tf.float16), np.float64(2.5), 3.5)
    assert out.dtype == torch.float16 and out.tolist() == [2.5, 3.5]
    out = tf.math.scalar_mul(np.float64(2.5), tf.constant([1, 5]))
    assert out.dtype == torch.int32 and out.tolist() == [2, 10]
    assert tf.math.scalar_mul(2, [1.0, 2.0]).tolist() == [2.0, 4.0]


def test_linalg_pairs_take_the_tensor_dtype():
    m = tf.constant([[2.0, 0.0], [1.0, 4.0]])
    out = tf.linalg.solve(m, np.array([[2.0], [2.0]]))
    assert out.dtype == torch.float32 and out.numpy().ravel().tolist() == [1.0, 0.25]
    out = tf.linalg.solve(np.array([[2.0, 0.0], [1.0, 4.0]]), tf.constant([[2.0], [2.0]]))
    assert out.dtype == torch.float32
    out = tf.linalg.cross(tf.constant([1, 0, 0]), np.array([0.0, 1.0, 0.0]))
    assert out.dtype == torch.int32 and out.tolist() == [0, 0, 1]


def test_tensordot_dtype_mix_is_an_invalid_argument():
    # TF 2.21 raises InvalidArgumentError (from MatMul) for float32 with a float64 array.
    with pytest.raises(tf.errors.InvalidArgumentError, match="float32 and float64"):
        tf.tensordot(tf.ones((2, 2)), np.ones(2), 1)


def test_numpy_operators_follow_tf():
    # `array <op> tensor` and `tensor <op> array` reach tork's __array_ufunc__; TF 2.21:
    i = tf.constant([1, 2])
    out = np.array([2.5, -3.7]) * i
    assert out.dtype == torch.int32 and out.tolist() == [2, -6]
    out = i * np.array([2.5, -3.7])
    assert out.dtype == torch.int32 and out.tolist() == [2, -6]
    out = np.array([1, 3]) / i
    assert out.dtype == torch.float64 and out.tolist() == [1.0, 1.5]
    assert (np.array([0.5, 2.5]) > i).tolist() == [False, False]
    out = np.float64(2.5) * i
    assert out.dtype == torch.int32 and out.tolist() == [2, 4]
    assert (tf.constant([1.0, 2.0]) - np.array([0.5, 0.25])).dtype == torch.float32
    out = tf.constant([1, 2], tf.uint8) + np.array([-1, 300])
    assert out.dtype == torch.uint8 and out.tolist() == [0, 46]
    # np.maximum is no operator: TF computes it in NumPy (float64 here).
    assert np.maximum(np.array([0.5, 2.5]), i).dtype == torch.float64


def test_bytes_of_a_string_tensor_names_numpy():
    t = tf.constant(b"ab")
    with pytest.raises(TypeError) as info:
        bytes(t)
    assert "t.numpy()" in str(info.value)
    with pytest.raises(TypeError, match=r"t\.numpy\(\)"):
        bytes(tf.constant([b"ab", b"cd"]))
    assert io.BytesIO(t.numpy()).read() == b"ab"
    # Number tensors keep bytes() of their values.
    assert bytes(tf.constant([1, 2], tf.uint8)) == b"\x01\x02"


@pytest.mark.skipif(not hasattr(memoryview, "__buffer__"), reason="PEP 688: Python >= 3.12")
def test_buffer_protocol_of_a_string_tensor_names_numpy():
    with pytest.raises(TypeError, match=r"t\.numpy\(\)"):
        io.BytesIO(tf.constant(b"ab"))


def test_cast_fast_paths_keep_behaviour():
    x = tf.constant([1.5, -1.5])
    assert tf.cast(x, tf.float32) is x
    for dtype in (tf.int32, "int32", np.int32, np.dtype("int32"), int):
        out = tf.cast(x, dtype)
        assert out.dtype == torch.int32 and out.tolist() == [1, -1]
    # Python float means float32 (as_dtype), NumPy's float64 dtype float64: both cached.
    assert tf.cast(x, float).dtype == torch.float32
    assert tf.cast(x, np.dtype("float64")).dtype == torch.float64
    assert tf.cast(x, float).dtype == torch.float32
    assert tf.cast(tf.constant([1 + 2j]), tf.float32).tolist() == [1.0]
    assert tf.cast(tf.constant([0.0, 2.0]), tf.bool).tolist() == [False, True]
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.cast(v, tf.float64) * 2.0)
    assert tape.gradient(y, v).tolist() == [2.0, 2.0]
    with pytest.raises(tf.errors.UnimplementedError, match="Cast float to string"):
        tf.cast(x, tf.string)
    with pytest.raises(TypeError):
        tf.cast(x, "not_a_dtype")


def test_bool_arithmetic_errors_name_the_fix():
    # TF 2.21 raises InvalidArgumentError ("Value for attr 'T' of bool is not in the list
    # of allowed values") for these; tork's message names the cast.
    b = tf.constant([True, False])
    for op in (tf.subtract, tf.math.floordiv, tf.math.floormod, tf.pow):
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            op(b, np.array([True, True]))
        assert str(info.value).startswith(f"{op.__name__} does not take bool tensors")
        assert "tf.cast(x, tf.int32)" in str(info.value)


def test_string_tensors_meet_strings_only():
    s = tf.constant(["a", "b"])
    assert tf.add(s, "x").numpy().tolist() == [b"ax", b"bx"]
    assert tf.equal(s, np.array([b"a", b"c"])).tolist() == [True, False]
    # TF 2.21: TypeError (tork answered a plain Python True before).
    with pytest.raises(TypeError, match="tf.strings.as_string"):
        tf.not_equal(s, 1)


def test_zeta_and_betainc_take_the_first_tensor_dtype():
    # TF 2.21 values and dtypes.
    out = tf.math.zeta(tf.constant([2.0, 3.0]), np.array([0.5, 1.5]))
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [4.9348, 0.4144], atol=1e-4)
    out = tf.math.zeta(np.array([2.0, 3.0]), np.array([0.5, 1.5], np.float32))
    assert out.dtype == torch.float64
    out = tf.math.betainc(np.array([1.0, 2.0]), tf.constant([0.5, 1.5]), np.array([0.5, 0.5]))
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [0.2929, 0.3813], atol=1e-4)
