"""fuzzt3: a model whose outputs are a dict, keyed differently from its layers' names and not in
sorted order. Keras 2 matches compile's/fit's dicts by the keys, but lists the per-output losses
and metrics in sorted-key order (tf.nest's) and names them after the output layers.

Reference numbers from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1, tensorflow-cpu 2.21).
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = np.array([[0.5, -1.0, 0.2], [1.5, 0.2, -0.3], [-0.3, 0.8, 1.0], [1.0, 1.0, -1.0]], "float32")
Y_REG = np.array([[1.0], [0.0], [2.0], [-1.0]], "float32")
Y_BIN = np.array([[1.0], [0.0], [0.0], [1.0]], "float32")
WEIGHTS = [
    np.array([[0.2], [-0.1], [0.3]], "float32"),
    np.array([0.0], "float32"),
    np.array([[0.4], [0.1], [-0.2]], "float32"),
    np.array([0.1], "float32"),
]


def _model(reg_name="a", bin_name="y"):
    inputs = keras.Input((3,))
    reg = keras.layers.Dense(1, name=reg_name)(inputs)
    binary = keras.layers.Dense(1, activation="sigmoid", name=bin_name)(inputs)
    model = keras.Model(inputs, {"z": reg, "b": binary})  # insertion order z, b; sorted b, z
    model.set_weights(WEIGHTS)
    return model


def _compile(model):
    model.compile(
        keras.optimizers.SGD(0.1),
        {"z": "mse", "b": "binary_crossentropy"},
        metrics={"z": "mae", "b": "accuracy"},
        loss_weights={"z": 0.5, "b": 2.0},
    )


def test_logs_are_named_after_the_layers_in_sorted_key_order():
    model = _model()
    assert model.output_names == ["y", "a"]
    _compile(model)
    history = model.fit(
        X, {"z": Y_REG, "b": Y_BIN}, batch_size=2, epochs=2, verbose=0, shuffle=False
    )
    expected = {
        "loss": [2.6082239151000977, 2.2515926361083984],
        "y_loss": [0.7546003460884094, 0.7321765422821045],
        "a_loss": [2.1980466842651367, 1.574479103088379],
        "y_accuracy": [0.25, 0.25],
        "a_mae": [1.3652725219726562, 1.1358213424682617],
    }
    assert list(history.history) == list(expected)
    for key, values in expected.items():
        np.testing.assert_allclose(history.history[key], values, rtol=1e-5)
    assert model.metrics_names == ["loss", "y_loss", "a_loss", "y_accuracy", "a_mae"]
    # evaluate's list follows metrics_names: the `b` output's (layer `y`) loss comes first.
    np.testing.assert_allclose(
        model.evaluate(X, {"z": Y_REG, "b": Y_BIN}, verbose=0),
        [1.9730006456375122, 0.6924691796302795, 1.1761245727539062, 0.5, 0.9625560641288757],
        rtol=1e-5,
    )


def test_sorted_order_when_keys_are_the_layer_names():
    model = _model(reg_name="z", bin_name="b")
    _compile(model)
    history = model.fit(
        X, {"z": Y_REG, "b": Y_BIN}, batch_size=2, epochs=1, verbose=0, shuffle=False
    )
    # Same numbers as above: only the names change (tf_keras 2.21).
    assert list(history.history) == ["loss", "b_loss", "z_loss", "b_accuracy", "z_mae"]
    assert history.history["b_loss"] == [pytest.approx(0.7546003460884094, rel=1e-5)]
    assert history.history["z_mae"] == [pytest.approx(1.3652725219726562, rel=1e-5)]


def test_monitor_by_layer_name_sees_the_validation_log():
    model = _model()
    _compile(model)
    stopper = keras.callbacks.EarlyStopping(monitor="val_a_loss", patience=0)
    history = model.fit(
        X,
        {"z": Y_REG, "b": Y_BIN},
        validation_data=(X, {"z": Y_REG, "b": Y_BIN}),
        epochs=2,
        verbose=0,
        callbacks=[stopper],
    )
    assert "val_a_loss" in history.history and "val_y_accuracy" in history.history
