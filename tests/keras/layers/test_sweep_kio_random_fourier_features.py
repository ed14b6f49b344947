"""`tf.keras.layers.experimental.RandomFourierFeatures` (keras.io "A Quasi-SVM in Keras":
`RandomFourierFeatures(output_dim=4096, scale=10.0, kernel_initializer="gaussian")` then
`Dense(10)` trained with a hinge loss).

Expected values come from TF 2.21 / tf_keras 2.21 (`TF_USE_LEGACY_KERAS=1`), the same code with
the same weights; statistics of the random draws are checked against the distributions.
"""

import math

import numpy as np
import pytest

import tork as tf
from tork import keras
from tork.keras.layers.experimental import RandomFourierFeatures


def test_exported_where_keras_2_has_it():
    assert tf.keras.layers.experimental.RandomFourierFeatures is RandomFourierFeatures


def test_output_is_cos_of_scaled_projection_plus_bias():
    layer = RandomFourierFeatures(output_dim=4, scale=10.0)
    layer.build((None, 3))
    layer.set_weights(
        [
            np.array([2.0], "float32"),
            np.arange(12, dtype="float32").reshape(3, 4) / 7,
            np.array([0.1, 0.2, 0.3, 0.4], "float32"),
        ]
    )
    x = np.arange(6, dtype="float32").reshape(2, 3) / 5
    # tf_keras 2.21: cos(x @ (unscaled_kernel / kernel_scale) + bias), no sqrt(2/D) factor.
    expected = [
        [0.9265299439430237, 0.8635283708572388, 0.78293377161026, 0.6863879561424255],
        [0.6216098666191101, 0.38883593678474426, 0.12759031355381012, -0.14299751818180084],
    ]
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6, atol=1e-6)
    kernel = np.arange(12, dtype="float32").reshape(3, 4) / 7 / 2.0
    np.testing.assert_allclose(
        layer(x).numpy(), np.cos(x @ kernel + [0.1, 0.2, 0.3, 0.4]), rtol=1e-6, atol=1e-6
    )
    assert layer.compute_output_shape((None, 3)) == (None, 4)


def test_weights_order_names_and_trainability():
    layer = RandomFourierFeatures(output_dim=4, name="rff")
    layer(np.ones((2, 3), "float32"))
    # tf_keras: kernel_scale (trainable, layer frozen by default) is listed first; built by a
    # call, the names carry the layer's name (built directly, tf_keras gives 'kernel_scale:0').
    assert [w.name for w in layer.weights] == [
        "rff/kernel_scale:0",
        "rff/unscaled_kernel:0",
        "rff/bias:0",
    ]
    assert [tuple(w.shape) for w in layer.weights] == [(1,), (3, 4), (4,)]
    assert layer.trainable is False
    assert layer.trainable_weights == []
    trained = RandomFourierFeatures(output_dim=4, trainable=True)
    trained.build((None, 3))
    assert trained.trainable_weights == [trained.kernel_scale]
    constraint = trained.kernel_scale.constraint
    np.testing.assert_array_equal(np.asarray(constraint(tf.constant([-1.0, 2.0]))), [0.0, 2.0])


def test_default_scale_and_config():
    gaussian = RandomFourierFeatures(output_dim=4, trainable=True)
    gaussian.build((None, 8))
    # sqrt(input_dim / 2) for the gaussian kernel, written back into the config (tf_keras).
    np.testing.assert_allclose(gaussian.kernel_scale.numpy(), [2.0])
    config = gaussian.get_config()
    assert config["scale"] == 2.0
    assert config["kernel_initializer"] == "gaussian"
    assert config["output_dim"] == 4
    assert config["trainable"] is True
    laplacian = RandomFourierFeatures(output_dim=4, kernel_initializer="laplacian")
    laplacian.build((None, 8))
    np.testing.assert_allclose(laplacian.kernel_scale.numpy(), [1.0])
    custom = RandomFourierFeatures(output_dim=4, kernel_initializer=keras.initializers.Ones())
    custom.build((None, 8))
    np.testing.assert_allclose(custom.kernel_scale.numpy(), [1.0])
    np.testing.assert_array_equal(custom.unscaled_kernel.numpy(), np.ones((8, 4)))
    assert custom.get_config()["kernel_initializer"]["class_name"] == "Ones"
    # The serialized initializer (a dict, as tf_keras writes it) is read back.
    clone = RandomFourierFeatures.from_config(custom.get_config())
    clone.build((None, 8))
    np.testing.assert_array_equal(clone.unscaled_kernel.numpy(), np.ones((8, 4)))


