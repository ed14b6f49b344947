"""Tests for keras.layers.MultiHeadAttention against an explicit NumPy attention."""

import math

import numpy as np
import pytest
import torch

from tork import keras
from tork.keras.layers.attention.multi_head_attention import MultiHeadAttention

RNG = np.random.default_rng(0)


def _np(t):
    return t.detach().cpu().numpy()


def _softmax(x):
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def _reference(layer, query, value, key=None, mask=None):
    """softmax(Q K^T / sqrt(kd)) V with the layer's own weights, in float64 NumPy.

    `mask` is a boolean (B, T, S) array, True = attend; masked scores become -1e9.
    """
    key = value if key is None else key
    wq, bq, wk, bk, wv, bv, wo, bo = [w.astype(np.float64) for w in layer.get_weights()]
    q = np.einsum("btd,dhk->bthk", query, wq) + bq
    k = np.einsum("bsd,dhk->bshk", key, wk) + bk
    v = np.einsum("bsd,dhv->bshv", value, wv) + bv
    scores = np.einsum("bthk,bshk->bhts", q / math.sqrt(wq.shape[-1]), k)
    if mask is not None:
        scores = np.where(mask[:, None], scores, -1e9)
    probs = _softmax(scores)
    heads = np.einsum("bhts,bshv->bthv", probs, v)
    out = np.tensordot(heads, wo, axes=([2, 3], [0, 1])) + bo
    return out, probs


