"""A softmax over a single unit warns (SO "accuracy stuck at 50%"; sweep sofq).

Keras (2 and 3) builds `Dense(1, activation="softmax")` silently; its output is 1.0 for
every input (softmax of one value), so the classifier never changes its predictions.
"""

import warnings

import numpy as np
import pytest

from tork import keras

L = keras.layers


def test_dense_single_unit_softmax_warns_and_outputs_ones():
    with pytest.warns(
        UserWarning,
        match=r"Dense layer 'one_unit' has a single output unit with activation='softmax'.*"
        r"always 1\.0.*Dense\(1, activation='sigmoid'\)",
    ):
        layer = L.Dense(1, activation="softmax", name="one_unit")
    x = np.array([[1.0, -2.0], [0.3, 4.0]], "float32")
    np.testing.assert_allclose(layer(x).numpy(), [[1.0], [1.0]])  # what the warning says


def test_conv_single_filter_softmax_warns():
    with pytest.warns(UserWarning, match=r"Conv2D layer 'seg'.*Conv2D\(1, \.\.\., activation="):
        L.Conv2D(1, 1, activation="softmax", name="seg")


def test_no_warning_for_meaningful_softmax_layers():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        L.Dense(2, activation="softmax")
        L.Dense(1, activation="sigmoid")
        L.Conv2D(3, 1, activation="softmax")
        # channels_first: the softmax (last axis) runs over the width, not the filters.
        L.Conv1D(1, 1, activation="softmax", data_format="channels_first")
