"""element_spec of deep pipelines (fuzzdata2 sweep: longer random tf.data pipelines).

Expected specs and values come from TensorFlow 2.21 (/tmp/tfenv) running the same
pipelines. The cases are where tork's stand-in trace (the way it learns a function's
output spec, as TF traces symbolically) gave up: many unknown dimensions made the
stand-ins too big for torch (a crash, or a static spec read off the first element),
ragged_rank 2 elements had no stand-in, and an error in the second element (one that
`ignore_errors()` drops) broke the fallback of reading elements.
"""

import numpy as np
import pytest

import tork as tf


def _shape(spec):
    return spec.shape.as_list()


def _deep(levels: int):
    ds = tf.data.Dataset.from_tensor_slices(np.arange(12).reshape(6, 2))
    ds = ds.padded_batch(2, padded_shapes=[None])
    for _ in range(levels):
        ds = ds.batch(1) if _ else ds.batch(2)
    return ds


def test_map_over_five_unknown_dims_traces():
    # Before: RuntimeError "Storage size calculation overflowed" (7919 ** 5 stand-ins).
    ds = _deep(3).skip(1).map(lambda e: e + 1)
    # TF: TensorSpec(shape=(None, None, None, None, None), dtype=tf.int64)
    assert _shape(ds.element_spec) == [None] * 5
    assert ds.element_spec.dtype == tf.int64
    # TF: [[[[[9, 10], [11, 12]]]]]
    assert [v.tolist() for v in ds.as_numpy_iterator()] == [[[[[[9, 10], [11, 12]]]]]]


def test_map_over_seven_unknown_dims_of_an_empty_dataset_traces():
    ds = _deep(5).skip(5).map(lambda e: tf.cast(e, tf.float32))
    # TF: TensorSpec(shape=(None,) * 7, dtype=tf.float32), with no element to look at
    assert _shape(ds.element_spec) == [None] * 7
    assert ds.element_spec.dtype == tf.float32
    assert list(ds) == []


def test_ragged_rank_2_elements_trace_and_batch_as_ragged():
    # Before: the interleave function could not be traced on ragged_rank-2 elements, so
    # the spec came from the first element ([1, 2] static) and ragged_batch then batched
    # the label densely: a (1, 1, 2) tensor where TF gives a RaggedTensor.
    ds = tf.data.Dataset.from_tensor_slices((tf.ragged.constant([[2, 5], [2, 4]]), np.arange(2)))
    ds = ds.ragged_batch(2, drop_remainder=True).ragged_batch(1)
    ds = ds.interleave(lambda *e: tf.data.Dataset.from_tensors(e).repeat(2), cycle_length=2)
    rt, label = ds.element_spec
    # TF: RaggedTensorSpec([None, 2, None], int32, 2), TensorSpec([None, 2], int64)
    assert (_shape(rt), rt.ragged_rank) == ([None, 2, None], 2)
    assert _shape(label) == [None, 2]
    batched = ds.ragged_batch(1)
    rt, label = batched.element_spec
    # TF: RaggedTensorSpec([None, None, 2, None], int32, 3),
    #     RaggedTensorSpec([None, None, 2], int64, 1)
    assert (_shape(rt), rt.ragged_rank) == ([None, None, 2, None], 3)
    assert isinstance(label, tf.RaggedTensorSpec)
    assert (_shape(label), label.ragged_rank) == ([None, None, 2], 1)
    values = [(r.to_list(), y.to_list()) for r, y in batched]
    # TF: two elements ([[[[2, 5], [2, 4]]]], [[[0, 1]]])
    assert values == [([[[[2, 5], [2, 4]]]], [[[0, 1]]])] * 2


