"""Sweep of Geron's "Hands-On ML" (2nd ed.), ch. 16: Keras 2's `Attention(causal=True)`."""

import numpy as np
import pytest

from tork import keras


def _qv():
    q = np.arange(2 * 3 * 2, dtype="float32").reshape(2, 3, 2) / 10
    v = np.arange(2 * 3 * 2, dtype="float32").reshape(2, 3, 2)[:, ::-1] / 7
    return q, np.ascontiguousarray(v)


def test_causal_constructor_argument_masks_future_keys():
    q, v = _qv()
    with pytest.warns(UserWarning, match="`causal` argument is deprecated"):
        layer = keras.layers.Attention(causal=True)
    out = layer([q, v]).numpy()
    # tf_keras 2.21 gives these values.
    expected = [
        [[0.5714286, 0.7142857], [0.4387582, 0.5816154], [0.3341617, 0.4770189]],
        [[1.4285715, 1.5714285], [1.3197417, 1.4625989], [1.2507806, 1.3936377]],
    ]
    np.testing.assert_allclose(out, expected, rtol=1e-5)
    # The same as the call argument; the config (as tf_keras) does not keep `causal`.
    same = keras.layers.Attention()([q, v], use_causal_mask=True).numpy()
    np.testing.assert_allclose(out, same, rtol=1e-6)
    assert "causal" not in layer.get_config()


def test_causal_attention_in_a_functional_model():
    inp = keras.Input(shape=[None, 2])
    with pytest.warns(UserWarning):
        out = keras.layers.Attention(use_scale=True, causal=True)([inp, inp])
    model = keras.Model(inp, out)
    assert model.output_shape == (None, None, 2)
