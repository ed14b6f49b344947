"""tf.test device queries and tf.get_logger / tf.compat at the top level."""

import logging

import torch

import tork as tf


def test_gpu_queries_follow_torch():
    assert tf.test.is_gpu_available() == torch.cuda.is_available()
    assert tf.test.gpu_device_name() == ("/device:GPU:0" if torch.cuda.is_available() else "")
    assert tf.test.is_built_with_cuda() == torch.backends.cuda.is_built()
    assert tf.test.is_built_with_gpu_support() == tf.test.is_built_with_cuda()


def test_get_logger_and_compat_are_top_level():
    logger = tf.get_logger()
    assert isinstance(logger, logging.Logger) and logger.name == "tensorflow"
    tf.get_logger().setLevel("ERROR")
    assert logger.level == logging.ERROR
    tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.ERROR)
    tf.compat.v1.set_random_seed(1)
    assert tf.compat.as_bytes("a") == b"a"