def _data(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("scores", [False, True])
def test_self_attention_matches_numpy(scores):
    layer = MultiHeadAttention(num_heads=2, key_dim=3)
    x = _data(4, 5, 6)
    result = layer(torch.tensor(x), torch.tensor(x), return_attention_scores=scores)
    ref_out, ref_probs = _reference(layer, x.astype(np.float64), x.astype(np.float64))
    out = result[0] if scores else result
    assert tuple(out.shape) == (4, 5, 6)
    np.testing.assert_allclose(_np(out), ref_out, rtol=1e-4, atol=1e-5)
    if scores:
        assert tuple(result[1].shape) == (4, 2, 5, 5)
        np.testing.assert_allclose(_np(result[1]), ref_probs, rtol=1e-4, atol=1e-6)


def test_cross_attention_value_dim_key_and_output_shape():
    layer = MultiHeadAttention(num_heads=3, key_dim=4, value_dim=5, output_shape=7)
    q, v, k = _data(2, 4, 6), _data(2, 9, 8), _data(2, 9, 3)
    out, probs = layer(q, torch.tensor(v), key=torch.tensor(k), return_attention_scores=True)
    shapes = [tuple(w.shape) for w in layer.weights]
    assert shapes == [(6, 3, 4), (3, 4), (3, 3, 4), (3, 4), (8, 3, 5), (3, 5), (3, 5, 7), (7,)]
    ref_out, ref_probs = _reference(layer, q, v, k)
    np.testing.assert_allclose(_np(out), ref_out, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(probs), ref_probs, rtol=1e-4, atol=1e-6)
    # The fused (SDPA) path gives the same numbers.
    np.testing.assert_allclose(_np(layer(q, v, key=k)), ref_out, rtol=1e-4, atol=1e-5)


def test_output_shape_tuple():
    layer = MultiHeadAttention(num_heads=2, key_dim=2, output_shape=(3, 4))
    out = layer(_data(2, 5, 6), _data(2, 7, 6))
    assert tuple(out.shape) == (2, 5, 3, 4)
    assert tuple(layer.weights[-2].shape) == (2, 2, 3, 4)
    assert tuple(layer.weights[-1].shape) == (3, 4)
    assert layer.compute_output_shape((None, 5, 6), (None, 7, 6)) == (None, 5, 3, 4)


def test_no_bias():
    layer = MultiHeadAttention(num_heads=2, key_dim=2, use_bias=False)
    layer(_data(2, 3, 4), _data(2, 3, 4))
    assert [w.path.split("/", 1)[1] for w in layer.weights] == [
        "query/kernel",
        "key/kernel",
        "value/kernel",
        "attention_output/kernel",
    ]


def test_weight_names_follow_keras():
    layer = MultiHeadAttention(num_heads=2, key_dim=2, name="mha")
    layer(_data(1, 3, 4), _data(1, 3, 4))
    assert [w.path for w in layer.weights] == [
        "mha/query/kernel",
        "mha/query/bias",
        "mha/key/kernel",
        "mha/key/bias",
        "mha/value/kernel",
        "mha/value/bias",
        "mha/attention_output/kernel",
        "mha/attention_output/bias",
    ]


def _masks(b, t, s):
    attention = RNG.random((b, t, s)) > 0.4
    attention[0, 1, :] = False  # a fully masked row
    query_mask = np.ones((b, t), dtype=bool)
    query_mask[1, -1] = False
    value_mask = np.ones((b, s), dtype=bool)
    value_mask[0, -2:] = False
    return attention, query_mask, value_mask


@pytest.mark.parametrize("scores", [False, True])
def test_masks_match_numpy(scores):
    b, t, s = 3, 4, 6
    layer = MultiHeadAttention(num_heads=2, key_dim=3)
    q, v = _data(b, t, 5), _data(b, s, 5)
    attention, query_mask, value_mask = _masks(b, t, s)
    result = layer(
        q,
        v,
        attention_mask=torch.tensor(attention),
        query_mask=torch.tensor(query_mask),
        value_mask=torch.tensor(value_mask),
        return_attention_scores=scores,
    )
    combined = attention & query_mask[:, :, None] & value_mask[:, None, :]
    ref_out, ref_probs = _reference(layer, q, v, mask=combined)
    out = result[0] if scores else result
    np.testing.assert_allclose(_np(out), ref_out, rtol=1e-4, atol=1e-5)
    if scores:
        np.testing.assert_allclose(_np(result[1]), ref_probs, rtol=1e-4, atol=1e-6)
        # A fully masked row attends uniformly (Keras: where(mask, s, -1e9)).
        np.testing.assert_allclose(_np(result[1])[0, :, 1, :], 1.0 / s, rtol=1e-6)


def test_keras_masks_from_tensors_and_output_mask():
    b, t, s = 2, 4, 5
    layer = MultiHeadAttention(num_heads=2, key_dim=2)
    q, v = torch.tensor(_data(b, t, 3)), torch.tensor(_data(b, s, 3))
    q_mask = torch.tensor([[True, True, True, False], [True, True, False, False]])
    v_mask = torch.tensor([[True, True, True, True, False], [True, False, True, True, True]])
    q._keras_mask = q_mask
    v._keras_mask = v_mask
    out, probs = layer(q, v, return_attention_scores=True)
    combined = _np(q_mask)[:, :, None] & _np(v_mask)[:, None, :]
    ref_out, ref_probs = _reference(layer, _np(q), _np(v), mask=combined)
    np.testing.assert_allclose(_np(out), ref_out, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(probs), ref_probs, rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(_np(out._keras_mask), _np(q_mask))
    fused = layer(q, v)
    np.testing.assert_allclose(_np(fused), ref_out, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(_np(fused._keras_mask), _np(q_mask))


@pytest.mark.parametrize("t, s", [(5, 5), (3, 6), (6, 3)])
def test_causal_mask(t, s):
    layer = MultiHeadAttention(num_heads=2, key_dim=4)
    q, v = _data(2, t, 4), _data(2, s, 4)
    out, probs = layer(q, v, use_causal_mask=True, return_attention_scores=True)
    tril = np.tril(np.ones((t, s), dtype=bool))[None]
    ref_out, ref_probs = _reference(layer, q, v, mask=np.broadcast_to(tril, (2, t, s)))
    np.testing.assert_allclose(_np(out), ref_out, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(probs), ref_probs, rtol=1e-4, atol=1e-6)
    assert np.all(_np(probs)[:, :, ~tril[0]] < 1e-12)
    # SDPA's is_causal path gives the same numbers.
    np.testing.assert_allclose(
        _np(layer(q, v, use_causal_mask=True)), ref_out, rtol=1e-4, atol=1e-5
    )


def test_causal_mask_and_with_value_mask():
    layer = MultiHeadAttention(num_heads=1, key_dim=4)
    q = _data(2, 4, 4)
    v_mask = np.array([[True, True, False, True], [False, True, True, True]])
    out = layer(q, q, value_mask=torch.tensor(v_mask), use_causal_mask=True)
    combined = np.tril(np.ones((4, 4), dtype=bool))[None] & v_mask[:, None, :]
    ref_out, _ = _reference(layer, q, q, mask=combined)
    np.testing.assert_allclose(_np(out), ref_out, rtol=1e-4, atol=1e-5)


def test_fused_path_gradients_are_finite_with_fully_masked_rows():
    layer = MultiHeadAttention(num_heads=2, key_dim=2)
    q = torch.tensor(_data(2, 3, 4), requires_grad=True)
    mask = torch.ones(2, 3, 3, dtype=torch.bool)
    mask[0, 0] = False
    layer(q, q, attention_mask=mask).sum().backward()
    assert torch.isfinite(q.grad).all()
    assert all(torch.isfinite(w.grad).all() for w in layer.trainable_weights)


def test_rank4_inputs_attend_over_both_axes():
    layer = MultiHeadAttention(num_heads=2, key_dim=2)
    q, v = _data(2, 3, 2, 4), _data(2, 2, 3, 4)
    out, probs = layer(q, v, return_attention_scores=True)
    assert tuple(out.shape) == (2, 3, 2, 4)
    assert tuple(probs.shape) == (2, 2, 3, 2, 2, 3)
    # Same as attention over the flattened sequence axes.
    ref_out, ref_probs = _reference(layer, q.reshape(2, 6, 4), v.reshape(2, 6, 4))
    np.testing.assert_allclose(_np(out).reshape(2, 6, 4), ref_out, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(probs).reshape(2, 2, 6, 6), ref_probs, rtol=1e-4, atol=1e-6)


def test_attention_axes_on_inner_axis():
    # Rank 4 (B, N, T, d) with attention over axis 2: N is an extra batch axis.
    layer = MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=(2,))
    q, v = _data(2, 3, 4, 5), _data(2, 3, 6, 5)
    out, probs = layer(q, v, return_attention_scores=True)
    assert tuple(out.shape) == (2, 3, 4, 5)
    assert tuple(probs.shape) == (2, 3, 2, 4, 6)
    ref_out, ref_probs = _reference(layer, q.reshape(6, 4, 5), v.reshape(6, 6, 5))
    np.testing.assert_allclose(_np(out).reshape(6, 4, 5), ref_out, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(probs).reshape(6, 2, 4, 6), ref_probs, rtol=1e-4, atol=1e-6)


def test_attention_axes_on_outer_axis():
    # Rank 4 (B, T, N, d) with attention over axis 1: axis 2 is a batch axis.
    layer = MultiHeadAttention(num_heads=1, key_dim=3, attention_axes=1)
    q = _data(2, 4, 3, 5)
    out, probs = layer(q, q, return_attention_scores=True)
    assert tuple(probs.shape) == (2, 3, 1, 4, 4)
    moved = np.moveaxis(q, 2, 1).reshape(6, 4, 5)
    ref_out, _ = _reference(layer, moved, moved)
    got = np.moveaxis(_np(out), 2, 1).reshape(6, 4, 5)
    np.testing.assert_allclose(got, ref_out, rtol=1e-4, atol=1e-5)


def test_dropout_only_in_training_and_scores_are_pre_dropout():
    layer = MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.5, seed=3)
    x = _data(2, 6, 4)
    inference = _np(layer(x, x))
    ref_out, _ = _reference(layer, x, x)
    np.testing.assert_allclose(inference, ref_out, rtol=1e-4, atol=1e-5)
    out, probs = layer(x, x, return_attention_scores=True, training=True)
    np.testing.assert_allclose(_np(probs).sum(-1), 1.0, rtol=1e-5)
    assert not np.allclose(_np(out), inference, atol=1e-3)
    # Unseeded dropout in training runs on SDPA's dropout and changes the output.
    unseeded = MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.5)
    a = unseeded(x, x, training=True)
    assert torch.isfinite(a).all()
    assert not np.allclose(_np(a), _np(unseeded(x, x)), atol=1e-3)


