"""keras.ops dtype results that Keras 3 defines (numbers from Keras 3.15, TF and torch backends)."""

import torch

from tork import keras

ops = keras.ops


def test_full_defaults_to_floatx_whatever_the_fill_value():
    # Keras 3: ops.full((2,), 3) is float32, not int32.
    out = ops.full((2,), 3)
    assert out.dtype == torch.float32
    assert out.tolist() == [3.0, 3.0]
    assert ops.full((2,), True).dtype == torch.float32
    assert ops.full((2,), 3, dtype="int32").dtype == torch.int32


def test_cumsum_cumprod_keep_small_integer_dtypes():
    for name, dt in [("int8", torch.int8), ("uint8", torch.uint8), ("int16", torch.int16)]:
        x = ops.ones((3,), dtype=name)
        assert ops.cumsum(x).dtype == dt
        assert ops.cumprod(x).dtype == dt
        assert ops.cumsum(x).tolist() == [1, 2, 3]
    b = ops.array([True, False, True])
    assert ops.cumsum(b).dtype == torch.int32
    assert ops.cumsum(b).tolist() == [1, 1, 2]
    assert ops.cumsum(ops.ones((2,), dtype="int8"), dtype="int64").dtype == torch.int64


def test_bool_tensor_with_python_int_is_int32():
    b = ops.array([True, False])
    assert ops.add(b, 2).dtype == torch.int32
    assert ops.add(b, 2).tolist() == [3, 2]
    assert ops.multiply(2, b).dtype == torch.int32
    assert ops.where(b, 1, 0).dtype == torch.int32
    assert ops.where(b, b, 0).dtype == torch.int32
    # A Python float still gives floatx, a Python bool keeps bool.
    assert ops.add(b, 1.5).dtype == torch.float32
    assert ops.multiply(b, True).dtype == torch.bool
    # Other tensors keep their dtype against Python ints.
    assert ops.add(ops.ones((1,), dtype="int8"), 2).dtype == torch.int8


def test_while_loop_returns_a_tuple_for_list_loop_vars():
    # Keras 3.15 (TF and torch backends) returns a tuple whatever the loop_vars sequence type.
    out = ops.while_loop(lambda x: ops.sum(x) < 20, lambda x: (x * 2,), [ops.ones((3,))])
    assert type(out) is tuple
    assert out[0].tolist() == [8.0, 8.0, 8.0]
    out = ops.while_loop(lambda i, s: i < 3, lambda i, s: [i + 1, s * 2.0], [0, 1.0])
    assert type(out) is tuple and int(out[0]) == 3 and float(out[1]) == 8.0
