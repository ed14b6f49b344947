"""Dense(units='4') from the Coursera object-localization lab (Keras 2 applies int())."""

import pytest

import tork as tf


def test_string_units_become_int():
    layer = tf.keras.layers.Dense(units="4", name="bounding_box")
    assert layer.units == 4 and type(layer.units) is int
    out = layer(tf.ones((2, 3)))
    assert tuple(out.shape) == (2, 4)
    assert layer.get_config()["units"] == 4


def test_non_numeric_string_units_still_raise():
    with pytest.raises(ValueError, match="must be a positive integer"):
        tf.keras.layers.Dense("four")
