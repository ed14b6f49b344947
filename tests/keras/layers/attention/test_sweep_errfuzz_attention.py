"""errfuzz: an Attention value mask of the wrong length names the layer and the shapes.

Reference (tf_keras 2.21, /tmp/tfenv): `Attention(name='att')([q, q], mask=[m5, m5])` with
q of shape (2, 3, 4) and masks of shape (2, 5) raises InvalidArgumentError from layer 'att'
("Incompatible shapes: [2,3,3] vs. [2,1,5]"); tork raised torch's bare "The size of tensor
a (3) must match the size of tensor b (5) at non-singleton dimension 2".
"""

import numpy as np
import pytest

import tork as tf


def test_value_mask_of_wrong_length():
    layer = tf.keras.layers.Attention(name="att")
    q = np.ones((2, 3, 4), "float32")
    mask = np.ones((2, 5), bool)
    with pytest.raises(
        ValueError,
        match=r"Attention layer 'att': the value mask must have shape \(batch, value "
        r"timesteps\) = \(2, 3\), got \(2, 5\)",
    ):
        layer([q, q], mask=[mask, mask])


def test_value_mask_still_masks():
    # Dot-product attention with numpy: masked value steps get no weight.
    rng = np.random.default_rng(0)
    q = rng.normal(size=(1, 2, 3)).astype("float32")
    v = rng.normal(size=(1, 3, 3)).astype("float32")
    keep = np.array([[True, True, False]])
    out = tf.keras.layers.Attention()([q, v], mask=[None, keep])
    scores = q @ v.transpose(0, 2, 1)
    scores = np.where(keep[:, None, :], scores, -1e9)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    np.testing.assert_allclose(np.asarray(out), weights @ v, rtol=1e-5, atol=1e-6)
