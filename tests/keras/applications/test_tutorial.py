"""The transfer-learning tutorial's use of MobileNetV2 (frozen base, then fine-tuning)."""

import numpy as np
import pytest

from tork import keras

pytestmark = pytest.mark.slow


def test_transfer_learning_flow():
    base_model = keras.applications.MobileNetV2(
        input_shape=(32, 32, 3), include_top=False, weights=None
    )
    base_model.trainable = False
    assert base_model.trainable_weights == []
    inputs = keras.Input(shape=(32, 32, 3))
    x = keras.applications.mobilenet_v2.preprocess_input(inputs)
    x = base_model(x, training=False)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(1)(x)
    model = keras.Model(inputs, outputs)
    assert len(model.trainable_weights) == 2
    images = np.random.default_rng(0).uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    moving = base_model.get_layer("bn_Conv1").moving_mean.detach().clone()
    model.fit(images, np.ones((4, 1), "float32"), epochs=1, verbose=0)
    # Frozen BatchNormalization runs in inference mode: statistics unchanged.
    np.testing.assert_array_equal(base_model.get_layer("bn_Conv1").moving_mean.detach(), moving)

    base_model.trainable = True
    fine_tune_at = 100
    for layer in base_model.layers[:fine_tune_at]:
        layer.trainable = False
    expected = sum(len(layer.trainable_weights) for layer in base_model.layers[fine_tune_at:])
    assert len(base_model.trainable_weights) == expected > 0
    assert len(base_model.layers) == 154
    assert model.predict(images, verbose=0).shape == (4, 1)


def test_pooling_and_input_tensor():
    inputs = keras.Input((32, 32, 3))
    scaled = keras.layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
    model = keras.applications.VGG16(
        include_top=False, weights=None, input_tensor=scaled, pooling="avg"
    )
    # Like Keras, the model starts at the Input the tensor came from.
    assert model.inputs[0] is inputs
    assert model.output_shape == (None, 512)
    x = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    assert model.predict(x, verbose=0).shape == (2, 512)
