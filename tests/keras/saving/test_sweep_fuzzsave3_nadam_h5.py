"""tf_keras's legacy Nadam saves its momentum product as `momentum_cache:0` in `.h5` files.

Before the fix tork treated that weight as derived (as for the non-legacy Nadam, whose
`u_product` tf_keras does not save), so loading tf_keras's file warned "has 10 variables but
the file has 10" and restarted the optimizer (a different next training step), and tork's
own legacy-Nadam `.h5` lacked the weight, so tf_keras skipped its optimizer state.

Reference: data/fuzzsave3/make_nadam_fixture.py with tf_keras 2.21 (values printed there).
"""

import os
import warnings

import h5py
import numpy as np

from tork import keras

PATH = os.path.join(os.path.dirname(__file__), "data", "fuzzsave3", "legacy_nadam.h5")
X = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
Y = np.array([[1.0], [0.0], [2.0], [1.0]], "float32")
# tf_keras 2.21's optimizer.weights names for this model.
KERAS2_NAMES = [
    "Nadam/iter:0",
    "Nadam/momentum_cache:0",
    "Nadam/d/kernel/m:0",
    "Nadam/d/bias/m:0",
    "Nadam/o/kernel/m:0",
    "Nadam/o/bias/m:0",
    "Nadam/d/kernel/v:0",
    "Nadam/d/bias/v:0",
    "Nadam/o/kernel/v:0",
    "Nadam/o/bias/v:0",
]
MOMENTUM_CACHE_AFTER_2 = 0.2025991827249527
# tf_keras's weights after a third step, continuing in memory.
AFTER_3 = [
    [
        -0.179284006357193,
        -0.14052440226078033,
        0.048945799469947815,
        0.051102299243211746,
        0.24995799362659454,
        0.2505544126033783,
    ],
    [0.15100279450416565, -0.15006530284881592],
    [0.5532001852989197, -0.39000260829925537],
    [0.10052850097417831],
]


def test_tf_keras_legacy_nadam_state_loads_and_training_continues():
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.filterwarnings("ignore", message=".*HDF5.*legacy.*")
        model = keras.models.load_model(PATH)
    assert int(model.optimizer.iterations) == 2
    np.testing.assert_allclose(float(model.optimizer._u_product), MOMENTUM_CACHE_AFTER_2, rtol=1e-6)
    model.train_on_batch(X, Y)
    for got, want in zip(model.get_weights(), AFTER_3):
        np.testing.assert_allclose(got.ravel(), want, atol=2e-6)


def test_tork_legacy_nadam_h5_has_tf_keras_names(tmp_path):
    model = keras.models.load_model(PATH)
    path = tmp_path / "again.h5"
    model.save(path)
    with h5py.File(path, "r") as f:
        group = f["optimizer_weights"]
        names = [n.decode() if isinstance(n, bytes) else n for n in group.attrs["weight_names"]]
        cache = float(np.asarray(group["Nadam/momentum_cache:0"]))
    assert names == KERAS2_NAMES
    np.testing.assert_allclose(cache, MOMENTUM_CACHE_AFTER_2, rtol=1e-6)
    again = keras.models.load_model(path)
    again.train_on_batch(X, Y)
    for got, want in zip(again.get_weights(), AFTER_3):
        np.testing.assert_allclose(got.ravel(), want, atol=2e-6)
