"""One label array for a model of several outputs (keras.io miniature GPT: loss=[fn, None])."""

import numpy as np

import tork as tf
from tork import keras


def _two_output_model():
    inputs = keras.Input((3,))
    a = keras.layers.Dense(2, name="a")(inputs)
    b = keras.layers.Dense(2, name="b")(inputs)
    model = keras.Model(inputs, [a, b])
    model.set_weights(
        [
            np.full((3, 2), 0.1, "float32"),
            np.zeros(2, "float32"),
            np.full((3, 2), 0.2, "float32"),
            np.zeros(2, "float32"),
        ]
    )
    return model


X = np.arange(12, dtype="float32").reshape(4, 3) / 10
Y = np.ones((4, 2), "float32")


def _mse(pred):
    return float(np.mean((Y - pred) ** 2))


def _mae(pred):
    return float(np.mean(np.abs(Y - pred)))


def test_single_y_goes_to_the_output_with_a_loss():
    model = _two_output_model()
    model.compile("sgd", loss=[keras.losses.MeanSquaredError(), None])
    expected = _mse(X @ np.full((3, 2), 0.1))
    # Keras 2 (tf_keras 2.21) gives [0.70735, 0.70735]: loss and a_loss.
    np.testing.assert_allclose(model.evaluate(X, Y, verbose=0), [expected, expected], rtol=1e-5)
    np.testing.assert_allclose(expected, 0.70735, atol=1e-5)


def test_single_y_is_given_to_every_output():
    model = _two_output_model()
    model.compile("sgd", loss=["mse", "mae"], metrics=["mae"])
    pa, pb = X @ np.full((3, 2), 0.1), X @ np.full((3, 2), 0.2)
    result = model.evaluate(X, Y, verbose=0, return_dict=True)
    np.testing.assert_allclose(result["loss"], _mse(pa) + _mae(pb), rtol=1e-5)
    np.testing.assert_allclose(result["a_loss"], _mse(pa), rtol=1e-5)
    np.testing.assert_allclose(result["b_loss"], _mae(pb), rtol=1e-5)
    np.testing.assert_allclose(result["a_mae"], _mae(pa), rtol=1e-5)
    np.testing.assert_allclose(result["b_mae"], _mae(pb), rtol=1e-5)
    # tf_keras 2.21: [1.37735, 0.70735, 0.67]
    np.testing.assert_allclose(result["loss"], 1.37735, atol=1e-5)


def test_single_y_trains_with_fit_on_a_dataset():
    model = _two_output_model()
    model.compile("sgd", loss=[keras.losses.MeanSquaredError(), None])
    ds = tf.data.Dataset.from_tensor_slices((X, Y)).batch(2)
    history = model.fit(ds, epochs=1, verbose=0)
    assert sorted(history.history) == ["a_loss", "loss"]


def test_a_list_of_fewer_labels_than_outputs_is_still_an_error():
    model = _two_output_model()
    model.compile("sgd", loss="mse")
    try:
        model.evaluate(X, [Y], verbose=0)
    except ValueError as error:
        assert "2 outputs but 1 label arrays" in str(error)
    else:
        raise AssertionError("expected a ValueError")