def test_config_round_trip_and_keras_2_deserialize():
    config = {
        "name": "random_fourier_features",
        "trainable": False,
        "dtype": "float32",
        "output_dim": 64,
        "kernel_initializer": "gaussian",
        "scale": 10.0,
    }
    layer = keras.layers.deserialize({"class_name": "RandomFourierFeatures", "config": config})
    assert isinstance(layer, RandomFourierFeatures)
    assert layer.get_config() == config
    clone = RandomFourierFeatures.from_config(layer.get_config())
    assert clone.get_config() == config


def test_random_draws_follow_the_kernel_distributions():
    gaussian = RandomFourierFeatures(output_dim=2000)
    gaussian.build((None, 50))
    kernel = gaussian.unscaled_kernel.numpy()
    assert abs(kernel.mean()) < 0.02 and abs(kernel.std() - 1.0) < 0.02
    bias = gaussian.bias.numpy()
    assert bias.min() >= 0.0 and bias.max() < 2 * math.pi
    assert abs(bias.mean() - math.pi) < 0.2
    laplacian = RandomFourierFeatures(output_dim=2000, kernel_initializer="laplacian")
    laplacian.build((None, 50))
    kernel = laplacian.unscaled_kernel.numpy()
    # Standard Cauchy: median 0, quartiles -1 and 1.
    np.testing.assert_allclose(np.percentile(kernel, [25, 50, 75]), [-1.0, 0.0, 1.0], atol=0.05)


def _quasi_svm(trainable):
    model = keras.Sequential(
        [
            keras.Input(shape=(5,)),
            RandomFourierFeatures(output_dim=6, scale=10.0, trainable=trainable),
            keras.layers.Dense(3),
        ]
    )
    r = np.random.RandomState(1)
    model.set_weights(
        [
            np.array([1.5], "float32"),
            r.standard_normal((5, 6)).astype("float32"),
            r.uniform(0, 6.28, 6).astype("float32"),
            (r.standard_normal((6, 3)) * 0.3).astype("float32"),
            np.zeros(3, "float32"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(0.5),
        loss=keras.losses.hinge,
        metrics=[keras.metrics.CategoricalAccuracy(name="acc")],
    )
    rs = np.random.RandomState(0)
    x = rs.rand(12, 5).astype("float32")
    y = keras.utils.to_categorical(rs.randint(0, 3, 12), 3)
    history = model.fit(x, y, epochs=2, batch_size=4, shuffle=False, verbose=0)
    return model, history, x


def test_quasi_svm_fit_matches_tf_keras_frozen_scale():
    model, history, x = _quasi_svm(trainable=False)
    np.testing.assert_allclose(
        history.history["loss"], [0.8532192707061768, 0.5099530220031738], rtol=1e-5
    )
    np.testing.assert_allclose(model.layers[0].kernel_scale.numpy(), [1.5])
    np.testing.assert_allclose(
        model.predict(x[:2], verbose=0),
        [[-1.0400611, 0.7370496, -1.3213294], [-1.0152138, 0.71476245, -1.3217895]],
        rtol=1e-5,
    )


def test_quasi_svm_fit_matches_tf_keras_trainable_scale():
    model, history, x = _quasi_svm(trainable=True)
    np.testing.assert_allclose(
        history.history["loss"], [0.8532918095588684, 0.5097916126251221], rtol=1e-5
    )
    np.testing.assert_allclose(model.layers[0].kernel_scale.numpy(), [1.5377399921417236])
    np.testing.assert_allclose(
        model.predict(x[:2], verbose=0),
        [[-1.0285355, 0.74603844, -1.3199604], [-1.0038574, 0.7185426, -1.318928]],
        rtol=1e-5,
    )


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: RandomFourierFeatures(output_dim=0), r"`output_dim` should be a positive integer"),
        (
            lambda: RandomFourierFeatures(output_dim=4, kernel_initializer="foo"),
            r"unsupported `kernel_initializer`: 'foo'\. Expected one of: \['gaussian', 'laplacian'\]",
        ),
        (
            lambda: RandomFourierFeatures(output_dim=4, scale=-1.0),
            r"`scale` should be a positive float\. Received: -1\.0",
        ),
        (
            lambda: RandomFourierFeatures(output_dim=4).build((None, None)),
            r"the last dimension of the input tensor should be defined\. Found `None`",
        ),
        (
            lambda: RandomFourierFeatures(output_dim=4).build((None, 3, 4)),
            r"the rank of the input tensor should be 2\. Received input with rank 3",
        ),
        (
            lambda: RandomFourierFeatures(output_dim=4)(np.ones((2, 3, 4), "float32")),
            r"expected rank 2, but received input of rank 3",
        ),
    ],
)
def test_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()
