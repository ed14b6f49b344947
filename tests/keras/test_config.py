"""keras.config (Keras 3's settings namespace) and interactive logging."""

import logging

import numpy as np
import pytest

from tork import keras
from tork.keras.saving.errors import KerasFileError


@pytest.fixture
def restore_config():
    yield
    from tork.keras import config
    from tork.keras.saving import serialization

    keras.utils.enable_interactive_logging()
    config.enable_traceback_filtering()
    config._FLASH_ATTENTION = None
    serialization._GLOBAL_SAFE_MODE = None
    keras.config.set_floatx("float32")
    keras.config.set_dtype_policy("float32")


def test_settings_are_the_backend_and_mixed_precision_ones(restore_config):
    assert keras.config.floatx() == "float32"
    keras.config.set_floatx("float64")
    assert keras.backend.floatx() == "float64"
    assert keras.config.epsilon() == keras.backend.epsilon() == 1e-7
    assert keras.config.image_data_format() == "channels_last"
    assert keras.config.backend() == "torch"
    # tf.keras.backend.backend() is always "tensorflow" (tf_keras 2.21): Keras 2 code
    # branches on it before calling TF functions.
    assert keras.backend.backend() == "tensorflow"
    keras.config.set_dtype_policy("mixed_float16")
    assert keras.config.dtype_policy().name == "mixed_float16"
    assert keras.mixed_precision.global_policy().name == "mixed_float16"
    assert keras.layers.Dense(2).compute_dtype == "float16"


def test_recorded_flags(restore_config):
    assert keras.config.is_traceback_filtering_enabled() is True
    keras.config.disable_traceback_filtering()
    assert keras.config.is_traceback_filtering_enabled() is False
    assert keras.config.is_flash_attention_enabled() is None
    keras.config.enable_flash_attention()
    assert keras.config.is_flash_attention_enabled() is True
    keras.config.disable_flash_attention()
    assert keras.config.is_flash_attention_enabled() is False
    assert keras.config.is_nnx_enabled() is False


def test_set_backend_accepts_only_torch():
    keras.config.set_backend("torch")
    with pytest.raises(ValueError, match=r"set_backend\('jax'\): tork runs Keras code on PyTorch"):
        keras.config.set_backend("jax")


def test_max_epochs_and_steps_cap_fit_evaluate_and_predict(restore_caps):
    # Keras 3.15 with set_max_epochs(2), set_max_steps_per_epoch(3), 10 batches of 4:
    # fit runs 2 epochs of 3 batches, evaluate and predict 3 batches (12 predictions).
    batches = {"train": 0, "test": 0, "predict": 0}

    class Count(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batches["train"] += 1

        def on_test_batch_end(self, batch, logs=None):
            batches["test"] += 1

        def on_predict_batch_end(self, batch, logs=None):
            batches["predict"] += 1

    keras.config.set_max_epochs(2)
    keras.config.set_max_steps_per_epoch(3)
    assert (keras.config.max_epochs(), keras.config.max_steps_per_epoch()) == (2, 3)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.ones((40, 2), "float32"), np.ones((40, 1), "float32")
    history = model.fit(x, y, batch_size=4, epochs=5, verbose=0, callbacks=[Count()])
    assert len(history.history["loss"]) == 2 and batches["train"] == 6
    model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[Count()])
    assert batches["test"] == 3
    assert model.predict(x, batch_size=4, verbose=0, callbacks=[Count()]).shape == (12, 1)
    assert batches["predict"] == 3


@pytest.fixture
def restore_caps():
    yield
    keras.config.set_max_epochs(None)
    keras.config.set_max_steps_per_epoch(None)


def test_caps_come_from_the_environment():
    import subprocess
    import sys

    code = "from tork import keras; print(keras.config.max_epochs(), keras.config.max_steps_per_epoch())"
    env = {**__import__("os").environ, "KERAS_MAX_EPOCHS": "4", "KERAS_MAX_STEPS_PER_EPOCH": "7"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["4", "7"], out.stderr


def test_enable_unsafe_deserialization_loads_lambda(tmp_path, restore_config):
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Lambda(lambda t: t * 2.0 - 1.0)(inputs))
    path = tmp_path / "lambda.keras"
    model.save(path)
    with pytest.raises(KerasFileError, match=r"enable_unsafe_deserialization\(\)"):
        keras.models.load_model(path)
    keras.config.enable_unsafe_deserialization()
    restored = keras.models.load_model(path)
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(restored.predict(x, verbose=0), x * 2.0 - 1.0)
    # An explicit scope still wins over the global setting.
    with keras.saving.serialization.SafeModeScope(True):
        with pytest.raises(KerasFileError, match="bytecode"):
            keras.models.load_model(path)


def test_interactive_logging_sends_progress_and_summary_to_the_log(capsys, caplog, restore_config):
    assert keras.utils.is_interactive_logging_enabled() is True
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, name="out")])
    model.compile("sgd", "mse")
    x = np.ones((4, 2), "float32")
    keras.config.disable_interactive_logging()
    assert keras.config.is_interactive_logging_enabled() is False
    with caplog.at_level(logging.INFO, logger="keras"):
        model.fit(x, x[:, :1], epochs=2, batch_size=2, verbose=1)
        model.summary()
    assert capsys.readouterr().out == ""
    messages = [r.getMessage() for r in caplog.records if r.name == "keras"]
    assert "Epoch 1/2" in messages and "Epoch 2/2" in messages
    assert any("2/2" in m and "loss" in m for m in messages)
    assert not any("\b" in m or "\r" in m for m in messages)
    assert any("out (Dense)" in m for m in messages)
    keras.utils.enable_interactive_logging()
    model.summary()
    assert "out (Dense)" in capsys.readouterr().out
