"""Dataset.sample_from_datasets with `weights` given as a dataset (fuzzdata2 sweep).

Expected elements, specs and cardinalities come from TensorFlow 2.21 (/tmp/tfenv); the
weights here are one-hot, so the draws do not depend on the random generator. tork
raised "not implemented" for a weights dataset.
"""

import pytest

import tork as tf

R = tf.data.Dataset.range


def _sample(datasets, weights, **kwargs):
    return tf.data.Dataset.sample_from_datasets(datasets, weights=weights, seed=1, **kwargs)


def test_weights_dataset_gives_the_weights_of_each_draw():
    weights = tf.data.Dataset.from_tensor_slices([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    ds = _sample([R(3), R(10, 14)], weights)
    # TF: spec TensorSpec([], int64), cardinality -2, [0, 10, 11, 1]
    assert ds.element_spec == tf.TensorSpec([], tf.int64)
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY
    assert [int(v) for v in ds] == [0, 10, 11, 1]


def test_draws_of_an_exhausted_dataset_are_skipped_or_stop():
    weights = tf.data.Dataset.from_tensor_slices(
        [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]
    )
    # TF: [0, 10, 11]; with stop_on_empty_dataset=True: [0]
    assert [int(v) for v in _sample([R(1), R(10, 14)], weights)] == [0, 10, 11]
    stopped = _sample([R(1), R(10, 14)], weights, stop_on_empty_dataset=True)
    assert [int(v) for v in stopped] == [0]


def test_endless_weights_stop_on_empty_dataset():
    weights = tf.data.Dataset.from_tensors([1.0, 0.0]).repeat()
    ds = _sample([R(3), R(4)], weights, stop_on_empty_dataset=True)
    # TF: [0, 1, 2], cardinality -2
    assert [int(v) for v in ds] == [0, 1, 2]
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY


def test_endless_weights_over_endless_datasets_is_infinite():
    weights = tf.data.Dataset.from_tensors([0.5, 0.5]).repeat()
    ds = _sample([R(3).repeat(), R(10, 14).repeat()], weights)
    # TF: cardinality -1 (infinite)
    assert int(ds.cardinality()) == tf.data.INFINITE_CARDINALITY
    assert {int(v) for v in ds.take(60)} <= {0, 1, 2, 10, 11, 12, 13}


def test_bad_weights_datasets_raise():
    # TF: TypeError (int32 weights are not allowed)
    with pytest.raises(TypeError, match="must give float vectors of 2 weights"):
        _sample([R(3), R(4)], tf.data.Dataset.from_tensors([1, 0]))
    zero = _sample([R(3), R(4)], tf.data.Dataset.from_tensors([0.0, 0.0]))
    # TF: InvalidArgumentError when iterating
    with pytest.raises(tf.errors.InvalidArgumentError, match="with a positive sum"):
        list(zero)
