"""tf.numpy_function returning strings (fuzzdata2 sweep).

Expected values come from TensorFlow 2.21 (/tmp/tfenv). tork raised "Cannot iterate
over a scalar tensor" when a numpy_function with `Tout=tf.string` returned one value.
"""

import tork as tf


def test_numpy_function_string_output_in_map():
    ds = tf.data.Dataset.from_tensor_slices(["a", "bc"]).map(
        lambda s: tf.numpy_function(lambda b: b.upper(), [s], tf.string)
    )
    # TF: dtype string; [b'A', b'BC']
    assert ds.element_spec.dtype == tf.string
    assert list(ds.as_numpy_iterator()) == [b"A", b"BC"]


def test_numpy_function_string_and_number_outputs():
    ds = tf.data.Dataset.from_tensor_slices(["a", "bc"]).map(
        lambda s: tf.numpy_function(lambda b: (b.upper(), len(b)), [s], [tf.string, tf.int64])
    )
    # TF: [(b'A', 1), (b'BC', 2)]
    assert [(a, int(n)) for a, n in ds.as_numpy_iterator()] == [(b"A", 1), (b"BC", 2)]


def test_numpy_function_string_output_eagerly():
    out = tf.numpy_function(lambda b: b + b, [tf.constant("x")], tf.string)
    # TF: tf.Tensor(b'xx', shape=(), dtype=string)
    assert out.numpy() == b"xx"
    assert out.dtype == tf.string
