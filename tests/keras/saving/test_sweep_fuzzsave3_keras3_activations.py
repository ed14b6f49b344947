"""Keras 3 files name Keras 3's `hard_sigmoid` (relu6(x + 3) / 6); tork's is tf.keras 2's.

The fixtures in data/fuzzsave3 were written by Keras 3.15.1 (make_fixtures.py there); the
expected predictions below are the ones Keras 3 printed for them. Before the fix tork read
`'hard_sigmoid'` as clip(0.2 x + 0.5) and gave different numbers without a word.
"""

import os

import numpy as np
import pytest

from tork import keras

DATA = os.path.join(os.path.dirname(__file__), "data", "fuzzsave3")
X = np.linspace(-4, 4, 12, dtype="float32").reshape(2, 3, 2)
# Keras 3.15.1's predictions for X (make_fixtures.py).
KERAS3_DENSE = [[0.419201, 0.611349], [0.456191, 0.515171]]
KERAS3_ACT = [
    [0.0, 0.0, 0.075758, 0.19697, 0.318182, 0.439394],
    [0.560606, 0.681818, 0.80303, 0.924242, 1.0, 1.0],
]


def _fixture(suffix):
    path = os.path.join(DATA, f"k3_hard_sigmoid.{suffix}")
    if not os.path.exists(path):
        pytest.skip(f"fixture {path} missing (gitignored .keras: git add -f it)")
    return path


@pytest.mark.parametrize("suffix", ["keras", "h5"])
def test_keras3_files_keep_keras3_hard_sigmoid(suffix):
    model = keras.models.load_model(_fixture(suffix))
    dense, act = model.predict(X, verbose=0)
    np.testing.assert_allclose(dense, KERAS3_DENSE, atol=2e-5)
    np.testing.assert_allclose(act, KERAS3_ACT, atol=2e-5)


@pytest.mark.parametrize("suffix", ["keras", "h5"])
def test_resaved_from_tork_still_keras3_curve(tmp_path, suffix):
    model = keras.models.load_model(_fixture("keras"))
    path = tmp_path / f"again.{suffix}"
    model.save(path)
    dense, act = keras.models.load_model(path).predict(X, verbose=0)
    np.testing.assert_allclose(dense, KERAS3_DENSE, atol=2e-5)
    np.testing.assert_allclose(act, KERAS3_ACT, atol=2e-5)


@pytest.mark.parametrize("suffix", ["keras", "h5"])
def test_tork_files_keep_keras2_hard_sigmoid(tmp_path, suffix):
    # A name in tork's own files (and tf_keras's) means tf.keras 2's clip(0.2 x + 0.5, 0, 1).
    x = np.array([[-3.0, -1.0, 0.0, 1.0, 2.0, 3.0]], "float32")
    model = keras.Sequential([keras.Input((6,)), keras.layers.Activation("hard_sigmoid")])
    path = tmp_path / f"tork.{suffix}"
    model.save(path)
    out = keras.models.load_model(path).predict(x, verbose=0)
    np.testing.assert_allclose(out, np.clip(0.2 * x + 0.5, 0.0, 1.0), atol=1e-6)
