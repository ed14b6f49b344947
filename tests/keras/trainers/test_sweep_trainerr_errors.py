"""User mistakes in fit/evaluate/predict get clear errors, as in tf_keras 2.21 (trainerr).

Found by the user-mistake sweep: steps returning None or logs that are not scalars were
accepted silently, `self.compiled_loss` without a compiled loss failed obscurely, floats for
`epochs`/`batch_size`, a generator function not called, dict keys that name no output were
ignored, `[x]` was refused by a Sequential, `metrics_names` listed entries before any
batch, and `steps` beyond in-memory data went over it again. Reference values are NumPy
formulas or tf_keras 2.21 results (noted where used).
"""

import numpy as np
import pytest

import tork as tf
from tork import keras

X = np.arange(24, dtype="float32").reshape(8, 3) / 24.0
Y = np.arange(8, dtype="float32").reshape(8, 1) / 8.0


def _mlp(name="out"):
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(1, name=name, kernel_initializer="ones")]
    )
    model.compile(optimizer="sgd", loss="mse")
    return model


def _subclassed(train_step=None, test_step=None, predict_step=None, loss="mse"):
    class M(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1)

        def call(self, x):
            return self.d(x)

    for name, fn in (
        ("train_step", train_step),
        ("test_step", test_step),
        ("predict_step", predict_step),
    ):
        if fn is not None:
            setattr(M, name, fn)
    model = M()
    model.compile(optimizer="sgd", loss=loss)
    return model


# -- 1. steps returning None ------------------------------------------------------------
def test_train_step_returning_none_raises():
    model = _subclassed(train_step=lambda self, data: None)
    with pytest.raises(
        TypeError, match=r"train_step\(\) must return a dict of logs.*returned None"
    ):
        model.fit(X, Y, verbose=0)
    with pytest.raises(TypeError, match=r"train_step\(\) .*returned None"):
        model.train_on_batch(X, Y)


def test_test_step_returning_none_raises():
    model = _subclassed(test_step=lambda self, data: None)
    with pytest.raises(TypeError, match=r"test_step\(\) must return a dict of logs.*returned None"):
        model.evaluate(X, Y, verbose=0)
    with pytest.raises(TypeError, match=r"test_step\(\) .*returned None"):
        model.test_on_batch(X, Y)


def test_predict_step_returning_none_raises():
    model = _subclassed(predict_step=lambda self, data: None)
    with pytest.raises(TypeError, match=r"predict_step\(\) must return.*returned None"):
        model.predict(X, verbose=0)
    with pytest.raises(TypeError, match=r"predict_step\(\) must return.*returned None"):
        model.predict_on_batch(X)


# -- 2. log values that are not scalars ------------------------------------------------------
def test_log_value_none_or_string_raises_naming_the_key():
    model = _subclassed(train_step=lambda self, data: {"loss": None})
    with pytest.raises(TypeError, match=r"value for 'loss' is None\. Log values must be scalars"):
        model.fit(X, Y, verbose=0)
    model = _subclassed(train_step=lambda self, data: {"acc": "bad"})
    with pytest.raises(TypeError, match=r"value for 'acc' is a string \('bad'\)"):
        model.fit(X, Y, verbose=0)


def test_vector_metric_results_are_still_logged():
    # F1Score(average=None) logs one value per class, in tf_keras too.
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
    model.compile("sgd", "categorical_crossentropy", metrics=[keras.metrics.F1Score()])
    labels = np.eye(2, dtype="float32")[[0, 1] * 4]
    history = model.fit(X, labels, verbose=0)
    assert np.asarray(history.history["f1_score"][0]).shape == (2,)


# (3. `self.compiled_loss` without a compiled loss: see test_sweep_k2core_trainer.py.)


