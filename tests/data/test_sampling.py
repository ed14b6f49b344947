"""Dataset.sample_from_datasets and Dataset.choose_from_datasets."""

import numpy as np
import pytest

import tork as tf
from tork.ops.debugging import InvalidArgumentError

Dataset = tf.data.Dataset


def _constant(value):
    return Dataset.from_tensors(np.int64(value)).repeat()


def _values(ds, n=None):
    ds = ds if n is None else ds.take(n)
    return np.array([int(v) for v in ds.as_numpy_iterator()])


def test_weights_set_the_proportions():
    ds = Dataset.sample_from_datasets([_constant(0), _constant(1)], weights=[0.7, 0.3], seed=3)
    values = _values(ds, 20000)
    # Binomial standard deviation: sqrt(0.21 / 20000) ~ 0.0032.
    assert abs(values.mean() - 0.3) < 0.015
    uniform = _values(Dataset.sample_from_datasets([_constant(0), _constant(1)], seed=3), 20000)
    assert abs(uniform.mean() - 0.5) < 0.015


def test_seeded_sequences_repeat_each_epoch_unless_rerandomized():
    def make(**kwargs):
        return Dataset.sample_from_datasets([_constant(0), _constant(1)], seed=7, **kwargs).take(64)

    ds = make()
    first = _values(ds)
    np.testing.assert_array_equal(_values(ds), first)  # the same order every epoch
    np.testing.assert_array_equal(_values(make()), first)  # and for the same seed
    again = make(rerandomize_each_iteration=True)
    a, b = _values(again), _values(again)
    assert not np.array_equal(a, b)


def test_exhausted_datasets_are_skipped_or_stop_the_sampling():
    small = Dataset.range(0, 5)
    large = Dataset.range(100, 200)
    everything = _values(Dataset.sample_from_datasets([small, large], seed=1))
    assert sorted(everything.tolist()) == list(range(5)) + list(range(100, 200))
    # Each dataset's own order is kept.
    assert everything[everything < 100].tolist() == list(range(5))
    stopped = _values(
        Dataset.sample_from_datasets([small, large], seed=1, stop_on_empty_dataset=True)
    )
    assert len(stopped) < 105 and set(range(5)) <= set(stopped.tolist())


def test_tuples_of_features_and_labels_and_experimental_alias():
    pos = Dataset.from_tensor_slices((np.ones((4, 2), "float32"), np.ones(4, "int64"))).repeat()
    neg = Dataset.from_tensor_slices((np.zeros((4, 2), "float32"), np.zeros(4, "int64"))).repeat()
    ds = tf.data.experimental.sample_from_datasets([pos, neg], [0.5, 0.5], seed=0).batch(256)
    features, labels = next(iter(ds))
    assert tuple(features.shape) == (256, 2) and tuple(labels.shape) == (256,)
    np.testing.assert_array_equal(np.asarray(features)[:, 0], np.asarray(labels))
    assert 0.35 < float(np.asarray(labels).mean()) < 0.65


def test_choose_from_datasets():
    datasets = [_constant(i) for i in range(3)]
    choice = Dataset.range(3).repeat(2)
    assert _values(Dataset.choose_from_datasets(datasets, choice)).tolist() == [0, 1, 2] * 2
    finite = [Dataset.range(0, 2), Dataset.range(10, 13)]
    choice = Dataset.from_tensor_slices(np.array([0, 1, 0, 0, 1, 1], "int64"))
    assert _values(Dataset.choose_from_datasets(finite, choice)).tolist() == [0, 10, 1]
    skipped = tf.data.experimental.choose_from_datasets(finite, choice, stop_on_empty_dataset=False)
    assert _values(skipped).tolist() == [0, 10, 1, 11, 12]


def test_argument_errors():
    a, b = _constant(0), _constant(1)
    with pytest.raises(ValueError, match="got 3 weights for 2 datasets"):
        Dataset.sample_from_datasets([a, b], weights=[0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="weights must be finite and >= 0"):
        Dataset.sample_from_datasets([a, b], weights=[-1.0, 2.0])
    with pytest.raises(ValueError, match="the weights sum to 0"):
        Dataset.sample_from_datasets([a, b], weights=[0.0, 0.0])
    with pytest.raises(TypeError, match="non-empty list of datasets"):
        Dataset.sample_from_datasets([])
    floats = Dataset.from_tensors(np.float32(1.0)).repeat()
    with pytest.raises(TypeError, match="same element structure and dtypes"):
        Dataset.sample_from_datasets([a, floats])
    with pytest.raises(TypeError, match="must be a dataset of int64 scalars"):
        Dataset.choose_from_datasets([a, b], Dataset.from_tensors(np.float32(0.0)))
    with pytest.raises(InvalidArgumentError, match=r"choice 5 is not in \[0, 2\)"):
        _values(Dataset.choose_from_datasets([a, b], Dataset.range(5, 6)))


def test_experimental_choose_from_datasets_skips_exhausted_datasets_by_default():
    # TF 2.21: the experimental endpoint defaults to stop_on_empty_dataset=False, the
    # Dataset method to True.
    choice = Dataset.from_tensor_slices(np.array([0, 0, 1, 1], np.int64))
    datasets = [Dataset.range(1), Dataset.range(10, 13)]
    ds = tf.data.experimental.choose_from_datasets(datasets, choice)
    assert _values(ds).tolist() == [0, 10, 11]
    assert _values(Dataset.choose_from_datasets(datasets, choice)).tolist() == [0]


def test_sample_and_choose_cardinality_match_tensorflow():
    finite, endless = Dataset.range(4), Dataset.range(3).repeat()
    sample = Dataset.sample_from_datasets
    assert int(sample([finite, Dataset.range(3)], seed=1).cardinality()) == -2
    assert int(sample([endless, endless], seed=1).cardinality()) == -1
    assert int(sample([endless, finite], seed=1).cardinality()) == -1
    assert int(sample([endless, finite], seed=1).take(3).cardinality()) == 3
    choose = Dataset.choose_from_datasets
    assert int(choose([endless, endless], Dataset.range(2).repeat()).cardinality()) == -1
    assert int(choose([finite, finite], Dataset.range(2).repeat(3)).cardinality()) == -2
