"""tork's weights files also hold tf_keras's paths (soft links), so tf_keras loads them.

Found by differential testing against tf_keras 2.21 (/tmp/fuzzsave): `load_weights` of a tork
`.weights.h5` (and `load_model` of a `.keras`) failed in tf_keras for subclassed models ("Layer
'inp' expected 2 variables, but received 0 variables during loading") and for
MultiHeadAttention ("Layer 'value' expected 2 variables, but received 0"): tork writes Keras
3's paths, tf_keras looks elsewhere. The tf_keras paths below are the ones tf_keras 2.21's own
`save_weights` writes for the same classes; with the links tf_keras loads tork's files with
the same predictions, and Keras 3 still does (tests/keras/saving/test_interop_keras.py).
"""

import numpy as np
import pytest

pytest.importorskip("h5py")
import h5py  # noqa: E402

from tork import keras  # noqa: E402


class Block(keras.layers.Layer):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.d1 = keras.layers.Dense(units, activation="relu")
        self.d2 = keras.layers.Dense(units)
        self.norm = keras.layers.LayerNormalization()

    def call(self, x):
        return self.norm(x + self.d2(self.d1(x)))


class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inp = keras.layers.Dense(3, name="inp")
        self.blocks = [Block(), Block()]
        self.head = keras.layers.Dense(2, name="head")
        self.scale = self.add_weight(name="scale", shape=(), initializer="ones")

    def call(self, x):
        h = self.inp(x)
        for block in self.blocks:
            h = block(h)
        return self.head(h) * self.scale


# tf_keras 2.21: Net().save_weights("n.weights.h5") writes these groups (besides metrics).
TF_KERAS_PATHS = {
    "layers/dense": lambda m: m.inp,
    "layers/block/d1": lambda m: m.blocks[0].d1,
    "layers/block/d2": lambda m: m.blocks[0].d2,
    "layers/block/norm": lambda m: m.blocks[0].norm,
    "layers/block_1/d1": lambda m: m.blocks[1].d1,
    "layers/block_1/d2": lambda m: m.blocks[1].d2,
    "layers/block_1/norm": lambda m: m.blocks[1].norm,
    "layers/dense_1": lambda m: m.head,
}


def _net():
    model = Net(name="net")
    x = np.linspace(-1, 1, 20, dtype="float32").reshape(5, 4)
    model(x)
    rng = np.random.default_rng(3)
    model.set_weights([rng.normal(size=np.shape(w)).astype("float32") for w in model.get_weights()])
    return model, x


def test_subclassed_weights_are_found_at_tf_keras_paths(tmp_path):
    model, x = _net()
    model.save_weights(tmp_path / "n.weights.h5")
    with h5py.File(tmp_path / "n.weights.h5", "r") as f:
        for path, layer in TF_KERAS_PATHS.items():
            stored = [f[f"{path}/vars/{i}"][()] for i in range(len(f[f"{path}/vars"]))]
            assert len(stored) == len(layer(model).get_weights()), path
            for got, want in zip(stored, layer(model).get_weights()):
                np.testing.assert_array_equal(got, want)
        # Keras 3's paths hold the data; the tf_keras paths are links to it (stored once).
        assert isinstance(f.get("layers/dense/vars", getlink=True), h5py.SoftLink)
        assert isinstance(f.get("inp/vars", getlink=True), h5py.HardLink)
        np.testing.assert_array_equal(f["vars/0"][()], model.get_weights()[-1])
    loaded, _ = _net()
    loaded.load_weights(tmp_path / "n.weights.h5")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_multi_head_attention_sublayers_are_found_at_tf_keras_paths(tmp_path):
    def build():
        query = keras.Input((3, 4), name="q")
        value = keras.Input((5, 4), name="v")
        attention = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, name="mha")
        return keras.Model([query, value], attention(query, value))

    model = build()
    model.save_weights(tmp_path / "a.weights.h5")
    mha = model.get_layer("mha")
    with h5py.File(tmp_path / "a.weights.h5", "r") as f:
        # tf_keras 2.21's own file: layers/multi_head_attention/_query_dense/vars/0 ...
        for name in ("query", "key", "value", "output"):
            group = f[f"layers/multi_head_attention/_{name}_dense/vars"]
            dense = getattr(mha, f"{name}_dense")
            np.testing.assert_array_equal(group["0"][()], dense.get_weights()[0])
            np.testing.assert_array_equal(group["1"][()], dense.get_weights()[1])
    x = [np.ones((2, 3, 4), "float32"), np.linspace(0, 1, 40, dtype="float32").reshape(2, 5, 4)]
    loaded = build()
    loaded.load_weights(tmp_path / "a.weights.h5")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_keras_archive_weights_hold_the_links_too(tmp_path):
    import io
    import zipfile

    model, x = _net()
    model.save(tmp_path / "n.keras")
    with zipfile.ZipFile(tmp_path / "n.keras") as archive:
        data = archive.read("model.weights.h5")
    with h5py.File(io.BytesIO(data), "r") as f:
        np.testing.assert_array_equal(f["layers/dense_1/vars/0"][()], model.head.get_weights()[0])


def test_functional_models_get_no_links(tmp_path):
    # Keras 2 and 3 agree on functional paths: nothing to add.
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Dense(4)(inputs)))
    model.save_weights(tmp_path / "f.weights.h5")
    links = []
    with h5py.File(tmp_path / "f.weights.h5", "r") as f:

        def visit(group, prefix):
            for key in group:
                link = group.get(key, getlink=True)
                if isinstance(link, h5py.SoftLink):
                    links.append(prefix + key)
                elif isinstance(group[key], h5py.Group):
                    visit(group[key], prefix + key + "/")

        visit(f, "")
    assert links == []
