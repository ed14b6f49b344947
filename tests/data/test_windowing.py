"""Dataset.window, rebatch, group_by_window, bucket_by_sequence_length, scan, unique,
ignore_errors and counter.

Expected elements, element_specs and cardinalities were printed by TensorFlow 2.21 running
the same pipelines and are written here as constants.
"""

import numpy as np
import pytest
import torch

import tork as tf

Dataset = tf.data.Dataset
TensorSpec = tf.data.TensorSpec


def values(ds):
    def convert(x):
        if isinstance(x, tuple):
            return tuple(convert(v) for v in x)
        if isinstance(x, dict):
            return {k: convert(v) for k, v in x.items()}
        if isinstance(x, Dataset):
            return [convert(v) for v in x]
        if isinstance(x, torch.Tensor):
            return x.tolist()
        return np.asarray(x.numpy()).tolist()  # string tensors

    return [convert(e) for e in ds]


@pytest.mark.parametrize(
    ("args", "expected", "cardinality"),
    [
        ((3,), [[0, 1, 2], [3, 4, 5], [6]], 3),
        ((3, 1), [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6], [6]], 7),
        ((3, 2, 1, True), [[0, 1, 2], [2, 3, 4], [4, 5, 6]], 3),
        ((3, 1, 2), [[0, 2, 4], [1, 3, 5], [2, 4, 6], [3, 5], [4, 6], [5], [6]], 7),
        ((3, 1, 2, True), [[0, 2, 4], [1, 3, 5], [2, 4, 6]], 3),
        ((2, 4), [[0, 1], [4, 5]], 2),
        ((8, 1, 1, True), [], 0),
    ],
)
def test_window_matches_tensorflow(args, expected, cardinality):
    ds = Dataset.range(7).window(*args)
    assert values(ds) == expected
    assert int(ds.cardinality()) == cardinality
    assert repr(ds.element_spec) == (
        "DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))"
    )


def test_window_of_nests_is_a_nest_of_datasets():
    ds = Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6])).window(2)
    assert values(ds) == [([1, 2], [4, 5]), ([3], [6])]
    ds = Dataset.from_tensor_slices({"a": [1, 2, 3]}).window(2, drop_remainder=True)
    assert values(ds) == [{"a": [1, 2]}]
    assert values(Dataset.range(3).repeat().window(2).take(2)) == [[0, 1], [2, 0]]


def test_window_flat_map_batch_gives_sliding_batches():
    ds = Dataset.range(7).window(3, shift=1, drop_remainder=True).flat_map(lambda w: w.batch(3))
    assert values(ds) == [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6]]
    assert ds.element_spec == TensorSpec((None,), torch.int64)
    ds = Dataset.range(5).window(3, shift=2).flat_map(lambda w: w.batch(3))
    assert values(ds) == [[0, 1, 2], [2, 3, 4], [4]]
    pairs = Dataset.from_tensor_slices(([1, 2, 3, 4], [5, 6, 7, 8])).window(
        2, 1, drop_remainder=True
    )
    ds = pairs.flat_map(lambda a, b: Dataset.zip((a.batch(2), b.batch(2))))
    assert values(ds) == [([1, 2], [5, 6]), ([2, 3], [6, 7]), ([3, 4], [7, 8])]
    rows = Dataset.from_tensor_slices(np.arange(10).reshape(5, 2)).window(3, 1, drop_remainder=True)
    ds = rows.flat_map(lambda w: w.batch(3))
    assert ds.element_spec == TensorSpec((None, 2), torch.int64)
    assert values(ds)[2] == [[4, 5], [6, 7], [8, 9]]
    strings = (
        Dataset.from_tensor_slices(["a", "b", "c"]).window(2, 1).flat_map(lambda w: w.batch(2))
    )
    assert values(strings) == [[b"a", b"b"], [b"b", b"c"], [b"c"]]
    sums = Dataset.range(6).window(3).map(lambda w: w.reduce(np.int64(0), lambda s, x: s + x))
    assert values(sums) == [3, 12]


