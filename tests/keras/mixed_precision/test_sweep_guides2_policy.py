"""Printed policies, as in the mixed precision guide (values from TF 2.21 / Keras 3.15)."""

import json

import tork as tf


def test_print_policy_shows_class_and_name():
    policy = tf.keras.mixed_precision.Policy("mixed_float16")
    # Keras 3.15 prints `<DTypePolicy "mixed_float16">` for str(), repr() and f-strings.
    assert str(policy) == '<DTypePolicy "mixed_float16">'
    assert f"{policy}" == '<DTypePolicy "mixed_float16">'
    assert repr(policy) == '<DTypePolicy "mixed_float16">'


def test_policy_name_still_compares_and_serializes_as_its_name():
    policy = tf.keras.mixed_precision.Policy("mixed_float16")
    assert policy.name == "mixed_float16"
    assert policy == "mixed_float16"
    assert json.dumps({"dtype": policy}) == '{"dtype": "mixed_float16"}'
    layer = tf.keras.layers.Dense(2, dtype=policy)
    assert layer.compute_dtype == "float16"
    assert str(layer.dtype_policy) == '<DTypePolicy "mixed_float16">'
