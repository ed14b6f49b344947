"""Encoding preprocessing layers under a global mixed policy (fifth differential sweep, fuzzl5).

tf_keras gives CategoryEncoding and the one_hot/multi_hot/count/tf_idf modes of Hashing,
Discretization, StringLookup and IntegerLookup the dtype floatx() when none is given, so their
outputs stay float32 under mixed_float16; tork followed the global policy (float16 outputs).
Expected values: tf_keras 2.21 (/tmp/fuzzl5/probes/ref_fuzzl5.py, p_prep_policy2.py).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
L = keras.layers


@pytest.fixture
def f16_policy():
    keras.mixed_precision.set_global_policy("mixed_float16")
    yield
    keras.mixed_precision.set_global_policy("float32")


CASES = {
    "ce": (lambda: L.CategoryEncoding(4, output_mode="count"), [[0, 1, 1]], [[1.0, 2.0, 0.0, 0.0]]),
    "hash": (
        lambda: L.Hashing(3, output_mode="one_hot"),
        [[1], [2]],
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
    ),
    "disc": (lambda: L.Discretization([0.0], output_mode="multi_hot"), [[-1.0, 1.0]], [[1.0, 1.0]]),
    "sl": (
        lambda: L.StringLookup(vocabulary=["a", "b"], output_mode="tf_idf", idf_weights=[0.3, 0.7]),
        [["a", "b", "b", "c"]],
        [[0.5, 0.3, 1.4]],
    ),
    "il": (
        lambda: L.IntegerLookup(vocabulary=[5, 6], output_mode="count"),
        [[5, 6, 6, 7]],
        [[1.0, 1.0, 2.0]],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_encodings_stay_float32_under_mixed_policy(f16_policy, name):
    make, inputs, expected = CASES[name]
    layer = make()
    assert layer.dtype_policy.name == "float32"
    assert layer.compute_dtype == "float32"
    out = layer(np.array(inputs))
    assert out.dtype == tf.float32
    np.testing.assert_allclose(np.asarray(out), expected, rtol=1e-6)
    assert layer.get_config()["dtype"] == "float32"


def test_explicit_dtypes_are_kept(f16_policy):
    # dtype=None on CategoryEncoding keeps the global policy (tf_keras reads only a missing key).
    assert L.CategoryEncoding(5, dtype=None).dtype_policy.name == "mixed_float16"
    assert L.CategoryEncoding(5, dtype="float64").compute_dtype == "float64"
    # output_mode='int' stays int64.
    assert L.Hashing(3).compute_dtype == "int64"
    assert L.StringLookup(vocabulary=["a"]).dtype == "int64"