# -- 4. fit's numeric arguments ------------------------------------------------------------------
@pytest.mark.parametrize("epochs", [2.5, 2.0, "2"])
def test_fit_epochs_must_be_an_integer(epochs):
    # tf_keras 2.21 refuses 2.0 as well (TypeError from its int64 conversion).
    with pytest.raises(TypeError, match=r"fit\(\) expects `epochs` to be an integer"):
        _mlp().fit(X, Y, epochs=epochs, verbose=0)


def test_fit_batch_size_checks():
    with pytest.raises(
        TypeError, match=r"`batch_size` to be an integer, but received batch_size=4\.0"
    ):
        _mlp().fit(X, Y, batch_size=4.0, verbose=0)
    # tf_keras: "Expected batch_size to be positive".
    with pytest.raises(ValueError, match=r"`batch_size` to be at least 1"):
        _mlp().fit(X, Y, batch_size=0, verbose=0)
    with pytest.raises(TypeError, match=r"evaluate\(\) expects `batch_size`"):
        _mlp().evaluate(X, Y, batch_size=2.0, verbose=0)


def test_fit_numpy_integers_are_accepted():
    history = _mlp().fit(
        X,
        Y,
        epochs=np.int64(2),
        batch_size=np.int32(4),
        validation_data=(X, Y),
        validation_freq=np.int64(2),
        verbose=0,
    )
    assert len(history.history["loss"]) == 2
    assert len(history.history["val_loss"]) == 1


def test_fit_validation_freq_checks():
    with pytest.raises(ValueError, match=r"`validation_freq` to be a positive integer"):
        _mlp().fit(X, Y, validation_data=(X, Y), validation_freq=0, verbose=0)
    # The tf_keras 2.21 message.
    with pytest.raises(
        ValueError,
        match=r"Expected `validation_freq` to be a list or int\. Received: validation_freq=1\.0",
    ):
        _mlp().fit(X, Y, validation_data=(X, Y), validation_freq=1.0, verbose=0)


# -- 5. a generator function not called -------------------------------------------------------
def test_generator_function_not_called():
    def batches():
        while True:
            yield X, Y

    with pytest.raises(
        ValueError, match=r"generator function `batches` itself.*fit\(batches\(\)\)"
    ):
        _mlp().fit(batches, steps_per_epoch=2, verbose=0)
    with pytest.raises(ValueError, match=r"call it: validation_data=batches\(\)"):
        _mlp().fit(X, Y, validation_data=batches, validation_steps=1, verbose=0)
    with pytest.raises(ValueError, match=r"call it: predict\(batches\(\)\)"):
        _mlp().predict(batches, steps=1, verbose=0)


# -- 6. dicts keyed by output name --------------------------------------------------------------
def _two_outputs():
    inputs = keras.Input((3,))
    a = keras.layers.Dense(1, name="a")(inputs)
    b = keras.layers.Dense(1, name="b")(inputs)
    return keras.Model(inputs, [a, b])


@pytest.mark.parametrize("arg", ["metrics", "weighted_metrics"])
def test_metrics_dict_with_unknown_output_raises(arg):
    model = _two_outputs()
    model.compile("sgd", "mse", **{arg: {"c": "mae"}})
    with pytest.raises(
        ValueError, match=rf"compile\({arg}=...\) has keys \['c'\].*the outputs are \['a', 'b'\]"
    ):
        model.fit(X, [Y, Y], verbose=0)


def _weighted_mse(w):
    # Dense(1, kernel=ones, bias=0): the prediction is the row sum; Keras's default
    # reduction divides the weighted sum by the batch size.
    per_sample = (X.sum(axis=1, keepdims=True) - Y)[:, 0] ** 2
    return float(np.sum(per_sample * w) / len(w))


def test_sample_weight_dict_on_sequential_is_applied():
    # tf_keras 2.21 names a Sequential's output after its last layer: 7.2734375 here.
    w = np.arange(8, dtype="float32")
    model = _mlp()
    by_name = model.evaluate(X, Y, sample_weight={"out": w}, verbose=0)
    np.testing.assert_allclose(by_name, _weighted_mse(w), rtol=1e-6)
    np.testing.assert_allclose(by_name, 7.2734375, rtol=1e-6)
    history = _mlp().fit(X, Y, sample_weight={"out": w}, batch_size=8, verbose=0)
    np.testing.assert_allclose(history.history["loss"][0], _weighted_mse(w), rtol=1e-6)


