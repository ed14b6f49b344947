"""String weights: `add_weight(dtype=tf.string)` (TF Recommenders' BruteForce index).

TF Recommenders' `BruteForce.index(candidates, identifiers)` creates a non-trainable
string weight for the candidate ids, assigns them, and gathers the top-k ids from it.
tork used to refuse string weights. Expected values come from TF 2.21 + tf_keras
(TF_USE_LEGACY_KERAS=1) running the same code.
"""

import os

import numpy as np
import pytest

import tork as tf


class _Ids(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.ids = self.add_weight(
            name="ids",
            shape=(3,),
            dtype=tf.string,
            trainable=False,
            initializer=tf.keras.initializers.Constant("x"),
        )
        self.k = self.add_weight(name="k", shape=(2,), initializer="ones")
        self.c = self.add_weight(name="c", shape=(2,), initializer="zeros", trainable=False)

    def call(self, x):
        return x * self.k


def _built():
    layer = _Ids(name="l")
    layer(tf.zeros((1, 2)))
    return layer


def test_string_weight_lists_gets_and_counts_as_tf_keras():
    layer = _built()
    # tf_keras: ['l/k:0', 'l/ids:0', 'l/c:0'] ['l/ids:0', 'l/c:0'] 7
    assert [w.name for w in layer.weights] == ["l/k:0", "l/ids:0", "l/c:0"]
    assert [w.name for w in layer.non_trainable_weights] == ["l/ids:0", "l/c:0"]
    assert [w.name for w in layer.trainable_weights] == ["l/k:0"]
    assert layer.count_params() == 7
    got = layer.get_weights()
    assert got[1].dtype == object and got[1].tolist() == [b"x", b"x", b"x"]
    assert repr(layer.ids) == (
        "<tf.Variable 'l/ids:0' shape=(3,) dtype=string, "
        "numpy=array([b'x', b'x', b'x'], dtype=object)>"
    )
    model = tf.keras.Sequential([tf.keras.Input((2,)), layer])
    assert [w.name for w in model.weights] == ["l/k:0", "l/ids:0", "l/c:0"]


def test_string_weight_assign_gather_and_set_weights():
    layer = _built()
    layer.ids.assign(["a", "bb", "c"])
    # tf_keras: tf.gather(l.ids, [[2, 0]]) -> [[b'c' b'a']]
    assert tf.gather(layer.ids, tf.constant([[2, 0]])).numpy().tolist() == [[b"c", b"a"]]
    assert layer.ids[1:].numpy().tolist() == [b"bb", b"c"]
    layer.set_weights(
        [np.array([2.0, 3.0]), np.array([b"p", b"q", b"r"], dtype=object), np.ones(2)]
    )
    assert layer.ids.numpy().tolist() == [b"p", b"q", b"r"]
    np.testing.assert_array_equal(layer.k.numpy(), [2.0, 3.0])
    snapshot = layer.ids.read_value()
    layer.ids.assign(["u", "v", "w"])
    assert snapshot.numpy().tolist() == [b"p", b"q", b"r"]


def test_string_weight_bad_values_raise():
    layer = _built()
    with pytest.raises(ValueError, match=r"'l/ids' has shape \(3,\), but the array given"):
        layer.set_weights([np.ones(2), np.array([b"p"], dtype=object), np.ones(2)])
    with pytest.raises(ValueError, match=r"string variable 'l/ids:0': it has shape \(3,\)"):
        layer.ids.assign(["a"])
    with pytest.raises(TypeError, match="holds only str or bytes"):
        layer.ids.assign([1, 2, 3])


class _NoInit(tf.keras.layers.Layer):
    def __init__(self, initializer, **kwargs):
        super().__init__(**kwargs)
        self._init = initializer

    def build(self, input_shape):
        self.ids = self.add_weight(
            name="ids", shape=(2,), dtype=tf.string, trainable=False, initializer=self._init
        )

    def call(self, x):
        return x


def test_string_weight_needs_a_string_constant_initializer():
    # tf_keras: "An initializer for variable ids of type <dtype: 'string'> is required".
    with pytest.raises(ValueError, match="an initializer for the string weight 'ids' is required"):
        _NoInit(None, name="n")(tf.zeros((1, 2)))
    # tf_keras: "Expected numeric or boolean dtype, got <dtype: 'string'>".
    with pytest.raises(ValueError, match="needs a Constant initializer with a string value"):
        _NoInit("zeros", name="z")(tf.zeros((1, 2)))


class _Index(tf.keras.layers.Layer):
    """BruteForce's pattern: ids in a weight created from the ids' dtype and shape."""

    def index(self, candidates, identifiers):
        self._identifiers = self.add_weight(
            name="identifiers",
            dtype=identifiers.dtype,
            shape=identifiers.shape,
            initializer=tf.keras.initializers.Constant(tf.zeros((), dtype=identifiers.dtype)),
            trainable=False,
        )
        self._candidates = self.add_weight(
            name="candidates",
            dtype=candidates.dtype,
            shape=candidates.shape,
            initializer=tf.keras.initializers.Zeros(),
            trainable=False,
        )
        self._identifiers.assign(identifiers)
        self._candidates.assign(candidates)
        return self

    def call(self, queries, k=2):
        scores = tf.linalg.matmul(queries, self._candidates, transpose_b=True)
        values, indices = tf.math.top_k(scores, k=k)
        return values, tf.gather(self._identifiers, indices)


def _index():
    cands = np.arange(12, dtype="float32").reshape(4, 3) / 10
    return _Index(name="brute_force").index(tf.constant(cands), tf.constant(["a", "b", "c", "d"]))


def test_brute_force_pattern_with_string_ids():
    index = _index()
    scores, ids = index(tf.constant([[1.0, 0.0, 0.5]]))
    # TF Recommenders' BruteForce on TF 2.21: [[1.45 1.]] [[b'd' b'c']], weights in creation
    # order ['identifiers:0', 'candidates:0'], count_params 16.
    np.testing.assert_allclose(scores.numpy(), [[1.45, 1.0]], rtol=1e-6)
    assert ids.numpy().tolist() == [[b"d", b"c"]]
    assert [w.name for w in index.weights] == ["identifiers:0", "candidates:0"]
    assert index.count_params() == 16
    # Integer ids stay torch weights.
    int_index = _Index(name="ints").index(tf.ones((4, 3)), tf.range(4))
    assert int_index(tf.ones((1, 3)))[1].dtype == tf.int32


def _strings_model(ids):
    model = tf.keras.Sequential([tf.keras.Input((2,)), _Ids(name="l")])
    model.layers[0].ids.assign(ids)
    model.layers[0].k.assign([2.0, 3.0])
    return model


@pytest.mark.parametrize("path", ["w.weights.h5", "w.h5"])
def test_weight_files_round_trip_string_weights(tmp_path, path):
    model = _strings_model(["a", "b\u00e9", "c"])
    model.save_weights(os.path.join(tmp_path, path))
    fresh = tf.keras.Sequential([tf.keras.Input((2,)), _Ids(name="l")])
    fresh.load_weights(os.path.join(tmp_path, path))
    # TF 2.21 tf_keras loads these files from tork with the same values (its own `.h5`
    # writer fails on string weights: "Object dtype dtype('O') has no native HDF5
    # equivalent").
    assert fresh.layers[0].ids.numpy().tolist() == [b"a", "b\u00e9".encode(), b"c"]
    np.testing.assert_array_equal(fresh.layers[0].k.numpy(), [2.0, 3.0])


@pytest.mark.parametrize("path", ["m.keras", "m.h5"])
def test_model_files_round_trip_string_weights(tmp_path, path):
    model = _strings_model(["x", "", "zz"])
    model.save(os.path.join(tmp_path, path))
    loaded = tf.keras.models.load_model(
        os.path.join(tmp_path, path), custom_objects={"_Ids": _Ids}, compile=False
    )
    assert loaded.layers[0].ids.numpy().tolist() == [b"x", b"", b"zz"]


def test_strings_with_nul_bytes_are_refused_by_hdf5_files(tmp_path):
    model = _strings_model([b"a\x00b", b"c", b"d"])
    with pytest.raises(NotImplementedError, match="'l/ids': one of its strings holds a NUL byte"):
        model.save_weights(os.path.join(tmp_path, "w.weights.h5"))


def test_checkpoints_and_saved_models_refuse_string_weights(tmp_path):
    # TF saves the ids; tork's checkpoints and SavedModels hold numbers only: each refuses
    # rather than restoring the layer with its initial strings.
    index = _index()
    with pytest.raises(NotImplementedError, match="Checkpoint: cannot save the string weight"):
        tf.train.Checkpoint(index=index).write(os.path.join(tmp_path, "ck"))
    with pytest.raises(NotImplementedError, match="saved_model.save: cannot save the string"):
        tf.saved_model.save(index, os.path.join(tmp_path, "sm"))


def test_summary_counts_string_weights(capsys):
    model = tf.keras.Sequential([tf.keras.Input((2,)), _built()])
    model.summary()
    out = capsys.readouterr().out
    # 2 + 2 floats, 3 one-byte strings.
    assert "Total params: 7" in out
    assert "Non-trainable params: 5" in out
