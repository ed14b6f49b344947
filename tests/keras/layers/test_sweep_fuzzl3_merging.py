"""Elementwise merges' compute_output_shape with inputs of different ranks (tf_keras).

Found by differential layer testing against tf_keras (helper fuzzl3): the call adds axes
after the batch axis of a lower-rank input, but compute_output_shape aligned whole shapes
from the end, pairing the batch size with a feature axis: Add().compute_output_shape(
[(2, 4), (2, 3, 4)]) gave (2, 2, 4). Expected shapes printed by tf_keras 2.21.
"""

import pytest

import tork as tf

L = tf.keras.layers


@pytest.mark.parametrize("cls", ["Add", "Multiply", "Average", "Maximum", "Subtract"])
def test_lower_rank_first_input_keeps_the_batch_axis(cls):
    layer = getattr(L, cls)()
    assert tuple(layer.compute_output_shape([(2, 4), (2, 3, 4)])) == (2, 3, 4)
    assert tuple(layer.compute_output_shape([(None, 1), (2, 3, 5)])) == (2, 3, 5)
    assert tuple(layer.compute_output_shape([(2, 3, 1), (None, 5)])) == (2, 3, 5)


def test_compute_output_shape_agrees_with_the_call():
    a = tf.ones((2, 4))
    b = tf.ones((2, 3, 4))
    layer = L.Add()
    assert tuple(layer([a, b]).shape) == tuple(layer.compute_output_shape([(2, 4), (2, 3, 4)]))
