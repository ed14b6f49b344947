"""unbatch() cardinality with ragged and sparse components (fuzzdata sweep).

Expected cardinalities and element counts come from TensorFlow 2.21 (/tmp/tfenv)
running the same pipelines: the batch size is read from dense and ragged_rank >= 1
components; ragged slices (ragged_rank 0) and sparse components do not carry it.
"""

import numpy as np
import pytest

import tork as tf


def _gen():
    def g():
        yield np.arange(3)
        yield np.arange(3, 6)

    return tf.data.Dataset.from_generator(g, output_signature=tf.TensorSpec([None], tf.int64))


def _fixed():
    return tf.data.Dataset.from_tensor_slices(np.arange(6).reshape(2, 3))


def _ragged_rows():
    return tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[0, 6, 1], [1], [2, 3], []]))


@pytest.mark.parametrize(
    ("build", "cardinality", "count"),
    [
        (lambda: tf.data.Dataset.zip((_fixed(), _gen())).unbatch(), -2, 6),
        (
            lambda: tf.data.Dataset.zip(
                (
                    _fixed(),
                    tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[0, 6, 1], [1, 2, 3]])),
                )
            ).unbatch(),
            6,
            6,
        ),
        (lambda: _ragged_rows().ragged_batch(2).unbatch(), -2, 4),
        (lambda: _ragged_rows().ragged_batch(2, drop_remainder=True).unbatch(), 4, 4),
        (
            lambda: tf.data.Dataset.from_tensors(
                tf.sparse.SparseTensor([[0, 1], [2, 0]], [5, 6], [3, 2])
            ).unbatch(),
            -2,
            3,
        ),
        (lambda: tf.data.Dataset.from_tensors(tf.ragged.constant([[1], [2, 3]])).unbatch(), 2, 2),
    ],
)
def test_unbatch_cardinality_matches_tf(build, cardinality, count):
    ds = build()
    assert int(ds.cardinality()) == cardinality
    assert len(list(ds)) == count


def test_unbatch_of_ragged_slices_zip_has_len_and_values():
    ragged = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[0, 6, 1], [1, 2, 3]]))
    ds = tf.data.Dataset.zip((_fixed(), ragged)).unbatch()
    assert len(ds) == 6
    # TF: (0, 0), (1, 6), (2, 1), (3, 1), (4, 2), (5, 3)
    assert [(int(a), int(b)) for a, b in ds] == [(0, 0), (1, 6), (2, 1), (3, 1), (4, 2), (5, 3)]