def test_seeded_dropout_is_reproducible():
    x = _data(2, 6, 4)
    outs = []
    for _ in range(2):
        torch.manual_seed(0)
        layer = MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.5, seed=11)
        outs.append(_np(layer(x, x, training=True)))
    np.testing.assert_array_equal(outs[0], outs[1])


def test_kernel_fans_follow_keras3():
    # d=64, H=8, kd=16: Keras 3 glorot limit sqrt(6 / (64 + 128)) = 0.177 (Keras 2: 0.0625).
    layer = MultiHeadAttention(num_heads=8, key_dim=16)
    layer(_data(1, 2, 64), _data(1, 2, 64))
    limit = math.sqrt(6.0 / (64 + 128))
    for w in layer.get_weights()[0::2]:
        assert np.abs(w).max() <= limit + 1e-6
        assert np.abs(w).max() > 0.95 * limit
        assert abs(w.std() - limit / math.sqrt(3)) < 0.01
    assert all(np.all(b == 0) for b in layer.get_weights()[1::2])
    # Each sublayer gets its own initializer instance: different values.
    assert not np.allclose(layer.get_weights()[0], layer.get_weights()[2])


def test_explicit_build():
    layer = MultiHeadAttention(num_heads=2, key_dim=3)
    layer.build((None, 4, 6), (None, 5, 7))
    assert layer.built
    assert [tuple(w.shape) for w in layer.weights][::2] == [
        (6, 2, 3),
        (7, 2, 3),
        (7, 2, 3),
        (2, 3, 6),
    ]
    assert layer.weights[0].path == f"{layer.name}/query/kernel"
    # Keras 3's form: `key_shape` only when a key was given.
    assert layer.get_build_config() == {
        "shapes_dict": {"query_shape": (None, 4, 6), "value_shape": (None, 5, 7)}
    }


