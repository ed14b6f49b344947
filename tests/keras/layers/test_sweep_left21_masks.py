"""Output masks of layers that override compute_mask, as tf_keras 2.21 propagates them.

- `layer(x, mask=None)` on a masked `x`: compute_mask gets None (the explicit mask of the
  call), not the input's mask.
- An output that already carries a mask (a call that returns its input, or an inner
  layer's masked output) keeps it: compute_mask is not applied, and the input tensor's
  own mask is left alone.
Reference: the same scripts under TF_USE_LEGACY_KERAS=1 (masks written below).
"""

import numpy as np

import tork as tf

keras = tf.keras

X = np.array([[1, 2, 0], [3, 0, 0]])
EMB_MASK = [[True, True, False], [True, False, False]]
FLIPPED = [[False, False, True], [False, True, True]]


class NoneIfNone(keras.layers.Layer):
    def call(self, x, mask=None):
        self.seen = mask
        return x * 2.0

    def compute_mask(self, inputs, mask=None):
        self.cm_seen = mask
        if mask is None:
            return None
        return tf.logical_not(mask)


class Identity(keras.layers.Layer):
    def call(self, x, mask=None):
        return x

    def compute_mask(self, inputs, mask=None):
        return None if mask is None else tf.logical_not(mask)


class Probe(keras.layers.Layer):
    def call(self, x, mask=None):
        self.last = mask
        return x


def _mask(value):
    mask = getattr(value, "_keras_mask", None)
    return None if mask is None else np.asarray(mask).tolist()


def _embedded():
    return keras.layers.Embedding(5, 2, mask_zero=True)(tf.constant(X))


def test_implicit_mask_reaches_compute_mask():
    layer = NoneIfNone()
    out = layer(_embedded())
    assert np.asarray(layer.cm_seen).tolist() == EMB_MASK
    assert _mask(out) == FLIPPED


def test_explicit_mask_none_is_the_mask_compute_mask_gets():
    layer = NoneIfNone()
    out = layer(_embedded(), mask=None)
    assert layer.seen is None and layer.cm_seen is None
    assert _mask(out) is None


def test_explicit_mask_none_in_a_functional_model():
    inp = keras.Input((3,))
    emb = keras.layers.Embedding(5, 2, mask_zero=True)(inp)
    probe = Probe()
    model = keras.Model(inp, probe(NoneIfNone()(emb, mask=None)))
    model.predict(X, verbose=0)
    assert probe.last is None


def test_sequential_propagates_the_overridden_mask():
    probe = Probe()
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Embedding(5, 2, mask_zero=True), NoneIfNone(), probe]
    )
    model.predict(X, verbose=0)
    assert np.asarray(probe.last).tolist() == FLIPPED


def test_layer_returning_its_input_keeps_the_input_mask():
    embedded = _embedded()
    out = Identity()(embedded)
    assert out is embedded
    assert _mask(out) == EMB_MASK
    assert _mask(embedded) == EMB_MASK  # the caller's tensor is not re-masked


def test_identity_layer_in_a_functional_model_keeps_the_mask():
    inp = keras.Input((3,))
    emb = keras.layers.Embedding(5, 2, mask_zero=True)(inp)
    probe = Probe()
    model = keras.Model(inp, probe(Identity()(emb)))
    model.predict(X, verbose=0)
    assert np.asarray(probe.last).tolist() == EMB_MASK


def test_inner_layer_mask_wins_over_the_outer_compute_mask():
    class Outer(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.embedding = keras.layers.Embedding(5, 2, mask_zero=True)

        def call(self, x):
            return self.embedding(x)

        def compute_mask(self, x, mask=None):
            return tf.zeros_like(x, dtype=tf.bool)

    out = Outer()(tf.constant([[1, 0, 2]]))
    assert _mask(out) == [[True, False, True]]
