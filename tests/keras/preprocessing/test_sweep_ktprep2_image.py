"""Keras 2 wording of NumpyArrayIterator's length checks.

Reference: tf_keras 2.21 (`TF_USE_LEGACY_KERAS=1`) raises ValueError with
"`x` (images tensor) and `y` (labels) should have the same length. Found: x.shape =
(7, 4, 4, 3), y.shape = (8,)" (and the same with `sample_weight`); Keras 2's own tests
match the "`x` (images tensor) and `y` (labels)" phrase.
"""

import numpy as np
import pytest

import tork as tf

image = tf.keras.preprocessing.image


def test_label_length_message():
    gen = image.ImageDataGenerator()
    x = np.zeros((7, 4, 4, 3))
    with pytest.raises(
        ValueError, match=r"`x` \(images tensor\) and `y` \(labels\) .*y\.shape = \(8,\)"
    ):
        image.NumpyArrayIterator((x, np.zeros(7)), np.arange(8), gen)
    with pytest.raises(ValueError, match=r"`x` \(images tensor\) and `y` \(labels\)"):
        gen.flow(x, np.arange(5))


def test_sample_weight_length_message():
    gen = image.ImageDataGenerator()
    with pytest.raises(
        ValueError,
        match=r"`x` \(images tensor\) and `sample_weight` .*sample_weight\.shape = \(3,\)",
    ):
        gen.flow(np.zeros((7, 4, 4, 3)), np.arange(7), sample_weight=np.ones(3))


def test_misc_inputs_length_message():
    # tf_keras: "All of the arrays in `x` should have the same length. ..."
    gen = image.ImageDataGenerator()
    with pytest.raises(ValueError, match="All of the arrays in"):
        image.NumpyArrayIterator((np.zeros((7, 4, 4, 3)), np.zeros((8, 3))), np.arange(7), gen)
