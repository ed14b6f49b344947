"""Sweep (nlp): `Embedding.compute_mask` on a symbolic input (seq2seq attention code).

tf_keras 2.21 records the mask as a `tf.math.not_equal` op in the functional graph; the
attention layer fed with it gives padded keys zero weight (scores below from tf_keras).
"""

import numpy as np

import tork as tf
from tork.keras import layers


def test_compute_mask_on_keras_input_is_a_graph_op():
    inp = tf.keras.Input(shape=(None,), dtype="int32")
    emb = layers.Embedding(10, 3, mask_zero=True)
    mask = emb.compute_mask(inp)
    assert str(mask.dtype).endswith("bool")
    model = tf.keras.Model(inp, mask)
    out = np.asarray(model(np.array([[3, 0, 5], [0, 0, 1]], "int32")))
    np.testing.assert_array_equal(out, [[True, False, True], [False, False, True]])


def test_mask_from_compute_mask_drives_attention():
    e_inp = tf.keras.Input(shape=(None,), dtype="int32")
    emb = layers.Embedding(12, 4, mask_zero=True)
    e_emb = emb(e_inp)
    e_mask = emb.compute_mask(e_inp)
    q_inp = tf.keras.Input(shape=(None, 4))
    ctx, scores = layers.AdditiveAttention()(
        [q_inp, e_emb], mask=[None, e_mask], return_attention_scores=True
    )
    model = tf.keras.Model([e_inp, q_inp], [ctx, scores])
    rng = np.random.RandomState(0)
    model.set_weights([rng.randn(*w.shape).astype("float32") * 0.5 for w in model.get_weights()])
    xe = np.array([[3, 4, 5, 0], [6, 7, 0, 0]], "int32")
    q = np.linspace(-1, 1, 2 * 2 * 4).reshape(2, 2, 4).astype("float32")
    _, s = model.predict([xe, q], verbose=0)
    # Masked (padded) keys get exactly zero weight; each row sums to one.
    np.testing.assert_array_equal(s[0, :, 3], 0.0)
    np.testing.assert_array_equal(s[1, :, 2:], 0.0)
    np.testing.assert_allclose(s.sum(-1), 1.0, rtol=1e-6)
    expected = [  # tf_keras 2.21, same weights and inputs
        [[0.338869, 0.254981, 0.40615, 0.0], [0.30268, 0.21266, 0.48466, 0.0]],
        [[0.496379, 0.503621, 0.0, 0.0], [0.508829, 0.491171, 0.0, 0.0]],
    ]
    np.testing.assert_allclose(s, expected, atol=2e-6)
