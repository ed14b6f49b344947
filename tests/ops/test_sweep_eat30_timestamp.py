"""tf.timestamp: float64 seconds since the epoch (eat_tensorflow2_in_30_days printbar)."""

import time

import torch

import tork as tf


def test_timestamp_is_float64_scalar_now():
    before = time.time()
    ts = tf.timestamp()
    after = time.time()
    assert ts.dtype == torch.float64
    assert tuple(ts.shape) == ()
    assert before <= float(ts) <= after


def test_timestamp_printbar_arithmetic():
    # The course's printbar: seconds of the day -> hour/minute/second as int32.
    ts = tf.timestamp() % (24 * 60 * 60)
    hour = tf.cast(ts // 3600 + 8, tf.int32) % tf.constant(24)
    second = tf.cast(tf.floor(ts % 60), tf.int32)
    assert hour.dtype == torch.int32 and 0 <= int(hour) < 24
    assert second.dtype == torch.int32 and 0 <= int(second) < 60
