"""Dataset.range keywords, datasets of datasets, as_numpy_iterator/batch of windows.

Expected values come from TensorFlow 2.21 (/tmp/fuzzdata3/p_dsds.py and gen_manual3.py
cases run with real TF).
"""

import numpy as np
import pytest

import tork as tf


def test_range_ignores_unknown_keywords_like_tf():
    # TF: Dataset.range(5, dtype=tf.int32) silently ignores `dtype`: int64 values.
    ds = tf.data.Dataset.range(10, 1, -2, dtype=tf.int8)
    assert ds.element_spec == tf.TensorSpec((), tf.int64)
    assert list(ds.as_numpy_iterator()) == [10, 8, 6, 4, 2]
    assert list(tf.data.Dataset.range(0, 5, 2, dtype=tf.float32).as_numpy_iterator()) == [0, 2, 4]
    # output_type is still honoured.
    assert tf.data.Dataset.range(3, output_type=tf.int32).element_spec.dtype == tf.int32


def test_from_tensors_of_a_dataset():
    ds = tf.data.Dataset.from_tensors(tf.data.Dataset.range(3))
    assert repr(ds.element_spec) == (
        "DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))"
    )
    assert int(ds.cardinality()) == 1
    assert [list(d.as_numpy_iterator()) for d in ds] == [[0, 1, 2]]
    assert list(ds.flat_map(lambda d: d.map(lambda x: x * 2)).as_numpy_iterator()) == [0, 2, 4]
    mixed = ds.repeat(2).interleave(lambda d: d, cycle_length=2)
    assert list(mixed.as_numpy_iterator()) == [0, 0, 1, 1, 2, 2]


def test_from_tensors_of_a_dataset_and_a_tensor():
    ds = tf.data.Dataset.from_tensors((tf.data.Dataset.range(2), np.float32(1.5)))
    spec = ds.element_spec
    assert isinstance(spec[0], tf.data.DatasetSpec)
    assert spec[1] == tf.TensorSpec((), tf.float32)
    out = ds.flat_map(lambda a, b: a.map(lambda x: tf.cast(x, tf.float32) + b))
    assert list(out.as_numpy_iterator()) == [1.5, 2.5]


def test_as_numpy_iterator_of_windows_raises_like_tf():
    # TF: TypeError "`tf.data.Dataset.as_numpy_iterator()` is not supported for datasets
    # that produce values of type <class '...DatasetV2'>".
    with pytest.raises(TypeError, match=r"as_numpy_iterator\(\)` is not supported .*flat_map"):
        tf.data.Dataset.range(4).window(2).as_numpy_iterator()
    with pytest.raises(TypeError, match="not supported for datasets that produce datasets"):
        tf.data.Dataset.from_tensors(tf.data.Dataset.range(3)).as_numpy_iterator()


def test_batch_of_windows_says_what_to_do():
    for ds in (
        tf.data.Dataset.range(4).window(2),
        tf.data.Dataset.from_tensors(tf.data.Dataset.range(3)),
    ):
        with pytest.raises(TypeError, match=r"cannot batch dataset-valued elements.*flat_map"):
            list(ds.batch(2))
