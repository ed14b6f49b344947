"""TF 1's top-level string op names in `tf.compat.v1` (values from TF 2.21's compat.v1)."""

import numpy as np

import tork as tf

v1 = tf.compat.v1


def _list(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x).tolist()


def test_hash_buckets_match_tf():
    assert _list(v1.string_to_hash_bucket(["hello", "world"], 10)) == [8, 1]
    assert _list(v1.string_to_hash_bucket_fast(["hello", "world"], 10)) == [6, 8]
    assert _list(v1.string_to_hash_bucket_strong(["hello", "world"], 10, [1, 2])) == [2, 0]


def test_string_ops_under_tf1_names():
    assert _list(v1.substr(["hello", "world"], 1, 3)) == [b"ell", b"orl"]
    assert _list(v1.string_join([["a", "b"], ["c", "d"]], separator="-")) == [b"a-c", b"b-d"]
    assert _list(v1.string_strip(["  a b "])) == [b"a b"]
    assert _list(v1.regex_replace(["a1b22"], r"\d", "#")) == [b"a#b##"]


def test_string_to_number_takes_tf1_keyword():
    out = v1.string_to_number(string_tensor=["1.5", "2"], out_type=tf.float64)
    assert out.dtype == tf.float64
    assert _list(out) == [1.5, 2.0]


def test_reduce_join_takes_tf1_arguments():
    out = v1.reduce_join(
        [["a", "b"], ["c", "d"]], reduction_indices=1, keep_dims=True, separator="+"
    )
    assert _list(out) == [[b"a+b"], [b"c+d"]]
