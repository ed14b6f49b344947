"""`compile(loss=[l1, l2, ...])` on a model with ONE output uses the first loss (Keras 2).

tf_keras 2.21 (and Keras 3) pair losses with outputs by position, so a single-output model
uses `l1` and the first loss weight and ignores the rest, silently. Reference numbers:
tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) on the same fixed-weight model and data.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

X = np.arange(12, dtype="float32").reshape(4, 3) / 10
Y = np.array([[0.1, 0.9], [0.4, 0.6], [0.8, 0.2], [0.5, 0.5]], "float32")
W = [np.array([[0.3, -0.1], [0.2, 0.5], [-0.4, 0.1]], "float32"), np.array([0.0, 0.1], "float32")]


def _functional():
    i = keras.Input((3,))
    m = keras.Model(i, keras.layers.Dense(2, activation="softmax")(i))
    m.set_weights(W)
    return m


def _sequential():
    m = keras.Sequential([keras.layers.Dense(2, activation="softmax", input_shape=(3,))])
    m.set_weights(W)
    return m


@pytest.mark.parametrize(
    "loss,kwargs,expected_loss,expected_bias",
    [
        (["mse", "mae", "categorical_crossentropy", "kld"], {}, 0.077689, [0.000217, 0.099783]),
        (("mae", "mse"), {}, 0.228721, [-5.8e-05, 0.100058]),
        (["mse", "mae"], {"loss_weights": [0.5, 2.0]}, 0.038844, [0.000109, 0.099892]),
    ],
)
def test_one_output_uses_first_loss_like_tf_keras(loss, kwargs, expected_loss, expected_bias):
    m = _functional()
    m.compile("sgd", loss=loss, **kwargs)
    result = m.evaluate(X, Y, verbose=0, return_dict=True)
    assert list(result) == ["loss"]
    np.testing.assert_allclose(result["loss"], expected_loss, atol=2e-6)
    m.fit(X, Y, epochs=1, verbose=0)
    np.testing.assert_allclose(m.get_weights()[1], expected_bias, atol=2e-6)


def test_sequential_list_of_losses_with_weights_and_metrics():
    # tf_keras: loss = 3.0 * mse = 0.233066; mae metric 0.228721.
    m = _sequential()
    m.compile("sgd", loss=["mse", "mae", "kld"], loss_weights=[3.0, 1.0, 1.0], metrics=["mae"])
    result = m.evaluate(X, Y, verbose=0, return_dict=True)
    np.testing.assert_allclose(result["loss"], 0.23306649923324585, atol=2e-6)
    np.testing.assert_allclose(result["mae"], 0.22872085869312286, atol=2e-6)
