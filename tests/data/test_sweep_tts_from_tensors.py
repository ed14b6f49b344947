"""`Dataset.from_tensors(...)` repeated or taken: each element is a whole batch.

Pattern from danielegrattarola/spektral (spektral/data/loaders.py's SingleLoader:
`tf.data.Dataset.from_tensors(((x, a), y, sample_weight)).repeat()`) and full-batch training
scripts: `model.fit(Dataset.from_tensors((x, y)).repeat(3))`. tf_keras trains on each
element as one batch; tork refused a finite `.repeat(n)` / `.take(n)` of such a dataset as
"unbatched". Expected numbers: tf_keras 2.21 (reference env), same script.
"""

import numpy as np

import tork as tf


def _data():
    x = np.arange(12, dtype=np.float32).reshape(6, 2) / 10
    y = (x @ np.array([[1.0], [-2.0]], np.float32) + 0.5).astype(np.float32)
    return x, y


def _model():
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(1, kernel_initializer="zeros", input_shape=(2,))]
    )
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    return model


def test_fit_on_repeated_from_tensors_trains_full_batches():
    x, y = _data()
    model = _model()
    history = model.fit(tf.data.Dataset.from_tensors((x, y)).repeat(3), epochs=2, verbose=0)
    # tf_keras 2.21: three full-batch SGD steps per epoch.
    np.testing.assert_allclose(history.history["loss"], [0.11689854, 0.06689752], rtol=1e-5)
    np.testing.assert_allclose(
        model.get_weights()[0].ravel(), [-0.15061003, -0.15732338], rtol=1e-5
    )
    np.testing.assert_allclose(model.get_weights()[1], [-0.06713338], rtol=1e-5)


def test_take_predict_and_evaluate_on_from_tensors():
    x, y = _data()
    model = _model()
    history = model.fit(tf.data.Dataset.from_tensors((x, y)).repeat().take(2), verbose=0)
    # tf_keras 2.21 values.
    np.testing.assert_allclose(history.history["loss"], [0.13261108], rtol=1e-5)
    np.testing.assert_allclose(
        model.get_weights()[0].ravel(), [-0.07554445, -0.08174311], rtol=1e-5
    )
    assert model.predict(tf.data.Dataset.from_tensors(x).repeat(2), verbose=0).shape == (12, 1)
    loss = model.evaluate(tf.data.Dataset.from_tensors((x, y)).repeat(2), verbose=0)
    np.testing.assert_allclose(loss, 0.08547345, rtol=1e-5)
