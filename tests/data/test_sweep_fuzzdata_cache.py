"""cache() of ragged batches (fuzzdata sweep).

`ragged_batch(1).cache()` crashed on the second pass ("expected Tensor ... got
RaggedTensor"): the cache tried to stack equally-shaped ragged batches into one tensor.
Expected values come from TensorFlow 2.21 (/tmp/tfenv) running the same pipelines.
"""

import tork as tf


def _rows():
    return tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[7, 4], [0], [5, 0]]))


def _lists(ds):
    return [
        tf.nest.map_structure(lambda t: t.to_list() if hasattr(t, "to_list") else int(t), e)
        for e in ds
    ]


def test_memory_cache_of_ragged_batches_iterates_twice():
    ds = _rows().ragged_batch(1).cache()
    # TF: [[[7, 4]], [[0]], [[5, 0]]] on both passes
    assert _lists(ds) == [[[7, 4]], [[0]], [[5, 0]]]
    assert _lists(ds) == [[[7, 4]], [[0]], [[5, 0]]]
    assert ds.element_spec.ragged_rank == 1


def test_file_cache_of_ragged_batches(tmp_path):
    ds = _rows().ragged_batch(1).cache(str(tmp_path / "c"))
    assert _lists(ds) == [[[7, 4]], [[0]], [[5, 0]]]
    assert _lists(ds) == [[[7, 4]], [[0]], [[5, 0]]]


def test_cache_of_ragged_with_dense_component():
    ds = tf.data.Dataset.zip((_rows().ragged_batch(1), tf.data.Dataset.range(3))).cache()
    # TF: [([[7, 4]], 0), ([[0]], 1), ([[5, 0]], 2)]
    expected = [([[7, 4]], 0), ([[0]], 1), ([[5, 0]], 2)]
    assert _lists(ds) == expected
    assert _lists(ds) == expected


def test_cache_of_sparse_elements():
    sp = tf.sparse.SparseTensor([[0, 1], [2, 0]], [5, 6], [3, 2])
    ds = tf.data.Dataset.from_tensor_slices(sp).cache()
    for _ in range(2):
        # TF: sparse rows [0, 5], [0, 0], [6, 0]
        assert [tf.sparse.to_dense(s).numpy().tolist() for s in ds] == [[0, 5], [0, 0], [6, 0]]