@pytest.mark.parametrize("kwargs", [{"size": 0}, {"size": 2, "shift": 0}, {"size": 2, "stride": 0}])
def test_window_arguments_must_be_positive(kwargs):
    name = [k for k, v in kwargs.items() if v == 0][0]
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"`{name}` must be greater than zero"):
        Dataset.range(3).window(**kwargs)


def test_rebatch_matches_tensorflow():
    assert values(Dataset.range(8).batch(4).rebatch(2)) == [[0, 1], [2, 3], [4, 5], [6, 7]]
    assert values(Dataset.range(10).batch(3).rebatch(4)) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert values(Dataset.range(10).batch(5).rebatch([1, 3])) == [
        [0],
        [1, 2, 3],
        [4],
        [5, 6, 7],
        [8],
        [9],
    ]
    dropped = Dataset.range(10).batch(5).rebatch([1, 3], drop_remainder=True)
    assert values(dropped) == [[0], [1, 2, 3], [4], [5, 6, 7], [8]]
    zeros = Dataset.range(8).batch(4).rebatch([0, 2])
    assert values(zeros) == [[], [0, 1], [], [2, 3], [], [4, 5], [], [6, 7], []]
    pairs = Dataset.from_tensor_slices(([1, 2, 3, 4], [5, 6, 7, 8])).batch(4).rebatch(3)
    assert values(pairs) == [([1, 2, 3], [5, 6, 7]), ([4], [8])]


def test_rebatch_element_spec_matches_tensorflow():
    def dim(ds):
        return ds.element_spec.shape.as_list()[0]

    assert dim(Dataset.range(8).batch(4).rebatch(2)) is None
    assert dim(Dataset.range(10).batch(3).rebatch(4, drop_remainder=True)) == 4
    assert dim(Dataset.range(8).batch(4, drop_remainder=True).rebatch(2)) == 2
    assert dim(Dataset.range(9).batch(3, drop_remainder=True).rebatch(2)) is None
    assert dim(Dataset.range(8).batch(4, drop_remainder=True).rebatch([2, 2])) == 2
    assert dim(Dataset.range(10).batch(4).rebatch([3, 2], drop_remainder=True)) is None
    assert int(Dataset.range(8).batch(4).rebatch(2).cardinality()) == tf.data.UNKNOWN_CARDINALITY


def test_rebatch_needs_batched_elements():
    with pytest.raises(ValueError, match="rank >= 1"):
        Dataset.range(4).rebatch(2)


def test_group_by_window_matches_tensorflow():
    ds = Dataset.range(10).group_by_window(lambda x: x % 2, lambda k, w: w.batch(3), window_size=3)
    assert values(ds) == [[0, 2, 4], [1, 3, 5], [6, 8], [7, 9]]
    assert ds.element_spec == TensorSpec((None,), torch.int64)
    ds = Dataset.range(10).apply(
        tf.data.experimental.group_by_window(lambda x: x % 3, lambda k, w: w.batch(10), 2)
    )
    assert values(ds) == [[0, 3], [1, 4], [2, 5], [6, 9], [7], [8]]
    ds = Dataset.range(10).group_by_window(
        lambda x: x % 2, lambda k, w: w.batch(5), window_size_func=lambda k: k + 2
    )
    assert values(ds) == [[0, 2], [1, 3, 5], [4, 6], [8], [7, 9]]
    keyed = Dataset.range(6).group_by_window(
        lambda x: x % 2, lambda k, w: w.batch(2).map(lambda b: (k, b)), 2
    )
    assert values(keyed) == [(0, [0, 2]), (1, [1, 3]), (0, [4]), (1, [5])]


