"""PyImageSearch sweep: crossentropies read `_keras_logits` whatever activation made them.

tf.keras (Keras 2 and Keras 3 on TF) replaces a `from_logits=False` prediction by the
logits its sigmoid/softmax activation kept, without checking which activation it was.
PyImageSearch's 2-class classifiers (smile detector, "Not Santa", face-mask and COVID-19
detectors) end in `Dense(2, activation="softmax")` and compile with
`loss="binary_crossentropy"`: on TF that loss is the sigmoid crossentropy of the softmax's
logits (0.6731 in the model below), not the clipped BCE of the probabilities (0.82).

`recover_logits` reads the kept logits whatever activation made them, and the binary
focal loss takes its focal factor from the predictions as given, as TF.
"""

import numpy as np

import tork as tf
from tork import keras

Z = np.array([[2.0, -1.0], [0.5, 3.0]], dtype=np.float32)
Y = np.array([[1.0, 0.0], [1.0, 0.0]], dtype=np.float32)


def _sigmoid_ce(z, y):
    # Stable sigmoid crossentropy on logits: max(z, 0) - z*y + log(1 + exp(-|z|)).
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))


def _softmax_ce(z, y):
    zs = z - z.max(axis=-1, keepdims=True)
    return -(y * (zs - np.log(np.exp(zs).sum(axis=-1, keepdims=True)))).sum(axis=-1)


def test_bce_on_softmax_output_uses_the_softmax_logits():
    out = keras.layers.Activation("softmax")(tf.constant(Z))
    # TF 2.21 / tf_keras: BinaryCrossentropy()(y, softmax(z)) = 0.9907135.
    expected = _sigmoid_ce(Z, Y).mean(axis=-1)
    np.testing.assert_allclose(keras.losses.binary_crossentropy(Y, out).numpy(), expected, 1e-5)
    np.testing.assert_allclose(
        float(keras.losses.BinaryCrossentropy()(Y, out)), 0.9907135, rtol=1e-5
    )
    # keras.backend.binary_crossentropy is element-wise: TF gives [[0.126928, 0.3132617],
    # [0.474077, 3.0485873]].
    np.testing.assert_allclose(
        keras.backend.binary_crossentropy(tf.constant(Y), out).numpy(), _sigmoid_ce(Z, Y), 1e-5
    )


def test_cce_and_scce_on_sigmoid_output_use_the_sigmoid_logits():
    out = keras.activations.sigmoid(tf.constant(Z))
    # TF: CategoricalCrossentropy()(y, sigmoid(z)) = 1.3137386, per sample
    # [0.04858733, 2.5788898]; the same for SparseCategoricalCrossentropy with [0, 0].
    np.testing.assert_allclose(
        keras.losses.categorical_crossentropy(Y, out).numpy(), _softmax_ce(Z, Y), rtol=1e-5
    )
    np.testing.assert_allclose(
        float(keras.losses.SparseCategoricalCrossentropy()(np.array([0, 0]), out)),
        1.3137386,
        rtol=1e-5,
    )


def test_binary_focal_on_softmax_output():
    out = keras.activations.softmax(tf.constant(Z))
    # TF: the bce term reads the logits, the focal factor the probabilities as given.
    p = out.numpy()
    p_t = Y * p + (1 - Y) * (1 - p)
    expected = ((1 - p_t) ** 2 * _sigmoid_ce(Z, Y)).mean(axis=-1).mean()
    np.testing.assert_allclose(expected, 0.7523699, rtol=1e-5)  # TF 2.21's value
    np.testing.assert_allclose(
        float(keras.losses.BinaryFocalCrossentropy()(Y, out)), expected, rtol=1e-5
    )


def test_two_class_softmax_model_compiled_with_binary_crossentropy():
    # The PyImageSearch smile/Santa/mask-detector head, reduced: Dense(2) + softmax.
    inputs = keras.Input((2,))
    outputs = keras.layers.Dense(2, activation="softmax")(inputs)
    model = keras.Model(inputs, outputs)
    kernel = np.array([[1.0, -0.5], [0.25, 2.0]], dtype=np.float32)
    bias = np.array([0.1, -0.2], dtype=np.float32)
    model.set_weights([kernel, bias])
    x = np.array([[1.0, 2.0], [-1.0, 0.5], [0.3, -0.7]], dtype=np.float32)
    y = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0]], dtype=np.float32)
    model.compile(loss="binary_crossentropy", optimizer="sgd")
    logits = x @ kernel + bias
    expected = _sigmoid_ce(logits, y).mean()
    np.testing.assert_allclose(model.evaluate(x, y, verbose=0), expected, rtol=1e-5)
