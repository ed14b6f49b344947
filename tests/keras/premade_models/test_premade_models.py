"""tf.keras.experimental.LinearModel / WideDeepModel against tf_keras 2.21: the constants
were printed by tf_keras on the same data, with the same weights."""

import numpy as np
import pytest

from tork import keras

RNG = np.random.RandomState(0)
X = RNG.randn(32, 3).astype("float32")
X2 = RNG.randn(32, 2).astype("float32")
Y = (X @ np.array([[1.0], [2.0], [-1.0]]) + 0.5 + X2[:, :1]).astype("float32")


def test_linear_model_fit_matches_tf_keras():
    model = keras.experimental.LinearModel()
    model.compile(keras.optimizers.SGD(0.1), "mse")
    history = model.fit(X, Y, epochs=3, batch_size=8, verbose=0, shuffle=False)
    assert [w.name for w in model.weights] == ["linear_model/kernel:0", "linear_model/bias:0"]
    np.testing.assert_allclose(
        history.history["loss"],
        [5.665700912475586, 1.7670857906341553, 1.2206673622131348],
        rtol=1e-5,
    )
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(
        kernel.ravel(), [1.0595736503601074, 1.7464171648025513, -1.005508303642273], rtol=1e-5
    )
    np.testing.assert_allclose(bias, [0.5476345419883728], rtol=1e-5)


def test_linear_model_dict_and_list_inputs():
    model = keras.experimental.LinearModel(units=2, use_bias=False, kernel_initializer="ones")
    out = model({"b": X[:2], "a": X2[:2]})
    np.testing.assert_allclose(
        np.asarray(out), [[4.9393181800842285] * 2, [3.6600747108459473] * 2], rtol=1e-6
    )
    # One kernel per key, in sorted key order.
    assert [tuple(w.shape) for w in model.weights] == [(2, 2), (3, 2)]
    with pytest.raises(ValueError, match="Missing keys: {'b'}"):
        model({"a": X2[:2]})
    model = keras.experimental.LinearModel(
        activation="sigmoid", kernel_initializer="ones", bias_initializer="ones"
    )
    np.testing.assert_allclose(
        np.asarray(model([X[:2], X2[:2]])),
        [[0.997373104095459], [0.9906229972839355]],
        rtol=1e-6,
    )
    config = model.get_config()
    assert (config["units"], config["activation"], config["use_bias"]) == (1, "sigmoid", True)
    assert keras.experimental.LinearModel.from_config(config).units == 1


def test_wide_deep_model_two_optimizers_matches_tf_keras():
    linear = keras.experimental.LinearModel(name="linear")
    dnn = keras.Sequential([keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
    model = keras.experimental.WideDeepModel(linear, dnn, name="wd")
    model([X[:1], X2[:1]])
    # As tf_keras: the linear model's weights under the wide & deep model's scope.
    assert [w.name for w in model.weights][:2] == ["wd/linear/kernel:0", "wd/linear/bias:0"]
    rng = np.random.RandomState(1)
    model.set_weights(
        [rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in model.get_weights()]
    )
    model.compile(
        optimizer=[keras.optimizers.SGD(0.05), keras.optimizers.Adam(0.01)],
        loss="mse",
        metrics=["mse"],
    )
    history = model.fit([X, X2], Y, epochs=3, batch_size=8, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        history.history["loss"],
        [5.212540149688721, 2.4764604568481445, 1.5243685245513916],
        rtol=1e-5,
    )
    expected = [
        [0.8847894668579102, 1.4198271036148071, -0.8954567909240723],
        [0.29003477096557617],
        [
            -0.44364508986473083,
            -0.2952239215373993,
            -0.3137397766113281,
            -0.23385703563690186,
            0.0005683973431587219,
            -0.0013942266814410686,
            -0.08080548793077469,
            0.18171395361423492,
        ],
        [-0.21998417377471924, 0.41846925020217896, -0.4726124107837677, 0.14168664813041687],
        [-0.177931010723114, 0.0485505536198616, -0.3596130609512329, -0.31961578130722046],
        [0.3607501685619354],
    ]
    for got, want in zip(model.get_weights(), expected):
        np.testing.assert_allclose(got.ravel(), want, rtol=1e-4, atol=2e-6)


def test_wide_deep_model_one_optimizer_and_activation():
    model = keras.experimental.WideDeepModel(
        keras.experimental.LinearModel(),
        keras.Sequential([keras.layers.Dense(1)]),
        activation="sigmoid",
    )
    model(X[:1])  # one input goes to both models
    weights = [
        np.array([[0.1], [-0.2], [0.3]], "float32"),
        np.array([0.05], "float32"),
        np.array([[0.2], [0.1], [-0.1]], "float32"),
        np.array([-0.05], "float32"),
    ]
    model.set_weights(weights)
    model.compile(keras.optimizers.SGD(0.01), "mse")
    out = np.asarray(model(X[:2]))
    z = X[:2] @ (weights[0] + weights[2]) + weights[1] + weights[3]
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-z)), rtol=1e-6)
    before = model.get_weights()
    model.fit(X, Y, epochs=1, batch_size=16, verbose=0, shuffle=False)
    assert all(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))
    with pytest.raises(ValueError, match="a list of two"):
        model.compile(optimizer=["sgd", "adam", "sgd"], loss="mse")
