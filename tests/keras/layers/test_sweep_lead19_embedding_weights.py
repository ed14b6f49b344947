"""`Embedding(weights=[table])` sets the table once built, as Keras 2.

tf_keras 2.21 (TF_USE_LEGACY_KERAS=1): the layer is not built by its constructor, so
its table is named in the scope it is called in (`m/emb/embeddings:0`) and listed after
the weights made before it (FastSpeech's position tables, the GloVe pattern).
"""

import numpy as np
import pytest

import tork as tf

TABLE = np.arange(12, dtype="float32").reshape(6, 2)


def test_table_named_and_ordered_as_keras2():
    class M(tf.keras.Model):
        def __init__(self):
            super().__init__(name="m")
            self.d = tf.keras.layers.Dense(2, name="d")
            self.emb = tf.keras.layers.Embedding(6, 2, weights=[TABLE], name="emb", trainable=False)

        def call(self, x):
            return self.d(self.emb(x))

    model = M()
    model(np.array([[1, 2]]))
    assert [w.name for w in model.weights] == [
        "m/d/kernel:0",
        "m/d/bias:0",
        "m/emb/embeddings:0",
    ]
    assert [w.name for w in model.trainable_weights] == ["m/d/kernel:0", "m/d/bias:0"]
    np.testing.assert_array_equal(np.asarray(model.emb(np.array([[5]]))), [[[10.0, 11.0]]])


def test_not_built_by_the_constructor():
    layer = tf.keras.layers.Embedding(6, 2, weights=[TABLE])
    assert not layer.built and layer.weights == []
    np.testing.assert_array_equal(np.asarray(layer(np.array([3, 4]))), TABLE[[3, 4]])


def test_wrong_table_shape_raises_in_the_constructor():
    with pytest.raises(ValueError, match=r"shape \(6, 2\).*got an array of shape \(5, 2\)"):
        tf.keras.layers.Embedding(6, 2, weights=[TABLE[:5]])
