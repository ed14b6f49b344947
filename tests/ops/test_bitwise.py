"""tf.bitwise against NumPy and values from TensorFlow 2.21."""

import numpy as np
import pytest
import torch

import tork as tf
from tork._backend.errors import InvalidArgumentError

INT_TYPES = [
    ("int8", np.int8),
    ("int16", np.int16),
    ("int32", np.int32),
    ("int64", np.int64),
    ("uint8", np.uint8),
    ("uint16", np.uint16),
    ("uint32", np.uint32),
    ("uint64", np.uint64),
]


def np_(t):
    return t.cpu().numpy()


def test_lazy_module_and_names():
    assert sorted(n for n in tf.bitwise.__all__) == [
        "bitwise_and",
        "bitwise_or",
        "bitwise_xor",
        "invert",
        "left_shift",
        "right_shift",
    ]
    with pytest.raises(NotImplementedError, match=r"`tf\.bitwise\.nope`"):
        tf.bitwise.nope  # noqa: B018


@pytest.mark.parametrize("name, np_type", INT_TYPES)
def test_logic_ops_match_numpy(name, np_type):
    info = np.iinfo(np_type)
    rng = np.random.default_rng(0)
    a = rng.integers(info.min, info.max, size=(3, 4), dtype=np_type, endpoint=True)
    b = rng.integers(info.min, info.max, size=(4,), dtype=np_type, endpoint=True)
    x, y = tf.constant(a), tf.constant(b)
    dtype = getattr(tf, name)
    for op, ref in [
        (tf.bitwise.bitwise_and, np.bitwise_and),
        (tf.bitwise.bitwise_or, np.bitwise_or),
        (tf.bitwise.bitwise_xor, np.bitwise_xor),
    ]:
        out = op(x, y)
        assert out.dtype == dtype
        np.testing.assert_array_equal(np_(out), ref(a, b))
    out = tf.bitwise.invert(x)
    assert out.dtype == dtype
    np.testing.assert_array_equal(np_(out), np.invert(a))


@pytest.mark.parametrize("name, np_type", INT_TYPES)
def test_shifts_in_range_match_numpy(name, np_type):
    info = np.iinfo(np_type)
    bits = info.bits
    rng = np.random.default_rng(1)
    a = rng.integers(info.min, info.max, size=20, dtype=np_type, endpoint=True)
    s = rng.integers(0, bits - 1, size=20, endpoint=True).astype(np_type)
    left = tf.bitwise.left_shift(tf.constant(a), tf.constant(s))
    right = tf.bitwise.right_shift(tf.constant(a), tf.constant(s))
    np.testing.assert_array_equal(np_(left), np.left_shift(a, s))
    # NumPy: arithmetic shift for signed types, logical for unsigned ones (as TF).
    np.testing.assert_array_equal(np_(right), np.right_shift(a, s))


def test_out_of_range_shifts_clamp_like_tensorflow():
    # Values from TF 2.21: the shift amount is clamped to [0, bits - 1].
    i8 = tf.constant([-1, -100, 5, -7], tf.int8)
    s8 = tf.constant([-1, 70, 8, 100], tf.int8)
    assert tf.bitwise.left_shift(i8, s8).tolist() == [-1, 0, -128, -128]
    assert tf.bitwise.right_shift(i8, s8).tolist() == [-1, -1, 0, -1]
    i16 = tf.constant([-1, -100, 5, -7], tf.int16)
    s16 = tf.constant([-1, 70, 8, 200], tf.int16)
    assert tf.bitwise.left_shift(i16, s16).tolist() == [-1, 0, 1280, -32768]
    u8 = tf.bitwise.left_shift(tf.constant([1], tf.uint8), tf.constant([8], tf.uint8))
    assert u8.tolist() == [128]
    u8 = tf.bitwise.right_shift(tf.constant([255], tf.uint8), tf.constant([200], tf.uint8))
    assert u8.tolist() == [1]
    i64 = tf.constant([2**63 - 1, -(2**63)], tf.int64)
    out = tf.bitwise.right_shift(i64, tf.constant([64, 64], tf.int64))
    assert out.tolist() == [0, -1]


def test_unsigned_wide_types_top_bit():
    # The wide unsigned types run on signed views: the top bit must still shift logically.
    a = np.array([2**63 + 5, 2**64 - 1], np.uint64)
    s = np.array([1, 63], np.uint64)
    out = tf.bitwise.right_shift(tf.constant(a), tf.constant(s))
    np.testing.assert_array_equal(np_(out), np.right_shift(a, s))
    huge = tf.bitwise.right_shift(
        tf.constant(a), tf.constant(np.array([2**63, 2**64 - 1], np.uint64))
    )
    np.testing.assert_array_equal(np_(huge), np.right_shift(a, np.uint64(63)))
    a32 = np.array([2**31 + 7, 2**32 - 1], np.uint32)
    out = tf.bitwise.right_shift(tf.constant(a32), tf.constant(np.array([3, 31], np.uint32)))
    np.testing.assert_array_equal(np_(out), np.right_shift(a32, np.array([3, 31], np.uint32)))


def test_python_numbers_take_the_tensor_dtype():
    out = tf.bitwise.left_shift(tf.constant([1, 2]), 3)
    assert out.dtype == torch.int32 and out.tolist() == [8, 16]
    out = tf.bitwise.bitwise_and(np.uint8(3), np.uint8(5))
    assert out.dtype == torch.uint8 and int(out) == 1
    out = tf.bitwise.invert(5)
    assert out.dtype == torch.int32 and int(out) == -6
    assert tf.bitwise.bitwise_or([12, 10], [10, 6]).tolist() == [14, 14]


def test_errors():
    with pytest.raises(InvalidArgumentError, match="same dtype, got int32 and int64"):
        tf.bitwise.bitwise_and(tf.constant([1]), tf.constant([1], tf.int64))
    with pytest.raises(InvalidArgumentError, match=r"dtype float32 is not supported.*int8"):
        tf.bitwise.left_shift(tf.constant([1.0, 2.0]), 3.0)
    with pytest.raises(InvalidArgumentError, match="dtype bool is not supported"):
        tf.bitwise.bitwise_xor(tf.constant([True]), True)
    with pytest.raises(InvalidArgumentError, match=r"incompatible shapes \[2\] and \[3\]"):
        tf.bitwise.bitwise_or(tf.constant([1, 2]), tf.constant([1, 2, 3]))
    with pytest.raises(InvalidArgumentError, match="tf.bitwise.invert: dtype float32"):
        tf.bitwise.invert(tf.constant([1.0]))


def test_bitwise_in_the_functional_api():
    from tork import keras

    inp = keras.Input((3,), dtype="int32")
    model = keras.Model(inp, tf.bitwise.left_shift(tf.bitwise.bitwise_and(inp, 6), 1))
    assert model(np.array([[7, 3, 12]], np.int32)).tolist() == [[12, 4, 8]]
