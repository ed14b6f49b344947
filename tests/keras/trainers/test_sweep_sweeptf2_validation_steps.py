"""fit(validation_data=dataset, validation_steps=n) validates every epoch (sweeptf2).

Found by the RNN text-classification tutorial: a validation dataset of exactly
`validation_steps` batches that is not served by the in-memory fast path (strings, a
`map`) was used up by one epoch, and the next epoch validated on nothing: its `val_*`
entries and its progress line were missing (tf_keras 2.21 validates every epoch). Found by
the NMT-with-attention tutorial: with `validation_steps` below the dataset's length, each
epoch's validation continued where the last one stopped; tf_keras starts every validation
(and every evaluate call) from the dataset's first batch.
"""

import numpy as np
import pytest

import tork as tf
from tork import keras


def _model():
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(3,))])
    model.set_weights([np.array([[0.5], [-1.0], [2.0]], "float32"), np.array([0.25], "float32")])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    return model


def _data():
    x = np.arange(48, dtype="float32").reshape(16, 3) / 10.0
    y = np.ones((16, 1), "float32")
    return x, y


def _expected_mse(x, y):
    pred = x @ np.array([[0.5], [-1.0], [2.0]], "float32") + 0.25
    return float(np.mean((pred - y) ** 2))


def test_validation_steps_equal_to_dataset_length_validates_every_epoch():
    x, y = _data()
    train = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    val = tf.data.Dataset.from_tensor_slices((x[:8], y[:8])).map(lambda a, b: (a, b)).batch(8)
    history = _model().fit(train, epochs=3, validation_data=val, validation_steps=1, verbose=0)
    expected = _expected_mse(x[:8], y[:8])
    assert len(history.history["val_loss"]) == 3
    np.testing.assert_allclose(history.history["val_loss"], [expected] * 3, rtol=1e-5)


def test_validation_steps_on_string_dataset_validates_every_epoch():
    texts = np.array(["a b", "b c", "c a", "a a"] * 4)
    labels = np.ones((16, 1), "float32")
    vectorize = keras.layers.TextVectorization(max_tokens=6, output_mode="count")
    vectorize.adapt(texts)
    model = keras.Sequential([vectorize, keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    train = tf.data.Dataset.from_tensor_slices((texts, labels)).batch(4)
    val = tf.data.Dataset.from_tensor_slices((texts[:4], labels[:4])).batch(4)
    history = model.fit(train, epochs=3, validation_data=val, validation_steps=1, verbose=0)
    losses = history.history["val_loss"]
    assert len(losses) == 3
    # SGD(0.0) leaves the weights alone: every epoch sees the same validation loss.
    np.testing.assert_allclose(losses, [losses[0]] * 3, rtol=1e-6)
    np.testing.assert_allclose(losses[0], model.evaluate(val, verbose=0), rtol=1e-6)


def test_validation_steps_on_empty_dataset_still_ends():
    x, y = _data()
    train = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
    val = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a, b)).take(0).batch(4)
    with pytest.warns(UserWarning, match="ran out of data"):
        history = _model().fit(train, epochs=2, validation_data=val, validation_steps=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_validation_steps_start_from_the_first_batch_every_epoch():
    # Rows 0..23 in 3 batches of 8; the model is y = x (SGD(0.0) keeps it), labels 0, so
    # each batch's MAE is its mean row: 3.5, 11.5, 19.5. Two steps: (3.5 + 11.5) / 2.
    x = np.arange(24, dtype="float32").reshape(24, 1)
    y = np.zeros((24, 1), "float32")
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,), use_bias=False)])
    model.set_weights([np.ones((1, 1), "float32")])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mae")
    train = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    val = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a, b)).batch(8)
    history = model.fit(train, epochs=4, validation_data=val, validation_steps=2, verbose=0)
    np.testing.assert_allclose(history.history["val_loss"], [7.5] * 4)
    np.testing.assert_allclose(model.evaluate(val, steps=2, verbose=0), 7.5)
    np.testing.assert_allclose(model.evaluate(val, steps=2, verbose=0), 7.5)


def test_evaluate_and_predict_stop_where_the_data_ends():
    # tf_keras 2.21: evaluate(steps=4) on 3 batches averages the 3 (11.5) and predict
    # returns their 24 rows, warning that the input ran out; no batch is used twice.
    x = np.arange(24, dtype="float32").reshape(24, 1)
    y = np.zeros((24, 1), "float32")
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,), use_bias=False)])
    model.set_weights([np.ones((1, 1), "float32")])
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mae")
    data = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a, b)).batch(8)
    message = r"Your input ran out of data; interrupting training.*\(in this case, 4 batches\)"
    with pytest.warns(UserWarning, match=message):
        loss = model.evaluate(data, steps=4, verbose=0)
    np.testing.assert_allclose(loss, 11.5)
    with pytest.warns(UserWarning, match=message):
        predictions = model.predict(data, steps=4, verbose=0)
    np.testing.assert_allclose(predictions, x)
