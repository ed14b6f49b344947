"""Sweep of tf_keras's constraints tests: RadialConstraint (missing in tork).

Reference values from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) in the reference env.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras

# tf_keras: RadialConstraint()(arange(n*n*2).reshape(n, n, 2, 1))[..., 1, 0]
EXPECTED = {
    2: [[1.0, 1.0], [1.0, 1.0]],
    3: [[9.0, 9.0, 9.0], [9.0, 1.0, 9.0], [9.0, 9.0, 9.0]],
    4: [
        [31.0, 31.0, 31.0, 31.0],
        [31.0, 11.0, 11.0, 31.0],
        [31.0, 11.0, 11.0, 31.0],
        [31.0, 31.0, 31.0, 31.0],
    ],
    5: [
        [37.0, 37.0, 37.0, 37.0, 37.0],
        [37.0, 25.0, 25.0, 25.0, 37.0],
        [37.0, 25.0, 13.0, 25.0, 37.0],
        [37.0, 25.0, 25.0, 25.0, 37.0],
        [37.0, 37.0, 37.0, 37.0, 37.0],
    ],
}


@pytest.mark.parametrize("n", sorted(EXPECTED))
def test_radial_constraint_values(n):
    w = np.arange(n * n * 2, dtype="float32").reshape(n, n, 2, 1)
    out = np.asarray(keras.constraints.RadialConstraint()(tf.constant(w)))
    assert out.shape == w.shape
    np.testing.assert_array_equal(out[..., 1, 0], EXPECTED[n])


@pytest.mark.parametrize("width", [3, 4, 5, 6])
def test_radial_constraint_rings(width):
    # As tf_keras's test: ceil(width / 2) distinct values per slice, border column equal.
    w = np.random.RandomState(2).rand(width, width, 2, 2)
    out = np.asarray(keras.constraints.radial_constraint()(tf.constant(w)))
    assert np.all(out[:, 0, 0, 0] == out[-1, 0, 0, 0])
    assert len(set(out[..., 0, 0].ravel().tolist())) == (width + 1) // 2


def test_radial_constraint_serialization_and_errors():
    constraint = keras.constraints.get("radial_constraint")
    assert type(constraint).__name__ == "RadialConstraint"
    config = keras.constraints.serialize(constraint)
    assert config["class_name"] == "RadialConstraint"
    assert type(keras.constraints.deserialize(config)).__name__ == "RadialConstraint"
    with pytest.raises(ValueError, match=r"must have rank 4.*shape: \(3, 3\)"):
        keras.constraints.RadialConstraint()(tf.ones((3, 3)))


def test_radial_constraint_in_conv_training():
    layer = keras.layers.Conv2D(
        2, 3, kernel_constraint=keras.constraints.RadialConstraint(), input_shape=(5, 5, 1)
    )
    model = keras.Sequential([layer])
    model.compile("sgd", "mse")
    model.fit(np.ones((2, 5, 5, 1), "float32"), np.ones((2, 3, 3, 2), "float32"), verbose=0)
    kernel = np.asarray(layer.kernel)
    assert len(set(np.round(kernel[..., 0, 0], 6).ravel().tolist())) == 2
