"""Frozen convolutions keep `trainable=False` through configs and `.h5` files.

Found in the Zero to Mastery course (notebook 07): a model around a frozen
`EfficientNetB0` saved with `model.save("x.h5")` failed to load, because the loaded
Conv2D layers came back trainable and the weight order of the frozen base changed.
References: tf_keras 2.21 restores `trainable: False` of every inner layer (checked by
running the same code), and writes a frozen nested model's weights layer by layer.
"""

import numpy as np
import pytest

import tork as tf

layers = tf.keras.layers


def _frozen_base():
    inputs = layers.Input((8, 8, 3))
    x = layers.Conv2D(4, 3, name="c")(inputs)
    x = layers.BatchNormalization(name="bn")(x)
    x = layers.Conv2D(2, 1, name="c2")(x)
    base = tf.keras.Model(inputs, x, name="base")
    base.trainable = False
    return base


@pytest.mark.parametrize(
    "layer",
    [
        layers.Conv1D(2, 3, trainable=False),
        layers.Conv2D(2, 3, trainable=False),
        layers.Conv3D(2, 3, trainable=False),
        layers.Conv2DTranspose(2, 3, trainable=False),
        layers.DepthwiseConv2D(3, trainable=False),
        layers.SeparableConv2D(2, 3, trainable=False),
    ],
)
def test_conv_trainable_false_survives_deserialization(layer):
    config = tf.keras.layers.serialize(layer)
    assert tf.keras.layers.deserialize(config).trainable is False


def test_nested_frozen_model_from_config_keeps_inner_flags():
    base = _frozen_base()
    clone = tf.keras.Model.from_config(base.get_config())
    # tf_keras 2.21: [True, False, False, False] (the InputLayer, then the frozen layers).
    assert [layer.trainable for layer in clone.layers] == [True, False, False, False]


def test_h5_round_trip_of_model_with_frozen_nested_base(tmp_path):
    base = _frozen_base()
    inputs = layers.Input((8, 8, 3))
    x = base(inputs, training=False)
    x = layers.GlobalAveragePooling2D()(x)
    model = tf.keras.Model(inputs, layers.Dense(2)(x))
    path = str(tmp_path / "model.h5")
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    data = np.random.default_rng(0).random((2, 8, 8, 3)).astype("float32")
    np.testing.assert_allclose(
        loaded.predict(data, verbose=0), model.predict(data, verbose=0), rtol=1e-5, atol=1e-6
    )
    assert [layer.trainable for layer in loaded.layers[1].layers[1:]] == [False, False, False]
    assert len(loaded.trainable_weights) == 2  # only the Dense kernel and bias
