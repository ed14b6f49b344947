"""tf.map_fn over string tensors (the taxifare notebooks' dayofweek feature).

Expected values are computed with Python's datetime, as TensorFlow 2.21 returns them.
"""

import datetime

import numpy as np

import tork as tf

DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]


def _get_dayofweek(s):
    ts = datetime.datetime.strptime(s.numpy().decode("utf-8"), "%Y-%m-%d %H:%M:%S %Z")
    return DAYS[ts.weekday()]


def test_map_fn_over_strings_with_py_function():
    # 4_keras_adv_feat_eng: tf.map_fn(lambda s: tf.py_function(..., Tout=tf.string), ts_in)
    stamps = ["2012-03-05 23:06:00 UTC", "2012-10-14 08:09:00 UTC", "2010-02-08 09:17:00 UTC"]

    @tf.function
    def dayofweek(ts_in):
        return tf.map_fn(lambda s: tf.py_function(_get_dayofweek, inp=[s], Tout=tf.string), ts_in)

    out = dayofweek(tf.constant(stamps))
    # 2012-03-05 is a Monday: weekday() 0, which this DAYS list (as the notebook's) maps to Sun.
    assert out.dtype == tf.string
    assert out.numpy().tolist() == [b"Sun", b"Sat", b"Sun"]


def test_map_fn_string_results_and_numbers_from_strings():
    words = tf.constant([["ab", "cde"], ["f", "ghij"]])
    first = tf.map_fn(lambda row: tf.strings.substr(row, 0, 1), words)
    assert first.shape == (2, 2)
    assert first.numpy().tolist() == [[b"a", b"c"], [b"f", b"g"]]
    lengths = tf.map_fn(
        lambda s: tf.strings.length(s), tf.constant(["ab", "cde", ""]), fn_output_signature=tf.int32
    )
    np.testing.assert_array_equal(lengths.numpy(), [2, 3, 0])
