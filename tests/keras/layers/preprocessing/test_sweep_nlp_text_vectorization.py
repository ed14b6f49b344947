"""Sweep (nlp): TextVectorization as the first layer of a Sequential (language-model code).

tf_keras 2.21 reports `TextVectorization().dtype == "string"` and builds
`Sequential([TextVectorization(split=None, input_shape=(5,)), Embedding(...)])`
with output shapes (None, 5) and (None, 5, 8).
"""

import numpy as np

import tork as tf
from tork.keras import layers


def test_default_dtype_is_string():
    tv = layers.TextVectorization()
    assert tv.dtype == "string"
    assert tv.get_config()["dtype"] == "string"


def test_sequential_with_input_shape_builds_on_strings():
    tv = layers.TextVectorization(max_tokens=10, standardize=None, split=None, input_shape=(5,))
    tv.adapt(["th", "e ", "ca", "t ", "sa", "th"])
    model = tf.keras.Sequential([tv, layers.Embedding(12, 8), layers.GRU(4, return_sequences=True)])
    assert model.built
    assert tuple(model.input_shape) == (None, 5)
    assert tuple(model.layers[0].output_shape) == (None, 5)
    assert tuple(model.layers[1].output_shape) == (None, 5, 8)
    out = model.predict(np.array([["th", "e ", "ca", "zz", "t "]]), verbose=0)
    assert out.shape == (1, 5, 4)
    # "th" is the most frequent token (index 2); unknown "zz" maps to 1 ([UNK]).
    ids = np.asarray(tv(np.array([["th", "e ", "ca", "zz", "t "]])))
    assert ids[0, 0] == 2 and ids[0, 3] == 1
