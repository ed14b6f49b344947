"""Sweep of tf_keras's mixed-precision policy tests: removed `_float32_vars` names.

Messages as tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) gives them in the reference env.
"""

import pytest

import tork as tf

mp = tf.keras.mixed_precision


@pytest.mark.parametrize(
    ("name", "advice"),
    [
        ("infer_float32_vars", "Please use the 'mixed_float16' or 'mixed_bfloat16' policy"),
        ("float16_with_float32_vars", "Please use the 'mixed_float16' policy instead"),
        ("bfloat16_with_float32_vars", "Please use the 'mixed_bfloat16' policy instead"),
        ("int8_with_float32_vars", "removed from TensorFlow. Got policy name"),
    ],
)
def test_float32_vars_policies_name_their_replacement(name, advice):
    with pytest.raises(ValueError, match="Policies ending in '_float32_vars' have been removed"):
        mp.Policy(name)
    with pytest.raises(ValueError, match=advice):
        mp.Policy(name)
    with pytest.raises(ValueError, match=f"Got policy name: '{name}'"):
        mp.set_global_policy(name)


def test_other_policies_unchanged():
    assert mp.Policy("mixed_float16").compute_dtype == "float16"
    with pytest.raises(ValueError, match="Cannot convert 'abc'"):
        mp.Policy("abc")