def test_group_by_window_flushes_in_increasing_key_order():
    keys = Dataset.from_tensor_slices(np.array([5, -3, 9, -1, -3], np.int64))
    ds = keys.group_by_window(lambda x: x, lambda k, w: w.batch(5), 5)
    assert values(ds) == [[-3, -3], [-1], [5], [9]]
    ds = Dataset.range(10).group_by_window(lambda x: 9 - x, lambda k, w: w.batch(5), 5)
    assert values(ds) == [[9], [8], [7], [6], [5], [4], [3], [2], [1], [0]]


def test_group_by_window_needs_one_window_size():
    with pytest.raises(ValueError, match="exactly one of `window_size` and `window_size_func`"):
        Dataset.range(3).group_by_window(lambda x: x, lambda k, w: w, None, None)


def _sequences():
    rows = [[1], [1, 2, 3], [1, 2], [4, 5, 6, 7], [1], [1, 2, 3, 4, 5], [9, 9]]
    return Dataset.from_generator(
        lambda: iter(rows), output_signature=TensorSpec((None,), torch.int32)
    )


def _length(x):
    return tf.shape(x)[0]


def test_bucket_by_sequence_length_matches_tensorflow():
    ds = _sequences().bucket_by_sequence_length(_length, [2, 4], [2, 2, 2])
    assert values(ds) == [
        [[1, 2, 3], [1, 2, 0]],
        [[1], [1]],
        [[4, 5, 6, 7, 0], [1, 2, 3, 4, 5]],
        [[9, 9]],
    ]
    assert ds.element_spec == TensorSpec((None, None), torch.int32)
    ds = _sequences().bucket_by_sequence_length(_length, [3], [3, 3], padding_values=-1)
    assert values(ds) == [
        [[1, -1], [1, 2], [1, -1]],
        [[1, 2, 3, -1, -1], [4, 5, 6, 7, -1], [1, 2, 3, 4, 5]],
        [[9, 9]],
    ]
    ds = _sequences().bucket_by_sequence_length(_length, [3], [2, 2], drop_remainder=True)
    assert values(ds) == [[[1, 0], [1, 2]], [[1, 2, 3, 0], [4, 5, 6, 7]], [[1, 0], [9, 9]]]
    tupled = _sequences().map(lambda x: (x, tf.shape(x)[0]))
    ds = tupled.apply(tf.data.experimental.bucket_by_sequence_length(lambda x, n: n, [3], [2, 2]))
    assert values(ds)[-1] == ([[1, 2, 3, 4, 5]], [5])
    assert ds.element_spec == (
        TensorSpec((None, None), torch.int32),
        TensorSpec((None,), torch.int32),
    )


def test_bucket_by_sequence_length_pad_to_bucket_boundary():
    short = Dataset.from_generator(
        lambda: iter([[1], [1, 2], [3]]), output_signature=TensorSpec((None,), torch.int32)
    )
    ds = short.bucket_by_sequence_length(_length, [4], [2, 2], pad_to_bucket_boundary=True)
    assert values(ds) == [[[1, 0, 0], [1, 2, 0]], [[3, 0, 0]]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="shorter than the largest bucket"):
        list(
            _sequences().bucket_by_sequence_length(
                _length, [3], [2, 2], pad_to_bucket_boundary=True
            )
        )


def test_bucket_by_sequence_length_checks_batch_sizes():
    with pytest.raises(ValueError, match=r"`len\(bucket_batch_sizes\)` must equal"):
        _sequences().bucket_by_sequence_length(_length, [3], [2])


