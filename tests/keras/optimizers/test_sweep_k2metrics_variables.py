"""`optimizer.variables` and Keras 2's `optimizer.variables()` (tf_keras 2.21 accepts both)."""

import numpy as np
import pytest

from tork import keras


@pytest.mark.parametrize(
    "make",
    [
        lambda: keras.optimizers.Adam(0.1),
        lambda: keras.optimizers.SGD(0.1, momentum=0.9),
        lambda: keras.optimizers.legacy.Adam(0.1),
    ],
)
def test_variables_is_a_list_that_can_be_called(make):
    optimizer = make()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile(optimizer, "mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0)
    listed = optimizer.variables
    # tf_keras 2.21: the new optimizers' `variables` is a property returning a callable
    # list; the legacy ones have the method `variables()`. Both spellings work there.
    assert isinstance(listed, list)
    called = optimizer.variables()
    assert [id(v) for v in called] == [id(v) for v in listed]
    assert int(listed[0].numpy()) == 1  # the iteration count comes first
    # A copy: changing it does not change the optimizer.
    listed.clear()
    assert len(optimizer.variables) == len(called)
