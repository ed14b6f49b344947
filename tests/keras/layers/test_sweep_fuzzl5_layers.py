"""To add as tests/keras/layers/test_sweep_fuzzl5_layer.py once fuzzl5_output_signature.patch is in.

compute_output_signature on a shape whose dims are all None returned a list of None instead of a
TensorSpec. Expected values: tf_keras 2.21 (/tmp/fuzzl5/special5.py signatures_none_dims).
"""

import tork as tf

keras = tf.keras


def test_output_signature_all_none_dims_is_one_spec():
    spec = tf.TensorSpec((None, None, 4), "float32")
    out = keras.layers.Flatten().compute_output_signature(spec)
    assert isinstance(out, tf.TensorSpec)
    assert out.shape.as_list() == [None, None] and out.dtype == tf.float32
    dot = keras.layers.Dot(axes=2).compute_output_signature([spec, spec])
    assert isinstance(dot, tf.TensorSpec) and dot.shape.as_list() == [None, None, None]


def test_output_signature_nested_still_a_list():
    spec = tf.TensorSpec((None, None, 4), "float32")
    out = keras.layers.GRU(3, return_state=True).compute_output_signature(spec)
    assert [o.shape.as_list() for o in out] == [[None, 3], [None, 3]]
