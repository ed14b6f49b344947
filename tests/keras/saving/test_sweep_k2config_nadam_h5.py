"""Nadam's state in Keras 2 files: tf_keras saves no `u_product`; tork recomputes it on load.

Reference numbers from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1, run_eagerly=True): the model
below trained 4 full-batch steps of Nadam(0.01) on mse.
"""

import h5py
import numpy as np
import pytest

from tork import keras

KERNEL_AFTER_4 = [0.0285392, 0.13127185, 0.2243741, 0.33050668, 0.4208755, 0.5304331]
BIAS_AFTER_4 = [0.1280494, -0.16907488]
# tf_keras 2.21's optimizer_weights/weight_names for this model.
KERAS2_NAMES = [
    "iteration:0",
    "Nadam/m/dense/kernel:0",
    "Nadam/v/dense/kernel:0",
    "Nadam/m/dense/bias:0",
    "Nadam/v/dense/bias:0",
]


def _data():
    rng = np.random.default_rng(1)
    return rng.random((16, 3)).astype("float32"), rng.random((16, 2)).astype("float32")


def _trained(steps):
    keras.backend.clear_session()
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    kernel = np.arange(6, dtype="float32").reshape(3, 2) / 10
    model.layers[1].set_weights([kernel, np.array([0.1, -0.2], "float32")])
    model.compile(keras.optimizers.Nadam(0.01), "mse")
    x, y = _data()
    model.fit(x, y, batch_size=16, epochs=steps, verbose=0, shuffle=False)
    return model


@pytest.mark.parametrize("suffix", ["h5", "keras"])
def test_training_continues_exactly_after_reload(tmp_path, recwarn, suffix):
    path = tmp_path / f"m.{suffix}"
    _trained(3).save(path)
    if suffix == "h5":
        with h5py.File(path, "r") as f:
            names = [
                n.decode() if isinstance(n, bytes) else n
                for n in f["optimizer_weights"].attrs["weight_names"]
            ]
        assert names == KERAS2_NAMES
    loaded = keras.models.load_model(path)
    assert not [w for w in recwarn if "optimizer" in str(w.message)]
    # u_product after 3 steps: prod over t=1..3 of 0.9 * (1 - 0.5 * 0.96**t).
    expected = np.prod([0.9 * (1 - 0.5 * 0.96**t) for t in (1, 2, 3)])
    np.testing.assert_allclose(float(loaded.optimizer._u_product), expected, rtol=1e-6)
    x, y = _data()
    loaded.fit(x, y, batch_size=16, epochs=1, verbose=0, shuffle=False)
    kernel, bias = loaded.get_weights()
    np.testing.assert_allclose(kernel.ravel(), KERNEL_AFTER_4, rtol=2e-5, atol=1e-6)
    np.testing.assert_allclose(bias, BIAS_AFTER_4, rtol=2e-5, atol=1e-6)


def test_older_files_with_u_product_still_load(tmp_path):
    path = tmp_path / "m.h5"
    _trained(3).save(path)
    with h5py.File(path, "r+") as f:
        group = f["optimizer_weights"]
        group.create_dataset("Nadam/u_product:0", data=np.float32(0.5))
        names = list(group.attrs["weight_names"])
        group.attrs["weight_names"] = names[:1] + [b"Nadam/u_product:0"] + names[1:]
    loaded = keras.models.load_model(path)
    x, y = _data()
    loaded.fit(x, y, batch_size=16, epochs=1, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        loaded.get_weights()[0].ravel(), KERNEL_AFTER_4, rtol=2e-5, atol=1e-6
    )