def test_map_over_ragged_rank_2_slices_of_an_empty_dataset():
    ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[[1], [2, 3]], [[4]]]))
    ds = ds.take(0).map(lambda r: (r + 1, r.row_lengths()))
    rt, lengths = ds.element_spec
    # TF: RaggedTensorSpec([None, None], int32, 1), TensorSpec([None], int64)
    assert (_shape(rt), rt.ragged_rank, rt.dtype) == ([None, None], 1, tf.int32)
    assert (_shape(lengths), lengths.dtype) == ([None], tf.int64)


def test_strings_with_three_unknown_dims_trace():
    # Before: the string stand-ins were too many (89 ** 3), the spec was read off the
    # first element: (None, 2) and (None, 2, 1) instead of unknown dims.
    ds = tf.data.Dataset.from_tensor_slices(["f0.txt", "f1.txt", "f2.txt"]).batch(1).enumerate(5)
    ds = ds.window(2, shift=2).flat_map(
        lambda w0, w1: tf.data.Dataset.zip((w0.batch(4), w1.batch(4)))
    )
    ds = ds.padded_batch(2).map(lambda i, s: {"first": i, "second": s})
    spec = ds.element_spec
    # TF: {'first': TensorSpec((None, None), int64), 'second': TensorSpec((None,) * 3, string)}
    assert _shape(spec["first"]) == [None, None]
    assert _shape(spec["second"]) == [None, None, None]
    (element,) = list(ds)
    assert element["first"].numpy().tolist() == [[5, 6], [7, 0]]
    assert element["second"].numpy().tolist() == [[[b"f0.txt"], [b"f1.txt"]], [[b"f2.txt"], [b""]]]


def test_ignore_errors_after_check_numerics():
    # Before: element_spec (and so iteration) raised the InvalidArgumentError of the
    # second element, the one ignore_errors() drops.
    ds = tf.data.Dataset.from_tensor_slices([1.0, 0.0, 2.0, 4.0])
    ds = ds.map(lambda x: tf.debugging.check_numerics(1.0 / x, "bad")).ignore_errors()
    # TF: TensorSpec(shape=(), dtype=tf.float32); [1.0, 0.5, 0.25]
    assert (_shape(ds.element_spec), ds.element_spec.dtype) == ([], tf.float32)
    assert [float(v) for v in ds] == [1.0, 0.5, 0.25]


def test_ignore_errors_after_to_number():
    ds = tf.data.Dataset.from_tensor_slices(["1", "a", "3.5"]).map(tf.strings.to_number)
    ds = ds.ignore_errors()
    # TF: TensorSpec(shape=(), dtype=tf.float32); [1.0, 3.5]
    assert (_shape(ds.element_spec), ds.element_spec.dtype) == ([], tf.float32)
    assert [float(v) for v in ds] == [1.0, 3.5]


def test_experimental_ignore_errors_after_assert_all_finite():
    ds = tf.data.Dataset.from_tensor_slices([1.0, -1.0, 2.0]).map(
        lambda x: tf.sqrt(tf.debugging.assert_all_finite(tf.math.log(x), "log") + 1.0)
    )
    ds = ds.apply(tf.data.experimental.ignore_errors())
    # TF: [1.0, 1.3012099]
    np.testing.assert_allclose([float(v) for v in ds], [1.0, 1.3012099], rtol=1e-6)


def test_check_numerics_error_still_raised_when_iterating():
    ds = tf.data.Dataset.from_tensor_slices([1.0, 0.0, 2.0])
    ds = ds.map(lambda x: tf.debugging.check_numerics(1.0 / x, "bad"))
    # TF: the spec is known (TensorSpec((), float32)); iterating raises InvalidArgumentError.
    assert (_shape(ds.element_spec), ds.element_spec.dtype) == ([], tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="bad : Tensor had Inf"):
        list(ds)


