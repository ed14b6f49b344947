"""keras.dtype_policies (Keras 3): get/serialize/deserialize, as Keras 3.15 prints them."""

from __future__ import annotations

import pytest
import torch

from tork import keras


def test_get_accepts_names_dicts_policies_dtypes_and_none():
    policy = keras.dtype_policies.get("mixed_float16")
    assert isinstance(policy, keras.DTypePolicy)
    assert (policy.compute_dtype, policy.variable_dtype) == ("float16", "float32")
    assert keras.dtype_policies.get(policy) is policy
    assert keras.dtype_policies.get(None).name == "float32"  # the global policy
    assert keras.dtype_policies.get(torch.float16).name == "float16"
    as_dict = {"class_name": "DTypePolicy", "config": {"name": "mixed_bfloat16"}}
    assert keras.dtype_policies.get(as_dict).compute_dtype == "bfloat16"


def test_serialize_round_trips_with_keras3_layout():
    policy = keras.dtype_policies.get("mixed_float16")
    assert keras.dtype_policies.serialize(policy) == {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "mixed_float16"},
        "registered_name": None,
    }
    assert keras.dtype_policies.serialize("float32") == "float32"
    old = keras.dtype_policies.serialize(keras.dtype_policies.FloatDTypePolicy("float16"))
    assert old["class_name"] == "FloatDTypePolicy"
    assert keras.dtype_policies.deserialize(old).compute_dtype == "float16"
    layer = keras.layers.Dense(2, dtype=keras.dtype_policies.deserialize(old))
    assert layer.compute_dtype == "float16"


def test_errors_name_what_was_received_and_the_fix():
    with pytest.raises(ValueError, match=r"Expected a string or an instance of DTypePolicy\. "):
        keras.dtype_policies.get(3)
    with pytest.raises(ValueError, match="Quantized dtype policies such as 'int8_from_float32'"):
        keras.dtype_policies.get("int8_from_float32")
    with pytest.raises(ValueError, match="unknown dtype policy class 'QuantizedDTypePolicy'"):
        keras.dtype_policies.deserialize({"class_name": "QuantizedDTypePolicy", "config": {}})
