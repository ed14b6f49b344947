"""tf.data with RaggedTensor and SparseTensor elements.

Expected values, specs and error texts were printed by TensorFlow 2.21 on the same pipelines.
"""

import numpy as np
import pytest
import torch

import tork as tf
from tork._backend.errors import DataLossError


def _ragged():
    return tf.ragged.constant([[1, 2], [3], [4, 5, 6], []])


def _sparse():
    return tf.SparseTensor(
        indices=[[0, 0], [1, 2], [2, 1]], values=[1.0, 2.0, 3.0], dense_shape=[3, 4]
    )


def _lists(ds):
    return [x.to_list() if isinstance(x, tf.RaggedTensor) else x.tolist() for x in ds]


# ------------------------------------------------------------------ from_tensor_slices


def test_slices_of_ragged_are_tensors_with_ragged_rank_0_spec():
    ds = tf.data.Dataset.from_tensor_slices(_ragged())
    assert ds.element_spec == tf.RaggedTensorSpec([None], tf.int32, 0, tf.int64)
    rows = list(ds)
    assert all(isinstance(r, torch.Tensor) and r.dtype == torch.int32 for r in rows)
    assert [r.tolist() for r in rows] == [[1, 2], [3], [4, 5, 6], []]
    arrays = list(ds.as_numpy_iterator())
    assert [a.tolist() for a in arrays] == [[1, 2], [3], [4, 5, 6], []]
    assert arrays[0].dtype == np.int32


def test_batch_of_ragged_rows_is_ragged():
    ds = tf.data.Dataset.from_tensor_slices(_ragged())
    batches = list(ds.batch(3))
    assert all(isinstance(b, tf.RaggedTensor) for b in batches)
    assert [b.to_list() for b in batches] == [[[1, 2], [3], [4, 5, 6]], [[]]]
    assert ds.batch(3).element_spec == tf.RaggedTensorSpec([None, None], tf.int32, 1, tf.int64)
    assert ds.batch(3, drop_remainder=True).element_spec == tf.RaggedTensorSpec(
        [3, None], tf.int32, 1, tf.int64
    )
    assert batches[0].row_splits.tolist() == [0, 2, 3, 6]
    assert int(ds.batch(2).cardinality()) == 2


def test_batch_as_numpy_gives_object_rows():
    ds = tf.data.Dataset.from_tensor_slices(_ragged())
    first, last = list(ds.batch(3).as_numpy_iterator())
    # TF: array([array([1, 2]), array([3]), array([4, 5, 6])], dtype=object)
    assert first.dtype == object and [r.tolist() for r in first] == [[1, 2], [3], [4, 5, 6]]
    # TF: array([], shape=(1, 0), dtype=int32)
    assert last.shape == (1, 0) and last.dtype == np.int32


def test_rows_of_one_length_still_batch_as_ragged():
    # The spec (ragged_rank 0) decides, not the lengths: TF gives <tf.RaggedTensor [[]]>.
    ds = tf.data.Dataset.from_tensor_slices(_ragged())
    last = list(ds.batch(2).unbatch().batch(3))[-1]
    assert isinstance(last, tf.RaggedTensor) and last.to_list() == [[]]
    filtered = list(ds.filter(lambda x: tf.size(x) > 0).batch(2))
    assert [b.to_list() for b in filtered] == [[[1, 2], [3]], [[4, 5, 6]]]
    assert all(isinstance(b, tf.RaggedTensor) for b in filtered)


def test_unbatch_of_ragged_batches():
    ds = tf.data.Dataset.from_tensor_slices(_ragged()).batch(3).unbatch()
    assert ds.element_spec == tf.RaggedTensorSpec([None], tf.int32, 0, tf.int64)
    assert _lists(ds) == [[1, 2], [3], [4, 5, 6], []]
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY


def test_ragged_rank_2_slices_and_batches():
    rt = tf.ragged.constant([[[1, 2], [3]], [[4]], []])
    ds = tf.data.Dataset.from_tensor_slices(rt)
    assert ds.element_spec == tf.RaggedTensorSpec([None, None], tf.int32, 1, tf.int64)
    assert _lists(ds) == [[[1, 2], [3]], [[4]], []]
    rows = tf.data.Dataset.from_tensor_slices(_ragged()).batch(2)
    batched = rows.ragged_batch(2)
    assert batched.element_spec == tf.RaggedTensorSpec([None, None, None], tf.int32, 2, tf.int64)
    assert _lists(batched) == [[[[1, 2], [3]], [[4, 5, 6], []]]]


def test_tuples_dicts_zip_shuffle_take_repeat():
    rt = _ragged()
    pairs = tf.data.Dataset.from_tensor_slices((rt, tf.constant([1, 2, 3, 4])))
    assert pairs.element_spec == (
        tf.RaggedTensorSpec([None], tf.int32, 0, tf.int64),
        tf.TensorSpec([], tf.int32),
    )
    (r1, n1), (r2, n2) = list(pairs.batch(2))
    assert r1.to_list() == [[1, 2], [3]] and n1.tolist() == [1, 2]
    assert r2.to_list() == [[4, 5, 6], []] and n2.tolist() == [3, 4]
    named = tf.data.Dataset.from_tensor_slices({"a": rt, "b": tf.constant([1, 2, 3, 4])})
    assert named.batch(3).element_spec == {
        "a": tf.RaggedTensorSpec([None, None], tf.int32, 1, tf.int64),
        "b": tf.TensorSpec([None], tf.int32),
    }
    ds = tf.data.Dataset.from_tensor_slices(rt)
    zipped = tf.data.Dataset.zip((ds, tf.data.Dataset.range(4))).batch(4)
    (rows, ids) = next(iter(zipped))
    assert rows.to_list() == [[1, 2], [3], [4, 5, 6], []] and ids.tolist() == [0, 1, 2, 3]
    shuffled = next(iter(ds.shuffle(4, seed=3).batch(4)))
    assert sorted(shuffled.to_list()) == sorted([[1, 2], [3], [4, 5, 6], []])
    assert _lists(ds.take(2).repeat(2)) == [[1, 2], [3], [1, 2], [3]]
    assert _lists(ds.cache()) == [[1, 2], [3], [4, 5, 6], []]


def test_from_tensors_of_ragged():
    ds = tf.data.Dataset.from_tensors(_ragged())
    assert ds.element_spec == tf.RaggedTensorSpec([4, None], tf.int32, 1, tf.int64)
    (value,) = list(ds)
    assert value.to_list() == [[1, 2], [3], [4, 5, 6], []]
    assert _lists(ds.unbatch()) == [[1, 2], [3], [4, 5, 6], []]
    assert ds.unbatch().element_spec == tf.RaggedTensorSpec([None], tf.int32, 0, tf.int64)


def test_slices_need_one_row_count():
    with pytest.raises(
        ValueError, match="component \\[0\\] has 4 rows and component \\[1\\] has 2"
    ):
        tf.data.Dataset.from_tensor_slices((_ragged(), tf.constant([1, 2])))


# ------------------------------------------------------------------ map


def test_map_on_ragged_rows_gives_tensors():
    ds = tf.data.Dataset.from_tensor_slices(_ragged()).map(lambda x: x * 2)
    assert ds.element_spec == tf.TensorSpec([None], tf.int32)
    assert _lists(ds) == [[2, 4], [6], [8, 10, 12], []]


def test_map_strings_split_batched_and_unbatched():
    s = tf.data.Dataset.from_tensor_slices(["a b c", "d e", "f"])
    assert s.map(tf.strings.split).element_spec == tf.TensorSpec([None], tf.string)
    split = s.batch(2).map(tf.strings.split)
    assert split.element_spec == tf.RaggedTensorSpec([None, None], tf.string, 1, tf.int64)
    assert _lists(split) == [[[b"a", b"b", b"c"], [b"d", b"e"]], [[b"f"]]]
    again = split.unbatch()
    assert again.element_spec == tf.RaggedTensorSpec([None], tf.string, 0, tf.int64)
    assert _lists(again.batch(2)) == [[[b"a", b"b", b"c"], [b"d", b"e"]], [[b"f"]]]


