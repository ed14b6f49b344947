"""Keras 2 `MultiHeadAttention` subclasses (tf-models' TalkingHeadsAttention, CachedAttention).

tf-models' attention layers subclass tf.keras 2's MultiHeadAttention and reach into its
private protocol: `_build_from_signature`, `_build_attention` (extra weights),
`_compute_attention`, `_masked_softmax`, `_dot_product_equation`/`_combine_equation`,
`_dropout_layer`, `_query_dense`..., `_num_heads`, `_key_dim`. Before, tork raised
AttributeError (`_built_from_signature`, `_num_heads`) or ignored the overridden hooks.

Reference numbers: tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the same two classes
with the same weights (np.random.RandomState(7).uniform(-1, 1) rounded to 2 decimals).
"""

import math

import numpy as np
import pytest

import tork as tf
from tork import keras
from tork.keras.layers.attention._keras2_protocol import attention_equations


class TalkingHeads(keras.layers.MultiHeadAttention):
    """Talking-heads attention, reduced: mixes heads before and after the softmax."""

    def _build_attention(self, qkv_rank):
        super()._build_attention(qkv_rank)
        n = self._num_heads
        self._pre = self.add_weight("pre_softmax_weight", shape=(n, n), initializer="ones")
        self._post = self.add_weight("post_softmax_weight", shape=(n, n), initializer="ones")

    def _compute_attention(self, query, key, value, attention_mask=None, training=None):
        scores = tf.einsum(self._dot_product_equation, key, query)
        scores = tf.multiply(scores, 1.0 / math.sqrt(float(self._key_dim)))
        scores = tf.einsum("abcd,be->aecd", scores, self._pre)
        scores = self._masked_softmax(scores, attention_mask)
        scores = tf.einsum("abcd,be->aecd", scores, self._post)
        scores = self._dropout_layer(scores, training=training)
        return tf.einsum(self._combine_equation, scores, value), scores


class Cached(keras.layers.MultiHeadAttention):
    """CachedAttention, reduced: its own call over the Keras 2 internals."""

    def call(self, query, value, key=None, attention_mask=None, cache=None, training=None):
        if not self._built_from_signature:
            self._build_from_signature(query=query, value=value, key=key)
        if key is None:
            key = value
        query = self._query_dense(query)
        key = self._key_dense(key)
        value = self._value_dense(value)
        if cache is not None:
            key = tf.concat([cache["key"], key], axis=1)
            value = tf.concat([cache["value"], value], axis=1)
        query = tf.multiply(query, 1.0 / math.sqrt(float(self._key_dim)))
        scores = tf.einsum(self._dot_product_equation, key, query)
        scores = self._masked_softmax(scores, attention_mask)
        scores = self._dropout_layer(scores, training=training)
        out = tf.einsum(self._combine_equation, scores, value)
        return self._output_dense(out), {"key": key, "value": value}


X = np.array([[[0.5, -1.0, 2.0, 0.0], [1.5, 0.25, -0.5, 1.0], [-1.0, 0.5, 0.0, 2.0]]], "float32")
MASK = np.array([[[1, 1, 0], [1, 1, 1], [1, 0, 1]]], "float32")

# tf_keras 2.21, TalkingHeads above.
TH_OUT = [
    [1.773479, 0.570952, 0.183079, 0.275942],
    [1.194391, -0.011637, 0.520866, -0.233431],
    [3.83319, 0.441769, 1.715412, -1.700166],
]
TH_OUT_NO_MASK = [
    [1.3208, 0.188549, 0.329216, -0.054913],
    [1.194391, -0.011637, 0.520866, -0.233431],
    [2.662343, 0.181046, 1.299813, -1.128439],
]
TH_SCORES = [
    [[0.425518, 0.534482, 0.0], [0.255832, 0.287884, 0.416284], [0.113789, 0.0, 0.84621]],
    [[-0.682295, -0.097705, 0.0], [-0.141611, -0.429825, -0.208564], [-0.689756, 0.0, -0.090244]],
]
TH_WEIGHTS = [
    "th/pre_softmax_weight:0",
    "th/post_softmax_weight:0",
    "th/query/kernel:0",
    "th/query/bias:0",
    "th/key/kernel:0",
    "th/key/bias:0",
    "th/value/kernel:0",
    "th/value/bias:0",
    "th/attention_output/kernel:0",
    "th/attention_output/bias:0",
]


def _weights_for(layer):
    r = np.random.RandomState(7)
    return [np.round(r.uniform(-1, 1, tuple(w.shape)), 2).astype("float32") for w in layer.weights]


