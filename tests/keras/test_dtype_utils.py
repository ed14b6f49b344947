"""keras.backend's Keras 3 dtype helpers, against Keras 3.15's answers (TF backend)."""

import numpy as np
import pytest

import tork as tf
from tork import keras

_ORDER = "bool uint8 uint16 uint32 uint64 int8 int16 int32 int64 bfloat16 float16 float32 float64 complex64 complex128".split()
_SHORT = {
    "b": "bool",
    "u8": "uint8",
    "u16": "uint16",
    "u32": "uint32",
    "i8": "int8",
    "i16": "int16",
    "i32": "int32",
    "i64": "int64",
    "bf16": "bfloat16",
    "f16": "float16",
    "f32": "float32",
    "f64": "float64",
    "c64": "complex64",
}
# keras.backend.result_type(row, column) printed by Keras 3.15 (rows and columns in _ORDER).
_KERAS_TABLE = [
    "b u8 u16 u32 u32 i8 i16 i32 i64 bf16 f16 f32 f64 c64 c64",
    "u8 u8 u16 u32 u32 i16 i16 i32 i64 bf16 f16 f32 f64 c64 c64",
    "u16 u16 u16 u32 u32 i32 i32 i32 i64 bf16 f16 f32 f64 c64 c64",
    "u32 u32 u32 u32 u32 i64 i64 i64 i64 bf16 f16 f32 f64 c64 c64",
    "u32 u32 u32 u32 u32 f32 f32 f32 f32 bf16 f16 f32 f64 c64 c64",
    "i8 i16 i32 i64 f32 i8 i16 i32 i64 bf16 f16 f32 f64 c64 c64",
    "i16 i16 i32 i64 f32 i16 i16 i32 i64 bf16 f16 f32 f64 c64 c64",
    "i32 i32 i32 i64 f32 i32 i32 i32 i64 bf16 f16 f32 f64 c64 c64",
    "i64 i64 i64 i64 f32 i64 i64 i64 i64 bf16 f16 f32 f64 c64 c64",
    "bf16 bf16 bf16 bf16 bf16 bf16 bf16 bf16 bf16 bf16 f32 f32 f64 c64 c64",
    "f16 f16 f16 f16 f16 f16 f16 f16 f16 f32 f16 f32 f64 c64 c64",
    "f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f32 f64 c64 c64",
    "f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 c64 c64",
    "c64 c64 c64 c64 c64 c64 c64 c64 c64 c64 c64 c64 c64 c64 c64",
    "c64 c64 c64 c64 c64 c64 c64 c64 c64 c64 c64 c64 c64 c64 c64",
]


def test_result_type_pairs_match_keras():
    for row, line in zip(_ORDER, _KERAS_TABLE):
        for column, short in zip(_ORDER, line.split()):
            assert keras.backend.result_type(row, column) == _SHORT[short], (row, column)


@pytest.mark.parametrize(
    "args, expected",
    [
        (("int32", int), "int32"),
        (("float16", float), "float16"),
        (("int8", int), "int8"),
        (("bool", int), "int32"),
        (("bool", float), "float32"),
        (("uint8", float), "float32"),
        (("int64", float), "float32"),
        (("uint64", int), "uint32"),
        (("bfloat16", int), "bfloat16"),
        (("int8", "uint8", "float16"), "float16"),
        ((int, int), "int32"),
        ((bool, int), "int32"),
        ((complex,), "complex64"),
        (("float32", complex), "complex64"),
        ((int, float), "float32"),
        (("float32", None), "float32"),
        ((), "float32"),
    ],
)
def test_result_type_weak_python_scalars(args, expected):
    assert keras.backend.result_type(*args) == expected


def test_result_type_takes_tork_and_numpy_dtypes():
    assert keras.backend.result_type(tf.int8, np.dtype("uint8")) == "int16"
    assert keras.backend.result_type(tf.float16, tf.bfloat16) == "float32"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("float32", "float32"),
        (tf.float16, "float16"),
        (tf.int64, "int64"),
        (np.float32, "float32"),
        (np.dtype("int64"), "int64"),
        (int, "int64"),
        (float, "float32"),
        (bool, "bool"),
        (None, "float32"),
        ("string", "string"),
        (tf.string, "string"),
        ("bfloat16", "bfloat16"),
    ],
)
def test_standardize_dtype(value, expected):
    assert keras.backend.standardize_dtype(value) == expected
    assert keras.utils.standardize_dtype(value) == expected


@pytest.mark.parametrize("name", ["float", "double", "half", "str"])
def test_standardize_dtype_refuses_names_keras_does_not_know(name):
    with pytest.raises(ValueError, match=f"Invalid dtype: {name}"):
        keras.backend.standardize_dtype(name)


@pytest.mark.parametrize(
    "name, is_float, is_int",
    [
        ("float32", True, False),
        ("bfloat16", True, False),
        ("int8", False, True),
        ("uint8", False, True),
        ("bool", False, False),
        ("complex64", False, False),
        ("string", False, False),
        (tf.float64, True, False),
    ],
)
def test_is_float_and_is_int_dtype(name, is_float, is_int):
    assert keras.backend.is_float_dtype(name) is is_float
    assert keras.backend.is_int_dtype(name) is is_int
