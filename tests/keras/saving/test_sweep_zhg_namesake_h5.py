"""User layers that share a Keras class name (keras-multi-head's `MultiHeadAttention`,
a custom `Embedding`) keep their own config in .h5 files, as tf_keras 2.21 writes it:
Keras's own fixes for its `MultiHeadAttention` (`query_shape`...) and `Embedding`
(`input_length`) must not be added to them, or reloading fails."""

import json

import numpy as np
import pytest

import tork as tf

keras = tf.keras


class MultiHeadAttention(keras.layers.Layer):
    """Self-attention with one weight per projection, in the style of keras-multi-head."""

    def __init__(self, head_num, **kwargs):
        self.head_num = head_num
        super().__init__(**kwargs)

    def build(self, input_shape):
        dim = int(input_shape[-1])
        self.wq = self.add_weight(shape=(dim, dim), initializer="ones", name=f"{self.name}_Wq")
        super().build(input_shape)

    def call(self, inputs):
        q = tf.matmul(inputs, self.wq)
        scores = tf.nn.softmax(tf.matmul(q, inputs, transpose_b=True) / float(self.head_num))
        return tf.matmul(scores, inputs)

    def get_config(self):
        return {**super().get_config(), "head_num": self.head_num}


class Embedding(keras.layers.Layer):
    """A learned lookup with its own arguments only."""

    def __init__(self, vocab, dim, **kwargs):
        super().__init__(**kwargs)
        self.vocab, self.dim = vocab, dim

    def build(self, input_shape):
        self.table = self.add_weight(shape=(self.vocab, self.dim), name="table")

    def call(self, inputs):
        return tf.gather(self.table, tf.cast(inputs, "int32"))

    def get_config(self):
        return {**super().get_config(), "vocab": self.vocab, "dim": self.dim}


_CUSTOM = {"MultiHeadAttention": MultiHeadAttention, "Embedding": Embedding}


def _model():
    inputs = keras.Input(shape=(3,), name="tokens")
    x = Embedding(5, 4, name="emb")(inputs)
    x = MultiHeadAttention(head_num=2, name="mha")(x)
    model = keras.Model(inputs, x, name="namesakes")
    model.set_weights(
        [np.arange(20, dtype="float32").reshape(5, 4) / 20, np.eye(4, dtype="float32")]
    )
    return model


def test_namesake_layers_keep_their_own_config_in_h5(tmp_path):
    h5py = pytest.importorskip("h5py")
    model = _model()
    path = str(tmp_path / "m.h5")
    model.save(path)
    with h5py.File(path) as f:
        layers = {e["name"]: e for e in json.loads(f.attrs["model_config"])["config"]["layers"]}
    mha, emb = layers["mha"]["config"], layers["emb"]["config"]
    assert {"query_shape", "key_shape", "value_shape", "softmax_robust_masking"}.isdisjoint(mha)
    assert mha["head_num"] == 2
    assert "input_length" not in emb
    assert (emb["vocab"], emb["dim"]) == (5, 4)


def test_namesake_layers_reload_from_h5(tmp_path):
    model = _model()
    tokens = np.array([[0, 1, 4], [2, 2, 3]])
    path = str(tmp_path / "m.h5")
    model.save(path)
    loaded = keras.models.load_model(path, custom_objects=_CUSTOM)
    assert isinstance(loaded.get_layer("mha"), MultiHeadAttention)
    np.testing.assert_allclose(loaded.predict(tokens, verbose=0), model.predict(tokens, verbose=0))


def test_keras_multi_head_attention_still_gets_its_shapes(tmp_path):
    h5py = pytest.importorskip("h5py")
    inputs = keras.Input(shape=(3, 4))
    outputs = keras.layers.MultiHeadAttention(num_heads=2, key_dim=2, name="attn")(inputs, inputs)
    path = str(tmp_path / "m.h5")
    keras.Model(inputs, outputs).save(path)
    with h5py.File(path) as f:
        layers = json.loads(f.attrs["model_config"])["config"]["layers"]
    config = next(e for e in layers if e["name"] == "attn")["config"]
    # tf_keras 2.21 writes the shapes its MultiHeadAttention was built for.
    assert config["query_shape"] == [None, 3, 4]
    assert config["softmax_robust_masking"] is False
