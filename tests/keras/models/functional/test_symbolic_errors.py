"""Errors raised while the functional API infers shapes: the user's shapes, no torch log."""

import logging

import pytest

import tork as tf
from tork import keras


def test_intermediate_shapes_show_none_for_the_unknown_batch():
    # The Lambda fails on an intermediate (batch, 3) tensor; the stand-in batch size the
    # shape inference uses must not appear as if it were the user's.
    layer = keras.layers.Lambda(lambda t: t[:, :, 0] * tf.ones((7,)))
    with pytest.raises(RuntimeError) as info:
        layer(keras.Input((3, 4)))
    message = str(info.value)
    assert "[None, 3]" in message and "61" not in message
    notes = "\n".join(getattr(info.value, "__notes__", []))
    assert "layer 'lambda' (Lambda)" in notes and "(None, 3, 4)" in notes


def test_element_counts_are_per_sample():
    class Fold(keras.layers.Layer):
        def call(self, inputs):
            return tf.reshape(inputs, (-1, 7, 3))

    with pytest.raises(Exception) as info:
        Fold()(keras.Input((10,)))
    message = str(info.value)
    assert "(None, 10) (10 elements per sample)" in message
    assert "610" not in message


def test_a_known_size_equal_to_a_stand_in_is_kept():
    # 61 is a real size of this input: it stays 61 in the message.
    layer = keras.layers.Lambda(lambda t: t * tf.ones((7,)))
    with pytest.raises(RuntimeError) as info:
        layer(keras.Input((61,)))
    assert "61" in str(info.value)


def test_torch_does_not_log_the_failed_fake_op(caplog):
    with caplog.at_level(logging.DEBUG, logger="torch._subclasses.fake_tensor"):
        with pytest.raises(Exception, match="inner dimensions 4 and 5 differ"):
            tf.matmul(keras.Input((3, 4)), keras.Input((5, 6)))
    assert not [r for r in caplog.records if r.name.startswith("torch._subclasses")]
