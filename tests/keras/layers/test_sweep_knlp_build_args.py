"""Keras 3's multi-argument `build(self, a_shape, b_shape)` on the first call (KerasHub sweep).

KerasHub's TransformerDecoder builds with `build(decoder_sequence_shape,
encoder_sequence_shape=None)` and its CachedMultiHeadAttention overrides `call` on top of
`MultiHeadAttention.build(query_shape, value_shape, key_shape)`: Keras 3 passes each
`<arg>_shape` parameter the shape of the call argument `<arg>`. Shapes below were printed
by Keras 3.15 (TensorFlow backend) for the same layers.
"""

import numpy as np

from tork import keras

ops = keras.ops


class _Pair(keras.layers.Layer):
    def build(self, a_shape, b_shape=None):
        self.seen = (tuple(a_shape), None if b_shape is None else tuple(b_shape))
        width = 1 if b_shape is None else b_shape[-1]
        self.w = self.add_weight(shape=(a_shape[-1], width), initializer="ones")

    def call(self, a, b=None, scale=1.0):
        out = ops.matmul(a, self.w) * scale
        return out if b is None else out + ops.sum(b)


def test_second_positional_argument_shape_reaches_build():
    layer = _Pair()
    out = layer(np.ones((2, 3), "float32"), np.ones((2, 5), "float32"))
    # Keras 3: (2, 5) ((2, 3), (2, 5)); each output entry is 3 (ones @ ones) + 10 (sum b).
    assert layer.seen == ((2, 3), (2, 5))
    assert tuple(out.shape) == (2, 5)
    np.testing.assert_allclose(ops.convert_to_numpy(out), np.full((2, 5), 13.0))


def test_missing_optional_argument_keeps_its_default():
    layer = _Pair()
    out = layer(np.ones((2, 3), "float32"))
    assert layer.seen == ((2, 3), None)  # Keras 3: ((2, 3), None)
    assert tuple(out.shape) == (2, 1)


def test_keyword_argument_and_non_tensor_arguments():
    layer = _Pair()
    out = layer(np.ones((2, 3), "float32"), b=np.ones((4, 7), "float32"), scale=2.0)
    assert layer.seen == ((2, 3), (4, 7))  # Keras 3: ((2, 3), (4, 7))
    assert tuple(out.shape) == (2, 7)


def test_symbolic_inputs_build_with_both_shapes():
    a, b = keras.Input((3,)), keras.Input((6,))
    layer = _Pair()
    out = layer(a, b)
    assert layer.seen == ((None, 3), (None, 6))  # Keras 3: ((None, 3), (None, 6))
    assert tuple(out.shape) == (None, 6)


def test_single_argument_build_still_gets_the_first_input_shape():
    class One(keras.layers.Layer):
        def build(self, input_shape):
            self.seen = tuple(input_shape)

        def call(self, x, y):
            return x + y

    layer = One()
    layer(np.ones((2, 3), "float32"), np.ones((2, 3), "float32"))
    assert layer.seen == (2, 3)


class _CallOverridingMHA(keras.layers.MultiHeadAttention):
    # KerasHub's CachedMultiHeadAttention pattern: call() uses the projections directly.
    def call(self, query, value, key=None, attention_mask=None):
        key = value if key is None else key
        q = self._query_dense(query)
        k = self._key_dense(key)
        v = self._value_dense(value)
        out, _ = self._compute_attention(q, k, v, attention_mask)
        return self._output_dense(out)


