"""A Lambda function that changes its input with augmented assignment (`x *= 2`).

TF tensors are immutable, so Keras code may do this. On torch tensors the operator ran
in place: another branch reading the same tensor saw the doubled values (a silent wrong
result in predict) and training failed in backward ("modified by an inplace operation").
Numbers from tf_keras 2.21.
"""

import numpy as np

import tork as tf
from tork.keras.layers import Add, Dense, Input, Lambda
from tork.keras.models import Model

X = np.linspace(-1, 1, 12).reshape(4, 3).astype("float32")


def scale(x):
    x *= 2.0
    return x


def _model():
    inp = Input((3,))
    h = Dense(4, activation="relu")(inp)
    a = Lambda(scale)(h)
    b = Dense(2)(h)
    out = Add()([Dense(2)(a), b])
    model = Model(inp, [out, h])
    model.set_weights(
        [np.full(w.shape, 0.1, "float32") * (i + 1) for i, w in enumerate(model.get_weights())]
    )
    return model


def test_other_branch_sees_the_original_tensor():
    out, h = _model().predict(X, verbose=0)
    # NumPy reference: h = relu(x @ 0.1 + 0.2); out = (2h) @ 0.3 + 0.4 + h @ 0.5 + 0.6.
    h_ref = np.maximum(X @ np.full((3, 4), 0.1) + 0.2, 0)
    out_ref = (2 * h_ref) @ np.full((4, 2), 0.3) + 0.4 + h_ref @ np.full((4, 2), 0.5) + 0.6
    np.testing.assert_allclose(h, h_ref, rtol=1e-5)
    np.testing.assert_allclose(out, out_ref, rtol=1e-5)
    np.testing.assert_allclose(out[:, 0], [1.0, 1.52, 2.24, 2.96], rtol=1e-5)  # tf_keras


def test_trains_through_the_lambda():
    model = _model()
    train = Model(model.inputs, model.outputs[0])
    train.compile(optimizer="sgd", loss="mse")
    np.testing.assert_allclose(train.train_on_batch(X, np.ones((4, 2))), 1.4124, atol=1e-4)


def test_keras_mask_is_kept_on_the_copy():
    seen = {}

    def fn(x):
        seen["mask"] = getattr(x, "_keras_mask", None)
        return x

    x = tf.constant([[1.0, 0.0]])
    x._keras_mask = tf.constant([[True, False]])
    Lambda(fn)(x)
    np.testing.assert_array_equal(np.asarray(seen["mask"]), [[True, False]])
