"""DTypePolicy / Policy, the global policy, and how layers take it."""

from __future__ import annotations

import copy
import json
import pickle

import numpy as np
import pytest
import torch

import tork as tf
from tork._backend.device import current_device
from tork.keras import layers, mixed_precision
from tork.keras.mixed_precision import DTypePolicy, Policy


@pytest.mark.parametrize(
    ("name", "compute", "variable"),
    [
        ("mixed_float16", "float16", "float32"),
        ("mixed_bfloat16", "bfloat16", "float32"),
        ("float32", "float32", "float32"),
        ("float16", "float16", "float16"),
        ("bfloat16", "bfloat16", "bfloat16"),
        ("float64", "float64", "float64"),
        ("int32", "int32", "int32"),
    ],
)
def test_policy_dtypes(name, compute, variable):
    policy = Policy(name)
    assert policy.name == name
    assert policy.compute_dtype == compute
    assert policy.variable_dtype == variable
    assert policy.quantization_mode is None


def test_policy_is_dtype_policy_and_its_name():
    assert Policy is DTypePolicy
    policy = DTypePolicy("mixed_float16")
    assert repr(policy) == '<DTypePolicy "mixed_float16">'
    assert policy == "mixed_float16"
    assert json.dumps({"dtype": policy}) == '{"dtype": "mixed_float16"}'
    assert DTypePolicy(policy) == policy


def test_policy_from_torch_dtype_and_none():
    assert DTypePolicy(torch.float16).name == "float16"
    assert DTypePolicy(tf.float64).compute_dtype == "float64"
    assert DTypePolicy().name == "float32"
    previous = tf.keras.backend.floatx()
    tf.keras.backend.set_floatx("float64")
    try:
        assert DTypePolicy().name == "float64"
        assert mixed_precision.global_policy().name == "float64"
    finally:
        tf.keras.backend.set_floatx(previous)


def test_policy_config_pickle_and_copy():
    policy = Policy("mixed_bfloat16")
    assert policy.get_config() == {"name": "mixed_bfloat16"}
    restored = Policy.from_config(policy.get_config())
    assert restored.compute_dtype == "bfloat16"
    for clone in (pickle.loads(pickle.dumps(policy)), copy.deepcopy(policy)):
        assert type(clone) is DTypePolicy
        assert (clone.name, clone.compute_dtype, clone.variable_dtype) == (
            "mixed_bfloat16",
            "bfloat16",
            "float32",
        )


def test_convert_input():
    policy = Policy("mixed_float16")
    x = torch.ones(2)
    assert policy.convert_input(x, True, policy.compute_dtype).dtype == torch.float16
    assert policy.convert_input(x, False, "float16") is x
    ints = torch.ones(2, dtype=torch.int64)
    assert policy.convert_input(ints, True, "float16") is ints


def test_unknown_policy_names_valid_policies():
    with pytest.raises(
        ValueError, match=r"Cannot convert 'mixed_float32'.*Did you mean 'mixed_float16'"
    ) as info:
        Policy("mixed_float32")
    message = str(info.value)
    assert "'mixed_float16', 'mixed_bfloat16'" in message and "'float32'" in message
    with pytest.raises(TypeError, match="string name such as 'mixed_float16'"):
        Policy(3.5)
    # Keras 2 accepts a string policy (a layer on strings); see test_sweep_geronb_string_policy.
    assert Policy("string").compute_dtype == "string"


def test_global_policy_default_and_set():
    assert mixed_precision.global_policy().name == "float32"
    mixed_precision.set_global_policy("mixed_float16")
    policy = mixed_precision.global_policy()
    assert isinstance(policy, DTypePolicy)
    assert (policy.compute_dtype, policy.variable_dtype) == ("float16", "float32")
    mixed_precision.set_global_policy(Policy("mixed_bfloat16"))
    assert mixed_precision.global_policy() == "mixed_bfloat16"
    mixed_precision.set_global_policy(None)
    assert mixed_precision.global_policy() == "float32"


def test_keras3_and_experimental_spellings():
    mixed_precision.set_dtype_policy("mixed_bfloat16")
    assert mixed_precision.dtype_policy().name == "mixed_bfloat16"
    mixed_precision.experimental.set_policy("mixed_float16")
    assert mixed_precision.experimental.global_policy().name == "mixed_float16"
    old = mixed_precision.experimental.Policy("mixed_float16")
    assert old.loss_scale == "dynamic" and old.compute_dtype == "float16"
    assert mixed_precision.experimental.Policy("float32").loss_scale is None
    assert pickle.loads(pickle.dumps(old)).loss_scale == "dynamic"
    assert tf.keras.mixed_precision.Policy is Policy


def test_set_global_policy_errors():
    with pytest.raises(ValueError, match="only set the global policy to floating-point"):
        mixed_precision.set_global_policy("int32")
    with pytest.raises(ValueError, match="Expected the string name of a policy"):
        mixed_precision.set_global_policy(3)
    with pytest.raises(ValueError, match="Did you mean 'mixed_bfloat16'"):
        mixed_precision.set_global_policy("mixed_bfloat")
    assert mixed_precision.global_policy().name == "float32"


