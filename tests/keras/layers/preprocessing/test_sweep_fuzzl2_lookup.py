"""StringLookup(num_oov_indices=0, output_mode='tf_idf') in a functional model.

tf_keras 2.21 builds it on keras.Input (output (None, 4)); tork failed while inferring the
symbolic shape (the placeholder strings are out of vocabulary). Expected predictions are
tf_keras's on the same model and data.
"""

import numpy as np
import pytest

import tork as tf

VOCAB = ["a", "b", "c", "hello"]
X = np.array([["a", "hello"], ["c", "c"]])
TF_OUT = {
    "multi_hot": [[1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 1.0, 0.0]],
    "count": [[1.0, 0.0, 0.0, 1.0], [0.0, 0.0, 2.0, 0.0]],
    "tf_idf": [[0.5, 0.0, 0.0, 1.25], [0.0, 0.0, 2.0, 0.0]],
}


@pytest.mark.parametrize("mode", list(TF_OUT))
def test_no_oov_indices_in_functional_model(mode):
    kw = {"idf_weights": [0.5, 0.75, 1.0, 1.25]} if mode == "tf_idf" else {}
    layer = tf.keras.layers.StringLookup(
        vocabulary=VOCAB, num_oov_indices=0, output_mode=mode, **kw
    )
    inp = tf.keras.Input(batch_shape=(None, 2), dtype="string")
    out = layer(inp)
    assert tuple(out.shape) == (None, 4)
    model = tf.keras.Model(inp, out)
    np.testing.assert_allclose(model.predict(X, verbose=0), TF_OUT[mode])


def test_no_oov_indices_still_rejects_oov_values_in_a_model():
    layer = tf.keras.layers.StringLookup(
        vocabulary=VOCAB, num_oov_indices=0, output_mode="tf_idf", idf_weights=[1.0] * 4
    )
    inp = tf.keras.Input(batch_shape=(None, 2), dtype="string")
    model = tf.keras.Model(inp, layer(inp))
    with pytest.raises(ValueError, match=r"num_oov_indices=0.*found OOV values \['zz'\]"):
        model.predict(np.array([["a", "zz"]]), verbose=0)