def test_map_unicode_split_of_scalars_then_ragged_batch():
    s = tf.data.Dataset.from_tensor_slices(["a b", "de", "f"])
    chars = s.map(lambda x: tf.strings.unicode_split(x, "UTF-8"))
    assert chars.element_spec == tf.TensorSpec([None], tf.string)
    assert _lists(chars) == [[b"a", b" ", b"b"], [b"d", b"e"], [b"f"]]
    # Plain batch of elements of different lengths fails (TF: InvalidArgumentError).
    with pytest.raises(ValueError, match="Cannot batch tensors with different shapes"):
        list(chars.batch(2))
    batched = chars.ragged_batch(2)
    assert batched.element_spec == tf.RaggedTensorSpec([None, None], tf.string, 1, tf.int64)
    assert _lists(batched) == [[[b"a", b" ", b"b"], [b"d", b"e"]], [[b"f"]]]


def test_map_returning_ragged():
    ds = tf.data.Dataset.range(3).batch(2)
    ds = ds.map(lambda x: tf.RaggedTensor.from_row_lengths(x, [1, x.shape[0] - 1]))
    assert ds.element_spec == tf.RaggedTensorSpec([2, None], tf.int64, 1, tf.int64)
    assert _lists(ds) == [[[0], [1]], [[2], []]]


# ------------------------------------------------------------------ ragged_batch


def test_ragged_batch_specs_and_values():
    ds = tf.data.Dataset.from_tensor_slices(_ragged())
    assert ds.ragged_batch(3).element_spec == tf.RaggedTensorSpec(
        [None, None], tf.int32, 1, tf.int64
    )
    assert _lists(ds.ragged_batch(3)) == [[[1, 2], [3], [4, 5, 6]], [[]]]
    assert _lists(ds.ragged_batch(3, drop_remainder=True)) == [[[1, 2], [3], [4, 5, 6]]]
    # Fully known shapes stay dense, as in TF.
    scalars = tf.data.Dataset.range(5).ragged_batch(2)
    assert scalars.element_spec == tf.TensorSpec([None], tf.int64)
    assert _lists(scalars) == [[0, 1], [2, 3], [4]]
    fixed = tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4], [5, 6]]).ragged_batch(2)
    assert fixed.element_spec == tf.TensorSpec([None, 2], tf.int32)
    assert isinstance(next(iter(fixed)), torch.Tensor)


def test_ragged_batch_row_splits_dtype():
    chars = tf.data.Dataset.from_tensor_slices(["ab", "c"]).map(
        lambda x: tf.strings.unicode_split(x, "UTF-8")
    )
    assert next(iter(chars.ragged_batch(2, row_splits_dtype=tf.int32))).row_splits.dtype == (
        torch.int32
    )
    # Existing ragged components keep their row_splits dtype (TF prints tf.int64 here too).
    ds = tf.data.Dataset.from_tensor_slices(_ragged())
    assert ds.ragged_batch(2, row_splits_dtype=tf.int32).element_spec == tf.RaggedTensorSpec(
        [None, None], tf.int32, 1, tf.int64
    )
    with pytest.raises(ValueError, match="`row_splits_dtype` must be tf.int32 or tf.int64"):
        ds.ragged_batch(2, row_splits_dtype=tf.float32)


def test_ragged_batch_of_generator():
    ds = tf.data.Dataset.from_generator(
        lambda: iter([[1], [2, 3], [4, 5, 6]]), output_signature=tf.TensorSpec([None], tf.int32)
    )
    assert _lists(ds.ragged_batch(2)) == [[[1], [2, 3]], [[4, 5, 6]]]


