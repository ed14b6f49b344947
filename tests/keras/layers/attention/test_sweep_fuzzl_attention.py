"""MultiHeadAttention rows whose keys are all masked (found by differential layer fuzzing).

Keras adds -1e9 to masked scores: a fully masked query row attends uniformly (the mean of
the values) and, since the softmax still sees the scores, its gradients reach the query and
key projections. tork used to fill the scores (explicit path) or substitute the mean of
the values (fused path), which gave the same outputs but no gradient through such rows.

Reference numbers: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) on the same weights and inputs,
loss = reduce_sum(output ** 2).
"""

import numpy as np
import pytest

import tork as tf

Q = np.array([[[0.5, -1.0], [1.5, 0.25]]], "float32")
V = np.array([[[1.0, 2.0], [-0.5, 0.75], [0.3, -1.2]]], "float32")
# Query row 0 attends to no key at all.
MASK = np.array([[[False, False, False], [True, False, True]]])

TF_OUT = [[[1.6622223, 5.2955556], [2.639207, 6.5220895]]]
TF_GRAD_Q = [[[-9.8815365, 22.588644], [-13.724894, 31.274754]]]
TF_GRAD_V = [[[45.948135, 18.270441], [1.8592743, 6.141361], [-32.895794, 16.556032]]]


def _layer():
    layer = tf.keras.layers.MultiHeadAttention(num_heads=1, key_dim=2, name="mha")
    layer(Q, V)
    weights = [
        np.linspace(-1.0, 1.0, w.size).reshape(w.shape).astype("float32") * (0.9 + 0.1 * i)
        for i, w in enumerate(layer.get_weights())
    ]
    layer.set_weights(weights)
    return layer


# False: the fused (scaled_dot_product_attention) path; True: the explicit path.
@pytest.mark.parametrize("return_scores", [False, True])
def test_fully_masked_row_gradients_match_keras(return_scores):
    layer = _layer()
    q, v = tf.constant(Q), tf.constant(V)
    with tf.GradientTape() as tape:
        tape.watch([q, v])
        out = layer(q, v, attention_mask=tf.constant(MASK), return_attention_scores=return_scores)
        if return_scores:
            out, scores = out
            # The masked row's probabilities are uniform.
            np.testing.assert_allclose(scores.numpy()[0, 0, 0], [1 / 3] * 3, rtol=1e-6)
        loss = tf.reduce_sum(out**2)
    grad_q, grad_v = tape.gradient(loss, [q, v])
    np.testing.assert_allclose(out.numpy(), TF_OUT, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(grad_q.numpy(), TF_GRAD_Q, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(grad_v.numpy(), TF_GRAD_V, rtol=1e-5, atol=1e-5)
    # The masked row's query gradient is not zero (it was before the fix).
    assert np.abs(grad_q.numpy()[0, 0]).max() > 1.0


def test_uniform_row_gradient_matches_finite_differences():
    # Independent check of the fused path's stand-in on a row with every key masked:
    # Keras's value is softmax(s - 1e9) @ v; d/ds at the uniform point is (v_j - mean v) / n.
    import torch

    from tork.keras.layers.attention.multi_head_attention import _uniform_attention

    g = torch.Generator().manual_seed(0)
    q = torch.randn(1, 1, 1, 3, generator=g, dtype=torch.float64, requires_grad=True)
    k = torch.randn(1, 1, 4, 3, generator=g, dtype=torch.float64, requires_grad=True)
    v = torch.randn(1, 1, 4, 2, generator=g, dtype=torch.float64, requires_grad=True)
    out = _uniform_attention(q, k, v, 0.5)
    torch.testing.assert_close(out, v.mean(dim=-2, keepdim=True))
    w = torch.tensor([0.7, -1.3], dtype=torch.float64)
    (gq, gk, gv) = torch.autograd.grad((out * w).sum(), [q, k, v])
    # Reference: the gradient of softmax(scores) @ v at scores shifted to all-equal values
    # (the derivative Keras's -1e9 shift keeps), in float64.
    s = 0.5 * (q @ k.transpose(-1, -2))
    ref = torch.softmax(s - s.detach(), dim=-1) @ v
    rq, rk, rv = torch.autograd.grad((ref * w).sum(), [q, k, v])
    torch.testing.assert_close(gq, rq)
    torch.testing.assert_close(gk, rk)
    torch.testing.assert_close(gv, rv)
