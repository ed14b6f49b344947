"""User loss functions that use augmented assignment (`y_pred /= s`, `offset *= mask`).

TF tensors are immutable, so this is plain Keras code (Atienza, "Advanced Deep Learning
with Keras", chapter 11 focal and offset losses). On torch tensors the operators run in
place: before the fix the first made `fit` fail in backward ("modified by an inplace
operation") and the second wrote into the batch targets. Numbers from tf_keras 2.21.
"""

import numpy as np

import tork as tf
from tork.keras import backend as K

X = np.linspace(-1, 1, 24).reshape(8, 3).astype("float32")
KERNEL = np.full((3, 4), 0.1, "float32") * np.arange(4)


def focal(y_true, y_pred):
    y_pred /= K.sum(y_pred, axis=-1, keepdims=True)
    return K.sum(-y_true * K.log(K.clip(y_pred, 1e-7, 1.0)), axis=-1)


def offset_loss(y_true, y_pred):
    offset = y_true[..., 0:2]
    mask = y_true[..., 2:4]
    pred = y_pred[..., 0:2]
    offset *= mask
    pred *= mask
    return K.mean(K.abs(pred - offset), axis=-1)


def _model(activation=None):
    model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation=activation, input_shape=(3,))])
    model.set_weights([KERNEL, np.zeros(4, "float32")])
    return model


def test_in_place_division_of_predictions_trains():
    y = np.eye(4)[np.arange(8) % 4].astype("float32")
    model = _model("softmax")
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss=focal, metrics=["accuracy"])
    history = model.fit(X, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    # Epoch 1 is the loss at the initial weights: cross-entropy of the softmax.
    logits = X @ KERNEL
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = -(y * np.log(probs)).sum(axis=1).mean()
    np.testing.assert_allclose(history.history["loss"][0], expected, rtol=1e-5)
    np.testing.assert_allclose(history.history["loss"], [1.30841, 1.30617], atol=1e-5)
    # Metrics see the model's predictions, not the loss's rescaled copy.
    np.testing.assert_allclose(history.history["accuracy"], [0.25, 0.25])


def test_in_place_masking_leaves_targets_alone():
    y = np.concatenate([np.ones((8, 2)), np.tile([[1, 0]], (8, 1))], -1).astype("float32")
    before = y.copy()
    model = _model()
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss=offset_loss)
    history = model.fit(X, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
    np.testing.assert_array_equal(y, before)
    pred = X @ KERNEL
    expected = np.abs(pred[:, 0:1] - 1.0).mean(axis=1) / 2  # mask keeps column 0 only
    np.testing.assert_allclose(history.history["loss"][0], expected.mean(), rtol=1e-5)
    np.testing.assert_allclose(history.history["loss"], [0.5, 0.47462], atol=1e-5)
    np.testing.assert_allclose(model.evaluate(X, y, verbose=0), 0.44924, atol=1e-5)
    np.testing.assert_array_equal(y, before)


def test_direct_call_keeps_caller_tensors():
    y_true = tf.constant([[1.0, 2.0, 1.0, 0.0]])
    y_pred = tf.constant([[0.5, 0.5, 9.0, 9.0]])
    loss = tf.keras.losses.LossFunctionWrapper(offset_loss)
    np.testing.assert_allclose(float(loss(y_true, y_pred)), 0.25)  # |0.5 - 1| / 2
    np.testing.assert_array_equal(np.asarray(y_true), [[1.0, 2.0, 1.0, 0.0]])
    np.testing.assert_array_equal(np.asarray(y_pred), [[0.5, 0.5, 9.0, 9.0]])


def test_in_place_metric_function_leaves_the_targets_alone():
    # `offset *= mask` in a metric written for TF would overwrite the user's y (tf_keras: no).
    def offset_error(y_true, y_pred):
        offset = y_true[..., 0:2]
        offset *= 0.0
        return tf.reduce_mean(tf.abs(offset - y_pred[..., 0:2]), axis=-1)

    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])
    model.compile("sgd", "mse", metrics=[offset_error])
    x = np.ones((4, 3), "float32")
    y = np.full((4, 2), 5.0, "float32")
    model.fit(x, y, epochs=1, verbose=0)
    np.testing.assert_array_equal(y, np.full((4, 2), 5.0))


def test_writes_in_place_reads_the_bytecode_once():
    from tork._inplace import writes_in_place

    def plain(a):
        return a * 2

    def augmented(a):
        a *= 2
        return a

    def nested(a):
        def inner(b):
            b += 1
            return b

        return inner(a)

    assert not writes_in_place(plain)
    assert writes_in_place(augmented)
    assert writes_in_place(nested)  # code nested in the function counts too
    assert not writes_in_place(lambda a: [c * 2 for c in a])
