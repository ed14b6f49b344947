"""keras.utils.timeseries_dataset_from_array against the windows its documentation lists."""

import numpy as np
import pytest

import tork as tf
from tork import keras


def _batches(ds):
    out = []
    for batch in ds:
        if isinstance(batch, tuple):
            out.append(tuple(np.asarray(b) for b in batch))
        else:
            out.append(np.asarray(batch))
    return out


def test_documented_example_1_strides_and_sampling_rate():
    data = np.arange(99)
    ds = keras.utils.timeseries_dataset_from_array(
        data, None, sequence_length=10, sampling_rate=2, sequence_stride=3, batch_size=128
    )
    (windows,) = _batches(ds)
    np.testing.assert_array_equal(windows[0], np.arange(0, 20, 2))
    np.testing.assert_array_equal(windows[1], np.arange(3, 23, 2))
    np.testing.assert_array_equal(windows[2], np.arange(6, 26, 2))
    np.testing.assert_array_equal(windows[-1], np.arange(78, 98, 2))  # 81 would run past 98
    assert len(windows) == 27


def test_documented_example_2_temporal_regression():
    data = np.arange(100.0, dtype="float32")
    inputs, targets = data[:-10], data[10:]
    ds = keras.utils.timeseries_dataset_from_array(inputs, targets, sequence_length=10)
    for x, y in _batches(ds):
        assert x.shape == (81, 10) and y.shape == (81,)
        np.testing.assert_array_equal(x[0], np.arange(10))
        np.testing.assert_array_equal(y, x[:, 0] + 10)  # the step 10 after each window's start


def test_multivariate_batches_unbatched_and_index_range():
    data = np.arange(40, dtype="float32").reshape(20, 2)
    labels = np.arange(20) * 10
    ds = keras.utils.timeseries_dataset_from_array(
        data, labels, sequence_length=3, batch_size=4, start_index=2, end_index=12
    )
    batches = _batches(ds)
    assert [x.shape for x, _ in batches] == [(4, 3, 2), (4, 3, 2)]
    starts = np.concatenate([y for _, y in batches]) // 10
    np.testing.assert_array_equal(starts, np.arange(2, 10))  # last window ends at 11 < 12
    for x, y in batches:
        for window, label in zip(x, y):
            np.testing.assert_array_equal(window, data[label // 10 : label // 10 + 3])
    single = _batches(
        keras.utils.timeseries_dataset_from_array(data, None, sequence_length=5, batch_size=None)
    )
    assert len(single) == 16 and single[0].shape == (5, 2)


def test_shorter_targets_leave_out_windows_without_one():
    data = np.arange(20)
    ds = keras.utils.timeseries_dataset_from_array(data, data[:6] * 10, sequence_length=3)
    ((x, y),) = _batches(ds)
    np.testing.assert_array_equal(y, np.arange(6) * 10)
    np.testing.assert_array_equal(x[:, 0], np.arange(6))


def test_shuffle_is_seeded_and_keeps_every_window():
    data = np.arange(50)

    def starts(seed):
        ds = keras.utils.timeseries_dataset_from_array(
            data, data, sequence_length=4, batch_size=8, shuffle=True, seed=seed
        )
        return np.concatenate([y for _, y in _batches(ds)])

    first = starts(1)
    np.testing.assert_array_equal(np.sort(first), np.arange(47))
    assert not np.array_equal(first, np.arange(47))
    np.testing.assert_array_equal(starts(1), first)


def test_fits_a_model_in_a_tf_data_pipeline():
    series = np.sin(np.arange(300) / 10).astype("float32")[:, None]
    ds = keras.utils.timeseries_dataset_from_array(
        series[:-1], series[5:, 0], sequence_length=5, batch_size=32
    )
    ds = ds.map(lambda x, y: (tf.reshape(x, (-1, 5)), y))
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    history = model.fit(ds, epochs=20, verbose=0)
    assert history.history["loss"][-1] < 0.1 * history.history["loss"][0]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"sequence_length": 0}, r"`sequence_length` must be > 0, got 0"),
        ({"sequence_length": 2.5}, r"`sequence_length` must be an integer"),
        ({"sequence_length": 3, "sampling_rate": -1}, r"`sampling_rate` must be > 0"),
        ({"sequence_length": 3, "start_index": 10}, r"`start_index` must be smaller than"),
        ({"sequence_length": 3, "end_index": 11}, r"`end_index` must be in \(0, 10\]"),
        ({"sequence_length": 3, "targets": 5}, r"`targets` must have a time axis"),
    ],
)
def test_argument_errors(kwargs, match):
    kwargs = {"targets": None, **kwargs}
    with pytest.raises(ValueError, match=match):
        keras.utils.timeseries_dataset_from_array(np.arange(10), **kwargs)


def test_keras2_preprocessing_names():
    assert keras.preprocessing.timeseries_dataset_from_array is (
        keras.utils.timeseries_dataset_from_array
    )
    padded = keras.preprocessing.sequence.pad_sequences([[1, 2], [3]])
    np.testing.assert_array_equal(padded, [[1, 2], [0, 3]])
    assert callable(keras.preprocessing.text.Tokenizer)


def test_no_window_fits_gives_an_empty_dataset_with_a_spec():
    # tf_keras 2.21: a sequence longer than the data gives an empty dataset (not an error).
    data = np.arange(20)
    ds = keras.utils.timeseries_dataset_from_array(data, data, sequence_length=21, batch_size=4)
    assert list(ds) == []
    x_spec, y_spec = ds.element_spec
    # tf_keras 2.21 and Keras 3: (None, None) for the windows (the window axis unknown).
    assert x_spec.shape.as_list() == [None, None] and y_spec.shape.as_list() == [None]
    assert x_spec.dtype == tf.int64
