"""Windows and buckets of ragged elements.

Expected values come from TensorFlow 2.21 (/tmp/fuzzdata3/p_bk.py, p_win3.py).
"""

import pytest

import tork as tf


def _ragged_rows():
    return tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1], [2, 3], [], [4, 5, 6], [7]]))


def test_bucket_by_sequence_length_no_padding_ragged():
    ds = _ragged_rows().bucket_by_sequence_length(
        lambda x: tf.size(x), [2], [2, 2], no_padding=True
    )
    assert ds.element_spec == tf.RaggedTensorSpec([None, None], tf.int32, 1, tf.int64)
    out = list(ds)
    assert all(isinstance(x, tf.RaggedTensor) for x in out)
    assert [x.to_list() for x in out] == [[[1], []], [[2, 3], [4, 5, 6]], [[7]]]


def test_bucket_by_sequence_length_padding_ragged_raises():
    # TF: TypeError "`padded_batch` is only supported for datasets that produce tensor
    # elements ..." when the dataset is built.
    with pytest.raises(TypeError, match="padded_batch` is only supported .*no_padding=True"):
        _ragged_rows().bucket_by_sequence_length(lambda x: tf.size(x), [2], [2, 2])


def test_single_ragged_window_batches_as_ragged():
    out = list(_ragged_rows().window(1).flat_map(lambda w: w.batch(1)))
    assert all(isinstance(x, tf.RaggedTensor) for x in out)
    assert [x.to_list() for x in out] == [[[1]], [[2, 3]], [[]], [[4, 5, 6]], [[7]]]


def test_group_by_window_of_ragged():
    ds = _ragged_rows().group_by_window(
        lambda x: tf.cast(tf.size(x) % 2, tf.int64), lambda k, w: w.batch(2), window_size=2
    )
    out = list(ds)
    assert all(isinstance(x, tf.RaggedTensor) for x in out)
    assert [x.to_list() for x in out] == [[[2, 3], []], [[1], [4, 5, 6]], [[7]]]
