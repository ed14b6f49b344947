"""sample_from_datasets cardinality as TensorFlow counts it (fuzzdata sweep).

Expected values come from TensorFlow 2.21 (/tmp/tfenv), e.g.
`int(tf.data.Dataset.sample_from_datasets([range(6), range(100, 102)],
weights=[1.0, 0.0]).cardinality())` == 6: datasets given a zero weight in a Python
list or NumPy array are dropped, and a single remaining dataset keeps its count.
"""

import numpy as np
import pytest

import tork as tf

R = tf.data.Dataset.range
sample = tf.data.Dataset.sample_from_datasets


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        # (pipeline, cardinality TensorFlow 2.21 reports)
        (lambda: sample([R(6), R(100, 102)], weights=[1.0, 0.0], seed=1), 6),
        (lambda: sample([R(6), R(100, 102)], weights=[0.0, 1.0], seed=1), 2),
        (lambda: sample([R(6), R(100, 102)], weights=np.array([1.0, 0.0]), seed=1), 6),
        (lambda: sample([R(6), R(3).repeat()], weights=[1.0, 0.0], seed=1), 6),
        (lambda: sample([R(6)], seed=1), 6),
        (lambda: sample([R(6)], weights=tf.constant([1.0]), seed=1), 6),
        (lambda: sample([R(6), R(100, 102)], weights=[0.0, 1.0]).take(5), 2),
        (lambda: tf.data.experimental.sample_from_datasets([R(6), R(2)], [1.0, 0.0]), 6),
        # Several drawable datasets: unknown, or infinite when one never ends.
        (lambda: sample([R(6), R(1).repeat(), R(2)], weights=[1.0, 0.0, 1.0]), -2),
        (lambda: sample([R(6), R(100, 102)], weights=[0.5, 0.5]), -2),
        (lambda: sample([R(6).repeat(), R(100, 102)], seed=1), -1),
        # Tensor weights are not inspected: the zero-weight endless dataset still counts.
        (lambda: sample([R(6), R(3).repeat()], weights=tf.constant([1.0, 0.0])), -1),
    ],
)
def test_sample_from_datasets_cardinality_matches_tf(build, expected):
    assert int(build().cardinality()) == expected


def test_zero_weight_dataset_has_len_and_elements():
    ds = sample([R(4), R(100, 103)], weights=[1.0, 0.0], seed=1)
    assert len(ds) == 4
    assert [int(v) for v in ds] == [0, 1, 2, 3]
