"""MultiHeadAttention supports masking (fifth differential layer sweep, fuzzl5).

tf_keras sets `supports_masking = True`: `compute_mask(query, mask)` returns the query mask;
tork raised TypeError ("does not support masking"). Reference: tf_keras 2.21
(/tmp/fuzzl5/probes/ref_fuzzl5.py).
"""

import numpy as np

import tork as tf

keras = tf.keras


def test_mha_compute_mask_passes_query_mask_on():
    layer = keras.layers.MultiHeadAttention(2, 2)
    assert layer.supports_masking is True
    mask = np.array([[True, False, True]])
    out = layer.compute_mask(np.ones((1, 3, 2), "float32"), tf.constant(mask))
    np.testing.assert_array_equal(np.asarray(out), mask)


def test_mha_output_mask_in_model_is_query_mask():
    inp = keras.Input((4,), dtype="int32")
    emb = keras.layers.Embedding(6, 4, mask_zero=True)(inp)
    out = keras.layers.MultiHeadAttention(2, 2)(emb, emb)
    model = keras.Model(inp, out)
    res = model(tf.constant([[1, 2, 0, 0], [3, 0, 4, 5]]))
    np.testing.assert_array_equal(
        np.asarray(res._keras_mask), [[True, True, False, False], [True, False, True, True]]
    )
