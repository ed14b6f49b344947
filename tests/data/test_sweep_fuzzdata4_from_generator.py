"""Dataset.from_generator conversions (fuzzdata4).

TF 2.21 values (/tmp/fuzzdata4/p_gf4.py, p_gf4b.py, p_b4.py): Python floats yielded under
an integer or bool spec of known rank are truncated (TF converts with np.asarray(value,
dtype)); tork raised TypeError "converting would drop the fractions". Under an unknown
shape TF raises, and so does tork. String args reach the generator as
Python bytes and a yielded np.bytes_ comes back as bytes from .numpy(); tork gave np.bytes_.
"""

import numpy as np
import pytest

import tork as tf

G = tf.data.Dataset.from_generator


def _values(value, spec):
    return [x.numpy().tolist() for x in G(lambda: iter([value]), output_signature=spec)]


def test_python_floats_truncate_under_integer_specs():
    assert _values(1.5, tf.TensorSpec([], tf.int32)) == [1]
    assert _values(-1.5, tf.TensorSpec([], tf.int32)) == [-1]
    assert _values(2.7, tf.TensorSpec([], tf.int64)) == [2]
    assert _values([1.5, 2.5], tf.TensorSpec([2], tf.int32)) == [[1, 2]]
    assert _values(3.9, tf.TensorSpec([], tf.uint8)) == [3]
    assert _values(1.5, tf.TensorSpec([], tf.bool)) == [True]
    ds = G(
        lambda: iter([(1, 2.5)]),
        output_signature=(tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.int32)),
    )
    a, b = next(iter(ds))
    assert (int(a), int(b)) == (1, 2)
    assert b.dtype == tf.int32
    assert _values([[0.5], [1.5]], tf.TensorSpec([None, 1], tf.int32)) == [[[0], [1]]]
    # Floats under float specs and ints under float specs are unchanged.
    assert _values(3, tf.TensorSpec([], tf.float32)) == [3.0]
    assert _values(np.array([1.5, -2.5]), tf.TensorSpec([2], tf.int32)) == [[1, -2]]


def test_python_floats_under_unknown_shape_raise():
    for spec in (tf.TensorSpec(None, tf.int32), tf.TensorSpec(None, tf.bool)):
        ds = G(lambda: iter([1.5]), output_signature=spec)
        with pytest.raises(TypeError, match="only under a spec of known rank"):
            list(ds)
    ds = G(lambda: iter([[0.5, 1.5]]), output_types=tf.int32)
    with pytest.raises(TypeError, match=r"floating-point values \[0.5, 1.5\]"):
        list(ds)
    # NumPy floats are cast whatever the shape, as TF.
    ds = G(lambda: iter([np.array([0.5, 1.5])]), output_types=tf.int32)
    assert [x.numpy().tolist() for x in ds] == [[0, 1]]


def test_string_args_and_yields_are_bytes():
    ds = G(
        lambda a: iter([type(a).__name__]),
        args=[tf.constant("s")],
        output_signature=tf.TensorSpec([], tf.string),
    )
    assert [x.numpy() for x in ds] == [b"bytes"]
    ds = G(
        lambda a: iter([type(a).__name__]),
        args=[np.bytes_(b"q")],
        output_signature=tf.TensorSpec([], tf.string),
    )
    assert [x.numpy() for x in ds] == [b"bytes"]
    ds = G(
        lambda: iter([np.bytes_(b"a"), np.str_("b")]), output_signature=tf.TensorSpec([], tf.string)
    )
    got = [x.numpy() for x in ds]
    assert got == [b"a", b"b"]
    assert [type(x) for x in got] == [bytes, bytes]
