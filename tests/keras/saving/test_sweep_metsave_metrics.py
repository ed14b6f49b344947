"""Metric state in `.keras` / `.weights.h5` files, laid out as tf_keras 2.21 writes it.

tf_keras saves every metric it reaches: a model's `metrics` list at
`metrics/<snake_class_name>[_n]/vars/0..` (in `model.metrics` order), a metric
attribute whose name sorts after `metrics` at its attribute path. The paths and
values below were listed with h5py from files tf_keras wrote
(TF_USE_LEGACY_KERAS=1, the same models and numbers).
"""

import warnings
import zipfile

import h5py
import numpy as np
import pytest

from tork import keras


def _h5_scalars(path) -> dict:
    found = {}
    with h5py.File(path, "r") as f:
        f.visititems(
            lambda name, obj: (
                found.__setitem__(name, float(obj[()]))
                if isinstance(obj, h5py.Dataset) and obj.ndim == 0
                else None
            )
        )
    return found


class _Vae(keras.Model):
    """keras.io's VAE shape: three loss trackers listed by an overridden `metrics`."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.enc = keras.layers.Dense(2)
        self.total_loss_tracker = keras.metrics.Mean(name="total_loss")
        self.reconstruction_loss_tracker = keras.metrics.Mean(name="reconstruction_loss")
        self.kl_loss_tracker = keras.metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.total_loss_tracker, self.reconstruction_loss_tracker, self.kl_loss_tracker]

    def call(self, x):
        return self.enc(x)

    def get_config(self):
        return {"name": self.name}


def _vae():
    model = _Vae(name="vae")
    model(np.ones((1, 3), "float32"))
    kernel = np.arange(6, dtype="float32").reshape(3, 2)
    bias = np.array([1.0, 2.0], "float32")
    # Dense weights, then each tracker's (total, count): tf_keras lists them in get_weights.
    model.set_weights([kernel, bias, *np.float32([3, 2, 5, 1, 7, 4])])
    return model


# tf_keras 2.21's file for `_vae()` (metric groups only): the attributes sorting after
# `metrics` keep their own paths, `kl_loss_tracker` goes to `metrics/mean`.
_TF_KERAS_VAE_METRICS = {
    "metrics/mean/vars/0": 7.0,
    "metrics/mean/vars/1": 4.0,
    "reconstruction_loss_tracker/vars/0": 5.0,
    "reconstruction_loss_tracker/vars/1": 1.0,
    "total_loss_tracker/vars/0": 3.0,
    "total_loss_tracker/vars/1": 2.0,
}


def test_loss_trackers_are_saved_and_restored_by_keras_archive(tmp_path):
    model = _vae()
    assert [float(m.result()) for m in model.metrics] == [1.5, 5.0, 1.75]
    path = str(tmp_path / "vae.keras")
    model.save(path)
    loaded = keras.models.load_model(path, custom_objects={"_Vae": _Vae})
    # tf_keras: [1.5, 5.0, 1.75] after loading (tork gave zeros before).
    assert [float(m.result()) for m in loaded.metrics] == [1.5, 5.0, 1.75]
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_metric_paths_match_tf_keras(tmp_path):
    path = tmp_path / "vae.keras"
    _vae().save(str(path))
    with zipfile.ZipFile(path) as archive:
        archive.extract("model.weights.h5", tmp_path)
    scalars = _h5_scalars(tmp_path / "model.weights.h5")
    metric_entries = {
        k: v for k, v in scalars.items() if k.startswith(("metrics", "total", "reconstruction"))
    }
    assert metric_entries == _TF_KERAS_VAE_METRICS


def test_reads_metric_state_from_tf_keras_layout(tmp_path):
    # tf_keras's file for `_vae()` (its subclassed layer sits at `layers/dense`).
    path = tmp_path / "tf_keras.weights.h5"
    with h5py.File(path, "w") as f:
        f["layers/dense/vars/0"] = np.arange(6, dtype="float32").reshape(3, 2)
        f["layers/dense/vars/1"] = np.array([1.0, 2.0], "float32")
        f.require_group("vars")
        for key, value in _TF_KERAS_VAE_METRICS.items():
            f[key] = np.float32(value)
    model = _Vae(name="vae")
    model(np.ones((1, 3), "float32"))
    model.load_weights(str(path))
    assert [float(m.result()) for m in model.metrics] == [1.5, 5.0, 1.75]
    np.testing.assert_array_equal(model.enc.bias.numpy(), [1.0, 2.0])


def _compiled_model():
    inputs = keras.Input((3,))
    outputs = keras.layers.Dense(2, name="dd")(inputs)
    model = keras.Model(inputs, outputs)
    model.set_weights(
        [np.array([[1, 0], [0, 1], [1, 1]], "float32"), np.array([0.5, -0.5], "float32")]
    )
    model.compile(
        keras.optimizers.SGD(0.0),
        "mse",
        metrics=[keras.metrics.MeanSquaredError(), keras.metrics.MeanAbsoluteError()],
    )
    return model


_X = np.array([[1, 2, 3], [0, 1, -1], [2, 0, 1]], "float32")
_Y = np.array([[1, 1], [0, 2], [3, -1]], "float32")


def test_compiled_metrics_layout_and_values_match_tf_keras(tmp_path):
    model = _compiled_model()
    model.evaluate(_X, _Y, batch_size=3, verbose=0)
    path = tmp_path / "c.weights.h5"
    model.save_weights(str(path))
    scalars = {k: v for k, v in _h5_scalars(path).items() if k.startswith("metrics/")}
    # tf_keras 2.21, same model and data: loss and MSE (16.75, 3), MAE (6, 3).
    assert scalars == {
        "metrics/mean/vars/0": 16.75,
        "metrics/mean/vars/1": 3.0,
        "metrics/mean_absolute_error/vars/0": 6.0,
        "metrics/mean_absolute_error/vars/1": 3.0,
        "metrics/mean_squared_error/vars/0": 16.75,
        "metrics/mean_squared_error/vars/1": 3.0,
    }
    other = _compiled_model()
    other.evaluate(np.zeros((2, 3)), np.zeros((2, 2)), verbose=0)
    other.load_weights(str(path))
    assert [[float(v) for v in m.variables] for m in other.metrics] == [
        [16.75, 3.0],
        [16.75, 3.0],
        [6.0, 3.0],
    ]


def test_file_without_metric_state_leaves_metrics_alone(tmp_path):
    model = _vae()
    path = tmp_path / "w.weights.h5"
    model.save_weights(str(path))
    with h5py.File(path, "a") as f:
        for key in ("metrics", "total_loss_tracker", "reconstruction_loss_tracker"):
            del f[key]
    other = _Vae(name="vae")
    other(np.ones((1, 3), "float32"))
    other.total_loss_tracker.update_state([4.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        other.load_weights(str(path))
    assert [float(m.result()) for m in other.metrics] == [4.0, 0.0, 0.0]
    np.testing.assert_array_equal(other.enc.bias.numpy(), [1.0, 2.0])


def test_mismatched_metric_state_is_skipped_with_a_warning(tmp_path):
    model = _vae()
    path = tmp_path / "w.weights.h5"
    model.save_weights(str(path))
    with h5py.File(path, "a") as f:
        del f["metrics/mean/vars/1"]
    other = _Vae(name="vae")
    other(np.ones((1, 3), "float32"))
    with pytest.warns(UserWarning, match=r"state of metric 'kl_loss' \(Mean\).*reset state"):
        other.load_weights(str(path))
    assert [float(m.result()) for m in other.metrics] == [1.5, 5.0, 0.0]