def test_scan_matches_tensorflow():
    ds = Dataset.range(5).scan(np.int64(0), lambda s, x: (s + x, s * 10))
    assert values(ds) == [0, 0, 10, 30, 60]
    assert int(ds.cardinality()) == 5
    ds = Dataset.range(5).scan(
        (np.int64(0), np.int64(1)), lambda s, x: ((s[0] + x, s[1] * 2), s[0] + s[1])
    )
    assert values(ds) == [1, 2, 5, 11, 22]
    pairs = Dataset.from_tensor_slices(([1, 2], [3, 4]))  # the element is one argument
    assert values(pairs.scan(0, lambda s, xy: (s + xy[0], s + xy[1]))) == [3, 5]
    ds = Dataset.range(3).scan(0, lambda s, x: (s + 1, s))
    assert ds.element_spec == TensorSpec((), torch.int32)
    assert values(ds) == [0, 1, 2]
    ds = Dataset.range(4).apply(tf.data.experimental.scan(np.int64(0), lambda s, x: (s + x, s)))
    assert values(ds) == [0, 0, 1, 3]


def test_scan_with_a_growing_state_has_an_unknown_dimension():
    ds = Dataset.range(3).scan(
        torch.zeros(0, dtype=torch.int64), lambda s, x: (tf.concat([s, x[None]], 0), s)
    )
    assert ds.element_spec == TensorSpec((None,), torch.int64)
    assert values(ds) == [[], [0], [0, 1]]


def test_scan_state_dtype_must_not_change():
    # Raised when the pipeline is built, as tf.data (TF: "Invalid `scan_func`...").
    with pytest.raises(TypeError, match="structure and dtypes of the initial state"):
        Dataset.range(3).scan(np.int32(0), lambda s, x: (s + x, x))


def test_unique_matches_tensorflow():
    assert values(Dataset.from_tensor_slices([1, 3, 1, 2, 3, 5]).unique()) == [1, 3, 2, 5]
    strings = Dataset.from_tensor_slices(["b", "a", "b", "c"]).unique()
    assert values(strings) == [b"b", b"a", b"c"]
    assert values(Dataset.from_tensor_slices([[1, 2], [1, 2]]).unique()) == [[1, 2]]
    assert values(Dataset.from_tensor_slices([1, 1, 2]).apply(tf.data.experimental.unique())) == [
        1,
        2,
    ]
    with pytest.raises(TypeError, match="does not support type <dtype: 'float32'>"):
        Dataset.from_tensor_slices([1.0]).unique()
    with pytest.raises(TypeError, match="single component"):
        Dataset.from_tensor_slices(([1], [2])).unique()


def _fails_at_two(x):
    return tf.debugging.check_numerics(1.0 / tf.cast(x - 2, tf.float32), "boom")


def test_ignore_errors_skips_failed_elements():
    ds = Dataset.range(5).map(_fails_at_two).ignore_errors()
    assert values(ds) == [-0.5, -1.0, 1.0, 0.5]
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    ds = Dataset.range(5).map(_fails_at_two).apply(tf.data.experimental.ignore_errors())
    assert values(ds) == [-0.5, -1.0, 1.0, 0.5]
    with pytest.warns(UserWarning, match="skipping an element"):
        assert len(values(Dataset.range(5).map(_fails_at_two).ignore_errors(log_warning=True))) == 4
    # Without ignore_errors the error propagates.
    with pytest.raises(tf.errors.InvalidArgumentError):
        list(Dataset.range(5).map(_fails_at_two))


def test_ignore_errors_does_not_leak_downstream():
    later = Dataset.range(5).map(_fails_at_two).ignore_errors()
    later = later.map(lambda x: tf.debugging.check_numerics(x / (x - 1.0), "late"))
    with pytest.raises(tf.errors.InvalidArgumentError, match="late"):
        list(later)  # a map after ignore_errors still raises
    ds = Dataset.range(5).ignore_errors().map(_fails_at_two)
    with pytest.raises(tf.errors.InvalidArgumentError):
        list(ds)


def test_counter():
    assert values(Dataset.counter(2, 3).take(3)) == [2, 5, 8]
    ds = tf.data.experimental.Counter()
    assert int(ds.cardinality()) == tf.data.INFINITE_CARDINALITY
    assert ds.element_spec == TensorSpec((), torch.int64)