def test_talking_heads_hooks_match_tf_keras():
    layer = TalkingHeads(num_heads=2, key_dim=2, name="th")
    layer(tf.constant(X), tf.constant(X))
    # tf_keras: the layer's own weights (from _build_attention) first, then the projections.
    assert [w.name for w in layer.weights] == TH_WEIGHTS
    layer.set_weights(_weights_for(layer))
    out, scores = layer(
        tf.constant(X),
        tf.constant(X),
        attention_mask=tf.constant(MASK),
        return_attention_scores=True,
    )
    np.testing.assert_allclose(out.numpy()[0], TH_OUT, atol=1e-5)
    np.testing.assert_allclose(scores.numpy()[0], TH_SCORES, atol=1e-5)


def test_talking_heads_in_a_functional_model_trains_and_reloads(tmp_path):
    inp = keras.Input((3, 4))
    out = TalkingHeads(num_heads=2, key_dim=2, name="th")(inp, inp)
    model = keras.Model(inp, out)
    assert len(model.weights) == 10
    layer = model.get_layer("th")
    layer.set_weights(_weights_for(layer))
    np.testing.assert_allclose(model(tf.constant(X)).numpy()[0], TH_OUT_NO_MASK, atol=1e-5)
    model.compile(optimizer="sgd", loss="mse")
    before = layer._pre.numpy().copy()
    model.fit(X, np.zeros_like(X), epochs=1, verbose=0)
    assert not np.allclose(layer._pre.numpy(), before)  # the hook's extra weight trains
    path = str(tmp_path / "th.h5")
    model.save(path)
    loaded = keras.models.load_model(path, custom_objects={"TalkingHeads": TalkingHeads})
    np.testing.assert_allclose(
        loaded(tf.constant(X)).numpy(), model(tf.constant(X)).numpy(), atol=1e-6
    )


def test_cached_attention_call_over_private_protocol():
    layer = Cached(num_heads=2, key_dim=2, name="cached")
    assert layer._built_from_signature is False
    layer(tf.constant(X), tf.constant(X))
    assert layer._built_from_signature is True
    layer.set_weights(_weights_for(layer))
    _, cache = layer(tf.constant(X[:, :2]), tf.constant(X[:, :2]))
    out, cache = layer(tf.constant(X[:, 2:]), tf.constant(X[:, 2:]), cache=cache)
    # tf_keras 2.21
    np.testing.assert_allclose(
        out.numpy(), [[[-0.515102, -0.878932, 0.367454, 0.680752]]], atol=1e-5
    )
    assert tuple(cache["key"].shape) == (1, 3, 2, 2)


def test_private_attribute_names():
    layer = Cached(num_heads=2, key_dim=3, value_dim=5, dropout=0.25, use_bias=False)
    assert (layer._num_heads, layer._key_dim, layer._value_dim) == (2, 3, 5)
    assert (layer._dropout, layer._use_bias) == (0.25, False)
    assert type(layer._kernel_initializer).__name__ == "GlorotUniform"
    assert layer._activity_regularizer is None
    assert layer._kernel_regularizer is None and layer._bias_constraint is None


def test_build_from_signature_accepts_shapes_and_sets_equations():
    layer = Cached(num_heads=2, key_dim=2)
    layer._build_from_signature(tf.TensorShape([None, 3, 4]), tf.TensorShape([None, 5, 6]))
    assert layer._built_from_signature
    assert tuple(layer._key_dense.kernel.shape) == (6, 2, 2)
    assert layer._query_shape.as_list() == [None, 3, 4]
    # tf_keras 2.21 sets these for a rank-3 query.
    assert layer._dot_product_equation == "aecd,abcd->acbe"
    assert layer._combine_equation == "acbe,aecd->abcd"
    assert layer._attention_axes == (1,)


def test_attention_equations_for_two_attention_axes():
    # tf_keras 2.21: MultiHeadAttention(attention_axes=(1, 2)) on a rank-4 query.
    assert attention_equations(5, (1, 2)) == ("afgde,abcde->adbcfg", "adbcfg,afgde->abcde", 6)


def test_plain_layer_keeps_the_fused_path():
    assert keras.layers.MultiHeadAttention._tork_keras2_hooks is False

    class OnlyConfig(keras.layers.MultiHeadAttention):
        def get_config(self):
            return super().get_config()

    assert OnlyConfig._tork_keras2_hooks is False
    assert TalkingHeads._tork_keras2_hooks and Cached._tork_keras2_hooks


