"""TF 1's `matrix_*` op names and TF 2's top-level `tf.as_string`, as DeepCTR calls them.

DeepCTR's Transformer layer (deepctr/layers/sequence.py, DSIN and BST with blinding)
calls `tf.matrix_set_diag`, falling back to `tf.compat.v1.matrix_set_diag`; its Hash layer
(deepctr/layers/utils.py, `use_hash=True` features) calls `tf.as_string`. Both raised
not-implemented errors in tork. Expected values: tensorflow 2.21 (reference env).
"""

import numpy as np

import tork as tf


def test_matrix_set_diag():
    x = np.arange(18, dtype="float32").reshape(2, 3, 3)
    out = tf.compat.v1.matrix_set_diag(x, -np.ones((2, 3), "float32"))
    expected = [
        [[-1.0, 1.0, 2.0], [3.0, -1.0, 5.0], [6.0, 7.0, -1.0]],
        [[-1.0, 10.0, 11.0], [12.0, -1.0, 14.0], [15.0, 16.0, -1.0]],
    ]
    np.testing.assert_allclose(out.numpy(), expected)


def test_other_matrix_names():
    x = np.arange(18, dtype="float32").reshape(2, 3, 3)
    v1 = tf.compat.v1
    np.testing.assert_allclose(v1.matrix_diag_part(x).numpy(), [[0, 4, 8], [9, 13, 17]])
    np.testing.assert_allclose(
        v1.matrix_band_part(x[0], 0, 1).numpy(), [[0, 1, 0], [0, 4, 5], [0, 0, 8]]
    )
    assert tuple(v1.matrix_transpose(x[:, :2]).shape) == (2, 3, 2)
    np.testing.assert_allclose(v1.matrix_diag([1.0, 2.0]).numpy(), [[1, 0], [0, 2]])
    a = np.array([[2.0, 1.0], [1.0, 3.0]], "float32")
    np.testing.assert_allclose(v1.matrix_inverse(a).numpy(), np.linalg.inv(a), rtol=1e-6)
    np.testing.assert_allclose(float(v1.matrix_determinant(a)), 5.0, rtol=1e-6)


def test_as_string_at_top_level():
    # tensorflow 2.21: [[b'1', b'2'], [b'3', b'40']], [b'1.500000'], [b'true'].
    assert tf.as_string(tf.constant([[1, 2], [3, 40]], tf.int64)).numpy().tolist() == [
        [b"1", b"2"],
        [b"3", b"40"],
    ]
    assert tf.as_string(tf.constant([1.5])).numpy().tolist() == [b"1.500000"]
    assert tf.as_string(tf.constant([True])).numpy().tolist() == [b"true"]
    assert tf.as_string is tf.strings.as_string


def test_hash_layer_pattern():
    # DeepCTR's Hash layer: ids as strings, hashed into buckets, 0 kept for padding.
    class Hash(tf.keras.layers.Layer):
        def call(self, x):
            if x.dtype != tf.string:
                x = tf.as_string(x)
            return tf.strings.to_hash_bucket_fast(x, 5)

    ids = tf.keras.Input((2,), dtype="int32")
    hashed = Hash()(ids)
    # The layer reads values (as_string), so it builds on placeholder ids: shape as TF's.
    assert tuple(hashed.shape) == (None, 2) and hashed.dtype == tf.int64
    model = tf.keras.Model(ids, hashed)
    out = model.predict(np.array([[1, 7]], "int32"), verbose=0)
    # tensorflow 2.21: tf.strings.to_hash_bucket_fast([b"1", b"7"], 5) -> [4, 3].
    assert out.tolist() == [[4, 3]]
