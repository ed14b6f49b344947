"""Keras layers whose TensorFlow checkpoint keys are unusual, both directions.

tests/train/data/tf_layers was written by TensorFlow 2.21 / tf_keras 2.21
(`make_tf_checkpoints.py layers`): a functional model with Embedding, Bidirectional(LSTM)
(`forward_layer/cell/...`), TimeDistributed (`layer/...`), RNN(StackedRNNCells)
(`cell/cells/N/...`), MultiHeadAttention (`_query_dense/...`), BatchNormalization after a
training call (moving statistics) and a nested Sequential; a subclassed model with layers
in a list and a dict, an LSTMCell and an adapted Normalization; lookup layers, whose
`token_counts` table (their `adapt` accumulator, empty after `adapt`) tf_keras tracks.
The expected numbers are what that script printed.
"""

import os

import numpy as np

import tork as tf

keras = tf.keras
DATA = os.path.join(os.path.dirname(__file__), "data", "tf_layers")
TOKENS = np.array([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], np.int32)
SEQ = np.linspace(-1, 1, 30, dtype=np.float32).reshape(2, 5, 3)
FEATURES = np.linspace(-1, 1, 8, dtype=np.float32).reshape(2, 4)
TF_FUNCTIONAL_OUT = [[0.5154098272323608], [0.5384986400604248]]
# The sum of each array of TF's `model.get_weights()`, in its order.
TF_FUNCTIONAL_SUMS = [
    -0.25, 0.33000004291534424, 0.5699999928474426, 0.10999996960163116, 1.7699997425079346,
    1.649999976158142, 0.4699999690055847, 1.3799998760223389, 0.01999998465180397,
    1.8600001335144043, 0.09999999403953552, 2.3399999141693115, 0.17999997735023499,
    2.8199996948242188, 0.6899999976158142, 0.75, 0.06999998539686203, 0.8700000047683716,
    0.9300000667572021, 0.9882320165634155, 1.0394999980926514, 3.4800002574920654,
    5.7900004386901855, 3.8400001525878906, 1.2899999618530273, 0.699999988079071,
    0.26999998092651367, 6.180000305175781, 0.5400000214576721, 0.5699999928474426,
    0.15000000596046448,
]  # fmt: skip
TF_SUBCLASSED_OUT = [
    [[-0.1261187642812729], [-0.12603013217449188]],
    [[-0.09597717225551605, -0.05480508506298065], [-0.09734383970499039, -0.05692175030708313]],
]


def _functional():
    L = keras.layers
    tokens = keras.Input((5,), dtype="int32", name="tokens")
    seq = keras.Input((5, 3), name="seq")
    emb = L.Embedding(11, 4, name="emb")(tokens)
    bi = L.Bidirectional(L.LSTM(3, return_sequences=True), name="bi")(emb)
    td = L.TimeDistributed(L.Dense(2), name="td")(seq)
    cells = L.RNN(L.StackedRNNCells([L.GRUCell(3), L.SimpleRNNCell(2)]), name="stacked")(td)
    mha = L.MultiHeadAttention(num_heads=2, key_dim=2, name="mha")(bi, bi)
    pooled = L.GlobalAveragePooling1D()(mha)
    normed = L.BatchNormalization(name="bn")(pooled)
    inner = keras.Sequential([L.Dense(3, name="in1"), L.Dense(1, name="in2")], name="inner")
    return keras.Model([tokens, seq], inner(L.Concatenate()([normed, cells])), name="f")


class Blocks(keras.Model):
    def __init__(self):
        super().__init__()
        self.blocks = [keras.layers.Dense(3, name="b0"), keras.layers.Dense(3, name="b1")]
        self.heads = {"x": keras.layers.Dense(1, name="hx"), "y": keras.layers.Dense(2, name="hy")}
        self.cell = keras.layers.LSTMCell(2)
        self.norm = keras.layers.Normalization(axis=-1)

    def call(self, x):
        h = self.norm(x)
        for block in self.blocks:
            h = block(h)
        out, _ = self.cell(h, [h[:, :2] * 0, h[:, :2] * 0])
        return self.heads["x"](out), self.heads["y"](h)


def _blocks():
    model = Blocks()
    model.norm.adapt(np.zeros((2, 4), np.float32))  # replaced by the checkpoint's
    model(FEATURES)
    return model


def _tf_keys(name):
    return {key for key, _ in tf.train.list_variables(os.path.join(DATA, name))}


def test_functional_layers_restored_from_tf():
    model = _functional()
    model.load_weights(os.path.join(DATA, "functional")).assert_consumed()
    sums = [float(w.sum()) for w in model.get_weights()]
    np.testing.assert_allclose(sums, TF_FUNCTIONAL_SUMS, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(model([TOKENS, SEQ]).numpy(), TF_FUNCTIONAL_OUT, rtol=1e-5)


def test_functional_layers_written_with_tf_keys(tmp_path):
    model = _functional()
    model.load_weights(os.path.join(DATA, "functional"))
    model.save_weights(str(tmp_path / "ckpt"))
    assert {k for k, _ in tf.train.list_variables(str(tmp_path / "ckpt"))} == _tf_keys("functional")


def test_subclassed_lists_dicts_cell_and_normalization_from_tf(tmp_path):
    model = _blocks()
    model.load_weights(os.path.join(DATA, "subclassed")).assert_consumed()
    # Normalization's adapted statistics of FEATURES * 3 + 1 (numpy).
    np.testing.assert_allclose(model.norm.mean.numpy().ravel(), (FEATURES * 3 + 1).mean(0), 1e-6)
    np.testing.assert_allclose(model.norm.variance.numpy().ravel(), (FEATURES * 3).var(0), 1e-5)
    for got, want in zip(model(FEATURES), TF_SUBCLASSED_OUT):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-7)
    model.save_weights(str(tmp_path / "ckpt"))
    assert {k for k, _ in tf.train.list_variables(str(tmp_path / "ckpt"))} == _tf_keys("subclassed")


def test_lookup_layers_token_counts_consumed_and_written(tmp_path):
    # TensorFlow restores the (empty) `token_counts` tables and no vocabulary; before this,
    # tork's assert_consumed failed on them, and TensorFlow's failed on tork's checkpoints
    # (a MutableHashTable "not bound to checkpointed values").
    layers = keras.layers
    lookup, integers = layers.StringLookup(name="sl"), layers.IntegerLookup()
    vectorizer = layers.TextVectorization(max_tokens=6, output_sequence_length=3)
    checkpoint = tf.train.Checkpoint(sl=lookup, tv=vectorizer, il=integers)
    checkpoint.read(os.path.join(DATA, "lookup")).assert_consumed()
    lookup.adapt(["b", "a", "b"])
    prefix = checkpoint.write(str(tmp_path / "ckpt"))
    assert {k for k, _ in tf.train.list_variables(prefix)} == _tf_keys("lookup")
    reader = tf.train.load_checkpoint(prefix)
    keys = reader.get_tensor("il/token_counts/.ATTRIBUTES/table-keys")
    assert keys.shape == (0,) and keys.dtype == np.int64
    assert reader.get_tensor("sl/token_counts/.ATTRIBUTES/table-keys").shape == (0,)
    assert reader.get_tensor("sl/token_counts/.ATTRIBUTES/table-values").dtype == np.int64
    # The vocabulary is not in TensorFlow's checkpoints: adapt or pass `vocabulary=`.
    assert lookup.get_vocabulary() == ["[UNK]", "b", "a"]
