"""Labels given as a one-item list for a one-output model (tensorflow/examples age_cgan).

`adversarial.train_on_batch([z, y], [real])` is the Keras 2 GAN idiom: tf_keras matches the
one-item list to the single output. Reference losses from tf_keras 2.21
(TF_USE_LEGACY_KERAS=1) with the same fixed weights and data.
"""

import numpy as np
import pytest

import tork as tf


def _model(list_output: bool):
    inp = tf.keras.Input((3,))
    out = tf.keras.layers.Dense(1, activation="sigmoid")(inp)
    model = tf.keras.Model(inp, [out] if list_output else out)
    model.compile(loss="binary_crossentropy", optimizer="sgd")
    model.set_weights([np.array([[0.1], [-0.2], [0.3]], "float32"), np.array([0.05], "float32")])
    return model


_X = np.random.RandomState(0).normal(size=(4, 3)).astype("float32")
_Y = np.array([[1], [0], [1], [1]], "float32")


@pytest.mark.parametrize("list_output", [True, False])
def test_fit_with_one_item_label_list(list_output):
    model = _model(list_output)
    history = model.fit(_X, [_Y], epochs=2, batch_size=4, shuffle=False, verbose=0)
    # tf_keras 2.21: {'loss': [0.5278419256210327, 0.5260653495788574]}
    np.testing.assert_allclose(history.history["loss"], [0.52784193, 0.52606535], rtol=1e-5)


def test_train_on_batch_and_evaluate_with_one_item_label_list():
    model = _model(True)
    listed = model.train_on_batch(_X, [_Y])
    plain = _model(True).train_on_batch(_X, _Y)
    np.testing.assert_allclose(listed, plain, rtol=1e-6)
    # The one-item tuple and the bare array give the same evaluation.
    np.testing.assert_allclose(
        model.evaluate(_X, (_Y,), verbose=0), model.evaluate(_X, _Y, verbose=0), rtol=1e-6
    )
    # Hand-computed binary cross-entropy of the updated model, independent of Keras.
    w, b = model.get_weights()
    p = 1 / (1 + np.exp(-(_X @ w + b)))
    expected = -np.mean(_Y * np.log(p) + (1 - _Y) * np.log(1 - p))
    np.testing.assert_allclose(model.evaluate(_X, [_Y], verbose=0), expected, rtol=1e-5)


def test_two_labels_for_one_output_still_raise():
    model = _model(False)
    with pytest.raises(
        ValueError, match=r"labels of shape \(2, 4\) do not match predictions of shape \(4, 1\)"
    ):
        model.train_on_batch(_X, [_Y, _Y])
