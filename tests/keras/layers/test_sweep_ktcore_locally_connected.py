"""LocallyConnected1D/2D (Keras 2) against tf_keras/layers/locally_connected/
locally_connected_test.py and values from tf_keras 2.x run on the same inputs and weights."""

import numpy as np
import pytest

import tork as tf
from tork import keras

L = keras.layers


def _run(cls, kwargs, shape):
    """Output for the inputs and weights the reference script gave tf_keras."""
    layer = cls(**kwargs)
    x = (np.arange(np.prod(shape), dtype="float32").reshape(shape) % 7) / 7.0
    layer.build(shape)
    weights = [
        ((np.arange(w.size, dtype="float32") % 5) / 5.0 - 0.4).reshape(w.shape)
        for w in layer.get_weights()
    ]
    layer.set_weights(weights)
    return layer, layer(x).numpy(), [w.shape for w in weights]


# (layer, kwargs, input shape, weight shapes, tf_keras output)
CASES = [
    (
        L.LocallyConnected1D,
        dict(filters=2, kernel_size=2),
        (1, 4, 3),
        [(3, 6, 2), (3, 2)],
        [[[-0.54286, -0.2], [0.25714, 0.42857], [0.88571, -0.88571]]],
    ),
    (
        # channels_first: the bias is reshaped (not transposed) to (filters, steps).
        L.LocallyConnected1D,
        dict(filters=2, kernel_size=2, data_format="channels_first"),
        (1, 3, 4),
        [(3, 6, 2), (3, 2)],
        [[[-0.4, -0.17143, 0.42857], [0.0, 0.68571, -0.31429]]],
    ),
    (
        L.LocallyConnected1D,
        dict(filters=2, kernel_size=3, padding="same", implementation=2),
        (1, 4, 2),
        [(4, 2, 4, 2), (4, 2)],
        [[[-0.25714, -0.31429], [0.14286, 0.2], [0.54286, -0.4], [0.11429, -0.11429]]],
    ),
    (
        L.LocallyConnected2D,
        dict(filters=2, kernel_size=2, padding="same", implementation=2),
        (1, 3, 3, 2),
        [(3, 3, 2, 3, 3, 2), (3, 3, 2)],
        [
            [
                [[-0.37143, -0.14286], [-0.08571, 0.28571], [0.54286, -0.57143]],
                [[0.2, -0.4], [0.0, 0.34286], [-0.57143, -0.25714]],
                [[-0.37143, 0.31429], [0.31429, -0.02857], [0.02857, -0.17143]],
            ]
        ],
    ),
    (
        L.LocallyConnected2D,
        dict(filters=2, kernel_size=2, strides=2, data_format="channels_first", implementation=3),
        (1, 2, 4, 5),
        [(64,), (2, 2, 2)],
        [[[[-0.02857, 0.4], [-0.11429, 0.25714]], [[0.6, -0.8], [0.02857, -0.11429]]]],
    ),
    (
        L.LocallyConnected2D,
        dict(filters=2, kernel_size=(2, 3), strides=(1, 2), data_format="channels_first"),
        (1, 2, 3, 5),
        [(4, 12, 2), (2, 2, 2)],
        [[[[-0.05714, -0.17143], [-0.6, -0.2]], [[0.94286, -0.37143], [-0.08571, -0.05714]]]],
    ),
]


@pytest.mark.parametrize("cls, kwargs, shape, weight_shapes, expected", CASES)
def test_locally_connected_matches_tf_keras(cls, kwargs, shape, weight_shapes, expected):
    layer, out, shapes = _run(cls, kwargs, shape)
    assert shapes == weight_shapes
    np.testing.assert_allclose(out, expected, atol=1e-4)
    assert tuple(layer.compute_output_shape(shape)) == out.shape
    # The config round trip gives the same layer.
    clone = cls.from_config(layer.get_config())
    clone.build(shape)
    clone.set_weights(layer.get_weights())
    x = (np.arange(np.prod(shape), dtype="float32").reshape(shape) % 7) / 7.0
    np.testing.assert_allclose(clone(x).numpy(), out, atol=1e-6)


def test_implementation_2_mask_and_implementation_3_indices():
    # tf_keras: the mask of a 'same' window of 3 over 4 steps, and the sorted pairs.
    layer = L.LocallyConnected1D(2, 3, implementation=2, padding="same")
    layer.build((None, 4, 1))
    np.testing.assert_array_equal(
        layer.kernel_mask.numpy().squeeze(),
        [[1, 1, 0, 0], [1, 1, 1, 0], [0, 1, 1, 1], [0, 0, 1, 1]],
    )
    layer = L.LocallyConnected1D(2, 2, implementation=3)
    layer.build((None, 3, 1))
    assert list(layer.kernel_idxs) == [
        (0, 0), (0, 1), (1, 0), (1, 1), (2, 1), (2, 2), (3, 1), (3, 2)
    ]  # fmt: skip
    assert tuple(layer.kernel_shape) == (4, 3)


def test_locally_connected_in_a_trained_model():
    model = keras.Sequential(
        [
            keras.Input((7, 2)),
            L.LocallyConnected1D(2, 3, activation="relu"),
            L.Flatten(),
            L.Dense(3),
        ]
    )
    model.compile("sgd", keras.losses.CategoricalCrossentropy(from_logits=True))
    before = [w.copy() for w in model.get_weights()]
    x = np.random.RandomState(0).rand(4, 7, 2).astype("float32")
    model.fit(x, np.eye(3)[[0, 1, 2, 0]], epochs=2, verbose=0)
    assert not np.allclose(before[0], model.get_weights()[0])
    assert model.predict(x, verbose=0).shape == (4, 3)


def test_regularizers_and_constraints():
    layer = L.LocallyConnected2D(
        3,
        3,
        kernel_regularizer="l2",
        bias_regularizer="l2",
        activity_regularizer="l2",
        kernel_constraint=keras.constraints.max_norm(0.01),
    )
    layer.build((2, 6, 7, 4))
    assert len(layer.losses) == 2  # tf_keras: 2 after build, 3 after a call
    layer(tf.ones((2, 6, 7, 4)))
    assert len(layer.losses) == 3
    assert layer.kernel.constraint is not None
    assert layer.get_config()["activity_regularizer"]["class_name"] == "L2"


def test_errors():
    with pytest.raises(ValueError, match="padding='same' needs implementation=2 or 3"):
        L.LocallyConnected1D(2, 3, padding="same")
    with pytest.raises(ValueError, match="One of the dimensions in the output is <= 0"):
        L.LocallyConnected2D(2, 10).build((None, 5, 5, 2))
    with pytest.raises(ValueError, match="spatial sizes and the channels of the input must be"):
        L.LocallyConnected1D(2, 3)(L.Input((None, 2)))
    layer = L.LocallyConnected1D(2, 3)
    layer(np.ones((1, 5, 2), "float32"))
    with pytest.raises(ValueError, match="input size cannot change"):
        layer(np.ones((1, 6, 2), "float32"))


@pytest.mark.parametrize("implementation", [1, 2, 3])
def test_empty_batch(implementation):
    # tf_keras: (0, 5, 3) -> (0, 3, 2) for every implementation.
    layer = L.LocallyConnected1D(2, 3, implementation=implementation)
    assert tuple(layer(np.zeros((0, 5, 3), "float32")).shape) == (0, 3, 2)
