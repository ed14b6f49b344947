"""keras.utils messages for common label mistakes (sweep 'errors')."""

import numpy as np
import pytest

from tork import keras


def test_to_categorical_labels_counted_from_one():
    with pytest.raises(
        IndexError,
        match=r"to_categorical: label 3 is out of range for num_classes=3 \(labels must be "
        r"0\.\.2\)\. If the labels start at 1, subtract 1 first; otherwise pass num_classes=4",
    ):
        keras.utils.to_categorical([1, 2, 3], num_classes=3)


def test_to_categorical_values_unchanged():
    got = keras.utils.to_categorical([0, 2, -1], 3)
    np.testing.assert_array_equal(got, [[1, 0, 0], [0, 0, 1], [0, 0, 1]])
