"""String scalars hold Python `bytes`, never `np.bytes_`, as in TF.

Expected types come from TensorFlow 2.21 (the reference env): every case below gives
`bytes` from `.numpy()` / `as_numpy_iterator()` there.
"""

import numpy as np

import tork as tf


def _is_plain_bytes(value, expected):
    return type(value) is bytes and value == expected


def test_numpy_function_returning_np_bytes():
    out = tf.numpy_function(lambda: np.bytes_(b"ab"), [], tf.string).numpy()
    assert _is_plain_bytes(out, b"ab")
    out = tf.py_function(lambda: np.bytes_(b"p"), [], tf.string).numpy()
    assert _is_plain_bytes(out, b"p")


def test_constant_of_np_bytes_elements():
    assert _is_plain_bytes(tf.constant(np.bytes_(b"a")).numpy(), b"a")
    assert _is_plain_bytes(tf.convert_to_tensor(np.bytes_(b"a")).numpy(), b"a")
    arr = tf.constant([np.bytes_(b"a"), np.str_("bc")]).numpy()
    assert arr.dtype == object and [type(v) for v in arr] == [bytes, bytes]
    assert arr.tolist() == [b"a", b"bc"]
    assert _is_plain_bytes(tf.constant([np.bytes_(b"a")])[0].numpy(), b"a")


def test_dataset_string_scalars():
    ds = tf.data.Dataset.from_tensor_slices(["a", "b"]).map(
        lambda s: tf.numpy_function(lambda x: np.bytes_(x + b"!"), [s], tf.string)
    )
    assert _is_plain_bytes(next(ds.as_numpy_iterator()), b"a!")
    gen = tf.data.Dataset.from_generator(
        lambda: iter([np.bytes_(b"g")]), output_signature=tf.TensorSpec((), tf.string)
    )
    assert _is_plain_bytes(next(gen.as_numpy_iterator()), b"g")
    assert _is_plain_bytes(next(iter(gen)).numpy(), b"g")
    ds = tf.data.Dataset.from_tensors(np.bytes_(b"x"))
    assert _is_plain_bytes(next(ds.as_numpy_iterator()), b"x")
