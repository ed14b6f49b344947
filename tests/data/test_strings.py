"""tf.data pipelines carrying string components."""

import pytest
import torch

import tork as tf

TEXTS = ["a b", "c", "d e f", "g", "h"]


def _texts(ds):
    return [x.numpy() for x in ds]


def test_slices_spec_and_iteration():
    ds = tf.data.Dataset.from_tensor_slices((TEXTS, [0, 1, 0, 1, 1]))
    spec = ds.element_spec
    assert spec[0] == tf.TensorSpec((), tf.string) and repr(spec[0]).count("tf.string") == 1
    x, y = next(iter(ds))
    assert x.dtype == tf.string and x.numpy() == b"a b" and int(y) == 0
    assert list(ds.map(lambda x, y: x).as_numpy_iterator()) == [t.encode() for t in TEXTS]


def test_batch_shuffle_take_skip_filter_cache():
    ds = tf.data.Dataset.from_tensor_slices(TEXTS)
    batches = list(ds.batch(2))
    assert [b.numpy().tolist() for b in batches] == [[b"a b", b"c"], [b"d e f", b"g"], [b"h"]]
    assert ds.batch(2).element_spec == tf.TensorSpec((None,), tf.string)
    shuffled = [x.numpy() for x in ds.shuffle(5, seed=3)]
    assert sorted(shuffled) == sorted(t.encode() for t in TEXTS)
    assert _texts(ds.skip(1).take(2)) == [b"c", b"d e f"]
    assert _texts(ds.filter(lambda x: x != "c")) == [b"a b", b"d e f", b"g", b"h"]
    cached = ds.map(lambda x: x).cache().prefetch(tf.data.AUTOTUNE)
    assert _texts(cached) == _texts(cached) == [t.encode() for t in TEXTS]
    assert _texts(ds.batch(2).unbatch()) == [t.encode() for t in TEXTS]


def test_map_receives_string_tensors():
    seen = []

    def fn(x):
        seen.append(type(x).__name__)
        return tf.strings.upper(x), tf.strings.length(x)

    ds = tf.data.Dataset.from_tensor_slices(TEXTS).batch(2).map(fn)
    upper, lengths = next(iter(ds))
    assert upper.numpy().tolist() == [b"A B", b"C"] and lengths.tolist() == [3, 1]
    assert "StringTensor" in seen
    assert ds.element_spec[0].dtype == tf.string


def test_padded_batch_and_generator():
    ds = tf.data.Dataset.from_tensors(tf.constant(["a"])).concatenate(
        tf.data.Dataset.from_tensors(tf.constant(["b", "c"]))
    )
    assert next(iter(ds.padded_batch(2))).numpy().tolist() == [[b"a", b""], [b"b", b"c"]]
    padded = ds.padded_batch(2, padding_values="?")
    assert next(iter(padded)).numpy().tolist() == [[b"a", b"?"], [b"b", b"c"]]

    def gen():
        yield "x"
        yield b"yy"

    g = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec((), tf.string))
    assert next(iter(g.batch(2))).numpy().tolist() == [b"x", b"yy"]


def test_batch_of_mismatched_string_shapes_errors():
    ds = tf.data.Dataset.from_tensors(tf.constant(["a"])).concatenate(
        tf.data.Dataset.from_tensors(tf.constant(["b", "c"]))
    )
    with pytest.raises(ValueError, match="Cannot batch tensors with different shapes"):
        list(ds.batch(2))
    with pytest.raises(ValueError, match="is a scalar"):
        tf.data.Dataset.from_tensor_slices("abc")
    assert torch.equal(tf.data.Dataset.from_tensor_slices(["a"]).cardinality(), torch.tensor(1))
