"""A user activation function named like a Keras one, in Keras 2 `.h5` files.

efficientnet (qubvel) defines its own `swish`. tf_keras writes such a function as the bare
name `'swish'`, and its `.h5` loader cannot read the `{"class_name": "function", ...}` dict
tork wrote ("Unknown activation function: 'function'"), so tf_keras could not load any
tork-saved EfficientNet. Checked with tf_keras 2.21: it loads the file written here and
predicts the NumPy values below.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import tork as tf
from tork import keras

h5py = pytest.importorskip("h5py")

W = np.arange(12, dtype="float32").reshape(4, 3) / 10
B = np.array([0.1, -0.2, 0.3], "float32")
X = np.array([[1.0, -1.0, 0.5, 2.0]], "float32")


def swish(x):
    return x * tf.sigmoid(x)


def my_act(x):
    return x * 2.0


def _saved_activation(tmp_path, activation):
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(3, activation=activation, name="d")(inputs))
    model.set_weights([W, B])
    path = str(tmp_path / "m.h5")
    model.save(path)
    with h5py.File(path, "r") as f:
        config = json.loads(f.attrs["model_config"])
    return path, config["config"]["layers"][1]["config"]["activation"]


def test_function_named_like_a_keras_activation_is_written_bare(tmp_path):
    path, written = _saved_activation(tmp_path, swish)
    assert written == "swish"
    z = X @ W + B
    expected = z / (1.0 + np.exp(-z))  # [[1.6527939, 1.598635, 2.42024]] in tf_keras too
    with pytest.warns(UserWarning, match="No training configuration"):
        loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), expected, rtol=1e-6)


def test_other_custom_functions_keep_their_entry(tmp_path):
    # tf_keras 2.21 writes {'module': 'builtins', 'class_name': 'function', 'config':
    # 'my_act', 'registered_name': 'function'} for it.
    _, written = _saved_activation(tmp_path, my_act)
    assert isinstance(written, dict) and written["config"] == "my_act"