def test_missing_name_raises_not_implemented():
    with pytest.raises(NotImplementedError, match="mixed_precision.LossScale"):
        _ = mixed_precision.LossScale


# -- layers ------------------------------------------------------------------------------
def test_global_policy_affects_only_layers_created_after():
    before = layers.Conv1D(2, 2)
    mixed_precision.set_global_policy("mixed_bfloat16")
    after = layers.Conv1D(2, 2)
    mixed_precision.set_global_policy("float32")
    x = torch.randn(2, 5, 3, device=current_device())
    assert before.dtype_policy.name == "float32"
    assert after.dtype_policy.name == "mixed_bfloat16"
    # The policy was read at construction: resetting the global one changes nothing.
    y = after(x)
    assert after.kernel.dtype == torch.float32 and after.bias.dtype == torch.float32
    assert y.dtype == torch.bfloat16
    assert before(x).dtype == torch.float32
    # Same math as float32 up to bfloat16 rounding of inputs and weights.
    xb = x.to(torch.bfloat16).float()
    kb = after.kernel.detach().to(torch.bfloat16).float()
    expected = torch.stack(
        [xb[:, t : t + 2].reshape(2, -1) @ kb.reshape(-1, 2) for t in range(4)], dim=1
    )
    np.testing.assert_allclose(y.float().detach().numpy(), expected.numpy(), rtol=2e-2, atol=2e-2)


def test_layer_dtype_properties_under_mixed_float16():
    mixed_precision.set_global_policy("mixed_float16")
    layer = layers.Embedding(10, 4)
    assert isinstance(layer.dtype_policy, DTypePolicy)
    assert layer.dtype_policy == "mixed_float16"
    assert (layer.dtype, layer.compute_dtype, layer.variable_dtype) == (
        "float32",
        "float16",
        "float32",
    )
    out = layer(torch.tensor([[1, 2, 3]]))
    assert layer.embeddings.dtype == torch.float32
    assert out.dtype == torch.float16
    np.testing.assert_array_equal(
        out[0].numpy(), layer.embeddings.detach()[[1, 2, 3]].to(torch.float16).numpy()
    )


def test_float32_output_layer_in_mixed_model():
    mixed_precision.set_global_policy("mixed_bfloat16")
    hidden = layers.Conv1D(4, 3, activation="relu")
    pool = layers.GlobalAveragePooling1D()
    head = layers.Dense(2, dtype="float32")
    activation = layers.Activation("softmax", dtype="float32")
    model = tf.keras.Sequential([tf.keras.Input((6, 3)), hidden, pool, head, activation])
    h = pool(hidden(torch.randn(2, 6, 3)))
    assert h.dtype == torch.bfloat16
    out = model(torch.randn(2, 6, 3))
    assert head.compute_dtype == "float32" and head.kernel.dtype == torch.float32
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.sum(-1).detach().numpy(), [1.0, 1.0], rtol=1e-6)


def test_policy_object_and_config_dict_as_layer_dtype():
    layer = layers.Conv1D(2, 2, dtype=Policy("mixed_bfloat16"))
    assert layer.compute_dtype == "bfloat16"
    keras3 = {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "mixed_float16"},
        "registered_name": None,
    }
    assert layers.Conv1D(2, 2, dtype=keras3).compute_dtype == "float16"
    assert layers.Conv1D(2, 2, dtype=np.dtype("float64")).dtype_policy == "float64"


def test_layer_config_round_trip_keeps_policy():
    mixed_precision.set_global_policy("mixed_bfloat16")
    layer = layers.Conv1D(2, 2)
    config = layer.get_config()
    # tf_keras 2.21 writes a mixed policy as a serialized Policy.
    assert config["dtype"] == {
        "module": "keras.mixed_precision",
        "class_name": "Policy",
        "config": {"name": "mixed_bfloat16"},
        "registered_name": None,
    }
    config = json.loads(json.dumps(config))
    mixed_precision.set_global_policy(None)
    restored = layers.Conv1D.from_config(config)
    assert restored.dtype_policy.name == "mixed_bfloat16"


def test_dtype_policy_setter():
    layer = layers.Conv1D(2, 2)
    layer.dtype_policy = "mixed_bfloat16"
    assert layer.compute_dtype == "bfloat16" and layer.variable_dtype == "float32"


def test_invalid_layer_dtype_names_valid_policies():
    with pytest.raises(ValueError, match="Cannot convert 'mixed_floot16'.*'mixed_float16'"):
        layers.Conv1D(2, 2, dtype="mixed_floot16")


def test_dense_under_global_mixed_policy():
    mixed_precision.set_global_policy("mixed_bfloat16")
    dense = layers.Dense(3)
    x = torch.randn(4, 5, device=current_device())
    y = dense(x)
    assert dense.kernel.dtype == torch.float32
    assert y.dtype == torch.bfloat16
    expected = x.to(torch.bfloat16).float() @ dense.kernel.detach().to(torch.bfloat16).float()
    np.testing.assert_allclose(y.float().detach().numpy(), expected.numpy(), rtol=2e-2, atol=2e-2)
