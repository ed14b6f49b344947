"""timeseries_dataset_from_array's element_spec leaves the window axis unknown, as TF.

Specs below printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1; Keras 3.15 gives the same)
for data np.arange(60).reshape(20, 3) and sequence_length=5.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

DATA = np.arange(60, dtype="float32").reshape(20, 3) / 60
TARGETS = np.arange(20, dtype="float32") / 20


@pytest.mark.parametrize(
    "batch_size,targets,expected",
    [
        (4, TARGETS, ([None, None, 3], [None])),
        (4, None, [None, None, 3]),
        (None, TARGETS, ([None, 3], [])),
        (None, None, [None, 3]),
    ],
)
def test_element_spec_window_axis_is_none(batch_size, targets, expected):
    ds = keras.utils.timeseries_dataset_from_array(
        DATA, targets, sequence_length=5, batch_size=batch_size
    )
    spec = ds.element_spec
    if targets is None:
        assert spec.shape.as_list() == expected and spec.dtype == tf.float32
    else:
        assert [s.shape.as_list() for s in spec] == list(expected)
    # The windows themselves still have the full length.
    first = next(iter(ds))
    window = first if targets is None else first[0]
    assert tuple(window.shape) == ((4, 5, 3) if batch_size else (5, 3))


def test_pipelines_and_models_on_the_relaxed_spec_match_tf():
    ds = keras.utils.timeseries_dataset_from_array(DATA, TARGETS, sequence_length=5, batch_size=4)
    # tf_keras 2.21: these specs after reshape, unbatch/batch and padded_batch.
    reshaped = ds.map(lambda x, y: (tf.reshape(x, (-1, 15)), y)).element_spec
    assert reshaped[0].shape.as_list() == [None, 15]
    assert ds.unbatch().element_spec[0].shape.as_list() == [None, 3]
    assert ds.padded_batch(2).element_spec[0].shape.as_list() == [None, None, None, 3]
    assert len(list(ds)) == 4
    model = keras.Sequential([keras.layers.LSTM(4), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(ds, epochs=1, verbose=0)
    assert model.predict(ds, verbose=0).shape == (16, 1)