def test_build_config_records_an_explicit_key():
    query, value, key = np.ones((2, 4, 6)), np.ones((2, 5, 7)), np.ones((2, 5, 3))
    layer = MultiHeadAttention(num_heads=2, key_dim=3)
    layer(query, value, key)
    assert layer.get_build_config() == {
        "shapes_dict": {
            "query_shape": (2, 4, 6),
            "value_shape": (2, 5, 7),
            "key_shape": (2, 5, 3),
        }
    }
    implicit = MultiHeadAttention(num_heads=2, key_dim=3)
    implicit(query, value)
    assert "key_shape" not in implicit.get_build_config()["shapes_dict"]


@pytest.mark.parametrize(
    "config",
    [
        # Keras 3 (and tork now).
        {
            "shapes_dict": {
                "query_shape": [None, 4, 6],
                "value_shape": [None, 5, 7],
                "key_shape": [None, 5, 3],
            }
        },
        # What tork wrote before it used Keras's form.
        {"query_shape": [None, 4, 6], "value_shape": [None, 5, 7], "key_shape": [None, 5, 3]},
    ],
)
def test_build_from_config_reads_both_forms(config):
    layer = MultiHeadAttention(num_heads=2, key_dim=3)
    layer.build_from_config(config)
    assert layer.built
    assert [tuple(w.shape) for w in layer.weights][::2] == [
        (6, 2, 3),
        (3, 2, 3),
        (7, 2, 3),
        (2, 3, 6),
    ]


def test_config_round_trip():
    layer = MultiHeadAttention(
        num_heads=4,
        key_dim=8,
        value_dim=6,
        dropout=0.1,
        use_bias=False,
        output_shape=(5,),
        attention_axes=(1,),
        kernel_initializer="he_normal",
        seed=2,
        name="att",
    )
    config = layer.get_config()
    assert config["num_heads"] == 4 and config["key_dim"] == 8 and config["value_dim"] == 6
    assert config["kernel_initializer"]["class_name"] == "HeNormal"
    clone = MultiHeadAttention.from_config(config)
    assert clone.get_config() == config
    out = clone(_data(2, 3, 4), _data(2, 5, 4))
    assert tuple(out.shape) == (2, 3, 5)


def test_functional_model_and_fit():
    torch.manual_seed(0)
    inputs = keras.Input(shape=(6, 4))
    mha = MultiHeadAttention(num_heads=2, key_dim=4, name="mha")
    x, scores = mha(inputs, inputs, return_attention_scores=True)
    assert x.shape == (None, 6, 4)
    assert scores.shape == (None, 2, 6, 6)
    pooled = keras.layers.Flatten()(x)
    outputs = keras.layers.Dense(1)(pooled)
    model = keras.Model(inputs, outputs)
    assert [w.path for w in model.weights][:2] == [
        "mha/query/kernel",
        "mha/query/bias",
    ]
    data = RNG.standard_normal((64, 6, 4)).astype(np.float32)
    target = data[:, :, 0].mean(axis=1, keepdims=True)
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(data, target, epochs=6, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.5 * losses[0]
    # Inference through the model matches calling the layers by hand.
    direct = model.layers[-1](model.layers[-2](mha(torch.tensor(data[:4]), torch.tensor(data[:4]))))
    np.testing.assert_allclose(_np(model(data[:4])), _np(direct), rtol=1e-5, atol=1e-6)


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match=r"num_heads=...\) must be a positive integer"):
        MultiHeadAttention(num_heads=0, key_dim=2)
    with pytest.raises(ValueError, match=r"dropout=...\) must be a rate"):
        MultiHeadAttention(num_heads=1, key_dim=2, dropout=1.5)
    with pytest.raises(NotImplementedError, match="sliding_window"):
        MultiHeadAttention(num_heads=1, key_dim=2, sliding_window=4)
    layer = MultiHeadAttention(num_heads=1, key_dim=2)
    with pytest.raises(ValueError, match=r"query must have rank >= 3.*\(2, 4\)"):
        layer(_data(2, 4), _data(2, 4))
    layer = MultiHeadAttention(num_heads=1, key_dim=2)
    layer(_data(2, 3, 4), _data(2, 3, 4))
    with pytest.raises(
        ValueError, match=r"value has last dimension 5, but the layer was built for 4"
    ):
        layer(_data(2, 3, 4), _data(2, 3, 5))
    with pytest.raises(ValueError, match=r"attention_mask must have shape \(2, 3, 3\)"):
        layer(_data(2, 3, 4), _data(2, 3, 4), attention_mask=torch.ones(2, 4, 3, dtype=torch.bool))
    with pytest.raises(ValueError, match=r"key and value must have the same shape"):
        layer(_data(2, 3, 4), _data(2, 3, 4), key=_data(2, 5, 4))
    bad_axes = MultiHeadAttention(num_heads=1, key_dim=2, attention_axes=(3,))
    with pytest.raises(ValueError, match=r"attention_axes=\(3,\) is invalid for inputs of rank 3"):
        bad_axes(_data(2, 3, 4), _data(2, 3, 4))


