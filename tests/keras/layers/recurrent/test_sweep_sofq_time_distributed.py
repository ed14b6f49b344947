"""TimeDistributed on an input without a time axis (SO "TimeDistributed Conv2D expected
ndim=5"; sweep sofq).

tf_keras 2.21 reports only the inner layer's error on one step: 'Input 0 of layer
"conv2d_1" is incompatible with the layer: expected min_ndim=4, found ndim=3. Full shape
received: (None, 6, 1)', which suggests a channel axis is missing.
"""

import numpy as np
import pytest

from tork import keras

L = keras.layers


def test_input_shaped_as_one_inner_input_names_the_missing_time_axis():
    with pytest.raises(
        ValueError,
        match=r"TimeDistributed layer 'frames' .*applies Conv2D to each step of axis 1, but "
        r"the input \(None, 6, 6, 1\) has no time axis.*Reshape\(\(1, 6, 6, 1\)\).*"
        r"Conv2D on one step: .*expects 4D input",
    ):
        keras.Sequential([L.TimeDistributed(L.Conv2D(2, 3), input_shape=(6, 6, 1), name="frames")])


def test_other_inner_errors_are_unchanged():
    # (None, 6, 6): no copy of Conv2D builds on it either, so only Conv2D's error shows.
    with pytest.raises(ValueError, match=r"Conv2D layer .*expects 4D input") as info:
        L.TimeDistributed(L.Conv2D(2, 3))(keras.Input((6, 6)))
    assert "has no time axis" not in str(info.value)


def test_the_fix_runs_per_frame():
    model = keras.Sequential(
        [L.TimeDistributed(L.Conv2D(2, 3, kernel_initializer="ones"), input_shape=(3, 6, 6, 1))]
    )
    assert model.output_shape == (None, 3, 4, 4, 2)
    x = np.ones((1, 3, 6, 6, 1), "float32")
    # Each output cell sums a 3x3 patch of ones.
    np.testing.assert_allclose(model.predict(x, verbose=0), np.full((1, 3, 4, 4, 2), 9.0))
