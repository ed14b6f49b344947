"""jit_compile=True with a Keras 2 legacy optimizer (titu1994's keras-one-cycle setup).

The compiled forward-and-loss step traced tork's in-place scan of the loss function, whose
cache keys hold code objects: dynamo failed building its guards (SyntaxError). The scan's
answer is now a constant under torch.compile. Reference: the same fit run eagerly (the
compiled step computes the same float32 operations).
"""

from __future__ import annotations

import numpy as np

import tork as tf

keras = tf.keras

X = np.random.RandomState(0).rand(32, 4).astype("float32")
Y = X.sum(1, keepdims=True)
W = np.array([[0.1], [-0.2], [0.3], [0.05]], "float32")


def _halved_mse(y_true, y_pred):
    diff = y_pred - y_true
    diff /= 2.0  # written for TF's immutable tensors: tork hands it copies
    return tf.reduce_mean(tf.square(diff), axis=-1)


def _history(jit: bool, loss) -> list:
    model = keras.Sequential([keras.layers.Dense(1, input_shape=(4,), name="d")])
    model.set_weights([W, np.zeros(1, "float32")])
    model.compile(keras.optimizers.legacy.SGD(0.1, momentum=0.9), loss=loss, jit_compile=jit)
    return model.fit(X, Y, epochs=2, batch_size=16, shuffle=False, verbose=0).history["loss"]


def test_legacy_optimizer_with_jit_compile_matches_eager():
    np.testing.assert_allclose(_history(True, "mse"), _history(False, "mse"), rtol=1e-5)


def test_in_place_loss_with_jit_compile_matches_eager():
    eager = _history(False, _halved_mse)
    np.testing.assert_allclose(_history(True, _halved_mse), eager, rtol=1e-5)
    # By hand for the first batch: the loss is mean(((X @ W - Y) / 2) ** 2) of the first 16.
    first = (((X[:16] @ W - Y[:16]) / 2.0) ** 2).mean()
    assert eager[0] < first  # the epoch mean after updates starts below the initial loss