def test_padded_batch_of_ragged_raises_as_tf():
    ds = tf.data.Dataset.from_tensor_slices(_ragged())
    with pytest.raises(
        TypeError,
        match=r"`padded_batch` is only supported for datasets that produce tensor elements but "
        r"type spec of elements in the input dataset is not a subclass of TensorSpec: "
        r"`RaggedTensorSpec\(TensorShape\(\[None\]\), tf.int32, 0, tf.int64\)`",
    ):
        ds.padded_batch(3)
    # A mapped dataset: raised when iterated (or when its element_spec is asked for).
    mapped = ds.batch(2).map(lambda x: x)
    with pytest.raises(TypeError, match="`padded_batch` is only supported"):
        list(mapped.padded_batch(2))


# ------------------------------------------------------------------ SparseTensor


def test_sparse_slices_batch_unbatch():
    ds = tf.data.Dataset.from_tensor_slices(_sparse())
    assert ds.element_spec == tf.SparseTensorSpec([4], tf.float32)
    rows = list(ds)
    assert all(isinstance(r, tf.SparseTensor) for r in rows)
    assert [r.indices.tolist() for r in rows] == [[[0]], [[2]], [[1]]]
    assert [r.values.tolist() for r in rows] == [[1.0], [2.0], [3.0]]
    assert [r.dense_shape.tolist() for r in rows] == [[4], [4], [4]]
    # as_numpy_iterator gives the dense arrays (TF 2.21).
    assert [a.tolist() for a in ds.as_numpy_iterator()] == [
        [1.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 2.0, 0.0],
        [0.0, 3.0, 0.0, 0.0],
    ]
    batched = ds.batch(2)
    assert batched.element_spec == tf.SparseTensorSpec([None, 4], tf.float32)
    first, second = list(batched)
    assert first.indices.tolist() == [[0, 0], [1, 2]] and first.dense_shape.tolist() == [2, 4]
    assert second.indices.tolist() == [[0, 1]] and second.dense_shape.tolist() == [1, 4]
    again = list(batched.unbatch())
    assert [r.indices.tolist() for r in again] == [[[0]], [[2]], [[1]]]
    assert [r.values.tolist() for r in again] == [[1.0], [2.0], [3.0]]


def test_sparse_shuffle_map_and_to_dense():
    ds = tf.data.Dataset.from_tensor_slices(_sparse())
    dense = sorted(tf.sparse.to_dense(x).tolist() for x in ds.shuffle(3, seed=1))
    assert dense == [[0.0, 0.0, 2.0, 0.0], [0.0, 3.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]
    doubled = [tf.sparse.to_dense(x).tolist() for x in ds.map(lambda s: s * 2.0)]
    assert doubled == [[2.0, 0.0, 0.0, 0.0], [0.0, 0.0, 4.0, 0.0], [0.0, 6.0, 0.0, 0.0]]
    as_dense = ds.batch(2).map(tf.sparse.to_dense)
    assert as_dense.element_spec == tf.TensorSpec([None, 4], tf.float32)
    with pytest.raises(TypeError, match=r"`SparseTensorSpec\(TensorShape\(\[4\]\), tf.float32\)`"):
        ds.padded_batch(2)


def test_sparse_batch():
    ds = tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x))
    batched = ds.sparse_batch(2, [5])
    assert batched.element_spec == tf.SparseTensorSpec([None, 5], tf.int64)
    first, second = list(batched)
    assert first.indices.tolist() == [[0, 0], [1, 0], [1, 1]]
    assert first.values.tolist() == [1, 2, 2] and first.dense_shape.tolist() == [2, 5]
    assert second.indices.tolist() == [[0, 0], [0, 1], [0, 2]]
    assert second.values.tolist() == [3, 3, 3] and second.dense_shape.tolist() == [1, 5]
    # Unknown row dimensions take the longest in the batch.
    open_rows = list(ds.sparse_batch(2, [None]))
    assert [b.dense_shape.tolist() for b in open_rows] == [[2, 2], [1, 3]]
    with pytest.raises(
        DataLossError,
        match=r"Dataset.sparse_batch: input element had shape \[3\] that does not fit the row "
        r"shape \[2\]",
    ):
        list(ds.sparse_batch(2, [2]))
    pairs = tf.data.Dataset.from_tensor_slices(([1, 2], [3, 4]))
    with pytest.raises(TypeError, match="Dataset.sparse_batch: the elements must be single dense"):
        pairs.sparse_batch(2, [1]).element_spec  # noqa: B018
    with pytest.raises(TypeError, match="Dataset.sparse_batch: the elements must be single dense"):
        list(pairs.sparse_batch(2, [1]))


