"""The `training_config` of legacy `.h5` files is tf_keras's: metric objects named as logged.

The expected dicts are what tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) writes for the same
models and compile() calls.
"""

import json

import h5py
import numpy as np

from tork import keras


def _wrapper(name, fn):
    return {
        "class_name": "MeanMetricWrapper",
        "config": {"name": name, "dtype": "float32", "fn": fn},
    }


def _model(two=False, units=2):
    inputs = keras.Input((3,))
    a = keras.layers.Dense(units, activation="softmax", name="a")(inputs)
    if not two:
        return keras.Model(inputs, a)
    return keras.Model(inputs, [a, keras.layers.Dense(2, activation="softmax", name="b")(inputs)])


def _data(two=False, units=2):
    rng = np.random.default_rng(0)
    x = rng.random((8, 3)).astype("float32")
    if units == 1:
        y = rng.integers(0, 2, (8, 1)).astype("float32")
    else:
        y = np.eye(2, dtype="float32")[rng.integers(0, 2, 8)]
    return x, ([y, y] if two else y)


def _training_config(model, path):
    model.save(path)
    with h5py.File(path, "r") as f:
        training = json.loads(f.attrs["training_config"])
    return {k: training[k] for k in ("loss", "metrics", "weighted_metrics", "loss_weights")}


def test_metric_strings_are_saved_as_keras2_metric_objects(tmp_path):
    model = _model()
    model.compile(
        "adam",
        "mse",
        metrics=[
            "mae",
            "acc",
            "accuracy",
            "mse",
            "ce",
            "binary_accuracy",
            "categorical_crossentropy",
        ],
    )
    x, y = _data()
    model.fit(x, y, epochs=1, verbose=0)
    assert _training_config(model, tmp_path / "m.h5") == {
        "loss": "mean_squared_error",  # tf_keras: "mse" (Keras 3 cannot read it)
        "metrics": [
            [
                _wrapper("mae", "mean_absolute_error"),
                _wrapper("acc", "categorical_accuracy"),
                _wrapper("accuracy", "categorical_accuracy"),
                _wrapper("mse", "mean_squared_error"),
                _wrapper("ce", "categorical_crossentropy"),
                _wrapper("binary_accuracy", "binary_accuracy"),
                _wrapper("categorical_crossentropy", "categorical_crossentropy"),
            ]
        ],
        "weighted_metrics": None,
        "loss_weights": None,
    }


def test_unfitted_model_and_accuracy_resolution(tmp_path):
    model = _model()
    model.compile("adam", "mse", metrics=["mae", "acc"], weighted_metrics=["acc"])
    assert _training_config(model, tmp_path / "m.h5") == {
        "loss": "mean_squared_error",  # tf_keras: "mse" (Keras 3 cannot read it)
        "metrics": [
            [_wrapper("mae", "mean_absolute_error"), _wrapper("acc", "categorical_accuracy")]
        ],
        # A weighted metric sharing a name is logged (and saved) as "weighted_acc".
        "weighted_metrics": [[_wrapper("weighted_acc", "categorical_accuracy")]],
        "loss_weights": None,
    }
    binary = _model(units=1)
    binary.compile("adam", "binary_crossentropy", metrics=["acc"])
    binary.fit(*_data(units=1), epochs=1, verbose=0)
    assert _training_config(binary, tmp_path / "b.h5")["metrics"] == [
        [_wrapper("acc", "binary_accuracy")]
    ]


def test_multi_output_metrics_carry_the_output_prefix(tmp_path):
    for metrics in ({"a": "mae", "b": ["acc"]}, [["mae"], ["acc"]]):
        model = _model(two=True)
        model.compile("adam", "mse", metrics=metrics)
        model.fit(*_data(two=True), epochs=1, verbose=0)
        assert _training_config(model, tmp_path / "m.h5")["metrics"] == [
            [_wrapper("a_mae", "mean_absolute_error")],
            [_wrapper("b_acc", "categorical_accuracy")],
        ]


def test_metric_and_loss_objects_use_keras2_form(tmp_path):
    model = _model()
    model.compile(
        "adam", keras.losses.Huber(), metrics=[keras.metrics.MeanAbsoluteError(), "kld", "logcosh"]
    )
    model.fit(*_data(), epochs=1, verbose=0)
    training = _training_config(model, tmp_path / "m.h5")
    assert training["loss"] == {
        "class_name": "Huber",
        "config": {"reduction": "auto", "name": "huber_loss", "delta": 1.0, "fn": "huber"},
    }
    assert training["metrics"] == [
        [
            {
                "class_name": "MeanAbsoluteError",
                "config": {"name": "mean_absolute_error", "dtype": "float32"},
            },
            _wrapper("kld", "kl_divergence"),
            _wrapper("logcosh", "log_cosh"),
        ]
    ]


def test_reloaded_model_logs_the_short_names(tmp_path):
    model = _model()
    model.compile("adam", "mse", metrics=["mae", "acc"])
    x, y = _data()
    model.fit(x, y, epochs=1, verbose=0)
    model.save(tmp_path / "m.h5")
    loaded = keras.models.load_model(tmp_path / "m.h5")
    # The recompiled loss and metrics compute the same values as the original's.
    np.testing.assert_allclose(
        loaded.evaluate(x, y, verbose=0), model.evaluate(x, y, verbose=0), rtol=1e-6
    )
    assert list(loaded.evaluate(x, y, verbose=0, return_dict=True)) == ["loss", "mae", "acc"]
    history = loaded.fit(x, y, epochs=1, verbose=0)
    assert list(history.history) == ["loss", "mae", "acc"]


def test_keras_archive_keeps_keras3_loss_configs(tmp_path):
    import zipfile

    # The .keras format is Keras 3's: Keras 3.15's Huber rejects `fn` and reduction 'auto'.
    model = _model()
    model.compile("adam", keras.losses.Huber(delta=2.0), metrics=["mae"])
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        config = json.loads(archive.read("config.json"))
    assert config["compile_config"]["loss"] == {
        "module": "keras.losses",
        "class_name": "Huber",
        "config": {"name": "huber_loss", "reduction": "sum_over_batch_size", "delta": 2.0},
        "registered_name": None,
    }
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.loss.get_config()["delta"] == 2.0