@pytest.mark.parametrize("hook", ["_masked_softmax", "_compute_attention_mask"])
def test_overriding_any_hook_selects_the_hook_path(hook):
    calls = []

    def spy(self, *args, **kwargs):
        calls.append(hook)
        return getattr(keras.layers.MultiHeadAttention, hook)(self, *args, **kwargs)

    cls = type("Spy", (keras.layers.MultiHeadAttention,), {hook: spy})
    layer = cls(num_heads=2, key_dim=2)
    plain = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
    y = layer(tf.constant(X), tf.constant(X), attention_mask=tf.constant(MASK))
    plain(tf.constant(X), tf.constant(X))
    plain.set_weights(layer.get_weights())
    assert calls
    np.testing.assert_allclose(
        y.numpy(),
        plain(tf.constant(X), tf.constant(X), attention_mask=tf.constant(MASK)).numpy(),
        atol=1e-5,
    )


# Keras 2's positional order: mha(query, value, key, attention_mask, return_attention_scores)
# (tf-models' MobileBertTransformer). Keras 3 reads the fourth argument as query_mask; tork
# raised "query_mask must have shape (2, 8) ..., got (2, 8, 8)".
CAUSAL = np.array([[[1, 0, 0], [1, 1, 0], [1, 1, 1]]], "float32")
# tf_keras 2.21, the same weights as above.
POSITIONAL_OUT = [
    [-2.0966, -1.4392, 1.8566, 1.07705],
    [-1.370209, -0.94501, 0.921935, 0.28392],
    [-0.515102, -0.878932, 0.367454, 0.680752],
]
POSITIONAL_SCORES_HEAD0 = [
    [1.0, 0.0, 0.0],
    [0.534478, 0.465521, 0.0],
    [0.017819, 0.015753, 0.966427],
]


def _plain_mha():
    layer = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2)
    layer(tf.constant(X), tf.constant(X))
    layer.set_weights(_weights_for(layer))
    return layer


def test_keras2_positional_attention_mask_and_scores_flag():
    layer = _plain_mha()
    x = tf.constant(X)
    out, scores = layer(x, x, x, tf.constant(CAUSAL), True)
    np.testing.assert_allclose(out.numpy()[0], POSITIONAL_OUT, atol=1e-5)
    np.testing.assert_allclose(scores.numpy()[0, 0], POSITIONAL_SCORES_HEAD0, atol=1e-5)


def test_keras3_positional_query_mask_still_works():
    layer = _plain_mha()
    x = tf.constant(X)
    query_mask = tf.constant([[True, True, False]])
    np.testing.assert_allclose(
        layer(x, x, x, query_mask).numpy(), layer(x, x, query_mask=query_mask).numpy()
    )


def test_positional_and_keyword_attention_mask_together_is_an_error():
    layer = _plain_mha()
    x = tf.constant(X)
    with pytest.raises(TypeError, match="multiple values for argument 'attention_mask'"):
        layer(x, x, x, tf.constant(CAUSAL), attention_mask=tf.constant(CAUSAL))


class _Parent(keras.layers.Layer):
    def __init__(self, att_cls, **kwargs):
        super().__init__(**kwargs)
        self.att = att_cls(num_heads=2, key_dim=2, name="att")

    def call(self, x):
        out = self.att(x, x)
        return out[0] if isinstance(out, tuple) else out


@pytest.mark.parametrize(
    "att_cls, first",
    [
        (Cached, ["parent/att/query/kernel:0", "parent/att/query/bias:0"]),
        (TalkingHeads, ["parent/att/pre_softmax_weight:0", "parent/att/post_softmax_weight:0"]),
    ],
)
def test_weights_built_in_a_call_take_the_callers_scope(att_cls, first):
    # tf_keras 2.21 names (Keras 2 builds inside the calling layers' name scopes).
    parent = _Parent(att_cls, name="parent")
    parent(tf.zeros((1, 3, 4)))
    assert [w.name for w in parent.weights][:2] == first


def test_too_many_positional_arguments_is_an_error():
    layer = _plain_mha()
    x = tf.constant(X)
    with pytest.raises(TypeError, match="too many positional arguments \\(8\\)"):
        layer(x, x, x, tf.constant(CAUSAL), True, False, False, None)


def test_keras3_masks_on_a_keras2_hook_subclass_are_refused():
    layer = TalkingHeads(num_heads=2, key_dim=2, name="th")
    x = tf.constant(X)
    with pytest.raises(ValueError, match="query_mask/value_mask/key_mask are Keras 3 arguments"):
        layer(x, x, query_mask=tf.constant([[True, True, False]]))