def test_reprs_use_tf_class_names():
    ds = tf.data.Dataset.range(1, 3).map(lambda x: tf.fill([x], x))
    assert repr(ds.sparse_batch(2, [3])) == (
        "<_DenseToSparseBatchDataset element_spec=SparseTensorSpec(TensorShape([None, 3]), "
        "tf.int64)>"
    )
    assert repr(ds.ragged_batch(2)) == (
        "<_BatchDataset element_spec=RaggedTensorSpec(TensorShape([None, None]), tf.int64, 1, "
        "tf.int64)>"
    )


def test_rebatch_of_ragged_batches():
    ds = tf.data.Dataset.from_tensor_slices(_ragged()).batch(2)
    spec = tf.RaggedTensorSpec([None, None], tf.int32, 1, tf.int64)
    assert ds.rebatch(1).element_spec == spec
    assert _lists(ds.rebatch(1)) == [[[1, 2]], [[3]], [[4, 5, 6]], [[]]]
    assert _lists(ds.rebatch(3)) == [[[1, 2], [3], [4, 5, 6]], [[]]]
    assert all(isinstance(b, tf.RaggedTensor) for b in ds.rebatch(3))


def test_from_generator_with_ragged_and_sparse_signatures():
    def gen():
        yield tf.ragged.constant([[1], [2, 3]])
        yield tf.ragged.constant([[4, 5, 6]])

    spec = tf.RaggedTensorSpec([None, None], tf.int32, 1)
    ds = tf.data.Dataset.from_generator(gen, output_signature=spec)
    assert ds.element_spec == tf.RaggedTensorSpec([None, None], tf.int32, 1, tf.int64)
    assert _lists(ds) == [[[1], [2, 3]], [[4, 5, 6]]]
    assert _lists(ds.batch(2)) == [[[[1], [2, 3]], [[4, 5, 6]]]]

    def sparse_gen():
        yield tf.SparseTensor([[0]], [1.0], [3])

    sparse = tf.data.Dataset.from_generator(
        sparse_gen, output_signature=tf.SparseTensorSpec([3], tf.float32)
    )
    assert sparse.element_spec == tf.SparseTensorSpec([3], tf.float32)
    assert [tf.sparse.to_dense(x).tolist() for x in sparse] == [[1.0, 0.0, 0.0]]


def test_from_generator_ragged_mismatch_messages():
    def gen():
        yield tf.ragged.constant([[1], [2, 3]])

    wrong_dtype = tf.data.Dataset.from_generator(
        gen, output_signature=tf.RaggedTensorSpec([None, None], tf.float32, 1)
    )
    with pytest.raises(
        TypeError,
        match=r"`generator` yielded an element of RaggedTensorSpec\(TensorShape\(\[2, None\]\), "
        r"tf.int32, 1, tf.int64\) where an element of RaggedTensorSpec\(TensorShape\(\[None, "
        r"None\]\), tf.float32, 1, tf.int64\) was expected.",
    ):
        list(wrong_dtype)
    lists = tf.data.Dataset.from_generator(
        lambda: iter([[1], [2, 3]]),
        output_signature=tf.RaggedTensorSpec([None], tf.int32, 0),
    )
    with pytest.raises(
        TypeError,
        match=r"`generator` yielded an element of TensorSpec\(shape=\(1,\), dtype=tf.int32, "
        r"name=None\) where an element of RaggedTensorSpec\(TensorShape\(\[None\]\), tf.int32, 0, "
        r"tf.int64\) was expected.",
    ):
        list(lists)
    with pytest.raises(
        TypeError, match="must be a nest of tf.TensorSpec \\(or tf.RaggedTensorSpec"
    ):
        tf.data.Dataset.from_generator(gen, output_signature=[1])