def test_padding_mask_from_embedding_flows_into_attention():
    from tork.keras.layers.core.embedding import Embedding

    tokens = torch.tensor([[1, 2, 0], [3, 0, 0]])
    x = Embedding(10, 4, mask_zero=True)(tokens)
    layer = MultiHeadAttention(num_heads=2, key_dim=2)
    out, probs = layer(x, x, return_attention_scores=True)
    keep = _np(tokens) != 0
    ref_out, ref_probs = _reference(layer, _np(x), _np(x), mask=keep[:, :, None] & keep[:, None, :])
    np.testing.assert_allclose(_np(out), ref_out, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(_np(probs), ref_probs, rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(_np(out._keras_mask), keep)


def test_building_uses_up_the_softmax_and_dropout_auto_names():
    # Keras builds Softmax and Dropout sublayers inside MultiHeadAttention, so in TF 2.21 the
    # keras.io Transformer's Dropout layers after an MHA are named dropout_1, dropout_2...
    keras.backend.clear_session()
    layer = MultiHeadAttention(num_heads=2, key_dim=4)
    x = torch.zeros((1, 3, 5))
    assert keras.layers.Dropout(0.1).name == "dropout"  # unbuilt: no name taken yet
    layer(x, x)
    assert keras.layers.Dropout(0.1).name == "dropout_2"
    assert keras.layers.Softmax().name == "softmax_1"
    layer(x, x)  # building happens once
    assert keras.layers.Dropout(0.1).name == "dropout_3"
    keras.backend.clear_session()


def test_from_keras2_config_with_build_shapes_and_robust_masking():
    # A tf_keras 2.21 config (model.to_json()) of MultiHeadAttention(2, 3) called on
    # Input((4, 5)) and Input((6, 5)): it records the build shapes and softmax_robust_masking.
    config = {
        "name": "mha",
        "trainable": True,
        "dtype": "float32",
        "num_heads": 2,
        "key_dim": 3,
        "value_dim": 3,
        "dropout": 0.0,
        "use_bias": True,
        "output_shape": None,
        "attention_axes": [1],
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": None,
        "bias_regularizer": None,
        "activity_regularizer": None,
        "kernel_constraint": None,
        "bias_constraint": None,
        "query_shape": [None, 4, 5],
        "key_shape": [None, 6, 5],
        "value_shape": [None, 6, 5],
        "softmax_robust_masking": False,
    }
    layer = MultiHeadAttention.from_config(config)
    # Built from the recorded shapes, so saved weights can be set before any call.
    assert layer.built
    assert [tuple(w.shape) for w in layer.get_weights()] == [
        (5, 2, 3), (2, 3), (5, 2, 3), (2, 3), (5, 2, 3), (2, 3), (2, 3, 5), (5,)
    ]  # fmt: skip
    assert "query_shape" not in layer.get_config()
    assert "softmax_robust_masking" not in layer.get_config()
    # Before the first call Keras 2 records None shapes: the layer stays unbuilt.
    unbuilt = MultiHeadAttention.from_config(
        dict(config, query_shape=None, key_shape=None, value_shape=None)
    )
    assert not unbuilt.built
    # Robust masking (masked scores set to -1e9) is what tork computes anyway.
    robust = MultiHeadAttention(num_heads=2, key_dim=3, softmax_robust_masking=True)
    assert robust.get_config()["softmax_robust_masking"] is True
    query, value = _data(2, 4, 5), _data(2, 6, 5)
    mask = RNG.random((2, 4, 6)) > 0.4
    out = robust(torch.tensor(query), torch.tensor(value), attention_mask=torch.tensor(mask))
    ref_out, _ = _reference(robust, query.astype(np.float64), value.astype(np.float64), mask=mask)
    np.testing.assert_allclose(_np(out), ref_out, rtol=1e-4, atol=1e-5)
