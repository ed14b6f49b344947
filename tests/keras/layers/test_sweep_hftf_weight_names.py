"""A weight name repeated under different `tf.name_scope`s keeps its name (Keras 2).

HF transformers' TFBertEmbeddings.build creates `token_type_embeddings/embeddings` and
`position_embeddings/embeddings` this way, and its `.h5` loader matches weights by these
names: a `_1` suffix left the position embeddings silently unloaded.
"""

import h5py
import numpy as np

import tork as tf
from tork import keras


class _Embeddings(keras.layers.Layer):
    def build(self, input_shape=None):
        with tf.name_scope("token_type_embeddings"):
            self.tt = self.add_weight(name="embeddings", shape=(2, 3), initializer="ones")
        with tf.name_scope("position_embeddings"):
            self.pos = self.add_weight(name="embeddings", shape=(5, 3), initializer="zeros")
        self.built = True

    def call(self, x):
        return tf.gather(self.tt, x) + tf.gather(self.pos, x)


class _Wrap(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.emb = _Embeddings(name="embeddings")

    def call(self, x):
        return self.emb(x)

    def build(self, input_shape=None):
        if self.built:
            return
        self.built = True
        with tf.name_scope(self.emb.name):
            self.emb.build(None)


# Names printed by tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) for the same code.
_TF_NAMES = [
    "wrap/embeddings/token_type_embeddings/embeddings:0",
    "wrap/embeddings/position_embeddings/embeddings:0",
]


def _built():
    model = _Wrap(name="wrap")
    with tf.name_scope(model.name):  # HF's build_in_name_scope
        model.build(None)
    return model


def test_same_name_in_two_scopes_keeps_name():
    model = _built()
    assert [w.name for w in model.weights] == _TF_NAMES


def test_h5_weight_names_and_round_trip(tmp_path):
    model = _built()
    model.emb.pos.assign(np.arange(15, dtype="float32").reshape(5, 3))
    path = str(tmp_path / "w.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as f:
        names = [
            n.decode() if isinstance(n, bytes) else n for n in f["embeddings"].attrs["weight_names"]
        ]
        assert names == _TF_NAMES
        np.testing.assert_array_equal(
            f["embeddings"][_TF_NAMES[1]][()], np.arange(15).reshape(5, 3)
        )
    other = _built()
    other.load_weights(path)
    np.testing.assert_array_equal(other.emb.pos.numpy(), np.arange(15).reshape(5, 3))
    np.testing.assert_array_equal(other.emb.tt.numpy(), np.ones((2, 3)))


def test_same_name_same_scope_still_suffixed():
    class Twice(keras.layers.Layer):
        def build(self, input_shape=None):
            with tf.name_scope("a"):
                self.w1 = self.add_weight(name="w", shape=(1,))
            with tf.name_scope("a"):
                self.w2 = self.add_weight(name="w", shape=(1,))
            self.built = True

    layer = Twice(name="tw")
    layer.build(None)
    # Keras 2 would name both `a/w:0`; tork keeps one h5 dataset per weight.
    assert [w.name for w in layer.weights] == ["a/w:0", "a/w_1:0"]


class _Shared(keras.Model):
    """HF T5: one Embedding shared by encoder and decoder, built in an absolute scope."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.shared = keras.layers.Embedding(20, 4, name="shared")
        self.norm = keras.layers.LayerNormalization(name="final_layer_norm")

    def call(self, ids):
        return self.norm(self.shared(ids))

    def build(self, input_shape=None):
        if self.built:
            return
        self.built = True
        # A trailing "/" opens a root scope, not one inside the model's.
        with tf.name_scope("shared/" + self.shared.name + "/"):
            self.shared.build(None)
        with tf.name_scope(self.norm.name):
            self.norm.build([None, None, 4])


def test_absolute_name_scope_in_build():
    model = _Shared(name="tft5_model")
    with tf.name_scope(model.name):
        model.build(None)
    # tf_keras 2.21 names for the same code.
    assert [w.name for w in model.weights] == [
        "shared/shared/embeddings:0",
        "tft5_model/final_layer_norm/gamma:0",
        "tft5_model/final_layer_norm/beta:0",
    ]


def test_absolute_name_scope_when_built_by_first_call():
    model = _Shared(name="tft5_model_b")
    model(tf.constant([[1, 2]]))
    assert [w.name for w in model.weights][0] == "shared/shared/embeddings:0"
    assert [w.name for w in model.weights][1] == "tft5_model_b/final_layer_norm/gamma:0"
