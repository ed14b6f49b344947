"""keras.layers.GroupQueryAttention against NumPy and Keras 3.15 (constants written in)."""

import numpy as np
import pytest
import torch

from tork import keras
from tork.keras.layers.attention.grouped_query_attention import GroupedQueryAttention

RNG = np.random.default_rng(0)
Q = RNG.normal(size=(2, 3, 5)).astype("float32")
V = RNG.normal(size=(2, 4, 5)).astype("float32")
K = RNG.normal(size=(2, 4, 5)).astype("float32")
ATTENTION_MASK = np.array([[[1, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]]] * 2, bool)


def _np(t):
    return t.detach().cpu().numpy()


def _set_weights(layer):
    weights = [
        np.random.default_rng(i + 10).normal(size=w.shape).astype("float32") * 0.5
        for i, w in enumerate(layer.get_weights())
    ]
    layer.set_weights(weights)
    return weights


def _layer(use_gate=False, **kwargs):
    layer = keras.layers.GroupQueryAttention(
        head_dim=2, num_query_heads=4, num_key_value_heads=2, use_gate=use_gate, **kwargs
    )
    layer(Q, V)
    return layer, _set_weights(layer)


def _np_gqa(query, value, key, weights, repeats):
    """NumPy grouped-query attention: Keras 3's einsum equations, key/value heads repeated."""
    wq, bq, wk, bk, wv, bv, wo, bo = weights
    q = np.einsum("bqm,muh->bquh", query, wq) + bq
    k = np.repeat(np.einsum("bkm,mvh->bkvh", key, wk) + bk, repeats, axis=2)
    v = np.repeat(np.einsum("bkm,mvh->bkvh", value, wv) + bv, repeats, axis=2)
    scores = np.einsum("bquh,bkuh->buqk", q / np.sqrt(q.shape[-1]), k)
    probs = np.exp(scores - scores.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    out = np.einsum("buqk,bkuh->bquh", probs, v)
    return np.einsum("bquh,uhm->bqm", out, wo) + bo, probs


def test_weights_layout_as_keras3():
    layer, _ = _layer(use_gate=True, name="gqa1")
    assert [(w.path, tuple(w.shape)) for w in layer.weights] == [
        ("gqa1/query/kernel", (5, 4, 2)),
        ("gqa1/query/bias", (4, 2)),
        ("gqa1/key/kernel", (5, 2, 2)),
        ("gqa1/key/bias", (2, 2)),
        ("gqa1/gate/kernel", (5, 4, 2)),
        ("gqa1/gate/bias", (4, 2)),
        ("gqa1/value/kernel", (5, 2, 2)),
        ("gqa1/value/bias", (2, 2)),
        ("gqa1/attention_output/kernel", (4, 2, 5)),
        ("gqa1/attention_output/bias", (5,)),
    ]
    mqa = keras.layers.GroupQueryAttention(2, 4, 1, use_bias=False)
    mqa(Q, V)
    assert [tuple(w.shape) for w in mqa.weights] == [(5, 4, 2), (5, 1, 2), (5, 1, 2), (4, 2, 5)]


def test_matches_numpy_formula():
    layer, weights = _layer()
    out, scores = layer(Q, V, K, return_attention_scores=True)
    ref_out, ref_scores = _np_gqa(Q, V, K, weights, repeats=2)
    np.testing.assert_allclose(_np(out), ref_out, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(_np(scores), ref_scores, rtol=1e-5, atol=1e-6)
    # The fused path (no scores) gives the same numbers.
    np.testing.assert_allclose(_np(layer(Q, V, K)), ref_out, rtol=1e-5, atol=1e-5)


# Keras 3.15 (TensorFlow backend), same inputs and weights.
KERAS3 = {
    False: {
        "out": [0.36603, 0.96918, -1.06179, -2.89912, -2.20282, 0.11417, 1.09607, -1.33354],
        "sum": -15.368081,
        "am": [0.45864, 0.87223, -1.32598, -3.22548, -1.48143, -0.16699],
        "causal": [0.39484, 1.45409, -1.08381, -1.29071, -3.25387, 0.1689],
    },
    True: {
        "out": [-0.3139, 0.56906, 0.18667, -0.5862, 0.6495, -0.59353, 0.68812, 0.48376],
        "sum": 0.280609,
        "am": [-0.14984, 0.51895, 0.64008, -0.44933, 0.59228, -0.67288],
        "causal": [-0.28543, 0.60283, 0.11602, -0.60048, 0.82567, -0.35996],
    },
}
KERAS3_MASKED_SCORES = [[0.494, 0.506, 0.0, 0.0], [0.4686, 0.0, 0.5314, 0.0], [0.0, 0.0, 0.0, 0.0]]


@pytest.mark.parametrize("use_gate", [False, True])
def test_matches_keras3(use_gate):
    layer, _ = _layer(use_gate=use_gate)
    expected = KERAS3[use_gate]
    out, scores = layer(Q, V, K, return_attention_scores=True)
    np.testing.assert_allclose(_np(out).ravel()[:8], expected["out"], atol=2e-5)
    assert float(out.sum()) == pytest.approx(expected["sum"], abs=1e-4)
    assert tuple(scores.shape) == (2, 4, 3, 4)
    np.testing.assert_allclose(
        _np(scores).ravel()[:6], [0.24463, 0.25634, 0.25268, 0.24635, 0.28603, 0.22869], atol=2e-5
    )
    out, scores = layer(Q, V, attention_mask=ATTENTION_MASK, return_attention_scores=True)
    np.testing.assert_allclose(_np(out).ravel()[:6], expected["am"], atol=2e-5)
    np.testing.assert_allclose(_np(scores)[0, 0], KERAS3_MASKED_SCORES, atol=1e-4)
    causal = layer(Q, V, use_causal_mask=True)
    np.testing.assert_allclose(_np(causal).ravel()[:6], expected["causal"], atol=2e-5)


def test_fully_masked_row_as_keras3():
    layer, weights = _layer()
    # Keras 3: the fused path attends uniformly in a row with no key; the explicit path
    # (attention scores requested) gives zero probabilities there, so only the bias remains.
    fused = _np(layer(Q, V, attention_mask=ATTENTION_MASK))
    explicit, _ = layer(Q, V, attention_mask=ATTENTION_MASK, return_attention_scores=True)
    np.testing.assert_allclose(
        fused[0, 2], [0.65585, 0.8317, -0.822, -2.67896, -2.29482], atol=2e-5
    )
    np.testing.assert_allclose(_np(explicit)[0, 2], weights[-1], atol=1e-6)
    np.testing.assert_allclose(fused[:, :2], _np(explicit)[:, :2], atol=1e-5)
    query_mask = np.array([[True, True, False]] * 2)
    out = layer(Q, V, query_mask=query_mask)
    np.testing.assert_allclose(
        _np(out)[0],
        [
            [0.02865, 1.12431, -1.27506, -2.80783, -2.40079],
            [-0.24705, 1.26884, -1.41812, -2.39399, -3.05785],
            [0.65585, 0.8317, -0.822, -2.67896, -2.29482],
        ],
        atol=2e-5,
    )
    assert out._keras_mask.tolist() == query_mask.tolist()


def test_sliding_window_matches_keras3():
    layer = keras.layers.GroupQueryAttention(2, 4, 1, sliding_window=2, use_bias=False)
    layer(Q, V)
    _set_weights(layer)
    out, scores = layer(Q, V, return_attention_scores=True)
    np.testing.assert_allclose(
        _np(out).ravel()[:6], [-1.55102, 0.57754, -0.50881, -0.19347, -0.70972, -0.29006], atol=2e-5
    )
    np.testing.assert_allclose(
        _np(scores)[0, 0],
        [[0.4849, 0.5151, 0.0, 0.0], [0.2637, 0.291, 0.4453, 0.0], [0.0, 0.8088, 0.1395, 0.0516]],
        atol=1e-4,
    )
    _, scores = layer(Q, V, use_causal_mask=True, return_attention_scores=True)
    np.testing.assert_allclose(
        _np(scores)[0, 1],
        [[1.0, 0.0, 0.0, 0.0], [0.488, 0.512, 0.0, 0.0], [0.0, 0.2217, 0.7783, 0.0]],
        atol=1e-4,
    )


def test_config_functional_fit_and_keras_file(tmp_path):
    layer = keras.layers.GroupQueryAttention(2, 4, 1, sliding_window=2, use_bias=False)
    config = layer.get_config()
    assert list(config)[3:] == [
        "head_dim",
        "num_query_heads",
        "num_key_value_heads",
        "use_bias",
        "use_gate",
        "sliding_window",
        "dropout",
        "kernel_initializer",
        "bias_initializer",
        "kernel_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "bias_constraint",
        "seed",
    ]
    assert GroupedQueryAttention.from_config(config).get_config() == config
    query, value = keras.Input((3, 5)), keras.Input((4, 5))
    gqa = keras.layers.GroupQueryAttention(2, 4, 2, use_gate=True, dropout=0.1, seed=3)
    model = keras.Model([query, value], gqa(query, value))
    assert model.output_shape == (None, 3, 5) and model.count_params() == 141 + 48
    assert gqa.get_build_config() == {
        "shapes_dict": {"query_shape": (None, 3, 5), "value_shape": (None, 4, 5)}
    }
    model.compile("adam", "mse")
    x = [RNG.random((8, 3, 5)).astype("float32"), RNG.random((8, 4, 5)).astype("float32")]
    before = [w.copy() for w in model.get_weights()]
    history = model.fit(x, np.zeros((8, 3, 5)), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert all(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    model.save(tmp_path / "gqa.keras")
    loaded = keras.models.load_model(tmp_path / "gqa.keras")
    assert type(loaded.layers[-1]) is GroupedQueryAttention
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_errors():
    with pytest.raises(ValueError) as info:
        keras.layers.GroupQueryAttention(2, 3, 2)
    assert str(info.value) == "`num_query_heads` must be divisible by `num_key_value_heads`."
    with pytest.raises(ValueError) as info:
        keras.layers.GroupQueryAttention(2, 4, 2, sliding_window=0)
    assert str(info.value) == (
        "`sliding_window` must be `None` or a positive integer. Received: sliding_window=0"
    )
    with pytest.raises(ValueError, match="Dropout is not supported when flash attention"):
        keras.layers.GroupQueryAttention(2, 4, 2, dropout=0.1, flash_attention=True)
    with pytest.raises(ValueError, match="Returning attention scores is not supported"):
        keras.layers.GroupQueryAttention(2, 4, 2, flash_attention=True)(
            Q, V, return_attention_scores=True
        )
    with pytest.raises(ValueError, match="The last dimension of `query_shape` and `value_shape`"):
        keras.layers.GroupQueryAttention(2, 4, 2)(keras.Input((3, 5)), keras.Input((4, 6)))
    with pytest.raises(ValueError, match=r"must have shape \(batch, sequence, features\)"):
        keras.layers.GroupQueryAttention(2, 4, 2)(torch.ones(2, 5), torch.ones(2, 5))
