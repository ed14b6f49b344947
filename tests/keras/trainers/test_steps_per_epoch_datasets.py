"""fit(dataset, steps_per_epoch=...) across epochs: tf_keras 2.21's losses as constants."""

import warnings

import numpy as np
import pytest

import tork as tf
from tork import keras

X = np.linspace(-1, 1, 24).reshape(24, 1).astype("float32")
Y = 3 * X


def _fit(dataset, steps):
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,), kernel_initializer="zeros")])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the "ran out of data" warning
        history = model.fit(dataset, epochs=3, steps_per_epoch=steps, verbose=0)
    return history.history["loss"]


@pytest.mark.parametrize("mapped", [False, True])
def test_steps_equal_to_the_known_size_restart_the_dataset_each_epoch(mapped):
    # The ZTM course's `fit(train_data, steps_per_epoch=len(train_data), epochs=...)`.
    ds = tf.data.Dataset.from_tensor_slices((X, Y))
    if mapped:
        ds = ds.map(lambda a, b: (a, b))
    ds = ds.batch(8)
    assert len(ds) == 3
    np.testing.assert_allclose(_fit(ds, 3), [3.4134, 2.0888, 1.2751], atol=1e-4)


def test_fewer_steps_continue_through_the_dataset_until_it_ends():
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(8)
    np.testing.assert_allclose(_fit(ds, 2), [2.5866, 5.0669], atol=1e-4)


def test_unknown_size_is_not_restarted():
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).filter(lambda a, b: True).batch(8)
    np.testing.assert_allclose(_fit(ds, 3), [3.4134, 0.0], atol=1e-4)


def _small_model():
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


@pytest.mark.parametrize(
    "method, kwargs, name",
    [
        ("fit", {"steps_per_epoch": 0}, "steps_per_epoch"),
        ("fit", {"steps_per_epoch": -2}, "steps_per_epoch"),
        ("fit", {"steps_per_epoch": float("nan")}, "steps_per_epoch"),
        ("fit", {"validation_steps": 0, "validation_split": 0.5}, "validation_steps"),
        ("evaluate", {"steps": 0}, "steps"),
        ("predict", {"steps": 0}, "steps"),
    ],
)
def test_non_positive_steps_are_refused(method, kwargs, name):
    # Keras 2 refuses these ("must be positive, None or -1"); before, tork ran an empty
    # epoch or skipped validation without a word.
    model = _small_model()
    x = np.ones((8, 2), "float32")
    args = (x,) if method == "predict" else (x, np.ones((8, 1), "float32"))
    with pytest.raises(ValueError) as info:
        getattr(model, method)(*args, verbose=0, **kwargs)
    message = str(info.value)
    assert f"`{name}` must be a positive integer, None or -1" in message
    assert f"Received: {name}=" in message and f"See `Model.{method}`" in message


def test_minus_one_and_whole_float_steps_run_like_none():
    model = _small_model()
    x = np.arange(16, dtype="float32").reshape(8, 2)
    y = np.ones((8, 1), "float32")
    # -1 is Keras 2's "until the data ends": the 8 samples, 4 batches of 2.
    seen = []

    class Count(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    model.fit(x, y, batch_size=2, steps_per_epoch=-1, verbose=0, callbacks=[Count()])
    assert seen == [0, 1, 2, 3]
    seen.clear()
    model.fit(x, y, batch_size=2, steps_per_epoch=2.0, verbose=0, callbacks=[Count()])
    assert seen == [0, 1]
    seen.clear()
    # tf_keras runs the ceiling of a float (course notebooks write len(x) / batch_size).
    model.fit(x, y, batch_size=2, steps_per_epoch=2.5, verbose=0, callbacks=[Count()])
    assert seen == [0, 1, 2]
    assert model.predict(x, steps=-1, verbose=0).shape == (8, 1)


def test_from_tensors_element_is_one_batch():
    # Full-batch training: TF takes the single element of Dataset.from_tensors as a batch.
    x = np.arange(32, dtype="float32").reshape(16, 2) / 32
    y = x.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, kernel_initializer="ones")])
    model.compile("sgd", "mse")
    seen = []

    class Count(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    history = model.fit(
        tf.data.Dataset.from_tensors((x, y)), epochs=2, verbose=0, callbacks=[Count()]
    )
    assert seen == [0, 0] and history.history["loss"][0] == pytest.approx(0.0, abs=1e-10)
    out = model.predict(tf.data.Dataset.from_tensors(x), verbose=0)
    np.testing.assert_allclose(out, y, rtol=1e-6)
    # Slices without .batch() are still refused with the hint.
    with pytest.raises(ValueError, match="look unbatched"):
        model.fit(tf.data.Dataset.from_tensor_slices((x, y)), verbose=0)
