"""Keras 3 MultiHeadAttention subclasses (KerasHub's CachedMultiHeadAttention pattern).

Keras 3's `_compute_attention(query, key, value, attention_mask=None, training=None,
return_attention_scores=False)` takes `return_attention_scores`, and Keras 3 has turned a
NumPy `attention_mask` into a tensor before a subclass's `call` hands it on.
"""

import numpy as np

from tork import keras

ops = keras.ops


class _Keras3Style(keras.layers.MultiHeadAttention):
    def call(self, query, value, attention_mask=None, return_attention_scores=False):
        q = self._query_dense(query)
        k = self._key_dense(value)
        v = self._value_dense(value)
        out, scores = self._compute_attention(
            query=q,
            key=k,
            value=v,
            attention_mask=attention_mask,
            return_attention_scores=return_attention_scores,
            training=None,
        )
        out = self._output_dense(out)
        return (out, scores) if return_attention_scores else out


def test_keras3_compute_attention_keywords_and_numpy_mask():
    x = np.arange(2 * 3 * 4, dtype="float32").reshape(2, 3, 4) / 24.0
    mask = np.tril(np.ones((2, 3, 3), bool))  # NumPy, as KerasHub tests pass it
    layer = _Keras3Style(num_heads=2, key_dim=2)
    out, scores = layer(x, x, attention_mask=mask, return_attention_scores=True)
    assert tuple(out.shape) == (2, 3, 4)
    scores = ops.convert_to_numpy(scores)
    assert scores.shape == (2, 2, 3, 3)
    # Causal: nothing above the diagonal, each row sums to 1.
    np.testing.assert_allclose(scores[..., 0, 1:], 0.0, atol=1e-7)
    np.testing.assert_allclose(scores.sum(-1), 1.0, rtol=1e-6)
    wq, bq, wk, bk, wv, bv, wo, bo = layer.get_weights()
    q = np.einsum("btd,dnh->btnh", x, wq) + bq
    k = np.einsum("bsd,dnh->bsnh", x, wk) + bk
    v = np.einsum("bsd,dnh->bsnh", x, wv) + bv
    s = np.einsum("btnh,bsnh->bnts", q / np.sqrt(2.0), k)
    s = np.where(mask[:, None], s, -1e9)
    p = np.exp(s - s.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    expected = np.einsum("btnh,nhd->btd", np.einsum("bnts,bsnh->btnh", p, v), wo) + bo
    np.testing.assert_allclose(ops.convert_to_numpy(out), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(scores, p, rtol=1e-5, atol=1e-6)
