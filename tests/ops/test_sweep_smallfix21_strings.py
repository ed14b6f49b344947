"""tf.strings.to_hash_bucket* take TF 2's `input=` keyword (helper smallfix21).

Bucket numbers: TensorFlow 2.21 (CPU) in the reference env, same calls (quoted below).
"""

import pytest

import tork as tf


def test_to_hash_bucket_takes_input_keyword():
    # TF 2: tf.strings.to_hash_bucket(input=["x", "yy", "zzz"], num_buckets=1000) -> [576 279 987]
    out = tf.strings.to_hash_bucket(input=["x", "yy", "zzz"], num_buckets=1000)
    assert out.tolist() == [576, 279, 987]
    assert tf.strings.to_hash_bucket(["a", "hello"], 10).tolist() == [8, 8]


def test_to_hash_bucket_keeps_tf1_string_tensor_keyword():
    out = tf.compat.v1.strings.to_hash_bucket(string_tensor=["a", "hello"], num_buckets=10)
    assert out.tolist() == [8, 8]
    with pytest.raises(ValueError, match="cannot specify both 'string_tensor' and 'input'"):
        tf.strings.to_hash_bucket(input=["a"], num_buckets=10, string_tensor=["a"])
    with pytest.raises(TypeError, match="`input` and `num_buckets` are required"):
        tf.strings.to_hash_bucket(input=["a"])


def test_to_hash_bucket_ragged_input_keyword():
    # TF: <tf.RaggedTensor [[8], [8, 0]]>
    ragged = tf.ragged.constant([["a"], ["hello", "b"]])
    assert tf.strings.to_hash_bucket(input=ragged, num_buckets=10).to_list() == [[8], [8, 0]]


def test_fast_and_strong_take_input_keyword():
    words = ["Hello", "TensorFlow", "2.x"]
    assert tf.strings.to_hash_bucket_fast(input=words, num_buckets=3).tolist() == [0, 2, 2]
    out = tf.strings.to_hash_bucket_strong(input=words, num_buckets=3, key=[1, 2])
    assert out.tolist() == [2, 2, 1]
