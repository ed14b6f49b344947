"""element_spec of pipelines over ragged slices (fuzzdata sweep).

Expected specs come from TensorFlow 2.21 (/tmp/tfenv) running the same pipelines:
slices of a ragged_rank-1 tensor reach a `map` function as plain tensors, so the
function traces and keeps static shapes (it must not fall back to the first element,
which made the label's (1,) come out as (None,)), and it traces on an empty dataset.
"""

import tork as tf


def _ragged_pairs():
    return tf.data.Dataset.from_tensor_slices((tf.ragged.constant([[6], [6, 1]]), [1, 2]))


def _as_tuple(spec):
    return (spec.shape.as_list(), spec.dtype)


def test_map_over_ragged_slices_keeps_static_label_shape():
    spec = _ragged_pairs().map(lambda a, b: (a, tf.expand_dims(b, -1))).element_spec
    # TF: (TensorSpec(shape=(None,), int32), TensorSpec(shape=(1,), int32))
    assert [_as_tuple(s) for s in spec] == [([None], tf.int32), ([1], tf.int32)]
    assert all(type(s) is tf.TensorSpec for s in spec)


def test_map_over_empty_ragged_slices_traces():
    ds = _ragged_pairs().take(0).map(lambda a, b: (a * 2, tf.expand_dims(b, -1)))
    # TF: (TensorSpec(shape=(None,), int32), TensorSpec(shape=(1,), int32))
    assert [_as_tuple(s) for s in ds.element_spec] == [([None], tf.int32), ([1], tf.int32)]
    assert list(ds) == []


def test_map_reduce_over_ragged_slice_then_batch():
    spec = _ragged_pairs().map(lambda a, b: {"x": tf.reduce_sum(a)}).batch(2).element_spec
    # TF: {'x': TensorSpec(shape=(None,), dtype=tf.int32)}
    assert _as_tuple(spec["x"]) == ([None], tf.int32)
    spec = _ragged_pairs().map(lambda a, b: a).batch(2).element_spec
    # TF: TensorSpec(shape=(None, None), dtype=tf.int32)
    assert _as_tuple(spec) == ([None, None], tf.int32)


# String datasets: `map` functions now trace on string stand-ins instead of running on the
# first element. Expected specs from TensorFlow 2.21 (probe7.py in the fuzzdata sweep),
# the same whether the dataset is empty or not (tork used to say (2,) for the split of
# 'a b', and failed on an empty dataset).
_STRING_CASES = [
    (tf.strings.length, [], tf.int32),
    (lambda s: tf.strings.split(s), [None], tf.string),
    (lambda s: tf.strings.split(s, ","), [None], tf.string),
    (lambda s: tf.strings.bytes_split(s), [None], tf.string),
    (lambda s: tf.strings.substr(s, 0, 2), [], tf.string),
    (lambda s: tf.strings.regex_replace(s, "a", "b"), [], tf.string),
    (lambda s: tf.strings.join([s, "!"]), [], tf.string),
    (lambda s: tf.io.decode_raw(s, tf.uint8), [None], tf.uint8),
    (lambda s: tf.strings.to_hash_bucket_fast(s, 10), [], tf.int64),
]


def _lines():
    return tf.data.Dataset.from_tensor_slices(["a b", "c d"])


def test_string_map_specs_match_tf():
    for fn, shape, dtype in _STRING_CASES:
        for ds in (_lines(), _lines().take(0)):
            spec = ds.map(fn).element_spec
            assert (spec.shape.as_list(), spec.dtype) == (shape, dtype), fn


def test_string_map_nested_outputs_and_batches():
    spec = _lines().map(lambda s: {"len": tf.strings.length(s), "s": s}).element_spec
    # TF: {'len': TensorSpec((), int32), 's': TensorSpec((), string)}
    assert _as_tuple(spec["len"]) == ([], tf.int32)
    assert _as_tuple(spec["s"]) == ([], tf.string)
    batches = _lines().batch(2).take(0)
    # TF: split of a batch is ragged (None, None); length keeps the batch shape (None,)
    split = batches.map(lambda s: tf.strings.split(s)).element_spec
    assert split.shape.as_list() == [None, None]
    assert split.ragged_rank == 1
    assert _as_tuple(batches.map(tf.strings.length).element_spec) == ([None], tf.int32)


def test_tf_print_in_string_map_never_shows_stand_ins(capsys):
    # The trace on stand-in strings must give up on tf.print (TF prints at run time only);
    # the element_spec then comes from the data, which is printed, not made-up text.
    def show(s):
        tf.print("line", s)
        return s

    ds = _lines().map(show)
    assert _as_tuple(ds.element_spec) == ([], tf.string)
    assert [bytes(v) for v in ds.as_numpy_iterator()] == [b"a b", b"c d"]
    err = capsys.readouterr().err
    assert "0 0,0" not in err and 'line ""' not in err
    assert 'line "a b"' in err


def test_string_map_over_batches_of_batches():
    # fuzzdata case 10_267: TF 2.21 gives TensorSpec((None, None), int32); tork gave
    # (None, 2) from the first element.
    ds = _lines().batch(2).batch(1).map(tf.strings.length)
    assert _as_tuple(ds.element_spec) == ([None, None], tf.int32)
    assert [v.tolist() for v in ds.as_numpy_iterator()] == [[[3, 3]]]


# Ragged batches (ragged_rank 1) now trace on ragged stand-ins. Expected values from
# TensorFlow 2.21 (probe9.py of the sweep). Before, interleave read the spec off the first
# element, so the label's batch dim came out static (3) and the next ragged_batch made it
# a dense tensor where TF gives a RaggedTensor (fuzzdata case 6_185).
def test_ragged_batch_interleave_ragged_batch_keeps_labels_ragged():
    ds = tf.data.Dataset.from_tensor_slices(
        (tf.ragged.constant([[9, 0, 4], [6, 1, 7], [2], [5, 3], [1], [9, 4]]), [0, 1, 2, 3, 4, 5])
    )
    ds = ds.ragged_batch(3).interleave(
        lambda a, b: tf.data.Dataset.from_tensors((a, b)), cycle_length=1
    )
    ds = ds.ragged_batch(2)
    features, labels = ds.element_spec
    assert (features.shape.as_list(), features.ragged_rank) == ([None, None, None], 2)
    assert (labels.shape.as_list(), labels.ragged_rank) == ([None, None], 1)
    ((a, b),) = list(ds)
    assert a.to_list() == [[[9, 0, 4], [6, 1, 7], [2]], [[5, 3], [1], [9, 4]]]
    assert isinstance(b, tf.RaggedTensor)
    assert b.to_list() == [[0, 1, 2], [3, 4, 5]]


def test_map_over_empty_ragged_batches_traces():
    batches = (
        tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1], [2, 3], [], [4]]))
        .ragged_batch(2)
        .take(0)
    )
    doubled = batches.map(lambda x: x * 2).element_spec
    # TF: RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)
    assert (doubled.shape.as_list(), doubled.ragged_rank) == ([None, None], 1)
    # TF: TensorSpec(shape=(None,), dtype=tf.int32)
    assert _as_tuple(batches.map(lambda x: tf.reduce_sum(x, axis=1)).element_spec) == (
        [None],
        tf.int32,
    )
