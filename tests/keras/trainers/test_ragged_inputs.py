"""fit/evaluate/predict on RaggedTensor inputs (datasets and in-memory), as tf_keras."""

import numpy as np

import tork as tf
from tork import keras

ROWS = [[1, 2], [3], [4, 5, 6], [7]]
Y = np.array([[0.0], [1.0], [0.0], [1.0]], "float32")


class MeanEmbedding(keras.Model):
    def __init__(self):
        super().__init__()
        self.emb = keras.layers.Embedding(10, 4)
        self.d = keras.layers.Dense(1)

    def call(self, x):
        return self.d(tf.reduce_mean(self.emb(x), axis=1))


def _reference(model):
    table = model.emb.embeddings.detach().numpy()
    kernel, bias = (w.detach().numpy() for w in model.d.weights)
    means = np.stack([table[row].mean(axis=0) for row in ROWS])
    return means @ kernel + bias


def test_predict_and_evaluate_on_a_ragged_dataset():
    x = tf.ragged.constant(ROWS)
    model = MeanEmbedding()
    model.compile("sgd", "mse")
    dataset = tf.data.Dataset.from_tensor_slices((x, Y)).batch(2)
    predicted = model.predict(dataset, verbose=0)
    np.testing.assert_allclose(predicted, _reference(model), rtol=1e-5, atol=1e-6)
    loss = model.evaluate(dataset, verbose=0)
    np.testing.assert_allclose(loss, np.mean((_reference(model) - Y) ** 2), rtol=1e-5)


def test_fit_on_ragged_arrays_and_datasets():
    x = tf.ragged.constant(ROWS)
    model = MeanEmbedding()
    model.compile(keras.optimizers.SGD(0.5), "mse")
    history = model.fit(x, Y, batch_size=2, epochs=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    np.testing.assert_allclose(model.predict(x, verbose=0), _reference(model), rtol=1e-5, atol=1e-6)
    again = model.fit(tf.data.Dataset.from_tensor_slices((x, Y)).batch(2), epochs=1, verbose=0)
    assert len(again.history["loss"]) == 1


def test_predict_concatenates_string_and_ragged_outputs():
    inputs = keras.Input((3,), dtype="int64")
    names = keras.layers.StringLookup(vocabulary=["a", "b", "c"], invert=True)(inputs)
    model = keras.Model(inputs, names)
    out = model.predict(np.array([[1, 2, 3], [0, 1, 9], [2, 2, 2]]), batch_size=2, verbose=0)
    assert isinstance(out, np.ndarray) and out.dtype == object
    assert out.tolist() == [[b"a", b"b", b"c"], [b"[UNK]", b"a", b"[UNK]"], [b"b", b"b", b"b"]]

    class Ids(keras.Model):
        def __init__(self):
            super().__init__()
            self.lookup = keras.layers.StringLookup(vocabulary=["x", "y"])

        def call(self, x):
            return self.lookup(x)

    words = tf.ragged.constant([["x", "y", "z"], ["y"], ["x", "x"]])
    ragged = Ids().predict(tf.data.Dataset.from_tensor_slices(words).batch(2), verbose=0)
    assert isinstance(ragged, tf.RaggedTensor)
    assert ragged.to_list() == [[1, 2, 0], [2], [1, 1]]
