"""SpectralNormalization's kernel in TF checkpoints, keyed as tf_keras keys it.

tf_keras's SpectralNormalization.build sets `self.kernel = layer.kernel` (or the
layer's `embeddings`), so TensorFlow's checkpoint keys that variable by its shorter
path `<wrapper>/kernel`, not `<wrapper>/layer/kernel`. The keys below were listed with
`tf.train.list_variables` on checkpoints tf_keras 2.21 wrote for the same models;
data/tf_smallfix22b_spectral/ holds one (make_fixture.py wrote it).
"""

import os

import numpy as np

import tork as tf

keras = tf.keras

FIXTURE = os.path.join(os.path.dirname(__file__), "data", "tf_smallfix22b_spectral", "ckpt")

WEIGHTS = [
    np.arange(6, dtype="float32").reshape(2, 3) / 10,
    np.array([0.1, 0.2, 0.3], "float32"),
    np.array([[0.5, 0.6, 0.7]], "float32"),
    np.array([[1.0], [2.0], [3.0]], "float32"),
    np.array([0.4], "float32"),
]


def _model():
    return keras.Sequential(
        [
            keras.Input((2,)),
            keras.layers.SpectralNormalization(keras.layers.Dense(3), name="sn"),
            keras.layers.Dense(1, name="d"),
        ]
    )


def _keys(prefix):
    return sorted(key for key, _ in tf.train.list_variables(prefix))


def test_save_weights_keys_match_tf_keras(tmp_path):
    model = _model()
    model.set_weights(WEIGHTS)
    prefix = str(tmp_path / "ckpt")
    model.save_weights(prefix)
    expected = [
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-0/layer/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-0/vector_u/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE",
    ]
    assert _keys(prefix) == expected
    assert _keys(FIXTURE) == expected  # the tf_keras-written fixture, for reference
    restored = _model()
    restored.load_weights(prefix).assert_consumed()
    for got, want in zip(restored.get_weights(), WEIGHTS):
        np.testing.assert_array_equal(got, want)


def test_restores_tf_keras_checkpoint():
    model = _model()
    model.load_weights(FIXTURE).assert_consumed()
    for got, want in zip(model.get_weights(), WEIGHTS):
        np.testing.assert_array_equal(got, want)


def test_embedding_and_conv_kernels(tmp_path):
    e = keras.layers.SpectralNormalization(keras.layers.Embedding(5, 2), name="se")
    e(np.zeros((1, 3), "int32"))
    c = keras.layers.SpectralNormalization(keras.layers.Conv2D(2, 3), name="sc")
    c(np.zeros((1, 4, 4, 1), "float32"))
    prefix = str(tmp_path / "ck")
    tf.train.Checkpoint(e=e, c=c).write(prefix)
    assert _keys(prefix) == [
        "_CHECKPOINTABLE_OBJECT_GRAPH",
        "c/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "c/layer/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "c/vector_u/.ATTRIBUTES/VARIABLE_VALUE",
        "e/kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "e/vector_u/.ATTRIBUTES/VARIABLE_VALUE",
    ]
    e2 = keras.layers.SpectralNormalization(keras.layers.Embedding(5, 2), name="se2")
    e2(np.zeros((1, 3), "int32"))
    c2 = keras.layers.SpectralNormalization(keras.layers.Conv2D(2, 3), name="sc2")
    c2(np.zeros((1, 4, 4, 1), "float32"))
    tf.train.Checkpoint(e=e2, c=c2).read(prefix).assert_consumed()
    for a, b in zip(e.get_weights() + c.get_weights(), e2.get_weights() + c2.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_restores_checkpoints_of_the_earlier_layout(tmp_path, monkeypatch):
    # tork wrote `<wrapper>/layer/kernel` before; those checkpoints still restore.
    model = _model()
    model.set_weights(WEIGHTS)
    prefix = str(tmp_path / "old")
    with monkeypatch.context() as patch:
        patch.setattr(keras.layers.SpectralNormalization, "_tork_checkpoint_aliases", lambda s: [])
        model.save_weights(prefix)
    assert "layer_with_weights-0/layer/kernel/.ATTRIBUTES/VARIABLE_VALUE" in _keys(prefix)
    restored = _model()
    restored.load_weights(prefix).assert_consumed()
    for got, want in zip(restored.get_weights(), WEIGHTS):
        np.testing.assert_array_equal(got, want)
