"""`tf.keras.backend.eval` of a string tensor (Keras 2 backend)."""

import json

import numpy as np

import tork as tf


def test_eval_string_scalar_is_bytes():
    # TF 2.21 / tf_keras: K.eval(tf.constant("abc")) is b'abc' (what .numpy() gives).
    value = tf.keras.backend.eval(tf.constant("abc"))
    assert type(value) is bytes
    assert value == b"abc"


def test_eval_string_vector_and_numbers():
    strings = tf.keras.backend.eval(tf.constant(["a", "b"]))
    assert isinstance(strings, np.ndarray) and strings.tolist() == [b"a", b"b"]
    assert tf.keras.backend.eval(tf.constant(3)) == np.int32(3)
    np.testing.assert_array_equal(tf.keras.backend.eval(tf.constant([1.0, 2.0])), [1.0, 2.0])


def test_similarity_index_metadata_pattern(tmp_path):
    # tensorflow_similarity's Indexer.load: read_file, backend.eval, json.loads.
    path = str(tmp_path / "index_metadata.json")
    tf.io.write_file(path, json.dumps({"size": 3}))
    metadata = tf.keras.backend.eval(tf.io.read_file(path))
    assert json.loads(metadata) == {"size": 3}


def test_get_value_of_a_string_scalar_is_bytes():
    # TF 2.21: K.get_value(tf.constant("id")) is b'id' (tensorflow_similarity reads
    # its index metadata this way); non-tensors come back as they are.
    assert tf.keras.backend.get_value(tf.constant("id")) == b"id"
    assert tf.keras.backend.get_value(3.0) == 3.0