def test_unknown_sample_weight_or_y_key_raises_listing_outputs():
    with pytest.raises(
        ValueError, match=r"`sample_weight` dict has keys \['zzz'\].*the outputs are \['out'\]"
    ):
        _mlp().evaluate(X, Y, sample_weight={"zzz": np.ones(8)}, verbose=0)
    with pytest.raises(ValueError, match=r"`y` dict has keys \['zzz'\].*the outputs are \['out'\]"):
        _mlp().fit(X, {"zzz": Y}, verbose=0)


def test_y_and_loss_dicts_by_sequential_output_name():
    expected = _weighted_mse(np.ones(8, "float32"))
    np.testing.assert_allclose(_mlp().evaluate(X, {"out": Y}, verbose=0), expected, rtol=1e-6)
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(1, name="out", kernel_initializer="ones")]
    )
    model.compile("sgd", loss={"out": "mse"}, metrics={"out": ["mae"]})
    logs = model.evaluate(X, Y, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["loss"], expected, rtol=1e-6)
    mae = float(np.mean(np.abs(X.sum(axis=1, keepdims=True) - Y)))
    np.testing.assert_allclose(logs["mae"], mae, rtol=1e-6)


# -- 7. [x] for a Sequential's single input ------------------------------------------------------
def test_sequential_takes_a_one_element_list():
    model = _mlp()
    expected = X.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(model.predict_on_batch([X]), expected, rtol=1e-6)
    np.testing.assert_allclose(np.asarray(model([X])), expected, rtol=1e-6)
    np.testing.assert_allclose(model.predict([X], verbose=0), expected, rtol=1e-6)


# -- 8. metrics_names before any batch -----------------------------------------------------------
def test_metrics_names_empty_until_a_batch_builds_them():
    model = _mlp()
    model.compile("sgd", "mse", metrics=["mae"])
    assert model.metrics_names == []  # tf_keras 2.21
    model.evaluate(X, Y, verbose=0)
    assert model.metrics_names == ["loss", "mae"]


# -- 9. steps beyond in-memory data ---------------------------------------------------------------
RAN_OUT = r"Your input ran out of data.*\(in this case, 5 batches\)"


def test_evaluate_and_predict_steps_stop_at_the_end_of_arrays():
    # tf_keras 2.21: the 2 batches once (1.328125), with the ran-out warning.
    model = _mlp()
    with pytest.warns(UserWarning, match=RAN_OUT):
        loss = model.evaluate(X, Y, batch_size=4, steps=5, verbose=0)
    np.testing.assert_allclose(loss, _weighted_mse(np.ones(8, "float32")), rtol=1e-6)
    np.testing.assert_allclose(loss, 1.328125, rtol=1e-6)
    with pytest.warns(UserWarning, match=RAN_OUT):
        predictions = model.predict(X, batch_size=4, steps=5, verbose=0)
    assert predictions.shape == (8, 1)


@pytest.mark.parametrize("as_dataset", [False, True])
def test_validation_steps_beyond_the_data_validate_once(as_dataset):
    # tf_keras 2.21: the first epoch validates on all the data and warns; its validation
    # data then stays exhausted, so later epochs have no val_loss.
    model = _mlp()
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    val = tf.data.Dataset.from_tensor_slices((X, Y)).batch(4) if as_dataset else (X, Y)
    with pytest.warns(UserWarning, match=RAN_OUT):
        history = model.fit(
            X, Y, epochs=3, batch_size=4, validation_data=val, validation_steps=5, verbose=0
        )
    assert len(history.history["loss"]) == 3
    np.testing.assert_allclose(history.history["val_loss"], [1.328125], rtol=1e-6)
