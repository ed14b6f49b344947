"""Layer dtype names equal TF dtypes, as in Keras 2 (`layer.dtype == tf.float32`).

tf_keras 2.21: `Dense(2).dtype`, `.compute_dtype`, `.variable_dtype` and `._dtype` are the
string 'float32', and `tf.float32 == 'float32'` is True, so user code compares them
with either; under 'mixed_float16', `compute_dtype == tf.float16`.
"""

import copy
import json
import pickle

import numpy as np
import pytest

import tork as tf

keras = tf.keras


@pytest.mark.parametrize("attr", ["dtype", "compute_dtype", "variable_dtype", "_dtype"])
def test_dtype_names_equal_the_name_and_the_dtype(attr):
    value = getattr(keras.layers.Dense(2), attr)
    assert value == "float32" and value == tf.float32 and tf.float32 == value
    assert not (value != tf.float32) and not (tf.float32 != value)
    assert value != tf.float16 and value != "float16" and not (value == tf.float64)
    assert isinstance(value, str) and str(value) == "float32"


def test_mixed_precision_compute_dtype_equals_float16():
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        layer = keras.layers.Dense(2)
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert layer.compute_dtype == tf.float16 and layer.compute_dtype == "float16"
    assert layer.dtype == tf.float32 and layer.variable_dtype == "float32"


def test_policy_dtype_names_equal_tf_dtypes():
    policy = keras.mixed_precision.Policy("mixed_float16")
    assert policy.compute_dtype == tf.float16 and policy.compute_dtype == "float16"
    assert policy.variable_dtype == tf.float32 and policy.variable_dtype != tf.float16
    assert keras.mixed_precision.Policy("string").compute_dtype == "string"


def test_dtype_names_work_as_plain_strings():
    name = keras.layers.Dense(2).compute_dtype
    assert {name: 1}["float32"] == 1
    assert json.dumps({"dtype": name}) == '{"dtype": "float32"}'
    assert type(pickle.loads(pickle.dumps(name))) is str
    assert copy.deepcopy(name) == "float32"
    assert np.finfo(name).eps == np.finfo(np.float32).eps
    assert tf.cast(tf.constant([1, 2]), name).dtype == tf.float32
