"""Sweep of Geron's "Hands-On ML" (2nd ed.), ch. 13: tf.io.serialize_tensor / parse_tensor."""

import numpy as np
import pytest
import torch

import tork as tf

# The bytes TF 2.21 writes for these tensors.
TF_BYTES = {
    "float": "0801120812020803120208022218000000000000803f0000004000004040000080400000a040",
    "scalar": "08031200220403000000",
    "empty_int64": "080912021200",
    "uint8_0x2": "08041206120012020802",
    "bool": "080a12041202080222020100",
    "strings": "080712041202080242026162420163",
    "string_scalar": "08071200420378797a",
    "float16": "08131204120208012202003e",
}


def _tensors():
    return {
        "float": tf.constant([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]),
        "scalar": tf.constant(3),
        "empty_int64": tf.constant([], tf.int64),
        "uint8_0x2": tf.zeros((0, 2), tf.uint8),
        "bool": tf.constant([True, False]),
        "strings": tf.constant(["ab", "c"]),
        "string_scalar": tf.constant(b"xyz"),
        "float16": tf.constant([1.5], tf.float16),
    }


def test_serialize_tensor_writes_tf_bytes():
    for key, tensor in _tensors().items():
        data = tf.io.serialize_tensor(tensor)
        assert data.dtype == tf.string and tuple(data.shape) == ()
        assert data.numpy().hex() == TF_BYTES[key], key


def test_parse_tensor_reads_tf_bytes():
    for key, tensor in _tensors().items():
        data = bytes.fromhex(TF_BYTES[key])
        parsed = tf.io.parse_tensor(data, out_type=tensor.dtype)
        assert tuple(parsed.shape) == tuple(tensor.shape), key
        np.testing.assert_array_equal(np.asarray(parsed.numpy()), np.asarray(tensor.numpy()))
    bf = torch.tensor([1.5, -2.0], dtype=torch.bfloat16)
    back = tf.io.parse_tensor(tf.io.serialize_tensor(bf), tf.bfloat16)
    assert back.dtype == torch.bfloat16 and back.tolist() == [1.5, -2.0]


def test_parse_tensor_type_mismatch():
    data = tf.io.serialize_tensor(tf.constant([1.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"parsed tensor \(float32\)"):
        tf.io.parse_tensor(data, out_type=tf.int32)