def test_unbatch_of_mismatched_leading_dims_raises_when_built():
    # TF raises when the pipeline is built (tork raised only when iterating).
    ds = tf.data.Dataset.from_tensors((np.zeros((2, 2)), 7))
    ds = ds.map(lambda a, b: (a, tf.expand_dims(b, -1)))
    # TF: ValueError: `unbatch()` is only supported for datasets of elements whose
    # components have a matching leading dimension. Encountered both 2 and 1.
    with pytest.raises(ValueError, match="matching leading dimension. Encountered both 2 and 1"):
        ds.unbatch()
    pairs = tf.data.Dataset.zip(
        (
            tf.data.Dataset.from_tensors({"x": np.zeros(2, "float32")}),
            tf.data.Dataset.from_tensor_slices(np.zeros((4, 3))),
        )
    )
    with pytest.raises(ValueError, match="Encountered both 2 and 3"):
        pairs.unbatch()


def test_unbatch_compares_dense_components_only():
    # TF builds these: ragged and sparse components do not take part in the check.
    ragged = tf.data.Dataset.from_tensors((np.zeros((3, 2)), tf.ragged.constant([[1], [2, 3], []])))
    assert int(ragged.unbatch().cardinality()) == 3  # TF: 3
    sparse = tf.data.Dataset.from_tensors(
        (np.zeros((2, 2)), tf.sparse.SparseTensor([[0]], [1], [3]))
    )
    assert int(sparse.unbatch().cardinality()) == 2  # TF: 2


def test_strings_with_five_unknown_dims_trace_on_an_empty_dataset():
    # Before: no stand-in fitted (83 ** 5 strings), and the empty dataset had no element
    # to read: "Cannot infer the element_spec".
    ds = tf.data.Dataset.from_tensor_slices(["a b", "c"])
    for _ in range(5):
        ds = ds.batch(1)
    ds = ds.take(0).interleave(lambda e: tf.data.Dataset.from_tensors(e), cycle_length=1)
    ds = ds.map(tf.strings.length)
    # TF: TensorSpec(shape=(None, None, None, None, None), dtype=tf.int32)
    assert _shape(ds.element_spec) == [None] * 5
    assert ds.element_spec.dtype == tf.int32
    assert list(ds) == []


def test_map_over_ragged_strings_of_an_empty_dataset_traces():
    # Before: ragged string elements had no stand-in; an empty dataset then raised
    # "Cannot infer the element_spec".
    words = tf.data.Dataset.from_tensor_slices(["a b", "c"]).map(tf.strings.split).ragged_batch(2)
    ds = words.take(0).map(lambda r: (r, tf.strings.length(r)))
    text, lengths = ds.element_spec
    # TF: RaggedTensorSpec([None, None], string, 1), RaggedTensorSpec([None, None], int32, 1)
    assert (text.shape.as_list(), text.dtype, text.ragged_rank) == ([None, None], tf.string, 1)
    assert (lengths.shape.as_list(), lengths.dtype) == ([None, None], tf.int32)
    joined = words.map(lambda r: tf.strings.reduce_join(r, axis=-1, separator="+"))
    # TF: TensorSpec(shape=(None,), dtype=tf.string); [[b'a+b', b'c']]
    assert joined.element_spec.shape.as_list() == [None]
    assert [v.tolist() for v in joined.as_numpy_iterator()] == [[b"a+b", b"c"]]


def test_rebatch_of_mismatched_batch_dims_raises_when_built():
    ds = tf.data.Dataset.from_tensor_slices(
        (np.arange(6).reshape(2, 3), np.arange(4, dtype="float32").reshape(2, 2))
    )
    # TF: ValueError: Invalid `input_dataset.` The batch dimension of component 0 is 3,
    # while the batch dimension of component i is [3 2].
    with pytest.raises(ValueError, match="The batch dimension of component 0 is 3"):
        ds.rebatch(2)
    pairs = tf.data.Dataset.range(8).batch(4).map(lambda x: (x, x)).rebatch(3)
    # TF: [0 1 2], [3 4 5], [6 7] in both components
    assert [a.tolist() for a, _ in pairs.as_numpy_iterator()] == [[0, 1, 2], [3, 4, 5], [6, 7]]