def test_mha_subclass_overriding_call_is_built_on_first_call():
    layer = _CallOverridingMHA(num_heads=2, key_dim=3)
    x = np.arange(2 * 4 * 5, dtype="float32").reshape(2, 4, 5) / 40.0
    y = np.arange(2 * 3 * 6, dtype="float32").reshape(2, 3, 6) / 36.0
    out = layer(x, y)
    # Keras 3: output (2, 4, 5); weights (5,2,3) (2,3) (6,2,3) (2,3) (6,2,3) (2,3) (2,3,5) (5,).
    assert tuple(out.shape) == (2, 4, 5)
    assert [tuple(w.shape) for w in layer.weights] == [
        (5, 2, 3), (2, 3), (6, 2, 3), (2, 3), (6, 2, 3), (2, 3), (2, 3, 5), (5,)
    ]  # fmt: skip
    # Numpy attention from the layer's own weights.
    wq, bq, wk, bk, wv, bv, wo, bo = layer.get_weights()
    q = np.einsum("btd,dnh->btnh", x, wq) + bq
    k = np.einsum("bsd,dnh->bsnh", y, wk) + bk
    v = np.einsum("bsd,dnh->bsnh", y, wv) + bv
    s = np.einsum("btnh,bsnh->bnts", q / np.sqrt(3.0), k)
    p = np.exp(s - s.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    o = np.einsum("bnts,bsnh->btnh", p, v)
    expected = np.einsum("btnh,nhd->btd", o, wo) + bo
    np.testing.assert_allclose(ops.convert_to_numpy(out), expected, rtol=1e-5, atol=1e-5)


class _KVCacheAttention(keras.layers.MultiHeadAttention):
    # KerasHub-style decoding: `cache` is (batch, 2, max_len, heads, head_dim); each step
    # writes its key/value at `index` with ops.slice_update and attends to the whole cache.
    def call(self, query, value, cache, index, attention_mask=None):
        q = self._query_dense(query)
        k = ops.slice_update(cache[:, 0], [0, index, 0, 0], self._key_dense(value))
        v = ops.slice_update(cache[:, 1], [0, index, 0, 0], self._value_dense(value))
        out, _ = self._compute_attention(q, k, v, attention_mask)
        return self._output_dense(out), ops.stack((k, v), axis=1)


def test_cached_decoding_steps_match_numpy_causal_attention():
    batch, length, dim, heads, head_dim = 2, 4, 6, 2, 3
    rng = np.random.RandomState(0)
    x = rng.randn(batch, length, dim).astype("float32")
    layer = _KVCacheAttention(num_heads=heads, key_dim=head_dim)
    cache = ops.zeros((batch, 2, length, heads, head_dim))
    steps = []
    for i in range(length):
        # Only the filled positions 0..i are visible to step i.
        mask = ops.convert_to_tensor(np.broadcast_to(np.arange(length) <= i, (batch, 1, length)))
        out, cache = layer(
            x[:, i : i + 1], x[:, i : i + 1], cache=cache, index=i, attention_mask=mask
        )
        steps.append(ops.convert_to_numpy(out))
    got = np.concatenate(steps, axis=1)
    assert tuple(ops.shape(cache)) == (batch, 2, length, heads, head_dim)

    wq, bq, wk, bk, wv, bv, wo, bo = layer.get_weights()
    q = np.einsum("btd,dnh->btnh", x, wq) + bq
    k = np.einsum("bsd,dnh->bsnh", x, wk) + bk
    v = np.einsum("bsd,dnh->bsnh", x, wv) + bv
    s = np.einsum("btnh,bsnh->bnts", q / np.sqrt(head_dim), k)
    s = np.where(np.tril(np.ones((length, length), bool)), s, -1e9)
    p = np.exp(s - s.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    expected = np.einsum("btnh,nhd->btd", np.einsum("bnts,bsnh->btnh", p, v), wo) + bo
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


def test_build_config_keeps_every_shape_as_keras3():
    layer = _Pair()
    layer(np.ones((2, 3), "float32"), np.ones((4, 5), "float32"))
    config = layer.get_build_config()
    # Keras 3.15: {'shapes_dict': {'a_shape': (2, 3), 'b_shape': (4, 5)}}
    assert config == {"shapes_dict": {"a_shape": (2, 3), "b_shape": (4, 5)}}
    fresh = _Pair()
    fresh.build_from_config(config)
    assert fresh.seen == ((2, 3), (4, 5))
    assert tuple(fresh.w.shape) == (3, 5)
    # One shape: the Keras 2 layout, as before.
    single = _Pair()
    single(np.ones((2, 3), "float32"))
    assert single.get_build_config() == {"input_shape": (2, 3)}


def test_two_input_layer_round_trips_through_keras_file(tmp_path):
    a, b = keras.Input((3,)), keras.Input((5,))
    model = keras.Model([a, b], _Pair(name="pair")(a, b))
    path = str(tmp_path / "pair.keras")
    model.save(path)
    loaded = keras.models.load_model(path, custom_objects={"_Pair": _Pair})
    assert tuple(loaded.get_layer("pair").w.shape) == (3, 5)
    x, y = np.ones((2, 3), "float32"), np.ones((2, 5), "float32")
    np.testing.assert_allclose(
        ops.convert_to_numpy(loaded([x, y])), ops.convert_to_numpy(model([x, y]))
    )
