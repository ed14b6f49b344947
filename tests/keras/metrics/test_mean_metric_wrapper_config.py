"""MeanMetricWrapper.from_config with a metric name as `fn` (Keras 2 files store it so)."""

import numpy as np

import tork as tf
from tork import keras


def test_fn_given_by_name_is_the_per_batch_function():
    eye = np.eye(4, dtype="float32")
    metric = keras.metrics.MeanMetricWrapper.from_config(
        {"name": "accuracy", "dtype": "float32", "fn": "sparse_categorical_accuracy"}
    )
    metric.update_state([0, 1], eye[[0, 1]])  # 2 of 2 right
    metric.update_state([2, 3], eye[[0, 0]])  # 0 of 2 right
    assert float(metric.result()) == 0.5  # tf_keras 2.21 (a running total gave 0.75)


def test_accuracy_after_loading_an_h5_model_matches_before(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(36, 4)).astype("float32")
    y = rng.integers(0, 3, size=36)
    model = keras.Sequential([keras.layers.Dense(3, activation="softmax", input_shape=(4,))])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=1, verbose=0)
    before = model.evaluate(x, y, batch_size=8, verbose=0)
    model.save(tmp_path / "m.h5")
    loaded = tf.keras.models.load_model(tmp_path / "m.h5")
    after = loaded.evaluate(x, y, batch_size=8, verbose=0)
    predicted = np.argmax(model.predict(x, verbose=0), axis=1)
    np.testing.assert_allclose(after[1], np.mean(predicted == y), atol=1e-6)
    np.testing.assert_allclose(after, before, rtol=1e-5)
